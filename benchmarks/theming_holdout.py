"""Leave-one-group-out figures for the theming reader: each labelled group is
scored by a reader trained on everything else.

    python benchmarks/theming_holdout.py [--hold fresh3,fresh4,fresh5] [--json out.json]

Groups: ``dev`` (theming_dev.jsonl), ``real_dev`` and ``freshN`` (the pair
``theming_freshN_*``; ``fresh1`` is the first pair, ``theming_fresh_*``). Only
the sets ``training.default_sets()`` trains on can be held out, so a fresh
pair that is not yet in ``training.SEEN_FRESH`` is never read here: score it
with ``python -m feedback.theming evaluate`` instead, once.

For each group, a reader is trained on the default sets without that group's
files, and without any rule evidence sentence that quotes one of its comments,
then each file of the group is analysed as ``evaluate`` does (language
untold). Printed per file: sentiment accuracy, macro F1, English recall
(urgent or concern), false alarms, needs review; then the totals of missed
disclosures and false alarms, whose ids ``--json`` writes out so two runs
can be compared comment by comment.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedback.theming import training  # noqa: E402
from feedback.theming.analyser import Analyser  # noqa: E402
from feedback.theming.evaluation import read_labelled, score  # noqa: E402

GROUPS = "dev,real_dev,fresh1,fresh2,fresh3,fresh4,fresh5,fresh6"


def group_files(group: str) -> list[str]:
    """Return the file names of a group."""
    if group == "dev":
        return ["theming_dev.jsonl"]
    if group == "real_dev":
        return ["real_dev.jsonl"]
    number = group.removeprefix("fresh")
    if not number.isdigit() and number:
        raise SystemExit(f"unknown group {group!r}")
    stem = "theming_fresh" if number in ("", "1") else f"theming_fresh{number}"
    return [f"{stem}_imitated.jsonl", f"{stem}_realstyle.jsonl"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hold", default=GROUPS, help=f"comma-separated groups ({GROUPS})")
    parser.add_argument("--json", type=Path, help="write per-file figures and ids here")
    args = parser.parse_args()
    analyser = Analyser(reader=False)
    sets = training.default_sets()
    by_name = {s.name: s for s in sets}
    rows = training.describe(analyser, sets)
    evidence = training.evidence(analyser)
    results: dict[str, dict[str, Any]] = {}
    for group in args.hold.split(","):
        names = group_files(group)
        missing = [name for name in names if name not in by_name]
        if missing:
            print(f"{group}: {', '.join(missing)} not in the default sets; skipped",
                  file=sys.stderr)
            continue
        examples = {name: read_labelled(by_name[name].path) for name in names}
        judge = training.judge_without(analyser, rows, evidence,
                                       lambda row: row.set_name in names)
        for name, found in examples.items():
            report = score([(e, judge.analyse(e.text, None)) for e in found])
            results[name] = {
                "sentiment": report.sentiment_accuracy, "macro_f1": report.macro_f1,
                "english_recall": report.english_safeguarding_recall,
                "false_alarm_rate": report.false_alarm_rate,
                "needs_review": report.needs_review_rate,
                "missed": list(report.missed_ids), "false_alarms": list(report.false_alarm_ids),
                "unrouted_non_english": list(report.unrouted_non_english_ids)}
            print(f"{name:34s} sentiment {report.sentiment_accuracy:.3f}  macro F1 "
                  f"{report.macro_f1:.3f}  English recall "
                  f"{report.english_safeguarding_recall:.3f}  false alarms "
                  f"{report.false_alarm_rate:.3f}  needs review {report.needs_review_rate:.3f}",
                  flush=True)
    missed = sum(len(r["missed"]) for r in results.values())
    alarms = sum(len(r["false_alarms"]) for r in results.values())
    unrouted = sum(len(r["unrouted_non_english"]) for r in results.values())
    print(f"missed {missed}, false alarms {alarms}, "
          f"non-English disclosures neither flagged nor routed {unrouted}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
