"""`silta classify`, `eval`, `label`, `train` and `reclassify` as a person types them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import db
from bot.cli import cli
from bot.store import classifications, mentions, sources
from bot.store.mentions import NewMention

SMALL = Path(__file__).resolve().parents[1] / "classify" / "fixtures" / "small_eval.jsonl"


@pytest.fixture
def env(tmp_path):
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'silta.db'}",
        "SILTA_CONFIG": str(tmp_path / "silta.toml"),
    }


def run(env, *args, input=None):
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)


@pytest.fixture
def stored(env):
    """A migrated database with three mentions; returns their ids."""
    engine = db.make_engine(env["DATABASE_URL"])
    db.upgrade(engine)
    with db.session_scope(db.make_session_factory(engine)) as session:
        source = sources.get_or_create("hn", "hackernews", session=session)
        now = datetime(2026, 11, 20, 12, tzinfo=UTC)
        ids = mentions.insert_many(
            [
                NewMention("1", "The Acme Aurora lamp glows purple at night", now),
                NewMention("2", "Acme Aurora lamp glowing purple again", now),
                NewMention("3", "my aurora lamp from acme glows purple", now),
            ],
            source_id=source.id,
            session=session,
        )
    engine.dispose()
    return ids


def test_classify_prints_json_without_a_workspace_or_a_database(env, tmp_path):
    result = run(env, "classify", "Acme charged me twice, I want a refund")
    shown = json.loads(result.output)
    assert shown["category"] == "support_issue"
    assert shown["model_version"].startswith("seed-")
    assert {"confidence", "scores", "sentiment", "urgency", "reasons"} <= set(shown)
    assert not (tmp_path / "silta.db").exists()


def test_classify_reads_jsonl_on_stdin(env):
    lines = [
        json.dumps({"text": "Please add a dark mode"}),
        "",
        json.dumps({"text": "We're hiring a data engineer", "title": "Jobs"}),
    ]
    result = run(env, "classify", input="\n".join(lines) + "\n")
    shown = [json.loads(line) for line in result.output.splitlines()]
    assert [s["category"] for s in shown] == ["product_feedback", "hiring_signal"]


def test_stdin_lines_carry_their_evidence_when_asked(env):
    line = json.dumps({"text": "The app crashes every time I open a photo"}) + "\n"
    plain = json.loads(run(env, "classify", input=line).output)
    explained = json.loads(run(env, "classify", "--explain", input=line).output)
    assert plain["category"] == explained["category"] == "support_issue"
    assert plain["evidence"] == []
    assert "reports something broken" in explained["evidence"]


def test_classify_names_a_bad_stdin_line(env):
    result = CliRunner().invoke(cli, ["classify"], env=env, input='{"text": "ok"}\n{oops\n')
    assert result.exit_code == 1
    assert "stdin line 2: not JSON" in result.output
    assert "Traceback" not in result.output


def test_eval_json_has_macro_f1_and_per_class(env):
    shown = json.loads(run(env, "eval", "--data", str(SMALL), "--json").output)
    assert shown["macro_f1"] >= 0.8
    assert set(shown["per_class"]) >= {"support_issue", "noise"}
    assert shown["confusion_labels"]


def test_eval_says_where_mentions_go_at_the_workspaces_threshold(env):
    table = run(env, "eval", "--data", str(SMALL)).output
    assert "classifier.threshold 0.45" in table
    for outcome in ("right team", "wrong team", "silently dropped", "left to triage"):
        assert outcome in table
    Path(env["SILTA_CONFIG"]).write_text(
        '[company]\nname = "Acme"\nterms = ["Acme"]\n[classifier]\nthreshold = 0.99\n',
        encoding="utf-8",
    )
    strict = json.loads(run(env, "eval", "--data", str(SMALL), "--json").output)["routing"]
    assert strict["threshold"] == 0.99
    assert strict["triage"] > 0.5


def test_eval_scores_each_language_of_a_multilingual_file(env, tmp_path):
    path = tmp_path / "two.jsonl"
    rows = [
        ("en", "The app crashes every time I open it", "support_issue"),
        ("en", "Happy birthday mum, love you", "noise"),
        ("de", "Die App stürzt jedes Mal ab, wenn ich sie öffne", "support_issue"),
        ("de", "Alles Gute zum Geburtstag, Mama!", "noise"),
    ]
    path.write_text(
        "".join(json.dumps({"lang": g, "text": t, "label": c}) + "\n" for g, t, c in rows),
        encoding="utf-8",
    )
    shown = json.loads(run(env, "eval", "--data", str(path), "--json").output)
    assert set(shown["by_language"]) == {"en", "de"}
    assert "macro-F1 by language: de" in run(env, "eval", "--data", str(path)).output


def test_eval_prints_a_table_and_the_learning_curve(env):
    table = run(env, "eval", "--data", str(SMALL)).output
    assert "macro-F1" in table and "confusion" in table
    learned = json.loads(
        run(env, "eval", "--data", str(SMALL), "--learn", "5", "--seed", "2", "--json").output
    )
    assert (learned["learned"], learned["seed"], learned["tested"]) == (5, 2, 15)


def test_label_suggests_the_closest_category(env, stored):
    result = CliRunner().invoke(cli, ["label", str(stored[0]), "suport"], env=env)
    assert result.exit_code == 1
    assert 'did you mean "support_issue"?' in result.output


def test_label_names_an_unknown_mention(env, stored):
    result = CliRunner().invoke(cli, ["label", "999", "noise"], env=env)
    assert result.exit_code == 1
    assert "no mention has id 999" in result.output


def test_label_then_train_changes_the_answer_and_the_version(env, stored):
    text = "Acme Aurora lamp glows purple after midnight"
    before = json.loads(run(env, "classify", text).output)
    wanted = "support_issue" if before["category"] != "support_issue" else "product_feedback"
    for mention_id in stored:
        said = run(env, "label", str(mention_id), wanted, "--user", "ana").output
        assert f"Mention {mention_id} is now {wanted}" in said

    assert "Trained v1-" in run(env, "train").output
    after = json.loads(run(env, "classify", text).output)
    assert after["category"] == wanted
    assert after["model_version"].startswith("v1-")
    assert "Nothing new to learn" in run(env, "train").output


def test_reclassify_applies_the_current_model(env, stored):
    result = run(env, "reclassify", "--since", "2026-11-01")
    assert "Reclassified 3 mention(s) with seed-" in result.output
    assert "Reclassified 0" in run(env, "reclassify", "--since", "2027-01-01").output


def test_reclassify_keeps_what_people_said(env, stored):
    """A person's correction outlives a new model: reclassifying records the model's opinion
    in the history but leaves the mention where the person put it."""
    run(env, "label", str(stored[0]), "hiring_signal", "--user", "ana")
    run(env, "reclassify")
    engine = db.make_engine(env["DATABASE_URL"])
    with db.make_session_factory(engine)() as session:
        labelled, other = (mentions.get(i, session=session) for i in stored[:2])
        assert (labelled.category, labelled.confidence) == ("hiring_signal", 1.0)
        assert other.category != "hiring_signal"
        assert len(classifications.get_all(stored[0], session=session)) == 1
    engine.dispose()
