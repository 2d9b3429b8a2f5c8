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

    ``flagged``: a person reads it today, at one of two tiers. ``confident``: the
    tier is urgent (a rule fired, the reader is sure, the words could not be
    checked, or analysis failed): a same-day alert that escalates. Flagged but not
    confident is a concern: possible harm, read today, no escalation.
    """

    flagged: bool
    reasons: tuple[str, ...]
    confident: bool = True

    @property
    def urgent(self) -> bool:
        """Return whether this is a same-day alert (the tag output's ``safeguarding``)."""
        return self.flagged and self.confident

    @property
    def concern(self) -> bool:
        """Return whether this is possible harm to read today, without escalation."""
        return self.flagged and not self.confident


@dataclass(frozen=True)
class Analysis:
    """Everything the theming module says about one comment."""

    themes: tuple[ThemeMatch, ...]
    sentiment: Sentiment
    safeguarding: Safeguarding
    needs_review: bool
    language: str

    @property
    def concern(self) -> bool:
        """Return whether the comment may describe harm (read today, no escalation)."""
        return self.safeguarding.concern

    @property
    def theme_codes(self) -> tuple[str, ...]:
        """Return the theme codes in taxonomy order."""
        return tuple(match.code for match in self.themes)
