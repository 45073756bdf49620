"""The sandbox in a real (headless) browser: Block Kit rendered, hostile text kept as text, and
what the person types and clicks sent to the bot."""

from __future__ import annotations

import struct
import zlib

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from tests.browser import console_errors, eventually

pytestmark = pytest.mark.slow

OPTION = {"text": {"type": "plain_text", "text": "Sales"}, "value": "sales"}
BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "Urgent mention :rotating_light:"}},
    {
        "type": "section",
        "block_id": "summary",
        "text": {"type": "mrkdwn", "text": "*Refund* request from <https://x.example/p/1|a post>"},
        "fields": [
            {"type": "mrkdwn", "text": "*Team*\nsupport"},
            {"type": "mrkdwn", "text": "*Confidence*\n92%"},
        ],
        "accessory": {
            "type": "button",
            "action_id": "open",
            "text": {"type": "plain_text", "text": "Open"},
            "value": "open-1",
        },
    },
    {
        "type": "context",
        "elements": [
            {"type": "image", "image_url": "http://127.0.0.1:1/i.png", "alt_text": "source"},
            {"type": "mrkdwn", "text": "Seen on _Hacker News_ by <@U0ALICE>"},
        ],
    },
    {"type": "divider"},
    {
        "type": "actions",
        "block_id": "triage",
        "elements": [
            {
                "type": "button",
                "action_id": "ack",
                "style": "primary",
                "text": {"type": "plain_text", "text": "Acknowledge"},
                "value": "42",
            },
            {
                "type": "button",
                "action_id": "not_urgent",
                "style": "danger",
                "text": {"type": "plain_text", "text": "Not urgent"},
                "value": "42",
            },
            {
                "type": "static_select",
                "action_id": "move",
                "placeholder": {"type": "plain_text", "text": "Move to…"},
                "option_groups": [
                    {"label": {"type": "plain_text", "text": "Teams"}, "options": [OPTION]}
                ],
            },
            {
                "type": "overflow",
                "action_id": "more",
                "options": [{"text": {"type": "plain_text", "text": "Mute"}, "value": "mute"}],
            },
        ],
    },
]


