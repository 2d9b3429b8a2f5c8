"""The pipeline: language, normalisation, themes, sentiment and safeguarding."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from textblob import Word
from textblob.en import sentiment as pattern_lexicon

from feedback.theming.concern import ConcernNet
from feedback.theming.examples import MODEL_FILE, ExampleModels, content_words, features
from feedback.theming.language import LanguageIdentifier, normalise_code
from feedback.theming.lexicon import THEME_CODES, Lexicon, load_lexicon
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
# A comment this long in a language with no safeguarding vocabulary could hold
# anything: it is flagged so a person reads it today, not just some day.
UNCHECKED_MIN_WORDS = 3
SPELLING_FILE = Path(pattern_lexicon.path).with_name("en-spelling.txt")
LEARNED_REASON = "reads like example comments that describe harm"
# The fourth net flags an English comment the example model gives at least this
# probability of describing harm (recall first: see docs/theming.md).
HARM_AT = 0.35
# A comment with no word of harm in it at all needs this much: children often
# describe harm only through what happens ("we all go quiet when he is off").
PLAIN_HARM_AT = 0.65
# The word scorer's label gets this many votes against the example model's
# probabilities (half when its polarity is within SENTIMENT_WEAK of zero).
RULE_VOTE = 0.9
SECOND_OPINION_WORDS = 2
SENTIMENT_WEAK = 0.1


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


class Analyser:
    """Analyse children's comments; build one and reuse it (building is the slow part)."""

    def __init__(self, lexicon: Lexicon | None = None,
                 classifier: Suggester | None = None,
                 examples: ExampleModels | None | bool = True) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon()
        self.classifier = classifier
        # True: the built-in models learned from example comments, if built.
        if examples is True:
            examples = ExampleModels.load() if MODEL_FILE.exists() else None
        self.examples: ExampleModels | None = examples or None
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

    def analyse(self, text: str, language: str | None = None) -> Analysis:
        """Return the themes, sentiment and safeguarding flag of one comment."""
        parts = self.prepare(text, language)
        hits = self.detector.detect(parts.english, parts.foreign, parts.language)
        implied = [Trigger(code, hit.rule.id, RULE_WEIGHT)
                   for hit in hits for code in hit.rule.themes]
        if parts.language == "en":
            triggers = self.themes.match(parts.english, allow_fallback=not implied)
            sentiment = self.sentiment.score(parts.english)
        else:
            triggers = self.themes.match_foreign(parts.foreign, parts.language)
            sentiment = self.sentiment.score_foreign(parts.foreign)
        triggers += implied
        if self.classifier is not None and parts.language == "en":
            # The classifier only adds themes; it never removes the lexicon's.
            triggers += [Trigger(code, "learned", confidence) for code, confidence
                         in self.classifier.suggest(parts.english).items()]
        reasons = _reasons(hits)
        # What the example net needs to flag the comment; None when a lesson, game,
        # sport, treat or joke explains its words (the naive Bayes model is too sure
        # of itself to overrule that: "my dad waits outside in his car to pick me
        # up from football" reads 0.99 like a grooming example).
        harm_at: float | None = None
        confident = True  # a rule fired, or nothing could check the words
        if not reasons:
            assessment = self.concern.assess(parts.english)
            reasons = (assessment.reason,) if assessment.reason else ()
            confident = not reasons
            if not assessment.vetoed:
                harm_at = HARM_AT if assessment.harm_words else PLAIN_HARM_AT
        if self.examples is not None and parts.language == "en":
            found = features(parts.english)
            if not reasons and harm_at is not None and \
                    self.examples.harm_probability(found) >= harm_at:
                reasons, confident = (LEARNED_REASON,), False
            sentiment = self._second_opinion(sentiment, parts.english, found)
        if not reasons and self._unchecked(parts):
            reasons, confident = (UNCHECKED_REASON,), True
        flagged = bool(reasons)
        if any(hit.rule.distress for hit in hits) or (flagged and not hits):
            sentiment = distressed(sentiment)
        return Analysis(
            themes=_theme_matches(triggers),
            sentiment=sentiment,
            safeguarding=Safeguarding(flagged, reasons, confident=confident),
            needs_review=flagged or parts.language != "en",
            language=parts.language,
        )

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

    def _second_opinion(self, sentiment: Sentiment, tokens: Tokens,
                        found: frozenset[str]) -> Sentiment:
        """Return the label the word scorer and the example model agree on.

        The example model's probabilities are added to a vote for the word
        scorer's label: ``RULE_VOTE`` when the scorer found clear feeling, half
        that when it found little. The model wins only when it is much surer.
        """
        assert self.examples is not None
        if content_words(tokens) < SECOND_OPINION_WORDS:  # "idk", "no ta": too little to weigh
            return sentiment
        probabilities = self.examples.sentiment_probabilities(found)
        clear = abs(sentiment.polarity) > SENTIMENT_WEAK and sentiment.label != "neutral"
        votes = dict(probabilities)
        votes[sentiment.label] = votes.get(sentiment.label, 0.0) + (
            RULE_VOTE if clear else RULE_VOTE / 2)
        label = max(votes, key=votes.__getitem__)
        if label == sentiment.label:
            return sentiment
        return Sentiment(label, sentiment.polarity)  # type: ignore[arg-type]

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
