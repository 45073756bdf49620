"""The languages Silta reads: each one's data file is whole, and its words reach the model."""

from __future__ import annotations

import tomllib
from importlib.resources import files

import pytest

from bot.classify import cues, languages, seed
from bot.classify.languages import Lexicon
from bot.taxonomy import CATEGORIES

CODES = list(languages.STEMMERS)


def data(code: str) -> dict:
    return tomllib.loads(files(languages.__name__).joinpath(f"{code}.toml").read_text("utf-8"))


@pytest.mark.parametrize("code", CODES)
def test_every_language_read_names_every_cue_and_alarm_and_nothing_else(code):
    found = data(code)
    assert found["name"]
    assert set(found["cues"]) == {cue.name for cue in cues.CUES}
    assert set(found["alarms"]) == set(languages.ALARM_TOPICS)
    assert all(found["cues"].values()) and all(found["alarms"].values())
    assert found["switching"]["before"] and found["switching"]["after"]
    assert len(found["gloss"]) >= 500


@pytest.mark.parametrize("code", CODES)
def test_every_language_read_has_seed_posts_of_every_category(code):
    for category in CATEGORIES:
        assert len(seed.posts(category, code)) >= 30, (code, category)


def test_a_word_is_glossed_in_all_its_inflected_forms():
    for code, forms in {
        "fi": ("lasku", "laskun", "laskusta"),
        "sv": ("faktura", "fakturan", "fakturor"),
        "de": ("rechnung", "Rechnungen"),
        "es": ("factura", "facturas"),
    }.items():
        for form in forms:
            english = languages.get(code).english(form)
            assert {"invoice", "invoices"} & set(english), (code, form)


def test_a_compound_is_read_by_its_parts():
    stem = languages._stem
    lexicon = Lexicon(
        code="de",
        name="German",
        words={},
        gloss={stem("de", "kunde"): ("customer",), stem("de", "dienst"): ("service",)},
        cues={},
        alarms={},
        switch_before=(),
        switch_after=(),
    )
    assert lexicon.english("Kundendienst") == ["customer", "service"]
    # Both parts must be known: a split that only finds a known ending misreads too often
    # (Finnish "painolastin", ballast, ends like "lasten", children's).
    assert lexicon.english("Premiumdienst") == []
    assert lexicon.english("Bahnhof") == []


def test_a_listed_word_wins_over_a_word_sharing_its_stem():
    spanish = languages.get("es")
    assert spanish.english("que") == ["that"]
    assert spanish.english("qué") == ["what"]
    assert spanish.english("busco") == ["looking", "for"]


def test_glosses_are_appended_for_the_model_and_english_is_left_alone():
    text = "Sovellus kaatuu aina kun avaan laskun"
    glossed = languages.gloss(text, "fi")
    assert glossed.startswith(text + "\n_lang_fi_ ")
    assert "invoice" in glossed.split("\n")[1].split()
    assert languages.language_of(glossed) == "fi"
    assert languages.language_of(text) == "en"
    english = "The app crashes whenever I open an invoice"
    assert languages.gloss(english, "en") == english
    assert languages.gloss(english, None) == english
    assert languages.gloss(text, "it") == text


def test_a_language_s_phrases_never_match_english_posts():
    assert "broken" in {c.name for c in cues.find(languages.gloss("Appen kraschar", "sv"))}
    assert "broken" not in {c.name for c in cues.find("I feel fine, fell asleep early")}


def test_the_identifiers_names_map_to_the_codes_read():
    assert languages.code("no") == "nb"
    assert languages.reads("no") and languages.reads("fi") and languages.reads(None)
    assert not languages.reads("it") and not languages.reads("ja")
