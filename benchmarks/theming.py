"""Throughput of the theming module beside TextBlob's PatternAnalyzer, in the same run.

    python benchmarks/theming.py [--count 20000] [--seed 7]

Generates varied synthetic comments from the lexicon's own vocabulary (never
from the labelled development set), then times, on one core in this process:

- ``Analyser.analyse`` (themes, sentiment, safeguarding, language), and
- ``PatternAnalyzer().analyze`` alone on the same comments (the baseline).

It prints comments per second for both and the ratio. Each figure is the
best of several passes over the whole batch, the two timed alternately, so
that other work on a shared machine slows both alike; one warm-up pass over
200 comments keeps one-off loading out of the figures.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textblob.en.sentiments import PatternAnalyzer  # noqa: E402

from feedback.theming import Analyser, Lexicon  # noqa: E402

OPENERS = ["", "", "", "tbh ", "ngl ", "honestly ", "idk ", "so ", "well ", "lol "]
FEELINGS = ["i like", "i love", "i hate", "i miss", "i'm worried about", "im scared of",
            "i want more", "i dont like", "i'm happy with", "i get annoyed about",
            "it's dead good with", "i'm buzzing about", "i'm fed up with", "i'm not sure about"]
LINKS = [" but ", " and ", ", ", ". ", " tho ", " because ", " cos "]
TAILS = ["", "", ".", "!!", " lol", " 😂", " 👍", " tbh", "?", " innit", " x"]
SLANG = {"school": "skool", "because": "cos", "you": "u", "tomorrow": "2moro",
         "social worker": "sw", "don't": "dont", "night": "nite", "when": "wen"}
FOREIGN = ["Me gusta mucho mi escuela", "Tęsknię za mamą", "Mi-e dor de fratele meu",
           "Dw i'n hoffi pêl-droed", "Gosto do meu quarto novo", "أحب كرة القدم",
           "mujhe school acha lagta hai", "Мені подобається футбол"]
DISCLOSURES = ["he hits me when he's angry", "i don't want to be here anymore",
               "there's no food in the house", "someone older keeps asking me to meet up",
               "i've been cutting again", "please can someone ring me"]


def make_comments(lexicon: Lexicon, count: int, seed: int) -> list[str]:
    """Return ``count`` varied comments built from the lexicon's terms."""
    rng = random.Random(seed)
    terms = [list(theme.terms) for theme in lexicon.themes]
    sentiment_words = sorted(word for word in lexicon.sentiment if " " not in word)
    comments = []
    for _ in range(count):
        kind = rng.random()
        if kind < 0.04:
            comments.append(rng.choice(FOREIGN))
            continue
        if kind < 0.07:
            comments.append(rng.choice(DISCLOSURES))
            continue
        clauses = [f"{rng.choice(FEELINGS)} {_term(rng, terms)}"
                   for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        if rng.random() < 0.5:
            clauses.append(f"the {_term(rng, terms)} is {rng.choice(sentiment_words)}")
        text = rng.choice(OPENERS) + "".join(
            clause + rng.choice(LINKS) for clause in clauses[:-1]) + clauses[-1]
        comments.append(_slang(rng, text) + rng.choice(TAILS))
    return comments


def _term(rng: random.Random, terms: Sequence[Sequence[str]]) -> str:
    term = rng.choice(rng.choice(terms))
    return f"my {term}" if rng.random() < 0.4 else term


def _slang(rng: random.Random, text: str) -> str:
    for word, slang in SLANG.items():
        if word in text and rng.random() < 0.5:
            text = text.replace(word, slang)
    return text if rng.random() < 0.8 else text.upper()


def per_second(run: Callable[[str], object], comments: Sequence[str]) -> float:
    """Return how many comments per second ``run`` handles in one pass."""
    start = time.perf_counter()
    for comment in comments:
        run(comment)
    return len(comments) / (time.perf_counter() - start)


def best_rates(runs: Sequence[Callable[[str], object]], comments: Sequence[str],
               passes: int) -> list[float]:
    """Return the best rate of each run over ``passes`` alternating passes."""
    for run in runs:
        for comment in comments[:200]:
            run(comment)
    best = [0.0] * len(runs)
    for _ in range(passes):
        for number, run in enumerate(runs):
            best[number] = max(best[number], per_second(run, comments))
    return best


def main() -> None:
    """Generate comments, time both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    analyser = Analyser()
    built = time.perf_counter() - started
    comments = make_comments(analyser.lexicon, args.count, args.seed)
    distinct = len(set(comments))
    baseline, ours = best_rates([PatternAnalyzer().analyze, analyser.analyse], comments,
                                args.passes)
    results = [analyser.analyse(comment).safeguarding for comment in comments]
    urgent = sum(result.urgent for result in results)
    concern = sum(result.concern for result in results)
    # Peak resident memory of this process (Linux reports KiB): the analyser, its
    # reader and every comment analysed, as a worker process would hold them.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"comments: {len(comments)} ({distinct} distinct), analyser built in {built:.2f}s")
    print(f"best of {args.passes} passes each, one core, one process")
    print(f"PatternAnalyzer alone: {baseline:,.0f} comments/s")
    print(f"analyse (themes + sentiment + safeguarding + language): {ours:,.0f} comments/s")
    print(f"ratio analyse / PatternAnalyzer: {ours / baseline:.2f}")
    print(f"urgent: {urgent} ({urgent / len(comments):.1%}), concern: {concern} "
          f"({concern / len(comments):.1%})")
    print(f"peak memory of this process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
