"""Command line: tag comments, evaluate against labels, train a theme model.

    python -m feedback.theming tag < comments.jsonl > tagged.jsonl
    python -m feedback.theming evaluate labelled.jsonl [--json] [--lexicon EXTRA.toml]
    python -m feedback.theming train labelled.jsonl --out model.json
    python -m feedback.theming build-examples [--check labelled.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from feedback.theming.analyser import Analyser, failed_analysis
from feedback.theming import examples as example_models
from feedback.theming.evaluation import DataError, evaluate, format_report, read_labelled
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
        if args.command == "build-examples":
            return _build_examples(analyser, args)
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
        "build-examples", help="rebuild the models learned from the example comments")
    build_parser.add_argument("--out", type=Path, default=example_models.MODEL_FILE)
    build_parser.add_argument("--check", type=Path, action="append", default=[],
                              help="labelled file: report the analyser before and after")
    for sub in (tag_parser, evaluate_parser, train_parser, build_parser):
        sub.add_argument("--lexicon", type=Path, action="append", default=[],
                         help="extra lexicon file merged on top of the built-in one")
    for sub in (tag_parser, evaluate_parser):
        sub.add_argument("--model", type=Path, help="classifier written by the train command")
    return parser


def _analyser(args: argparse.Namespace) -> Analyser:
    model = getattr(args, "model", None)
    classifier = ThemeClassifier.load(model) if model else None
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
        "safeguarding": analysis.safeguarding.flagged,
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


def _build_examples(analyser: Analyser, args: argparse.Namespace) -> int:
    """Train the example models on ``examples/*.jsonl`` and write them as JSON."""
    files = sorted(example_models.EXAMPLES_DIR.glob("*.jsonl"))
    if not files:
        raise DataError(f"no example files in {example_models.EXAMPLES_DIR}")
    labelled = [example for path in files for example in read_labelled(path)]
    for example in labelled:
        if example.safeguarding is None or example.sentiment is None:
            raise DataError(f"example {example.id!r} needs safeguarding and sentiment labels")
    models = example_models.build(
        (analyser.normaliser.normalise(example.text), bool(example.safeguarding),
         str(example.sentiment)) for example in labelled)
    models.save(args.out)
    print(f"{len(labelled)} examples from {len(files)} files; models written to {args.out}")
    without = Analyser(analyser.lexicon, examples=False)
    with_models = Analyser(analyser.lexicon, examples=models)
    for path in args.check:
        rows = read_labelled(path)
        before, after = evaluate(without.analyse, rows), evaluate(with_models.analyse, rows)
        print(f"{path}: safeguarding recall {before.safeguarding_recall:.3f} -> "
              f"{after.safeguarding_recall:.3f}, precision {before.safeguarding_precision:.3f}"
              f" -> {after.safeguarding_precision:.3f}; sentiment "
              f"{before.sentiment_accuracy:.3f} -> {after.sentiment_accuracy:.3f}")
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
