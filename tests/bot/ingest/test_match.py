"""Which texts are about the company: its terms as whole words, unless an excluded phrase
is there."""

from bot.ingest.match import BrandMatcher


def test_terms_match_whole_words_only():
    match = BrandMatcher.of(["Acme", "acme.io", "@acmehq"])
    assert match.matches("I love ACME!")
    assert match.matches("see acme.io/pricing")
    assert match.matches("ping @acmehq please")
    assert not match.matches("acmes are birds")
    assert not match.matches("pacme")
    assert not match.matches("email me at x@acmehqs.com")


def test_a_text_with_an_excluded_phrase_is_not_about_us():
    match = BrandMatcher.of(["Acme"], ["Wile E. Coyote", "acme corporation looney"])
    assert not match.matches("Wile E.  Coyote ordered a rocket from Acme")
    assert not match.matches("Acme Corporation Looney Tunes")
    assert not match.matches("Acme rockets", "by wile e. coyote")
    assert match.matches("Acme Corporation's new app")
    assert match.matches(None, "title-less Acme post")
