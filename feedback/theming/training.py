"""Train the reader on every labelled comment, and measure it honestly (grouped k-fold).

Training data (``default_sets``):

- ``examples/*.jsonl``: 3,188 comments written for training from the
  taxonomy (weight 1);
- ``shared/theming/theming_dev.jsonl``: the development set (weight 2);
- ``shared/theming/real_dev.jsonl``: real young people's words quoted in
  published reports (weight ``REAL_WEIGHT``: real words are scarce, and they
  are what the service will read);
- every safeguarding rule's evidence in ``safeguarding.toml``: the sentences
  it must catch (harm) and the look-alikes it must spare (no harm), for the
  harm head only (weight ``EVIDENCE_WEIGHT``: each was written to mark a
  boundary, and weighed up they cut false alarms held out, recall unchanged);
- ``benchmarks/data/theming_fresh_*.jsonl`` and ``theming_fresh2_*`` to
  ``theming_fresh27_*``: the fresh pairs once they have been scored
  (imitated ``DEV_WEIGHT``, real-style ``REAL_WEIGHT``), for every head. Only
  these named pairs: a newer fresh set is a measure of the reader and must
  never be trained on before it is scored.

``SENTIMENT_ONLY`` example files teach sentiment and themes but not harm:
t11's harmless "nobody yells at me here" comments were written to fix a
feeling, and in the harm head they cost a real_dev disclosure.

The shared sets sit beside the repository; when they are missing the reader
is trained on the examples alone. ``cross_validate`` gives figures for
comments the reader did not train on: each fold's reader is trained without
the fold, and the real quotes are grouped by their source, so no quote is
scored by a reader that trained on another quote from the same story.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from feedback.theming.analyser import Analyser, Description
from feedback.theming.evaluation import DataError, LabelledExample, read_labelled
from feedback.theming.reader import Reader, Sample, train

PACKAGE = Path(__file__).resolve().parent
EXAMPLES_DIR = PACKAGE / "examples"
SHARED = PACKAGE.parents[2] / "shared" / "theming"
BENCHMARK_DATA = PACKAGE.parents[1] / "benchmarks" / "data"
#: The newest fresh pair already scored once, and so no longer unseen: pairs 1 to
#: this one are trained on; the next one measures the reader.
LAST_SCORED_PAIR = 27
SEEN_FRESH = ("theming_fresh_imitated.jsonl", "theming_fresh_realstyle.jsonl") + tuple(
    f"theming_fresh{pair}_{kind}.jsonl"
    for pair in range(2, LAST_SCORED_PAIR + 1) for kind in ("imitated", "realstyle"))
#: Example files that teach sentiment and themes, not harm.
SENTIMENT_ONLY = ("t11.jsonl",)
DEV_WEIGHT = 2.0
REAL_WEIGHT = 3.0
EVIDENCE_WEIGHT = 3.0
FOLDS = 5


@dataclass(frozen=True)
class TrainingSet:
    """A labelled file, the weight of each of its comments, and its name in reports."""

    name: str
    path: Path
    weight: float = 1.0
    #: False: the set teaches sentiment and themes, not harm.
    teaches_harm: bool = True


def default_sets() -> list[TrainingSet]:
    """Return the project's labelled files that exist on this machine."""
    sets = [TrainingSet(f"examples/{p.name}", p, teaches_harm=p.name not in SENTIMENT_ONLY)
            for p in sorted(EXAMPLES_DIR.glob("*.jsonl"))]
    for name, weight in (("theming_dev.jsonl", DEV_WEIGHT), ("real_dev.jsonl", REAL_WEIGHT)):
        if (SHARED / name).exists():
            sets.append(TrainingSet(name, SHARED / name, weight))
    for name in SEEN_FRESH:
        if (BENCHMARK_DATA / name).exists():
            weight = REAL_WEIGHT if "realstyle" in name else DEV_WEIGHT
            sets.append(TrainingSet(name, BENCHMARK_DATA / name, weight))
    return sets


