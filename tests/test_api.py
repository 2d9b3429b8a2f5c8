"""The read-only API: a pod's token reads its pod's cases, and nothing else.

Every response a test gets from ``/api/v1`` is checked against the OpenAPI
description in docs/api/openapi.yaml (``read``), errors included.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import ApiToken, AuditEvent, Outcome, Response, Role, today, utcnow
from feedback.services import api_tokens, audit_trail

SPEC = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.yaml"


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC))  # also checks the description itself


@pytest.fixture()
def read(client, openapi):
    """GET an API address with a token; fail unless the answer matches the description."""

    def get(path: str, token: str | None = None, **headers: str):
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = client.get(path, headers=headers)
        openapi.validate_response(WerkzeugOpenAPIRequest(response.request),
                                  WerkzeugOpenAPIResponse(response))
        return response

    return get


def test_a_pods_token_reads_its_cases_in_words(read, make_token, told_case):
    token = make_token(told_case.pod)
    listed = read("/api/v1/cases", token).get_json()
    assert [c["reference"] for c in listed["cases"]] == ["CMS-1001"]
    record = read("/api/v1/cases/CMS-1001/responses", token).get_json()
    response, = record["responses"]
    assert {a["label"] for a in response["answers"]} == {"Very sad", "A bit"}
    school, nan = response["comments"]
    assert school["themes"][0]["label"] == "School and learning"
    assert [a["reason"] for a in nan["safeguarding"]["alerts"]] == ["detector"]
    assert school["safeguarding"] == {"flagged": True, "alerts": []}  # sent with nan's
    assert nan["plan_action_ids"] == [record["plan_actions"][0]["id"]]
    assert nan["replies"][0]["text"] == "We have set up visits"
    assert read("/api/v1/cases/CMS-1001", token).get_json()["pod"] == told_case.pod.name


def test_a_case_of_another_pod_does_not_exist_for_the_token(read, make_token, told_case,
                                                            create_case, create_pod):
    token = make_token(create_pod())
    assert read("/api/v1/cases", token).get_json()["cases"] == []
    for path in ("/api/v1/cases/CMS-1001", "/api/v1/cases/CMS-1001/responses",
                 "/api/v1/cases/NO-SUCH-CASE"):
        answer = read(path, token)
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"
    assert read("/api/v1/responses", token).get_json()["responses"] == []


def test_a_token_for_two_pods_reads_both(read, make_token, told_case, create_case, create_pod):
    other = create_case(reference="CMS-2002")
    create_case(reference="CMS-3003")
    token = make_token(told_case.pod, other.pod)
    listed = read("/api/v1/cases", token).get_json()
    assert [c["reference"] for c in listed["cases"]] == ["CMS-1001", "CMS-2002"]


def test_no_token_or_a_wrong_one_is_refused(read, make_token, told_case):
    make_token(told_case.pod)
    for token in (None, "votc_not-a-token", "", "something-else"):
        answer = read("/api/v1/cases/CMS-1001/responses", token)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        assert answer.get_json()["error"]["code"] == "unauthorized"


def test_a_token_in_the_query_string_is_not_accepted(client, make_token, told_case):
    token = make_token(told_case.pod)
    assert client.get(f"/api/v1/cases?access_token={token}").status_code == 401


def test_a_revoked_token_is_refused_and_the_attempt_audited(read, make_token, told_case,
                                                            create_user):
    token = make_token(told_case.pod)
    assert read("/api/v1/cases", token).status_code == 200
    row = db.session.scalar(select(ApiToken))
    api_tokens.revoke(db.session, row, by=create_user(Role.ADMIN))
    db.session.commit()
    assert read("/api/v1/cases", token).status_code == 401
    refused = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api.refused"))
    assert refused.outcome == Outcome.DENIED and refused.detail["reason"] == "revoked"


def test_an_expired_token_is_refused(read, make_token, told_case):
    token = make_token(told_case.pod, days=90)
    assert read("/api/v1/cases", token).status_code == 200
    with time_machine.travel(utcnow() + timedelta(days=91)):
        assert read("/api/v1/cases", token).status_code == 401


def test_every_read_is_audited_and_noted_as_the_tokens_last_use(read, make_token, told_case):
    token = make_token(told_case.pod)
    read("/api/v1/cases/CMS-1001/responses", token)
    read("/api/v1/responses", token)
    (first, _), (second, _) = audit_trail.reads_of_case(db.session, told_case)
    row = db.session.scalar(select(ApiToken))
    db.session.refresh(row)
    assert {first.actor_kind, second.actor_kind} == {"api"}
    assert first.detail["token"] == row.id and first.detail["responses"]
    assert row.last_used_at is not None


def test_anonymous_session_responses_never_leave(read, make_token, told_case, create_session,
                                                 builtin_questionnaires):
    event = create_session()
    db.session.add(Response(session=event, language="en", submitted_on=today(),
                            questionnaire_version=builtin_questionnaires["board-session"],
                            idempotency_key="anonymous-1"))
    db.session.commit()
    token = make_token(told_case.pod, event.safeguarding_lead.pod)
    feed = read("/api/v1/responses", token).get_json()
    assert {r["case_reference"] for r in feed["responses"]} == {"CMS-1001"}


def test_responses_come_a_page_at_a_time_in_arrival_order(read, make_token, told_case,
                                                          create_response):
    later = [create_response(told_case, f"note {n}").id for n in range(3)]
    token = make_token(told_case.pod)
    first = read("/api/v1/responses?limit=2", token).get_json()
    second = read(f"/api/v1/responses?limit=2&after={first['next_after']}", token).get_json()
    ids = [r["id"] for r in first["responses"] + second["responses"]]
    assert ids[1:] == later and second["next_after"] is None


def test_since_keeps_to_newer_responses_and_a_bad_one_is_a_400(read, make_token, told_case):
    token = make_token(told_case.pod)
    path = "/api/v1/cases/CMS-1001/responses"
    assert read(f"{path}?since=2000-01-01", token).get_json()["responses"]
    assert read(f"{path}?since=2999-01-01T00:00:00Z", token).get_json()["responses"] == []
    assert read(f"{path}?since=yesterday", token).status_code == 400
    assert read("/api/v1/cases?page=x", token).status_code == 400


def test_too_many_requests_are_refused_as_json(read, app_factory, make_token, told_case,
                                               openapi):
    token = make_token(told_case.pod)
    limited = app_factory(API_RATE_LIMIT="2 per minute").test_client()
    answers = [limited.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
               for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].get_json()["error"]["code"] == "too_many_requests"
    openapi.validate_response(WerkzeugOpenAPIRequest(answers[-1].request),
                              WerkzeugOpenAPIResponse(answers[-1]))


def test_the_api_sets_no_cookie_and_ignores_a_staff_session(auth, client, create_user,
                                                            told_case):
    auth.sign_in(create_user(Role.MANAGER, told_case.pod).email)
    answer = client.get("/api/v1/cases")
    assert answer.status_code == 401 and "Set-Cookie" not in answer.headers


def test_other_addresses_and_methods_under_the_api_answer_json(client, make_token, told_case):
    token = make_token(told_case.pod)
    headers = {"Authorization": f"Bearer {token}"}
    missing = client.get("/api/v1/nothing-here", headers=headers)
    assert missing.status_code == 404 and missing.is_json
    posted = client.post("/api/v1/cases", headers=headers)  # the API only reads
    assert posted.status_code == 405 and posted.is_json and posted.headers["Allow"]
