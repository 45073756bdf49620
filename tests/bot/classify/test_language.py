from __future__ import annotations

import shutil

import pytest

from bot.classify import language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't log in to my account since this morning", "en"),
        ("Mi pedido no ha llegado y nadie responde", "es"),
        ("Das ist leider schon wieder kaputt gegangen", "de"),
        ("Мой заказ так и не пришёл, поддержка молчит", "ru"),
        ("lol", None),
        ("👍🔥", None),
        ("https://example.com/a-very-long-link-with-words", None),
        ("", None),
    ],
)
def test_languages_are_named_or_left_unknown(text, expected):
    assert language.detect(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "a", "no" and "me" are Spanish words too: they no longer make a post English
        ("Voy a hablar con mi abogado si no me devuelven el dinero", "es"),
        ("Jag har väntat i en vecka och ingen svarar på mina mejl", "sv"),
        # short headlines the identifier is unsure of, read in the language it guesses
        ("Slack lanza su nueva API", "es"),
        ("Figma lanserar ny plugin-API", "sv"),
        # a neighbour Silta does not read stays itself rather than the language it resembles
        ("Questo prodotto non funziona e il servizio clienti non risponde mai", "it"),
        ("Qualcuno usa Notion?", None),
    ],
)
def test_a_language_read_is_told_on_less_evidence_than_one_not_read(text, expected):
    assert language.detect(text) == expected


SAMPLES = [
    "I can't log in to my account since this morning",
    "Mi pedido no ha llegado y nadie responde",
    "Das ist leider schon wieder kaputt gegangen",
    "これは日本語のテストです。よろしく",
    "Je n'arrive pas à me connecter depuis ce matin 😡",
]


def test_the_cached_model_answers_as_py3langid_does(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    packed = MODEL_DIR / MODEL_FILE
    arrays = language._mapped(packed)  # unpacks into tmp_path/silta
    (folder,) = (tmp_path / "silta").iterdir()
    assert (folder / "done").exists()
    again = language._mapped(packed)  # maps what is there
    assert again["ptc"].shape == arrays["ptc"].shape
    reference = LanguageIdentifier.from_model_file(packed, norm_probs=True)
    for text in SAMPLES:
        assert language._identifier().classify(text) == reference.classify(text)


def test_a_reinstall_reuses_the_cache_and_a_new_model_replaces_the_old(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, second = tmp_path / "venv1" / MODEL_FILE, tmp_path / "venv2" / MODEL_FILE
    for install in (first, second):
        install.parent.mkdir(parents=True)
        shutil.copyfile(MODEL_DIR / MODEL_FILE, install)
    language._mapped(first)
    language._mapped(second)  # same model elsewhere: nothing unpacked again
    (cached,) = (tmp_path / "cache" / "silta").iterdir()
    stale = cached.with_name("langid-000000000000")
    cached.rename(stale)  # as if it came from another version of py3langid
    language._mapped(second)
    assert [p.name for p in (tmp_path / "cache" / "silta").iterdir()] == [cached.name]


def test_emoji_and_dashes_do_not_hide_english():
    assert language.detect("I love this so much 😍😍 — best thing I've bought") == "en"
    assert language.detect("the café was great and the staff were lovely") == "en"


def test_without_a_writable_cache_the_model_is_unpacked_in_memory(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    with pytest.raises(OSError):  # `_identifier` catches this and unpacks in memory
        language._mapped(MODEL_DIR / MODEL_FILE)


def test_a_post_full_of_a_language_s_common_words_is_told_without_the_identifier(monkeypatch):
    """The identifier's scoring is a fifth of classifying a post; most posts need not pay it."""

    def unavailable():
        raise AssertionError("the identifier was asked")

    monkeypatch.setattr(language, "_identifier", unavailable)
    assert language.detect("Mutta kun mä yritän kirjautua, se ei vieläkään onnistu") == "fi"
    assert language.detect("Jag har försökt logga in men det fungerar inte alls") == "sv"
    assert language.detect("Ich habe es schon versucht, aber es geht nicht mit der App") == "de"
    assert language.detect("Hola, tengo un problema con la app y nadie me ayuda") == "es"
