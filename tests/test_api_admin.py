"""An administrator makes, lists and revokes the API's tokens in the web pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import ApiToken, AuditEvent, Role


def _token_on(page: str) -> str:
    found = re.search(r'data-testid="api-token">(votc_[A-Za-z0-9_-]+)<', page)
    assert found, "the page shows no new token"
    return found.group(1)


def test_an_administrator_makes_a_token_that_is_shown_once(auth, client, create_user,
                                                           create_case):
    case = create_case(reference="CMS-7")
    auth.sign_in(create_user(Role.ADMIN).email)
    made = client.post("/admin/api-tokens", data={"name": "Case system", "pods": [case.pod.id],
                                                  "days": "90"})
    token = _token_on(made.get_data(as_text=True))
    assert token not in client.get("/admin/api-tokens").get_data(as_text=True)
    reading = client.get("/api/v1/cases/CMS-7", headers={"Authorization": f"Bearer {token}"})
    assert reading.status_code == 200
    row = db.session.scalar(select(ApiToken))
    assert row.token_digest != token and token not in row.hint + row.token_digest
    created = db.session.scalar(select(AuditEvent)
                                .where(AuditEvent.action == "api_token.create"))
    assert created.object_id == str(row.id) and created.detail["pods"] == [case.pod.id]


def test_a_revoked_token_stops_at_once(auth, client, create_user, create_case):
    case = create_case(reference="CMS-8")
    auth.sign_in(create_user(Role.ADMIN).email)
    token = _token_on(client.post("/admin/api-tokens", data={
        "name": "Case system", "pods": [case.pod.id], "days": ""}).get_data(as_text=True))
    row = db.session.scalar(select(ApiToken))
    page = client.post(f"/admin/api-tokens/{row.id}/revoke", follow_redirects=True)
    assert "Revoked on" in page.get_data(as_text=True)
    refused = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"api_token.create", "api_token.revoke", "api.refused"} <= set(actions)


def test_a_token_needs_a_name_and_a_pod(auth, client, create_user):
    auth.sign_in(create_user(Role.ADMIN).email)
    refused = client.post("/admin/api-tokens", data={"name": "", "days": "90"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Enter what will use the token" in page and "Choose at least one pod" in page
    assert db.session.scalar(select(ApiToken)) is None


def test_only_administrators_see_the_tokens_page(auth, client, create_user):
    auth.sign_in(create_user(Role.MANAGER).email)
    assert client.get("/admin/api-tokens").status_code == 404
