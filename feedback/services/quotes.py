"""Quotes for board reports: an excerpt, redacted automatically, approved by a second person.

Redaction (``feedback.services.redaction``) is a safety net, not a guarantee: the
approver reads the result, with every possible name marked, before it can
appear anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session, aliased

from feedback.models import (
    HELP_QUESTION, Alert, AlertState, Comment, ParticipationSession, Quote, QuoteState, Response,
    StaffUser, TagStatus, ThemeTag, utcnow,
)
from feedback.services import audit
from feedback.services.redaction import PLACEHOLDER, PossibleName, possible_names, redact
from feedback.services.reports import Period
from feedback.theming import THEME_CODES

MAX_EXCERPT = 500
#: How an excerpt marks words left out.
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")


class QuoteError(ValueError):
    """The quote cannot be proposed or decided; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        #: ``empty``, ``too_long``, ``unknown_theme``, ``not_in_comment``,
        #: ``inside_word``, ``raised_alert``, ``open_alert``, ``possible_name``, ``own_quote`` or
        #: ``decided``.
        self.reason = reason


def _pieces(excerpt: str, split_placeholders: bool = False) -> list[str]:
    """The excerpt's pieces: split at "…" (and at placeholders), spaces evened, folded."""
    text = PLACEHOLDER.sub("…", excerpt) if split_placeholders else excerpt
    pieces = (" ".join(piece.split()).casefold() for piece in _ELLIPSIS.split(text))
    return [piece for piece in pieces if piece]


def _at_boundaries(haystack: str, start: int, end: int) -> bool:
    """Whether haystack[start:end] begins and ends between words, never inside one."""
    inside_start = 0 < start and haystack[start - 1].isalnum() and haystack[start].isalnum()
    inside_end = end < len(haystack) and haystack[end - 1].isalnum() and haystack[end].isalnum()
    return not inside_start and not inside_end


def _locate(excerpt: str, text: str, split_placeholders: bool = False
            ) -> tuple[str | None, int, int, str]:
    """Find the excerpt's pieces in the text: (problem or None, start, end, the text evened)."""
    haystack = " ".join(text.split()).casefold()
    position, start = 0, None
    for piece in _pieces(excerpt, split_placeholders):
        found, cut_inside = haystack.find(piece, position), False
        while found >= 0 and not _at_boundaries(haystack, found, found + len(piece)):
            cut_inside = True
            found = haystack.find(piece, found + 1)
        if found < 0:
            return ("inside_word" if cut_inside else "not_in_comment"), 0, 0, haystack
        start = found if start is None else start
        position = found + len(piece)
    return None, start or 0, position, haystack


def excerpt_problem(excerpt: str, text: str, split_placeholders: bool = False) -> str | None:
    """Why the excerpt is not made of the text's words, or None when it is.

    Each piece (split at "..." or "…") must be in the text, in order, and begin
    and end at word boundaries: "i am 1" is not an excerpt of "i am 18" but
    ``inside_word``. ``not_in_comment`` when a piece is not there at all.
    """
    return _locate(excerpt, text, split_placeholders)[0]


def _kept_ends(edited: str, proposed: str) -> str:
    """An approver's shortened text keeps a "…" wherever the proposed one had words more.

    A placeholder at either end of the edit stands for (at least) one word there.
    """
    _problem, start, end, haystack = _locate(edited, proposed, split_placeholders=True)
    before, after = haystack[:start].split(), haystack[end:].split()
    if PLACEHOLDER.match(edited):
        before = before[:-1]
    if re.search(PLACEHOLDER.pattern + "$", edited):
        after = after[1:]
    if before and not edited.startswith("…"):
        edited = "… " + edited
    if after and not edited.endswith("…"):
        edited = edited + " …"
    return edited


def _marked_ends(excerpt: str, text: str) -> str:
    """The excerpt with "…" before and after it where the child's words go on."""
    _problem, start, end, haystack = _locate(excerpt, text)
    words = re.compile(r"\w")
    if words.search(haystack[:start]) and not excerpt.startswith("…"):
        excerpt = "… " + excerpt
    if words.search(haystack[end:]) and not excerpt.endswith("…"):
        excerpt = excerpt + " …"
    return excerpt


