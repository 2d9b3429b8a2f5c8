"""Command line: tag comments, evaluate against labels, train a theme model.

    python -m feedback.theming tag < comments.jsonl > tagged.jsonl
    python -m feedback.theming evaluate labelled.jsonl [--json] [--lexicon EXTRA.toml]
    python -m feedback.theming train labelled.jsonl --out model.json
    python -m feedback.theming build-reader [--data labelled.jsonl[:weight] ...]
    python -m feedback.theming cross-validate [--data labelled.jsonl[:weight] ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from feedback.theming.analyser import Analyser, failed_analysis
from feedback.theming import reader as reader_model
from feedback.theming import training
from feedback.theming.evaluation import (
    DataError, evaluate, format_report, read_labelled, score)
from feedback.theming.learn import ModelError, ThemeClassifier, compare, train
from feedback.theming.errors import LexiconError
from feedback.theming.lexicon import load_lexicon
from feedback.theming.results import Analysis

EXIT_BAD_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        analyser = _analyser(args)
        if args.command == "tag":
            return tag(analyser, sys.stdin, sys.stdout, sys.stderr)
        if args.command == "evaluate":
            return _evaluate(analyser, args)
        if args.command == "build-reader":
            return _build_reader(analyser, args)
        if args.command == "cross-validate":
            return _cross_validate(analyser, args)
        return _train(analyser, args)
    except (LexiconError, DataError, ModelError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m feedback.theming",
                                     description="Theme, sentiment and safeguarding analysis.")
    commands = parser.add_subparsers(dest="command", required=True)
    tag_parser = commands.add_parser(
        "tag", help="read comments as JSON lines on stdin, write analyses on stdout")
    evaluate_parser = commands.add_parser("evaluate", help="score against a labelled file")
    evaluate_parser.add_argument("labelled", type=Path)
    evaluate_parser.add_argument("--json", action="store_true", help="machine-readable output")
    train_parser = commands.add_parser("train", help="learn extra themes from labelled comments")
    train_parser.add_argument("labelled", type=Path)
    train_parser.add_argument("--out", type=Path, required=True, help="model file to write")
    train_parser.add_argument("--check", type=Path,
                              help="held-out labelled file: report whether the model helps")
    build_parser = commands.add_parser(
        "build-reader", help="train the reader on every labelled comment and save it")
    build_parser.add_argument("--out", type=Path, default=reader_model.MODEL_FILE)
    cv_parser = commands.add_parser(
        "cross-validate", help="grouped k-fold figures: each comment scored by a reader "
                               "that never saw it")
    cv_parser.add_argument("--folds", type=int, default=training.FOLDS)
    cv_parser.add_argument("--json", action="store_true", help="machine-readable output")
    for sub in (build_parser, cv_parser):
        sub.add_argument("--data", action="append", default=[], metavar="FILE[:WEIGHT]",
                         help="labelled file to train on (default: the project's own sets)")
    for sub in (tag_parser, evaluate_parser, train_parser, build_parser, cv_parser):
        sub.add_argument("--lexicon", type=Path, action="append", default=[],
                         help="extra lexicon file merged on top of the built-in one")
    for sub in (tag_parser, evaluate_parser):
        sub.add_argument("--model", type=Path, help="classifier written by the train command")
    return parser


def _analyser(args: argparse.Namespace) -> Analyser:
    model = getattr(args, "model", None)
    classifier = ThemeClassifier.load(model) if model else None
    if args.command in ("build-reader", "cross-validate"):  # describes data for training
        return Analyser(load_lexicon(args.lexicon), classifier, reader=False)
    return Analyser(load_lexicon(args.lexicon), classifier)


def tag(analyser: Analyser, source: TextIO, out: TextIO, errors: TextIO) -> int:
    """Tag each JSON line of ``source``; a bad line is reported, flagged and output anyway.

    Fail safe: a line that cannot be read still produces an output line,
    flagged for a person, so no comment silently disappears; the exit code
    is then 2 so the caller knows to look.
    """
    status = 0
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        comment_id, text, language, problem = _parse_line(line)
        if problem:
            print(f"line {number}: {problem}", file=errors)
            status = EXIT_BAD_INPUT
            analysis = failed_analysis(None)
            reasons = [f"input line {number} could not be read: {problem}"]
        else:
            analysis = analyser.analyse_safely(text, language)
            reasons = list(analysis.safeguarding.reasons)
        out.write(json.dumps(_output(comment_id, analysis, reasons), ensure_ascii=False) + "\n")
    return status


def _parse_line(line: str) -> tuple[Any, str, str | None, str | None]:
    """Return (id, text, language, problem); ``problem`` is None for a good line."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return None, "", None, f"not valid JSON ({error.msg})"
    if not isinstance(data, dict):
        return None, "", None, "expected a JSON object"
    comment_id = data.get("id")
    if not isinstance(data.get("text"), str):
        return comment_id, "", None, 'missing "text" string'
    language = data.get("lang")
    if language is not None and not isinstance(language, str):
        return comment_id, "", None, '"lang" must be a string'
    return comment_id, data["text"], language, None


