"""Run the theming module over a stored comment: themes, sentiment and the safeguarding net.

Analysis is fail-safe: if it raises, the comment is marked for review and an
alert with the reason "analysis failed" is raised, so a person reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, AlertReason, AlertTier, Case, Comment, ParticipationSession, Sentiment, TagOrigin,
    TagStatus, ThemeTag, refresh_response_themes,
)
from feedback.services.alerts import Mail, raise_alert
from feedback.theming import Analysis, ThemeMatch

logger = logging.getLogger(__name__)

ANALYSIS_FAILED = "analysis failed"


class CommentAnalyser(Protocol):
    def analyse(self, text: str, language: str | None = None) -> Analysis: ...


def apply_auto_tags(session: Session, comment: Comment, matches: Iterable[ThemeMatch],
                    fresh: bool = False) -> None:
    """Replace the machine's suggestions; never touch a theme a worker decided.

    When a theme comes or goes, flush and rebuild the response's board rows.
    ``fresh``: the comment is new in this transaction, so it has no tags yet (it
    may not have been flushed: the flush stores it with its tags).
    """
    found = {m.code: m for m in matches}
    existing = {} if fresh else {tag.theme: tag for tag in session.scalars(
        select(ThemeTag).where(ThemeTag.comment_id == comment.id))}
    changed = False
    for theme, tag in existing.items():
        if tag.origin == TagOrigin.AUTO and theme not in found:
            session.delete(tag)
            changed = True
        elif tag.origin == TagOrigin.AUTO:
            tag.confidence = found[theme].confidence
    for theme, match in found.items():
        if theme not in existing:
            session.add(ThemeTag(comment=comment, **suggested_tag(match)))
            changed = True
    if changed:
        session.flush()
        refresh_response_themes(session, [comment.response_id])


def suggested_tag(match: ThemeMatch) -> dict[str, Any]:
    """The column values of the machine's suggestion of a theme (less its comment)."""
    return {"theme": match.code, "origin": TagOrigin.AUTO, "status": TagStatus.SUGGESTED,
            "confidence": match.confidence}


def run_analysis(analyser: CommentAnalyser, text: str) -> Analysis | None:
    """Analyse a comment's words; None if analysis failed (the caller must fail safe).

    Pure computation: callers run it before they write, so that the database's
    write lock is never held while a comment is being analysed.
    """
    try:
        # Detect the language from the words: a child may not write in the page's language.
        return analyser.analyse(text)
    except Exception as error:  # noqa: BLE001 -- any failure must still reach a person
        logger.error("analysis failed: %s", type(error).__name__)
        return None


def record_analysis(session: Session, comment: Comment, result: Analysis | None, *,
                    fresh: bool = False) -> None:
    """Put an analysis on the comment and its tags (flushed only if a theme came or went)."""
    for name, value in analysis_columns(result).items():
        setattr(comment, name, value)
    if result is not None:
        apply_auto_tags(session, comment, result.themes, fresh=fresh)


def analysis_columns(result: Analysis | None) -> dict[str, Any]:
    """The comment's column values an analysis sets; a failed one (None) marks it for
    a person to read. The language is set only when the words showed one."""
    if result is None:
        return {"needs_review": True}
    detected = {"language": result.language} if result.language not in ("", "und") else {}
    return {**detected, "sentiment": Sentiment(result.sentiment.label),
            "polarity": result.sentiment.polarity, "needs_review": result.needs_review}


def needs_alert(result: Analysis | None) -> bool:
    """Does this analysis mean a person must read the comment today?"""
    return result is None or result.safeguarding.flagged


def is_urgent(result: Analysis | None) -> bool:
    """Is the flag urgent (a confident disclosure, or analysis failed), not a concern?"""
    return result is None or result.safeguarding.confident


def reasons_of(result: Analysis | None) -> tuple[str, ...]:
    return (ANALYSIS_FAILED,) if result is None else result.safeguarding.reasons


def raise_analysis_alert(session: Session, flagged: Sequence[tuple[Comment, Analysis | None]],
                         *, response_id: int | None, case: Case | None,
                         event: ParticipationSession | None, mail: Mail | None) -> Alert:
    """Raise the one alert a submission's flagged comments call for.

    Urgent if any flag is (a confident disclosure, or a failure); the comment to read
    first is the most urgent one; the reasons of every flagged comment are listed.
    """
    ordered = sorted(flagged, key=lambda pair: not is_urgent(pair[1]))
    first, first_result = ordered[0]
    reasons = list(dict.fromkeys(r for _, result in ordered for r in reasons_of(result)))
    failed_only = all(result is None for _, result in ordered)
    return raise_alert(
        session, reason=AlertReason.DETECTOR_FAILURE if failed_only else AlertReason.DETECTOR,
        tier=AlertTier.URGENT if is_urgent(first_result) else AlertTier.CONCERN,
        case=case, event=event, comment=first, response_id=response_id,
        detail="; ".join(reasons), mail=mail)


def analyse_comment(session: Session, comment: Comment, analyser: CommentAnalyser, *,
                    case: Case | None, event: ParticipationSession | None,
                    mail: Mail | None, raise_alerts: bool = True) -> Alert | None:
    """Analyse a stored comment again, store the result and raise its alert, if any; flush.

    A submission that already has an alert does not get a second one.
    """
    result = run_analysis(analyser, comment.text)
    record_analysis(session, comment, result)
    session.flush()
    if not (raise_alerts and needs_alert(result)) or _has_alert(session, comment):
        return None
    return raise_analysis_alert(session, [(comment, result)], response_id=comment.response_id,
                                case=case, event=event, mail=mail)


def _has_alert(session: Session, comment: Comment) -> bool:
    return session.scalar(select(Alert.id).where(
        (Alert.comment_id == comment.id) | (Alert.response_id == comment.response_id))
    ) is not None
