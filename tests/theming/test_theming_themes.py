"""Themes: each comment is tagged with what it talks about, and nothing for nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from feedback.theming import THEME_CODES, Analyser, Analysis


@pytest.mark.parametrize(("text", "code"), [
    ("i got a detention for forgetting my homework", "school"),
    ("my key worker sorted out my bus pass", "social_worker"),
    ("nobody asked me before they changed the plan", "being_heard"),
    ("i go to street dance on wednesdays", "activities"),
    ("my bestie moved away and now i sit on my own at lunch", "friends"),
    ("i want to be an electrician when i leave school", "future"),
    ("i go to the mosque with my uncle on fridays", "identity"),
    ("i keep having panic attacks", "health"),
    ("my grandad takes me fishing", "family"),
    ("my foster carers let me choose the paint for my bedroom", "home"),
    ("some lads in the park keep picking on me", "safety"),
])
def test_each_theme_is_found_from_its_own_words(analyse: Callable[..., Analysis],
                                                text: str, code: str) -> None:
    assert code in analyse(text).theme_codes


def test_a_feeling_about_a_named_topic_takes_the_topic_only(
        analyse: Callable[..., Analysis]) -> None:
    assert analyse("i am so worried about my science exam").theme_codes == ("school",)


def test_a_general_feeling_is_health(analyse: Callable[..., Analysis]) -> None:
    assert analyse("i feel sad most of the time").theme_codes == ("health",)


def test_negation_keeps_the_topic(analyse: Callable[..., Analysis]) -> None:
    assert "school" in analyse("i don't hate school any more").theme_codes


def test_foster_family_is_home_not_family(analyse: Callable[..., Analysis]) -> None:
    assert analyse("my foster mum is lovely").theme_codes == ("home",)


def test_slang_safe_about_a_person_is_not_the_safety_theme(
        analyse: Callable[..., Analysis]) -> None:
    assert analyse("my new key worker is safe").theme_codes == ("social_worker",)


def test_themes_come_in_taxonomy_order_with_triggers(analyse: Callable[..., Analysis]) -> None:
    analysis = analyse("after the review i went to football with my cousin")
    assert list(analysis.theme_codes) == sorted(analysis.theme_codes, key=THEME_CODES.index)
    assert all(match.triggers and 0 < match.confidence <= 1 for match in analysis.themes)


@pytest.mark.parametrize("text", ["", "   ", "idk", "no", "nothing", "nah", "dunno", "n/a",
                                  "same as before", "😐"])
def test_low_information_comments_have_no_themes(analyse: Callable[..., Analysis],
                                                 text: str) -> None:
    analysis = analyse(text)
    assert (analysis.themes, analysis.sentiment.label, analysis.safeguarding.flagged) == (
        (), "neutral", False)


def test_comments_in_other_languages_get_themes_from_translations(
        analyse: Callable[..., Analysis]) -> None:
    assert "school" in analyse("Mi colegio es muy grande", "es").theme_codes


@pytest.mark.parametrize("text", [
    "i have a hearing aid and people stare at it",
    "the boys say i cant play because im a girl",
    "my foster dad is from nigeria and cooks jollof",
    "i want to keep my surname when i get adopted",
    "i dont want anyone at school to know im in care",
    "i am learning urdu with my auntie",
])
def test_identity_is_found_beyond_religion_and_race(analyse: Callable[..., Analysis],
                                                    text: str) -> None:
    assert "identity" in analyse(text).theme_codes


def test_someone_elses_illness_is_family_not_health(analyse: Callable[..., Analysis]) -> None:
    assert analyse("my grandad is really poorly").theme_codes == ("family",)


def test_a_parents_friends_are_not_the_childs_friends(analyse: Callable[..., Analysis]) -> None:
    assert "friends" not in analyse("my dads mates come round to watch the boxing").theme_codes


def test_the_lexicon_tags_stress_and_wanting_by_what_they_are_about(analyser: Analyser) -> None:
    def lexical(text: str) -> set[str]:
        return {trigger.code for trigger in
                analyser.themes.match(analyser.prepare(text).english, allow_fallback=True)}

    # "panicking about my GCSEs" is school: stress about a named topic is the topic.
    assert lexical("i am really stressed about my exams") == {"school"}
    assert lexical("i feel so overwhelmed all the time") == {"health"}
    # Wanting or "going to" is not the future unless a future is named.
    assert "future" not in lexical("it is going to be fine")
    assert "future" not in lexical("i want to be with my mum")
    assert "future" in lexical("i want to be a nurse")
