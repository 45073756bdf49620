"""The trained part: multinomial logistic regressions over `features`, stored as plain arrays.

A model is one or more *experts*, each a featuriser's idf plus coefficients, whose log
probabilities add up (a product of experts). The seed model is one expert. Once people have
made enough corrections, a retrained model is two: the seed model and an expert trained on the
corrections alone, which knows this company's posts better than any seed could.

Artifacts are saved with `numpy.savez_compressed` and read back with `allow_pickle=False`: an
artifact in the database can never execute code when a worker loads it. Predicting needs only
numpy and scipy.sparse; scikit-learn, which takes most of a second to import, is imported by
`fit` alone, so a worker that only classifies never pays for it.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from bot.classify import cues, languages
from bot.classify.features import WIDTH, Featuriser, word_column, words
from bot.errors import ClassifierError

FORMAT = 5
"""Raised whenever features change meaning, so that a stored model built on others is refused."""
NOISE_WEIGHT = 0.4
"""Noise counts for less than a team's category when learning. Noise is what is left once no
team would act, yet a post the model has little to say about would default to it; missing a
customer's problem costs more than showing a team one post too many."""
REGULARISATION = 4.0


@dataclass(frozen=True)
class Expert:
    """One logistic regression: its featuriser, classes, coefficients and say in the vote."""

    featuriser: Featuriser
    classes: tuple[str, ...]
    coef: np.ndarray
    intercept: np.ndarray
    weight: float = 1.0
    languages: tuple[str, ...] = ()
    """The languages whose posts it reads (`languages.language_of`); none means every post."""

    def reads(self, language: str) -> bool:
        return not self.languages or language in self.languages

    def log_probs(self, counts: sp.csr_matrix, classes: tuple[str, ...]) -> np.ndarray:
        """Columns in `classes` order; a class this expert never saw gets an even share."""
        own = _log_softmax(np.asarray(self.featuriser.weigh(counts) @ self.coef.T) + self.intercept)
        out = np.full((counts.shape[0], len(classes)), -np.log(len(classes)), dtype=np.float32)
        for column, name in enumerate(self.classes):
            out[:, classes.index(name)] = own[:, column]
        return out


