"""The pipeline: language, normalisation, themes, sentiment and safeguarding."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable
from typing import Protocol

from textblob import Word
from textblob.en import sentiment as pattern_lexicon

from feedback.theming import pipeline
from feedback.theming.concern import Assessment, ConcernNet
from feedback.theming.examples import content_words
from feedback.theming.language import LanguageIdentifier, normalise_code
from feedback.theming.lexicon import THEME_CODES, Lexicon, load_lexicon
from feedback.theming.reader import MODEL_FILE, Features, Reader
from feedback.theming.results import Analysis, Safeguarding, Sentiment, ThemeMatch
from feedback.theming.safeguarding import RuleHit, SafeguardingDetector
from feedback.theming.sentiment import SentimentScorer, distressed, pattern_polarities
from feedback.theming.text import (
    Normaliser,
    Tokens,
    foreign_tokens,
    tokenise,
)
from feedback.theming.themes import Trigger, ThemeMatcher

logger = logging.getLogger(__name__)

RULE_WEIGHT = 0.85
FAILED_REASON = "analysis failed"
UNCHECKED_REASON = "written in a language the module cannot check for risk"
UNCHECKED_MIN_WORDS = pipeline.UNCHECKED_MIN_WORDS
SPELLING_FILE = Path(pattern_lexicon.path).with_name("en-spelling.txt")
_reader_lock = threading.Lock()
_shipped_reader: Reader | None = None


def shipped_reader() -> Reader:
    """Return the reader that ships with the module, loaded once per process."""
    global _shipped_reader
    with _reader_lock:
        if _shipped_reader is None:
            _shipped_reader = Reader.load(MODEL_FILE)
        return _shipped_reader


class Suggester(Protocol):
    """A learned model that suggests extra themes (learn.ThemeClassifier is one)."""

    def suggest(self, tokens: Tokens) -> dict[str, float]:
        """Return theme codes with a confidence, only those above its threshold."""
        ...


@dataclass(frozen=True)
class _Parts:
    """The parts of a comment every step works from."""

    language: str
    english: Tokens
    foreign: Tokens


@dataclass(frozen=True)
class Description:
    """Steps 1-3 of the pipeline for one comment."""

    parts: _Parts
    hits: list[RuleHit]
    triggers: list[Trigger]
    sentiment: Sentiment
    features: Features


class Analyser:
    """Analyse children's comments; build one and reuse it (building is the slow part)."""

    def __init__(self, lexicon: Lexicon | None = None,
                 classifier: Suggester | None = None,
                 reader: Reader | None | bool = True) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.classifier = classifier
        # True: the reader that ships with the module (loaded once per process);
        # False or None: rules and nets only (used to describe training data).
        self.reader: Reader | None = shipped_reader() if reader is True else (reader or None)
        self.known = _english_words() | _lexicon_words(self.lexicon)
        self.normaliser = Normaliser(self.lexicon.textspeak, self.lexicon.after_my,
                                     self.known, _term_words(self.lexicon), _singularize)
        self.themes = ThemeMatcher(self.lexicon, self._fold_phrase)
        self.sentiment = SentimentScorer(_pattern_polarities(),
                                         self.lexicon.sentiment,
                                         self.lexicon.sentiment_foreign, self._fold_phrase)
        self.detector = SafeguardingDetector(self.lexicon.rules)
        self.concern = ConcernNet(self.lexicon.concern, self._fold_phrase)
        self.languages = LanguageIdentifier(self.lexicon.stopwords, self.known)
        self.checked_languages = frozenset(rule.language for rule in self.lexicon.rules)
        self.past_and_over = self.lexicon.past_and_over

    def analyse(self, text: str, language: str | None = None) -> Analysis:
        """Return the themes, sentiment and safeguarding tier of one comment.

        The steps and thresholds are declared in ``pipeline.py``.
        """
        return self.decide(self.describe(text, language))

    def decide(self, found: Description) -> Analysis:
        """Run steps 4-6 of the pipeline on a described comment."""
        parts, hits = found.parts, found.hits
        english = parts.language == "en"
        reading = self.reader.read(found.features) if english and self.reader else None
        # Step 2: an explicit rule is urgent. Step 1: words nobody can check are urgent.
        reasons = _reasons(hits)
        urgent = bool(reasons)
        unsure = False
        # Step 2's exception: harm told as past and over is no explicit disclosure.
        over = bool(reasons) and reading is not None and self._told_as_over(found)
        if over:
            reasons, urgent = (), False
        if not reasons and reading is not None:
            # Step 4: the reader decides what the rules did not.
            level = pipeline.tier(reading.harm)
            if level == "urgent":
                reasons, urgent = (pipeline.URGENT_REASON,), True
            elif level == "concern":
                reasons = (pipeline.CONCERN_REASON,)
            unsure = level == "unsure" or over
        if not reasons and self._unchecked(parts):
            reasons, urgent = (UNCHECKED_REASON,), True
        # Step 5: themes.
        triggers = found.triggers
        if reading is not None:
            lexical = {trigger.code for trigger in triggers}
            implied = {code for hit in hits for code in hit.rule.themes}
            triggers = [t for t in triggers if t.code in implied
                        or pipeline.keep_theme(True, reading.themes[t.code])]
            triggers += [Trigger(code, "reader", round(p, 3)) for code, p
                         in reading.themes.items()
                         if code not in lexical and pipeline.keep_theme(False, p)]
        if self.classifier is not None and english:
            # A model learned from workers only adds themes; it never removes one.
            triggers += [Trigger(code, "learned", confidence) for code, confidence
                         in self.classifier.suggest(parts.english).items()]
        # Step 6: sentiment.
        sentiment = found.sentiment
        second_opinion = reading.sentiment_label if reading is not None and \
            content_words(parts.english) >= pipeline.SECOND_OPINION_WORDS else None
        if second_opinion is not None and second_opinion != sentiment.label:
            sentiment = Sentiment(second_opinion, sentiment.polarity)  # type: ignore[arg-type]
        flagged = bool(reasons)
        # Only a rule that says the child is hurt or afraid sets the feeling; a
        # reader's concern is a doubt about harm, not a feeling the child wrote.
        # The reader's positive or mixed reading stands: it has read the whole
        # comment, rule features included ("he hit me but I'm safe now").
        if any(hit.rule.distress for hit in hits) and \
                (second_opinion is None or sentiment.label == "neutral"):
            sentiment = distressed(sentiment)
        return Analysis(
            themes=_theme_matches(triggers),
            sentiment=sentiment,
            safeguarding=Safeguarding(flagged, reasons, confident=urgent or not flagged),
            needs_review=not english or unsure,
            language=parts.language,
        )

    def describe(self, text: str, language: str | None = None) -> Description:
        """Run steps 1-3 of the pipeline: what the rules and nets find, and the
        features the reader reads (the training data is described the same way)."""
        parts = self.prepare(text, language)
        hits = self.detector.detect(parts.english, parts.foreign, parts.language)
        implied = [Trigger(code, hit.rule.id, RULE_WEIGHT)
                   for hit in hits for code in hit.rule.themes]
        assessment: Assessment | None = None
        categories: tuple[str, ...] = ()
        cues: Iterable[str] = ()
        clauses: tuple[float, ...] = ()
        if parts.language == "en":
            triggers = self.themes.match(parts.english, allow_fallback=not implied)
            sentiment, clauses = self.sentiment.score_clauses(parts.english)
            # The weighted harm words and everyday cues, each found once.
            total, categories = self.concern.score(parts.english)
            found_cues = self.concern.cues(parts.english)
            vetoed = self.concern.vetoed(parts.english)
            reached = total >= self.concern.concern.threshold or (
                not vetoed and self.concern.complete(found_cues) is not None)
            assessment = Assessment("net" if reached else None, total > 0, vetoed)
            cues = found_cues
        else:
            triggers = self.themes.match_foreign(parts.foreign, parts.language)
            sentiment = self.sentiment.score_foreign(parts.foreign)
        triggers += implied
        found = pipeline.features(parts.english, [hit.rule.id for hit in hits],
                                  [t.code for t in triggers], sentiment.label, assessment,
                                  categories, cues, sentiment.polarity, clauses)
        return Description(parts, hits, triggers, sentiment, found)

    def prepare(self, text: str, language: str | None = None) -> _Parts:
        """Return the detected language and both token forms of ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"comment text must be a string, not {type(text).__name__}")
        raw = tokenise(text)
        code = normalise_code(language) or self.languages.identify(text, raw)
        return _Parts(code, self.normaliser.normalise_tokens(raw), foreign_tokens(text, raw))

    def analyse_safely(self, text: str, language: str | None = None) -> Analysis:
        """Return the analysis, or a flagged one for a person to read if anything fails."""
        try:
            return self.analyse(text, language)
        except Exception:  # noqa: BLE001 - fail safe: any failure goes to a person
            logger.exception("theming analysis failed; comment flagged for review")
            return failed_analysis(language)

    def _told_as_over(self, found: Description) -> bool:
        """Return whether every rule that fired may be over and the comment says it is."""
        return (all(hit.rule.id in self.past_and_over.rules for hit in found.hits)
                and self.past_and_over.told_as_over(found.parts.english))

    def _unchecked(self, parts: _Parts) -> bool:
        """Return whether the comment is in a language no rule can read, and says something."""
        words = sum(1 for word in parts.foreign.words if word[0].isalpha())
        return parts.language not in self.checked_languages and words >= UNCHECKED_MIN_WORDS

    def _fold_phrase(self, phrase: str) -> tuple[str, ...]:
        return self.normaliser.normalise(phrase).folded


def failed_analysis(language: str | None = None) -> Analysis:
    """Return the analysis used when analysis itself fails: flagged, for review."""
    return Analysis(
        themes=(),
        sentiment=Sentiment("neutral", 0.0),
        safeguarding=Safeguarding(True, (FAILED_REASON,)),
        needs_review=True,
        # Never raise here: this is the path taken when everything else failed.
        language=(normalise_code(language) if isinstance(language, str) else None) or "und",
    )


_default: Analyser | None = None
_default_lock = threading.Lock()


def default_analyser() -> Analyser:
    """Return the shared Analyser, building it on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Analyser()
        return _default


