"""Audit: every read of a child's words is recorded, searchable, and exportable for subject
access."""

import json

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEvent, Role


def test_a_manager_sees_who_read_a_case(auth, client, create_case, create_user, create_response):
    case = create_case()
    create_response(case, "i want to move schools")
    reader = create_user(Role.WORKER, case.pod, name="Rhys Reader")
    manager = create_user(Role.MANAGER, case.pod)
    auth.sign_in(reader.email)
    client.get(f"/staff/cases/{case.reference}")
    auth.sign_out()
    auth.sign_in(manager.email)
    page = client.get(f"/staff/cases/{case.reference}/reads").get_data(as_text=True)
    assert "Rhys Reader" in page and "case.view" in page


def test_a_worker_cannot_see_the_reads_report(auth, client, create_case, create_user):
    case = create_case()
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    assert client.get(f"/staff/cases/{case.reference}/reads").status_code == 404


def test_the_subject_access_file_holds_the_words_and_the_audit_trail(auth, client, create_case,
                                                                     create_user,
                                                                     create_response):
    case = create_case()
    create_response(case, "please can i see my brother")
    manager = create_user(Role.MANAGER, case.pod, name="Mo Manager")
    auth.sign_in(manager.email)
    client.get(f"/staff/cases/{case.reference}")
    response = client.get(f"/staff/cases/{case.reference}/subject-access")
    document = json.loads(response.data)
    assert document["case"]["reference"] == case.reference
    assert document["responses"][0]["comments"][0]["text"] == "please can i see my brother"
    assert any(e["action"] == "case.view" and e["who"] == "Mo Manager"
               for e in document["audit_trail"])
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "case.subject_access")) is not None


def test_an_admin_searches_the_whole_trail_by_action(auth, client, create_user):
    admin = create_user(Role.ADMIN, name="Ada Admin")
    auth.sign_in(admin.email, "wrong-password-here")
    auth.sign_in(admin.email)
    page = client.get("/admin/audit", query_string={"action": "auth.sign_in"}).get_data(
        as_text=True)
    assert page.count("auth.sign_in") >= 2 and "denied" in page


def test_audit_events_hold_no_childs_words(auth, client, create_case, create_user,
                                           create_response):
    case = create_case()
    response = create_response(case, "a very particular sentence about my nan")
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    comment = response.comments[0]
    client.get(f"/staff/cases/{case.reference}")
    client.post(f"/staff/comments/{comment.id}/themes", data={"theme": "family"})
    client.post(f"/staff/responses/{response.id}/read")
    client.get(f"/staff/cases/{case.reference}/plan?comment_id={comment.id}")
    rows = db.session.scalars(select(AuditEvent)).all()
    assert len(rows) >= 5
    for row in rows:
        assert "particular sentence" not in json.dumps(row.detail)
        assert "particular" not in (row.object_id or "")
