"""Schemathesis runs the API against its description, docs/api/openapi.yaml.

Every operation is called with inputs generated from the description — valid ones,
and ones that break it on purpose (a ``per_page`` past its maximum, an unknown
parameter, a crafted reference, another method) — and every answer goes through
every check Schemathesis has: no 5xx, only documented status codes, a body that
matches its schema, the documented content type and headers, bad input refused,
good input accepted, auth enforced, 405 with ``Allow`` for another method.

The app is the real one on the lane's database (SQLite, or PostgreSQL with
``DATABASE_URL``), holding a pod whose cases have responses, comments, themes, an
alert, a plan action and a reply, and a case in another pod the token must not see.
Generation is derandomized and keeps no example database, so a run is the same
every time and on every xdist worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import ApiToken, Role
from feedback.services import api_tokens

SPEC = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.yaml"
#: References the generator sometimes uses: cases of the token's pod, of another pod, none.
REFERENCES = ["CMS-1001", "CMS-1002", "CMS-9009", "NO-SUCH-CASE"]
CONFIG = SchemathesisConfig.from_dict({
    "generation": {"max-examples": 25, "deterministic": True, "database": "none"},
    "dictionaries": {"references": {"values": REFERENCES}},
    "parameters": {"path.reference": {"dictionary": "references", "probability": 0.5}},
})
load_all_checks()
#: All of them, not only the defaults.
EVERY_CHECK = CHECKS.get_all()

schema = schemathesis.openapi.from_path(SPEC, config=CONFIG)
#: The token the test is using: its fixture sets it, the auth provider hands it over.
presented: dict[str, str] = {}


@schema.auth(refresh_interval=None)  # a new token every test: never cached
class BearerToken:
    def get(self, case: Any, context: Any) -> str | None:
        return presented.get("token")

    def set(self, case: Any, data: str | None, context: Any) -> None:
        if data is not None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture()
def demo_pod(told_case, create_case, create_response, create_pod):
    """A pod's two cases (one told, one quiet) and a case in another pod."""
    create_case(pod=told_case.pod, reference="CMS-1002")
    create_case(pod=create_pod(), reference="CMS-9009")
    create_response(told_case, "football on saturdays")
    return told_case.pod


@pytest.fixture()
def token(demo_pod, create_user):
    _, plain = api_tokens.create(db.session, name="Case system", pods=[demo_pod], days=None,
                                 by=create_user(Role.ADMIN))
    db.session.commit()
    presented["token"] = plain
    yield plain
    presented.clear()


@pytest.fixture()
def revoked_token(token, create_user):
    api_tokens.revoke(db.session, db.session.scalar(select(ApiToken)),
                      by=create_user(Role.ADMIN))
    db.session.commit()
    return token


def call(case: Any, app: Any) -> Any:
    """Send the case to this test's app and run every check on the answer."""
    # The app is the test's own (a fresh database each test), so it is set here; the
    # schema's is what the auth checks use when they send the request again without it.
    case.operation.app = case.operation.schema.app = app
    return case.call_and_validate(checks=EVERY_CHECK)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_to_its_description(case, app, token):
    call(case, app)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=5)
def test_a_revoked_token_gets_the_documented_401(case, app, revoked_token):
    answer = call(case, app)
    if answer.request.method in ("GET", "HEAD"):
        assert answer.status_code == 401, answer.request.url
        assert answer.headers["www-authenticate"][0].startswith("Bearer")


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=5)
def test_no_token_gets_the_documented_401(case, app, demo_pod):
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    answer = call(case, app)
    if answer.request.method in ("GET", "HEAD"):
        assert answer.status_code == 401, answer.request.url


@pytest.mark.parametrize("since, told", [
    ("0001-01-01T00:00:00+23:59", True),  # before year 1 in UTC: was a 500
    ("9999-12-31T23:59:59-23:59", False),  # after 9999 in UTC: was a 500
    ("2000-01-01t10:00:00z", True),  # RFC 3339 lets both be lower case: was a 400
    ("2999-12-31T23:59:60Z", False),  # and has leap seconds: was a 400
])
def test_a_since_at_the_ends_of_time_is_answered(client, token, since, told):
    headers = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/responses", "/api/v1/cases/CMS-1001/responses"):
        answer = client.get(path, query_string={"since": since}, headers=headers)
        assert answer.status_code == 200
        assert bool(answer.get_json()["responses"]) is told


def test_another_method_is_a_json_405_naming_get(client, token):
    headers = {"Authorization": f"Bearer {token}"}
    for method in ("POST", "PUT", "DELETE", "TRACE", "QUERY"):
        answer = client.open("/api/v1/cases", method=method, headers=headers)
        assert answer.status_code == 405, method
        assert answer.headers["Allow"] == "GET, HEAD, OPTIONS"
        assert answer.get_json()["error"]["code"] == "method_not_allowed"
        assert "Set-Cookie" not in answer.headers
    assert client.post("/api/v1/nothing-here", headers=headers).status_code == 405
    assert client.get("/api/v1/nothing-here", headers=headers).status_code == 404
    options = client.options("/api/v1/cases", headers=headers)
    assert set(options.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_a_page_size_past_its_maximum_is_refused_not_cut(client, token):
    headers = {"Authorization": f"Bearer {token}"}
    for path in ("/api/v1/cases?per_page=201", "/api/v1/cases?page=0",
                 "/api/v1/responses?limit=201", "/api/v1/responses?limit=0"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 400, path
        assert answer.get_json()["error"]["code"] == "bad_request"
    assert client.get("/api/v1/cases?per_page=200", headers=headers).status_code == 200


def test_a_reference_no_case_can_have_is_a_404(client, token):
    """A NUL in the address was a 500 on PostgreSQL, which will not compare one."""
    headers = {"Authorization": f"Bearer {token}"}
    for reference in ("CMS%001001", "0" * 65, "%F0%9F%98%80", "CMS-1001%20"):
        for path in (f"/api/v1/cases/{reference}", f"/api/v1/cases/{reference}/responses"):
            answer = client.get(path, headers=headers)
            assert answer.status_code == 404, path
            assert answer.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/cases/CMS-1001", headers=headers).status_code == 200
