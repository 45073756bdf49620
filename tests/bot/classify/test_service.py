"""What a person sees from `MentionClassifier`: the team, the tone, the urgency and why."""

from __future__ import annotations

import json
import re

import pytest

from bot.classify.service import MentionClassifier, Post
from bot.taxonomy import CATEGORIES, UNSURE_BELOW
from tests.builders import workspace


@pytest.fixture(scope="module")
def classifier() -> MentionClassifier:
    return MentionClassifier.offline()


ACME = {"name": "Acme", "terms": ["Acme", "@acmehq"]}
"""The company as the classifier knows it: named plainly and by its handle."""


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("@AcmeSupport I was charged twice and my order still hasn't arrived", "support_issue"),
        ("The app crashes every time I open a photo since the update", "support_issue"),
        ("Please add a dark mode, it would make the app perfect", "product_feedback"),
        ("We're hiring a senior backend engineer, remote, $150k + equity", "hiring_signal"),
        ("Can anyone recommend a CRM for a five-person agency?", "sales_lead"),
        ("Happy birthday to my best friend, love you!", "noise"),
    ],
)
def test_clear_posts_go_to_the_right_team(classifier, text, category):
    assert classifier.classify_text(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        "Any good alternatives to Globex? Their support has gone downhill",
        "We're switching from Globex next quarter",
        "Globex vs Acme for a team of 30",
        # in other languages, however the name bends
        "Etsimme vaihtoehtoa Globexille, hinnat nousivat taas",
        "Wir wollen von Globex wechseln, gibt es gute Alternativen?",
        "Buscamos una alternativa a Globex para nuestro equipo",
    ],
)
def test_a_competitor_named_as_something_to_leave_is_a_sales_lead(text):
    result = MentionClassifier.offline(
        workspace(company={**ACME, "competitors": ["Globex"]})
    ).classify_text(text)
    assert result.category == "sales_lead"
    assert any("Globex" in reason for reason in result.evidence)


def test_a_custom_phrase_leans_its_category():
    text = "Does the volume discount apply from 20 boxes?"
    plain = MentionClassifier.offline(workspace(company=ACME)).classify_text(text)
    phrased = MentionClassifier.offline(
        workspace(company={**ACME, "phrases": {"sales_lead": ["volume discount"]}})
    ).classify_text(text)
    assert phrased.scores["sales_lead"] > plain.scores["sales_lead"]
    assert 'says "volume discount"' in phrased.evidence


@pytest.mark.parametrize(
    ("text", "language", "category"),
    [
        (
            "Sovellus kaatuu joka kerta kun yritän kirjautua sisään, auttakaa!",
            "fi",
            "support_issue",
        ),
        (
            "Appen kraschar varje gång jag försöker logga in, vad ska jag göra?",
            "sv",
            "support_issue",
        ),
        ("Die App stürzt jedes Mal ab, wenn ich mich anmelden will. Hilfe!", "de", "support_issue"),
        (
            "La app se cuelga cada vez que intento iniciar sesión, ¿alguien sabe por qué?",
            "es",
            "support_issue",
        ),
        (
            "Haemme senioritason backend-kehittäjää Helsinkiin, etätyö mahdollinen",
            "fi",
            "hiring_signal",
        ),
        (
            "Vi söker en erfaren frontendutvecklare till vårt team i Stockholm",
            "sv",
            "hiring_signal",
        ),
        ("Kann jemand ein gutes CRM für ein kleines Team empfehlen?", "de", "sales_lead"),
        ("¿Alguien me recomienda un software de facturación para autónomos?", "es", "sales_lead"),
        ("Olisi kiva jos sovellukseen tulisi tumma teema", "fi", "product_feedback"),
        ("Estaría genial que añadieran un modo oscuro a la app", "es", "product_feedback"),
    ],
)
def test_languages_read_reach_a_team_as_english_does(classifier, text, language, category):
    result = classifier.classify_text(text)
    assert (result.language, result.category) == (language, category)
    assert result.confidence >= UNSURE_BELOW
    assert not any("does not read" in reason for reason in result.evidence)


def test_a_language_not_read_is_left_to_triage_and_says_which(classifier):
    result = classifier.classify_text("L'app si blocca ogni volta che provo ad accedere al conto")
    assert result.language == "it"
    assert result.confidence < UNSURE_BELOW
    assert any("written in it, which Silta does not read" in e for e in result.evidence)


@pytest.mark.parametrize(
    ("text", "language", "feeling"),
    [
        ("Die App ist wirklich schlecht und der Support ist eine Katastrophe", "de", "negative"),
        ("Super App, tolle Arbeit, ich bin begeistert!", "de", "positive"),
        ("Application vraiment horrible, je suis déçu", "fr", "negative"),
        ("Geweldige app, echt heel mooi gemaakt", "nl", "positive"),
        ("Sovellus on aivan surkea ja asiakaspalvelu ei vastaa", "fi", "unknown"),
        ("La aplicación es horrible y nadie responde", "es", "unknown"),
    ],
)
def test_sentiment_is_read_where_a_lexicon_exists_and_unknown_elsewhere(
    classifier, text, language, feeling
):
    result = classifier.classify_text(text)
    assert (result.language, result.sentiment) == (language, feeling)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Koko palvelu on ollut alhaalla aamusta asti, mikään ei toimi", "an outage"),
        ("Tjänsten ligger nere sedan i morse och ingenting fungerar", "an outage"),
        ("Ihr habt mir den Betrag doppelt abgebucht, ich will mein Geld zurück", "money"),
        ("Voy a hablar con mi abogado si no me devuelven el dinero", "legal action"),
    ],
)
def test_urgency_reasons_are_read_in_every_language(classifier, text, reason):
    assert any(reason in said for said in classifier.classify_text(text).reasons)