def _output(comment_id: Any, analysis: Analysis, reasons: list[str]) -> dict[str, Any]:
    return {
        "id": comment_id,
        "themes": list(analysis.theme_codes),
        # Urgent: a same-day alert. Concern: possible harm, read today, no escalation.
        "safeguarding": analysis.safeguarding.urgent,
        "concern": analysis.safeguarding.concern,
        "sentiment": analysis.sentiment.label,
        "needs_review": analysis.needs_review,
        "language": analysis.language,
        "reasons": reasons,
    }


def _evaluate(analyser: Analyser, args: argparse.Namespace) -> int:
    report = evaluate(analyser.analyse, read_labelled(args.labelled))
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_report(report))
    return 0


def _sets(args: argparse.Namespace) -> list[training.TrainingSet]:
    if not args.data:
        return training.default_sets()
    sets = []
    for entry in args.data:
        name, _, weight = entry.rpartition(":") if ":" in entry else (entry, "", "1")
        path = Path(name)
        # An example file keeps its "examples/" name: folds hold whole example files.
        label = f"examples/{path.name}" if path.resolve().parent == training.EXAMPLES_DIR \
            else path.name
        try:
            sets.append(training.TrainingSet(label, path, float(weight)))
        except ValueError:
            raise DataError(f"{entry}: expected FILE or FILE:WEIGHT") from None
    return sets


def _build_reader(analyser: Analyser, args: argparse.Namespace) -> int:
    """Train the reader on every labelled comment and save it (no pickle)."""
    sets = _sets(args)
    model = training.build(analyser, sets)
    model.save(args.out)
    print(f"{model.info.get('comments')} comments from {len(sets)} files "
          f"({', '.join(f'{s.name} x{s.weight:g}' for s in sets)}); reader written to {args.out}")
    return 0


def _cross_validate(analyser: Analyser, args: argparse.Namespace) -> int:
    """Print each set's figures when every comment is scored by a reader that never saw it."""
    rows = training.describe(analyser, _sets(args))
    scored = training.cross_validate(analyser, rows, args.folds)
    reports = {name: score(pairs) for name, pairs in scored.items()}  # type: ignore[arg-type]
    examples = [pair for name, pairs in scored.items() if name.startswith("examples/")
                for pair in pairs]
    if examples:
        reports["examples (all)"] = score(examples)  # type: ignore[arg-type]
    if args.json:
        print(json.dumps({name: report.to_dict() for name, report in reports.items()},
                         indent=2, ensure_ascii=False))
        return 0
    print(f"{args.folds}-fold cross-validation, folds grouped by source")
    for name, report in reports.items():
        print(f"\n=== {name} ===")
        print(format_report(report))
    return 0


def _train(analyser: Analyser, args: argparse.Namespace) -> int:
    classifier = train(read_labelled(args.labelled), analyser=analyser)
    classifier.save(args.out)
    print(f"model written to {args.out}")
    if args.check:
        candidate = Analyser(analyser.lexicon, classifier)
        result = compare(analyser, candidate, read_labelled(args.check))
        verdict = "improves" if result.improved else "does not improve"
        print(f"on {args.check}: macro F1 {result.base.macro_f1:.3f} -> "
              f"{result.candidate.macro_f1:.3f}; the model {verdict} the analyser")
    return 0
