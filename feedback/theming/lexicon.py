"""The taxonomy and lexicon as data: load, validate and merge the TOML files."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from feedback.theming.concern import Concern, merge_concern
from feedback.theming.errors import LexiconError as LexiconError
from feedback.theming.errors import expect
from feedback.theming.patterns import PatternError, PhrasePattern, compile_pattern
from feedback.theming.settled import PastAndOver

THEME_CODES: tuple[str, ...] = (
    "safety", "home", "family", "friends", "school", "health",
    "social_worker", "being_heard", "activities", "identity", "future",
)

DATA_DIR = Path(__file__).resolve().parent
BUILT_IN_FILES = ("lexicon.toml", "safeguarding.toml", "language.toml")
_TOP_LEVEL = ("themes", "rules", "concern", "textspeak", "after_my", "sentiment",
              "sentiment_foreign", "stopwords")
_THEME_LISTS = ("terms", "patterns", "fallback_terms", "exclude")
_THEME_TEXTS = ("label", "description", "plan_section")


@dataclass(frozen=True)
class Theme:
    """One theme of the taxonomy with the words and phrases that signal it."""

    code: str
    label: str
    description: str
    plan_section: str
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    fallback_terms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class SafeguardingRule:
    """A rule of the safeguarding detector; ``reason`` is shown to staff."""

    id: str
    reason: str
    patterns: tuple[str, ...]
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    negatable: bool = True
    themes: tuple[str, ...] = ()
    language: str = "en"
    distress: bool = False
    #: Run only on comments detected as ``language`` (for broad word lists that
    #: would misfire on English); other rules run on every comment.
    detected_only: bool = False
    #: Evidence: sentences the rule must catch, and look-alikes it must spare
    #: (a test runs both for every rule; the reader also learns from them).
    catches: tuple[str, ...] = ()
    spares: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Everything the analyser knows, as loaded from the data files."""

    themes: tuple[Theme, ...]
    rules: tuple[SafeguardingRule, ...]
    textspeak: Mapping[str, str]
    after_my: Mapping[str, str]
    sentiment: Mapping[str, float]
    sentiment_foreign: Mapping[str, float]
    stopwords: Mapping[str, frozenset[str]]
    concern: Concern = field(default_factory=Concern)
    past_and_over: PastAndOver = field(default_factory=PastAndOver)
    sources: tuple[str, ...] = ()

    def theme(self, code: str) -> Theme:
        """Return the theme with ``code``."""
        for theme in self.themes:
            if theme.code == code:
                return theme
        raise KeyError(code)


def load_taxonomy() -> tuple[Theme, ...]:
    """Return the built-in themes in taxonomy order."""
    return load_lexicon().themes


def load_lexicon(paths: Sequence[Path] = ()) -> Lexicon:
    """Load the built-in lexicon and merge each extra file in ``paths`` on top."""
    lexicon = _empty_lexicon()
    for name in BUILT_IN_FILES:
        lexicon = _merge(lexicon, _read(DATA_DIR / name), DATA_DIR / name, built_in=True)
    for path in paths:
        lexicon = _merge(lexicon, _read(Path(path)), Path(path), built_in=False)
    missing = [code for code in THEME_CODES if not lexicon.theme(code).label]
    if missing:
        raise LexiconError(f"built-in lexicon has no label for {', '.join(missing)}")
    return lexicon


def _empty_lexicon() -> Lexicon:
    themes = tuple(Theme(code, "", "", "") for code in THEME_CODES)
    return Lexicon(themes, (), {}, {}, {}, {}, {})


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise LexiconError(f"{path}: cannot read lexicon file ({error.strerror})") from error
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"{path}: not valid TOML ({error})") from error


#: Read from the built-in files only: the word lists by wordlists.py
#: (language.toml), the past-and-over table here (safeguarding.toml).
_BUILT_IN_ONLY = ("negators", "negation_stops", "clause_subjects", "past_and_over")
_PAST_AND_OVER_KEYS = ("rules", "past", "over", "not_over", "catches", "spares")


