"""Build board data quickly: responses with themed comments, straight into the database.

Plain functions (not fixtures), imported by the ``test_board_*`` files.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from feedback.extensions import db
from feedback.models import (
    AgeBand, Case, Comment, ParticipationSession, QuestionnaireVersion, Response, Sentiment,
    StaffUser, TagOrigin, TagStatus, ThemeTag, refresh_response_themes,
)

_keys = itertools.count(1)


def respond(version: QuestionnaireVersion, *, themes: Iterable[str] = (),
            on: date, case: Case | None = None, event: ParticipationSession | None = None,
            text: str = "something I said", sentiment: Sentiment | None = Sentiment.NEUTRAL,
            age_band: AgeBand | None = None, removed: Iterable[str] = (),
            removed_by: StaffUser | None = None, commit: bool = True) -> Response:
    """Store one response with one comment carrying ``themes`` (``removed``: taken off by
    the worker ``removed_by``)."""
    at = datetime.combine(on, time(10), UTC) if case is not None else None
    response = Response(case=case, session=event, questionnaire_version=version,
                        language="en", submitted_on=on, submitted_at=at, age_band=age_band,
                        idempotency_key=f"board-{next(_keys)}-{secrets.token_hex(4)}")
    comment = Comment(question_key="q0", text=text, language="en", sentiment=sentiment)
    response.comments.append(comment)
    db.session.add(response)
    db.session.flush()
    for theme in themes:
        db.session.add(ThemeTag(comment_id=comment.id, theme=theme, origin=TagOrigin.AUTO,
                                status=TagStatus.SUGGESTED))
    for theme in removed:
        db.session.add(ThemeTag(comment_id=comment.id, theme=theme, origin=TagOrigin.WORKER,
                                status=TagStatus.REMOVED,
                                decided_by_id=removed_by.id if removed_by else None))
    db.session.flush()
    refresh_response_themes(db.session, [response.id])  # as the services do for their tags
    if commit:
        db.session.commit()
    return response


def numbers_in_tables(html: str) -> list[tuple[str, list[str]]]:
    """Return each table's caption and the text of its number cells, from a board page."""
    tables = []
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>',
                           table, flags=re.S)
        tables.append((caption.group(1).strip() if caption else "",
                       [re.sub(r"<[^>]+>.*?</[^>]+>|<[^>]+>", "", c).strip() for c in cells]))
    return tables
