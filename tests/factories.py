"""Factories as fixtures: each builds a valid object with good defaults."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from flask import Flask

from feedback.extensions import db
from feedback.models import (
    Alert, AlertReason, Answer, Case, Comment, CommentLink, ParticipationSession, PlanAction,
    Pod, QuestionnaireVersion, Reply, Response, Role, StaffUser, TagOrigin, TagStatus, ThemeTag,
    today, utcnow,
)
from feedback.services import accounts, api_tokens, codes, questionnaires

PASSWORD = "correct-horse-battery"
#: A small questionnaire in English and Welsh, for the administrator's upload tests.
CLUB = {
    "slug": "youth-club",
    "title": {"en": "Youth club", "cy": "Clwb ieuenctid"},
    "questions": [
        {"key": "feel", "type": "faces", "text": {"en": "How do you feel at the club?",
                                                  "cy": "Sut wyt ti'n teimlo yn y clwb?"}},
        {"key": "say", "type": "text", "optional": True,
         "text": {"en": "Anything else?", "cy": "Unrhyw beth arall?"}},
    ],
}
_counter = itertools.count(1)


@pytest.fixture()
def create_pod(app: Flask) -> Callable[..., Pod]:
    def create(name: str | None = None, email: str | None = None) -> Pod:
        pod = Pod(name=name or f"Pod {next(_counter)}", email=email)
        db.session.add(pod)
        db.session.commit()
        return pod

    return create


@pytest.fixture()
def create_user(app: Flask, create_pod: Callable[..., Pod]) -> Callable[..., StaffUser]:
    def create(role: Role = Role.WORKER, pod: Pod | None = None, email: str | None = None,
               name: str = "Test Person", password: str = PASSWORD) -> StaffUser:
        if pod is None and role in (Role.WORKER, Role.MANAGER):
            pod = create_pod()
        email = email or f"user{next(_counter)}@test.example"
        user = accounts.create_staff(db.session, email=email, name=name, role=role,
                                     password=password, pod=pod)
        db.session.commit()
        return user

    return create


@pytest.fixture()
def builtin_questionnaires(app: Flask) -> dict[str, QuestionnaireVersion]:
    questionnaires.install_builtin(db.session)
    db.session.commit()
    return {v.questionnaire.slug: v for v in questionnaires.current_versions(db.session)}


@pytest.fixture()
def create_case(app: Flask, create_pod: Callable[..., Pod]) -> Callable[..., Case]:
    def create(pod: Pod | None = None, reference: str | None = None,
               language: str = "en") -> Case:
        case = Case(reference=reference or f"REF{next(_counter):05d}",
                    pod=pod or create_pod(), preferred_language=language)
        db.session.add(case)
        db.session.commit()
        return case

    return create


@pytest.fixture()
def create_response(app: Flask, builtin_questionnaires: dict[str, QuestionnaireVersion]
                    ) -> Callable[..., Response]:
    """Store a case response with one comment per text given."""

    def create(case: Case, *texts: str, submitted_at: datetime | None = None,
               slug: str = "how-are-things") -> Response:
        submitted_at = submitted_at or utcnow()
        response = Response(case=case, questionnaire_version=builtin_questionnaires[slug],
                            language=case.preferred_language, submitted_at=submitted_at,
                            submitted_on=submitted_at.date(),
                            idempotency_key=secrets.token_hex(16))
        for n, text in enumerate(texts or ("things are fine",)):
            response.comments.append(Comment(question_key=f"q{n}", text=text,
                                             language=case.preferred_language))
        db.session.add(response)
        db.session.commit()
        return response

    return create


@pytest.fixture()
def create_access_code(app: Flask, builtin_questionnaires: dict[str, QuestionnaireVersion]
                       ) -> Callable[..., str]:
    """Return a fresh plain code for the case."""

    def create(case: Case, slug: str = "how-are-things", hours: int = 4) -> str:
        questionnaire = builtin_questionnaires[slug].questionnaire
        _, plain = codes.create_access_code(db.session, case, questionnaire, None, hours)
        db.session.commit()
        return plain

    return create


@pytest.fixture()
def create_session(app: Flask, create_user: Callable[..., StaffUser],
                   builtin_questionnaires: dict[str, QuestionnaireVersion]
                   ) -> Callable[..., ParticipationSession]:
    def create(slug: str = "board-session", starts: date | None = None,
               days: int = 1, safeguarding_lead: StaffUser | None = None
               ) -> ParticipationSession:
        starts = starts or today()
        code = codes.new_join_code(db.session)
        event = ParticipationSession(
            title="Young people's forum", join_code_digest=codes.digest(code),
            questionnaire=builtin_questionnaires[slug].questionnaire,
            safeguarding_lead=safeguarding_lead or create_user(Role.WORKER), starts_on=starts,
            ends_on=starts + timedelta(days=days))
        db.session.add(event)
        db.session.commit()
        # The plain code, as the board is shown it once: on this object only, never
        # stored (the table holds its digest), so tests can type it as a child would.
        event.join_code = code
        return event

    return create


@pytest.fixture()
def create_alert(app: Flask) -> Callable[..., Alert]:
    def create(comment: Comment, reason: AlertReason = AlertReason.DETECTOR,
               age: timedelta = timedelta(0)) -> Alert:
        alert = Alert(case_id=comment.response.case_id, comment=comment, reason=reason,
                      detail="test", created_at=utcnow() - age)
        db.session.add(alert)
        db.session.commit()
        return alert

    return create


@pytest.fixture()
def told_case(create_case: Callable[..., Case], create_response: Callable[..., Response],
              create_user: Callable[..., StaffUser]) -> Case:
    """A case whose child answered, wrote two comments, and was answered in their plan."""
    case = create_case(reference="CMS-1001")
    response = create_response(case, "school is hard", "i want to see my nan more")
    worker = create_user(Role.WORKER, case.pod)
    response.answers += [Answer(question_key="overall", value="1"),
                         Answer(question_key="listened", value="a_bit")]
    first, second = response.comments
    db.session.add(ThemeTag(comment=first, theme="school", origin=TagOrigin.WORKER,
                            status=TagStatus.CONFIRMED, decided_by_id=worker.id,
                            decided_at=utcnow()))
    db.session.add(ThemeTag(comment=second, theme="family", origin=TagOrigin.AUTO,
                            status=TagStatus.SUGGESTED, confidence=0.8))
    db.session.add(Alert(case_id=case.id, response_id=response.id, comment=second,
                         reason=AlertReason.DETECTOR, detail="test"))
    action = PlanAction(case=case, title="Visits to nan every fortnight", section="family",
                        due_on=today(), created_by_id=worker.id)
    db.session.add(action)
    db.session.flush()
    db.session.add(CommentLink(comment_id=second.id, plan_action_id=action.id,
                               created_by_id=worker.id))
    db.session.add(Reply(case_id=case.id, comment_id=second.id, plan_action_id=action.id,
                         text="We have set up visits", created_by_id=worker.id,
                         is_shared_with_child=True, shared_at=utcnow()))
    db.session.commit()
    return case


@pytest.fixture()
def make_token(app: Flask, create_user: Callable[..., StaffUser]) -> Callable[..., str]:
    def make(*pods, days: int | None = None) -> str:
        admin = create_user(Role.ADMIN)
        _, plain = api_tokens.create(db.session, name="Case system", pods=list(pods), days=days,
                                     by=admin)
        db.session.commit()
        return plain

    return make