def png() -> bytes:
    """A 2×2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def web(sandbox) -> WebClient:
    return WebClient(token=sandbox.token, base_url=sandbox.api_url)


def css(driver, selector: str) -> list:
    return driver.find_elements("css selector", selector)


def text_of(driver, selector: str = "#messages") -> str:
    return driver.find_element("css selector", selector).text


def press(driver, selector: str) -> None:
    """Click the first match, again if a re-render replaced it meanwhile."""
    eventually(lambda: css(driver, selector)[0].click() or True)


def open_page(driver, sandbox, channel: str = "C0GENERAL") -> None:
    driver.get(sandbox.url)
    driver.execute_script(
        "localStorage.clear(); localStorage.setItem('sandbox.selected', arguments[0])", channel
    )
    driver.get(sandbox.url)
    eventually(lambda: css(driver, "#channels .entry"))


def test_hostile_text_is_shown_as_text_and_pings_no_one(sandbox, browser):
    hostile = (
        '<script>window.hacked = 1</script> &lt;img src=x onerror="window.hacked=2"&gt; '
        "<!channel> <!here> <javascript:window.hacked=3|click me> <https://ok.example/a|fine>"
    )
    web(sandbox).chat_postMessage(channel="C0GENERAL", text=hostile)
    section = {"type": "section", "text": {"type": "mrkdwn", "text": hostile}}
    plain = {"type": "header", "text": {"type": "plain_text", "text": "<b>not bold</b>"}}
    web(sandbox).chat_postMessage(channel="C0GENERAL", text="x", blocks=[plain, section])
    open_page(browser, sandbox)
    shown = eventually(lambda: "@channel" in text_of(browser) and text_of(browser))
    assert browser.execute_script("return window.hacked === undefined")
    assert not css(browser, "#messages script, #messages img[src='x'], #messages b b")
    assert '<img src=x onerror="window.hacked=2">' in shown
    assert "@here" in shown and "<b>not bold</b>" in shown
    assert "<script>" in shown
    links = [a.get_attribute("href") for a in css(browser, "#messages a")]
    assert links and all(link == "https://ok.example/a" for link in links)
    assert not css(browser, "#messages .mention")  # broadcasts are plain words
    (first, *_) = css(browser, "#messages a")
    assert first.get_attribute("title") == "https://ok.example/a"
    assert console_errors(browser) == []


def test_block_kit_is_rendered(sandbox, browser):
    sandbox.add_user("U0ALICE", name="alice")
    web(sandbox).chat_postMessage(channel="C0GENERAL", text="Urgent", blocks=BLOCKS)
    open_page(browser, sandbox)
    eventually(lambda: css(browser, ".block.header"))
    assert text_of(browser, ".block.header") == "Urgent mention 🚨"
    assert css(browser, ".section-text b")[0].text == "Refund"
    assert [f.text for f in css(browser, ".fields .field")] == ["Team\nsupport", "Confidence\n92%"]
    assert text_of(browser, ".accessory .btn") == "Open"
    assert "Seen on Hacker News by @alice" in text_of(browser, ".block.context")
    assert css(browser, ".block.context i")[0].text == "Hacker News"
    assert css(browser, "hr.block.divider")
    primary, danger = css(browser, ".block.actions .btn")
    assert "primary" in primary.get_attribute("class") and "danger" in danger.get_attribute("class")
    select = css(browser, ".block.actions select.select:not(.overflow)")[0]
    assert [o.text for o in select.find_elements("css selector", "optgroup option")] == ["Sales"]
    assert css(browser, "select.overflow option")[1].text == "Mute"


def test_clicks_and_menu_choices_go_to_the_bot_and_its_answer_replaces_the_message(
    sandbox, bot, browser
):
    from selenium.webdriver.support.ui import Select

    posted = web(sandbox).chat_postMessage(channel="C0GENERAL", text="Urgent", blocks=BLOCKS)
    open_page(browser, sandbox)
    press(browser, ".block.actions .btn.primary")
    (click,) = bot.wait()
    payload = click.payload
    assert click.valid and payload["actions"][0]["action_id"] == "ack"
    assert payload["container"]["message_ts"] == posted["ts"]
    Select(css(browser, ".block.actions select.select:not(.overflow)")[0]).select_by_value("sales")
    choice = bot.wait(2)[1].payload["actions"][0]
    assert (choice["action_id"], choice["selected_option"]["value"]) == ("move", "sales")

    WebhookClient(payload["response_url"]).send(text="Acknowledged by you", replace_original=True)
    eventually(lambda: "Acknowledged by you" in text_of(browser), timeout=2)
    assert not css(browser, ".block.actions")


def test_a_slash_command_typed_in_the_box_reaches_the_bot_and_the_answer_is_only_for_you(
    sandbox, bot, browser
):
    open_page(browser, sandbox, "C0SUPPORT")
    box = eventually(lambda: css(browser, "#input"))[0]
    box.send_keys("/silta search refund\n")
    (arrival,) = bot.wait()
    assert arrival.valid
    assert (arrival.form["text"], arrival.form["channel_id"]) == ("search refund", "C0SUPPORT")
    WebhookClient(arrival.form["response_url"]).send(text="3 mentions match *refund*")
    eventually(lambda: "3 mentions match refund" in text_of(browser), timeout=2)
    assert "Only visible to you" in text_of(browser, ".message.ephemeral")

    box.send_keys("plain words\n")
    eventually(lambda: [m["text"] for m in sandbox.messages("C0SUPPORT")] == ["plain words"])


def test_a_failing_bot_shows_a_notice(sandbox, bot, browser):
    bot.reply = lambda arrival: (500, b"", 0)
    open_page(browser, sandbox)
    eventually(lambda: css(browser, "#input"))[0].send_keys("/silta help\n")
    eventually(lambda: 'failed with the error "http_service_error"' in text_of(browser, ".notice"))


def test_new_messages_appear_threads_expand_and_other_channels_count_unread(sandbox, browser):
    open_page(browser, sandbox)
    parent = web(sandbox).chat_postMessage(channel="C0GENERAL", text="digest of the week")
    eventually(lambda: "digest of the week" in text_of(browser), timeout=2)
    web(sandbox).chat_postMessage(channel="C0GENERAL", text="part two", thread_ts=parent["ts"])
    eventually(lambda: [t for t in css(browser, ".replies-toggle") if t.text == "1 reply"])
    assert "part two" not in text_of(browser)
    press(browser, ".thread:not(.no-replies) .replies-toggle")
    eventually(lambda: "part two" in text_of(browser, ".replies"))

    web(sandbox).chat_postMessage(channel="C0SUPPORT", text="one")
    web(sandbox).chat_postMessage(channel="C0SUPPORT", text="two")
    support = '#channels .entry[data-id="C0SUPPORT"] .unread'
    eventually(lambda: css(browser, support) and text_of(browser, support) == "2", timeout=2)
    press(browser, '#channels .entry[data-id="C0SUPPORT"]')
    eventually(lambda: "two" in text_of(browser))
    assert not css(browser, support)


def test_dms_uploaded_images_and_app_home(sandbox, bot, browser):
    client = web(sandbox)
    dm = client.conversations_open(users=sandbox.user)["channel"]["id"]
    client.chat_postMessage(channel=dm, text="An urgent mention for you")
    client.files_upload_v2(channel=dm, content=png(), filename="chart.png", title="Weekly chart")
    client.conversations_open(users="U0BOB")
    open_page(browser, sandbox, dm)
    assert eventually(lambda: text_of(browser, "#dms")) == "Silta"
    image = eventually(lambda: css(browser, "#messages img.file-image"))[0]
    eventually(lambda: browser.execute_script("return arguments[0].naturalWidth", image) == 2)
    assert "Weekly chart" in text_of(browser)

    client.views_publish(user_id=sandbox.user, view={"type": "home", "blocks": BLOCKS[:2]})
    press(browser, "#apps .entry")
    (opened,) = bot.wait()
    assert opened.payload["event"]["type"] == "app_home_opened"
    eventually(lambda: "Urgent mention" in text_of(browser, ".home"))
    press(browser, ".home .accessory .btn")
    click = bot.wait(2)[1].payload
    assert click["container"]["type"] == "view" and click["actions"][0]["action_id"] == "open"


def test_posts_elsewhere_leave_the_open_conversation_as_it_is(sandbox, browser):
    web(sandbox).chat_postMessage(channel="C0GENERAL", text="Urgent", blocks=BLOCKS)
    open_page(browser, sandbox)
    menu = eventually(lambda: css(browser, ".block.actions select.select:not(.overflow)"))[0]
    web(sandbox).chat_postMessage(channel="C0SUPPORT", text="elsewhere")
    support = '#channels .entry[data-id="C0SUPPORT"] .unread'
    eventually(lambda: css(browser, support) and text_of(browser, support) == "1", timeout=2)
    assert menu.is_displayed()  # the same element: not redrawn, so not stale


MRKDWN = [
    ("*bold* _it_ ~gone~", "<b>bold</b> <i>it</i> <s>gone</s>"),
    ("a*b*c snake_case_name", "a*b*c snake_case_name"),
    (
        "`<b>x</b>` and ```*not bold*```",
        "<code>&lt;b&gt;x&lt;/b&gt;</code> and <pre>*not bold*</pre>",
    ),
    ("&lt;script&gt; &amp;amp;", "&lt;script&gt; &amp;amp;"),
    ("<script>", "&lt;script&gt;"),
    ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
    (
        "<!channel> <!here|here>",
        '<span class="broadcast">@channel</span> <span class="broadcast">@here</span>',
    ),
    (
        "<@U0ALICE> <#C0SUPPORT|support>",
        '<span class="mention">@alice</span> <span class="mention">#support</span>',
    ),
    ("<javascript:alert(1)|x>", "&lt;javascript:alert(1)|x&gt;"),
    (
        '<https://a.example/?q="1"&amp;r=2|say "hi">',
        '<a href="https://a.example/?q=%221%22&amp;r=2" title="https://a.example/?q=%221%22&amp;r=2"'
        ' target="_blank" rel="noopener noreferrer nofollow">say &quot;hi&quot;</a>',
    ),
    ("&gt; quoted\nnext", "<blockquote>quoted</blockquote>next"),
    ("line\u0001 0\u0001", "line 0"),
]


def test_mrkdwn_renders_formatting_and_keeps_hostile_text_as_text(sandbox, browser):
    sandbox.add_user("U0ALICE", name="alice")
    open_page(browser, sandbox)
    ctx = {"names": {"U0ALICE": "alice"}, "channelNames": {}}
    rendered = browser.execute_script(
        "return arguments[0].map((text) => SiltaMrkdwn.render(text, arguments[1]))",
        [text for text, _ in MRKDWN],
        ctx,
    )
    assert list(zip([t for t, _ in MRKDWN], rendered, strict=True)) == MRKDWN
