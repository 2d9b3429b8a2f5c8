"""The learned reader: trained on every labelled comment, saved without pickle,
loaded once per process. Sentences here were written for this test."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from feedback.theming import Analyser, pipeline
from feedback.theming.analyser import shipped_reader
from feedback.theming.examples import EXAMPLES_DIR, features
from feedback.theming.reader import (
    MODEL_FILE, OUTPUTS, SIDE, ModelError, Reader, Sample, train)
from feedback.theming.results import SENTIMENT_LABELS
from feedback.theming.training import BENCHMARK_DATA, SEEN_FRESH, default_sets

DEV_SET = Path(__file__).resolve().parents[3] / "shared" / "theming" / "theming_dev.jsonl"


def test_the_reader_is_loaded_once_per_process(analyser: Analyser) -> None:
    assert analyser.reader is shipped_reader()
    assert Analyser(analyser.lexicon).reader is analyser.reader


def test_the_shipped_reader_was_trained_on_every_labelled_set() -> None:
    sets = shipped_reader().info["sets"]
    assert isinstance(sets, dict)
    assert sum(name.startswith("examples/") for name in sets) == \
        len(list(EXAMPLES_DIR.glob("*.jsonl")))
    assert {"theming_dev.jsonl", "real_dev.jsonl"} <= set(sets)
    assert sets["real_dev.jsonl"] > 1  # real words are scarce: weighed up


def test_only_fresh_sets_already_scored_are_trained_on() -> None:
    # A newer fresh set measures the reader: training on it would spoil it.
    fresh = {s.name for s in default_sets() if "fresh" in s.name}
    assert fresh <= set(SEEN_FRESH)
    # The twenty-eighth pair measures this reader: never trained on before it is scored.
    assert not any("fresh28" in name for name in SEEN_FRESH)
    assert {"theming_fresh27_imitated.jsonl", "theming_fresh27_realstyle.jsonl"} <= set(SEEN_FRESH)
    present = {name for name in SEEN_FRESH if (BENCHMARK_DATA / name).exists()}
    assert present <= set(shipped_reader().info["sets"])  # type: ignore[arg-type]


def test_scored_fresh_sets_teach_harm_and_sentiment_only_examples_do_not() -> None:
    sets = {s.name: s for s in default_sets()}
    assert not sets["examples/t11.jsonl"].teaches_harm  # written to fix a feeling
    assert all(s.teaches_harm for name, s in sets.items() if "fresh" in name)
    assert all(s.teaches_harm for name, s in sets.items()
               if name.startswith("examples/") and name != "examples/t11.jsonl")


def test_the_examples_are_labelled_and_hold_no_development_comment() -> None:
    rows = [json.loads(line) for path in sorted(EXAMPLES_DIR.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(isinstance(row["safeguarding"], bool) and row["sentiment"] in
               ("positive", "negative", "mixed", "neutral") for row in rows)
    if DEV_SET.exists():
        development = {json.loads(line)["text"].strip().lower()
                       for line in DEV_SET.read_text(encoding="utf-8").splitlines()}
        assert not development & {row["text"].strip().lower() for row in rows}


def test_a_negated_word_is_a_different_feature(analyser: Analyser) -> None:
    hit = features(analyser.prepare("my dad hit me").english)
    never = features(analyser.prepare("my dad never hit me").english)
    assert "hit" in hit and "hit" not in never and "not:hit" in never


@pytest.mark.parametrize("text", [
    "i get the bus to the other side of town at night to drop things for my cousin",
    "mum tells everyone dad left because of me",
])
def test_a_disclosure_no_rule_knows_is_read_by_the_reader(analyser: Analyser,
                                                          text: str) -> None:
    analysis = analyser.analyse(text)
    assert analysis.safeguarding.flagged
    assert not analyser.detector.detect(analyser.prepare(text).english,
                                        analyser.prepare(text).foreign, "en")
    without = Analyser(analyser.lexicon, reader=False).analyse(text)
    assert not without.safeguarding.flagged


@pytest.mark.parametrize("text", [
    "my dad waits outside in his car to pick me up from football",
    "we learned about staying safe online in pshe",
    "i love my foster carers they are kind",
])
def test_the_reader_leaves_everyday_comments_alone(analyser: Analyser, text: str) -> None:
    assert not analyser.analyse(text).safeguarding.flagged


@pytest.mark.parametrize("text", ["idk", "no", "my review is on the 12th"])
def test_plain_comments_stay_neutral(analyser: Analyser, text: str) -> None:
    assert analyser.analyse(text).sentiment.label == "neutral"


def _toy(analyser: Analyser) -> list[Sample]:
    rows = [("he hurts me when mum is out", True, "negative", {"safety"}),
            ("he hurts me and i am scared", True, "negative", {"safety"}),
            ("i love football with my mates", False, "positive", {"activities"}),
            ("football with my mates is the best", False, "positive", {"activities"}),
            ("school is ok but i miss my nan", False, "mixed", {"school"}),
            ("i go to hillside school", False, "neutral", {"school"})]
    return [Sample(analyser.describe(text).features, flag, feeling, frozenset(themes))
            for text, flag, feeling, themes in rows]


def test_a_reader_trains_saves_and_loads_without_pickle(analyser: Analyser,
                                                        tmp_path: Path) -> None:
    reader = train(_toy(analyser), {"note": "toy"})
    path = tmp_path / "reader.npz"
    reader.save(path)
    loaded = Reader.load(path)
    found = analyser.describe("he hurts me").features
    assert loaded.read(found).harm == pytest.approx(reader.read(found).harm, abs=1e-3)
    assert loaded.read(found).harm > \
        loaded.read(analyser.describe("football with my mates").features).harm
    assert loaded.info == {"note": "toy"}
    with np.load(path, allow_pickle=False) as data:  # plain arrays only
        assert set(data.files) == {"meta", "vocabulary", "idf", "weights", "bias"}


def test_the_word_scorers_polarity_is_read_for_sentiment_only(analyser: Analyser) -> None:
    # "it was hard at first but now i love it here": the last feeling is good.
    words = analyser.describe("it was hard at first but now i love it here").features.words
    assert "pol:last+2" in words or "pol:last+1" in words
    reader = train(_toy(analyser))
    side = [index for feature, index in reader.vocabulary.items()
            if feature.startswith(SIDE)]
    assert side  # the toy comments carry polarity features...
    harm_and_themes = [0, *range(1 + len(SENTIMENT_LABELS), len(OUTPUTS))]
    # ...which can never move a safeguarding decision or a theme.
    assert not reader.weights[np.ix_(side, harm_and_themes)].any()


@pytest.mark.parametrize(("content", "message"), [
    (b"not a model", "cannot read"),
])
def test_a_bad_model_file_is_refused_with_a_reason(tmp_path: Path, content: bytes,
                                                   message: str) -> None:
    path = tmp_path / "reader.npz"
    path.write_bytes(content)
    with pytest.raises(ModelError, match=message):
        Reader.load(path)


def test_the_shipped_model_file_is_small() -> None:
    assert MODEL_FILE.stat().st_size < 2_000_000


def test_the_thresholds_are_ordered() -> None:
    assert pipeline.UNSURE_AT < pipeline.CONCERN_AT < pipeline.URGENT_AT
    assert pipeline.KEEP_THEME_AT < pipeline.ADD_THEME_AT
