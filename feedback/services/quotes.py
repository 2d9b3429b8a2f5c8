"""Quotes for board reports: an excerpt, redacted automatically, approved by a second person.

Redaction is a safety net, not a guarantee: it replaces the names the case
holds, phone numbers, e-mail addresses, postcodes, street addresses and school
names with placeholders, and the approver reads the result before it can
appear anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from feedback.models import (
    HELP_QUESTION, Alert, Comment, ParticipationSession, Quote, QuoteState, Response, StaffUser,
    utcnow,
)
from feedback.services import audit
from feedback.services.reports import Period
from feedback.theming import THEME_CODES

MAX_EXCERPT = 500
#: How an excerpt marks words left out.
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")

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


class QuoteError(ValueError):
    """The quote cannot be proposed or decided; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: ``empty``, ``too_long``, ``unknown_theme``, ``not_in_comment``,
        #: ``raised_alert``, ``own_quote`` or ``decided``.
        self.reason = reason


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


def is_excerpt_of(excerpt: str, text: str) -> bool:
    """Whether each piece of the excerpt (split at "..." or "…") is in the text, in order."""
    haystack = " ".join(text.split()).casefold()
    position = 0
    for piece in _ELLIPSIS.split(excerpt):
        piece = " ".join(piece.split()).casefold()
        if not piece:
            continue
        found = haystack.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def is_quotable() -> ColumnElement[bool]:
    """Return a filter on ``Comment``: words that may ever leave the case as a quote.

    Nothing from an alert does: not a comment that raised one, not any comment of a
    submission that raised one, not a message sent with the help button.
    """
    return ~exists().where((Alert.comment_id == Comment.id)
                           | (Alert.response_id == Comment.response_id)) \
        & (Comment.question_key != HELP_QUESTION) \
        & ~Comment.question_key.startswith(HELP_QUESTION + ".")


def _check_quotable(session: Session, comment: Comment) -> None:
    if session.scalar(select(Comment.id).where(Comment.id == comment.id, is_quotable())) is None:
        raise QuoteError("raised_alert")


def propose(session: Session, comment: Comment, excerpt: str, theme: str,
            proposed_by: StaffUser, names: list[str], school_names: list[str]) -> Quote:
    """Propose an excerpt of the comment as a quote for ``theme``, redacted; flush."""
    _check_quotable(session, comment)
    excerpt = excerpt.strip()
    if not _ELLIPSIS.sub("", excerpt):
        raise QuoteError("empty")
    if len(excerpt) > MAX_EXCERPT:
        raise QuoteError("too_long")
    if theme not in THEME_CODES:
        raise QuoteError("unknown_theme")
    if not is_excerpt_of(excerpt, comment.text):
        raise QuoteError("not_in_comment")
    quote = Quote(comment=comment, theme=theme, excerpt=redact(excerpt, names, school_names),
                  proposed_by_id=proposed_by.id)
    session.add(quote)
    session.flush()
    audit.record(session, "quote.propose", actor=proposed_by, object_type="quote",
                 object_id=quote.id, detail={"theme": theme})
    return quote


def decide(session: Session, quote: Quote, by: StaffUser, approve: bool) -> Quote:
    """Approve or reject a proposed quote; only someone other than its proposer may."""
    if quote.state != QuoteState.PROPOSED:
        raise QuoteError("decided")
    if quote.proposed_by_id == by.id:
        raise QuoteError("own_quote")
    if approve:
        _check_quotable(session, quote.comment)  # an alert may have come since it was proposed
    quote.state = QuoteState.APPROVED if approve else QuoteState.REJECTED
    quote.decided_by_id, quote.decided_at = by.id, utcnow()
    session.flush()
    audit.record(session, "quote.approve" if approve else "quote.reject", actor=by,
                 object_type="quote", object_id=quote.id, detail={"theme": quote.theme})
    return quote


def awaiting_decision(session: Session) -> Sequence[Quote]:
    """Return proposed quotes, oldest first."""
    return session.scalars(select(Quote).where(Quote.state == QuoteState.PROPOSED)
                           .order_by(Quote.proposed_at, Quote.id)).all()


def proposed(session: Session, quote_id: int) -> Quote | None:
    """Return a quote awaiting a decision, or None."""
    return session.scalar(select(Quote).where(Quote.id == quote_id,
                                              Quote.state == QuoteState.PROPOSED))


def approved(session: Session, period: Period, themes: Iterable[str]) -> dict[str, list[str]]:
    """Return approved excerpts of comments sent in the period, per theme (only ``themes``)."""
    rows = session.execute(
        select(Quote.theme, Quote.excerpt).join(Comment, Comment.id == Quote.comment_id)
        .join(Response, Response.id == Comment.response_id)
        .where(Quote.state == QuoteState.APPROVED, Quote.theme.in_(list(themes)), is_quotable(),
               Response.submitted_on >= period.start, Response.submitted_on < period.end)
        .order_by(Quote.theme, Quote.decided_at, Quote.id))
    result: dict[str, list[str]] = {}
    for theme, excerpt in rows:
        result.setdefault(theme, []).append(excerpt)
    return result


def session_comments(session: Session, event: ParticipationSession,
                     limit: int = 200) -> Sequence[Comment]:
    """Return a session's comments that may be quoted: never one that raised an alert."""
    return session.scalars(
        select(Comment).join(Response, Response.id == Comment.response_id)
        .where(Response.session_id == event.id, is_quotable())
        .order_by(Comment.id).limit(limit)).all()


def session_comment(session: Session, event: ParticipationSession,
                    comment_id: int) -> Comment | None:
    """Return one quotable comment of the session, or None."""
    return next((c for c in session.scalars(
        select(Comment).join(Response, Response.id == Comment.response_id)
        .where(Comment.id == comment_id, Response.session_id == event.id, is_quotable()))),
        None)
