"""Crafted parameters get a friendly 400 or 404, never a 500, on SQLite and PostgreSQL.

Penetration test, issue 22: ids and page numbers past the database's integer
range, a search ending on the last day there is, an unknown breakdown, a line
break in ``next=`` and a file sent to the help page each answered 500.
"""

import io
import re

import pytest

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEvent, Role

#: Past PostgreSQL's integer (2^31), bigint (2^63) and any machine word, and a long one.
HUGE = (2**31, 2**63, 2**64 + 1, 10**40)
#: Every query argument a page reads (``request.args``), fuzzed on every GET page.
QUERY_ARGS = ("page", "response", "comment", "comment_id", "show", "breakdown", "period",
              "format", "next", "missing", "change", "code")
#: Who signs in to reach each blueprint's pages.
ROLE_OF = {"staff": Role.MANAGER, "board": Role.BOARD, "admin": Role.ADMIN}
#: The friendly error pages, or a form's page naming what is wrong (GOV.UK error summary).
FRIENDLY = ("Page not found", "Something went wrong with that request", "govuk-error-summary")


def routes(app, blueprint):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.endpoint.partition(".")[0] == blueprint), key=lambda r: r.rule)


def assert_friendly(response, *allowed):
    assert response.status_code < 500, (response.request.path, response.status_code)
    if response.status_code in (400, 404):
        assert any(title in response.get_data(as_text=True) for title in FRIENDLY)
    if allowed:
        assert response.status_code in allowed, (response.request.full_path,
                                                 response.status_code)


@pytest.fixture()
def world(app, create_user, create_pod, create_case, create_session):
    """A manager whose pod has a case, and a board session, so pages get past their lookups."""
    pod = create_pod()
    case = create_case(pod)
    event = create_session()
    app.config["SUPPRESSION_THRESHOLD"] = 0  # the session's quote page reads ``comment``
    users = {role: create_user(role, pod if role is Role.MANAGER else None) for role in Role}
    return {"case": case, "event": event, "users": users}


def fill(rule, world, number):
    values = {}
    for name in rule.arguments:
        if name == "reference":
            values[name] = world["case"].reference
        elif name == "tag":
            values[name] = "en"
        elif name == "session_id" and number is None:
            values[name] = world["event"].id
        else:
            values[name] = number if number is not None else 1
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)


@pytest.mark.parametrize("blueprint", ["child", "staff", "board", "admin"])
def test_huge_ids_in_addresses_are_pages_not_found(client, auth, world, blueprint):
    if blueprint in ROLE_OF:
        auth.sign_in(world["users"][ROLE_OF[blueprint]].email)
    numbered = [rule for rule in routes(client.application, blueprint)
                if re.search(r"<int:", rule.rule)]
    assert numbered or blueprint == "admin"
    for rule in numbered:
        for number in HUGE:
            path = fill(rule, world, number)
            for method in sorted(rule.methods & {"GET", "POST"}):
                assert_friendly(client.open(path, method=method), 404)


@pytest.mark.parametrize("blueprint", ["child", "staff", "board", "admin", "api"])
def test_a_control_character_in_any_address_is_a_page_not_found(
        client, auth, world, blueprint):
    """A NUL in a case reference was a 500 on PostgreSQL, which will not compare one."""
    if blueprint in ROLE_OF:
        auth.sign_in(world["users"][ROLE_OF[blueprint]].email)
    for rule in routes(client.application, blueprint):
        path = fill(rule, world, None)
        for crafted in (path + "%00", path.rstrip("/") + "/%01x", path.replace("/", "/%00", 1)):
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(crafted, method=method)
                assert response.status_code < 500, (crafted, method, response.status_code)
                if "%00" in crafted and crafted.startswith(path.rstrip("/")):
                    assert response.status_code in (401, 404, 405), (crafted, method)


def test_a_reference_longer_than_any_is_not_found_and_its_denial_audited(
        client, auth, world, make_token):
    """A reference past the audit's id column was a 500 on PostgreSQL (found by
    schemathesis): the denial's audit event could not be written."""
    long_one = "0" * 300
    auth.sign_in(world["users"][Role.MANAGER].email)
    for rule in routes(client.application, "staff"):
        if "<reference>" in rule.rule and "GET" in rule.methods:
            path = re.sub(r"<(?:\w+:)?reference>", long_one, fill(rule, world, None).replace(
                world["case"].reference, "<reference>"))
            assert_friendly(client.get(path), 404)
    token = make_token(world["case"].pod)
    answer = client.get(f"/api/v1/cases/{long_one}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 404
    [denied] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.denied")
                                  .where(AuditEvent.actor_kind == "api")).all()
    assert denied.object_id == "0" * 79 + "…"


@pytest.mark.parametrize("blueprint", ["child", "staff", "board", "admin"])
def test_huge_numbers_in_query_arguments_never_fail(client, auth, world, blueprint):
    if blueprint in ROLE_OF:
        auth.sign_in(world["users"][ROLE_OF[blueprint]].email)
    for rule in routes(client.application, blueprint):
        if "GET" not in rule.methods:
            continue
        path = fill(rule, world, None)
        for name in QUERY_ARGS:
            for number in (2**31, 2**64 + 1, -(2**63) - 1):  # past integer, bigint, both ways
                assert_friendly(client.get(path, query_string={name: str(number)}))


def test_unicode_digits_are_not_ids(client, auth, world):
    auth.sign_in(world["users"][Role.MANAGER].email)
    case = world["case"].reference
    for value in ("²", "١٢", "1e9"):
        assert_friendly(client.get(f"/staff/cases/{case}/plan",
                                   query_string={"comment_id": value}), 200, 404)
        assert_friendly(client.get(f"/staff/cases/{case}",
                                   query_string={"page": value}), 200, 404)


@pytest.mark.parametrize("path", ["/staff/audit", "/admin/audit"])
def test_an_audit_search_ending_on_the_last_day_there_is(client, auth, world, path):
    role = Role.MANAGER if path.startswith("/staff") else Role.ADMIN
    auth.sign_in(world["users"][role].email)
    response = client.get(path, query_string={"start": "0001-01-01", "end": "9999-12-31"})
    assert_friendly(response, 200)


def test_a_case_record_ending_on_the_last_day_there_is(client, auth, world):
    auth.sign_in(world["users"][Role.MANAGER].email)
    response = client.post(f"/staff/cases/{world['case'].reference}/export",
                           data={"from_date": "9999-12-31", "to_date": "9999-12-31",
                                 "format": "json"})
    assert_friendly(response, 200)


def test_an_unknown_breakdown_is_a_bad_request(client, auth, world):
    auth.sign_in(world["users"][Role.BOARD].email)
    response = client.get("/board/", query_string={"breakdown": "nonsense"})
    assert_friendly(response, 400)
    assert "Choose a breakdown from the list" in response.get_data(as_text=True)
    assert_friendly(client.get("/board/", query_string={"breakdown": "pod"}), 200)


@pytest.mark.parametrize("value", ["/\n/evil.example", "/check\r\nSet-Cookie: x=y",
                                   "/%0a/evil.example", "\n"])
def test_a_line_break_in_next_goes_to_the_start(client, value):
    response = client.get("/language/cy", query_string={"next": value})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_file_sent_to_the_help_page(client):
    response = client.post("/help", data={"message": (io.BytesIO(b"%PDF-1.4 words"), "a.pdf"),
                                          "journey": (io.BytesIO(b"x"), "b.txt")},
                           content_type="multipart/form-data")
    assert_friendly(response, 400)
