"""The demo looks like a real council (issue 17): cases opened before their children's answers,
and every month and quarter of this year and last year with open cases, comments, alerts,
actions done and replies shared, on the board and in a worker's caseload."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from feedback import demo
from feedback.demo import history, timeline
from feedback.extensions import db
from feedback.models import (ActionStatus, Alert, Case, Comment, CommentLink, PlanAction, Reply,
                             Response, Role, StaffUser)
from feedback.services import caseload, impact
from feedback.services.reports import Period
from feedback.web.analyser import current_analyser

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 18, tzinfo=UTC)


@pytest.fixture()
def demo_data(app):
    demo.build_demo(db.session, current_analyser(), today=TODAY)
    db.session.commit()


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _months(start: date, end: date) -> list[Period]:
    months, day = [], start
    while day < end:
        months.append(Period.containing(day, "month"))
        day = Period.containing(day, "month").end
    return months


def test_the_same_seed_and_day_draw_the_same_calendar_back_from_today():
    first = timeline.plan_cases(random.Random(7), TODAY, 20)
    again = timeline.plan_cases(random.Random(7), TODAY, 20)
    assert [(p.opened_at, p.closed_at, p.answered) for p in first] == [
        (p.opened_at, p.closed_at, p.answered) for p in again]
    assert timeline.history_start(TODAY) == date(2025, 1, 1)
    assert timeline.history_start(date(2027, 2, 1)) == date(2025, 8, 1)
    later = timeline.plan_cases(random.Random(7), date(2027, 6, 30), 20)
    assert max(max(p.answered) for p in later).date() < date(2027, 6, 30)
    assert min(min(p.answered) for p in later).date() >= date(2025, 12, 30)


def test_every_case_opened_before_its_childs_first_answer_and_closed_after_the_last(demo_data):
    cases = db.session.scalars(select(Case)).all()
    assert len(cases) == 20
    closed = [case for case in cases if not case.is_open]
    assert 2 <= len(closed) <= 6 and all(case.closed_at for case in closed)
    opened_lately = [case for case in cases if _utc(case.created_at).year >= 2025]
    assert len(opened_lately) >= 3  # some cases came in during the demo's history
    for case in cases:
        first, last = db.session.execute(
            select(func.min(Response.submitted_at), func.max(Response.submitted_at))
            .where(Response.case_id == case.id)).one()
        assert _utc(case.created_at) < _utc(first), case.reference
        if case.closed_at is not None:
            assert _utc(last) < _utc(case.closed_at), case.reference
    # The history reaches back to January of last year.
    assert db.session.scalar(select(func.min(Response.submitted_on))) < date(2025, 1, 25)


def _in_month(column, period: Period):
    start = datetime.combine(period.start, datetime.min.time(), UTC)
    end = datetime.combine(period.end, datetime.min.time(), UTC)
    return (column >= start) & (column < end)


def test_every_month_of_last_year_and_this_has_answers_alerts_actions_and_replies(demo_data):
    for period in _months(date(2025, 1, 1), date(2026, 12, 1)):
        sent = (Response.submitted_on >= period.start) & (Response.submitted_on < period.end)
        comments = db.session.scalar(select(func.count(Comment.id)).join(Response)
                                     .where(sent, Response.case_id.is_not(None)))
        alerts = db.session.scalar(select(func.count(Alert.id))
                                   .where(_in_month(Alert.created_at, period)))
        shared = db.session.scalar(select(func.count(Reply.id)).where(
            Reply.is_shared_with_child.is_(True), _in_month(Reply.shared_at, period)))
        assert comments >= 10 and alerts >= 1 and shared >= 1, period.code
        heard, open_cases = impact.heard_recently(db.session, impact.as_of(period, TODAY))
        assert 10 <= open_cases <= 20 and heard > 0, period.code
    for quarter in [Period("quarter", year, n) for year in (2025, 2026) for n in (1, 2, 3, 4)]:
        assert db.session.scalar(select(func.count(PlanAction.id)).where(
            _in_month(PlanAction.created_at, quarter))) >= 5, quarter.code
    # Actions of long ago are mostly done; the last few weeks' mostly not yet.
    old = db.session.scalars(select(PlanAction.status).where(
        PlanAction.created_at < datetime(2026, 6, 1, tzinfo=UTC))).all()
    new = db.session.scalars(select(PlanAction.status).where(
        PlanAction.created_at >= datetime(2026, 10, 15, tzinfo=UTC))).all()
    assert old.count(ActionStatus.DONE) > 0.6 * len(old)
    assert len(new) >= 3 and new.count(ActionStatus.DONE) < 0.6 * len(new)
    # Every past answer was sent with a code a worker gave the child before it.
    assert db.session.scalar(select(func.count(Response.id)).where(
        Response.case_id.is_not(None), Response.access_code_id.is_(None))) == 4  # today's


@pytest.mark.parametrize("code", ["2025-Q3", "2026-Q2"])
def test_a_past_quarter_shows_open_cases_and_true_impact_figures(demo_data, auth, client,
                                                                 create_user, code):
    period = Period.parse(code)
    figures = {f.code: f for f in impact.impact_figures(
        db.session, period, now=NOW, threshold=6, alert_hours=2, drift_days=42)}
    for name in ("read_in_time", "linked", "actions_done", "replied", "alerts_in_time",
                 "heard_recently"):
        assert figures[name].met.value > 0 and figures[name].total.value > 0, name
    assert figures["heard_recently"].total.value >= 12  # open cases at the quarter's end
    assert 0 < figures["linked"].met.value < figures["linked"].total.value
    # The board shows them: never "0 out of 0".
    auth.sign_in(create_user(Role.BOARD).email)
    page = client.get(f"/board/?period={code}").get_data(as_text=True)
    assert "Open cases where the child was heard in the last 6 months" in page
    assert "0 out of 0" not in page


def test_a_workers_caseload_shows_children_heard_lately_and_long_ago(demo_data):
    worker = db.session.scalar(select(StaffUser).where(
        StaffUser.email == "worker.north@demo.example"))
    mine = caseload.caseload(db.session, worker, NOW, 42, mine=True)
    everyone = caseload.caseload(db.session, worker, NOW, 42)
    assert 0 < mine.total < everyone.total  # a case waits for a worker
    heard = [row.last_heard for row in everyone.rows if row.last_heard is not None]
    assert len({moment.date() for moment in heard}) >= 5
    assert any(row.drifting for row in everyone.rows)
    assert any(not row.drifting for row in everyone.rows)
    assert any(_utc(moment) > NOW - timedelta(days=2) for moment in heard)
    assert db.session.scalar(select(func.count(CommentLink.comment_id))) > 50


@pytest.mark.parametrize("days", [3, 30, 90, 400])
def test_action_statuses_keep_their_ages_shares_however_many_are_dealt(days: int) -> None:
    # Which comments the analyser flags changes how many plan actions the demo
    # makes; the board's "actions done" must keep its shape all the same.
    age = timedelta(days=days)
    shares = history.StatusDeck.shares(age)
    assert sum(shares.values()) == pytest.approx(1)
    deck = history.StatusDeck()
    dealt: list[ActionStatus] = []
    for count in range(1, 60):
        dealt.append(deck.deal(age))
        for status, share in shares.items():
            assert abs(dealt.count(status) - share * count) <= 1, (count, status)
