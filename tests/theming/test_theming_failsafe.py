"""Fail safe: a failure of the analysis flags the comment for a person, never silence."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.theming import Analyser, analyse_safely
from feedback.theming.text import Tokens


class BrokenClassifier:
    """A learned model that fails, as a corrupt model file might."""

    def suggest(self, tokens: Tokens) -> dict[str, float]:
        raise RuntimeError("model file is corrupt")


def test_a_failing_component_gives_a_flagged_analysis_for_review(analyser: Analyser) -> None:
    broken = Analyser(analyser.lexicon, BrokenClassifier())
    analysis = broken.analyse_safely("school was fine today")
    assert analysis.safeguarding.flagged
    assert analysis.safeguarding.reasons == ("analysis failed",)
    assert analysis.needs_review


def test_analyse_itself_raises_so_the_caller_can_fail_safe(analyser: Analyser) -> None:
    broken = Analyser(analyser.lexicon, BrokenClassifier())
    try:
        broken.analyse("school was fine today")
    except RuntimeError:
        return
    raise AssertionError("analyse should let the failure through")


def test_text_that_is_not_a_string_is_flagged_not_dropped() -> None:
    analysis = analyse_safely(None)  # type: ignore[arg-type]
    assert analysis.safeguarding.flagged and analysis.needs_review


def test_a_bad_language_argument_is_flagged_not_raised() -> None:
    analysis = analyse_safely("i am fine", 42)  # type: ignore[arg-type]
    assert analysis.safeguarding.flagged and analysis.language == "und"


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_analysed_without_error(analyser: Analyser, text: str) -> None:
    analysis = analyser.analyse(text)
    assert analysis.sentiment.label in ("positive", "negative", "mixed", "neutral")
    assert -1.0 <= analysis.sentiment.polarity <= 1.0
