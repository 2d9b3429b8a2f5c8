"""The golden thread, counted: how much of what children said was read, acted on and answered.

Each figure is a share: ``met`` of ``total``. The pair is suppressed as a line
(``total = met + not met``), so a small number of misses is hidden as surely
as a small number of successes, and the percentage goes with them.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from feedback.models import (ActionStatus, Alert, Case, Comment, CommentLink, PlanAction, Reply,
                             Response)
from feedback.services.reports import Period
from feedback.services.summaries import Count
from feedback.services.suppression import Line, suppress
from feedback.services.working_time import add_working_days, add_working_hours

#: Codes of the figures, in the order the board sees them.
FIGURES = ("read_in_time", "linked", "actions_done", "replied", "alerts_in_time",
           "heard_recently", "drift")
READ_WORKING_DAYS = 2
HEARD_MONTHS = 6


@dataclass(frozen=True)
class Figure:
    code: str
    met: Count
    #: None for a bare count (drift).
    total: Count | None = None

    @property
    def share(self) -> float | None:
        """Met as a fraction of the total, unless either is suppressed or the total is 0."""
        if self.total is None or self.total.is_suppressed or self.met.is_suppressed \
                or not self.total.value:
            return None
        return self.met.value / self.total.value


#: A SELECT of any columns.
_Query = TypeVar("_Query", bound=Select)


def _case_comments(query: _Query, start: date, end: date) -> _Query:
    """Select the query's columns from the case comments sent from start to end."""
    return (query.select_from(Comment).join(Response, Response.id == Comment.response_id)
            .where(Response.submitted_on >= start, Response.submitted_on < end,
                   Response.case_id.is_not(None)))


