"""The learned reader: logistic regressions that read a whole comment.

Rules catch what someone thought to write down; they read words, not meaning,
so "it's really hitting me that I won't see him" fires a rule about being hit
and "Why am I still here?" fires none. The reader weighs every word, word pair
and piece of a word in the comment *together with what the rules, the lexicon
and the word scorer found in it*, and learns from every labelled comment the
project has which combinations mean harm, which themes and which feeling.

Three heads share one set of features:

- ``harm``: the probability that the comment describes a child being harmed
  or at risk (the taxonomy's safeguarding flag);
- ``sentiment``: a probability for each of the four labels (multinomial);
- ``themes``: one probability per theme (one-vs-rest).

Features (``pipeline.features``): the comment's normalised words (a word
after a negator becomes ``not:word``) and adjacent pairs, and the other nets'
findings as words (``rule:self-harm``, ``lex:school``, ``sent:negative``,
``cue:adult``); TF-IDF with sublinear counts, scaled to unit length. The
sentiment head alone also reads the word scorer's binned polarity (the
comment's, its first and last feeling clause's, how many clauses lean each
way: ``pol:last+2``), worth ``SIDE_VALUE`` each outside the unit-length block;
the harm and theme heads are trained without them, so they cannot move a
safeguarding decision.
Character n-grams were measured and left out: with the normaliser's spelling
list in front they added nothing in cross-validation and tripled the model.

Training uses scikit-learn (``train``). Prediction does not: the model is
saved as plain arrays in a ``.npz`` file (vocabulary, idf, one weight column
per output; read with ``allow_pickle=False``, so a model file cannot run
code) and scored here with numpy, about 0.1 ms a comment.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from feedback.theming.errors import ModelError as ModelError
from feedback.theming.lexicon import THEME_CODES
from feedback.theming.results import SENTIMENT_LABELS

FORMAT = "feedback.theming.reader"
VERSION = 1
MODEL_FILE = Path(__file__).resolve().parent / "reader.npz"
HARM = "harm"
OUTPUTS: tuple[str, ...] = (HARM, *(f"sentiment:{label}" for label in SENTIMENT_LABELS),
                            *(f"theme:{code}" for code in THEME_CODES))


@dataclass(frozen=True)
class Features:
    """What the reader reads: words, word pairs and the other nets' findings."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """The reader's probabilities for one comment."""

    harm: float
    sentiment: dict[str, float] = field(default_factory=dict)
    themes: dict[str, float] = field(default_factory=dict)

    @property
    def sentiment_label(self) -> str:
        """Return the most probable sentiment label."""
        return max(self.sentiment, key=self.sentiment.__getitem__)


#: Features read by the sentiment head alone, each worth its idf entry as it is,
#: outside the unit-length TF-IDF block: the word scorer's binned polarity
#: ("pol:last+2"). The harm and theme heads give them no weight, so adding them
#: cannot move a safeguarding decision.
SIDE = "pol:"


def _block(counts: dict[str, int], vocabulary: dict[str, int],
           idf: list[float]) -> tuple[list[int], list[float]]:
    """Return feature indices and TF-IDF values (sublinear tf, unit length); side
    features keep their own value outside the unit-length block."""
    indices, values, side, side_values = [], [], [], []
    for feature, count in counts.items():
        index = vocabulary.get(feature)
        if index is None:
            continue
        if feature.startswith(SIDE):
            side.append(index)
            side_values.append(idf[index])
            continue
        indices.append(index)
        values.append((1.0 + math.log(count)) * idf[index] if count > 1 else idf[index])
    norm = math.sqrt(sum(v * v for v in values))
    return indices + side, ([v / norm for v in values] if norm else values) + side_values


def _count(items: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


class Reader:
    """A trained reader: vocabulary, idf and a weight column per output."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, weights: np.ndarray,
                 bias: np.ndarray, info: dict[str, object] | None = None) -> None:
        if weights.shape != (len(vocabulary), len(OUTPUTS)) or bias.shape != (len(OUTPUTS),) \
                or idf.shape != (len(vocabulary),):
            raise ModelError("reader arrays do not fit together")
        self.vocabulary = {feature: index for index, feature in enumerate(vocabulary)}
        self.idf = idf.astype(np.float64)
        self._idf: list[float] = self.idf.tolist()  # plain floats index faster one by one
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float64)
        self.info = dict(info or {})

    def scores(self, features: Features) -> np.ndarray:
        """Return the raw score (log odds) of every output."""
        total = self.bias.copy()
        indices, values = _block(_count(features.words), self.vocabulary, self._idf)
        if indices:
            total += np.asarray(values, dtype=np.float32) @ self.weights[indices]
        return total

    def read(self, features: Features) -> Reading:
        """Return the probabilities of harm, each sentiment and each theme."""
        raw = self.scores(features)
        sentiment = raw[1:1 + len(SENTIMENT_LABELS)]
        exp = np.exp(sentiment - sentiment.max())
        shares = (exp / exp.sum()).tolist()
        probabilities = (1.0 / (1.0 + np.exp(-np.clip(raw, -50.0, 50.0)))).tolist()
        return Reading(
            harm=probabilities[0],
            sentiment=dict(zip(SENTIMENT_LABELS, shares)),
            themes=dict(zip(THEME_CODES, probabilities[1 + len(SENTIMENT_LABELS):])))

    def save(self, path: Path) -> None:
        """Write the model as plain arrays (no pickle), compressed."""
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        meta = json.dumps({"format": FORMAT, "version": VERSION, "outputs": OUTPUTS,
                           "info": self.info}, sort_keys=True)
        with Path(path).open("wb") as handle:
            np.savez_compressed(handle, meta=np.array(meta), vocabulary=np.array(vocabulary),
                                idf=self.idf.astype(np.float32),
                                weights=self.weights.astype(np.float16), bias=self.bias)

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Reader:
        """Read a model written by save(); raise ModelError naming what is wrong."""
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("format") != FORMAT:
                    raise ModelError(f"{path}: not a theming reader file")
                if meta.get("version") != VERSION or tuple(meta.get("outputs", ())) != OUTPUTS:
                    raise ModelError(f"{path}: unsupported version of a theming reader file")
                return cls([str(v) for v in data["vocabulary"]], data["idf"], data["weights"],
                           data["bias"], meta.get("info") or {})
        except ModelError:
            raise
        except Exception as error:  # noqa: BLE001 - any unreadable file is a ModelError
            raise ModelError(f"{path}: cannot read a theming reader file ({error})") from error


