"""The safeguarding and labelling pipeline, declared in one place.

Read top to bottom; every threshold the module uses to decide is here.

    comment
      │
      ├─ 1. language ─ not English: rules in every language, themes from
      │                translations, needs_review (a person checks the reading);
      │                three or more words in a language no rule covers: urgent
      ├─ 2. rules (safeguarding.toml): an explicit disclosure ─► URGENT
      │       each rule carries the sentences it must catch and look-alikes it
      │       must not (a test runs both)
      │       except harm told as past and over (settled.py: "I used to self-harm
      │       but I haven't for three years"), for the rules its table lists:
      │       no explicit disclosure, so step 4 decides, and needs_review
      ├─ 3. nets that describe, not decide: lexicon themes, the word scorer's
      │       sentiment and binned clause polarities (FELT_AT, STRONG_AT; read by
      │       the sentiment head only), weighted harm words and everyday cues (concern.py)
      │       ─► their findings become features of step 4
      ├─ 4. the reader (reader.py): logistic regressions over words, word
      │       pairs, pieces of words and step 3's findings, trained on every
      │       labelled comment the project has
      │         harm ≥ URGENT_AT   ─► URGENT  (a same-day alert)
      │         harm ≥ CONCERN_AT  ─► CONCERN (read today, no escalation)
      │         UNSURE_AT ≤ harm < CONCERN_AT ─► needs_review
      ├─ 5. themes: a lexicon theme stays when the reader gives it ≥ KEEP_THEME_AT;
      │       the reader adds a theme at ≥ ADD_THEME_AT; a rule's themes stay
      ├─ 6. sentiment: the reader's label (the word scorer's for comments with
      │       fewer than SECOND_OPINION_WORDS content words); a rule marked
      │       ``distress`` makes a neutral reading negative (the reader's
      │       positive or mixed stands: it read the whole comment)
      └─ 7. a failure anywhere ─► URGENT + needs_review (analyse_safely)

A disclosure the reader is unsure of becomes a concern, not nothing: recall
is protected by the concern tier, and the urgent tier is kept for explicit
rules and readings the model is sure of.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from feedback.theming.concern import Assessment
from feedback.theming.examples import negation_marked
from feedback.theming.reader import Features
from feedback.theming.text import Tokens

# Step 3: the word scorer's polarity, binned into words for the reader.
FELT_AT = 0.1
STRONG_AT = 0.5
# Step 4: the reader's probability that the comment describes harm.
URGENT_AT = 0.85
CONCERN_AT = 0.30
UNSURE_AT = 0.20
# Step 5: themes.
KEEP_THEME_AT = 0.45
ADD_THEME_AT = 0.6
# Step 6: sentiment.
SECOND_OPINION_WORDS = 2
# Step 1: a comment this long in a language no rule covers could hold anything.
UNCHECKED_MIN_WORDS = 3

URGENT_REASON = "reads like comments that describe harm"
CONCERN_REASON = "may describe harm: the words are not explicit, so a person should read it"
UNSURE_REASON = "the reader is unsure whether this describes harm"


def features(tokens: Tokens, rules: Iterable[str], themes: Iterable[str], sentiment: str,
             assessment: Assessment | None, categories: Iterable[str],
             cues: Iterable[str], polarity: float = 0.0,
             clauses: Sequence[float] = ()) -> Features:
    """Return what the reader reads: words, word pairs and step 3's findings."""
    marked = [word for word in negation_marked(tokens.folded)
              if word[0].isalnum() or word.startswith("not:")]
    words = marked + [f"{a} {b}" for a, b in zip(marked, marked[1:])]
    fired = list(rules)
    words += [f"rule:{rule}" for rule in fired] + (["rule:any"] if fired else [])
    words += [f"lex:{code}" for code in sorted(set(themes))] + [f"sent:{sentiment}"]
    words += polarity_features(polarity, clauses)
    words += [f"cat:{category}" for category in categories]
    words += [f"cue:{cue}" for cue in sorted(cues)]
    if assessment is not None and assessment.reason:
        words.append("concern:net")
    if assessment is not None and assessment.vetoed:
        words.append("vetoed")
    return Features(tuple(words))


def polarity_features(polarity: float, clauses: Sequence[float]) -> list[str]:
    """Return the word scorer's polarity as words the reader can weigh: the
    comment's, its first and last feeling clause's, and how many clauses lean
    each way. "It was hard but I wouldn't be here without her" ends well."""
    if not clauses:
        return []
    found = [f"pol:{_polarity_bin(polarity)}"]
    felt = [score for score in clauses if abs(score) >= FELT_AT]
    if felt:
        found += [f"pol:first{_polarity_bin(felt[0])}", f"pol:last{_polarity_bin(felt[-1])}"]
    good = min(3, sum(score >= FELT_AT for score in clauses))
    bad = min(3, sum(score <= -FELT_AT for score in clauses))
    return found + [f"pol:p{good}n{bad}"]


def _polarity_bin(score: float) -> str:
    if score >= STRONG_AT:
        return "+2"
    if score >= FELT_AT:
        return "+1"
    if score > -FELT_AT:
        return "0"
    return "-1" if score > -STRONG_AT else "-2"


def tier(harm: float) -> str:
    """Return "urgent", "concern", "unsure" or "" for the reader's harm probability."""
    if harm >= URGENT_AT:
        return "urgent"
    if harm >= CONCERN_AT:
        return "concern"
    if harm >= UNSURE_AT:
        return "unsure"
    return ""


def keep_theme(from_lexicon: bool, probability: float) -> bool:
    """Return whether a theme is kept: the lexicon's with the reader's assent, or the
    reader's own when it is sure."""
    return probability >= (KEEP_THEME_AT if from_lexicon else ADD_THEME_AT)
