"""Block Kit builders: plain data in, validated block dicts out, within Slack's limits.

Every builder goes through `slack_sdk.models` (which refuses an invalid block), every piece of
social text through `bot.mrkdwn`, and every mention gets the same "Move to…" menu, so alerts,
search results and digests all offer the same correction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot import commands
from bot.answers import RefusedDMs, TeamDeliveries
from bot.ids import ActionId, BlockId, mention_block
from bot.models import Mention
from bot.mrkdwn import escape, excerpt, visible_url
from bot.preferences import Settings, describe
from bot.slack_failures import advice
from bot.store.health import SourceHealth
from bot.store.stats import PeriodStats
from bot.taxonomy import LABELS

MAX_BLOCKS = 50
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_VALUE = 2000
OPTION_TEXT = 75
MAX_OPTIONS = 100
EXCERPT = 600
TITLE = 200
SPARKS = "▁▂▃▄▅▆▇█"


def _dicts(blocks: Iterable[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def chunks(blocks: Sequence[dict[str, Any]], size: int = MAX_BLOCKS) -> list[list[dict[str, Any]]]:
    """Messages of at most `size` blocks, never splitting one mention's blocks apart."""
    groups: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    for group in _mention_groups(blocks):
        if current and len(current) + len(group) > size:
            groups.append(current)
            current = []
        current.extend(group[:size])
    if current:
        groups.append(current)
    return groups


