"""Four-class sentiment built on TextBlob's PatternAnalyzer lexicon plus domain words."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping

from feedback.theming.patterns import PatternIndex, compile_pattern
from feedback.theming.results import Sentiment, SentimentLabel
from feedback.theming.text import PhraseSet, Tokens, is_boundary
from feedback.theming.wordlists import negators

NEGATORS = negators("en")
INTENSIFIERS = {"really": 1.4, "so": 1.4, "very": 1.4, "proper": 1.5, "well": 1.4,
                "dead": 1.5, "super": 1.5, "mega": 1.5, "extremely": 1.6, "totally": 1.3,
                "absolutely": 1.5, "sooo": 1.6, "soo": 1.5, "bare": 1.4, "too": 1.3,
                "pure": 1.4, "quite": 0.8, "bit": 0.7, "kinda": 0.7}
# Clause breaks: a feeling either side of these can differ ("ok but I miss mum").
CONTRAST = frozenset(
    "but though although however except whereas , ، - pero mas ale dar ond mais але но "
    "لكن لكني ولكن بس lekin magar لیکن مگر".split())
CONTRAST_WORDS = CONTRAST - {",", "،", "-"}
SARCASM = ("oh great", "oh yeah", "oh joy", "oh wow", "yay another", "great another",
           "thanks for nothing", "yeah right", "love that for me", "oh brilliant")
# PatternAnalyzer scores these everyday words as if they were opinions
# ("other" is negative, "own" and "more" are positive); children use them plainly.
PLAIN_WORDS = frozenset(
    "other new more first own real free whole little old young older late last same next "
    "only extra different big small long short full high early few many much sure right "
    "left main general usual normal special important open close public private social "
    "able available particular actual past present final total entire single black white "
    "red blue dark light clear enough less least most very really too so quite pretty just "
    "even still ever mad sick dead ill kind fine okay ok alright proper well round large "
    "behind certain common rose ready merely quickly hardly acute strong thin fresh primary "
    "secondary greater firm heavy straight filled hot certainly advanced higher original huge "
    "rarely rare becoming quick secret mere familiar extraordinary powerful firmly absolutely "
    "heavily absorbed narrow raw striking absolute game pure highly base intimate mild rank "
    "specially excessive touching lightly steadily fast fly confirmed steady gay alien "
    "typical largely dried fatty blind golden celebrated uncommon apt honestly seriously "
    "literally basically".split())
# A harm that has stopped is good news: "the bullying has stopped", "it's sorted now".
RESOLVED = ("has stopped", "have stopped", "finally stopped", "stopped now", "sorted now",
            "its sorted", "it is sorted", "got sorted", "fine now", "ok now", "okay now",
            "better now", "over now", "all good now", "resolved")
RESOLVED_LIFT = 0.3
# Children add an emoji to say how they feel; one with no listed polarity
# ("🏊", "🎂", "🦀") goes with a happy comment far more often than a sad one.
EMOJI_DEFAULT = 0.3
# Wanting more of, or back, something you have is missing it: "i want to see
# my brother more", "i want my mum and dad to be friends again".
WANTING = frozenset("want wants wanted wish wishes wished".split())
LACKING = frozenset("more again back better".split())
WANTING_SCORE = -0.35
WISHING = frozenset("wish wishes wished".split())
# "i can make toast all by myself now": a new skill is good news.
SKILL_SCORE = 0.35
# A clause with no feeling word that still says something is missing, late,
# repeated or imposed is a complaint in a feedback form: "my plan hasn't been
# updated", "i had to tell my story again", "contact keeps getting moved".
COMPLAINT_MARKERS = frozenset("not never none nobody noone again".split())
# ...about the services and people who run the child's life, not about anything.
SERVICE_WORDS = frozenset(
    "social worker workers pa iro staff carer carers council plan review meeting "
    "meetings contact placement college school teacher teachers camhs appointment "
    "grant pass wifi flat key manager advocate police doctor dentist home unit "
    "allowance money bursary course".split())
# Idle negations ("dont know what to write", "not sure") say nothing about feeling.
IDLE_NEGATIONS = (("do", "not", "know"), ("not", "sure"), ("nothing", "else"),
                  ("no", "comment"), ("do", "not", "mind"), ("not", "really"),
                  ("no", "idea"), ("do", "not", "want", "to", "talk"), ("not", "bothered"),
                  ("nothing", "to", "say"), ("no", "one", "else"))
COMPLAINT_SCORE = -0.25
EXCLAIM_LIFT = 0.25
POSITIVE_AT = 0.2
TOO_MUCH = -0.3
DISTRESS = 0.5
MIXED_AT = 0.25
IMPLIED_AT = 0.2


def pattern_polarities(lexicon: Mapping[str, Mapping[object, list[float]]]) -> dict[str, float]:
    """Return word polarities from PatternAnalyzer's lexicon, skipping plain words."""
    polarities = {}
    for word, senses in lexicon.items():
        polarity, subjectivity = senses[None][0], senses[None][1]
        if abs(polarity) >= 0.15 and subjectivity >= 0.4 and word not in PLAIN_WORDS:
            polarities[word] = polarity
    return polarities


