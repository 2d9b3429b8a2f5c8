"""The second safeguarding net: many weak signals of harm add up to a flag.

Rules catch the phrasings someone thought of; children find others ("scars
all up my arms", "what happens at night"). Each signal word or phrase has a
weight; a comment whose signals add up to the threshold is flagged. Lessons,
films, games, jokes and sport damp the score; an adult or caregiver in the
comment boosts it (harm words matter more when a grown-up is named), and a
negated signal ("not scared") counts for nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from feedback.theming.errors import expect
from feedback.theming.text import PhraseSet, Tokens, is_boundary
from feedback.theming.wordlists import harm_negation_stops, negators

NEGATORS = negators("en")
#: A dampener this strong (a lesson, a game, sport) vetoes a combination of cues.
VETO_FACTOR = 0.6
#: Cue categories that say who or where, not what happened.
CONTEXT_CUES = frozenset({"adult", "home"})
_STOPS = harm_negation_stops("en")


@dataclass(frozen=True)
class Dampener:
    """Words that scale harm words: below 1 a lesson or sport, above 1 a named adult."""

    factor: float
    words: tuple[str, ...]
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Combination:
    """Everyday cues that together suggest harm: each category in ``needs`` must be
    present (a category named twice needs two different cues of it)."""

    needs: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Concern:
    """Weights of harm signals by category, the flag threshold and the dampeners;
    everyday cues by category and the combinations of them that flag a comment."""

    threshold: float = 1.0
    reason: str = "uses several words linked to possible harm"
    signals: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    dampeners: Mapping[str, Dampener] = field(default_factory=dict)
    boosters: Mapping[str, Dampener] = field(default_factory=dict)
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    combinations: tuple[Combination, ...] = ()


def merge_concern(concern: Concern, data: Any, path: Path) -> Concern:
    """Return ``concern`` with a file's [concern] table merged on top."""
    expect(isinstance(data, dict), path, "concern", "must be a table")
    for key in data:
        expect(key in _KEYS, path, f"concern.{key}",
               f"unknown key; expected one of {', '.join(_KEYS)}")
    threshold = data.get("threshold", concern.threshold)
    expect(isinstance(threshold, (int, float)) and not isinstance(threshold, bool)
           and threshold > 0, path, "concern.threshold", "must be a positive number")
    reason = data.get("reason", concern.reason)
    expect(isinstance(reason, str) and reason.strip() != "", path, "concern.reason",
           "must be a non-empty string")
    signals = {category: dict(words) for category, words in concern.signals.items()}
    for category, words in _table(data, "signals", path).items():
        where = f"concern.signals.{category}"
        expect(isinstance(words, dict), path, where, "must be a table of word = weight")
        for word, weight in words.items():
            expect(word.strip() != "", path, where, "empty term")
            expect(isinstance(weight, (int, float)) and not isinstance(weight, bool)
                   and 0 <= weight <= 1, path, f"{where}.{word!r}", "must be a number from 0 to 1")
        signals.setdefault(category, {}).update(
            {word.lower(): float(weight) for word, weight in words.items()})
    dampeners = dict(concern.dampeners)
    for name, entry in _table(data, "dampeners", path).items():
        dampeners[name] = _dampener(entry, path, f"concern.dampeners.{name}")
    boosters = dict(concern.boosters)
    for name, entry in _table(data, "boosters", path).items():
        boosters[name] = _dampener(entry, path, f"concern.boosters.{name}", boost=True)
    cues = dict(concern.cues)
    for category, words in _table(data, "cues", path).items():
        where = f"concern.cues.{category}"
        expect(isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words),
               path, where, "must be a list of non-empty strings")
        cues[category] = tuple(dict.fromkeys((*cues.get(category, ()), *words)))
    combinations = list(concern.combinations)
    entries = data.get("combinations", [])
    expect(isinstance(entries, list), path, "concern.combinations",
           "must be an array of tables ([[concern.combinations]])")
    for number, entry in enumerate(entries, 1):
        where = f"concern.combinations[{number}]"
        expect(isinstance(entry, dict) and set(entry) <= {"needs", "reason"}, path, where,
               "must be a table with needs and reason")
        needs, why = entry.get("needs"), entry.get("reason")
        expect(isinstance(needs, list) and len(needs) >= 2
               and all(isinstance(n, str) for n in needs), path, f"{where}.needs",
               "must list at least two cue categories")
        for need in needs:
            expect(need in cues, path, f"{where}.needs", f"unknown cue category {need!r}")
        expect(isinstance(why, str) and why.strip() != "", path, f"{where}.reason",
               "must be a non-empty string")
        combinations.append(Combination(tuple(needs), why))
    return replace(concern, threshold=float(threshold), reason=reason, signals=signals,
                   dampeners=dampeners, boosters=boosters, cues=cues,
                   combinations=tuple(combinations))


_KEYS = ("threshold", "reason", "signals", "dampeners", "boosters", "cues", "combinations")


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    table = data.get(key, {})
    expect(isinstance(table, dict), path, f"concern.{key}", "must be a table")
    return dict(table)


def _dampener(entry: Any, path: Path, where: str, boost: bool = False) -> Dampener:
    expect(isinstance(entry, dict), path, where, "must be a table with factor and words")
    factor, words = entry.get("factor"), entry.get("words")
    low, high = (1, 3) if boost else (0, 1)
    expect(isinstance(factor, (int, float)) and low <= factor <= high, path, f"{where}.factor",
           f"must be a number from {low} to {high}")
    expect(isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words),
           path, f"{where}.words", "must be a list of non-empty strings")
    categories = entry.get("categories", [])
    expect(isinstance(categories, list), path, f"{where}.categories", "must be a list")
    return Dampener(float(factor), tuple(words), tuple(categories))