def _mention_groups(blocks: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: list[list[dict[str, Any]]] = []
    last_owner: str | None = None
    for block in blocks:
        owner = _owner(block)
        if owner is not None and owner == last_owner:
            groups[-1].append(block)
        else:
            groups.append([block])
        last_owner = owner
    return groups


def _owner(block: dict[str, Any]) -> str | None:
    parts = str(block.get("block_id", "")).split(":")
    return parts[1] if len(parts) == 3 and parts[0] == BlockId.MENTION else None


def sentiment_word(sentiment: float | None) -> str:
    if sentiment is None:
        return "unrated"
    if sentiment < -0.05:
        return "negative"
    return "positive" if sentiment > 0.05 else "neutral"


_MOOD = {"negative": ":slightly_frowning_face:", "positive": ":slightly_smiling_face:"}


def when(moment: datetime | None) -> str:
    """Slack's own date formatting (each reader's time zone), with a UTC fallback."""
    if moment is None:
        return "never"
    moment = moment.astimezone(UTC)
    return (
        f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|"
        f"{moment:%Y-%m-%d %H:%M} UTC>"
    )


def move_value(mention_id: int, team: str | None) -> str:
    """The menu option's value: `<mention id>:<team>`, or `<id>:` for "Not relevant"."""
    return f"{mention_id}:{team or ''}"


def parse_move_value(value: str) -> tuple[int, str | None]:
    mention_id, _, team = value.partition(":")
    return int(mention_id), team or None


def move_menu(mention_id: int, teams: Sequence[str]) -> StaticSelectElement:
    options = [
        Option(value=move_value(mention_id, team), text=PlainTextObject(text=_cut(team, 75)))
        for team in list(teams)[: MAX_OPTIONS - 1]
    ]
    options.append(Option(value=move_value(mention_id, None), text="Not relevant"))
    return StaticSelectElement(action_id=ActionId.MOVE, placeholder="Move to…", options=options)


def _byline(mention: Mention) -> str:
    source = mention.source.name or "?"
    author = mention.author_name or mention.author
    mood = sentiment_word(mention.sentiment)
    parts = [f"*{escape(source)}*"]
    if author:
        parts.append(excerpt(author, 80))
    parts.append(when(mention.published_at))
    parts.append(f"{_MOOD.get(mood, '')} {mood}".strip())
    if mention.category:
        label = LABELS.get(mention.category, mention.category)
        confidence = f" {mention.confidence:.0%}" if mention.confidence is not None else ""
        parts.append(f"{label}{confidence}")
    link = visible_url(mention.url)
    if link:
        parts.append(_cut(link, 500))
    return " · ".join(parts)


def mention_blocks(
    mention: Mention,
    teams: Sequence[str],
    *,
    buttons: Sequence[ButtonElement] = (),
    note: str | None = None,
) -> list[dict[str, Any]]:
    """One mention: title and excerpt with the Move to… menu, then source, author, time,
    sentiment, category and the link as visible text; then any buttons and a note."""
    title = excerpt(mention.title, TITLE) if mention.title else ""
    body = excerpt(mention.text, EXCERPT) or "_(no text)_"
    text = f"*{title}*\n{body}" if title else body
    blocks: list[Block] = [
        SectionBlock(
            block_id=mention_block(mention.id, "text"),
            text=MarkdownTextObject(text=_cut(text, SECTION_TEXT)),
            accessory=move_menu(mention.id, teams),
        ),
        ContextBlock(
            block_id=mention_block(mention.id, "meta"),
            elements=[MarkdownTextObject(text=_cut(_byline(mention), SECTION_TEXT))],
        ),
    ]
    if buttons:
        blocks.append(ActionsBlock(block_id=mention_block(mention.id, "actions"), elements=buttons))
    if note:
        blocks.append(_note(mention.id, note))
    return _dicts(blocks)


def _note(mention_id: int, note: str) -> ContextBlock:
    return ContextBlock(
        block_id=mention_block(mention_id, "note"),
        elements=[MarkdownTextObject(text=_cut(note, SECTION_TEXT))],
    )


def annotate(blocks: Sequence[dict[str, Any]], mention_id: int, note: str) -> list[dict[str, Any]]:
    """The same message with a note under one mention (replacing an earlier note), as after
    a correction: the rest of the message is left exactly as it was."""
    note_id = mention_block(mention_id, "note")
    kept = [b for b in blocks if b.get("block_id") != note_id]
    owned = [i for i, b in enumerate(kept) if _owner(b) == str(mention_id)]
    at = owned[-1] + 1 if owned else len(kept)
    return [*kept[:at], _note(mention_id, note).to_dict(), *kept[at:]][:MAX_BLOCKS]


def open_button(mention: Mention) -> list[ButtonElement]:
    url = mention.url or ""
    if not url.lower().startswith(("http://", "https://")) or len(url) > 3000:
        return []
    return [ButtonElement(text="Open", action_id=ActionId.OPEN, url=url)]


def alert_blocks(
    mention: Mention,
    teams: Sequence[str],
    *,
    reason: str,
    acknowledged_by: str | None = None,
    acknowledged_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The DM for an urgent mention. Once someone acknowledges it, every recipient's copy
    says who and when, and the Acknowledge button goes away."""
    value = str(mention.id)
    buttons: list[ButtonElement] = []
    if acknowledged_by is None:
        buttons.append(
            ButtonElement(
                text="Acknowledge", action_id=ActionId.ACKNOWLEDGE, value=value, style="primary"
            )
        )
    buttons.append(ButtonElement(text="Not urgent", action_id=ActionId.NOT_URGENT, value=value))
    buttons += open_button(mention)
    status = (
        f":white_check_mark: Acknowledged by <@{acknowledged_by}> {when(acknowledged_at)}"
        if acknowledged_by
        else f":rotating_light: {escape(reason)}"
    )
    head = SectionBlock(
        block_id=BlockId.ALERT_STATUS, text=MarkdownTextObject(text=_cut(status, SECTION_TEXT))
    )
    return [head.to_dict(), *mention_blocks(mention, teams, buttons=buttons)]


def alert_text(mention: Mention, reason: str) -> str:
    """The notification line (push, lock screen): plain and escaped."""
    return _cut(f"{reason}: {excerpt(mention.title or mention.text, 200)}", 3000)


def moved_note(team: str | None, user: str, *, copies: int) -> str:
    """What a moved mention says under it; `copies`, the story's other mentions moved too."""
    where = f"*{escape(team)}*" if team else "*Not relevant*"
    along = f" with its {copies} cop{'y' if copies == 1 else 'ies'}" if copies else ""
    return f":arrow_right: Moved to {where}{along} by <@{user}>. Thanks: Silta learns from this."


def text_blocks(text: str) -> list[dict[str, Any]]:
    return _dicts([SectionBlock(text=MarkdownTextObject(text=_cut(text, SECTION_TEXT)))])


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=_cut(text, HEADER_TEXT)))


