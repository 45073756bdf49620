"""Digests and reports as Block Kit: a short main message that can be read in ten seconds
(the period, the counts and their change, the mood, the top three stories) and the details in
its thread, every message within Slack's limits (50 blocks, 3,000 characters a section).

Pure builders: plain data in, block dicts out. Mentions are drawn by `bot.blocks.mention_blocks`,
so a digest offers the same "Move to…" menu as an alert or a search, and every piece of social
text goes through `bot.mrkdwn` before it reaches mrkdwn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.blocks import (
    HEADER_TEXT,
    MAX_BLOCKS,
    SECTION_TEXT,
    chunks,
    mention_blocks,
    open_button,
    sparkline,
    when,
)
from bot.mrkdwn import escape, excerpt, visible_url
from bot.store.stories import Story
from bot.taxonomy import LABELS
from digests.build import TeamDigest

if TYPE_CHECKING:
    from digests.report import Figure, WeeklyReport

MAIN_STORIES = 3
FIELDS = 10
"""Slack's limit on the fields of one section."""
FIELD_TEXT = 2000
_MOOD = {
    "negative": ":slightly_frowning_face:",
    "neutral": ":neutral_face:",
    "positive": ":slightly_smiling_face:",
}


@dataclass(frozen=True)
class Messages:
    """What one delivery posts: `main` in the channel, then each of `thread` as a reply."""

    text: str
    """The notification line (push, lock screen, screen readers)."""
    main: list[dict[str, Any]]
    thread: list[list[dict[str, Any]]]

    @property
    def all_blocks(self) -> list[list[dict[str, Any]]]:
        return [self.main, *self.thread]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _dicts(blocks: Iterable[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=_cut(text, SECTION_TEXT)))


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=_cut(text, SECTION_TEXT))])


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=_cut(text, HEADER_TEXT)))


def change_text(change: float | None) -> str:
    if change is None:
        return "new"
    arrow = "▲" if change > 0 else ("▼" if change < 0 else "=")
    return f"{arrow} {abs(change):.0%}"


def _mood_text(mix: dict[str, int]) -> str:
    total = sum(mix.values())
    if not total:
        return "no mentions"
    return " · ".join(f"{_MOOD[k]} {mix.get(k, 0) / total:.0%} {k}" for k in _MOOD)


def _links_note(story: Story) -> str | None:
    """ "Also on reddit: https://…, mastodon: https://…" for a story seen on several sources."""
    others = story.mentions[1:]
    if not others:
        return None
    parts = [f"{escape(m.source.name)}: {visible_url(m.url) or '(no link)'}" for m in others[:20]]
    more = f" and {len(others) - 20} more" if len(others) > 20 else ""
    return f":link: Also on {', '.join(parts)}{more}"


def story_blocks(story: Story, teams: Sequence[str]) -> list[dict[str, Any]]:
    lead = story.lead
    return mention_blocks(lead, teams, buttons=open_button(lead), note=_links_note(story))


def _summary(digest: TeamDigest) -> list[Block]:
    before = digest.previous_total
    against = (
        f"{change_text(digest.change())} vs {before:,} the period before"
        if before
        else "none the period before"
    )
    headline = f"*{digest.total:,} mention{'s' if digest.total != 1 else ''}* ({against})"
    fields = [
        MarkdownTextObject(
            text=_cut(f"*{LABELS.get(c, c)}*\n{n:,} ({change_text(digest.change(c))})", FIELD_TEXT)
        )
        for c, n in digest.counts.items()
    ][: FIELDS - 1]
    fields.append(MarkdownTextObject(text=f"*Sentiment*\n{_mood_text(digest.sentiment)}"))
    return [
        _header(f"{digest.team.capitalize()} digest"),
        _section(f"*{escape(digest.period.label())}*\n{headline}"),
        SectionBlock(fields=fields),
    ]


def _footer(digest: TeamDigest, in_thread: bool) -> ContextBlock:
    parts = []
    if digest.acknowledged:
        parts.append(f":white_check_mark: {len(digest.acknowledged)} acknowledged")
    if in_thread:
        parts.append(":thread: more in the thread")
    parts.append(f"See everything: `{escape(digest.search)}`")
    if digest.unsure:
        parts.append(f"{digest.unsure} more may be yours: `/silta triage`")
    return _context(" · ".join(parts))


def _acknowledged_sections(digest: TeamDigest) -> list[dict[str, Any]]:
    lines = [
        f"• <@{escape(a.user_id)}> acknowledged {when(a.at)}: "
        f"{excerpt(a.mention.title or a.mention.text, 150)}"
        for a in digest.acknowledged
    ]
    return [_section(text).to_dict() for text in _packed("*Acknowledged*", lines)]


