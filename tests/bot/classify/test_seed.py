"""The seed corpus and the model shipped with it."""

from __future__ import annotations

import json
import random
import re
import tomllib
from fnmatch import fnmatch
from importlib.resources import files

import pytest

from bot.classify import seed, train
from bot.classify.model import Model
from bot.classify.seed import generate
from bot.errors import ClassifierError
from bot.taxonomy import CATEGORIES
from tests.conftest import ROOT, shared_path

PHRASES = files(seed.__name__).joinpath("phrases")


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


def test_every_phrase_file_loads_and_uses_only_placeholders_that_are_filled():
    shipped = {f.name for f in PHRASES.iterdir() if f.name.endswith(".toml")}
    assert shipped == {f"{name}.toml" for name in generate.SUPPLIED}
    for name in generate.SUPPLIED:
        generate.read(name, PHRASES.joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def test_composed_posts_leave_only_company_placeholders():
    composed = generate.compose(random.Random(1), lambda post: post)
    assert set(composed) == set(CATEGORIES)
    for posts in composed.values():
        for post in posts:
            assert set(re.findall(r"\{(\w+)\}", post)) <= generate.COMPANY, post


def _phrase_file(name: str) -> str:
    return PHRASES.joinpath(f"{name}.toml").read_text(encoding="utf-8")


def test_a_misspelt_placeholder_is_named_with_its_file_and_list():
    text = _phrase_file("support_issue").replace('"Unable to {action}."', '"Unable to {acton}."')
    with pytest.raises(ClassifierError) as raised:
        generate.read("support_issue", text)
    message = str(raised.value)
    assert message.startswith("support_issue.toml: [problem.forms] ")
    assert "unknown placeholder {acton}" in message
    assert "{action}" in message


def test_a_list_of_parts_may_name_companies_but_nothing_the_generator_fills():
    text = _phrase_file("noise").replace(
        '"a tiny tool to clean up old branches"', '"a {brand} plugin for {topic}"'
    )
    with pytest.raises(ClassifierError, match=r"noise\.toml: \[promo\.thing\] .*\{topic\}"):
        generate.read("noise", text)


def test_a_capitalised_placeholder_is_the_line_with_a_capital_first_letter():
    phrases = generate.read("product_feedback", _phrase_file("product_feedback"))
    filled = phrases.fill_in("missing", "{Feature} is missing, {feature}.", feature="a dark mode")
    assert filled == "A dark mode is missing, a dark mode."


def test_a_missing_list_is_named():
    text = _phrase_file("hiring_signal").replace(
        "\n[career]\nforms = [", "\n[career]\nquestions = ["
    )
    with pytest.raises(
        ClassifierError, match=r"hiring_signal\.toml: .*\[career\.forms\] is missing"
    ):
        generate.read("hiring_signal", text)


def test_a_broken_phrase_file_names_itself():
    with pytest.raises(ClassifierError, match=r"^sales_lead\.toml: "):
        generate.read("sales_lead", 'purpose = ["for a team of 10"')


def test_the_phrase_files_are_packaged():
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]
    patterns = package_data["*"] + package_data[seed.__name__]
    for name in generate.SUPPLIED:
        assert any(_globbed(f"phrases/{name}.toml", pattern) for pattern in patterns), name


def _globbed(path: str, pattern: str) -> bool:
    """Whether setuptools' glob `pattern` takes `path`: `*` stays within one folder."""
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(map(fnmatch, parts, wanted))


def test_a_form_with_a_placeholder_nobody_fills_names_its_file():
    phrases = generate.read("noise", _phrase_file("noise"))
    with pytest.raises(ClassifierError, match=r"^noise\.toml: \[news\] .*nothing fills \{city\}"):
        phrases.fill_in("news", "{brand} opens in {city}", number="3")
