"""Text handling for children's writing: tokens, text-speak, misspellings, plurals.

Misspellings are corrected from the list in language.toml ("skool", "frend",
"scard"), not by guessing: an automatic one-edit corrector turned "trapped"
into "tripped" and "riting" into "riding" (see docs/theming.md).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from feedback.theming.patterns import fold_accents

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.!?;]+|[^\w\s]")
_JOINER = re.compile(r"(?<=[^\W\d_])[-‐–/](?=[^\W\d_])")
_CLEAN = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"',
                        "\u200d": None, "\ufe0f": None, "\n": " . ", "\r": " "})
BOUNDARY = frozenset(".!?;")
_IS_AFTER = frozenset("it he she that there what who where here".split())
_OWNERS = frozenset("my our his her your".split())
_MAX_CACHE = 200_000
# "ill", "hell", "shell" are words, but before a verb they are "I'll", "he'll", "she'll".
_BEFORE_VERB = {"ill": ("i", "will"), "hell": ("he", "will"), "shell": ("she", "will"),
                "wed": ("we", "would"), "id": ("i", "would")}
# Younger children write "know" as "no": "i dont no why", "good to no".
_KNOW_AFTER = frozenset("i not you u they we to".split())
_NO_BEFORE = frozenset("one body more longer where way matter avail end thanks idea".split())
_VERBS = frozenset(
    "be get go do tell have see never just kill try make regret come call ring text need "
    "probably always still not give take let miss stay say show start stop leave run hurt "
    "cut die send find know hit beat batter stab smash sort talk like love hate want put "
    "end post share ruin really definitely".split())


def tokenise(text: str) -> list[str]:
    """Split lower-cased ``text`` into word, punctuation and emoji tokens."""
    cleaned = _JOINER.sub(" ", unicodedata.normalize("NFC", text).lower().translate(_CLEAN))
    return _TOKEN.findall(cleaned)


def is_boundary(token: str) -> bool:
    """Return whether ``token`` ends a sentence (full stop, ! ? ; or a line break)."""
    return token[:1] in BOUNDARY


@dataclass(frozen=True)
class Tokens:
    """Normalised tokens with a padded text form that phrase patterns run over."""

    words: tuple[str, ...]
    folded: tuple[str, ...]

    @cached_property
    def text(self) -> str:
        """Return the tokens joined by single spaces, with a space at each end."""
        return " " + " ".join(self.words) + " "

    @cached_property
    def folded_text(self) -> str:
        """Return the folded tokens joined by single spaces, with a space at each end."""
        return " " + " ".join(self.folded) + " "

    @cached_property
    def word_set(self) -> frozenset[str]:
        """Return the distinct normalised tokens."""
        return frozenset(self.words)

    @cached_property
    def starts(self) -> tuple[int, ...]:
        """Return the offset in ``text`` of the space before each token."""
        offsets, position = [], 0
        for word in self.words:
            offsets.append(position)
            position += len(word) + 1
        return tuple(offsets)

    @cached_property
    def sentence_of(self) -> tuple[int, ...]:
        """Return, for each token, the number of the sentence it belongs to."""
        numbers, current = [], 0
        for word in self.words:
            numbers.append(current)
            if is_boundary(word):
                current += 1
        return tuple(numbers)

    def token_index(self, offset: int) -> int:
        """Return the index of the token whose preceding space is at or before ``offset``."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def span_tokens(self, start: int, end: int) -> range:
        """Return the token indexes covered by a match from ``start`` to ``end``."""
        return range(self.token_index(start), self.token_index(max(start, end - 1)) + 1)


