"""The command line works without Flask: tag JSON lines and evaluate labelled files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from feedback.theming.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "feedback.theming", *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO, timeout=60)


def test_tag_writes_one_analysis_per_comment_in_order() -> None:
    lines = [{"id": "a1", "text": "my carers took me bowling"},
             {"id": "a2", "text": "my stepdad punches me", "lang": "en"},
             {"id": "a3", "text": "Chcę umrzeć"}]
    result = run("tag", stdin="".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["a1", "a2", "a3"]
    assert set(out[0]) == {"id", "themes", "safeguarding", "concern", "sentiment",
                           "needs_review", "language", "reasons"}
    assert not out[0]["concern"] and not out[1]["concern"]
    assert out[0]["themes"] == ["home", "activities"] and not out[0]["safeguarding"]
    assert out[1]["safeguarding"] and out[1]["reasons"]
    assert out[2]["language"] == "pl" and out[2]["safeguarding"] and out[2]["needs_review"]


def test_a_malformed_line_is_reported_and_still_flagged_for_a_person() -> None:
    result = run("tag", stdin='{"id": 1, "text": "fine"}\n{"id": 2, "txt": "oops"}\nnot json\n')
    assert result.returncode == 2
    assert "line 2" in result.stderr and "line 3" in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == [1, 2, None]
    assert all(row["safeguarding"] and row["needs_review"] for row in out[1:])


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    rows = [
        {"id": "t1", "text": "i love my foster carers", "themes": ["home"],
         "safeguarding": False, "sentiment": "positive"},
        {"id": "t2", "text": "my uncle keeps touching me", "themes": ["family", "safety"],
         "safeguarding": True, "sentiment": "negative"},
        {"id": "t3", "text": "maths is boring", "themes": ["school"],
         "safeguarding": False, "sentiment": "negative"},
    ]
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_evaluate_prints_scores_for_people(labelled: Path) -> None:
    result = run("evaluate", str(labelled))
    assert result.returncode == 0, result.stderr
    for heading in ("macro F1", "micro F1", "safeguarding recall", "sentiment accuracy",
                    "missed: none", "school", "urgent OR a concern", "false alarms 0.000 of",
                    "urgent tier only: recall", "needs review"):
        assert heading in result.stdout


def evaluate_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["evaluate", *args, "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_evaluate_json_is_machine_readable(labelled: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    report = evaluate_json(capsys, str(labelled))
    assert report["count"] == 3
    assert report["safeguarding_recall"] == 1.0
    assert report["false_alarm_rate"] == 0.0 and report["disclosures"] == 1
    assert {"urgent_recall", "urgent_false_alarm_rate", "concern_rate",
            "needs_review_rate"} <= set(report)
    assert report["confusion"]["positive"]["positive"] == 1
    assert {theme["code"] for theme in report["themes"]} >= {"home", "school", "safety"}


def test_evaluate_takes_an_extra_lexicon(labelled: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('[themes.school]\nterms = ["boring"]\n', encoding="utf-8")
    report = evaluate_json(capsys, str(labelled), "--lexicon", str(extra))
    school = next(t for t in report["themes"] if t["code"] == "school")
    assert school["recall"] == 1.0


def test_a_bad_lexicon_is_a_clear_error(labelled: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text('[themes.sports]\nterms = ["golf"]\n', encoding="utf-8")
    assert main(["evaluate", str(labelled), "--lexicon", str(extra)]) == 2
    assert "unknown theme code 'sports'" in capsys.readouterr().err


def test_a_missing_labelled_file_is_a_clear_error(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_train_writes_a_model_that_tag_can_use(labelled: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model.json"
    assert main(["train", str(labelled), "--out", str(model), "--check", str(labelled)]) == 0
    assert "macro F1" in capsys.readouterr().out
    assert main(["evaluate", str(labelled), "--model", str(model)]) == 0


def test_the_labelled_language_is_for_scoring_not_told_to_the_analyser(
        tmp_path: Path) -> None:
    # The service analyses a comment without being told its language, so an
    # evaluation that passed the label on would measure a different module.
    from feedback.theming.analyser import analyse as analyse_as_the_service_does
    from feedback.theming.evaluation import evaluate, read_labelled

    rows = [{"id": "e1", "text": "my stepdad punches me", "themes": ["family", "safety"],
             "safeguarding": True, "sentiment": "negative", "language": "en"},
            {"id": "p1", "text": "Chcę umrzeć", "themes": ["health"],
             "safeguarding": True, "sentiment": "negative", "language": "pl"},
            {"id": "s1", "text": "Me gusta mi colegio", "themes": ["school"],
             "safeguarding": False, "sentiment": "positive", "lang": "es"}]
    path = tmp_path / "languages.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    examples = read_labelled(path)
    assert [example.language for example in examples] == ["en", "pl", "es"]

    told: list[str | None] = []

    def analyse(text: str, language: str | None) -> Any:
        told.append(language)
        return analyse_as_the_service_does(text)

    report = evaluate(analyse, examples)
    assert told == [None, None, None]
    assert report.english_safeguarding_recall == 1.0 and report.disclosures == 2
    assert report.unrouted_non_english_ids == ()