def analyse(text: str, language: str | None = None) -> Analysis:
    """Analyse one comment with the default lexicon."""
    return default_analyser().analyse(text, language)


def analyse_safely(text: str, language: str | None = None) -> Analysis:
    """Analyse one comment; never raise, flag the comment for review on failure."""
    try:
        analyser = default_analyser()
    except Exception:  # noqa: BLE001 - fail safe even if the lexicon will not load
        logger.exception("theming analyser could not be built; comment flagged for review")
        return failed_analysis(language)
    return analyser.analyse_safely(text, language)


def _theme_matches(triggers: list[Trigger]) -> tuple[ThemeMatch, ...]:
    by_code: dict[str, dict[str, float]] = {}
    for trigger in triggers:
        seen = by_code.setdefault(trigger.code, {})
        seen[trigger.text] = max(seen.get(trigger.text, 0.0), trigger.weight)
    matches = []
    for code in THEME_CODES:
        if code in by_code:
            doubt = 1.0
            for weight in by_code[code].values():
                doubt *= 1.0 - weight
            matches.append(ThemeMatch(code, round(1.0 - doubt, 3), tuple(by_code[code])))
    return tuple(matches)


def _reasons(hits: list[RuleHit]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(hit.rule.reason for hit in hits))


@lru_cache(maxsize=1)
def _pattern_polarities() -> dict[str, float]:
    return pattern_polarities(pattern_lexicon)