def search_blocks(
    query: commands.Search,
    results: Sequence[Mention],
    teams: Sequence[str],
    *,
    offset: int,
    has_more: bool,
) -> list[dict[str, Any]]:
    asked = escape(query.text())
    if not results:
        return text_blocks(
            f"Nothing found for `{asked}`." if not offset else f"No more results for `{asked}`."
        )
    shown = f"{offset + 1}–{offset + len(results)}"
    blocks = text_blocks(f"Results {shown} for `{asked}`, newest first:")
    for mention in results:
        blocks += [DividerBlock().to_dict(), *mention_blocks(mention, teams)]
    if has_more:
        value = json.dumps({"q": query.text()[:1800], "o": offset + len(results)})
        more = ButtonElement(text="More", action_id=ActionId.SEARCH_MORE, value=value)
        blocks.append(ActionsBlock(block_id=BlockId.SEARCH_MORE, elements=[more]).to_dict())
    return blocks[:MAX_BLOCKS]


def sparkline(values: Sequence[int | None], *, floor: int = 0) -> str:
    """Bars from `floor` (the lowest bar: 0 for counts, the week's lowest for a score that
    can be negative) up to the highest value; None, a day with nothing to show, is a gap."""
    top = max((v for v in values if v is not None), default=floor) - floor

    def bar(value: int | None) -> str:
        if value is None:
            return " "
        return SPARKS[min(7, round((value - floor) / top * 7))] if top > 0 else SPARKS[0]

    return "".join(bar(v) for v in values)


def _change(change: float | None) -> str:
    if change is None:
        return "no earlier data"
    arrow = "▲" if change > 0 else ("▼" if change < 0 else "=")
    return f"{arrow} {abs(change):.0%} vs the period before"


def stats_blocks(title: str, stats: PeriodStats) -> list[dict[str, Any]]:
    mix = stats.sentiment
    total = max(1, sum(mix.values()))
    mood = " · ".join(
        f"{k} {mix.get(k, 0) / total:.0%}" for k in ("negative", "neutral", "positive")
    )
    top = ", ".join(f"{escape(name)} ({count})" for name, count in stats.sources) or "none"
    fields = [
        MarkdownTextObject(text=f"*Mentions*\n{stats.total:,} ({_change(stats.change)})"),
        MarkdownTextObject(text=f"*Sentiment*\n{mood}"),
        MarkdownTextObject(text=f"*Top sources*\n{_cut(top, 1900)}"),
        MarkdownTextObject(text=f"*Per day*\n`{sparkline(stats.per_day[-60:])}`"),
    ]
    return _dicts([_header(title), SectionBlock(fields=fields)])


def mentions_list_blocks(
    title: str, found: Sequence[Mention], teams: Sequence[str], *, empty: str
) -> list[dict[str, Any]]:
    """A headed list of mentions, as `/silta top` shows them."""
    blocks = [_header(title).to_dict()]
    if not found:
        return blocks + text_blocks(empty)
    for mention in found:
        blocks += [*mention_blocks(mention, teams, buttons=open_button(mention)), _divider()]
    return blocks[:MAX_BLOCKS]


def triage_blocks(
    query: commands.Triage, total: int, newest: Sequence[Mention], teams: Sequence[str]
) -> list[dict[str, Any]]:
    """The triage queue: what no team got because the classifier was unsure, each with its
    Move to… menu; filing one teaches Silta and takes it out of the queue."""
    scope = f"{query.team}'s categories" if query.team else "all teams"
    blocks = [_header(f"Triage · {scope} · last {query.period}").to_dict()]
    if not newest:
        return blocks + text_blocks("Nothing to triage: every mention went to a team.")
    shown = f"the newest {len(newest)}" if total > len(newest) else "all of them"
    blocks += text_blocks(
        f"{total} mention(s) Silta was unsure about, so no team got them; {shown} below. "
        "*Move to…* files one and teaches Silta."
    )
    for mention in newest:
        blocks += [_divider(), *mention_blocks(mention, teams, buttons=open_button(mention))]
    return blocks[:MAX_BLOCKS]


def _divider() -> dict[str, Any]:
    return DividerBlock().to_dict()


_STATUS = {
    "ok": ":large_green_circle:",
    "failing": ":red_circle:",
    "waiting": ":large_yellow_circle:",
    "new": ":white_circle:",
    "disabled": ":black_circle:",
    "unconfigured": ":grey_question:",
}