@dataclass(frozen=True)
class Row:
    """One labelled comment, described by the analyser, ready to train or score."""

    example: LabelledExample
    described: Description
    weight: float
    set_name: str
    group: str
    teaches_harm: bool = True


def describe(analyser: Analyser, sets: Sequence[TrainingSet]) -> list[Row]:
    """Describe every labelled comment (pipeline steps 1-3) once."""
    rows = []
    for training_set in sets:
        groups = _groups(training_set.path)
        for example in read_labelled(training_set.path):
            if example.safeguarding is None:
                raise DataError(f"{training_set.path}: {example.id!r} has no safeguarding label")
            rows.append(Row(example, analyser.describe(example.text, example.language),
                            training_set.weight, training_set.name,
                            groups.get(example.id, _group(training_set, example)),
                            training_set.teaches_harm))
    return rows


def _group(training_set: TrainingSet, example: LabelledExample) -> str:
    # Each example file is one writer's voice: a fold holds whole files, so the
    # figures are for a writer the reader has never read.
    if training_set.name.startswith("examples/"):
        return training_set.name
    return f"{training_set.name}:{example.id}"


def _groups(path: Path) -> dict[str, str]:
    """Return each comment's group: its published source when it has one."""
    groups = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            if data.get("source_title"):
                groups[str(data.get("id"))] = f"source:{data['source_title']}"
    return groups


def samples(rows: Sequence[Row]) -> list[Sample]:
    """Return the reader's training samples (English comments only: it reads English)."""
    return [Sample(row.described.features,
                   bool(row.example.safeguarding) if row.teaches_harm else None,
                   row.example.sentiment, frozenset(row.example.themes), row.weight)
            for row in rows if row.described.parts.language == "en"]


def evidence(analyser: Analyser) -> list[tuple[str, Sample]]:
    """Return the rules' evidence as harm-only samples (English sentences only)."""
    found = []
    for rule in analyser.lexicon.rules:
        for texts, harm in ((rule.catches, True), (rule.spares, False)):
            for text in texts:
                described = analyser.describe(text)
                if described.parts.language == "en":
                    found.append((text, Sample(described.features, harm, None, None,
                                               EVIDENCE_WEIGHT)))
    return found


def build(analyser: Analyser, sets: Sequence[TrainingSet] | None = None) -> Reader:
    """Train the reader on every labelled comment in ``sets`` and the rules' evidence."""
    sets = default_sets() if sets is None else sets
    rows = describe(analyser, sets)
    extra = evidence(analyser)
    info = {"sets": {s.name: s.weight for s in sets}, "comments": len(rows),
            "rule_evidence": len(extra)}
    return train(samples(rows) + [sample for _, sample in extra], info)


def cross_validate(analyser: Analyser, rows: Sequence[Row],
                   folds: int = FOLDS) -> dict[str, list[tuple[LabelledExample, object]]]:
    """Return, per set, each comment with the analysis of a reader that never saw it.

    Folds are whole groups, assigned in a fixed order (deterministic).
    """
    groups = sorted({row.group for row in rows})
    fold_of = {group: number % folds for number, group in enumerate(groups)}
    scored: dict[str, list[tuple[LabelledExample, object]]] = {}
    extra = evidence(analyser)
    for fold in range(folds):
        def in_fold(row: Row, fold: int = fold) -> bool:
            return fold_of[row.group] == fold

        judge = judge_without(analyser, rows, extra, in_fold)
        for row in filter(in_fold, rows):
            scored.setdefault(row.set_name, []).append((row.example, judge.decide(row.described)))
    return scored


def judge_without(analyser: Analyser, rows: Sequence[Row],
                  extra: Sequence[tuple[str, Sample]],
                  held: Callable[[Row], bool]) -> Analyser:
    """Return ``analyser`` with a reader trained on every row but the ``held`` ones.

    A rule's evidence may quote an example comment: never one held out.
    """
    unseen = {row.example.text.strip().lower() for row in rows if held(row)}
    reader = train(samples([row for row in rows if not held(row)]) +
                   [sample for text, sample in extra if text.strip().lower() not in unseen])
    return Analyser(analyser.lexicon, analyser.classifier, reader=reader)
