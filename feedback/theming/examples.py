"""Models learned from example comments: the fourth safeguarding net and a second
opinion on sentiment.

The rules and cue nets catch what someone thought to write down. These models
learn from a corpus of example comments written for training from the
taxonomy's definitions (``examples/*.jsonl``; never a labelled evaluation set),
so they pick up phrasings nobody listed. Both are multinomial naive Bayes over
a comment's folded words and adjacent word pairs, counted once per comment; a
feature seen fewer than ``MIN_COUNT`` times in training carries no evidence.

The trained counts ship as JSON (``examples.json``; never pickle: a model file
must not run code), rebuilt with ``python -m feedback.theming build-examples``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from feedback.theming.concern import NEGATORS
from feedback.theming.errors import ModelError as ModelError
from feedback.theming.errors import read_model
from feedback.theming.text import Tokens, is_boundary

FORMAT = "feedback.theming.examples"
VERSION = 1
MIN_COUNT = 2
# The share of children's comments a person should read the same day, as the
# labelled sets written for this project have it (15-24%); the examples hold
# more (40%) so that every kind of harm is taught.
HARM_SHARE = 0.2
TEMPERATURE = 0.6
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
MODEL_FILE = Path(__file__).resolve().parent / "examples.json"
# Words that carry nothing on their own; they still count inside word pairs.
_STOPWORDS = frozenset(
    "a an the and or to of in on at is am are was were be been it its this that for with "
    "so do does did have has had will would can could just you your we our they them "
    "there what when".split())


def features(tokens: Tokens) -> frozenset[str]:
    """Return a comment's folded words (less stopwords) and adjacent word pairs.

    A word in the scope of a negator ("never hit me", "nobody shouts") becomes
    a different feature ("not:hit"), so "my dad has never hit me" does not read
    like "my dad hit me". The scope ends at punctuation or a contrast.
    """
    folded = _negation_marked(tokens.folded)
    words = {word for word in folded if word[0].isalnum() and word not in _STOPWORDS}
    pairs = {f"{a} {b}" for a, b in zip(folded, folded[1:])
             if not (is_boundary(a) or is_boundary(b)) and a[0].isalnum() and b[0].isalnum()}
    return frozenset(words | pairs)


def content_words(tokens: Tokens) -> int:
    """Return how many distinct content words the comment has (not "i", "not", "the"...)."""
    return len({word for word in tokens.folded if word[0].isalpha()
                and word not in _STOPWORDS and word not in _NEGATORS
                and word not in _PRONOUNS})


_PRONOUNS = frozenset("i me my mine myself he him his she her hers it".split())


def _negation_marked(words: tuple[str, ...]) -> tuple[str, ...]:
    marked, scope = [], 0
    for word in words:
        if word in _NEGATORS:
            scope = _NEGATION_REACH
            marked.append(word)
        elif scope and word[0].isalnum() and word not in _SCOPE_ENDS:
            scope -= 1
            marked.append(word if word in _STOPWORDS else f"not:{word}")
        else:
            scope = 0
            marked.append(word)
    return tuple(marked)


_NEGATORS = NEGATORS | {"nowhere"}
_SCOPE_ENDS = frozenset("but though although however because and so".split())
_NEGATION_REACH = 4


@dataclass(frozen=True)
class NaiveBayes:
    """Class probabilities for one label from feature counts per class."""

    priors: Mapping[str, float]  # log prior per class
    weights: Mapping[str, Mapping[str, float]]  # feature -> class -> log likelihood

    @classmethod
    def train(cls, examples: Iterable[tuple[frozenset[str], str]],
              alpha: float = 1.0, uniform: bool = False,
              priors: Mapping[str, float] | None = None) -> NaiveBayes:
        """Count features per class and smooth them (add ``alpha``).

        ``uniform``: every class starts equally likely, whatever its share of the
        examples (the examples were written to cover each class, not in the
        proportions children use them). ``priors``: each class's share among
        real comments, when it is known better than the examples' share.
        """
        documents: dict[str, int] = {}
        counts: dict[str, dict[str, int]] = {}
        seen: dict[str, int] = {}
        for found, label in examples:
            documents[label] = documents.get(label, 0) + 1
            for feature in found:
                counts.setdefault(feature, {})[label] = counts.get(feature, {}).get(label, 0) + 1
                seen[feature] = seen.get(feature, 0) + 1
        kept = {feature for feature, number in seen.items() if number >= MIN_COUNT}
        classes = sorted(documents)
        totals = {label: sum(counts[f].get(label, 0) for f in kept) for label in classes}
        total_documents = sum(documents.values())
        shares = priors or {label: 1 / len(classes) if uniform
                            else documents[label] / total_documents for label in classes}
        log_priors = {label: math.log(shares[label]) for label in classes}
        weights = {
            feature: {label: round(math.log((counts[feature].get(label, 0) + alpha)
                                            / (totals[label] + alpha * len(kept))), 4)
                      for label in classes}
            for feature in sorted(kept)
        }
        return cls(log_priors, weights)

    def probabilities(self, found: Iterable[str]) -> dict[str, float]:
        """Return the probability of each class for a comment's features.

        The evidence is damped (``TEMPERATURE``): a word and the pairs it is in
        are not independent, and undamped naive Bayes is far too sure of itself.
        """
        scores = {label: 0.0 for label in self.priors}
        for feature in found:
            weights = self.weights.get(feature)
            if weights:
                for label in scores:
                    scores[label] += weights[label]
        scores = {label: self.priors[label] + TEMPERATURE * score
                  for label, score in scores.items()}
        top = max(scores.values())
        exponentials = {label: math.exp(score - top) for label, score in scores.items()}
        total = sum(exponentials.values())
        return {label: value / total for label, value in exponentials.items()}

    def to_json(self) -> dict[str, object]:
        return {"priors": dict(self.priors), "weights": {f: dict(w) for f, w in
                                                         self.weights.items()}}

    @classmethod
    def from_json(cls, data: object, where: str) -> NaiveBayes:
        try:
            assert isinstance(data, dict)
            priors = {str(k): float(v) for k, v in data["priors"].items()}
            weights = {str(f): {str(k): float(v) for k, v in w.items()}
                       for f, w in data["weights"].items()}
        except (AssertionError, KeyError, TypeError, ValueError, AttributeError) as error:
            raise ModelError(f"{where}: malformed model ({error!r})") from error
        if any(set(w) != set(priors) for w in weights.values()):
            raise ModelError(f"{where}: a feature names classes the model does not have")
        return cls(priors, weights)


@dataclass(frozen=True)
class ExampleModels:
    """The models learned from example comments, and how many examples taught them."""

    safeguarding: NaiveBayes
    sentiment: NaiveBayes
    examples: int

    def harm_probability(self, found: Iterable[str]) -> float:
        """Return the probability that a comment with these ``features`` describes harm,
        as the examples did."""
        return self.safeguarding.probabilities(found).get("flag", 0.0)

    def sentiment_probabilities(self, found: Iterable[str]) -> dict[str, float]:
        """Return the probability of each sentiment label for these ``features``."""
        return self.sentiment.probabilities(found)

    def save(self, path: Path = MODEL_FILE) -> None:
        data = {"format": FORMAT, "version": VERSION, "examples": self.examples,
                "safeguarding": self.safeguarding.to_json(),
                "sentiment": self.sentiment.to_json()}
        Path(path).write_text(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                         separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ExampleModels:
        """Read models written by save(); raise ModelError naming what is wrong."""
        data = read_model(path, FORMAT, VERSION, "an example-models")
        return cls(NaiveBayes.from_json(data.get("safeguarding"), f"{path}: safeguarding"),
                   NaiveBayes.from_json(data.get("sentiment"), f"{path}: sentiment"),
                   int(data.get("examples", 0)))


def build(labelled: Iterable[tuple[Tokens, bool, str]]) -> ExampleModels:
    """Train both models on (tokens, safeguarding, sentiment) examples."""
    rows = [(features(tokens), flagged, sentiment) for tokens, flagged, sentiment in labelled]
    return ExampleModels(
        safeguarding=NaiveBayes.train(((found, "flag" if flagged else "ok")
                                       for found, flagged, _ in rows),
                                      priors={"flag": HARM_SHARE, "ok": 1 - HARM_SHARE}),
        sentiment=NaiveBayes.train(((found, sentiment) for found, _, sentiment in rows),
                                   uniform=True),
        examples=len(rows),
    )
