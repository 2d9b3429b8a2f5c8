"""Words in a child's text that might identify someone, found and replaced.

Redaction is a safety net, not a guarantee: :func:`redact` replaces the names the
case holds, phone numbers, e-mail addresses, postcodes, street addresses and
school names with placeholders; :func:`possible_names` finds what a person must
still look at (first names and places on the shipped lists, capitalised words).
Board quotes use both (``feedback.services.quotes``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: What redaction puts in place of words; the approver may put them in too.
PLACEHOLDER = re.compile(r"\[(?:name|phone|email|postcode|address|school|place)\]")
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
# Seven to fifteen digits, spaces, dashes, dots or brackets between them: phone-like.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?![\w])")
_WORD = r"[A-Za-z][A-Za-z'’-]*"
# Street types that are rarely anything else, and ones that often are ("family court").
_PLAIN_STREETS = ("street|st|road|rd|avenue|ave|lane|ln|crescent|gardens|grove|terrace|mews|"
                  "boulevard|parade")
_AMBIGUOUS_STREETS = "close|drive|way|court|place|park|hill|green|square|walk|row|view|rise"
_STREET = re.compile(rf"\b(?:(\d+[A-Za-z]?),?\s+)?((?:{_WORD}\s+){{1,3}})"
                     rf"({_PLAIN_STREETS}|{_AMBIGUOUS_STREETS})\b", re.IGNORECASE)
_SCHOOL_WORDS = ("primary|secondary|junior|infant|infants|high|grammar|community|catholic|"
                 "church of england|ce|rc|c of e|academy|school|college|sixth form")
_GENERIC_SCHOOL = re.compile(rf"\b({_WORD})\s+(?:(?:{_SCHOOL_WORDS})\s+)*"
                             r"(?:primary|secondary|junior|infant|high|grammar)?\s*"
                             r"(?:school|academy|college)\b", re.IGNORECASE)
#: Words that begin no street or school name ("down the road", "my new school").
_STOPWORDS = frozenset("""
a an the my our your his her their its this that these those at to in on by near from of off
up down along across round around past into onto over under behind beside and or but so very
too same other another any every no not right wrong
back front next last first whole half all some go went going live lives lived living stay
i me we us you he she they it is was be been am are were has have had do did
like love hate want see saw near outside inside
""".split())


#: Words before "school" that name a kind of school, not a school.
_NOT_SCHOOL_NAMES = frozenset("""
primary secondary junior infant infants high grammar middle upper lower nursery special
boarding independent private state faith catholic community summer sunday saturday night
after before driving dance drama music art football swimming language forest home
new old big little small
""".split())


def _street(match: re.Match[str]) -> str:
    """Redact "[number] Name Name Road": the name words run back from the street type."""
    number, kind = match.group(1), match.group(3).lower()
    needs_capital = kind in _AMBIGUOUS_STREETS.split("|") and not number
    words = list(re.finditer(r"\S+", match.group(2)))
    run = 0
    for word in reversed(words):
        text = word.group()
        if text.lower() in _STOPWORDS or (needs_capital and not text[0].isupper()):
            break
        run += 1
    if run == 0:
        return match.group(0)
    if number and run == len(words):
        return "[address]"
    start = match.start(2) + words[len(words) - run].start() - match.start()
    return match.group(0)[:start] + "[address]"


def _school(match: re.Match[str]) -> str:
    word = match.group(1).lower()
    return match.group(0) if word in _STOPWORDS or word in _NOT_SCHOOL_NAMES else "[school]"


def _phrase(text: str) -> str:
    """A pattern for a configured phrase: whole words, any case, any spacing."""
    return r"(?<!\w)" + r"\s+".join(re.escape(part) for part in text.split()) + r"(?!\w)"


def school_name_list(setting: str | Iterable[str]) -> list[str]:
    """Read ``SCHOOL_NAMES``: a list, or names separated by new lines, commas or semicolons."""
    names = re.split(r"[\n,;]+", setting) if isinstance(setting, str) else setting
    return [name.strip() for name in names if name.strip()]


def _school_patterns(school_names: Iterable[str]) -> list[re.Pattern[str]]:
    patterns = []
    generic = re.compile(rf"\s+(?:{_SCHOOL_WORDS})\b.*$", re.IGNORECASE)
    for name in sorted({n.strip() for n in school_names if n.strip()}, key=len, reverse=True):
        core = generic.sub("", name).strip()
        patterns.append(re.compile(_phrase(name) + "|" + _phrase(core) +
                                   rf"(?:\s+(?:{_SCHOOL_WORDS}))*" if core else _phrase(name),
                                   re.IGNORECASE))
    return patterns


def redact(text: str, names: Iterable[str] = (), school_names: Iterable[str] = ()) -> str:
    """Replace names, phone numbers, e-mails, postcodes, addresses and schools."""
    text = _EMAIL.sub("[email]", text)
    text = _POSTCODE.sub("[postcode]", text)
    text = _PHONE.sub("[phone]", text)
    text = _STREET.sub(_street, text)
    for pattern in _school_patterns(school_names):
        text = pattern.sub("[school]", text)
    text = _GENERIC_SCHOOL.sub(_school, text)
    whole = {" ".join(name.split()) for name in names if len(name.strip()) > 1}
    parts = {part for name in names for part in re.split(r"[\s.]+", name) if len(part) > 1}
    for name in sorted(whole | parts, key=len, reverse=True):
        text = re.sub(_phrase(name), "[name]", text, flags=re.IGNORECASE)
    return re.sub(r"\[name\](?:\s+\[name\])+", "[name]", text)


@dataclass(frozen=True)
class PossibleName:
    """Words in a quote that might name someone or somewhere."""

    start: int
    end: int
    text: str
    #: ``first_name``, ``capitalised``, ``case_name``, ``school`` or ``place``.
    kind: str


@dataclass(frozen=True)
class Piece:
    """Part of a text to show: ``kind`` is None for plain words, else a possible name's."""

    text: str
    kind: str | None = None


