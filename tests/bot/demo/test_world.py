"""The demo world: a valid workspace, every source kind, sane proportions, a week with a backlog."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest

from bot.config import Workspace
from bot.demo import world
from bot.demo.posts import WorldMention
from bot.ingest.match import BrandMatcher
from bot.sources import KINDS
from bot.taxonomy import CATEGORIES

URL = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def mentions() -> list[WorldMention]:
    return world.load_mentions()


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return world.workspace(URL)


def test_the_template_renders_a_valid_workspace(workspace):
    assert isinstance(workspace, Workspace)
    assert "{{" not in world.workspace_toml(URL)
    assert workspace.company.name == world.company_name() == "Brightwell"


def test_every_polled_source_reads_the_feed_server(workspace):
    kinds = {s.kind for s in workspace.sources}
    assert kinds == set(world.KINDS)
    assert kinds <= {kind.name for kind in KINDS} - {"import"}
    for source in workspace.sources:
        assert source.name == world.SOURCES[source.kind]
        if source.kind != "webhook":
            assert source.base_url == URL
            assert source.enabled and source.interval <= timedelta(minutes=30)


def test_teams_channels_and_schedules(workspace):
    assert world.channels() == {
        "support": "support",
        "product": "product",
        "people": "people",
        "sales": "sales",
        "marketing": "marketing",
    }
    routed = {c for team in workspace.teams.values() for c in team.categories}
    assert routed == set(CATEGORIES) - {"noise"}
    assert workspace.teams["marketing"].report
    assert workspace.alerts.quiet_hours is None


def test_every_kind_has_mentions_in_its_own_source(mentions):
    per_kind = Counter(m.kind for m in mentions)
    assert set(per_kind) == set(world.KINDS)
    assert all(count >= 10 for count in per_kind.values()), per_kind
    assert all(m.source == world.SOURCES[m.kind] for m in mentions)


def test_several_hundred_mentions_in_sane_proportions(mentions):
    assert 300 <= len(mentions) <= 450
    share = {c: n / len(mentions) for c, n in Counter(m.category for m in mentions).items()}
    assert set(share) == set(CATEGORIES)
    assert share["noise"] >= 0.2
    assert all(0.05 <= s <= 0.4 for s in share.values()), share


def test_ids_are_unique_and_grow_with_time_where_apis_page_by_id(mentions):
    assert len({(m.source, m.id) for m in mentions}) == len(mentions)
    for kind in ("hackernews", "mastodon", "stackexchange", "x"):
        ours = [m for m in mentions if m.kind == kind]
        assert [int(m.id) for m in ours] == sorted(int(m.id) for m in ours)
        assert [m.offset for m in ours] == sorted(m.offset for m in ours)


def test_offsets_spread_over_the_week_with_a_backlog(mentions):
    backlog = [m for m in mentions if m.offset < timedelta(0)]
    assert 30 <= len(backlog) <= 60
    assert all(m.offset >= timedelta(days=-2) for m in mentions)
    assert all(m.offset < timedelta(days=7) for m in mentions)
    days = Counter(m.offset.days for m in mentions if m.offset >= timedelta(0))
    assert set(days) == set(range(7))
    assert max(days.values()) < 0.3 * len(mentions)


def test_nearly_every_mention_names_the_company(mentions, workspace):
    matcher = BrandMatcher.for_company(workspace.company)
    unmatched = [m for m in mentions if not matcher.matches(m.title, m.text)]
    assert all(m.category == "noise" for m in unmatched)
    assert len(unmatched) <= 8


def test_the_world_shows_what_silta_must_handle(mentions):
    texts = [f"{m.title or ''} {m.text}" for m in mentions]
    assert sum(m.language != "en" for m in mentions) >= 15
    stories = Counter(m.story for m in mentions if m.story)
    assert sum(1 for s, n in stories.items() if n >= 2) >= 5
    assert any("<!channel>" in t for t in texts)
    assert any("<script>" in t for t in texts)
    assert any(re.search(r"<https?://[^|>]+\|", t) for t in texts)
    assert any(re.search(r"\]\(https?://", t) for t in texts)
    rivals = [t for t in texts if re.search(r"Rotaro|Timecrate", t)]
    assert sum(bool(re.search(r"alternative|switching from|\bvs\b", t, re.I)) for t in rivals) >= 5
    loud = [m for m in mentions if m.category == "support_issue" and (m.reach or 0) >= 5000]
    assert len(loud) >= 5


def test_urls_are_fictional_or_what_the_connectors_build(mentions):
    connector_hosts = {"news.ycombinator.com", "www.reddit.com", "bsky.app", "www.youtube.com"}
    for m in mentions:
        host = re.match(r"^https://([^/]+)/", m.url)
        assert host, m.url
        assert host.group(1).endswith(".example") or host.group(1) in connector_hosts | {"x.com"}, (
            m.url
        )


def test_offsets_are_read_as_days_and_times():
    assert world.parse_at("day 2 14:05") == timedelta(days=2, hours=14, minutes=5)
    assert world.parse_at("day -1 22:30") == -timedelta(hours=1, minutes=30)
    assert world.parse_at(90) == timedelta(minutes=90)
    with pytest.raises(ValueError):
        world.parse_at("tuesday")
