"""Word features shared by the reader and the example comments it learns from.

The example comments (``examples/*.jsonl``) were written for training from the
taxonomy's definitions, never from a labelled evaluation set. The reader
(``reader.py``) learns from them and from the project's labelled sets.
"""

from __future__ import annotations

from pathlib import Path

from feedback.theming.concern import NEGATORS
from feedback.theming.wordlists import negation_stops
from feedback.theming.text import Tokens, is_boundary

EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
# Words that carry nothing on their own; they still count inside word pairs.
_STOPWORDS = frozenset(
    "a an the and or to of in on at is am are was were be been it its this that for with "
    "so do does did have has had will would can could just you your we our they them "
    "there what when".split())


def features(tokens: Tokens) -> frozenset[str]:
    """Return a comment's folded words (less stopwords) and adjacent word pairs.

    A word in the scope of a negator ("never hit me", "nobody shouts") becomes
    a different feature ("not:hit"), so "my dad has never hit me" does not read
    like "my dad hit me". The scope ends at punctuation or a contrast.
    """
    folded = negation_marked(tokens.folded)
    words = {word for word in folded if word[0].isalnum() and word not in _STOPWORDS}
    pairs = {f"{a} {b}" for a, b in zip(folded, folded[1:])
             if not (is_boundary(a) or is_boundary(b)) and a[0].isalnum() and b[0].isalnum()}
    return frozenset(words | pairs)


def content_words(tokens: Tokens) -> int:
    """Return how many distinct content words the comment has (not "i", "not", "the"...)."""
    return len({word for word in tokens.folded if word[0].isalpha()
                and word not in _STOPWORDS and word not in _NEGATORS
                and word not in _PRONOUNS})


_PRONOUNS = frozenset("i me my mine myself he him his she her hers it".split())


def negation_marked(words: tuple[str, ...]) -> tuple[str, ...]:
    """Return the words with each one in a negator's scope written ``not:word``."""
    marked, scope = [], 0
    for word in words:
        if word in _NEGATORS:
            scope = _NEGATION_REACH
            marked.append(word)
        elif scope and word[0].isalnum() and word not in _SCOPE_ENDS:
            scope -= 1
            marked.append(word if word in _STOPWORDS else f"not:{word}")
        else:
            scope = 0
            marked.append(word)
    return tuple(marked)


_NEGATORS = NEGATORS
_SCOPE_ENDS = negation_stops("en")
_NEGATION_REACH = 4
