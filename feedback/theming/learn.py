"""Learn from workers' corrections.

- Themes: a per-theme naive Bayes that only adds themes (``train``, ``compare``).
- Safeguarding and sentiment: the reader retrained with workers' decisions
  (alerts and concerns confirmed or cleared, sentiment corrected), used only if
  it loses no disclosure and raises fewer false alarms (``learn_reader``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from feedback.theming import training
from feedback.theming.analyser import Analyser, default_analyser
from feedback.theming.errors import ModelError as ModelError
from feedback.theming.errors import read_model
from feedback.theming.evaluation import LabelledExample, Report, evaluate, read_labelled
from feedback.theming.reader import Reader, Sample, train as train_reader
from feedback.theming.training import TrainingSet
from feedback.theming.lexicon import THEME_CODES
from feedback.theming.text import Tokens, is_boundary

FORMAT = "feedback.theming.classifier"
VERSION = 1
DEFAULT_THRESHOLD = 0.9
MIN_EXAMPLES = 3
MIN_FEATURE_COUNT = 2
# Words that say nothing about a theme; leaving them out keeps small models honest.
_STOPWORDS = frozenset(
    "i me my a an the and or but to of in on at is am are was were be been it its this that "
    "for with so do does did not no have has had will would can could just really very "
    "you your we our they them he she his her there what when".split())


@dataclass
class _ThemeCounts:
    """Word counts in comments with and without one theme."""

    documents: list[int] = field(default_factory=lambda: [0, 0])
    words: list[dict[str, int]] = field(default_factory=lambda: [{}, {}])
    totals: list[int] = field(default_factory=lambda: [0, 0])


class ThemeClassifier:
    """Per-theme binary multinomial naive Bayes over words and word pairs."""

    def __init__(self, counts: dict[str, _ThemeCounts], vocabulary: int,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self._counts = counts
        self._vocabulary = max(1, vocabulary)
        self.threshold = threshold

    def probabilities(self, tokens: Tokens) -> dict[str, float]:
        """Return, for each theme the model knows, the probability the comment has it."""
        features = extract_features(tokens)
        result = {}
        for code, counts in self._counts.items():
            if counts.documents[1] < MIN_EXAMPLES or counts.documents[0] == 0:
                continue
            log_odds = math.log(counts.documents[1] / counts.documents[0])
            for feature in features:
                seen = counts.words[0].get(feature, 0) + counts.words[1].get(feature, 0)
                # Unseen and one-off words carry no evidence; with add-one
                # smoothing they would all lean towards the rarer class.
                if seen >= MIN_FEATURE_COUNT:
                    log_odds += self._log_ratio(counts, feature)
            result[code] = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, log_odds))))
        return result

    def suggest(self, tokens: Tokens) -> dict[str, float]:
        """Return the themes whose probability reaches the threshold."""
        return {code: round(p, 3) for code, p in self.probabilities(tokens).items()
                if p >= self.threshold}

    def _log_ratio(self, counts: _ThemeCounts, feature: str) -> float:
        with_theme = (counts.words[1].get(feature, 0) + 1) / (counts.totals[1] + self._vocabulary)
        without = (counts.words[0].get(feature, 0) + 1) / (counts.totals[0] + self._vocabulary)
        return math.log(with_theme / without)

    def save(self, path: Path) -> None:
        """Write the model as JSON (never pickle: a model file must not run code)."""
        data = {
            "format": FORMAT, "version": VERSION, "threshold": self.threshold,
            "vocabulary": self._vocabulary,
            "themes": {code: {"documents": c.documents, "totals": c.totals, "words": c.words}
                       for code, c in self._counts.items()},
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True),
                              encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ThemeClassifier:
        """Read a model written by save(); raise ModelError naming what is wrong."""
        data = read_model(path, FORMAT, VERSION, "a theming classifier")
        counts = {}
        for code, entry in data.get("themes", {}).items():
            if code not in THEME_CODES:
                raise ModelError(f"{path}: unknown theme code {code!r}")
            try:
                counts[code] = _ThemeCounts(
                    documents=[int(n) for n in entry["documents"]],
                    words=[{str(w): int(n) for w, n in side.items()} for side in entry["words"]],
                    totals=[int(n) for n in entry["totals"]])
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ModelError(f"{path}: theme {code!r} is malformed ({error})") from error
        return cls(counts, int(data.get("vocabulary", 1)),
                   float(data.get("threshold", DEFAULT_THRESHOLD)))


def extract_features(tokens: Tokens) -> set[str]:
    """Return the folded content words of a comment and its adjacent word pairs."""
    words = [w for w in tokens.folded if w.isalpha() and w not in _STOPWORDS]
    pairs = {f"{a} {b}" for a, b in zip(tokens.folded, tokens.folded[1:])
             if not (is_boundary(a) or is_boundary(b)) and a.isalpha() and b.isalpha()}
    return set(words) | pairs


def train(examples: Iterable[LabelledExample], *, analyser: Analyser | None = None,
          threshold: float = DEFAULT_THRESHOLD) -> ThemeClassifier:
    """Train a classifier on comments whose themes a worker has confirmed or corrected."""
    analyser = analyser or default_analyser()
    counts = {code: _ThemeCounts() for code in THEME_CODES}
    vocabulary: set[str] = set()
    for example in examples:
        features = extract_features(analyser.normaliser.normalise(example.text))
        vocabulary |= features
        for code in THEME_CODES:
            side = 1 if code in example.themes else 0
            theme = counts[code]
            theme.documents[side] += 1
            theme.totals[side] += len(features)
            for feature in features:
                theme.words[side][feature] = theme.words[side].get(feature, 0) + 1
    return ThemeClassifier(counts, len(vocabulary), threshold)


@dataclass(frozen=True)
class Comparison:
    """Whether a candidate analyser (say, with a new model) beats the current one."""

    base: Report
    candidate: Report
    macro_f1_change: float
    theme_f1_changes: dict[str, float]
    improved: bool


def compare(base: Analyser, candidate: Analyser,
            labelled: Sequence[LabelledExample]) -> Comparison:
    """Evaluate both analysers on the same labelled comments and compare macro F1."""
    before = evaluate(base.analyse, labelled)
    after = evaluate(candidate.analyse, labelled)
    changes = {b.code: round(a.f1 - b.f1, 4) for b, a in zip(before.themes, after.themes)}
    change = round(after.macro_f1 - before.macro_f1, 4)
    # Never accept a model that loses disclosures, however good its themes.
    safe = after.safeguarding_recall >= before.safeguarding_recall
    return Comparison(before, after, change, changes, improved=change > 0 and safe)


# --- Learning the reader from workers' decisions -------------------------------------

#: A worker's decision weighs as much as a real quote: these are the service's own words.
DECISION_WEIGHT = 3.0


@dataclass(frozen=True)
class Decision:
    """What a worker decided about one comment (None: they decided nothing about it).

    ``harm``: an alert or concern the worker confirmed (True) or cleared (False).
    """

    text: str
    harm: bool | None = None
    sentiment: str | None = None
    themes: frozenset[str] | None = None
    id: str = ""


@dataclass(frozen=True)
class ReaderComparison:
    """The current reader and a candidate retrained with workers' decisions, on the
    same held-out comments: ``reports`` maps each held-out set to (current, candidate)."""

    candidate: Reader
    reports: dict[str, tuple[Report, Report]]
    improved: bool
    why: str


def learn_reader(base: Analyser, decisions: Sequence[Decision],
                 sets: Sequence[TrainingSet] | None = None, every: int = 5) -> ReaderComparison:
    """Retrain the reader with workers' decisions; say whether it may be used.

    Every ``every``-th decision is held out. The candidate is used only if, on the
    held-out decisions and on each of the project's labelled sets, recall of
    disclosures (urgent or concern) does not fall at all, and false alarms on
    harmless comments fall on the held-out decisions (and rise nowhere).
    """
    held = [d for n, d in enumerate(decisions) if n % every == every - 1]
    kept = [d for n, d in enumerate(decisions) if n % every != every - 1]
    describer = Analyser(base.lexicon, reader=False)
    sets = training.default_sets() if sets is None else sets
    rows = training.describe(describer, sets)
    extra = [sample for _, sample in training.evidence(describer)]
    workers = [Sample(describer.describe(d.text).features, d.harm, d.sentiment, d.themes,
                      DECISION_WEIGHT) for d in kept]
    info = {"sets": {s.name: s.weight for s in sets}, "comments": len(rows),
            "worker_decisions": len(kept)}
    candidate = train_reader(training.samples(rows) + extra + workers, info)
    challenger = Analyser(base.lexicon, base.classifier, reader=candidate)
    labelled = {"held-out decisions": [
        LabelledExample(d.text, d.themes or frozenset(), d.harm, d.sentiment, d.id)
        for d in held if d.harm is not None]}
    for training_set in sets:
        if not training_set.name.startswith("examples/"):
            labelled[training_set.name] = read_labelled(training_set.path)
    reports = {name: (evaluate(base.analyse, rows_), evaluate(challenger.analyse, rows_))
               for name, rows_ in labelled.items() if rows_}
    improved, why = _verdict(reports)
    return ReaderComparison(candidate, reports, improved, why)


def _verdict(reports: dict[str, tuple[Report, Report]]) -> tuple[bool, str]:
    for name, (before, after) in reports.items():
        if after.safeguarding_recall < before.safeguarding_recall:
            return False, f"recall of disclosures fell on {name}"
        if after.false_alarm_rate > before.false_alarm_rate:
            return False, f"false alarms rose on {name}"
    held = reports.get("held-out decisions")
    if held is None:
        return False, "no held-out decision about harm to check it on"
    if held[1].false_alarm_rate >= held[0].false_alarm_rate:
        return False, "false alarms did not fall on the held-out decisions"
    return True, "recall held everywhere and false alarms fell"
