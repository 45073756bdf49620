"""Sentiment is TextBlob's PatternAnalyzer, reached without importing NLTK."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.classify import sentiment

TEXTS = [
    "I love this app, it's absolutely brilliant!!!",
    "This is not good. Not good at all :(",
    "The update is terrible and support didn't help.",
    "Meh. It's ok I guess ;)",
    "Really, really bad experience with the courier... never again!",
    "Great product (!) and totally worth the money, said no one ever",
    "Line one is fine.\n\nLine two is awful :-( and the third is great :D",
    'He said "wonderful" but meant "horrible". U.S. customers, e.g. me, weren\'t happy.',
    "“Curly quotes” and ‘single ones’ aren’t a problem, are they?",
    "no words of feeling here at all 12345",
    ":) :) :)",
]


@pytest.mark.parametrize("text", TEXTS)
def test_scores_are_textblobs(text):
    from textblob import TextBlob

    expected = TextBlob(text).sentiment
    assert tuple(sentiment._analyzer()(text)) == (expected.polarity, expected.subjectivity)
    got = sentiment.analyse(text, "en")
    assert (got.polarity, got.subjectivity) == (
        round(expected.polarity, 3),
        round(expected.subjectivity, 3),
    )


def test_languages_with_a_lexicon_get_a_sentiment_and_others_are_unknown():
    assert sentiment.analyse("Das ist schlecht", "de").label == "negative"
    assert sentiment.analyse("Die schlechteste App, nicht gut", "de").label == "negative"
    assert sentiment.analyse("C'est vraiment excellent", "fr").label == "positive"
    assert sentiment.analyse("Heel slechte service", "nl").label == "negative"
    assert sentiment.analyse("Tämä on huono", "fi") == sentiment.UNKNOWN
    assert sentiment.analyse("   ", "en") == sentiment.UNKNOWN
    assert sentiment.analyse("I hate it", None).label == "unknown"
    assert sentiment.analyse("I hate it", "en").label == "negative"


def test_a_star_rating_is_the_authors_verdict_in_any_language():
    four = "★★★★☆ Works well for one café. Is there a plan with one single invoice?"
    assert sentiment.analyse(four, "en").label == "positive"  # "single" alone reads negative
    assert sentiment.analyse(four.removeprefix("★★★★☆ "), "en").label == "negative"
    one = sentiment.analyse("★☆☆☆☆ Sovellus kaatuu jatkuvasti", "fi")
    assert (one.polarity, one.label) == (-1.0, "negative")
    titled = sentiment.analyse("Sehr gut ★★★★★ Alles klappt", "de")  # the title comes first
    assert titled.label == "positive"
    assert sentiment.analyse("Tähdet: ★★☆ vain kolme", "fi") == sentiment.UNKNOWN


def test_a_long_post_is_read_by_its_opening():
    opening = "This is a wonderful, excellent service. " * 10
    text = opening[: sentiment.SAMPLE_CHARS] + "terrible awful horrible " * 5000
    assert sentiment.analyse(text, "en").label == "positive"


def test_nltk_is_never_imported():
    code = (
        "import sys\n"
        "from bot.classify import sentiment\n"
        "assert sentiment.analyse('I love it', 'en').label == 'positive'\n"
        "assert sentiment.analyse('Das ist gut', 'de').label == 'positive'\n"
        "print(any(m.split('.')[0] in ('nltk', 'textblob', 'textblob_de') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