def is_excerpt_of(excerpt: str, text: str) -> bool:
    """Whether each piece of the excerpt (split at "..." or "…") is in the text, in order,
    cut only at word boundaries."""
    return excerpt_problem(excerpt, text) is None


def shown_text(excerpt: str) -> str:
    """The excerpt as it is stored and shown: words left out marked with one "…"."""
    text = _ELLIPSIS.sub(" … ", " ".join(excerpt.split())).strip()
    return re.sub(r"(?:…\s*){2,}", "… ", text).strip()


# Possible names: what a person must look at before a quote can be approved.

def case_names(comment: Comment) -> list[str]:
    """The names the comment's case holds (its first name or initials, when given)."""
    case = comment.response.case
    return [case.display_name] if case is not None and case.display_name else []


def names_to_check(quote: Quote, school_names: Iterable[str]) -> list[PossibleName]:
    """The possible names in a proposed quote's text that a person must resolve."""
    return possible_names(quote.excerpt, case_names(quote.comment), school_names)


def quotable_ids(session: Session, comment_ids: Iterable[int]) -> set[int]:
    """Which of these comments may be proposed as quotes now, in one query."""
    ids = list(comment_ids)
    if not ids:
        return set()
    return set(session.scalars(select(Comment.id).where(Comment.id.in_(ids), is_quotable())))


def top_themes(session: Session, comment_ids: Iterable[int]) -> dict[int, str]:
    """Each comment's own theme to default a quote to, in one query: a worker's first,
    then the surest."""
    ids = list(comment_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(ThemeTag.comment_id, ThemeTag.theme)
        .where(ThemeTag.comment_id.in_(ids), ThemeTag.status != TagStatus.REMOVED)
        .order_by(ThemeTag.comment_id, (ThemeTag.status == TagStatus.CONFIRMED).desc(),
                  ThemeTag.confidence.desc().nulls_last(), ThemeTag.id))
    themes: dict[int, str] = {}
    for comment_id, theme in rows:
        themes.setdefault(comment_id, theme)
    return themes


def top_theme(session: Session, comment: Comment) -> str | None:
    """The comment's own theme to default a quote to (``top_themes`` for one comment)."""
    return top_themes(session, [comment.id]).get(comment.id)


def is_quotable() -> ColumnElement[bool]:
    """Return a filter on ``Comment``: words that may ever leave the case as a quote.

    Nothing from an alert does: not a comment that raised one, not any comment of a
    submission that raised one, not a message sent with the help button, and nothing
    from a case while it has an alert that is not closed.
    """
    sent = aliased(Response)
    case_alert = exists().where(sent.id == Comment.response_id,
                                Alert.case_id == sent.case_id,
                                Alert.state != AlertState.CLOSED)
    return ~exists().where((Alert.comment_id == Comment.id)
                           | (Alert.response_id == Comment.response_id)) \
        & ~case_alert \
        & (Comment.question_key != HELP_QUESTION) \
        & ~Comment.question_key.startswith(HELP_QUESTION + ".")


def _check_quotable(session: Session, comment: Comment) -> None:
    """Refuse words from an alert (``raised_alert``) or from a case whose alert is open
    (``open_alert``)."""
    if comment.id not in quotable_ids(session, [comment.id]):
        raise QuoteError("raised_alert" if comment.raised_alert else "open_alert")


def propose(session: Session, comment: Comment, excerpt: str, theme: str,
            proposed_by: StaffUser, names: list[str], school_names: list[str]) -> Quote:
    """Propose an excerpt of the comment as a quote for ``theme``, redacted; flush.

    Refused (``QuoteError``) for words from an alert or from a case with an open
    alert, for an excerpt cut inside a word or not made of the comment's words.
    """
    _check_quotable(session, comment)
    excerpt = excerpt.strip()
    if not _ELLIPSIS.sub("", excerpt):
        raise QuoteError("empty")
    if len(excerpt) > MAX_EXCERPT:
        raise QuoteError("too_long")
    if theme not in THEME_CODES:
        raise QuoteError("unknown_theme")
    problem = excerpt_problem(excerpt, comment.text)
    if problem:
        raise QuoteError(problem)
    names = [*names, *case_names(comment)]
    quote = Quote(comment=comment, theme=theme,
                  excerpt=redact(_marked_ends(shown_text(excerpt), comment.text), names,
                                 school_names),
                  proposed_by_id=proposed_by.id)
    session.add(quote)
    session.flush()
    audit.record(session, "quote.propose", actor=proposed_by, object_type="quote",
                 object_id=quote.id, detail={"theme": theme})
    return quote


