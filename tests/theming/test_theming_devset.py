"""The module reaches the agreed bars on the shared development set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from feedback.theming import Analyser
from feedback.theming.evaluation import evaluate, read_labelled

REPO = Path(__file__).resolve().parents[2]
DEV_SET = Path(os.environ.get("THEMING_DEV_SET", REPO / ".." / "shared" / "theming" /
                              "theming_dev.jsonl"))


def test_development_set_bars(analyser: Analyser) -> None:
    if not DEV_SET.exists():
        pytest.skip(f"development set not found: {DEV_SET} (set THEMING_DEV_SET)")
    examples = read_labelled(DEV_SET)
    report = evaluate(analyser.analyse, examples)
    assert report.macro_f1 >= 0.75
    assert report.english_safeguarding_recall >= 0.95, report.missed_ids
    assert report.safeguarding_precision >= 0.5
    assert report.unrouted_non_english_ids == ()
    assert report.sentiment_accuracy >= 0.70
