"""Rules-first safeguarding detector: recall first, every flag with its reasons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from feedback.theming.lexicon import SafeguardingRule
from feedback.theming.patterns import PatternIndex, PhrasePattern, compile_pattern
from feedback.theming.text import Tokens, is_boundary
from feedback.theming.wordlists import harm_negation_stops, negators

NEGATORS = negators("en")
_WINDOW_STOPS = harm_negation_stops("en")
_HELP_ONLY = frozenset("help me please pls plz now someone somebody sos urgent".split())
HELP_REASON = "asks for urgent help or for someone to contact them"


@dataclass(frozen=True)
class RuleHit:
    """A safeguarding rule that fired, with the words that fired it."""

    rule: SafeguardingRule
    evidence: str


@dataclass(frozen=True)
class _CompiledRule:
    rule: SafeguardingRule
    requires: tuple[PhrasePattern, ...]
    unless: tuple[PhrasePattern, ...]


class SafeguardingDetector:
    """Run the safeguarding rules over a comment's English and accent-free tokens."""

    def __init__(self, rules: Sequence[SafeguardingRule]) -> None:
        self._rules: list[_CompiledRule] = []
        english: list[tuple[int, PhrasePattern]] = []
        foreign: list[tuple[int, PhrasePattern]] = []
        # Broad word lists for one language live in their own index, so the
        # other comments (nearly all English) never pay for scanning them.
        by_language: dict[str, list[tuple[int, PhrasePattern]]] = {}
        for number, rule in enumerate(rules):
            accents = rule.language == "en"
            self._rules.append(_CompiledRule(
                rule,
                tuple(compile_pattern(p, accents=accents) for p in rule.requires),
                tuple(compile_pattern(p, accents=accents) for p in rule.unless),
            ))
            if rule.detected_only:
                target = by_language.setdefault(rule.language, [])
            else:
                target = english if accents else foreign
            target.extend((number, compile_pattern(p, accents=accents)) for p in rule.patterns)
        self._english = PatternIndex(english)
        self._foreign = PatternIndex(foreign)
        self._by_language = {language: PatternIndex(entries)
                             for language, entries in by_language.items()}

    def detect(self, english: Tokens, foreign: Tokens,
               language: str | None = None) -> list[RuleHit]:
        """Return one hit per rule that fires on either form of the comment.

        ``language`` is the detected language: rules marked ``detected_only``
        run only when it matches theirs.
        """
        hits: dict[int, RuleHit] = {}
        passes = [(self._english, english, True), (self._foreign, foreign, False)]
        if language in self._by_language:
            passes.append((self._by_language[language], foreign, False))
        for index, tokens, is_english in passes:
            for number, pattern in index.candidates(tokens.word_set, tokens.text):
                if number not in hits:
                    hit = self._check(self._rules[number], pattern, tokens, is_english)
                    if hit:
                        hits[number] = hit
        if not hits and _only_asks_for_help(english):
            return [RuleHit(_HELP_RULE, "help")]
        return [hits[number] for number in sorted(hits)]

    def _check(self, compiled: _CompiledRule, pattern: PhrasePattern, tokens: Tokens,
               is_english: bool) -> RuleHit | None:
        for start, end in pattern.spans(tokens.text):
            first = tokens.token_index(start)
            if is_english and compiled.rule.negatable and _negated(tokens.words, first):
                continue
            sentence = tokens.sentence_of[first]
            if any(tokens.sentence_of[tokens.token_index(s)] == sentence
                   for unless in compiled.unless for s, _ in unless.spans(tokens.text)):
                continue
            if all(needed.found(tokens.text) for needed in compiled.requires):
                return RuleHit(compiled.rule, tokens.text[start:end].strip())
        return None


def _negated(words: tuple[str, ...], first: int) -> bool:
    """Return whether a negator sits within three words before the match, same clause.

    A new subject ends the reach: "nobody knows he hits me" still fires.
    """
    for back in range(first - 1, max(-1, first - 4), -1):
        word = words[back]
        if is_boundary(word) or word in _WINDOW_STOPS:
            return False
        if word in NEGATORS:
            return True
    return False


def _only_asks_for_help(tokens: Tokens) -> bool:
    """Return whether the whole comment is a bare cry for help ("help", "help me pls")."""
    words = [word for word in tokens.words if word[0].isalnum()]
    return "help" in words and set(words) <= _HELP_ONLY


_HELP_RULE = SafeguardingRule(id="bare-help", reason=HELP_REASON, patterns=("help",),
                              themes=("safety",), negatable=False)