def sources_blocks(rows: Sequence[SourceHealth]) -> list[dict[str, Any]]:
    if not rows:
        return text_blocks("No sources yet: add `[[sources]]` to silta.toml.")
    blocks: list[Block] = [_header("Sources")]
    for row in rows[: MAX_BLOCKS - 1]:
        line = (
            f"{_STATUS.get(row.status, '')} *{escape(row.name)}* ({escape(row.kind)}) {row.status}"
            f" · last success {when(row.last_success_at)} · {row.items} item(s) last poll"
        )
        if row.last_error:
            line += f"\nLast error {when(row.last_error_at)}: {excerpt(row.last_error, 400)}"
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_cut(line, SECTION_TEXT))))
    return _dicts(blocks)


def settings_blocks(settings: Settings) -> list[dict[str, Any]]:
    subs = [f"• {escape(describe(s.kind, s.value))}" for s in settings.subscriptions]
    mutes = [
        f"• {escape(m.term)}"
        + (" (for everyone)" if m.user_id is None else "")
        + (f" until {when(m.until)}" if m.until else "")
        for m in settings.mutes
    ]
    text = "*You get a DM for:*\n" + ("\n".join(subs) or "nothing yet")
    text += "\n*Muted:*\n" + ("\n".join(mutes) or "nothing")
    text += '\n_`/silta subscribe urgent|<category>|"<keyword>"` adds one._'
    if settings.alert_problem:
        text += f"\n:warning: {escape(settings.alert_problem)}"
    return text_blocks(_cut(text, SECTION_TEXT))


def help_blocks(usages: Sequence[str]) -> list[dict[str, Any]]:
    lines = [f"`{usage}`" for usage in usages]
    text = (
        "*Silta* carries what people say about us to the team that can act on it.\n"
        + "\n".join(lines)
        + "\nEvery mention has a *Move to…* menu: choosing a team teaches Silta."
    )
    return text_blocks(text)


def home_view(
    settings: Settings,
    today: Mapping[str, int],
    sources: Sequence[SourceHealth],
    deliveries: tuple[Sequence[TeamDeliveries], Sequence[RefusedDMs]],
) -> dict[str, Any]:
    """App Home: your subscriptions, today's counts per team, source health, and what Silta
    could not post (`deliveries`, as `bot.answers.deliveries` gives it)."""
    counts = "\n".join(f"• *{escape(t)}*: {n}" for t, n in today.items()) or "No teams configured."
    blocks = [
        _header("Silta").to_dict(),
        *settings_blocks(settings),
        _divider(),
        *text_blocks(f"*Today per team*\n{counts}"),
        _divider(),
        *delivery_blocks(*deliveries),
        _divider(),
        *sources_blocks(sources),
    ]
    return View(type="home", blocks=blocks[:100]).to_dict()


MAX_REFUSED = 10


def delivery_blocks(
    teams: Sequence[TeamDeliveries], refused: Sequence[RefusedDMs]
) -> list[dict[str, Any]]:
    """Each team's channel and last digest, with what is stuck and its fix; then the people
    whose urgent DMs Slack refused this week."""
    lines = []
    for team in teams:
        line = f"• *{escape(team.team)}* → {escape(team.channel)}: " + (
            f"latest digest up to {when(team.last_sent_until)}"
            if team.last_sent_until
            else "no digest yet"
        )
        for digest in team.stuck:
            line += (
                f"\n    :warning: The {digest.kind} of {when(digest.period_start)} – "
                f"{when(digest.period_end)} is not posted ({digest.attempts} attempt(s)): "
                f"{_refusal(digest.error)} Silta keeps trying."
            )
        lines.append(line)
    blocks = text_blocks(_cut("*Digests*\n" + ("\n".join(lines) or "No teams."), SECTION_TEXT))
    if refused:
        people = [
            f"• <@{escape(person.user_id)}>: {len(person.alerts)} alert(s), "
            f"{_refusal(person.newest.error)} "
            + ("Silta keeps trying." if person.retrying else "Silta has stopped trying.")
            for person in refused[:MAX_REFUSED]
        ]
        if len(refused) > MAX_REFUSED:
            people.append(f"…and {len(refused) - MAX_REFUSED} more people.")
        text = "*Urgent DMs Slack refused this week*\n" + "\n".join(people)
        blocks += text_blocks(_cut(text, SECTION_TEXT))
    return blocks


def _refusal(error: str | None) -> str:
    fix = advice(error) if error else None
    said = f"Slack said `{escape(excerpt(error, 200))}`"
    return f"{said}: {fix}." if fix else f"{said}."