def decide(session: Session, quote: Quote, by: StaffUser, approve: bool, *,
           excerpt: str | None = None, not_names: Iterable[str] = (),
           school_names: Iterable[str] = ()) -> Quote:
    """Approve or reject a proposed quote; only someone other than its proposer may.

    To approve, the approver may shorten the text or put placeholders (``[name]``)
    in place of words (``excerpt``), and must resolve every possible name left in
    it: each one redacted, or confirmed as not a name (``not_names``, compared
    without case). An unresolved one refuses the approval (``possible_name``).
    """
    if quote.state != QuoteState.PROPOSED:
        raise QuoteError("decided")
    if quote.proposed_by_id == by.id:
        raise QuoteError("own_quote")
    detail: dict[str, object] = {"theme": quote.theme}
    if approve:
        _check_quotable(session, quote.comment)  # an alert may have come since it was proposed
        text = quote.excerpt if excerpt is None else shown_text(excerpt)
        if not _ELLIPSIS.sub("", PLACEHOLDER.sub("", text)).strip():
            raise QuoteError("empty")
        problem = excerpt_problem(text, quote.excerpt, split_placeholders=True)
        if problem:
            raise QuoteError(problem)
        confirmed = {word.casefold() for word in not_names}
        unresolved = [found for found in possible_names(text, case_names(quote.comment),
                                                        school_names)
                      if found.text.casefold() not in confirmed]
        if unresolved:
            raise QuoteError("possible_name")
        text = _kept_ends(text, quote.excerpt)
        detail |= {"edited": text != quote.excerpt, "confirmed_not_names": len(confirmed)}
        quote.excerpt = text
    quote.state = QuoteState.APPROVED if approve else QuoteState.REJECTED
    quote.decided_by_id, quote.decided_at = by.id, utcnow()
    session.flush()
    audit.record(session, "quote.approve" if approve else "quote.reject", actor=by,
                 object_type="quote", object_id=quote.id, detail=detail)
    return quote


def awaiting_decision(session: Session, reader: StaffUser) -> Sequence[Quote]:
    """Return proposed quotes that may still be quoted, oldest first.

    The approver is shown each quote's original comment beside it, so the read
    is audited; a quote whose words an alert has since touched is left out.
    """
    found = session.scalars(select(Quote).join(Comment, Comment.id == Quote.comment_id)
                            .where(Quote.state == QuoteState.PROPOSED, is_quotable())
                            .order_by(Quote.proposed_at, Quote.id)).all()
    record_read(session, reader, [quote.comment for quote in found], "quote.originals.read")
    return found


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


def record_read(session: Session, reader: StaffUser, comments: Sequence[Comment],
                what: str = "session.comments.read") -> None:
    """Audit that a board user or administrator was shown these comments' words."""
    if comments:
        audit.record(session, what, actor=reader, object_type="comment",
                     object_id=comments[0].id if len(comments) == 1 else None,
                     detail={"comments": [c.id for c in comments][:200]})


def session_comments(session: Session, event: ParticipationSession, reader: StaffUser,
                     limit: int = 200) -> Sequence[Comment]:
    """Return a session's comments that may be quoted (never one that raised an alert);
    the read is audited."""
    comments = session.scalars(
        select(Comment).join(Response, Response.id == Comment.response_id)
        .where(Response.session_id == event.id, is_quotable())
        .order_by(Comment.id).limit(limit)).all()
    record_read(session, reader, comments)
    return comments


def session_comment(session: Session, event: ParticipationSession, comment_id: int,
                    reader: StaffUser) -> Comment | None:
    """Return one quotable comment of the session, or None; the read is audited."""
    comment = session.scalar(
        select(Comment).join(Response, Response.id == Comment.response_id)
        .where(Comment.id == comment_id, Response.session_id == event.id, is_quotable()))
    if comment is not None:
        record_read(session, reader, [comment])
    return comment
