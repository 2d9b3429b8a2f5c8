"""A realistic demo: two pods, their staff, twenty cases and a year of children's views.

The comments are invented for this project (``comments.json``).
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import (
    ActionStatus, AgeBand, Alert, AlertReason, AlertState, Answer, Case, Comment, CommentLink,
    ParticipationSession, PlanAction, Pod, QuestionnaireVersion, Reply, Response, Role,
    StaffUser, utcnow,
)
from feedback.services import accounts, codes, questionnaires
from feedback.services.analysis import CommentAnalyser, analyse_comment

#: Every demo account signs in with this password (the demo is for trying out only).
DEMO_PASSWORD = "demo-password-2026"
DEMO_DOMAIN = "demo.example"


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
    people = [("admin", "Ali Admin", Role.ADMIN, None), ("board", "Bea Board", Role.BOARD, None)]
    for pod, (worker, manager) in zip(pods, [("Sam Walker", "Morgan Price"),
                                             ("Priya Shah", "Dylan Evans"),
                                             ("Dee Okafor", "Rhys Morgan")]):
        tag = pod.name.split()[0].lower()
        people += [(f"worker.{tag}", worker, Role.WORKER, pod),
                   (f"manager.{tag}", manager, Role.MANAGER, pod)]
    sign_ins = []
    for local, name, role, pod in people:
        accounts.create_staff(session, email=f"{local}@{DEMO_DOMAIN}", name=name, role=role,
                              password=DEMO_PASSWORD, pod=pod)
        sign_ins.append(DemoSignIn(f"{local}@{DEMO_DOMAIN}", role.value,
                                   pod.name if pod else ""))
    return sign_ins


def build_demo(session: Session, analyser: CommentAnalyser, seed: int = 7,
               today: date | None = None) -> list[DemoSignIn]:
    """Fill an empty database with demo data, every comment analysed; return the sign-ins."""
    rng = random.Random(seed)
    today = today or utcnow().date()
    questionnaires.install_builtin(session)
    versions = {v.questionnaire.slug: v for v in questionnaires.current_versions(session)}
    pods = [Pod(name="North pod", email=f"north.pod@{DEMO_DOMAIN}"),
            Pod(name="South pod", email=f"south.pod@{DEMO_DOMAIN}")]
    duty = Pod(name="Front door duty team", email=f"front.door@{DEMO_DOMAIN}",
               is_duty_team=True)
    session.add_all([*pods, duty])
    session.flush()
    sign_ins = _staff(session, [*pods, duty])
    workers = {p.id: session.scalar(select(StaffUser).where(StaffUser.pod_id == p.id,
                                                            StaffUser.role == Role.WORKER))
               for p in pods}
    pool = _load_comments()
    languages = ["en"] * 17 + ["cy", "pl", "ar"]
    for n in range(20):
        case = Case(reference=f"P{104200 + n * 17}", pod=pods[n % 2],
                    display_name=rng.choice(["", "J", "Amir", "Kacper", "Leah", "T.M.", "Ffion"])
                    or None,
                    preferred_language=languages[n])
        session.add(case)
        session.flush()
        _case_history(session, rng, case, versions, pool, workers[case.pod_id], today)
        if n < 4:  # a few children told us something worrying today: unacknowledged alerts
            _recent_disclosure(session, case, versions["how-are-things"],
                               pool["disclosures"][n], hours_ago=1 + n * 2)
    _session_event(session, rng, versions["board-session"], pool, workers[pods[0].id], today)
    session.flush()
    for comment in session.scalars(select(Comment)):
        # The demo's alerts are written above, with their history; here only themes.
        analyse_comment(session, comment, analyser, case=None, event=None, mail=None,
                        raise_alerts=False)
    return sign_ins


def _when(rng: random.Random, today: date, days_ago: int) -> datetime:
    day = today - timedelta(days=days_ago)
    return datetime.combine(day, time(rng.randint(8, 20), rng.randint(0, 59)), tzinfo=UTC)


def _case_history(session: Session, rng: random.Random, case: Case,
                  versions: dict[str, QuestionnaireVersion], pool: dict[str, Any],
                  worker: StaffUser, today: date) -> None:
    # Some cases drift: nothing heard for months.
    last = rng.choice([3, 10, 20, 35, 90, 150])
    count = rng.randint(5, 14)
    for days_ago in sorted({last + rng.randint(0, 330) for _ in range(count)} | {last}):
        submitted_at = _when(rng, today, days_ago)
        version = versions[rng.choice(["how-are-things", "my-meeting", "three-houses"])]
        response = Response(case=case, questionnaire_version=version,
                            language=case.preferred_language, submitted_at=submitted_at,
                            submitted_on=submitted_at.date(),
                            idempotency_key=secrets.token_hex(16))
        session.add(response)
        _answers(session, rng, response, version, pool, case.preferred_language)
        session.flush()
        for comment in response.comments:
            _follow_up(session, rng, case, comment, worker, submitted_at, days_ago,
                       frozenset(pool["disclosures"]))


def _pick_text(rng: random.Random, pool: dict[str, Any], kind: str, language: str) -> str:
    if language != "en" and rng.random() < 0.7:
        texts = [c["text"] for c in pool["other_languages"] if c["lang"] == language]
        if texts:
            return str(rng.choice(texts))
    if rng.random() < 0.02:
        return str(rng.choice(pool["disclosures"]))
    return str(rng.choice(pool[kind]))


def _answers(session: Session, rng: random.Random, response: Response,
             version: QuestionnaireVersion, pool: dict[str, Any], language: str) -> None:
    kinds = {"worries": "worries", "not_good": "worries", "want_to_happen": "wishes",
             "who_there": "wishes", "tell_chair": "wishes", "dreams": "wishes"}
    for question in version.definition["questions"]:
        key, kind = question["key"], question["type"]
        if kind == "faces":
            response.answers.append(Answer(question_key=key, value=str(rng.randint(1, 5))))
        elif kind == "choice":
            value = rng.choice(question["options"])["value"]
            response.answers.append(Answer(question_key=key, value=value))
        elif kind == "text" and rng.random() < 0.6:
            response.comments.append(Comment(question_key=key, language=language,
                                             text=_pick_text(rng, pool, kinds.get(key, "good"),
                                                             language)))
        elif kind == "three_houses":
            for house in question["houses"]:
                text = _pick_text(rng, pool, kinds.get(house["key"], house["key"].replace(
                    "good_things", "good")), language)
                response.comments.append(Comment(question_key=f"{key}.{house['key']}",
                                                 language=language, text=text))


def _follow_up(session: Session, rng: random.Random, case: Case, comment: Comment,
               worker: StaffUser, submitted_at: datetime, days_ago: int,
               disclosures: frozenset[str]) -> None:
    """Read, alert, link and reply the way a busy team would have."""
    if days_ago > 10 or rng.random() < 0.3:
        comment.read_at = submitted_at + timedelta(hours=rng.randint(1, 60))
        comment.read_by_id = worker.id
    if comment.text in disclosures:
        alert = Alert(case=case, comment=comment, reason=AlertReason.DETECTOR,
                      detail="possible disclosure", created_at=submitted_at)
        if days_ago > 2:
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_at = submitted_at + timedelta(hours=rng.randint(1, 3))
            alert.acknowledged_by_id = worker.id
            alert.action_taken = "spoke_to_child"
            alert.action_note = "Visited the same day and agreed a safety plan."
        session.add(alert)
    elif comment.read_at is not None and rng.random() < 0.3:
        action = PlanAction(case=case, title=rng.choice(
            ["Arrange extra family time", "Talk to school about support",
             "Find a local club", "Explain the review decisions"]),
            section=rng.choice(["family", "school", "activities", "being_heard"]),
            owner=worker.name, due_on=(submitted_at + timedelta(days=28)).date(),
            status=rng.choice(list(ActionStatus)), created_by_id=worker.id,
            created_at=comment.read_at)
        session.add(action)
        session.flush()
        session.add(CommentLink(comment=comment, plan_action=action, created_by_id=worker.id))
        if rng.random() < 0.6:
            shared = comment.read_at + timedelta(days=rng.randint(1, 10))
            session.add(Reply(case=case, comment=comment, plan_action=action,
                              text="We talked about this and have put it in your plan.",
                              is_shared_with_child=True, shared_at=shared,
                              created_by_id=worker.id, created_at=shared))


def _recent_disclosure(session: Session, case: Case, version: QuestionnaireVersion, text: str,
                       hours_ago: int) -> None:
    submitted_at = utcnow() - timedelta(hours=hours_ago)
    response = Response(case=case, questionnaire_version=version, language="en",
                        submitted_at=submitted_at, submitted_on=submitted_at.date(),
                        idempotency_key=secrets.token_hex(16))
    comment = Comment(question_key="not_good", language="en", text=text)
    response.comments.append(comment)
    response.answers.append(Answer(question_key="overall", value="2"))
    session.add(response)
    session.add(Alert(case=case, comment=comment, response=response,
                      reason=AlertReason.DETECTOR, detail="describes being hit or hurt by someone",
                      created_at=submitted_at))


def _session_event(session: Session, rng: random.Random, version: QuestionnaireVersion,
                   pool: dict[str, Any], lead: StaffUser, today: date) -> None:
    day = today - timedelta(days=60)
    # The session is over and nobody saw its code: "New code" on its page makes one.
    # The draw stays as it was, so the rest of the demo is the same data as before.
    legacy_code = "FORUM" + "".join(rng.choices("2346789", k=3))
    event = ParticipationSession(title="Young people's safeguarding forum",
                                 join_code_digest=codes.digest(legacy_code),
                                 questionnaire=version.questionnaire, safeguarding_lead=lead,
                                 starts_on=day, ends_on=day, participant_count=24,
                                 device_count=24)
    session.add(event)
    for _ in range(24):
        response = Response(session=event, questionnaire_version=version, language="en",
                            submitted_on=day, age_band=rng.choice(list(AgeBand)),
                            idempotency_key=secrets.token_hex(16))
        response.answers.append(Answer(question_key="feel_safe", value=str(rng.randint(2, 5))))
        response.comments.append(Comment(question_key="change_one_thing", language="en",
                                         text=rng.choice(pool["wishes"] + pool["worries"])))
        session.add(response)