def _packed(title: str, lines: Sequence[str]) -> list[str]:
    """Lines packed into as few section texts as fit in 3,000 characters each."""
    texts: list[str] = []
    current = title
    for line in lines:
        line = _cut(line, SECTION_TEXT - len(title) - 1)
        if len(current) + 1 + len(line) > SECTION_TEXT:
            texts.append(current)
            current = title + " (continued)"
        current += "\n" + line
    texts.append(current)
    return texts


def digest_messages(digest: TeamDigest) -> Messages:
    """The main message and its thread; a quiet period is one line and no thread."""
    text = f"{digest.team.capitalize()} digest, {digest.period.label()}: {digest.total} mentions"
    if digest.quiet:
        line = (
            f":zzz: *{escape(digest.team.capitalize())}*, {escape(digest.period.label())}: "
            f"nothing new ({digest.previous_total:,} the period before)."
            + (f" {digest.unsure} may be yours: `/silta triage`." if digest.unsure else "")
        )
        return Messages(text=text, main=[_section(line).to_dict()], thread=[])
    shown, rest = digest.stories[:MAIN_STORIES], digest.stories[MAIN_STORIES:]
    details: list[dict[str, Any]] = []
    if rest:
        details += _dicts([_section("*More from this period*")])
        for story in rest:
            details += [*story_blocks(story, digest.teams), DividerBlock().to_dict()]
    if digest.acknowledged:
        details += _acknowledged_sections(digest)
    main = _dicts(_summary(digest))
    for story in shown:
        main += [DividerBlock().to_dict(), *story_blocks(story, digest.teams)]
    main.append(_footer(digest, bool(details)).to_dict())
    return Messages(text=text, main=main[:MAX_BLOCKS], thread=chunks(details))


def digest_blocks(digest: TeamDigest) -> list[dict[str, Any]]:
    """The main message alone, as the channel will see it."""
    return digest_messages(digest).main


def preview_blocks(digest: TeamDigest) -> list[dict[str, Any]]:
    """`/silta digest <team>`: the next digest so far, marked as a private preview."""
    note = _context(
        f":eyes: Preview of the next digest for {escape(digest.channel)}, so far. "
        "Only you can see this."
    )
    return [note.to_dict(), *digest_blocks(digest)][:MAX_BLOCKS]


def figure_text(figure: Figure) -> str:
    """ "62% (▲ 3 pts vs 59%) · target 60% :white_check_mark:" for one report figure."""
    value = figure.show(figure.value)
    if figure.value is None:
        return f"*{figure.name}*\n{value}"
    against = (
        f" ({figure.delta_text()} vs {figure.show(figure.previous)})"
        if figure.previous is not None
        else " (no data the week before)"
    )
    target = ""
    if figure.target is not None:
        mark = ":white_check_mark:" if figure.met else ":warning:"
        target = f"\ntarget {figure.show(figure.target)} {mark}"
    return f"*{figure.name}*\n{value}{against}{target}"


def report_messages(report: WeeklyReport) -> Messages:
    """The weekly report: volume per team, then each measured figure against last week and
    its target; the chart goes in the thread as a file."""
    volume = [
        f"*{escape(team)}* {now:,} ({change_text(None if not before else (now - before) / before)})"
        for team, (now, before) in report.volume.items()
    ]
    fields = [MarkdownTextObject(text=_cut(figure_text(f), FIELD_TEXT)) for f in report.figures][
        :FIELDS
    ]
    trend = sentiment_trend(report.sentiment_daily)
    blocks: list[Block] = [
        _header(f"Weekly report: {report.period.label()}"),
        _section("*Mentions per team*\n" + (" · ".join(volume) or "no teams configured")),
        SectionBlock(fields=fields),
        _context(f"Net sentiment per day {trend} · the chart of mentions per team is below"),
    ]
    text = f"Weekly report, {report.period.label()}"
    return Messages(text=text, main=_dicts(blocks), thread=[])


def sentiment_trend(daily: Sequence[float | None]) -> str:
    """The week's net sentiment per day (-100 to +100) as bars from its lowest day to its
    highest, with both figures: the days differ by a few points, which bars drawn from -100
    would flatten into one height."""
    points = [None if v is None else round(v * 100) for v in daily]
    known = [p for p in points if p is not None]
    if not known:
        return "n/a (no mention's sentiment could be read)"
    low, high = min(known), max(known)
    return f"`{sparkline(points, floor=low)}` from {low:+d} to {high:+d}"