@cache
def _word_list(filename: str) -> frozenset[str]:
    lines = (DATA_DIR / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines
                     if line.strip() and not line.startswith("#"))


def first_names() -> frozenset[str]:
    """The shipped list of common first names (``feedback/data/first_names.txt``)."""
    return _word_list("first_names.txt")


def places() -> frozenset[str]:
    """The shipped list of towns, cities and areas (``feedback/data/places.txt``)."""
    return _word_list("places.txt")


_NAME_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
#: Capitalised words that name no one: the reader is told of every other one.
_NOT_NAMES = frozenset("""
i i'm i've i'd i'll im ive ok okay mum dad nan nana nanna gran grandma grandad grandpa
monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december christmas easter eid diwali
english maths science pe re art music tv youtube xbox playstation
""".split())


def _spans(text: str, phrases: Iterable[str]) -> Iterable[tuple[int, int]]:
    for phrase in phrases:
        if phrase.strip():
            for match in re.finditer(_phrase(phrase), text, re.IGNORECASE):
                yield match.start(), match.end()


def possible_names(text: str, names: Iterable[str] = (),
                   school_names: Iterable[str] = ()) -> list[PossibleName]:
    """Find words in the text that might name someone or somewhere, in order.

    The case's own names (whole and in parts), configured school names, places
    on the shipped list, first names on the shipped list, and capitalised words
    that do not start a sentence. Placeholders (``[name]``) are never flagged.
    """
    found: dict[tuple[int, int], str] = {}
    parts = {part for name in names for part in re.split(r"[\s.]+", name) if len(part) > 1}
    for span in _spans(text, [*names, *parts]):
        found.setdefault(span, "case_name")
    for span in _spans(text, school_names):
        found.setdefault(span, "school")
    for span in _spans(text, [p for p in places() if " " in p]):
        found.setdefault(span, "place")
    for match in _NAME_WORD.finditer(text):
        word, span = match.group(), (match.start(), match.end())
        if any(s <= span[0] and span[1] <= e for s, e in found) or \
                text[max(0, span[0] - 1):span[0]] == "[":
            continue
        folded = word.casefold().replace("’", "'")
        stem = re.sub(r"'s$", "", folded)
        before = text[:span[0]].rstrip()
        starts_sentence = not before or before[-1] in ".!?…\"“(" or before.endswith("...")
        if stem in places():
            found[span] = "place"
        elif stem in first_names():
            found[span] = "first_name"
        elif word[0].isupper() and not starts_sentence and stem not in _NOT_NAMES:
            found[span] = "capitalised"
    return [PossibleName(s, e, text[s:e], kind) for (s, e), kind in sorted(found.items())]


def marked(text: str, found: Sequence[PossibleName]) -> list[Piece]:
    """Split the text into plain pieces and possible names, for a template to highlight."""
    pieces, position = [], 0
    for name in found:
        if name.start < position:
            continue
        if name.start > position:
            pieces.append(Piece(text[position:name.start]))
        pieces.append(Piece(name.text, name.kind))
        position = name.end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces
