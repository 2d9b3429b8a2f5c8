"""A realistic demo: two pods, their staff, twenty cases and their children's views over
the months up to today.

Every case opened before its child's first answer; a few opened or closed along the
way (``timeline``). The answers, alerts, plan actions and replies follow on dated
days (``history``), so every month and quarter of this year and last year has figures.
The comments are invented for this project (``comments.json``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.demo import history, timeline
from feedback.models import (
    AccessCode, AgeBand, Alert, AlertReason, AlertTier, Answer, Case, Comment,
    ParticipationSession, Pod, QuestionnaireVersion, Response, Role, StaffUser, utcnow,
)
from feedback.services import accounts, codes, questionnaires
from feedback.services.analysis import (CommentAnalyser, is_urgent, reasons_of,
                                        record_analysis, run_analysis)
from feedback.theming import Analysis

#: Every demo account signs in with this password (the demo is for trying out only).
DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.example"
CASES = 20


@dataclass(frozen=True)
class DemoSignIn:
    email: str
    role: str
    pod: str


def _load_comments() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("comments.json").read_text("utf-8"))


def has_demo(session: Session) -> bool:
    """Say whether the demo accounts exist already."""
    return session.scalar(select(StaffUser).where(
        StaffUser.email == f"admin@{DEMO_DOMAIN}")) is not None


def demo_sign_ins(session: Session) -> list[DemoSignIn]:
    """List the demo accounts already in the database."""
    users = session.scalars(select(StaffUser).where(StaffUser.email.like(f"%@{DEMO_DOMAIN}"))
                            .order_by(StaffUser.id)).all()
    return [DemoSignIn(u.email, u.role.value, u.pod.name if u.pod else "") for u in users]


def _staff(session: Session, pods: list[Pod]) -> list[DemoSignIn]:
    people: list[tuple[str, str, Role, Pod | None]] = [
        ("admin", "Ali Admin", Role.ADMIN, None), ("board", "Bea Board", Role.BOARD, None)]
    for pod, (worker, manager) in zip(pods, [("Sam Walker", "Morgan Price"),
                                             ("Priya Shah", "Dylan Evans"),
                                             ("Dee Okafor", "Rhys Morgan")]):
        tag = pod.name.split()[0].lower()
        people += [(f"worker.{tag}", worker, Role.WORKER, pod),
                   (f"manager.{tag}", manager, Role.MANAGER, pod)]
    sign_ins = []
    for local, name, role, team in people:
        accounts.create_staff(session, email=f"{local}@{DEMO_DOMAIN}", name=name, role=role,
                              password=DEMO_PASSWORD, pod=team)
        sign_ins.append(DemoSignIn(f"{local}@{DEMO_DOMAIN}", role.value,
                                   team.name if team else ""))
    return sign_ins


def _now(today: date | None) -> datetime:
    """The demo's present: now, or late on ``today`` when a test names another day."""
    now = utcnow()
    if today is None or today == now.date():
        return now
    return datetime.combine(today, time(18), UTC)


def build_demo(session: Session, analyser: CommentAnalyser, seed: int = 7,
               today: date | None = None) -> list[DemoSignIn]:
    """Fill an empty database with demo data, every comment analysed; return the sign-ins.

    The same ``seed`` and ``today`` always make the same demo.
    """
    rng = random.Random(seed)
    now = _now(today)
    today = now.date()
    questionnaires.install_builtin(session)
    versions = {v.questionnaire.slug: v for v in questionnaires.current_versions(session)}
    pods = [Pod(name="North pod", email=f"north.pod@{DEMO_DOMAIN}"),
            Pod(name="South pod", email=f"south.pod@{DEMO_DOMAIN}")]
    duty = Pod(name="Front door duty team", email=f"front.door@{DEMO_DOMAIN}",
               is_duty_team=True)
    session.add_all([*pods, duty])
    session.flush()
    sign_ins = _staff(session, [*pods, duty])
    staff = {p.id: [session.scalars(select(StaffUser).where(StaffUser.pod_id == p.id,
                                                            StaffUser.role == role)).one()
                    for role in (Role.WORKER, Role.MANAGER)] for p in pods}
    pool = _load_comments()
    languages = ["en"] * 17 + ["cy", "pl", "ar"]
    used: set[str] = set()
    written = []
    today_answers = []
    before = session.scalar(select(func.max(Comment.id))) or 0
    for plan in timeline.plan_cases(rng, today, CASES):
        n = plan.number
        pod = pods[n % 2]
        case = Case(reference=f"P{104200 + n * 17}", pod=pod,
                    display_name=rng.choice(["", "J", "Amir", "Kacper", "Leah", "T.M.", "Ffion"])
                    or None, preferred_language=languages[n], created_at=plan.opened_at,
                    is_open=plan.closed_at is None, closed_at=plan.closed_at,
                    # One case in each pod waits for a worker.
                    allocated_worker=None if n in (10, 15) else staff[pod.id][0])
        session.add(case)
        answers = history.write_answers(session, rng, case, plan, versions, pool,
                                        staff[pod.id][0], used)
        written.append((case, [response for response, _code in answers], staff[pod.id]))
        if n < 4:  # a few children told us something worrying today: unacknowledged alerts
            today_answers.append(_answer_today(session, case, versions["how-are-things"],
                                               pool["disclosures"][n],
                                               now - timedelta(hours=1 + n * 2)))
    _session_event(session, rng, versions["board-session"], pool, staff[pods[0].id][0],
                   today - timedelta(days=60), "Young people's safeguarding forum", 24)
    _session_event(session, rng, versions["board-session"], pool, staff[pods[1].id][0],
                   timeline.history_start(today) + timedelta(days=200),
                   "Summer activity day", 18)
    session.flush()
    for response, code in answers_of(written, session):
        response.access_code_id = code.id
    results = _analyse(session, analyser, before)
    deck = history.StatusDeck()
    for case, responses, people in written:
        history.follow_up(session, rng, case, responses, results, people, now, deck)
    for response in today_answers:  # nobody has acknowledged these yet
        comment = response.comments[0]
        session.add(Alert(case=response.case, comment=comment, response=response,
                          reason=AlertReason.DETECTOR, created_at=response.submitted_at,
                          tier=AlertTier.URGENT if is_urgent(results[comment])
                          else AlertTier.CONCERN,
                          detail="; ".join(reasons_of(results[comment]))[:500]))
    _codes_waiting(session, rng, written, versions, now, used)
    session.flush()
    return sign_ins


