"""Models travel through the database as bytes: they must come back the same, and bad bytes
must fail with a sentence rather than run anything."""

from __future__ import annotations

import io

import numpy as np
import pytest

from bot.classify import model, train
from bot.errors import ClassifierError

TEXTS = ["Acme checkout is broken", "Please add dark mode", "Acme raises $5M", ""]


def test_a_model_survives_the_round_trip_to_bytes():
    shipped = train.seed_model()
    again = model.Model.from_bytes(shipped.to_bytes())
    assert again.version == shipped.version
    assert again.classes == shipped.classes
    np.testing.assert_allclose(again.logits(TEXTS), shipped.logits(TEXTS), rtol=1e-6)


@pytest.mark.parametrize("data", [b"", b"not a model", b"PK\x03\x04broken zip"])
def test_unreadable_bytes_raise_a_classifier_error(data):
    with pytest.raises(ClassifierError, match="silta train"):
        model.Model.from_bytes(data)


def test_an_artifact_holding_python_objects_is_refused():
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.array([{"format": 1}], dtype=object))
    with pytest.raises(ClassifierError):
        model.Model.from_bytes(buffer.getvalue())


def test_a_model_from_an_older_format_asks_for_a_rebuild():
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=np.array('{"format": 0}'),
        idf=np.zeros(1),
        coef=np.zeros(1),
        intercept=np.zeros(1),
    )
    with pytest.raises(ClassifierError, match="rebuild"):
        model.Model.from_bytes(buffer.getvalue())


def test_training_needs_two_categories():
    with pytest.raises(ClassifierError, match="two categories"):
        model.fit(["a", "b"], ["noise", "noise"], version="x")


def test_explanations_name_words_of_the_post():
    shipped = train.seed_model()
    words = shipped.explain("my refund never arrived and support ignores me", "support_issue")
    assert words
    assert all(
        any(part in "my refund never arrived and support ignores me" for part in w.split())
        for w in words
    )


def test_classifying_imports_neither_scikit_learn_nor_the_database_layer():
    """What a worker pays at start-up: the model, numpy, scipy.sparse; not sklearn, NLTK,
    SQLAlchemy or the settings (see bench/classify.py --cold for the time it takes)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from bot.classify.service import MentionClassifier\n"
        "c = MentionClassifier.offline()\n"
        "c.classify_text('The app crashes when I log in')\n"
        "c.classify_text('Mi pedido no ha llegado y nadie responde')\n"
        "print(*sorted(m for m in ('sklearn', 'nltk', 'sqlalchemy', 'pydantic') "
        "if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