class SentimentScorer:
    """Score a comment as positive, negative, mixed or neutral."""

    def __init__(self, base: Mapping[str, float], domain: Mapping[str, float],
                 foreign: Mapping[str, float],
                 fold_phrase: Callable[[str], tuple[str, ...]]) -> None:
        self._words = dict(base)
        self._phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
        for phrase, polarity in domain.items():
            words = fold_phrase(phrase)
            if len(words) == 1:
                self._words[words[0]] = polarity
            elif words:
                self._phrases.setdefault(words[0], []).append((words, polarity))
        for entries in self._phrases.values():
            entries.sort(key=lambda entry: len(entry[0]), reverse=True)
        self._foreign = PatternIndex((polarity, compile_pattern(source, accents=False))
                                     for source, polarity in foreign.items())
        self._sarcasm = PhraseSet(fold_phrase(phrase) for phrase in SARCASM)
        self._resolved = PhraseSet(fold_phrase(phrase) for phrase in RESOLVED)

    def score(self, tokens: Tokens) -> Sentiment:
        """Return the sentiment of an English comment."""
        return self.score_clauses(tokens)[0]

    def score_clauses(self, tokens: Tokens) -> tuple[Sentiment, tuple[float, ...]]:
        """Return the sentiment of an English comment and each clause's score
        (the reader learns from where the feelings fall: "it was hard, but now...")."""
        words = tokens.folded
        scores = self._token_scores(words)
        if self._sarcasm.found_in(tokens.folded_text):
            scores = [-abs(score) for score in scores]
        clauses, contrasts = _clauses(words, scores)
        clause_words = _clause_words(words)
        for number, clause in enumerate(clause_words):
            if WANTING.intersection(clause) and LACKING.intersection(clause) \
                    or WISHING.intersection(clause):
                clauses[number] = min(0.0, clauses[number]) + WANTING_SCORE
            elif "can" in clause and clause[-1:] == ("now",) and "not" not in clause:
                clauses[number] = max(0.0, clauses[number]) + SKILL_SCORE
            elif -POSITIVE_AT < clauses[number] <= 0.0 and _complains(clause) \
                    and not SERVICE_WORDS.isdisjoint(words):
                clauses[number] += COMPLAINT_SCORE
        resolved = self._resolved.found_in(tokens.folded_text)
        for number, clause in enumerate(clause_words):
            if resolved and self._resolved.found_in(f" {' '.join(clause)} "):
                clauses[number] = max(0.0, clauses[number]) + RESOLVED_LIFT
            elif any(word.startswith("!") for word in clause) and clauses[number] >= 0:
                clauses[number] += EXCLAIM_LIFT
        return _label(clauses, contrasts), tuple(clauses)

    def score_foreign(self, tokens: Tokens) -> Sentiment:
        """Return the sentiment of a comment in another language."""
        scores = [0.0] * len(tokens.words)
        for polarity, pattern in self._foreign.candidates(tokens.word_set, tokens.text):
            for start, _ in pattern.spans(tokens.text):
                scores[tokens.token_index(start)] += polarity
        # An emoji says the same in every language ("😂", "😩", "🍦").
        for index, word in enumerate(tokens.words):
            if scores[index] == 0.0 and _is_emoji(word):
                scores[index] = self._words.get(word, EMOJI_DEFAULT)
        clauses, contrasts = _clauses(tokens.words, scores)
        return _label(clauses, contrasts)

    def _token_scores(self, words: tuple[str, ...]) -> list[float]:
        scores = [0.0] * len(words)
        index = 0
        while index < len(words):
            length, polarity = self._lookup(words, index)
            scores[index] = polarity
            index += length
        for index, word in enumerate(words[:-1]):
            # "too small", "too early": too much of a plain quality is a complaint.
            if word == "too" and scores[index + 1] == 0.0 and words[index + 1].isalpha():
                scores[index] = TOO_MUCH
        for index, word in enumerate(words):
            if scores[index] == 0.0 and word not in self._words and _is_emoji(word):
                scores[index] = EMOJI_DEFAULT
            if scores[index] == 0.0 or not word[0].isalnum():
                continue
            previous = words[index - 1] if index else ""
            if previous in INTENSIFIERS:
                scores[index] *= INTENSIFIERS[previous]
                scores[index - 1] = 0.0
            # A phrase that carries its own negation ("no friends", "not replied")
            # is not flipped again: "i dont have no friends" is a double negative.
            negator = None if word in NEGATORS else _negator(words, index)
            if negator is not None:
                # "not sad" is only mildly good; "not good" is plainly bad.
                scores[index] *= -0.5 if scores[index] < 0 else -0.6
                # "nobody hurts me": the negator's own gloom is spent on the flip.
                scores[negator] = min(0.0, scores[negator]) if scores[index] < 0 else 0.0
        return [max(-1.0, min(1.0, score)) for score in scores]

    def _lookup(self, words: tuple[str, ...], index: int) -> tuple[int, float]:
        for phrase, polarity in self._phrases.get(words[index], ()):
            if words[index:index + len(phrase)] == phrase:
                return len(phrase), polarity
        word = words[index]
        # Plurals the theme lexicon lists itself are not folded ("nightmares").
        return 1, self._words.get(word, self._words.get(word[:-1], 0.0) if word[-1:] == "s"
                                  else 0.0)


