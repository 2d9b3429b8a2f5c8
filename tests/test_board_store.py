"""The board's stored months: after any write the board depends on, the figures read
through the database's stored months equal a fresh count.

Finished months' figures are kept in ``board_month_counts`` under a version that
database triggers change on every write they read (migration 0017;
``feedback.services.board_cache``). So any sequence of the service's own write
paths (a child's submission, a back-dated response, withdrawing one, a worker
confirming or removing a theme, the analyser reading a comment again, reading,
case transfer, close and reopen, alerts
raised and acknowledged, plan actions, replies, an import, a retention run) must
leave the stored path's figures equal to counting everything again. Runs on the
lane's database: SQLite, or PostgreSQL when ``DATABASE_URL`` names one.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select, text, update

from boarddata import respond
from feedback.extensions import db
from feedback.models import (
    ActionStatus, Alert, AlertReason, AlertState, BoardMonthCounts, BoardMonthVersion, Case,
    Comment, PlanAction, Reply, Response, Role, StaffUser, month_number, utcnow,
)
from feedback.services import (
    alerts, analysis, board_report, case_admin, case_import, casework, plans, retagging,
    retention, submissions,
)
from feedback.services.board_report import Settings
from feedback.services.reports import Period
from feedback.web.analyser import build_analyser

SETTINGS = Settings(threshold=6, alert_hours=2, drift_days=42)
THEMES = ("school", "family", "home", "friends")
TEXTS = ("football club and my new school", "i miss my brother since he moved",
         "my nan teaches me to bake", "i hate my new school", "i love my new school", "")
FEW = st.integers(0, 60)
#: How many months back a back-dated response goes (0: this month, still running).
MONTHS_BACK = st.integers(0, 4)

OPERATIONS = st.one_of(
    st.tuples(st.just("submit"), st.sampled_from(["case", "session"]), st.sampled_from(TEXTS)),
    st.tuples(st.just("ask_for_help"), st.sampled_from(TEXTS)),
    st.tuples(st.just("back_dated"), MONTHS_BACK, st.sets(st.sampled_from(THEMES)), FEW),
    st.tuples(st.just("withdraw"), FEW),
    st.tuples(st.just("decide_theme"), FEW, st.sampled_from(THEMES), st.booleans()),
    st.tuples(st.just("mark_read"), FEW),
    st.tuples(st.just("record_analysis"), FEW, st.sampled_from(TEXTS)),
    st.tuples(st.just("retag"), FEW),
    st.tuples(st.just("transfer"), FEW),
    st.tuples(st.just("close"), FEW),
    st.tuples(st.just("reopen"), FEW),
    st.tuples(st.just("alert"), FEW),
    st.tuples(st.just("acknowledge"), FEW),
    st.tuples(st.just("plan_action"), FEW),
    st.tuples(st.just("action_done"), FEW),
    st.tuples(st.just("reply"), FEW, st.booleans(), st.booleans()),
    st.tuples(st.just("share_reply"), FEW),
    st.tuples(st.just("import"), FEW),
    st.tuples(st.just("retention"), st.sampled_from([60, 100])),
)


def months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def nth(items: list, number: int):
    return items[number % len(items)] if items else None


class World:
    """Two pods, three cases, a session, a worker and a manager, and responses sent over
    the last five months (the earlier ones settled and stored, this one still running)."""

    def __init__(self, builtin_questionnaires, create_case, create_user, create_session,
                 create_pod):
        self.analyser = build_analyser(with_classifier=False)
        self.version = builtin_questionnaires["how-are-things"]
        self.pods = [create_pod(), create_pod()]
        cases = [create_case(pod=self.pods[n % 2]) for n in range(3)]
        self.case_ids = [case.id for case in cases]
        self.manager_id = create_user(Role.MANAGER, pod=self.pods[0]).id
        self.worker_id = create_user(Role.WORKER, pod=self.pods[0]).id
        self.event_id = create_session("how-are-things").id
        self.today = utcnow().date()
        for n in range(12):
            self.run(("back_dated", n % 5, set(THEMES[: n % 4 + 1]), n))
        db.session.commit()

    def cases(self) -> list[Case]:
        return list(db.session.scalars(select(Case).where(Case.id.in_(self.case_ids))
                                       .order_by(Case.id)))

    def comments(self, of_cases: bool = False) -> list[Comment]:
        query = select(Comment).join(Response).order_by(Comment.id)
        if of_cases:
            query = query.where(Response.case_id.is_not(None))
        return list(db.session.scalars(query))

    def journey(self, kind: str) -> submissions.Journey:
        common = {"version_id": self.version.id, "key": submissions.new_key(), "language": "en"}
        if kind == "case":
            return submissions.Journey(kind="case", case_id=self.case_ids[0], **common)
        return submissions.Journey(kind="session", session_id=self.event_id, **common)

    def run(self, operation: tuple) -> None:  # noqa: C901 - one branch per write path
        """Call the service function the operation names, as its page would."""
        name, *args = operation
        session = db.session
        worker = session.get_one(StaffUser, self.worker_id)
        manager = session.get_one(StaffUser, self.manager_id)
        if name == "submit":
            answers = {"overall": "3", "home": "4", "good": args[1], "not_good": ""}
            submissions.submit(session, self.journey(args[0]), answers, self.analyser, None,
                               self.version.definition)
        elif name == "ask_for_help":
            submissions.ask_for_help(session, self.journey("case"), args[0] or "help",
                                     self.analyser, None)
        elif name == "back_dated":  # a response arriving late, dated when it was sent
            months, themes, number = args
            respond(self.version, themes=themes, on=months_back(self.today, months),
                    case=nth(self.cases(), number), commit=False)
        elif name == "withdraw":
            response = nth(list(session.scalars(select(Response).order_by(Response.id))),
                           args[0])
            alerted = response is not None and session.scalar(select(Alert.id).where(
                (Alert.response_id == response.id) | Alert.comment_id.in_(
                    select(Comment.id).where(Comment.response_id == response.id))).limit(1))
            if response is not None and not alerted:  # an alert's words are kept
                session.delete(response)
        elif name == "decide_theme" and (comment := nth(self.comments(), args[0])):
            casework.decide_theme(session, comment, args[1], args[2], worker)
        elif name == "mark_read" and (comment := nth(self.comments(True), args[0])):
            casework.mark_read(session, [comment], worker)
        elif name == "record_analysis" and (comment := nth(self.comments(), args[0])):
            analysis.record_analysis(session, comment,
                                     analysis.run_analysis(self.analyser, args[1] or "ok"))
        elif name == "retag" and (comment := nth(self.comments(), args[0])):
            retagging.retag(session, [comment], self.analyser, None)
        elif name == "transfer" and (case := nth(self.cases(), args[0])):
            other = next(pod for pod in self.pods if pod.id != case.pod_id)
            case_admin.transfer_case(session, manager, case, other.id, None)
        elif name == "close" and (case := nth(self.cases(), args[0])):
            case_admin.close_case(session, manager, case)
        elif name == "reopen" and (case := nth(self.cases(), args[0])):
            case_admin.reopen_case(session, manager, case)
        elif name == "alert" and (comment := nth(self.comments(True), args[0])) and not \
                session.scalar(select(Alert.id).where(Alert.response_id == comment.response_id)):
            alerts.raise_alert(session, reason=AlertReason.DETECTOR, case=comment.response.case,
                               comment=comment, response_id=comment.response_id)
        elif name == "acknowledge" and (alert := nth(list(session.scalars(
                select(Alert).where(Alert.state == AlertState.NEW).order_by(Alert.id))),
                args[0])):
            alerts.acknowledge(session, alert, worker, "spoke_to_child", "")
        elif name == "plan_action" and (comment := nth(self.comments(True), args[0])):
            plans.add_action(session, comment.response.case, title="Swimming", section="school",
                             owner="", due_on=None, by=worker, comment=comment)
        elif name == "action_done" and (action := nth(
                list(session.scalars(select(PlanAction))), args[0])):
            plans.update_action(session, action, ActionStatus.DONE, "", worker)
        elif name == "reply" and (comment := nth(self.comments(True), args[0])):
            case = comment.response.case
            action = nth(list(session.scalars(select(PlanAction).where(
                PlanAction.case_id == case.id))), args[0]) if args[2] else None
            plans.add_reply(session, case, "We did it", worker, shared=args[1],
                            comment=None if action else comment, action=action)
        elif name == "share_reply" and (reply := nth(list(session.scalars(
                select(Reply).where(Reply.is_shared_with_child.is_(False)))), args[0])):
            plans.share_reply(session, reply, worker)
        elif name == "import" and (case := nth(self.cases(), args[0])):
            other = next(pod for pod in self.pods if pod.id != case.pod_id)
            data = (f"reference,first_name,pod,worker_email,age_band,language\n"
                    f"{case.reference},Sam,{other.name},,,en\n").encode()
            report = case_import.import_cases(session, data, by=manager, languages=["en"])
            assert report.applied, report
        elif name == "retention":
            retention.apply(session, utcnow() + timedelta(days=args[0]), session_days=30,
                            case_days=90)
        session.flush()
        session.commit()  # the services flush; the page that called them commits once

    def periods(self) -> list[Period]:
        """The running year, the year of three months ago and its quarter."""
        back = months_back(self.today, 3)
        return sorted({Period.containing(self.today, "year"), Period.containing(back, "year"),
                       Period.containing(back, "quarter")})


def assert_stored_equals_fresh(world: World, label: object) -> None:
    now = utcnow()
    for period in world.periods():
        stored = board_report.count(db.session, period, SETTINGS, now=now)
        fresh = board_report.count(db.session, period, SETTINGS, now=now, stored=False)
        assert stored == fresh, (label, period.code)


@pytest.fixture()
def world(app, builtin_questionnaires, create_case, create_user, create_session, create_pod):
    return World(builtin_questionnaires, create_case, create_user, create_session, create_pod)


#: Every write path once on a settled month (the world's 4th comment was sent three months
#: ago), whatever the random sequences reach.
SETTLED = 3
EACH_PATH = [
    [("record_analysis", SETTLED, TEXTS[4]), ("record_analysis", SETTLED, TEXTS[3])],
    [("decide_theme", SETTLED, "school", False), ("decide_theme", SETTLED, "home", True)],
    [("back_dated", 3, {"home"}, 1), ("withdraw", SETTLED)],
    [("mark_read", SETTLED), ("alert", SETTLED), ("acknowledge", 0)],
    [("plan_action", SETTLED), ("reply", SETTLED, True, True), ("action_done", 0)],
    [("reply", SETTLED, False, False), ("share_reply", 0)],
    [("transfer", 1), ("import", 1), ("close", 0), ("reopen", 0)],
    [("retention", 100)],
]


def _each_path(test):
    for operations in EACH_PATH:
        test = example(operations=operations)(test)
    return test


@_each_path
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=6))
def test_after_every_write_the_stored_months_give_a_fresh_count(world, operations):
    try:
        assert_stored_equals_fresh(world, "start")
        assert db.session.scalar(select(BoardMonthCounts.month).limit(1)) is not None
        for operation in operations:
            world.run(operation)
            assert_stored_equals_fresh(world, operation)
    finally:
        db.session.rollback()


def _comments_stored(month: int) -> int:
    counts = db.session.scalar(select(BoardMonthCounts.counts).where(
        BoardMonthCounts.month == month, BoardMonthCounts.kind == "year"))
    return json.loads(counts)["c"]


def test_a_stored_month_is_read_until_a_write_changes_its_version(world):
    """Proof that the page reads the stored month (a figure planted there shows), and that
    a worker's decision on an old comment makes it count the month again."""
    back = months_back(world.today, 3)
    month, period = month_number(back.year, back.month), Period.containing(back, "month")
    now = utcnow()
    real = board_report.count(db.session, period, SETTINGS, now=now).summary.comments.value
    assert real and _comments_stored(month) == real
    db.session.execute(update(BoardMonthCounts).where(
        BoardMonthCounts.month == month, BoardMonthCounts.kind == "year").values(
        counts=func.replace(BoardMonthCounts.counts, f'"c":{real},', f'"c":{real + 40},')))
    db.session.commit()
    planted = board_report.count(db.session, period, SETTINGS, now=now).summary.comments.value
    assert planted == real + 40
    comment = db.session.scalar(select(Comment).join(Response).where(
        Response.submitted_on >= period.start, Response.submitted_on < period.end).limit(1))
    casework.decide_theme(db.session, comment, "home", True,
                          db.session.get_one(StaffUser, world.worker_id))
    db.session.commit()
    assert board_report.count(db.session, period, SETTINGS, now=now).summary.comments.value \
        == real
    assert _comments_stored(month) == real