class ConcernNet:
    """Score a comment's harm signals; flag it when they add up to the threshold."""

    def __init__(self, concern: Concern, fold_phrase: Callable[[str], tuple[str, ...]]) -> None:
        self.concern = concern
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
        for category, words in concern.signals.items():
            for phrase, weight in words.items():
                folded = fold_phrase(phrase)
                if folded:
                    self._phrases.setdefault(folded[0], []).append((folded, category, weight))
        for entries in self._phrases.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)
        self._modifiers = [(d.factor, PhraseSet(fold_phrase(w) for w in d.words),
                            set(d.categories))
                           for d in (*concern.dampeners.values(), *concern.boosters.values())]
        self._cues: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for category, phrases in concern.cues.items():
            for phrase in phrases:
                folded = fold_phrase(phrase)
                if folded:
                    self._cues.setdefault(folded[0], []).append((folded, category))
        for cue_entries in self._cues.values():
            cue_entries.sort(key=lambda entry: len(entry[0]), reverse=True)
        # Lessons, games, sport, jokes and the like veto a combination outright.
        self._vetoes = PhraseSet(fold_phrase(w) for d in concern.dampeners.values()
                                 if d.factor <= VETO_FACTOR for w in d.words)

    def score(self, tokens: Tokens) -> tuple[float, tuple[str, ...]]:
        """Return the comment's concern score and the categories that contributed."""
        words = tokens.folded
        found: dict[tuple[str, ...], tuple[str, float]] = {}
        index = 0
        while index < len(words):
            for phrase, category, weight in self._phrases.get(words[index], ()):
                if words[index:index + len(phrase)] == phrase:
                    if not _negated(words, index):
                        found.setdefault(phrase, (category, weight))
                    index += len(phrase) - 1
                    break
            index += 1
        by_category: dict[str, float] = {}
        for category, weight in found.values():
            by_category[category] = by_category.get(category, 0.0) + weight
        if not by_category:
            return 0.0, ()
        for factor, phrases, categories in self._modifiers:
            if phrases.found_in(tokens.folded_text):
                for category in by_category:
                    if not categories or category in categories:
                        by_category[category] *= factor
        total = sum(by_category.values())
        ranked = sorted(by_category, key=lambda category: -by_category[category])
        return round(total, 3), tuple(ranked)

    def cues(self, tokens: Tokens) -> dict[str, set[tuple[str, ...]]]:
        """Return the everyday cues in the comment by category (negated ones left out)."""
        words = tokens.folded
        found: dict[str, set[tuple[str, ...]]] = {}
        covered: dict[str, int] = {}  # per category, the end of its last cue: no overlaps
        spoken_for = 0  # a negator inside a cue ("not eaten") negates nothing after it
        for index, word in enumerate(words):
            for phrase, category in self._cues.get(word, ()):  # longest first
                if index < covered.get(category, 0) or \
                        words[index:index + len(phrase)] != phrase:
                    continue
                covered[category] = index + len(phrase)
                if NEGATORS.intersection(phrase):
                    spoken_for = max(spoken_for, index + len(phrase))
                elif _negated(words[spoken_for:], index - spoken_for, reach=3):
                    continue
                found.setdefault(category, set()).add(phrase)
        return found

    def vetoed(self, tokens: Tokens) -> bool:
        """Return whether a lesson, game, sport, joke or the like explains the comment."""
        return self._vetoes.found_in(tokens.folded_text)

    def combination(self, tokens: Tokens) -> Combination | None:
        """Return the first combination of everyday cues the comment completes, or None."""
        return None if self.vetoed(tokens) else self._complete(self.cues(tokens))

    def assess(self, tokens: Tokens) -> Assessment:
        """Weigh the comment once: the staff-facing reason when it reaches the threshold
        or completes a combination of everyday cues, and whether it holds any word of
        harm (a weighted signal, or a cue beyond people and places, with no veto)."""
        total, categories = self.score(tokens)
        if total >= self.concern.threshold:
            names = ", ".join(c.replace("_", " ") for c in categories)
            return Assessment(f"{self.concern.reason} ({names})", True)
        if self.vetoed(tokens):
            return Assessment(None, False, vetoed=True)
        found = self.cues(tokens)
        combination = self._complete(found)
        return Assessment(combination.reason if combination else None,
                          total > 0 or bool(set(found) - CONTEXT_CUES))

    def complete(self, found: Mapping[str, set[tuple[str, ...]]]) -> Combination | None:
        """Return the first combination the cues complete, or None."""
        return self._complete(found)

    def _complete(self, found: Mapping[str, set[tuple[str, ...]]]) -> Combination | None:
        for combination in self.concern.combinations:
            if all(len(found.get(category, ())) >= combination.needs.count(category)
                   for category in combination.needs):
                return combination
        return None


@dataclass(frozen=True)
class Assessment:
    """What the second and third nets make of a comment."""

    reason: str | None
    harm_words: bool
    #: A lesson, game, sport, joke or the like explains the comment's words.
    vetoed: bool = False


def _negated(words: tuple[str, ...], index: int, reach: int = 6) -> bool:
    # Six words back by default: "nobody at this house shouts or hits anyone".
    for back in range(index - 1, max(-1, index - reach - 1), -1):
        if is_boundary(words[back]) or words[back] in _STOPS:
            return False
        if words[back] in NEGATORS:
            return True
    return False
