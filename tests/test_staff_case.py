"""The case page and the golden thread: themes, reading, plan links and replies."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import (
    CaseRecordExport, CommentLink, PlanAction, Reply, Role, ThemeTag,
)
from feedback.services import analysis
from feedback.web.analyser import current_analyser

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs"
                     / "case-record.schema.json").read_text())


@pytest.fixture()
def worker_case(auth, create_case, create_user, create_response):
    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    response = create_response(case, "i love my school but i miss my little sister")
    comment = response.comments[0]
    analysis.analyse_comment(db.session, comment, current_analyser(), case=case, event=None,
                             mail=None)
    db.session.commit()
    auth.sign_in(worker.email)
    return {"case": case, "worker": worker, "response": response, "comment": comment}


def tags(comment) -> dict[str, tuple[str, str]]:
    rows = db.session.scalars(select(ThemeTag).where(ThemeTag.comment_id == comment.id))
    return {t.theme: (t.origin.value, t.status.value) for t in rows}


def test_the_case_page_shows_the_comment_with_suggested_themes(client, worker_case):
    page = client.get(f"/staff/cases/{worker_case['case'].reference}").get_data(as_text=True)
    assert "i love my school but i miss my little sister" in page
    assert "School and learning" in page and "Suggested" in page


def test_a_worker_confirms_removes_and_adds_themes(client, worker_case):
    comment = worker_case["comment"]
    url = f"/staff/comments/{comment.id}/themes"
    client.post(url, data={"theme": "school", "decision": "confirm"})
    client.post(url, data={"theme": "family", "decision": "remove"})
    client.post(url, data={"theme": "identity"})
    assert tags(comment)["school"] == ("worker", "confirmed")
    assert tags(comment)["family"] == ("worker", "removed")
    assert tags(comment)["identity"] == ("worker", "confirmed")


def test_worker_decisions_survive_retagging(client, runner, worker_case):
    comment = worker_case["comment"]
    url = f"/staff/comments/{comment.id}/themes"
    client.post(url, data={"theme": "school", "decision": "remove"})
    client.post(url, data={"theme": "future"})
    result = runner.invoke(args=["theming", "retag"])
    assert result.exit_code == 0, result.output
    after = tags(comment)
    assert after["school"] == ("worker", "removed")
    assert after["future"] == ("worker", "confirmed")
    assert after["family"][0] == "auto"  # the machine may keep its own suggestions


def test_mark_as_read_records_who_read_it(client, worker_case):
    response = worker_case["response"]
    client.post(f"/staff/responses/{response.id}/read")
    db.session.refresh(worker_case["comment"])
    assert worker_case["comment"].read_by_id == worker_case["worker"].id
    page = client.get("/staff/").get_data(as_text=True)
    assert "Every comment has been read." in page


def test_add_to_plan_links_the_comment_to_a_new_action(client, worker_case):
    case, comment = worker_case["case"], worker_case["comment"]
    form = client.get(f"/staff/cases/{case.reference}/plan?comment_id={comment.id}")
    assert comment.text in form.get_data(as_text=True)
    client.post(f"/staff/cases/{case.reference}/plan?comment_id={comment.id}",
                data={"title": "Weekly video call with her sister", "section": "family",
                      "owner": "Sam", "comment_id": str(comment.id)})
    action = db.session.scalar(select(PlanAction))
    assert action.section == "family"
    link = db.session.scalar(select(CommentLink))
    assert (link.comment_id, link.plan_action_id) == (comment.id, action.id)


def test_a_shared_reply_reaches_the_child_next_time(client, worker_case, create_access_code, app):
    comment = worker_case["comment"]
    client.post(f"/staff/comments/{comment.id}/replies",
                data={"text": "We have set up calls with your sister every Sunday",
                      "shared": "y"})
    reply = db.session.scalar(select(Reply))
    assert reply.is_shared_with_child
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(worker_case["case"]))
    welcome = child.client.get("/welcome").get_data(as_text=True)
    assert "We have set up calls with your sister every Sunday" in welcome


def test_an_unshared_reply_is_not_shown_to_the_child_until_shared(client, worker_case,
                                                                  create_access_code, app):
    comment = worker_case["comment"]
    client.post(f"/staff/comments/{comment.id}/replies", data={"text": "Draft reply"})
    reply = db.session.scalar(select(Reply))
    assert not reply.is_shared_with_child
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(worker_case["case"]))
    assert "Draft reply" not in child.client.get("/welcome").get_data(as_text=True)
    client.post(f"/staff/replies/{reply.id}/share")
    db.session.refresh(reply)
    assert reply.is_shared_with_child


def test_the_chair_response_is_recorded_and_can_be_shared(client, worker_case):
    case = worker_case["case"]
    client.post(f"/staff/cases/{case.reference}/chair-responses",
                data={"chair-text": "The chair agreed you can stay at your school",
                      "chair-shared": "y"})
    reply = db.session.scalar(select(Reply))
    assert reply.kind.value == "chair_response" and reply.is_shared_with_child


def export(client, case, fmt):
    return client.post(f"/staff/cases/{case.reference}/export",
                       data={"from_date": "2020-01-01", "to_date": "2030-12-31", "format": fmt})


def test_the_pdf_holds_the_childs_words_and_our_replies(client, worker_case):
    comment = worker_case["comment"]
    client.post(f"/staff/comments/{comment.id}/replies",
                data={"text": "Sunday calls with your sister", "shared": "y"})
    response = export(client, worker_case["case"], "pdf")
    assert response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "i love my school but i miss my little sister" in text
    assert "Sunday calls with your sister" in text
    assert worker_case["case"].reference in text


def test_the_json_export_validates_against_the_published_schema(client, worker_case):
    comment = worker_case["comment"]
    client.post(f"/staff/comments/{comment.id}/replies", data={"text": "We called"})
    document = json.loads(export(client, worker_case["case"], "json").data)
    jsonschema.validate(document, SCHEMA)
    assert document["case_reference"] == worker_case["case"].reference
    assert document["responses"][0]["comments"][0]["text"] == comment.text


def test_marking_an_export_filed_is_recorded(client, worker_case):
    export(client, worker_case["case"], "json")
    record = db.session.scalar(select(CaseRecordExport))
    client.post(f"/staff/exports/{record.id}/filed")
    db.session.refresh(record)
    assert record.filed_at is not None and record.filed_by_id == worker_case["worker"].id


def count_queries(app, client, url) -> int:
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_the_case_page_queries_do_not_grow_with_comments(app, client, worker_case,
                                                         create_response):
    case = worker_case["case"]
    url = f"/staff/cases/{case.reference}"
    for _ in range(9):
        create_response(case, "things are ok")
    with_ten = count_queries(app, client, url)
    for n in range(19):
        create_response(case, *[f"comment {n}-{k}" for k in range(10)])
    with_two_hundred = count_queries(app, client, url)
    assert with_two_hundred == with_ten


def test_a_worker_proposes_a_redacted_quote_that_waits_for_a_second_person(client, worker_case):
    from feedback.models import Quote, QuoteState
    comment = worker_case["comment"]
    client.post(f"/staff/comments/{comment.id}/quotes",
                data={"excerpt": "i love my school", "theme": "school"})
    quote = db.session.scalar(select(Quote))
    assert quote.state == QuoteState.PROPOSED and quote.excerpt == "i love my school …"
    page = client.get(f"/staff/cases/{worker_case['case'].reference}").get_data(as_text=True)
    assert "Someone else must approve it" in page


def test_a_quote_must_be_words_the_child_wrote(client, worker_case):
    comment = worker_case["comment"]
    response = client.post(f"/staff/comments/{comment.id}/quotes",
                           data={"excerpt": "words nobody wrote", "theme": "school"})
    assert response.status_code == 400