def test_a_childs_submission_this_month_changes_no_version(world):
    """The running month is never stored, so its writes touch no shared row."""
    this_month = month_number(world.today.year, world.today.month)
    before = db.session.scalar(select(BoardMonthVersion.version)
                               .where(BoardMonthVersion.month == this_month))
    world.run(("submit", "case", TEXTS[0]))
    world.run(("submit", "session", TEXTS[1]))
    assert db.session.scalar(select(BoardMonthVersion.version)
                             .where(BoardMonthVersion.month == this_month)) == before is None


def test_moving_a_case_to_another_pod_changes_every_month_it_was_heard_in(world):
    case = world.cases()[0]
    heard = {month_number(d.year, d.month) for d in db.session.scalars(
        select(Response.submitted_on).where(Response.case_id == case.id))}
    this_month = month_number(world.today.year, world.today.month)
    before = dict(db.session.execute(select(BoardMonthVersion.month, BoardMonthVersion.version)
                                     ).all())
    world.run(("transfer", 0))
    after = dict(db.session.execute(select(BoardMonthVersion.month, BoardMonthVersion.version)
                                    ).all())
    changed = {month for month in after if after[month] != before.get(month)}
    assert changed == heard - {this_month} and changed


#: The triggers migration 0017 makes, by table (SQLite names one per event).
TRIGGER_TABLES = ("responses", "response_themes", "comments", "theme_tags", "comment_links",
                  "replies", "cases", "plan_actions")


