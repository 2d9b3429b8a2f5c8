"""What an analysis returns: themes, sentiment and the safeguarding flag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SentimentLabel = Literal["positive", "negative", "mixed", "neutral"]
SENTIMENT_LABELS: tuple[SentimentLabel, ...] = ("positive", "negative", "mixed", "neutral")


@dataclass(frozen=True)
class ThemeMatch:
    """A theme found in a comment, how sure we are, and the words that signalled it."""

    code: str
    confidence: float
    triggers: tuple[str, ...]


@dataclass(frozen=True)
class Sentiment:
    """The child's overall feeling in the comment."""

    label: SentimentLabel
    polarity: float


@dataclass(frozen=True)
class Safeguarding:
    """Whether a person must read the comment today, and why (in words for staff).

    ``confident``: a rule fired, or the words could not be checked at all, so the
    alert is urgent; False when only the weak-signal nets flagged it (a concern).
    """

    flagged: bool
    reasons: tuple[str, ...]
    confident: bool = True


@dataclass(frozen=True)
class Analysis:
    """Everything the theming module says about one comment."""

    themes: tuple[ThemeMatch, ...]
    sentiment: Sentiment
    safeguarding: Safeguarding
    needs_review: bool
    language: str

    @property
    def theme_codes(self) -> tuple[str, ...]:
        """Return the theme codes in taxonomy order."""
        return tuple(match.code for match in self.themes)
