"""How a post feels: TextBlob's default analyzer, for English only.

TextBlob's default, PatternAnalyzer, reads a lexicon TextBlob ships with, so it works offline;
nothing here touches `.words`, `.sentences` or `.noun_phrases`, which need NLTK corpora that
production hosts cannot download. We call the function PatternAnalyzer itself calls
(`textblob.en.sentiment`), which gives exactly `TextBlob(text).sentiment` without building a
TextBlob and a namedtuple class per post: a third of the cost, at thousands of posts a second.
Its lexicon is English: for any other language the honest answer is "unknown", never a number
that looks precise and means nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

SAMPLE_CHARS = 2000
"""The opening of a post sets its tone; a 100 KB dump is not read to the end."""


@dataclass(frozen=True)
class Sentiment:
    polarity: float | None
    subjectivity: float | None

    @property
    def label(self) -> str:
        if self.polarity is None:
            return "unknown"
        if self.polarity < -0.05:
            return "negative"
        if self.polarity > 0.05:
            return "positive"
        return "neutral"


UNKNOWN = Sentiment(None, None)


def analyse(text: str, language: str | None) -> Sentiment:
    if language != "en" or not text.strip():
        return UNKNOWN
    from textblob.en import sentiment  # imports NLTK: paid on first use, not at start-up

    polarity, subjectivity = sentiment(text[:SAMPLE_CHARS])
    return Sentiment(round(float(polarity), 3), round(float(subjectivity), 3))
