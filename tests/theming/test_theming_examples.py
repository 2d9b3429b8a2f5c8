"""The models learned from example comments: the fourth safeguarding net and the
second opinion on sentiment. Sentences here were written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedback.theming import Analyser
from feedback.theming.analyser import LEARNED_REASON
from feedback.theming.cli import main
from feedback.theming.examples import (
    EXAMPLES_DIR, MODEL_FILE, ExampleModels, ModelError, build, features,
)

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "theming" / "theming_dev.jsonl"


def test_the_shipped_models_are_what_the_example_files_build(tmp_path: Path) -> None:
    out = tmp_path / "examples.json"
    assert main(["build-examples", "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == json.loads(MODEL_FILE.read_text())
    assert ExampleModels.load(out).examples >= 1000


def test_the_examples_are_labelled_and_hold_no_development_comment() -> None:
    rows = [json.loads(line) for path in sorted(EXAMPLES_DIR.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(isinstance(row["safeguarding"], bool) and row["sentiment"] in
               ("positive", "negative", "mixed", "neutral") for row in rows)
    assert sum(row["safeguarding"] for row in rows) >= 300
    if DEV_SET.exists():
        development = {json.loads(line)["text"].strip().lower()
                       for line in DEV_SET.read_text(encoding="utf-8").splitlines()}
        assert not development & {row["text"].strip().lower() for row in rows}


def test_a_negated_word_is_a_different_feature(analyser: Analyser) -> None:
    hit = features(analyser.prepare("my dad hit me").english)
    never = features(analyser.prepare("my dad never hit me").english)
    assert "hit" in hit and "hit" not in never and "not:hit" in never


def test_a_disclosure_no_rule_knows_is_flagged_by_the_examples(analyser: Analyser) -> None:
    text = "i get the bus to the other side of town at night to drop things for my cousin"
    analysis = analyser.analyse(text)
    assert analysis.safeguarding.reasons == (LEARNED_REASON,)
    without = Analyser(analyser.lexicon, examples=False).analyse(text)
    assert not without.safeguarding.flagged


@pytest.mark.parametrize("text", ["mum tells everyone dad left because of me",
                                  "my mum says she wishes she only had my sister"])
def test_the_examples_can_flag_a_comment_with_no_word_of_harm(
        analyser: Analyser, text: str) -> None:
    # Emotional harm told only through what happens: no rule, no cue of harm, no veto.
    assessment = analyser.concern.assess(analyser.prepare(text).english)
    assert not assessment.harm_words and not assessment.vetoed
    assert analyser.analyse(text).safeguarding.reasons == (LEARNED_REASON,)
    assert not Analyser(analyser.lexicon, examples=False).analyse(text).safeguarding.flagged


def test_a_lesson_or_game_keeps_the_examples_from_flagging(analyser: Analyser) -> None:
    text = "my dad waits outside in his car to pick me up from football"
    assert analyser.concern.assess(analyser.prepare(text).english).vetoed
    assert not analyser.analyse(text).safeguarding.flagged


@pytest.mark.parametrize("text", ["idk", "no", "my review is on the 12th"])
def test_the_second_opinion_leaves_plain_comments_neutral(analyser: Analyser,
                                                          text: str) -> None:
    assert analyser.analyse(text).sentiment.label == "neutral"


def test_models_train_save_and_load(analyser: Analyser, tmp_path: Path) -> None:
    rows = [("he hurts me when mum is out", True, "negative"),
            ("he hurts me and i am scared", True, "negative"),
            ("i love football with my mates", False, "positive"),
            ("football with my mates is the best", False, "positive")]
    models = build((analyser.prepare(text).english, flag, feeling)
                   for text, flag, feeling in rows)
    path = tmp_path / "models.json"
    models.save(path)
    loaded = ExampleModels.load(path)
    found = features(analyser.prepare("he hurts me").english)
    assert loaded.harm_probability(found) == pytest.approx(models.harm_probability(found))
    assert loaded.harm_probability(found) > \
        loaded.harm_probability(features(analyser.prepare("football with my mates").english))


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "cannot read"),
    ('{"format": "something else"}', "not an example-models file"),
    ('{"format": "feedback.theming.examples", "version": 99}', "unsupported version"),
    ('{"format": "feedback.theming.examples", "version": 1, "safeguarding": {}}',
     "malformed model"),
])
def test_a_bad_model_file_is_refused_with_a_reason(tmp_path: Path, content: str,
                                                   message: str) -> None:
    path = tmp_path / "models.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=message):
        ExampleModels.load(path)
