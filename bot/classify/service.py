"""The classifier as the rest of Silta sees it: load once, classify texts or stored mentions.

    classifier = MentionClassifier.load(session=session, workspace=workspace)
    classifier.classify_text("Acme is down again")          # pure, no database
    classifier.classify_stored(new_ids, session=session)    # writes rows, caller commits

Batches are vectorised: one matrix product classifies hundreds of posts, so ingestion calls
`classify_stored` once per stored batch rather than once per mention.

The database layer is imported by the methods that use it: a process that only classifies
texts (`silta classify`, `silta eval`, a benchmark) starts without SQLAlchemy and the settings.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.classify import cues, language, languages, sentiment, train, urgency
from bot.classify.context import Context, Rule
from bot.classify.model import Model
from bot.classify.text import clean, readable
from bot.errors import ClassifierError
from bot.taxonomy import CATEGORIES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.config import Workspace
    from bot.models import Mention
    from bot.store.labels import Verdict

SECONDARY = 0.25
"""A category scoring at least this, besides the primary one, is listed as secondary."""
FOREIGN_DOUBT = 0.5
"""Share of the scores spread evenly for a post in a language Silta does not read (`languages`):
the model's guess about it is held back and lands in triage rather than with a team."""
SPIKE_WINDOW = timedelta(hours=1)
BATCH = 500

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Post:
    """One text to classify, with what urgency needs to know about it."""

    text: str
    title: str | None = None
    reach: int | None = None
    similar: int = 0
    """How many other mentions said the same thing in the hour before this one."""


@dataclass(frozen=True)
class Reading:
    """What the model made of one post: the text it read (names as tokens, glosses appended),
    its language, its scores and the workspace's rules that fired."""

    text: str
    language: str | None
    scores: np.ndarray
    rules: list[Rule]


@dataclass(frozen=True)
class Result:
    category: str
    confidence: float
    scores: dict[str, float]
    secondary: list[str]
    polarity: float | None
    subjectivity: float | None
    urgency: float
    reasons: list[str]
    language: str | None
    model_version: str
    evidence: list[str] = field(default_factory=list)
    """Why this category: the rules, cues and words that weighed most."""

    @property
    def sentiment(self) -> str:
        """ "negative", "neutral", "positive", or "unknown" for a language without a lexicon."""
        return sentiment.Sentiment(self.polarity, self.subjectivity).label

    def as_dict(self) -> dict[str, Any]:
        """Field by field rather than `dataclasses.asdict`, whose deep copies cost more than
        classifying the post did (`silta classify` prints one a line)."""
        return {name: getattr(self, name) for name in _FIELDS} | {"sentiment": self.sentiment}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


_FIELDS = tuple(f.name for f in fields(Result))