def test_every_table_the_stored_months_read_has_its_trigger(app):
    """A later migration that rebuilds one of these tables on SQLite drops its triggers."""
    if db.engine.dialect.name == "postgresql":
        names = set(db.session.scalars(text(
            "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'board_%'")))
        assert names == {f"board_{table}_changed" for table in TRIGGER_TABLES}
    else:
        names = set(db.session.scalars(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'board_%'")))
        expected = {f"board_{table}_{event}" for table in TRIGGER_TABLES
                    for event in ("insert", "update", "delete")}
        updates_only = {f"board_{table}_{event}" for table in ("cases", "plan_actions")
                        for event in ("insert", "delete")}
        assert names == expected - updates_only
    assert {"board_month_counts", "board_month_versions"} <= set(
        inspect(db.engine).get_table_names())


def test_a_stored_month_it_cannot_read_is_counted_again(world):
    """Stored by another release in another form: counted again, never an error page."""
    now, period = utcnow(), Period.containing(months_back(world.today, 3), "quarter")
    fresh = board_report.count(db.session, period, SETTINGS, now=now, stored=False)
    board_report.count(db.session, period, SETTINGS, now=now)
    db.session.execute(update(BoardMonthCounts).where(BoardMonthCounts.kind == "year")
                       .values(counts="{}"))
    db.session.commit()
    assert board_report.count(db.session, period, SETTINGS, now=now) == fresh
    assert db.session.scalar(select(func.count()).select_from(BoardMonthCounts).where(
        BoardMonthCounts.kind == "year", BoardMonthCounts.counts == "{}")) == 0


def test_a_store_that_would_wait_for_a_writer_is_skipped(world):
    """SQLite: another connection is writing; the page counts and does not wait."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers do not block the store")
    now, period = utcnow(), Period.containing(months_back(world.today, 3), "quarter")
    fresh = board_report.count(db.session, period, SETTINGS, now=now, stored=False)
    db.session.commit()
    with db.engine.connect() as writer:
        writer.exec_driver_sql("BEGIN IMMEDIATE")
        assert board_report.count(db.session, period, SETTINGS, now=now) == fresh
        db.session.rollback()
        writer.exec_driver_sql("ROLLBACK")
    assert db.session.scalar(select(func.count()).select_from(BoardMonthCounts)) == 0


def test_the_command_line_stores_every_settled_month_the_pages_then_read(app, world):
    """``board store-months`` after an upgrade: a board member's first page counts no
    settled month, and its figures are still a fresh count's."""
    db.session.execute(BoardMonthCounts.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["board", "store-months"])
    assert result.exit_code == 0, result.output
    assert "month figures stored" in result.stderr
    settled = [months_back(world.today, n) for n in (2, 3, 4)]
    stored = set(db.session.scalars(select(BoardMonthCounts.month)
                                    .where(BoardMonthCounts.kind == "year")))
    assert {month_number(day.year, day.month) for day in settled} <= stored
    this_month = month_number(world.today.year, world.today.month)
    assert this_month not in stored  # still running: never stored
    period = Period.containing(settled[-1], "month")
    now = utcnow()
    assert board_report.count(db.session, period, SETTINGS, now=now).summary \
        == board_report.count(db.session, period, SETTINGS, now=now, stored=False).summary


def test_the_command_line_says_when_there_is_nothing_to_store(app):
    result = app.test_cli_runner().invoke(args=["board", "store-months"])
    assert result.exit_code == 0 and "nothing to store" in result.stderr