def _merge(lexicon: Lexicon, data: dict[str, Any], path: Path, *, built_in: bool) -> Lexicon:
    unknown = sorted(set(data) - set(_TOP_LEVEL) - set(_BUILT_IN_ONLY if built_in else ()))
    if unknown:
        raise LexiconError(f"{path}: unknown section {unknown[0]!r}; expected one of "
                           f"{', '.join(_TOP_LEVEL)}")
    themes = _merge_themes(lexicon.themes, data.get("themes", {}), path, built_in)
    rules = _merge_rules(lexicon.rules, data.get("rules", []), path)
    return replace(
        lexicon,
        themes=themes,
        rules=rules,
        concern=merge_concern(lexicon.concern, data.get("concern", {}), path),
        past_and_over=(_past_and_over(data["past_and_over"], path)
                       if "past_and_over" in data else lexicon.past_and_over),
        textspeak={**lexicon.textspeak, **_strings(data, "textspeak", path)},
        after_my={**lexicon.after_my, **_strings(data, "after_my", path)},
        sentiment={**lexicon.sentiment, **_numbers(data, "sentiment", path)},
        sentiment_foreign={**lexicon.sentiment_foreign,
                           **_numbers(data, "sentiment_foreign", path, patterns=True)},
        stopwords={**lexicon.stopwords, **_stopwords(data, path)},
        sources=lexicon.sources + (str(path),),
    )


def _past_and_over(data: Any, path: Path) -> PastAndOver:
    expect(isinstance(data, dict), path, "past_and_over", "must be a table")
    for key in data:
        expect(key in _PAST_AND_OVER_KEYS, path, f"past_and_over.{key}",
               f"unknown key; expected one of {', '.join(_PAST_AND_OVER_KEYS)}")

    def patterns(key: str) -> tuple[PhrasePattern, ...]:
        sources = _string_list(data.get(key, []), path, f"past_and_over.{key}", patterns=True)
        return tuple(compile_pattern(source) for source in sources)

    return PastAndOver(
        rules=frozenset(_string_list(data.get("rules", []), path, "past_and_over.rules")),
        past=patterns("past"), over=patterns("over"), not_over=patterns("not_over"),
        catches=_string_list(data.get("catches", []), path, "past_and_over.catches"),
        spares=_string_list(data.get("spares", []), path, "past_and_over.spares"),
    )


def _merge_themes(themes: tuple[Theme, ...], data: Any, path: Path,
                  built_in: bool) -> tuple[Theme, ...]:
    expect(isinstance(data, dict), path, "themes", "must be a table of themes")
    by_code = {theme.code: theme for theme in themes}
    for code, entry in data.items():
        where = f"themes.{code}"
        expect(code in by_code, path, where,
               f"unknown theme code {code!r}; known codes: {', '.join(THEME_CODES)}")
        expect(isinstance(entry, dict), path, where, "must be a table")
        by_code[code] = _merge_theme(by_code[code], entry, path, where, built_in)
    return tuple(by_code[code] for code in THEME_CODES)


def _merge_theme(theme: Theme, entry: dict[str, Any], path: Path, where: str,
                 built_in: bool) -> Theme:
    allowed = _THEME_TEXTS + _THEME_LISTS + ("translations",)
    for key in entry:
        expect(key in allowed, path, f"{where}.{key}",
               f"unknown key; expected one of {', '.join(allowed)}")
    texts = {key: entry[key] for key in _THEME_TEXTS if key in entry}
    for key, value in texts.items():
        expect(isinstance(value, str) and value.strip() != "", path, f"{where}.{key}",
               "must be a non-empty string")
    if built_in:
        for key in _THEME_TEXTS:
            expect(key in entry, path, f"{where}.{key}", "is missing")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _THEME_LISTS:
        items = _string_list(entry.get(key, []), path, f"{where}.{key}",
                             patterns=key in ("patterns", "exclude"))
        lists[key] = _union(getattr(theme, key), items)
    translations = dict(theme.translations)
    raw = entry.get("translations", {})
    expect(isinstance(raw, dict), path, f"{where}.translations", "must be a table")
    for language, items in raw.items():
        words = _string_list(items, path, f"{where}.translations.{language}", patterns=True)
        translations[language] = _union(translations.get(language, ()), words)
    return replace(theme, label=texts.get("label", theme.label),
                   description=texts.get("description", theme.description),
                   plan_section=texts.get("plan_section", theme.plan_section),
                   terms=lists["terms"], patterns=lists["patterns"],
                   fallback_terms=lists["fallback_terms"], exclude=lists["exclude"],
                   translations=translations)


def _merge_rules(rules: tuple[SafeguardingRule, ...], data: Any,
                 path: Path) -> tuple[SafeguardingRule, ...]:
    expect(isinstance(data, list), path, "rules", "must be an array of tables ([[rules]])")
    known = {rule.id for rule in rules}
    added: list[SafeguardingRule] = []
    for position, entry in enumerate(data):
        where = f"rules[{position}]"
        expect(isinstance(entry, dict), path, where, "must be a table")
        rule = _rule(entry, path, where)
        # Replacing a built-in rule could silently weaken the detector: add only.
        expect(rule.id not in known, path, f"{where}.id", f"duplicate rule id {rule.id!r}")
        known.add(rule.id)
        added.append(rule)
    return rules + tuple(added)