class MentionClassifier:
    """A loaded model plus the workspace's context; cheap to call, safe to share."""

    def __init__(self, model: Model, *, context: Context | None = None) -> None:
        self.model = model
        self.context = context or Context()

    @classmethod
    def load(cls, *, session: Session, workspace: Workspace | None) -> MentionClassifier:
        """The active model from the database, or the shipped seed model when none is stored
        (or the stored one was written by another Silta and cannot be read: ingestion goes on,
        and the next `silta train` replaces it)."""
        from bot.store import classifier_models  # start-up time: see the module docstring

        stored = classifier_models.get_active(session=session)
        if stored is None:
            return cls.offline(workspace)
        try:
            return cls.offline(workspace, model=Model.from_bytes(stored.artifact))
        except ClassifierError as exc:
            log.warning("%s: %s; classifying with the seed model meanwhile", stored.version, exc)
            return cls.offline(workspace)

    @classmethod
    def offline(
        cls, workspace: Workspace | None = None, *, model: Model | None = None
    ) -> MentionClassifier:
        """Without a database: the seed model (or the one given) and the workspace's names."""
        context = Context.from_company(workspace.company if workspace else None)
        return cls(model or train.seed_model(), context=context)

    @property
    def version(self) -> str:
        return self.model.version

    def classify_text(
        self, text: str, *, title: str | None = None, reach: int | None = None
    ) -> Result:
        """One text, with the evidence for its category. Pure: no database, no side effects."""
        return self.classify_posts([Post(text or "", title, reach)], explain=True)[0]

    def classify_posts(self, posts: Sequence[Post], *, explain: bool = False) -> list[Result]:
        """Many posts in one pass; `explain` adds evidence at some cost per post."""
        cleaned = [clean(p.text, title=p.title) for p in posts]
        legible = [i for i, text in enumerate(cleaned) if readable(text)]
        read = {i: train.reading(cleaned[i], context=self.context) for i in legible}
        logits = self.model.logits([read[i][0] for i in legible])
        rules = {i: self.context.rules(cleaned[i]) for i in legible}
        if any(rules.values()):
            logits = logits + np.array([self._bonus(rules[i]) for i in legible])
        rows = dict(zip(legible, _softmax(logits), strict=True))
        return [
            self._decide(post, text, Reading(*read[i], rows[i], rules[i]), explain)
            if i in rows
            else self._unreadable()
            for i, (post, text) in enumerate(zip(posts, cleaned, strict=True))
        ]

    def classify_stored(self, mention_ids: Sequence[int], *, session: Session) -> int:
        """Classify stored mentions, record each decision, update their current fields.

        Returns how many were classified. Never commits: the caller owns the transaction.
        """
        from bot.store import classifications  # start-up time: see the module docstring

        done = 0
        for start in range(0, len(mention_ids), BATCH):
            mentions = classifications.get_mentions(
                mention_ids[start : start + BATCH], session=session
            )
            done += self._store(mentions, session=session)
        return done

    def _store(self, mentions: list[Mention], *, session: Session) -> int:
        if not mentions:
            return 0
        similar = _similar(mentions, session=session)
        results = self.classify_posts(
            [Post(m.text or "", m.title, m.reach, similar.get(m.id, 0)) for m in mentions]
        )
        # Imported here for start-up time: see the module docstring.
        from bot.models import utcnow
        from bot.store import classifications, labels

        now = utcnow()
        classifications.create_many(
            [_history(m.id, r, now) for m, r in zip(mentions, results, strict=True)],
            session=session,
        )
        said = labels.verdicts([m.id for m in mentions], session=session)
        for mention, result in zip(mentions, results, strict=True):
            _set_current(mention, result, now, said.get(mention.id))
        session.flush()
        return len(mentions)

    def _decide(self, post: Post, text: str, reading: Reading, explain: bool) -> Result:
        lang, scores, rules = reading.language, reading.scores, reading.rules
        if not languages.reads(lang):
            scores = (1 - FOREIGN_DOUBT) * scores + FOREIGN_DOUBT / len(scores)
        by_category = dict.fromkeys(CATEGORIES, 0.0)
        by_category.update(
            {c: round(s, 3) for c, s in zip(self.model.classes, scores.tolist(), strict=True)}
        )
        category = max(by_category, key=lambda c: by_category[c])
        feeling = sentiment.analyse(text, lang)
        urgent = urgency.assess(
            text,
            category=category,
            polarity=feeling.polarity,
            reach=post.reach,
            similar=post.similar,
            language=lang,
        )
        ruled = {r.category for r in rules}
        return Result(
            category=category,
            confidence=by_category[category],
            scores=by_category,
            secondary=[
                c
                for c in sorted(by_category, key=lambda c: -by_category[c])
                if c != category and (by_category[c] >= SECONDARY or c in ruled)
            ],
            polarity=feeling.polarity,
            subjectivity=feeling.subjectivity,
            urgency=urgent.score,
            reasons=urgent.reasons,
            language=lang,
            model_version=self.version,
            evidence=self._evidence(reading, category) if explain else [],
        )

    def _bonus(self, rules: list[Rule]) -> np.ndarray:
        bonus = np.zeros(len(self.model.classes), dtype=np.float32)
        for rule in rules:
            if rule.category in self.model.classes:
                bonus[self.model.classes.index(rule.category)] += rule.strength
        return bonus

    def _evidence(self, reading: Reading, category: str) -> list[str]:
        found = [r.reason for r in reading.rules if r.category == category]
        found += [c.description for c in cues.find(reading.text) if c.category == category]
        words = self.model.explain(reading.text, category)
        if words:
            found.append("words: " + ", ".join(_quoted(words, languages.sources(reading.text))))
        if not languages.reads(reading.language):
            found.append(
                f"written in {reading.language}, which Silta does not read "
                f"(it reads {', '.join(languages.READ)}): a guess, left to triage"
            )
        return found

    def _unreadable(self) -> Result:
        return Result(
            category="noise",
            confidence=1.0,
            scores={c: float(c == "noise") for c in CATEGORIES},
            secondary=[],
            polarity=None,
            subjectivity=None,
            urgency=0.0,
            reasons=[],
            language=None,
            model_version=self.version,
            evidence=["nothing to read: no words, only links, emoji or markup"],
        )