@dataclass(frozen=True)
class Sample:
    """One labelled comment for training: its features, labels and weight."""

    features: Features
    #: None: no decision about harm (a worker corrected only themes).
    harm: bool | None
    sentiment: str | None
    #: None: the sample teaches harm (and sentiment, if given) only (rule evidence).
    themes: frozenset[str] | None
    weight: float = 1.0


#: Regularisation (inverse strength) of every logistic regression.
C = 4.0
#: The sentiment head's: stronger regularisation read unseen sets better
#: (leave-one-set-out, four held-out sets: mean 0.692 at 4.0, 0.701 at 2.0).
SENTIMENT_C = 2.0
MIN_DF = 2


def train(samples: Sequence[Sample], info: dict[str, object] | None = None) -> Reader:
    """Fit the three heads on ``samples`` (scikit-learn, deterministic)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    from scipy.sparse import hstack  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import CountVectorizer

    words = TfidfVectorizer(analyzer=_main_words, sublinear_tf=True, min_df=MIN_DF)
    matrix = words.fit_transform([s.features for s in samples]).tocsr()
    # The side features: present or not, worth SIDE_VALUE, for sentiment only.
    side = CountVectorizer(analyzer=_side_words, binary=True, min_df=MIN_DF)
    try:
        side_matrix = side.fit_transform([s.features for s in samples]) * SIDE_VALUE
        side_names = list(side.get_feature_names_out())
    except ValueError:  # no side features at all
        side_matrix, side_names = None, []
    with_side = hstack([matrix, side_matrix]).tocsr() if side_names else matrix
    weight = np.array([s.weight for s in samples])
    columns, biases = [], []
    blind = np.zeros(len(side_names))

    def fit_binary(target: np.ndarray, rows: list[int]) -> None:
        target = target[rows]
        if target.all() or not target.any():  # nothing to learn: a constant
            columns.append(np.zeros(with_side.shape[1]))
            biases.append(10.0 if target.all() else -10.0)
            return
        model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
        model.fit(matrix[rows], target, sample_weight=weight[rows])
        columns.append(np.concatenate([model.coef_[0], blind]))
        biases.append(float(model.intercept_[0]))

    fit_binary(np.array([bool(s.harm) for s in samples]),
               [i for i, s in enumerate(samples) if s.harm is not None])
    labelled = [i for i, s in enumerate(samples) if s.sentiment in SENTIMENT_LABELS]
    model = LogisticRegression(C=SENTIMENT_C, max_iter=3000)
    model.fit(with_side[labelled], [samples[i].sentiment for i in labelled],
              sample_weight=weight[labelled])
    classes = list(model.classes_)
    for label in SENTIMENT_LABELS:
        if label in classes:
            columns.append(model.coef_[classes.index(label)])
            biases.append(float(model.intercept_[classes.index(label)]))
        else:
            columns.append(np.zeros(with_side.shape[1]))
            biases.append(-10.0)
    themed = [i for i, s in enumerate(samples) if s.themes is not None]
    for code in THEME_CODES:
        fit_binary(np.array([code in (s.themes or ()) for s in samples]), themed)
    return Reader(list(words.get_feature_names_out()) + side_names,
                  np.concatenate([words.idf_, np.full(len(side_names), SIDE_VALUE)]),
                  np.column_stack(columns), np.array(biases), info)


#: The value of a side feature that is present (TF-IDF values of a comment's
#: words are mostly 0.1-0.4).
SIDE_VALUE = 0.5


def _main_words(features: Features) -> tuple[str, ...]:
    return tuple(word for word in features.words if not word.startswith(SIDE))


def _side_words(features: Features) -> tuple[str, ...]:
    return tuple(word for word in features.words if word.startswith(SIDE))
