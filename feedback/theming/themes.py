"""Match comments to themes with the lexicon's terms, patterns and exclusions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from feedback.theming.lexicon import Lexicon
from feedback.theming.patterns import PatternIndex, compile_pattern
from feedback.theming.text import Tokens

TERM_WEIGHT = 0.75
PATTERN_WEIGHT = 0.8
FALLBACK_WEIGHT = 0.5
FOREIGN_WEIGHT = 0.6


@dataclass(frozen=True)
class Trigger:
    """A piece of the comment that signals a theme, and how strongly."""

    code: str
    text: str
    weight: float


class _TermIndex:
    """Longest-match lookup of multi-word terms over folded tokens."""

    def __init__(self, entries: Iterable[tuple[tuple[str, ...], str]]) -> None:
        self._by_first: dict[str, dict[tuple[str, ...], set[str]]] = {}
        for words, code in entries:
            if words:
                self._by_first.setdefault(words[0], {}).setdefault(words, set()).add(code)
        self._sorted = {first: sorted(terms, key=len, reverse=True)
                        for first, terms in self._by_first.items()}

    def scan(self, folded: tuple[str, ...]) -> list[tuple[int, int, str, set[str]]]:
        """Return (start, end, term, codes) for each longest match, left to right."""
        found = []
        index = 0
        while index < len(folded):
            for words in self._sorted.get(folded[index], ()):
                if folded[index:index + len(words)] == words:
                    codes = self._by_first[folded[index]][words]
                    found.append((index, index + len(words), " ".join(words), codes))
                    index += len(words)
                    break
            else:
                index += 1
        return found


class ThemeMatcher:
    """Find the themes a comment talks about, with the words that triggered them."""

    def __init__(self, lexicon: Lexicon,
                 fold_phrase: Callable[[str], tuple[str, ...]]) -> None:
        self._terms = _TermIndex((fold_phrase(term), theme.code)
                                 for theme in lexicon.themes for term in theme.terms)
        self._fallback = _TermIndex((fold_phrase(term), theme.code)
                                    for theme in lexicon.themes for term in theme.fallback_terms)
        self._patterns = PatternIndex((theme.code, compile_pattern(source))
                                      for theme in lexicon.themes for source in theme.patterns)
        self._exclude = PatternIndex((theme.code, compile_pattern(source))
                                     for theme in lexicon.themes for source in theme.exclude)
        self._foreign = {
            language: PatternIndex((theme.code, compile_pattern(source, accents=False))
                                   for theme in lexicon.themes
                                   for source in theme.translations.get(language, ()))
            for language in {lang for theme in lexicon.themes for lang in theme.translations}
        }

    def match(self, tokens: Tokens, *, allow_fallback: bool = True) -> list[Trigger]:
        """Return the theme triggers in an English comment.

        Fallback terms count only when nothing else names a theme and
        ``allow_fallback`` is true (the caller knows of no other theme).
        """
        excluded = self._excluded(tokens)
        triggers = [Trigger(code, term, TERM_WEIGHT)
                    for start, end, term, codes in self._terms.scan(tokens.folded)
                    for code in sorted(codes)
                    if not excluded.get(code, set()).intersection(range(start, end))]
        for code, pattern in self._patterns.candidates(tokens.word_set, tokens.text):
            for start, end in pattern.spans(tokens.text):
                if not excluded.get(code, set()).intersection(tokens.span_tokens(start, end)):
                    triggers.append(Trigger(code, tokens.text[start:end].strip(),
                                            PATTERN_WEIGHT))
        if not triggers and allow_fallback:
            # A feeling about a named topic belongs to the topic (TAXONOMY.md).
            triggers = [Trigger(code, term, FALLBACK_WEIGHT)
                        for start, end, term, codes in self._fallback.scan(tokens.folded)
                        for code in sorted(codes)
                        if not excluded.get(code, set()).intersection(range(start, end))]
        return triggers

    def match_foreign(self, tokens: Tokens, language: str) -> list[Trigger]:
        """Return the theme triggers in a comment in another language."""
        index = self._foreign.get(language)
        if index is None:
            return []
        return [Trigger(code, tokens.text[start:end].strip(), FOREIGN_WEIGHT)
                for code, pattern in index.candidates(tokens.word_set, tokens.text)
                for start, end in pattern.spans(tokens.text)]

    def _excluded(self, tokens: Tokens) -> dict[str, set[int]]:
        excluded: dict[str, set[int]] = {}
        for code, pattern in self._exclude.candidates(tokens.word_set, tokens.text):
            for start, end in pattern.spans(tokens.text):
                excluded.setdefault(code, set()).update(tokens.span_tokens(start, end))
        return excluded