def _quoted(grams: list[str], written: dict[str, str]) -> list[str]:
    """Telling words as the author wrote them, with the English the model read beside them
    where that differs ("kaatuu" (crashes), "die app" (the app)); each written word once."""
    quoted: list[str] = []
    shown: set[str] = set()
    for gram in grams:
        if gram in shown:
            continue
        own = written.get(gram)
        parts = [written.get(part) for part in gram.split()]
        if own is None and all(parts):
            own = " ".join(part for part in parts if part)
        if own is None or own == gram:
            quoted.append(f'"{gram}"')
        elif own not in shown:
            quoted.append(f'"{own}" ({gram})')
        shown.add(own or gram)
    return quoted


def _softmax(rows: np.ndarray) -> np.ndarray:
    shifted = np.exp(rows - rows.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _history(mention_id: int, result: Result, now: datetime) -> dict[str, Any]:
    return {
        "mention_id": mention_id,
        "category": result.category,
        "confidence": result.confidence,
        "scores": result.scores,
        "secondary": result.secondary,
        "polarity": result.polarity,
        "subjectivity": result.subjectivity,
        "urgency": result.urgency,
        "reasons": result.reasons,
        "language": result.language,
        "model_version": result.model_version,
        "created_at": now,
    }


def _set_current(mention: Mention, result: Result, now: datetime, said: Verdict | None) -> None:
    """The model's answer, except what a person said: their category, at full confidence, and
    their "not urgent" stand until a person changes them (the history keeps the model's)."""
    mention.category = said.category if said else result.category
    mention.confidence = 1.0 if said else result.confidence
    mention.sentiment = result.polarity
    mention.urgency = 0.0 if said and said.not_urgent else result.urgency
    mention.language = mention.language or result.language
    mention.classified_at = now


def _similar(mentions: list[Mention], *, session: Session) -> dict[int, int]:
    """Per mention, how many others in the hour before it share its content (a cross-post,
    a retweet) or one of its alarms (an outage, a breach): the spike that makes it urgent.
    Earlier mentions are known by their stored urgency reasons, batch-mates by their text."""
    from bot.store import bursts  # start-up time: see the module docstring

    since = min(m.published_at for m in mentions) - SPIKE_WINDOW
    until = max(m.published_at for m in mentions)
    alarms = {}
    for m in mentions:
        text = clean(m.text, title=m.title)
        alarms[m.id] = list(urgency.alarms(text, m.language or language.detect(text)))
    seen: dict[str, dict[int, datetime]] = defaultdict(dict)
    for m in mentions:
        seen[f"#{m.content_hash}"][m.id] = m.published_at
        for topic in alarms[m.id]:
            seen[topic][m.id] = m.published_at
    hashes = {m.content_hash for m in mentions}
    for row_id, content_hash, published in bursts.get_all_by_content_hash(
        hashes, since=since, until=until, session=session
    ):
        seen[f"#{content_hash}"][row_id] = published
    for row_id, published, reasons in bursts.get_all_alarmed(
        since=since, until=until, session=session
    ):
        for topic in urgency.WEIGHTS:
            if any(reason.endswith(f"about {topic}") for reason in reasons):
                seen[topic][row_id] = published
    return {
        m.id: max(_within(seen[key], m) for key in [f"#{m.content_hash}", *alarms[m.id]])
        for m in mentions
    }


def _within(published: dict[int, datetime], mention: Mention) -> int:
    start = mention.published_at - SPIKE_WINDOW
    return sum(
        1 for i, at in published.items() if i != mention.id and start <= at <= mention.published_at
    )