class PhraseSet:
    """Whole-word phrases, any of which can be found with one regex search."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        alternatives = sorted({" ".join(phrase) for phrase in phrases if phrase}, key=len,
                              reverse=True)
        self._regex = re.compile(
            " (?:" + "|".join(re.escape(text) for text in alternatives) + ") "
        ) if alternatives else None

    def found_in(self, padded: str) -> bool:
        """Return whether a phrase occurs in space-padded text such as Tokens.folded_text."""
        return bool(self._regex and self._regex.search(padded))


class Normaliser:
    """Turn a comment into normalised, singular-folded English tokens."""

    def __init__(self, textspeak: Mapping[str, str], after_my: Mapping[str, str],
                 known: frozenset[str], protected: frozenset[str],
                 singularize: Callable[[str], str]) -> None:
        self._textspeak = {key: tuple(value.split()) for key, value in textspeak.items()}
        self._after_my = dict(after_my)
        # Words the lexicon lists itself are never folded ("sats" must not become "sat").
        self._known = known
        self._protected = protected
        self._singularize = singularize
        self._words: dict[str, tuple[str, ...]] = {}
        self._folds: dict[str, str] = {}

    def normalise(self, text: str) -> Tokens:
        """Return the normalised tokens of an English comment."""
        return self.normalise_tokens(tokenise(text))

    def normalise_tokens(self, raw: list[str]) -> Tokens:
        """Return the normalised form of tokens from tokenise()."""
        words: list[str] = []
        for index, token in enumerate(raw):
            following = raw[index + 1] if index + 1 < len(raw) else ""
            if words and words[-1] in _OWNERS and token in self._after_my:
                words.append(self._after_my[token])
            elif token == "no" and words and words[-1] in _KNOW_AFTER \
                    and following not in _NO_BEFORE:
                words.append("know")
            elif token in _BEFORE_VERB and following in _VERBS:
                words.extend(_BEFORE_VERB[token])
            else:
                words.extend(self._expand(token))
        return Tokens(tuple(words), tuple(self.fold(word) for word in words))

    def fold(self, word: str) -> str:
        """Return the singular of a plural the lexicon does not list itself."""
        folded = self._folds.get(word)
        if folded is None:
            folded = word
            if len(word) > 3 and word.endswith("s") and not word.endswith("ss") \
                    and word not in self._protected:
                singular = self._singularize(word)
                folded = singular if singular in self._known else word
            if len(self._folds) < _MAX_CACHE:
                self._folds[word] = folded
        return folded

    def _expand(self, token: str) -> tuple[str, ...]:
        cached = self._words.get(token)
        if cached is None:
            cached = self._lookup(token)
            if len(self._words) < _MAX_CACHE:
                self._words[token] = cached
        return cached

    def _lookup(self, token: str) -> tuple[str, ...]:
        if token in self._textspeak:
            return self._textspeak[token]
        if "'" in token and token.strip("'"):
            if token.endswith("'s"):
                base = token[:-2]
                return (base, "is") if base in _IS_AFTER else (base,)
            return self._lookup(token.replace("'", ""))
        if len(token) > 3 and token.isalpha() and token not in self._known:
            for restored in _unclipped(token):
                if restored in self._known:
                    return (restored,)
        return (token,)


def _unclipped(token: str) -> tuple[str, ...]:
    """Return what a word with a letter dropped in quick typing may have been:
    "eatin" -> "eating", "touchd" -> "touched", "grabd" -> "grabbed".
    The normaliser takes one only when the written word is not English and it is."""
    if token.endswith("in"):
        return (token[:-2] + "ing",)
    if token.endswith("d") and len(token) > 4:  # not "cand" (Romanian "when") -> "caned"
        return (token[:-1] + "ed", token[:-1] + token[-2] + "ed")
    return ()


def foreign_tokens(text: str, raw: list[str] | None = None) -> Tokens:
    """Return accent-folded tokens for a comment that is not in English.

    ``raw`` may pass tokenise(text) when the text is plain ASCII (nothing to fold).
    """
    if raw is None or not text.isascii():
        # Fold before splitting: Arabic short vowels would otherwise split words.
        raw = tokenise(fold_accents(text))
    words = tuple(raw)
    return Tokens(words, words)