def test_english_gets_a_sentiment(classifier):
    result = classifier.classify_text("This update is terrible, everything is broken again")
    assert result.language == "en"
    assert result.polarity is not None and result.polarity < 0
    assert result.sentiment == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "Acme is down " * 8000,
        "😀🎉👍🔥",
        "<p>Hi <b>Acme</b></p><script>alert('x')</script>",
        "https://example.com/some/long/path?with=query",
        "@acmehq",
        "日本語のテキストです。注文が届きません。",
        "\x00\x01 weird control characters \u200b",
        "Die App crasht, la app se cuelga, sovellus kaatuu, appen kraschar, the app crashes",
        "<div><a href='https://x.io'>Klicka här</a> för att få <b>gratis</b> pengar</div>",
    ],
)
def test_bad_input_gets_an_answer_never_an_exception(classifier, text):
    result = classifier.classify_text(text)
    assert result.category in CATEGORIES
    assert 0 <= result.confidence <= 1
    assert 0 <= result.urgency <= 1
    assert json.loads(result.to_json())["category"] == result.category


def test_nothing_to_read_is_noise_and_says_so(classifier):
    for text in ("", "  ", "👍👍", "https://acme.io/x"):
        result = classifier.classify_text(text)
        assert result.category == "noise"
        assert result.sentiment == "unknown"
        assert result.evidence


def test_the_json_carries_every_field_a_person_needs(classifier):
    shown = json.loads(classifier.classify_text("Acme checkout is down, I can't pay").to_json())
    assert set(shown) >= {
        "category",
        "confidence",
        "scores",
        "secondary",
        "polarity",
        "subjectivity",
        "sentiment",
        "urgency",
        "reasons",
        "language",
        "model_version",
        "evidence",
    }
    assert set(shown["scores"]) == set(CATEGORIES)
    assert shown["model_version"].startswith("seed-")


def test_an_angry_post_about_an_outage_is_urgent_and_says_why(classifier):
    result = classifier.classify_text("Acme is down AGAIN, terrible, our whole checkout is broken")
    assert result.urgency >= 0.5
    assert "negative and about an outage" in result.reasons


def test_a_calmly_worded_security_hole_with_a_disclosure_date_is_urgent(classifier):
    """Researchers write flatly; the exposed data and the deadline are what make it urgent,
    over the default `alerts.urgency_threshold` (0.7) even without reach."""
    result = classifier.classify_text(
        "Acme's export links are guessable: changing one digit gave me another company's staff"
        " list with home addresses. Reported a month ago, no reply. Disclosing in 7 days."
    )
    assert result.urgency >= 0.7
    assert {"about a security problem", "about a public disclosure"} <= set(result.reasons)


def test_talk_of_journalists_or_phone_numbers_alone_raises_nothing(classifier):
    for text in (
        "This journalist has no idea what he is writing about Acme",
        "How do I change the phone numbers on my Acme profile?",
    ):
        reasons = classifier.classify_text(text).reasons
        assert not any(r.endswith(("security problem", "public disclosure")) for r in reasons)


def test_reach_and_spikes_raise_urgency(classifier):
    text = "The Acme login page is not loading"
    quiet = classifier.classify_posts([Post(text)])[0]
    loud = classifier.classify_posts([Post(text, reach=250_000, similar=9)])[0]
    assert loud.urgency > quiet.urgency
    assert "author reaches 250k people" in loud.reasons
    assert "spike: 9 similar mentions this hour" in loud.reasons


def test_a_calm_feature_request_is_not_urgent(classifier):
    result = classifier.classify_text("It would be nice to have keyboard shortcuts in the editor")
    assert result.urgency == 0
    assert result.reasons == []


def test_a_batch_decides_like_single_posts(classifier):
    texts = ["Please add CSV export", "Acme raises $10M", "", "Is Acme hiring interns?"]
    batch = classifier.classify_posts([Post(t) for t in texts])
    assert [r.category for r in batch] == [classifier.classify_text(t).category for t in texts]


@pytest.mark.parametrize(
    "text",
    [
        "Sovellus kaatuu aina kun avaan laskun, ei toimi ollenkaan",
        "Die App stürzt jedes Mal ab, wenn ich mich anmelde",
        "Busco una alternativa a Notion para mi equipo, ¿qué recomendáis?",
    ],
)
def test_evidence_quotes_the_words_the_author_wrote(classifier, text):
    """A Finnish reader sees "kaatuu" (crashes), not only the English the model read."""
    said = next(e for e in classifier.classify_text(text).evidence if e.startswith("words: "))
    quoted = re.findall(r'"([^"]+)"', said)
    assert quoted
    assert all(word in text.lower() for word in quoted), said
    assert "(" in said  # the English beside a word in another language
    assert len(quoted) == len(set(quoted))
