"""Theme, sentiment and safeguarding analysis of children's comments.

A pure library: it imports neither Flask nor SQLAlchemy. ``analyse`` may
raise; ``analyse_safely`` never does and flags the comment for a person
instead.
"""

from feedback.theming.analyser import Analyser, ThemeClassifier, analyse, analyse_safely
from feedback.theming.lexicon import (
    THEME_CODES,
    Lexicon,
    LexiconError,
    SafeguardingRule,
    Theme,
    load_lexicon,
    load_taxonomy,
)
from feedback.theming.results import Analysis, Safeguarding, Sentiment, ThemeMatch

__all__ = [
    "THEME_CODES",
    "Analyser",
    "Analysis",
    "Lexicon",
    "LexiconError",
    "Safeguarding",
    "SafeguardingRule",
    "Sentiment",
    "Theme",
    "ThemeClassifier",
    "ThemeMatch",
    "analyse",
    "analyse_safely",
    "load_lexicon",
    "load_taxonomy",
]
