"""The seed corpus and the model shipped with it."""

from __future__ import annotations

import json
import re
from importlib.resources import files

from bot.classify import seed, train
from bot.classify.model import Model
from bot.taxonomy import CATEGORIES
from tests.conftest import shared_path


def test_the_shipped_seed_model_is_built_from_the_current_corpus():
    artifact = files(seed.__name__).joinpath(train.SEED_ARTIFACT).read_bytes()
    assert Model.from_bytes(artifact).version == train.seed_version(), (
        "the corpus or the feature code changed: run `python -m bot.classify.seed`"
    )


def test_every_category_has_hundreds_of_written_posts():
    for category in CATEGORIES:
        assert len(seed.posts(category)) >= 150, category


def test_posts_use_only_known_placeholders():
    for category in CATEGORIES:
        for post in seed.posts(category):
            assert set(re.findall(r"\{(\w+)\}", post)) <= {
                "brand",
                "handle",
                "product",
                "rival",
                "lib",
            }


def test_the_corpus_is_deterministic():
    assert seed.load() == seed.load()


def test_no_evaluation_post_is_in_the_seed_corpus():
    """The eval data measures Silta; a model trained on it could not be shipped."""
    written = {" ".join(e.text.lower().split()) for e in seed.load()}
    for name in ("public_dev.jsonl", "mentions_dev.jsonl"):
        with shared_path("eval", name).open(encoding="utf-8") as rows:
            for line in rows:
                text = " ".join(json.loads(line)["text"].lower().split())
                assert text not in written, text