def answers_of(written: Sequence[tuple[Case, list[Response], Any]], session: Session
               ) -> list[tuple[Response, AccessCode]]:
    """Each case response with the code it was sent with (by their shared key)."""
    by_key = {code.response_key: code for code in session.scalars(select(AccessCode))}
    return [(response, by_key[response.idempotency_key]) for _case, responses, _staff in written
            for response in responses]


def _analyse(session: Session, analyser: CommentAnalyser, before: int
             ) -> dict[Comment, Analysis | None]:
    """Analyse the demo's comments (those after id ``before``) as a submission would, each
    distinct text once; their alerts are written with their history."""
    found: dict[str, Analysis | None] = {}
    results = {}
    comments = session.scalars(select(Comment).where(Comment.id > before)).all()
    for comment in comments:
        if comment.text not in found:
            found[comment.text] = run_analysis(analyser, comment.text)
        result = results[comment] = found[comment.text]
        record_analysis(session, comment, result, fresh=True)  # the one way tags are written
    session.flush()
    return results


def _codes_waiting(session: Session, rng: random.Random,
                   written: Sequence[tuple[Case, list[Response], list[StaffUser]]],
                   versions: dict[str, QuestionnaireVersion], now: datetime,
                   used: set[str]) -> None:
    """Codes given to three children in the last few days that they have not used yet."""
    for case, _responses, people in [w for w in written if w[0].is_open][4:7]:
        issued = now - timedelta(hours=rng.randint(5, 70))
        version = versions[rng.choice(["how-are-things", "my-meeting"])]
        session.add(AccessCode(
            case=case, questionnaire_id=version.questionnaire_id,
            code_digest=codes.digest(history.new_code(rng, used)),
            response_key=f"{rng.getrandbits(128):032x}", created_by_id=people[0].id,
            created_at=issued, expires_at=issued + timedelta(days=7)))


def _answer_today(session: Session, case: Case, version: QuestionnaireVersion, text: str,
                  submitted_at: datetime) -> Response:
    """A child told us something worrying today (its alert is raised after analysis)."""
    response = Response(case=case, questionnaire_version=version, language="en",
                        submitted_at=submitted_at, submitted_on=submitted_at.date(),
                        idempotency_key=f"demo-today-{case.reference}")
    comment = Comment(question_key="not_good", language="en", text=text)
    response.comments.append(comment)
    response.answers.append(Answer(question_key="overall", value="2"))
    session.add(response)
    return response


def _session_event(session: Session, rng: random.Random, version: QuestionnaireVersion,
                   pool: dict[str, Any], lead: StaffUser, day: date, title: str,
                   count: int) -> None:
    # The session is over and nobody saw its code: "New code" on its page makes one.
    legacy_code = "FORUM" + "".join(rng.choices("2346789", k=3))
    event = ParticipationSession(title=title, join_code_digest=codes.digest(legacy_code),
                                 questionnaire=version.questionnaire, safeguarding_lead=lead,
                                 starts_on=day, ends_on=day, participant_count=count,
                                 device_count=count)
    session.add(event)
    for _ in range(count):
        response = Response(session=event, questionnaire_version=version, language="en",
                            submitted_on=day, age_band=rng.choice(list(AgeBand)),
                            idempotency_key=f"{rng.getrandbits(128):032x}")
        response.answers.append(Answer(question_key="feel_safe", value=str(rng.randint(2, 5))))
        response.comments.append(Comment(question_key="change_one_thing", language="en",
                                         text=rng.choice(pool["wishes"] + pool["worries"])))
        session.add(response)