def _contrasting(before: float, after: float) -> bool:
    """Return whether the two sides of a contrast word carry different feelings.

    "the cream stings but it makes it less itchy": a contrast after a clear
    feeling turns to the other side even when the second half is told plainly.
    """
    if before * after < 0:
        return abs(before - after) >= MIXED_AT
    return (before == 0.0) != (after == 0.0) and abs(before + after) >= IMPLIED_AT


def _complains(clause: tuple[str, ...]) -> bool:
    """Return whether a clause with no feeling word reads as a complaint."""
    kept = any(word in ("keep", "kept") and (at == 0 or clause[at - 1] != "to")
               for at, word in enumerate(clause))
    if not kept and not COMPLAINT_MARKERS.intersection(clause) \
            and not _has(clause, ("have", "to")) and not _has(clause, ("had", "to")):
        return False
    return not any(_has(clause, idle) for idle in IDLE_NEGATIONS)


def _has(clause: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Return whether ``phrase`` occurs as consecutive words in ``clause``."""
    size = len(phrase)
    return any(clause[start:start + size] == phrase for start in range(len(clause) - size + 1))


def _is_emoji(token: str) -> bool:
    """Return whether ``token`` is a pictograph such as an emoji (not punctuation)."""
    return all(unicodedata.category(char) in ("So", "Sk") for char in token)


def _negator(words: tuple[str, ...], index: int) -> int | None:
    """Return where a negator sits within four words before ``index`` in its clause."""
    for back in range(index - 1, max(-1, index - 5), -1):
        word = words[back]
        if is_boundary(word) or word in CONTRAST:
            return None
        if word in NEGATORS:
            return back
    return None


def _clauses(words: Iterable[str], scores: list[float]) -> tuple[list[float], list[int]]:
    """Sum token scores per clause; list the clauses that a contrast word opens.

    A contrast word that ends the comment ("i miss mum tho") sets its own
    clause against everything before it.
    """
    clauses, sizes, contrasts = [0.0], [0], []
    for word, score in zip(words, scores):
        if is_boundary(word) or word in CONTRAST:
            if word in CONTRAST_WORDS:
                contrasts.append(len(clauses))
            clauses.append(0.0)
            sizes.append(0)
        else:
            sizes[-1] += 1
        clauses[-1] += score
    contrasts = [at - 1 if sizes[at] == 0 and at == len(clauses) - 1 else at
                 for at in contrasts]
    return [max(-1.0, min(1.0, clause)) for clause in clauses], contrasts


def _clause_words(words: Iterable[str]) -> list[tuple[str, ...]]:
    """Split words into the same clauses as _clauses; "!" stays with its clause."""
    clauses: list[list[str]] = [[]]
    for word in words:
        if is_boundary(word) or word in CONTRAST:
            if word.startswith("!"):
                clauses[-1].append(word)
            clauses.append([])
        else:
            clauses[-1].append(word)
    return [tuple(clause) for clause in clauses]


def distressed(sentiment: Sentiment) -> Sentiment:
    """Return the sentiment of a comment that discloses hurt or fear.

    A disclosure told flatly ("he hits me") is still a negative feeling; one
    with clearly good things in it as well is mixed.
    """
    polarity = round(max(-1.0, sentiment.polarity - DISTRESS), 3)
    if sentiment.label in ("negative", "mixed"):
        return Sentiment(sentiment.label, polarity)
    if sentiment.label == "positive" and sentiment.polarity >= MIXED_AT * 2:
        return Sentiment("mixed", polarity)
    return Sentiment("negative", polarity)


def _label(clauses: list[float], contrasts: list[int]) -> Sentiment:
    total = max(-1.0, min(1.0, float(sum(clauses))))
    high, low = max(clauses, default=0.0), min(clauses, default=0.0)
    # "school is ok but I miss my mum": across a contrast, a mild feeling counts.
    mixed = (high >= MIXED_AT and low <= -MIXED_AT) or any(
        _contrasting(sum(clauses[:at]), sum(clauses[at:])) for at in contrasts if at > 0)
    label: SentimentLabel
    if mixed:
        label = "mixed"
    elif total >= POSITIVE_AT:
        label = "positive"
    elif total <= -POSITIVE_AT:
        label = "negative"
    else:
        label = "neutral"
    return Sentiment(label, round(total, 3))