def _singularize(word: str) -> str:
    return str(Word(word).singularize())


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Return TextBlob's offline English word list (it ships with the package)."""
    words = set()
    with SPELLING_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2 and not line.startswith(";;;"):
                words.add(parts[0].lower())
    return frozenset(words)


def _term_words(lexicon: Lexicon) -> frozenset[str]:
    """Return the words of the theme terms: the lexicon's own plurals are never folded."""
    return frozenset(word for theme in lexicon.themes
                     for term in (*theme.terms, *theme.fallback_terms)
                     for word in term.lower().split())


def _lexicon_words(lexicon: Lexicon) -> frozenset[str]:
    """Return every plain word the lexicon mentions: all are English words."""
    sources: list[str] = []
    for theme in lexicon.themes:
        sources += [*theme.terms, *theme.fallback_terms, *theme.patterns, *theme.exclude]
    for rule in lexicon.rules:
        if rule.language == "en":
            sources += [*rule.patterns, *rule.requires, *rule.unless]
    sources += [*lexicon.sentiment, *lexicon.textspeak, *lexicon.textspeak.values()]
    sources += [*lexicon.after_my, *lexicon.after_my.values(), *lexicon.stopwords.get("en", ())]
    words = set()
    for source in sources:
        for word in source.lower().replace("|", " ").replace("(", " ").replace(")", " ") \
                .replace("[", " ").replace("]", " ").split():
            if word.isalpha():
                words.add(word.replace("'", ""))
    return frozenset(words)
