"""Turning text into numbers: hashed word n-grams with cue and topic markers, and character
3- and 5-grams of each distinct word.

Hashing keeps the model free of a vocabulary, so an artifact is a handful of arrays (no pickle,
small, fast to load) and a word never seen in training costs nothing. Word n-grams carry the
meaning; the markers carry what the seed corpus is too small to teach by example (`cues`,
`lexicon`); character n-grams catch the spellings social text is full of ("crashin", "refundd").
They are most of a post's columns, so they are taken once per distinct word and without the
4-grams between 3 and 5: measured with `silta eval` and bench/classify.py, a fifth faster and
no less accurate than every 3-, 4- and 5-gram of every word.
Markers live among the words, weighted and normalised like them: measured against a separate
block of dense features, this generalises better from written examples to real posts.

The hash is CRC-32 (`zlib.crc32`, in the standard library) rather than scikit-learn's
murmurhash: importing scikit-learn costs most of a second that a worker starting up should not
pay, and CRC-32 spreads words over the columns as evenly. The columns of each word and of its
character n-grams are remembered: social text repeats its words, and hashing each one once
makes featurising several times faster than HashingVectorizer's per-post work.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise

import numpy as np
import scipy.sparse as sp

from bot.classify import cues, lexicon

WORD_BITS = 18
CHAR_BITS = 18
WORD_WIDTH = 2**WORD_BITS
WIDTH = WORD_WIDTH + 2**CHAR_BITS
CHAR_GRAMS = (3, 5)
CHAR_TEXT = 1500
"""Character n-grams of the first 1,500 characters; past that they add cost, not meaning."""

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@(\w+)")
_SUPPORT_HANDLE = re.compile(r"support|help|care|service|^ask|cs$", re.IGNORECASE)
_DIGIT = re.compile(r"[1-9]")
_TOKEN = re.compile(r"[#@]?\w[\w'’]*|[!?$€£|]|[\U0001F300-\U0001FAFF\u2600-\u27BF]")


def normalise(text: str) -> str:
    """Lower case, links and handles reduced to what they tell us, digits made alike."""
    if "://" in text or "www." in text:
        text = _URL.sub(" _url_ ", text)
    if "@" in text:
        text = _HANDLE.sub(_handle, text)
    return _DIGIT.sub("0", text.lower())  # six times faster than str.translate


def _handle(match: re.Match[str]) -> str:
    name = match.group(1)
    kind = " _at_support_" if _SUPPORT_HANDLE.search(name) else ""
    return f" _at_{kind} {name} "


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def words(text: str, found: list[str] | None = None) -> list[str]:
    """Unigrams, bigrams, the opening word, and one marker per cue and per topic word."""
    found = tokens(text) if found is None else found
    grams = found + [f"{a} {b}" for a, b in pairwise(found)]
    first = next((t for t in found if not t.startswith(("_at_", "@"))), None)
    if first:
        grams.append(f"_first_{first}")
        if first in cues.IMPERATIVES:
            grams.append("_cue_imperative")
    grams += [f"_cue_{cue.name}" for cue in cues.find(text)]
    return grams + lexicon.topics(found)


@lru_cache(maxsize=2**18)
def word_column(gram: str) -> int:
    return _hash(gram) % WORD_WIDTH


@lru_cache(maxsize=2**16)
def _char_columns(token: str) -> tuple[int, ...]:
    padded = f" {token} "
    return tuple(
        WORD_WIDTH + _hash(padded[i : i + n]) % 2**CHAR_BITS
        for n in CHAR_GRAMS
        for i in range(len(padded) - n + 1)
    )


def _hash(gram: str) -> int:
    return zlib.crc32(gram.encode("utf-8", "surrogatepass"))


def _columns(text: str, indices: list[int]) -> None:
    """Append a text's columns: one a word gram, one a character n-gram of a distinct word."""
    found = tokens(text)
    indices += map(word_column, words(text, found))
    opening = found if len(text) <= CHAR_TEXT else tokens(text[:CHAR_TEXT])
    indices += chain.from_iterable(map(_char_columns, dict.fromkeys(opening)))


@dataclass(frozen=True)
class Featuriser:
    """Hashed TF-IDF over words and characters; `idf` is the only thing it learns."""

    char_weight: float = 0.6
    idf: np.ndarray | None = None

    @staticmethod
    def counts(texts: Sequence[str]) -> sp.csr_matrix:
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            _columns(text, indices)
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (
                np.ones(len(indices), dtype=np.float32),
                np.array(indices, dtype=np.int32),
                np.array(indptr, dtype=np.int32),
            ),
            shape=(len(texts), WIDTH),
        )
        matrix.sum_duplicates()
        return matrix

    def fit(self, texts: Sequence[str]) -> Featuriser:
        present = np.bincount(self.counts(texts).indices, minlength=WIDTH)
        idf = np.log((1 + len(texts)) / (1 + present)) + 1
        return Featuriser(self.char_weight, idf.astype(np.float32))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.weigh(self.counts(texts))

    def weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """TF-IDF of `counts`, each half normalised; the counts of a batch serve every expert."""
        if self.idf is None:
            raise ValueError("fit the featuriser before transforming")
        counts = counts.copy()
        counts.data = (1 + np.log(counts.data)) * self.idf[counts.indices]
        return _normalised(counts, self.char_weight)


def _normalised(counts: sp.csr_matrix, char_weight: float) -> sp.csr_matrix:
    """Each row's word part scaled to unit length, its character part to `char_weight`."""
    char = (counts.indices >= WORD_WIDTH).astype(np.intp)
    part = 2 * np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr)) + char
    squares = np.bincount(
        part, weights=counts.data.astype(np.float64) ** 2, minlength=2 * counts.shape[0]
    )
    norms = np.sqrt(squares)
    norms[norms == 0] = 1
    scale = np.where(char, char_weight, 1.0) / norms[part]
    counts.data = (counts.data * scale).astype(np.float32)
    return counts