@dataclass(frozen=True)
class Model:
    version: str
    classes: tuple[str, ...]
    experts: tuple[Expert, ...]

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, one column per class in `classes`: the evidence before softmax.
        An expert that reads only some languages adds nothing to the other rows."""
        total = np.zeros((len(texts), len(self.classes)), dtype=np.float32)
        if not texts:
            return total
        counts = Featuriser.counts(texts)
        spoken = [languages.language_of(text) for text in texts]
        for expert in self.experts:
            rows = [i for i, language in enumerate(spoken) if expert.reads(language)]
            if len(rows) == len(texts):
                total += expert.weight * expert.log_probs(counts, self.classes)
            elif rows:
                total[rows] += expert.weight * expert.log_probs(counts[rows], self.classes)
        return total

    def explain(self, text: str, category: str, *, top: int = 3) -> list[str]:
        """The words of a text that pushed it most towards `category` rather than the others."""
        counts = Featuriser.counts([text])
        weighed: dict[str, float] = {}
        spoken = languages.language_of(text)
        for expert in self.experts:
            if category not in expert.classes or not expert.reads(spoken):
                continue
            row = expert.featuriser.weigh(counts)
            own = expert.coef[:, row.indices]  # only the text's columns: a post costs microseconds
            lean = own[expert.classes.index(category)] - own.mean(axis=0)
            pushes = dict(zip(row.indices.tolist(), (row.data * lean).tolist(), strict=True))
            for gram in set(words(text)):
                index = word_column(gram)
                if _telling(gram) and index in pushes:
                    weighed[gram] = weighed.get(gram, 0.0) + expert.weight * pushes[index]
        best = sorted(((w, g) for g, w in weighed.items() if w > 0), reverse=True)
        return [gram for _, gram in best[:top]]

    def with_experts(self, experts: tuple[Expert, ...], *, version: str) -> Model:
        return Model(version, self.classes, (*self.experts, *experts))

    def to_bytes(self) -> bytes:
        meta = {
            "format": FORMAT,
            "version": self.version,
            "classes": list(self.classes),
            "width": WIDTH,
            "cues": [cue.name for cue in cues.CUES],
            "experts": [
                {
                    "classes": list(e.classes),
                    "char_weight": e.featuriser.char_weight,
                    "weight": e.weight,
                    "languages": list(e.languages),
                }
                for e in self.experts
            ],
        }
        arrays: dict[str, Any] = {"meta": np.array(json.dumps(meta))}
        for n, expert in enumerate(self.experts):
            arrays[f"idf{n}"] = expert.featuriser.idf
            arrays[f"coef{n}"] = expert.coef
            arrays[f"intercept{n}"] = expert.intercept
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                meta = json.loads(str(arrays["meta"]))
                _check(meta)
                experts = tuple(
                    Expert(
                        Featuriser(spec["char_weight"], arrays[f"idf{n}"]),
                        tuple(spec["classes"]),
                        arrays[f"coef{n}"],
                        arrays[f"intercept{n}"],
                        spec["weight"],
                        tuple(spec["languages"]),
                    )
                    for n, spec in enumerate(meta["experts"])
                )
        except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
            raise ClassifierError(
                f"the stored classifier model cannot be read ({exc}); run `silta train` to "
                "build a new one"
            ) from None
        return cls(meta["version"], tuple(meta["classes"]), experts)


def _check(meta: dict[str, object]) -> None:
    if meta.get("format") != FORMAT:
        raise ClassifierError(
            f"the stored classifier model has format {meta.get('format')}, this Silta reads "
            f"format {FORMAT}; run `silta train` to rebuild it"
        )
    if meta.get("cues") != [cue.name for cue in cues.CUES] or meta.get("width") != WIDTH:
        raise ClassifierError(
            "the stored classifier model was built with other features than this Silta has; "
            "run `silta train` to rebuild it"
        )


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    version: str,
    weights: Sequence[float] | None = None,
    featuriser: Featuriser | None = None,
    regularisation: float = REGULARISATION,
    noise_weight: float = NOISE_WEIGHT,
    reading: tuple[str, ...] = (),
) -> Model:
    """Learn a one-expert model from prepared texts, for posts in the `reading` languages (all
    when none); see `_class_weights` for how classes weigh."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ClassifierError(
            "a classifier needs examples of at least two categories; add labelled mentions "
            "of another category and train again"
        )
    fitted = (featuriser or Featuriser()).fit(texts)
    learner = LogisticRegression(
        C=regularisation,
        class_weight=_class_weights(labels, noise_weight),
        solver="newton-cg",
        max_iter=500,
    )
    learner.fit(fitted.transform(texts), list(labels), sample_weight=weights)
    classes = tuple(str(c) for c in learner.classes_)
    expert = Expert(
        fitted,
        classes,
        learner.coef_.astype(np.float32),
        learner.intercept_.astype(np.float32),
        languages=reading,
    )
    return Model(version, classes, (expert,))


def reweighed(model: Model, weight: float) -> tuple[Expert, ...]:
    """A model's experts, each with its say in the vote scaled by `weight`."""
    return tuple(replace(expert, weight=expert.weight * weight) for expert in model.experts)


def _class_weights(labels: Sequence[str], noise_weight: float) -> dict[str, float]:
    """Every class gets an equal share of the loss ("balanced"), noise `noise_weight` of one."""
    from sklearn.utils.class_weight import compute_class_weight

    classes = np.unique(np.asarray(labels))
    balanced = compute_class_weight("balanced", classes=classes, y=np.asarray(labels))
    return {
        str(c): float(w) * (noise_weight if c == "noise" else 1.0)
        for c, w in zip(classes, balanced, strict=True)
    }


def _telling(gram: str) -> bool:
    """A gram worth showing a person: has a content word, is not one of our markers."""
    return not gram.startswith("_") and any(
        part.isalpha() and part not in STOP_WORDS for part in gram.split()
    )


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


STOP_WORDS = frozenset(
    """a about above after again against all almost also am an and any are as at be because
    been before being below between both but by can cannot could did do does doing down during
    each either else enough etc even ever every few for from further get go had has have having
    he her here hers herself him himself his how however i if in into is it its itself just
    least less many may me might mine more most much must my myself neither never no nor not
    now of off often on once one only or other others our ours ourselves out over own per
    perhaps please rather same several she should since so some still such than that the their
    theirs them themselves then there these they this those though through thus to too under
    until up upon us very via was we well were what whatever when where whether which while who
    whom whose why will with within without would yet you your yours yourself yourselves""".split()
)
"""Words that say nothing on their own, for choosing which words to show as evidence."""