def _rule(entry: dict[str, Any], path: Path, where: str) -> SafeguardingRule:
    allowed = ("id", "reason", "patterns", "requires", "unless", "negatable", "themes",
               "language", "distress", "detected_only", "catches", "spares")
    for key in entry:
        expect(key in allowed, path, f"{where}.{key}",
               f"unknown key; expected one of {', '.join(allowed)}")
    for key in ("id", "reason"):
        value = entry.get(key)
        expect(isinstance(value, str) and value.strip() != "", path, f"{where}.{key}",
               "must be a non-empty string")
    where = f"rules.{entry['id']}"
    language = entry.get("language", "en")
    expect(isinstance(language, str) and language.isalpha(), path, f"{where}.language",
           "must be a language code such as 'en' or 'pl'")
    patterns = _string_list(entry.get("patterns"), path, f"{where}.patterns", patterns=True,
                            accents=language == "en")
    expect(bool(patterns), path, f"{where}.patterns", "needs at least one pattern")
    negatable = entry.get("negatable", True)
    expect(isinstance(negatable, bool), path, f"{where}.negatable", "must be true or false")
    distress = entry.get("distress", False)
    expect(isinstance(distress, bool), path, f"{where}.distress", "must be true or false")
    detected_only = entry.get("detected_only", False)
    expect(isinstance(detected_only, bool), path, f"{where}.detected_only",
           "must be true or false")
    expect(not (detected_only and language == "en"), path, f"{where}.detected_only",
           "only applies to rules in another language")
    themes = _string_list(entry.get("themes", []), path, f"{where}.themes")
    for code in themes:
        expect(code in THEME_CODES, path, f"{where}.themes", f"unknown theme code {code!r}")
    return SafeguardingRule(
        id=entry["id"], reason=entry["reason"], patterns=patterns,
        requires=_string_list(entry.get("requires", []), path, f"{where}.requires",
                              patterns=True, accents=language == "en"),
        unless=_string_list(entry.get("unless", []), path, f"{where}.unless",
                            patterns=True, accents=language == "en"),
        negatable=negatable, themes=themes, language=language, distress=distress,
        detected_only=detected_only,
        catches=_string_list(entry.get("catches", []), path, f"{where}.catches"),
        spares=_string_list(entry.get("spares", []), path, f"{where}.spares"),
    )


def _string_list(value: Any, path: Path, where: str, *, patterns: bool = False,
                 accents: bool = True) -> tuple[str, ...]:
    expect(isinstance(value, list), path, where, "must be a list of strings")
    for position, item in enumerate(value):
        expect(isinstance(item, str), path, f"{where}[{position}]",
               f"must be a string, not {type(item).__name__}")
        expect(item.strip() != "", path, f"{where}[{position}]", "empty term")
        if patterns:
            try:
                compile_pattern(item, accents=accents)
            except PatternError as error:
                raise LexiconError(f"{path}: {where}[{position}]: bad pattern: {error}") from None
    return tuple(value)


def _strings(data: dict[str, Any], section: str, path: Path) -> dict[str, str]:
    table = data.get(section, {})
    expect(isinstance(table, dict), path, section, "must be a table")
    for key, value in table.items():
        expect(isinstance(value, str), path, f"{section}.{key}", "must be a string")
        expect(key.strip() != "", path, section, "empty term")
    return {key.lower(): value.lower() for key, value in table.items()}


def _numbers(data: dict[str, Any], section: str, path: Path,
             patterns: bool = False) -> dict[str, float]:
    table = data.get(section, {})
    expect(isinstance(table, dict), path, section, "must be a table")
    for key, value in table.items():
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        expect(ok and -1.0 <= value <= 1.0, path, f"{section}.{key!r}",
               "must be a number from -1 to 1")
        expect(key.strip() != "", path, section, "empty term")
        if patterns:
            _string_list([key], path, f"{section}.{key!r}", patterns=True, accents=False)
    return {key.lower(): float(value) for key, value in table.items()}


def _stopwords(data: dict[str, Any], path: Path) -> dict[str, frozenset[str]]:
    table = data.get("stopwords", {})
    expect(isinstance(table, dict), path, "stopwords", "must be a table")
    return {language: frozenset(_string_list(words, path, f"stopwords.{language}"))
            for language, words in table.items()}


def _union(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    return old + tuple(item for item in dict.fromkeys(new) if item not in old)
