"""A worker's caseload: the cases allocated to them, or all their pods', searchable.

Each row says when the child was last heard from, how many of their comments are
unread and whether the case is drifting (open, and not heard from in the drift
period). The counts are two grouped queries for the page shown, whatever its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from feedback.models import Case, StaffUser
from feedback.services.access import case_scope
from feedback.services.casework import last_heard, unread_by_case

PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseRow:
    case: Case
    last_heard: datetime | None
    unread: int
    drifting: bool


@dataclass(frozen=True)
class Caseload:
    rows: list[CaseRow]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _filters(user: StaffUser, mine: bool, query: str, pod_id: int | None,
             closed: bool) -> list[ColumnElement[bool]]:
    found = [case_scope(user)]
    if mine:
        found.append(Case.allocated_worker_id == user.id)
    if not closed:
        found.append(Case.is_open.is_(True))
    if pod_id is not None:
        found.append(Case.pod_id == pod_id)
    query = query.strip()
    if query:
        pattern = _like(query)
        found.append(or_(func.lower(Case.reference).like(pattern, escape="\\"),
                         func.lower(Case.display_name).like(pattern, escape="\\")))
    return found


def caseload(session: Session, user: StaffUser, now: datetime, drift_days: int, *,
             mine: bool = False, query: str = "", pod_id: int | None = None,
             closed: bool = False, page: int = 1, per_page: int = PAGE_SIZE) -> Caseload:
    """Return one page of the cases this person may see, by reference.

    ``mine``: only those allocated to them; ``query``: part of a reference or a name;
    ``pod_id``: one of their pods; ``closed``: closed cases too.
    """
    found = _filters(user, mine, query, pod_id, closed)
    total = session.scalar(select(func.count()).select_from(Case).where(*found)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    cases: Sequence[Case] = session.scalars(
        select(Case).where(*found)
        .options(selectinload(Case.pod), selectinload(Case.allocated_worker))
        .order_by(Case.reference).limit(per_page).offset((page - 1) * per_page)).all()
    ids = [case.id for case in cases]
    heard, unread = last_heard(session, ids), unread_by_case(session, ids)
    since = now - timedelta(days=drift_days)
    rows = [CaseRow(case, heard.get(case.id), unread.get(case.id, 0),
                    case.is_open and (heard.get(case.id) is None or heard[case.id] < since))
            for case in cases]
    return Caseload(rows, total, page, pages)
