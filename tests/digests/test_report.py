"""The weekly report: each figure against the week before and its target, and the chart
uploaded through Slack's files upload flow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.models import Alert, Label
from bot.slack_client import Retry, make_client
from digests.deliver import Deliverer, plan_for
from digests.periods import Period
from digests.render import figure_text, report_messages, sentiment_trend
from digests.report import build_report, chart_png, day_edges
from tests.builders import FOUR_TEAMS, add, workspace

WEEK = Period(datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
NOW, BEFORE = WEEK.start + timedelta(days=2), WEEK.start - timedelta(days=2)


def alert(session, mention, sent, minutes):
    session.add(
        Alert(
            mention_id=mention.id,
            user_id="U0ALICE",
            status="sent",
            sent_at=sent,
            acknowledged_by="U0ALICE" if minutes is not None else None,
            acknowledged_at=sent + timedelta(minutes=minutes) if minutes is not None else None,
        )
    )


def seed(session):
    # This week: 4 leads, 2 support issues (urgent; acknowledged after 30 and 50 min), a
    # Globex comparison, 1 of 8 mentions moved by a person.
    leads = [
        add(session, f"Any tool like Acme for invoices? {i}", NOW, category="sales_lead")
        for i in range(4)
    ]
    first = add(session, "Acme is down for our whole team", NOW, urgency=0.9, sentiment=-0.8)
    second = add(session, "Acme lost my order", NOW, urgency=0.8, sentiment=-0.4)
    add(session, "Acme or Globex, which one?", NOW, category="noise", sentiment=0.5)
    add(session, "Globex is better than Acme", NOW, category="noise", sentiment=0.2)
    alert(session, first, NOW, 30)
    alert(session, second, NOW, 50)
    session.add(
        Label(
            mention_id=leads[0].id,
            category="noise",
            previous_category="sales_lead",
            user_id="U0BOB",
            origin="slack",
        )
    )
    # The week before: 1 lead, 1 urgent issue acknowledged after 120 min, nothing moved.
    add(session, "Acme pricing for 50 seats?", BEFORE, category="sales_lead", sentiment=0.3)
    old = add(session, "Acme API returns 500", BEFORE, urgency=0.95, sentiment=-0.6)
    alert(session, old, BEFORE, 120)
    session.flush()


def test_figures_against_last_week_and_targets(sessions):
    with sessions.begin() as session:
        seed(session)
        report = build_report("marketing", WEEK, workspace=workspace(FOUR_TEAMS), session=session)
    assert report.volume["sales"] == (4, 1)
    assert report.volume["support"] == (2, 1)
    assert report.volume["marketing"] == (2, 0)
    leads = report.figure("Leads surfaced")
    assert (leads.value, leads.previous, leads.target, leads.met) == (4, 1, 3, True)
    ack = report.figure("Median time to acknowledge")
    assert (ack.value, ack.previous, ack.met) == (40, 120, True)
    assert figure_text(ack) == (
        "*Median time to acknowledge*\n40 min (▼ 80 vs 120 min)\ntarget 60 min :white_check_mark:"
    )
    alerts = report.figure("Urgent alerts")
    assert (alerts.value, alerts.previous) == (2, 1)
    corrections = report.figure("Correction rate")
    assert corrections.value == 1 / 8 and corrections.previous == 0
    assert corrections.met is False  # target 10%
    share = report.figure("Share of voice")
    # 8 mentions name Acme, 2 name Globex: 8 / 10.
    assert share.value == 0.8 and share.met is True
    net = report.figure("Net sentiment")  # mean sentiment × 100: (-0.8-0.4+0.5+0.2) / 8
    assert (net.value, net.previous) == (pytest.approx(-6.25), pytest.approx(-15))


def test_report_message_and_chart(sessions):
    with sessions.begin() as session:
        seed(session)
        report = build_report("marketing", WEEK, workspace=workspace(FOUR_TEAMS), session=session)
    assert len(report.days) == 7
    assert report.per_team_daily["sales"][2] == 4
    messages = report_messages(report)
    text = str(messages.main)
    assert "Weekly report" in text and "Leads surfaced" in text and "*sales* 4 (▲ 300%)" in text
    # Every mention is on the Wednesday: the other days have no sentiment to show.
    assert "Net sentiment per day `  ▁    ` from -6 to -6" in text
    png = chart_png(report)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_the_sentiment_trend_spans_the_weeks_own_range_and_names_it():
    """Days a few points apart still differ in height; bars from -100 would all look alike."""
    assert sentiment_trend([0.05, None, -0.1, 0.12]) == "`▆ ▁█` from -10 to +12"
    assert sentiment_trend([None, None]) == "n/a (no mention's sentiment could be read)"


def test_days_follow_the_team_clock_across_dst():
    period = Period(
        datetime(2026, 10, 19, 6, tzinfo=UTC),
        datetime(2026, 10, 26, 7, tzinfo=UTC),
        "Europe/Helsinki",
    )
    edges = day_edges(period)
    assert len(edges) == 7
    assert edges[0] == datetime(2026, 10, 19, 21, tzinfo=UTC)  # midnight EEST
    assert edges[-1] == datetime(2026, 10, 25, 22, tzinfo=UTC)  # midnight EET


def test_the_weekly_report_is_posted_with_its_chart_uploaded_in_the_thread(sessions, slack):
    with sessions.begin() as session:
        seed(session)
    ws = workspace(FOUR_TEAMS)
    settings = Settings(slack_bot_token=slack.token, slack_api_url=slack.api_url)
    worker = Deliverer(
        ws,
        sessions=sessions,
        client=make_client(settings, retry=Retry.POST_ONCE, timeout=5, max_retries=3),
        holder="w",
        clock=lambda: WEEK.end + timedelta(hours=9, minutes=1),
    )
    (outcome,) = worker.run(plan_for(ws, "marketing", "report"))
    assert outcome.status == "sent" and outcome.period.start == WEEK.start
    (url,) = slack.calls_to("files.getUploadURLExternal")
    (upload,) = slack.calls_to("upload")
    (complete,) = slack.calls_to("files.completeUploadExternal")
    assert int(url.params["length"]) == upload.params["size"]
    assert complete.params["channel_id"] == "C0MARKETING"
    assert complete.params["thread_ts"] == outcome.message_ts
    (stored,) = slack.files.values()
    assert stored["content"].startswith(b"\x89PNG")
    assert worker.run(plan_for(ws, "marketing", "report")) == []
    assert len(slack.calls_to("files.completeUploadExternal")) == 1
