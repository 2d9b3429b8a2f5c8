"""Evaluation maths: per-theme scores, safeguarding recall, sentiment accuracy."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from feedback.theming.lexicon import THEME_CODES
from feedback.theming.results import SENTIMENT_LABELS, Analysis


class DataError(ValueError):
    """Raised when a labelled data file cannot be read."""


@dataclass(frozen=True)
class LabelledExample:
    """A comment with the themes (and optionally flag and sentiment) a person gave it."""

    text: str
    themes: frozenset[str] | Sequence[str]
    safeguarding: bool | None = None
    sentiment: str | None = None
    id: str = ""
    #: The labelled language ("language", or "lang" in older files); None means English.
    language: str | None = None


@dataclass(frozen=True)
class ThemeScore:
    """Precision, recall and F1 for one theme."""

    code: str
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass(frozen=True)
class Report:
    """How well the analyser agreed with the labels."""

    count: int
    themes: tuple[ThemeScore, ...]
    macro_f1: float
    micro_f1: float
    safeguarding_recall: float
    safeguarding_precision: float
    english_safeguarding_recall: float
    missed_ids: tuple[str, ...]
    false_alarm_ids: tuple[str, ...]
    unrouted_non_english_ids: tuple[str, ...]
    sentiment_accuracy: float
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Harmless comments (labelled not safeguarding) flagged at either tier.
    false_alarm_rate: float = 0.0
    #: The same two figures counting the urgent tier only.
    urgent_recall: float = 0.0
    urgent_false_alarm_rate: float = 0.0
    #: Shares of all comments: concern tier, urgent tier, needs_review.
    concern_rate: float = 0.0
    urgent_rate: float = 0.0
    needs_review_rate: float = 0.0
    disclosures: int = 0
    harmless: int = 0

    def to_dict(self) -> dict[str, object]:
        """Return the report as plain JSON-ready data."""
        return asdict(self)


def read_labelled(path: Path) -> list[LabelledExample]:
    """Read a labelled .jsonl file (see TAXONOMY.md); raise DataError naming the line."""
    examples = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise DataError(f"{path}: cannot read ({error.strerror})") from error
    for number, line in enumerate(lines, start=1):
        if line.strip():
            examples.append(_example(line, f"{path}:{number}"))
    return examples


def _example(line: str, where: str) -> LabelledExample:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataError(f"{where}: not valid JSON ({error.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise DataError(f"{where}: expected an object with a \"text\" string")
    themes = data.get("themes", [])
    if not isinstance(themes, list) or not all(code in THEME_CODES for code in themes):
        raise DataError(f"{where}: \"themes\" must be a list of known theme codes")
    return LabelledExample(
        text=data["text"], themes=frozenset(themes), safeguarding=data.get("safeguarding"),
        sentiment=data.get("sentiment"), id=str(data.get("id", where)),
        language=data.get("language") or data.get("lang"),
    )


def evaluate(analyse: Callable[[str, str | None], Analysis],
             examples: Iterable[LabelledExample]) -> Report:
    """Analyse each example and score the results against its labels.

    The service analyses a comment without being told its language, so the
    labelled language is used only to score: English recall counts English
    comments, and non-English disclosures must be flagged or routed.
    """
    pairs = [(example, analyse(example.text, None)) for example in examples]
    return score(pairs)


def score(pairs: Sequence[tuple[LabelledExample, Analysis]]) -> Report:
    """Score analyses against labels."""
    themes = tuple(_theme_score(code, pairs) for code in THEME_CODES)
    counted = [theme for theme in themes if theme.support or theme.predicted]
    true_positives = sum(round(t.recall * t.support) for t in themes)
    predicted = sum(t.predicted for t in themes)
    support = sum(t.support for t in themes)
    flagged = [(e, a) for e, a in pairs if e.safeguarding is not None]
    english = [(e, a) for e, a in flagged if (e.language or "en") == "en"]
    return Report(
        count=len(pairs),
        themes=themes,
        macro_f1=_mean([theme.f1 for theme in counted]),
        micro_f1=_f1(_ratio(true_positives, predicted), _ratio(true_positives, support)),
        safeguarding_recall=_recall(flagged),
        safeguarding_precision=_ratio(
            sum(bool(e.safeguarding) for e, a in flagged if a.safeguarding.flagged),
            sum(a.safeguarding.flagged for _, a in flagged)),
        english_safeguarding_recall=_recall(english),
        missed_ids=tuple(e.id for e, a in flagged if e.safeguarding and not a.safeguarding.flagged),
        false_alarm_ids=tuple(e.id for e, a in flagged
                              if not e.safeguarding and a.safeguarding.flagged),
        unrouted_non_english_ids=tuple(
            e.id for e, a in flagged
            if e.safeguarding and (e.language or "en") != "en"
            and not (a.safeguarding.flagged or a.needs_review)),
        sentiment_accuracy=_ratio(sum(e.sentiment == a.sentiment.label for e, a in pairs
                                      if e.sentiment), sum(bool(e.sentiment) for e, _ in pairs)),
        confusion=_confusion(pairs),
        false_alarm_rate=_ratio(sum(a.safeguarding.flagged for e, a in flagged
                                    if not e.safeguarding),
                                sum(not e.safeguarding for e, _ in flagged)),
        urgent_recall=_ratio(sum(a.safeguarding.urgent for e, a in flagged if e.safeguarding),
                             sum(bool(e.safeguarding) for e, _ in flagged)),
        urgent_false_alarm_rate=_ratio(sum(a.safeguarding.urgent for e, a in flagged
                                           if not e.safeguarding),
                                       sum(not e.safeguarding for e, _ in flagged)),
        concern_rate=_ratio(sum(a.safeguarding.concern for _, a in pairs), len(pairs)),
        urgent_rate=_ratio(sum(a.safeguarding.urgent for _, a in pairs), len(pairs)),
        needs_review_rate=_ratio(sum(a.needs_review for _, a in pairs), len(pairs)),
        disclosures=sum(bool(e.safeguarding) for e, _ in flagged),
        harmless=sum(not e.safeguarding for e, _ in flagged),
    )


def macro_f1(pairs: Sequence[tuple[LabelledExample, Analysis]]) -> float:
    """Return the macro F1 over the themes that appear in labels or predictions."""
    return score(pairs).macro_f1


def _theme_score(code: str, pairs: Sequence[tuple[LabelledExample, Analysis]]) -> ThemeScore:
    support = sum(code in e.themes for e, _ in pairs)
    predicted = sum(code in a.theme_codes for _, a in pairs)
    hits = sum(code in e.themes and code in a.theme_codes for e, a in pairs)
    precision, recall = _ratio(hits, predicted), _ratio(hits, support)
    return ThemeScore(code, precision, recall, _f1(precision, recall), support, predicted)


def _recall(pairs: Sequence[tuple[LabelledExample, Analysis]]) -> float:
    positives = [a for e, a in pairs if e.safeguarding]
    return _ratio(sum(a.safeguarding.flagged for a in positives), len(positives))


def _confusion(pairs: Sequence[tuple[LabelledExample, Analysis]]) -> dict[str, dict[str, int]]:
    """Return counts by expected label (rows) and predicted label (columns)."""
    table: dict[str, dict[str, int]] = {
        row: {column: 0 for column in SENTIMENT_LABELS} for row in SENTIMENT_LABELS}
    for example, analysis in pairs:
        if example.sentiment in table:
            table[example.sentiment][analysis.sentiment.label] += 1
    return table


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return round(2 * precision * recall / total, 4) if total else 0.0


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def format_report(report: Report) -> str:
    """Return the report as a table for people."""
    lines = [f"{report.count} comments", "",
             f"{'theme':<15}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}{'predicted':>11}"]
    for theme in report.themes:
        lines.append(f"{theme.code:<15}{theme.precision:>10.2f}{theme.recall:>8.2f}"
                     f"{theme.f1:>8.2f}{theme.support:>9}{theme.predicted:>11}")
    lines += [
        "", f"macro F1 {report.macro_f1:.3f}   micro F1 {report.micro_f1:.3f}", "",
        "safeguarding: a disclosure counts as caught when it is urgent OR a concern",
        f"safeguarding recall {report.safeguarding_recall:.3f} "
        f"(English {report.english_safeguarding_recall:.3f}; {report.disclosures} "
        f"disclosures)   precision {report.safeguarding_precision:.3f}",
        f"false alarms {report.false_alarm_rate:.3f} of {report.harmless} harmless comments "
        f"(urgent or concern)",
        f"urgent tier only: recall {report.urgent_recall:.3f}, false alarms "
        f"{report.urgent_false_alarm_rate:.3f}",
        f"of all comments: urgent {report.urgent_rate:.3f}, concern {report.concern_rate:.3f}, "
        f"needs review {report.needs_review_rate:.3f}",
        f"missed: {', '.join(report.missed_ids) or 'none'}",
        f"false alarms: {', '.join(report.false_alarm_ids) or 'none'}",
        f"non-English disclosures neither flagged nor routed: "
        f"{', '.join(report.unrouted_non_english_ids) or 'none'}",
        "", f"sentiment accuracy {report.sentiment_accuracy:.3f}",
        f"{'expected / got':<16}" + "".join(f"{label:>10}" for label in SENTIMENT_LABELS),
    ]
    for row, columns in report.confusion.items():
        lines.append(f"{row:<16}" + "".join(f"{columns[c]:>10}" for c in SENTIMENT_LABELS))
    return "\n".join(lines)