def _read_hour(session: Session) -> ColumnElement[object]:
    """The hour a comment was read, truncated (London's offsets are whole hours)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", Comment.read_at)
    return func.strftime("%Y-%m-%d %H:00:00", Comment.read_at)


def _as_utc(value: object) -> datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC)


#: What ``comment_thread`` counts per month, in this order.
THREAD = ("read_met", "read_total", "linked", "replied", "comments")
NO_THREAD = (0, 0, 0, 0, 0)


def comment_thread(session: Session, start: date, end: date, now: datetime
                   ) -> dict[tuple[int, int], tuple[int, ...]]:
    """Count, per month, the case comments sent from start to end (exclusive), in one pass:
    read by the end of the 2nd working day after the day they were sent, and those whose
    deadline has passed (so a period still running is fair); linked to a plan action;
    with a reply shared with the child (on the comment, or on a plan action linked to
    it); and all of them. ``THREAD`` names them.
    """
    hour = _read_hour(session)
    linked = exists().where(CommentLink.comment_id == Comment.id)
    on_comment = exists().where(Reply.comment_id == Comment.id,
                                Reply.is_shared_with_child.is_(True))
    on_action = exists().where(CommentLink.comment_id == Comment.id,
                               Reply.plan_action_id == CommentLink.plan_action_id,
                               Reply.is_shared_with_child.is_(True))
    rows = session.execute(_case_comments(
        select(Response.submitted_on, hour, func.count(case((linked, 1))),
               func.count(case((or_(on_comment, on_action), 1))), func.count(Comment.id)),
        start, end).group_by(Response.submitted_on, hour))
    months: dict[tuple[int, int], list[int]] = {}
    deadlines: dict[date, datetime] = {}
    for sent_on, read_hour, n_linked, n_replied, n in rows:
        sent_on = sent_on if isinstance(sent_on, date) else date.fromisoformat(str(sent_on))
        if sent_on not in deadlines:
            noon = datetime.combine(sent_on, time(12), UTC)
            deadlines[sent_on] = add_working_days(noon, READ_WORKING_DAYS)
        counts = months.setdefault((sent_on.year, sent_on.month), [0] * len(THREAD))
        deadline, read_at = deadlines[sent_on], _as_utc(read_hour)
        if deadline <= now:
            counts[1] += n
            counts[0] += n if read_at is not None and read_at < deadline else 0
        counts[2] += n_linked
        counts[3] += n_replied
        counts[4] += n
    return {month: tuple(counts) for month, counts in months.items()}


def _thread(session: Session, period: Period, now: datetime) -> tuple[int, ...]:
    totals = [0] * len(THREAD)
    for counts in comment_thread(session, period.start, period.end, now).values():
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    return tuple(totals)


def read_in_time(session: Session, period: Period, now: datetime) -> tuple[int, int]:
    """Case comments read by the end of the 2nd working day after the day they were sent,
    of those whose deadline has passed."""
    thread = _thread(session, period, now)
    return thread[0], thread[1]


def linked_and_replied(session: Session, period: Period) -> tuple[int, int, int]:
    """Count case comments sent in the period: linked to a plan action; with a reply shared
    with the child (on the comment, or on a plan action linked to it); and all of them."""
    thread = _thread(session, period, datetime.now(UTC))
    return thread[2], thread[3], thread[4]


def actions_done(session: Session, period: Period) -> tuple[int, int]:
    """Plan actions linked to case comments sent in the period: done (now), and all of them.

    An action's status has no history, so "done" is as it stands today; an action
    linked to several of the period's comments counts once. The actions are found from
    the period's comments (``IN``), not by testing every action ever made (``EXISTS``).
    """
    linked = _case_comments(select(CommentLink.plan_action_id), period.start,
                            period.end).join(
        CommentLink, CommentLink.comment_id == Comment.id)
    row = session.execute(select(func.count(case((PlanAction.status == ActionStatus.DONE, 1))),
                                 func.count(PlanAction.id))
                          .where(PlanAction.id.in_(linked))).one()
    return int(row[0]), int(row[1])


def action_months(session: Session, start: date, end: date
                  ) -> dict[tuple[int, int], dict[int, bool]]:
    """Per month, the plan actions linked to case comments sent from start to end, and
    whether each is done now (``actions_done`` from stored months joins the months)."""
    year = func.extract("year", Response.submitted_on)
    month = func.extract("month", Response.submitted_on)
    rows = session.execute(_case_comments(
        select(year, month, CommentLink.plan_action_id, PlanAction.status).distinct(),
        start, end)
        .join(CommentLink, CommentLink.comment_id == Comment.id)
        .join(PlanAction, PlanAction.id == CommentLink.plan_action_id))
    actions: dict[tuple[int, int], dict[int, bool]] = {}
    for y, m, action, status in rows:
        actions.setdefault((int(y), int(m)), {})[action] = status == ActionStatus.DONE
    return actions


def alerts_in_time(session: Session, period: Period, now: datetime,
                   hours: int) -> tuple[int, int]:
    """Alerts raised in the period and acknowledged within ``hours`` working hours.

    Alerts whose target time has not come yet are left out. (Alerts are few;
    working hours cannot be counted in SQL, so their times are read.)
    """
    start = datetime.combine(period.start, time(0), UTC)
    end = datetime.combine(period.end, time(0), UTC)
    rows = session.execute(select(Alert.created_at, Alert.acknowledged_at)
                           .where(Alert.created_at >= start, Alert.created_at < end))
    met = total = 0
    for created_at, acknowledged_at in rows:
        target = add_working_hours(created_at, hours)
        if target > now and acknowledged_at is None:
            continue
        total += 1
        met += acknowledged_at is not None and acknowledged_at <= target
    return met, total


def months_before(day: date, months: int) -> date:
    """Return the same day ``months`` calendar months earlier (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _open_on(as_of: date) -> ColumnElement[bool]:
    """A case was open on the day if it existed by then and was not closed before its end.

    It existed from its creation here or its first response, whichever came first: a
    case brought in from the case-management system later, with the child's earlier
    responses, was open when the child was heard.
    """
    end = datetime.combine(as_of + timedelta(days=1), time(0), UTC)
    heard_by_then = exists().where(Response.case_id == Case.id, Response.submitted_on <= as_of)
    return and_(or_(Case.created_at < end, heard_by_then),
                or_(Case.closed_at.is_(None), Case.closed_at >= end))


def _heard_since(since: date, as_of: date) -> ColumnElement[bool]:
    return exists().where(Response.case_id == Case.id, Response.submitted_on > since,
                          Response.submitted_on <= as_of)


def heard_recently(session: Session, as_of: date) -> tuple[int, int]:
    """Cases open on ``as_of`` where the child was heard in the 6 months up to it."""
    heard = _heard_since(months_before(as_of, HEARD_MONTHS), as_of)
    row = session.execute(select(func.count(case((heard, 1))), func.count(Case.id))
                          .where(_open_on(as_of))).one()
    return int(row[0]), int(row[1])


def drift(session: Session, as_of: date, days: int) -> int:
    """Cases open on ``as_of`` with no response in the ``days`` days up to it."""
    heard = _heard_since(as_of - timedelta(days=days), as_of)
    return session.scalar(select(func.count(Case.id)).where(_open_on(as_of), ~heard)) or 0


def as_of(period: Period, today: date) -> date:
    """Return the day snapshot figures describe: the period's last day, or today."""
    return min(period.end - timedelta(days=1), today)


def impact_figures(session: Session, period: Period, *, now: datetime, threshold: int,
                   alert_hours: int, drift_days: int,
                   thread: Sequence[int] | None = None,
                   actions: tuple[int, int] | None = None) -> list[Figure]:
    """Count every golden-thread figure for the period, suppressed.

    ``thread`` gives the period's comment figures (``THREAD``) and ``actions`` its
    plan actions done and linked, when already counted (a finished month's are
    stored: ``board_cache``); otherwise they are counted here.
    """
    day = as_of(period, now.date())
    read_met, read_total, linked, replied, comments = (
        thread if thread is not None else _thread(session, period, now))
    pairs = {"read_in_time": (read_met, read_total),
             "linked": (linked, comments),
             "actions_done": actions if actions is not None else actions_done(session, period),
             "replied": (replied, comments),
             "alerts_in_time": alerts_in_time(session, period, now, alert_hours),
             "heard_recently": heard_recently(session, day)}
    figures = [_suppressed(code, met, total, threshold) for code, (met, total) in pairs.items()]
    drifting = drift(session, day, drift_days)
    figures.append(Figure("drift", Count(drifting, 0 < drifting < threshold)))
    return figures


def _suppressed(code: str, met: int, total: int, threshold: int) -> Figure:
    values = {"met": met, "missed": total - met, "total": total}
    hidden = suppress(values, [Line("total", ("met", "missed"))], threshold)
    return Figure(code, Count(met, "met" in hidden), Count(total, "total" in hidden))
