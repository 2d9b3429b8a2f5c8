"""Impact figures: the golden thread counted, each with its definition, small numbers hidden."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask

from boarddata import respond
from feedback.extensions import db
from feedback.models import (
    ActionStatus, Alert, AlertReason, AlertState, CommentLink, PlanAction, Reply, Role,
    utcnow,
)
from feedback.services import impact
from feedback.services.reports import Period

Q3 = Period.parse("2026-Q3")
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture()
def make_comment(app: Flask, create_case, create_user, builtin_questionnaires):
    reader = create_user(Role.WORKER)
    version = builtin_questionnaires["how-are-things"]

    def make(sent_on: date, read_at: datetime | None = None, case=None):
        comment = respond(version, themes=["school"], on=sent_on,
                          case=case or create_case()).comments[0]
        if read_at is not None:
            comment.read_at, comment.read_by_id = read_at, reader.id
            db.session.commit()
        return comment

    return make


def test_read_within_two_working_days_counts_weekends_and_bank_holidays(make_comment):
    friday, bank_holiday_friday = date(2026, 7, 3), date(2026, 8, 28)
    make_comment(friday, at(date(2026, 7, 7), 15, 30))       # Tuesday 16:30 in London: in time
    make_comment(friday, at(date(2026, 7, 7), 16, 30))       # Tuesday 17:30: too late
    make_comment(friday, at(date(2026, 7, 8), 9))            # Wednesday: too late
    make_comment(bank_holiday_friday, at(date(2026, 9, 2), 14))  # Wednesday, after Monday 31st
    make_comment(friday)                                     # never read
    assert impact.read_in_time(db.session, Q3, NOW) == (2, 5)


def test_comments_whose_deadline_is_still_ahead_are_left_out(make_comment):
    make_comment(NOW.date())
    assert impact.read_in_time(db.session, Period.parse("2026-11"), NOW) == (0, 0)


def test_linked_and_replied_follow_the_thread_through_plan_actions(make_comment, create_case):
    case = create_case()
    through_action, direct, unshared, nothing = (make_comment(date(2026, 8, 3), case=case)
                                                 for _ in range(4))
    action = PlanAction(case=case, title="Swimming lessons", section="activities")
    db.session.add(action)
    db.session.flush()
    db.session.add_all([
        CommentLink(comment_id=through_action.id, plan_action_id=action.id),
        Reply(case=case, plan_action=action, text="Booked", is_shared_with_child=True,
              shared_at=utcnow()),
        Reply(case=case, comment=direct, text="We did", is_shared_with_child=True,
              shared_at=utcnow()),
        Reply(case=case, comment=unshared, text="Draft")])
    db.session.commit()
    assert impact.linked_and_replied(db.session, Q3) == (1, 2, 4)


def test_actions_done_counts_each_action_linked_in_the_period_once(make_comment, create_case):
    case = create_case()
    july, august, june = (make_comment(day, case=case) for day in (
        date(2026, 7, 6), date(2026, 8, 3), date(2026, 6, 29)))
    done, open_, earlier = (PlanAction(case=case, title=title, section="school") for title in (
        "Tutor", "Bus pass", "Laptop"))
    done.status = earlier.status = ActionStatus.DONE
    db.session.add_all([done, open_, earlier])
    db.session.flush()
    db.session.add_all([CommentLink(comment_id=july.id, plan_action_id=done.id),
                        CommentLink(comment_id=august.id, plan_action_id=done.id),
                        CommentLink(comment_id=august.id, plan_action_id=open_.id),
                        CommentLink(comment_id=june.id, plan_action_id=earlier.id)])
    db.session.commit()
    # "Tutor" twice in the quarter counts once; "Laptop" was linked to June only.
    assert impact.actions_done(db.session, Q3) == (1, 2)
    assert impact.actions_done(db.session, Period.parse("2026-Q2")) == (1, 1)
    assert impact.actions_done(db.session, Period.parse("2026-Q4")) == (0, 0)


def _alert(case, created_at, acknowledged_at=None):
    alert = Alert(case_id=case.id, reason=AlertReason.BUTTON, created_at=created_at)
    if acknowledged_at is not None:
        alert.state, alert.acknowledged_at = AlertState.ACKNOWLEDGED, acknowledged_at
        alert.action_taken = "spoke_to_child"
    return alert


def test_alerts_acknowledged_within_working_hours(app, create_case, create_user):
    case, worker = create_case(), create_user(Role.WORKER)
    monday, friday = date(2026, 7, 6), date(2026, 7, 3)
    alerts = [
        _alert(case, at(monday, 9), at(monday, 10, 30)),           # 1.5 working hours
        _alert(case, at(friday, 15, 30), at(monday, 9, 15)),       # 0.5 Friday + 1.25 Monday
        _alert(case, at(friday, 15, 30), at(monday, 9, 45)),       # 0.5 + 1.75: too late
        _alert(case, at(monday, 9)),                               # never acknowledged
        _alert(case, NOW - timedelta(minutes=5)),                  # still inside its time
    ]
    for alert in alerts:
        alert.acknowledged_by_id = worker.id if alert.acknowledged_at else None
    db.session.add_all(alerts)
    db.session.commit()
    assert impact.alerts_in_time(db.session, Q3, NOW, hours=2) == (2, 4)


def test_heard_in_six_months_and_drift_are_about_cases_open_then(app, create_case,
                                                                 builtin_questionnaires):
    version = builtin_questionnaires["how-are-things"]
    early = datetime(2025, 1, 1, tzinfo=UTC)
    heard, long_ago, never, closed, later = (create_case() for _ in range(5))
    for case in (heard, long_ago, never, closed):
        case.created_at = early
    closed.is_open, closed.closed_at = False, datetime(2026, 6, 1, tzinfo=UTC)
    db.session.commit()
    respond(version, on=date(2026, 9, 1), case=heard)
    respond(version, on=date(2026, 2, 1), case=long_ago)
    respond(version, on=date(2026, 9, 1), case=closed)
    as_of = impact.as_of(Q3, NOW.date())
    assert as_of == date(2026, 9, 30)
    assert impact.heard_recently(db.session, as_of) == (1, 3)
    assert impact.drift(db.session, as_of, days=42) == 2
    assert impact.months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)


@pytest.mark.parametrize("met, total, shown_met, shown_total, share", [
    (20, 20, 20, 20, 1.0),
    (3, 20, "c", 20, None),      # a small success count hides, and its complement with it
    (17, 20, "c", 20, None),     # three misses are as small as three successes
    (0, 4, 0, "c", None),
    (0, 0, 0, 0, None),
    (12, 30, 12, 30, 0.4),
])
def test_a_share_is_shown_only_when_neither_it_nor_its_complement_is_small(
        met, total, shown_met, shown_total, share):
    figure = impact._suppressed("linked", met, total, 6)
    assert (figure.met.shown, figure.total.shown, figure.share) == (shown_met, shown_total,
                                                                    share)


def test_the_page_gives_each_figure_with_its_definition(auth, client, create_user):
    auth.sign_in(create_user(Role.BOARD).email)
    page = client.get("/board/?period=2026-Q3").get_data(as_text=True)
    for title in ("Comments read within 2 working days", "Comments linked to a plan action",
                  "Comments with a reply shared with the child",
                  "Alerts acknowledged within the target time",
                  "Open cases where the child was heard in the last 6 months",
                  "Cases in drift"):
        assert f'<h3 class="govuk-heading-s">{title}</h3>' in page
    assert "by the end of the second working day" in page
    assert "within 2 working hours" in page and "in the 42 days before" in page
