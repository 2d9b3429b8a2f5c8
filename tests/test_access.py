"""One access rule: a pod's cases are for its workers and managers; everything else is 404."""

import re

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import AuditEvent, Outcome, Role
from feedback.web.security import is_public_endpoint


@pytest.fixture()
def two_pods(create_pod, create_user, create_case, create_response):
    pod_a, pod_b = create_pod("Pod A"), create_pod("Pod B")
    case_a, case_b = create_case(pod_a), create_case(pod_b)
    create_response(case_a, "i like my new school")
    create_response(case_b, "my nan takes me swimming")
    return {"worker_a": create_user(Role.WORKER, pod_a), "case_a": case_a, "case_b": case_b,
            "pod_a": pod_a, "pod_b": pod_b}


def denials() -> list[tuple]:
    return db.session.execute(select(AuditEvent.object_type, AuditEvent.object_id,
                                     AuditEvent.outcome)
                              .where(AuditEvent.action == "access.denied")).all()


def test_a_worker_reads_their_own_pods_case(auth, client, two_pods):
    auth.sign_in(two_pods["worker_a"].email)
    response = client.get(f"/staff/cases/{two_pods['case_a'].reference}")
    assert response.status_code == 200
    assert b"i like my new school" in response.data


def test_another_pods_case_is_404_and_the_denial_is_audited_once(auth, client, two_pods):
    auth.sign_in(two_pods["worker_a"].email)
    other = two_pods["case_b"].reference
    response = client.get(f"/staff/cases/{other}")
    assert response.status_code == 404
    assert b"my nan takes me swimming" not in response.data
    assert denials() == [("case", other, Outcome.DENIED)]


def test_out_of_scope_looks_exactly_like_missing(auth, client, two_pods):
    auth.sign_in(two_pods["worker_a"].email)
    out_of_scope = client.get(f"/staff/cases/{two_pods['case_b'].reference}")
    missing = client.get("/staff/cases/NO-SUCH-CASE")
    strip = lambda r: r.data.replace(r.headers["X-Request-ID"].encode(), b"")  # noqa: E731
    assert out_of_scope.status_code == missing.status_code == 404
    assert strip(out_of_scope) == strip(missing)


def test_a_manager_given_a_second_pod_sees_both(auth, client, two_pods, create_user):
    manager = create_user(Role.MANAGER, two_pods["pod_a"])
    manager.extra_pods.append(two_pods["pod_b"])
    db.session.commit()
    auth.sign_in(manager.email)
    assert client.get(f"/staff/cases/{two_pods['case_b'].reference}").status_code == 200


def test_a_worker_cannot_use_extra_pods_even_if_listed(auth, client, two_pods):
    worker = two_pods["worker_a"]
    worker.extra_pods.append(two_pods["pod_b"])  # only managers may oversee several pods
    db.session.commit()
    auth.sign_in(worker.email)
    assert client.get(f"/staff/cases/{two_pods['case_b'].reference}").status_code == 404


@pytest.mark.parametrize("role", [Role.BOARD, Role.ADMIN])
def test_board_and_admin_never_see_a_case(auth, client, two_pods, create_user, role):
    auth.sign_in(create_user(role).email)
    for case in (two_pods["case_a"], two_pods["case_b"]):
        response = client.get(f"/staff/cases/{case.reference}")
        assert response.status_code == 404
        assert b"i like my new school" not in response.data
    assert len(denials()) == 2


def test_every_staff_page_needs_sign_in(app, client):
    """Deny by default: enumerate the URL map rather than trusting a list."""
    checked = 0
    for rule in app.url_map.iter_rules():
        if is_public_endpoint(app, rule.endpoint):
            continue
        url = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            assert response.status_code == 302, (rule.rule, method)
            assert "/staff/sign-in" in response.headers["Location"]
            checked += 1
    assert checked >= 4


def test_public_pages_are_only_the_childs_sign_in_and_probes(app):
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if is_public_endpoint(app, rule.endpoint)}
    assert {e for e in public if not e.startswith("child.")} == {
        "static", "health.healthz", "health.readyz", "auth.sign_in", "auth.sign_out",
        # The steps of signing in (each checks the half-finished sign-in itself).
        "auth.enter_code", "auth.enrol_app",
        # Single sign-on: off to the council's provider and back (state checked there).
        "auth.sign_in_with_council", "auth.council_callback",
        # A passkey as the second factor (each checks the half-finished sign-in).
        "auth.sign_in_with_passkey", "auth.passkey_sign_in_options", "auth.check_passkey",
        # An invitation's link: the view checks its single-use token.
        "auth.accept_invitation"} | API_ENDPOINTS


#: The case-management system's API: no sign-in cookie, a bearer token on every request.
API_ENDPOINTS = {"api.list_cases", "api.view_case", "api.case_responses",
                 "api.list_responses", "api.no_such_address"}


def test_every_api_page_refuses_a_request_without_a_token(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in API_ENDPOINTS:
            path = rule.rule.replace("<reference>", "CASE-1")
            response = client.get(path)
            assert response.status_code == 401, (rule.endpoint, response.status_code)
            assert response.is_json


def test_board_pages_refuse_workers_as_missing(auth, client, two_pods):
    auth.sign_in(two_pods["worker_a"].email)
    assert client.get("/board/").status_code == 404
    assert client.get("/admin/").status_code == 404
    count = db.session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "access.denied"))
    assert count == 2
