import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update

from bot.errors import CommandError
from bot.ingest.exporter import export
from bot.ingest.importer import Importer, detect_format
from bot.models import Mention, Source
from bot.store import mentions, sources
from bot.store.mentions import NewMention
from tests.builders import WATCHED, workspace

AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def seed(sessions):
    with sessions.begin() as session:
        hn = sources.get_or_create("hn", "hackernews", session=session)
        blog = sources.get_or_create("blog", "rss", session=session)
        ids = mentions.insert_many(
            [
                NewMention(
                    "1",
                    "Acme refund & AT&amp;T\nsecond line",
                    AT,
                    url="https://news.ycombinator.com/item?id=1",
                    author="pg",
                    author_name="Paul",
                    reach=10,
                    title="Ask HN: Acme?",
                    language="en",
                    parent_url="https://news.ycombinator.com/item?id=0",
                    engagement=5,
                    extra={"tags": ["ü"]},
                ),
                NewMention("2", '=HYPERLINK("https://evil") Acme', AT),
            ],
            source_id=hn.id,
            session=session,
        )
        mentions.insert_many(
            [NewMention("p", "'quoted Acme", AT, title="-dash")], source_id=blog.id, session=session
        )
        session.execute(
            update(Mention)
            .where(Mention.id == ids[0])
            .values(
                category="support_issue",
                confidence=0.8,
                sentiment=-0.4,
                urgency=0.9,
                classified_at=AT,
            )
        )


def dump(sessions, fmt="jsonl", **kw):
    out = io.StringIO()
    with sessions() as session:
        export(out, fmt=fmt, session=session, **kw)
    return out.getvalue()


def wipe(sessions):
    with sessions.begin() as session:
        session.execute(delete(Mention))
        session.execute(delete(Source))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_round_trip_loses_nothing(sessions, tmp_path, fmt):
    seed(sessions)
    before = dump(sessions, fmt)
    path = tmp_path / f"mentions.{fmt}"
    path.write_text(before, encoding="utf-8")
    wipe(sessions)
    summary = Importer(workspace(WATCHED), sessions=sessions).run(path)
    assert (summary.lines, summary.new, summary.invalid, summary.restored) == (3, 3, [], 1)
    assert dump(sessions, fmt) == before


def test_jsonl_lines_have_the_documented_fields(sessions):
    seed(sessions)
    first = json.loads(dump(sessions).splitlines()[0])
    assert first["source"] == "hn" and first["kind"] == "hackernews"
    assert first["published_at"] == "2026-11-20T12:00:00Z"
    assert first["category"] == "support_issue"
    for key in ("external_id", "url", "author", "title", "text"):
        assert key in first


def test_csv_cells_that_look_like_formulas_are_defused(sessions):
    seed(sessions)
    text = dump(sessions, "csv")
    assert "'=HYPERLINK" in text
    assert ",'-dash," in text
    assert "''quoted Acme" in text


def test_export_filters_by_source_and_date(sessions):
    seed(sessions)
    assert len(dump(sessions, source="blog").splitlines()) == 1
    assert dump(sessions, since=datetime(2027, 1, 1, tzinfo=UTC)) == ""


def test_minimal_lines_are_enough_and_a_second_import_adds_nothing(sessions, tmp_path):
    path = tmp_path / "brand24.jsonl"
    path.write_text(
        '{"text": "Acme is down"}\n\n{"content": "Acme <3", "date": "2026-11-01", "link": "https://t.example/1"}\n',
        encoding="utf-8",
    )
    importer = Importer(workspace(WATCHED), sessions=sessions)
    first = importer.run(path)
    again = importer.run(path)
    assert (first.new, again.new, again.duplicate) == (2, 0, 2)
    with sessions() as session:
        stored = session.scalars(select(Mention).order_by(Mention.id)).all()
        assert {m.source.name for m in stored} == {"import"}
        assert stored[1].published_at == datetime(2026, 11, 1, tzinfo=UTC)
        assert stored[1].external_id.startswith("sha1:")


def test_bad_lines_are_named_and_the_rest_is_stored(sessions, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "Acme ok"}\n{"text": "Acme", "published_at": "yesterday"}\nnot json\n'
        '{"title": null}\n{"text": "Acme", "reach": "lots", "source": "Bad Name"}\n',
        encoding="utf-8",
    )
    summary = Importer(workspace(WATCHED), sessions=sessions).run(path)
    assert summary.new == 1
    assert summary.invalid[0].startswith('line 2: published_at: "yesterday" is not a time')
    assert summary.invalid[1].startswith("line 3: not valid JSON")
    assert (
        summary.invalid[2]
        == "line 4: text: missing; every record needs `text` (or at least a `title`)"
    )
    assert summary.invalid[3] == 'line 5: reach: "lots" is not a number'


def test_brand_matching_on_import_is_a_choice(sessions, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "text,url\nAcme rocks,https://a.example\nGlobex rocks,https://b.example\n", encoding="utf-8"
    )
    summary = Importer(
        workspace(WATCHED), sessions=sessions, match="brand", source="csv-import"
    ).run(path)
    assert (summary.new, summary.skipped) == (1, 1)


def test_an_unknown_suffix_asks_for_the_format(tmp_path):
    with pytest.raises(CommandError, match="--format jsonl"):
        detect_format(tmp_path / "dump.txt", None)


class Recorder:
    def __init__(self):
        self.ids = []

    def classify_stored(self, mention_ids, *, session):
        self.ids.extend(mention_ids)
        return len(mention_ids)


def test_imported_lines_are_classified_unless_they_carry_a_category(sessions, tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(
        '{"text": "Acme a"}\n{"text": "Acme b", "category": "noise"}\n', encoding="utf-8"
    )
    recorder = Recorder()
    Importer(workspace(WATCHED), sessions=sessions, classifier=recorder).run(path)
    with sessions() as session:
        (unlabelled,) = session.scalars(select(Mention.id).where(Mention.category.is_(None)))
    assert recorder.ids == [unlabelled]
