"""The worker's inbox: harm first, then unread words, then children not heard lately."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.orm import Session

from feedback.models import (
    Alert, Case, Comment, Notification, NotificationStatus, Response, Role, StaffUser,
)
from feedback.services.access import case_scope
from feedback.services.alerts import open_alerts


@dataclass(frozen=True)
class WorkerFigures:
    name: str
    comments_read: int
    alerts_acknowledged: int


@dataclass(frozen=True)
class Inbox:
    alerts: Sequence[Alert]
    unread: list[tuple[Case, int]]
    drift: list[tuple[Case, datetime | None]]
    workers: list[WorkerFigures]
    failed: Sequence[Notification]

    @property
    def unread_total(self) -> int:
        return sum(count for _, count in self.unread)


def _unread(session: Session, user: StaffUser) -> list[tuple[Case, int]]:
    unread = func.count(Comment.id)
    rows = session.execute(
        select(Case, unread).join(Response, Response.case_id == Case.id)
        .join(Comment, Comment.response_id == Response.id)
        .where(case_scope(user), Comment.read_at.is_(None))
        .group_by(Case.id).order_by(func.min(Response.submitted_at))).all()
    return [(case, count) for case, count in rows]


def _drift(session: Session, user: StaffUser, now: datetime,
           days: int) -> list[tuple[Case, datetime | None]]:
    last = func.max(Response.submitted_at)
    rows = session.execute(
        select(Case, last).outerjoin(Response, Response.case_id == Case.id)
        .where(case_scope(user), Case.is_open.is_(True)).group_by(Case.id)
        .having((last.is_(None)) | (last < now - timedelta(days=days)))
        .order_by(last.asc().nulls_first())).all()
    return [(case, when) for case, when in rows]


def _workers(session: Session, user: StaffUser, since: datetime) -> list[WorkerFigures]:
    if user.role != Role.MANAGER:
        return []
    # scalar_subquery() forgets its column's type: say it (a count).
    read: ScalarSelect[int] = (select(func.count()).where(Comment.read_by_id == StaffUser.id,
                                                          Comment.read_at >= since)
                               .scalar_subquery())
    acknowledged: ScalarSelect[int] = (select(func.count())
                                       .where(Alert.acknowledged_by_id == StaffUser.id,
                                              Alert.acknowledged_at >= since)
                                       .scalar_subquery())
    rows = session.execute(
        select(StaffUser.name, read, acknowledged)
        .where(StaffUser.pod_id.in_(user.pod_ids), StaffUser.is_active_account.is_(True))
        .order_by(StaffUser.name)).all()
    return [WorkerFigures(name, n_read, n_ack) for name, n_read, n_ack in rows]


def _failed(session: Session, user: StaffUser) -> Sequence[Notification]:
    if user.role != Role.MANAGER:
        return []
    return session.scalars(
        select(Notification).join(Alert).join(Case, Alert.case_id == Case.id)
        .where(Notification.status == NotificationStatus.FAILED, case_scope(user))
        .order_by(Notification.created_at.desc())).all()


def inbox_for(session: Session, user: StaffUser, now: datetime, drift_days: int) -> Inbox:
    """Build the inbox for a worker or manager."""
    return Inbox(alerts=open_alerts(session, user), unread=_unread(session, user),
                 drift=_drift(session, user, now, drift_days),
                 workers=_workers(session, user, now - timedelta(days=30)),
                 failed=_failed(session, user))
