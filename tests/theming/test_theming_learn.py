"""Learning from workers' corrections: a model that only ever adds themes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedback.theming import Analyser, LabelledExample, ThemeClassifier, compare, train
from feedback.theming.learn import ModelError

# A council's own word: children there call the youth centre "the zedbox".
CORRECTIONS = [
    LabelledExample(f"the zedbox was {word} tonight", ["activities"])
    for word in ("great", "busy", "fun", "quiet", "loud", "packed", "brilliant", "cold")
] + [
    LabelledExample(text, themes) for text, themes in [
        ("my social worker visited on friday", ["social_worker"]),
        ("i miss my brother", ["family"]),
        ("maths homework is hard", ["school"]),
        ("my foster carer made pancakes", ["home"]),
        ("i have a dentist appointment", ["health"]),
        ("i want to be a vet", ["future"]),
        ("i feel safe here", ["safety"]),
        ("my mate came round", ["friends"]),
    ]
]


@pytest.fixture(scope="module")
def model(analyser: Analyser) -> ThemeClassifier:
    return train(CORRECTIONS, analyser=analyser)


def test_a_trained_model_adds_a_theme_the_lexicon_missed(analyser: Analyser,
                                                         model: ThemeClassifier) -> None:
    text = "the zedbox is the best part of my week"
    # Without the reader (which already reads "the best part of my week" as a pastime).
    assert "activities" not in Analyser(analyser.lexicon, reader=False).analyse(text).theme_codes
    learned = Analyser(analyser.lexicon, model, reader=False).analyse(text)
    assert "activities" in learned.theme_codes
    assert "learned" in next(m for m in learned.themes if m.code == "activities").triggers


def test_the_model_never_removes_a_lexicon_theme(analyser: Analyser,
                                                 model: ThemeClassifier) -> None:
    for text in ("my social worker is nice", "i hate school", "my uncle hits me",
                 "the zedbox is fun but my nan is poorly"):
        before = set(analyser.analyse(text).theme_codes)
        after = set(Analyser(analyser.lexicon, model).analyse(text).theme_codes)
        assert before <= after, text


def test_the_model_round_trips_through_json(tmp_path: Path, analyser: Analyser,
                                            model: ThemeClassifier) -> None:
    path = tmp_path / "model.json"
    model.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "feedback.theming.classifier"
    loaded = ThemeClassifier.load(path)
    tokens = analyser.normaliser.normalise("the zedbox was great")
    assert loaded.probabilities(tokens) == pytest.approx(model.probabilities(tokens))


@pytest.mark.parametrize("content", ["not json", '{"format": "pickle"}',
                                     '{"format": "feedback.theming.classifier", "version": 9}',
                                     '{"format": "feedback.theming.classifier", "version": 1, '
                                     '"themes": {"sport": {}}}'])
def test_a_bad_model_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError, match=str(path)):
        ThemeClassifier.load(path)


def test_compare_says_whether_the_new_model_improves_macro_f1(
        analyser: Analyser, model: ThemeClassifier) -> None:
    held_out = [LabelledExample("the zedbox was amazing", ["activities"]),
                LabelledExample("the zedbox is closed on sunday", ["activities"]),
                LabelledExample("my social worker is kind", ["social_worker"])]
    result = compare(analyser, Analyser(analyser.lexicon, model), held_out)
    assert result.improved
    assert result.candidate.macro_f1 > result.base.macro_f1
    assert result.theme_f1_changes["activities"] > 0
    assert not compare(analyser, analyser, held_out).improved
