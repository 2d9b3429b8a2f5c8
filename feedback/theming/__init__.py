"""Theme, sentiment and safeguarding analysis of children's comments.

A pure library: it imports neither Flask nor SQLAlchemy. ``analyse`` may
raise; ``analyse_safely`` never does and flags the comment for a person
instead.
"""

from feedback.theming.analyser import Analyser, analyse, analyse_safely
from feedback.theming.evaluation import LabelledExample
from feedback.theming.learn import Comparison, ThemeClassifier, compare, train
from feedback.theming.errors import LexiconError
from feedback.theming.lexicon import (
    THEME_CODES,
    Lexicon,
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
    "Comparison",
    "LabelledExample",
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
    "compare",
    "load_lexicon",
    "load_taxonomy",
    "train",
]
