"""Property: a staff route answers only for objects in one of the worker's pods; else 404
and an audit event."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from apps import AuthActions
from feedback.extensions import db
from feedback.models import (
    Alert, AlertReason, AuditEvent, CaseRecordExport, PlanAction, Reply, Role, today,
)
from feedback.services import codes

#: Which kind of object each URL parameter names.
PARAMETERS = {"reference": "case", "response_id": "response", "comment_id": "comment",
              "alert_id": "alert", "action_id": "plan_action", "reply_id": "reply",
              "export_id": "export", "session_id": "session", "code_id": "access_code"}


def build_pod(create_pod, create_case, create_response, create_user, create_session, name):
    pod = create_pod(name)
    event = create_session(safeguarding_lead=create_user(Role.WORKER, pod))
    case = create_case(pod)
    response = create_response(case, f"a comment in {name}")
    comment = response.comments[0]
    objects = {"action": PlanAction(case=case, title="Do a thing", section="school"),
               "reply": Reply(case=case, comment=comment, text="We did it"),
               "export": CaseRecordExport(case=case, from_date=today(), to_date=today(),
                                          format="pdf"),
               "alert": Alert(case=case, comment=comment, reason=AlertReason.DETECTOR,
                              detail="test")}
    db.session.add_all(objects.values())
    code, _ = codes.create_access_code(db.session, case, event.questionnaire, None, 24)
    db.session.commit()
    return pod, {"access_code": code.id,
                 "case": case.reference, "response": response.id, "comment": comment.id,
                 "alert": objects["alert"].id, "plan_action": objects["action"].id,
                 "reply": objects["reply"].id, "export": objects["export"].id,
                 "session": event.id}


@pytest.fixture()
def world(create_pod, create_case, create_response, create_user, create_session):
    made = (create_pod, create_case, create_response, create_user, create_session)
    own_pod, own = build_pod(*made, "Own pod")
    _, other = build_pod(*made, "Other pod")
    people = {role: create_user(role, own_pod) for role in (Role.WORKER, Role.MANAGER)}
    return {"own": own, "other": other, "people": people}


def object_routes(app):
    """Every staff route that takes an object: (rule, method, kind of object, roles allowed)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and rule.arguments:
            [argument] = rule.arguments  # each route names exactly one object
            method = "GET" if "GET" in rule.methods else "POST"
            roles = getattr(app.view_functions[rule.endpoint], "required_roles",
                            frozenset({Role.WORKER, Role.MANAGER}))
            found.append((rule.rule, method, PARAMETERS[argument], roles))
    return sorted(found, key=lambda route: route[:2])


def denials() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "access.denied"))


def test_no_object_route_is_left_out(app):
    routes = object_routes(app)
    assert {kind for _, _, kind, _ in routes} == set(PARAMETERS.values())
    assert len(routes) >= 14


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_route_answers_only_inside_the_workers_pods(app, world, data):
    path, method, kind, roles = data.draw(st.sampled_from(object_routes(app)))
    role = data.draw(st.sampled_from([Role.WORKER, Role.MANAGER]))
    side = data.draw(st.sampled_from(["own", "other"]))
    url = re.sub(r"<[^>]+>", str(world[side][kind]), path)
    client = app.test_client()
    AuthActions(client).sign_in(world["people"][role].email)
    before = denials()
    response = client.open(url, method=method)
    if side == "own" and role in roles:
        assert response.status_code in (200, 302, 400), (url, method, response.status_code)
        assert denials() == before
    else:
        assert response.status_code == 404, (url, method)
        assert denials() == before + 1
        assert b"a comment in Other pod" not in response.data
