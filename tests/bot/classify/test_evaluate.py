"""`silta eval`'s numbers: per class, macro over the labels present, and the learning curve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.classify import evaluate
from bot.classify.service import MentionClassifier
from bot.errors import CommandError
from tests.conftest import shared_path

SMALL = Path(__file__).with_name("fixtures") / "small_eval.jsonl"


def test_a_report_has_macro_f1_per_class_scores_and_a_confusion_matrix():
    report = evaluate.measure(MentionClassifier.offline(), evaluate.read(SMALL), data="small")
    assert report.tested == 20
    assert set(report.per_class) == {
        "support_issue",
        "product_feedback",
        "hiring_signal",
        "sales_lead",
        "noise",
    }
    assert report.macro_f1 >= 0.8
    assert sum(map(sum, report.confusion)) == 20
    assert report.as_dict()["per_class"]["noise"]["support"] == 4


def test_macro_f1_averages_only_the_labels_present(tmp_path):
    two = tmp_path / "two.jsonl"
    two.write_text(
        '{"text": "Please add a dark mode", "label": "product_feedback"}\n'
        '{"text": "Happy birthday mum!", "label": "noise"}\n',
        encoding="utf-8",
    )
    report = evaluate.measure(MentionClassifier.offline(), evaluate.read(two))
    assert set(report.per_class) == {"product_feedback", "noise"}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "bad.jsonl:2: not JSON"),
        ('{"label": "noise"}', 'bad.jsonl:2: needs a "text" string'),
        ('{"text": "hi", "label": "suport"}', "bad.jsonl:2: label 'suport' is not one of"),
    ],
)
def test_a_bad_line_is_named_by_its_number(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok", "label": "noise"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(problem)):
        evaluate.read(path)


def test_learning_trains_on_n_rows_and_tests_on_the_rest():
    rows = evaluate.read(SMALL)
    report = evaluate.learn(rows, 8, seed=3)
    assert (report.learned, report.seed, report.tested) == (8, 3, 12)
    assert report.model_version == "learn-8-seed-3"
    assert evaluate.learn(rows, 8, seed=3).as_dict() == report.as_dict()


def test_learning_needs_rows_left_to_test_on():
    with pytest.raises(CommandError, match="fewer corrections"):
        evaluate.learn(evaluate.read(SMALL), 20, seed=0)


def test_the_published_out_of_the_box_floors_hold():
    """The figures in the README; the shared eval data is only on machines that have it."""
    public = evaluate.read(shared_path("eval", "public_dev.jsonl"))
    report = evaluate.measure(MentionClassifier.offline(), public)
    assert report.macro_f1 >= 0.80
