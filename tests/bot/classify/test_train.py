"""Classifying stored mentions and learning from corrections, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from bot import corrections
from bot.classify import languages, train
from bot.classify.service import MentionClassifier
from bot.models import Mention
from bot.store import classifications, classifier_models, labels, mentions, sources
from bot.store.mentions import NewMention

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
_ids = count()


def store(session, *texts: str, minutes_ago: int = 0, **fields) -> list[int]:
    source = sources.get_or_create("hn", "hackernews", session=session)
    new = [
        NewMention(
            external_id=f"m{next(_ids)}",
            text=text,
            published_at=NOW - timedelta(minutes=minutes_ago),
            **fields,
        )
        for text in texts
    ]
    return mentions.insert_many(new, source_id=source.id, session=session)


def test_stored_mentions_get_a_decision_with_the_model_version(session):
    ids = store(
        session,
        "Acme charged me twice and support won't answer",
        "Please add a dark mode to Acme",
        "Mi pedido de Acme no ha llegado y nadie responde",
    )
    classifier = MentionClassifier.load(session=session, workspace=None)
    assert classifier.classify_stored(ids, session=session) == 3
    for mention_id in ids:
        (decision,) = classifications.get_all(mention_id, session=session)
        mention = session.get(Mention, mention_id)
        assert decision.model_version == classifier.version
        assert mention.category == decision.category
        assert mention.confidence == decision.confidence
        assert mention.urgency == decision.urgency
        assert mention.sentiment == decision.polarity
        assert mention.classified_at is not None
    first, second, spanish = (session.get(Mention, i) for i in ids)
    assert (first.category, second.category) == ("support_issue", "product_feedback")
    assert first.sentiment is not None
    assert (spanish.language, spanish.sentiment) == ("es", None)


def test_a_language_given_by_the_source_is_kept(session):
    (mention_id,) = store(session, "This is clearly written in English", language="pt")
    MentionClassifier.load(session=session, workspace=None).classify_stored(
        [mention_id], session=session
    )
    assert session.get(Mention, mention_id).language == "pt"


def test_reclassifying_adds_to_the_history(session):
    (mention_id,) = store(session, "Acme login is broken")
    classifier = MentionClassifier.load(session=session, workspace=None)
    classifier.classify_stored([mention_id], session=session)
    classifier.classify_stored([mention_id], session=session)
    assert len(classifications.get_all(mention_id, session=session)) == 2


def test_classifying_again_keeps_a_persons_not_urgent(session):
    (mention_id,) = store(session, "Acme is down for everyone and I was charged twice, awful")
    classifier = MentionClassifier.load(session=session, workspace=None)
    classifier.classify_stored([mention_id], session=session)
    mention = session.get(Mention, mention_id)
    assert mention.urgency > 0
    corrections.not_urgent(mention_id, user_id="U0ANA", session=session)
    classifier.classify_stored([mention_id], session=session)
    assert (mention.urgency, mention.confidence) == (0.0, 1.0)
    assert classifications.get_all(mention_id, session=session)[-1].urgency > 0  # the model's


def test_many_mentions_of_an_outage_within_the_hour_are_a_spike(session):
    store(session, "Acme is down for me", minutes_ago=200)
    earlier = [store(session, f"is acme down? #{n}", minutes_ago=50 - n)[0] for n in range(5)]
    (latest,) = store(session, "Acme is down again, nothing loads")
    classifier = MentionClassifier.load(session=session, workspace=None)
    classifier.classify_stored([*earlier, latest], session=session)
    (decision,) = classifications.get_all(latest, session=session)
    assert "spike: 5 similar mentions this hour" in decision.reasons


def test_unknown_ids_are_skipped(session):
    classifier = MentionClassifier.load(session=session, workspace=None)
    assert classifier.classify_stored([987654321], session=session) == 0


def test_without_corrections_there_is_nothing_to_retrain(session):
    assert train.retrain(session=session) is None
    assert MentionClassifier.load(session=session, workspace=None).version.startswith("seed-")


def test_corrections_change_similar_posts_and_bump_the_version(session):
    text = "Acme Aurora lamp glows purple after midnight"
    before = MentionClassifier.load(session=session, workspace=None).classify_text(text)
    wanted = "support_issue" if before.category != "support_issue" else "product_feedback"
    ids = store(
        session,
        "My Acme Aurora lamp glows purple at night",
        "Acme Aurora lamp glowing purple again tonight",
        "the aurora lamp from acme glows purple after midnight",
    )
    for mention_id in ids:
        labels.create(session.get(Mention, mention_id), wanted, user_id="U1", session=session)

    built = train.retrain(session=session)
    assert built is not None and built.active
    assert built.version.startswith("v1-")
    assert built.trained_on == 3
    after = MentionClassifier.load(session=session, workspace=None)
    assert after.version == built.version
    assert after.classify_text(text).category == wanted
    assert train.retrain(session=session) is None

    labels.create(session.get(Mention, ids[0]), wanted, user_id="U2", session=session)
    again = train.retrain(session=session)
    assert again is not None and again.version.startswith("v2-")
    assert MentionClassifier.load(session=session, workspace=None).version == again.version


def test_a_story_moved_with_its_copies_is_learnt_once(session):
    text = "Acme Aurora lamp glows purple after midnight"
    ids = store(session, text, text, "Acme Aurora lamp glowing purple again tonight")
    for mention_id in ids:
        labels.create(session.get(Mention, mention_id), "noise", user_id="U1", session=session)
    built = train.retrain(session=session)
    assert built is not None and built.trained_on == 2


def test_many_corrections_get_an_expert_of_their_own():
    few = [("please add dark mode", "product_feedback"), ("app crashes", "support_issue")] * 20
    assert train.expert_share(few) == 0
    assert train.expert_share([("a", "noise")] * 500) == 0
    assert train.expert_share(few * 5) == 0.5
    assert train.expert_share(few * 10) == 1

    texts = [
        ("the export to csv button does nothing since the update", "support_issue"),
        ("please let us export boards as pdf", "product_feedback"),
        ("we are hiring a data engineer in berlin", "hiring_signal"),
    ]
    corrections = [(f"{text} #{n}", category) for n in range(110) for text, category in texts]
    built = train.with_corrections(corrections, version="v9-test")
    english, native, own_expert = built.experts
    assert english.weight in train.SEED_WEIGHTS
    assert native.weight == pytest.approx(english.weight * train.NATIVE_WEIGHT)
    assert own_expert.weight in train.EXPERT_WEIGHTS
    assert english.coef is train.seed_model().experts[0].coef
    assert (english.languages, own_expert.languages) == ((), ())
    assert built.version == "v9-test"
    again = type(built).from_bytes(built.to_bytes())
    assert again.logits(["export to pdf please"]).shape == (1, len(built.classes))


def test_the_seed_model_reads_other_languages_with_an_expert_of_their_own():
    english, native = train.seed_model().experts
    assert english.languages == ()
    assert set(native.languages) == set(languages.STEMMERS)
    model = train.seed_model()
    finnish = languages.gloss("Sovellus kaatuu aina", "fi")
    alone = model.__class__(model.version, model.classes, (english,))
    assert (model.logits(["The app crashes"]) == alone.logits(["The app crashes"])).all()
    assert not (model.logits([finnish]) == alone.logits([finnish])).all()


def test_an_unreadable_stored_model_falls_back_to_the_seed(session):
    classifier_models.create(
        "v7-broken", b"not a model", session=session, trained_on=0, labels_count=0
    )
    assert MentionClassifier.load(session=session, workspace=None).version.startswith("seed-")


def test_the_blend_leans_on_corrections_that_disagree_with_the_seed():
    """A company whose "crash" posts are feature ideas (say, a crash-test dummy maker): the
    held-out corrections are likelier when their own expert gets the bigger say."""
    texts = [
        ("the new crash test report export is missing a chart option", "product_feedback"),
        ("please add more crash scenarios to the simulator library", "product_feedback"),
        ("we are hiring a mechanical engineer for our crash lab", "hiring_signal"),
        ("which crash test dummy vendor do labs in europe use", "sales_lead"),
    ]
    corrections = [(f"{text} {n}", category) for n in range(80) for text, category in texts]
    regularisation, seed_weight, own_weight = train.blend(train.seed_model(), corrections)
    assert regularisation in train.EXPERT_REGULARISATIONS
    assert own_weight > seed_weight
