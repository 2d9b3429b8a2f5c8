"""A board user sees counts, never a child: every casework route is a 404 for them."""

from datetime import date

import pytest
from sqlalchemy import select

from boarddata import respond
from feedback.extensions import db
from feedback.models import (
    Alert, AlertReason, AuditEvent, CaseRecordExport, Comment, Outcome, PlanAction, Quote,
    Reply, Role, today,
)
from feedback.services import quotes

OPEN_BLUEPRINTS = ("board", "auth", "child", "health")
CHILD_WORDS = "my stepdad Gary shouts at me every night"


@pytest.fixture()
def casework(app, create_pod, create_case, create_user, builtin_questionnaires):
    """A case with words, a plan, a reply, an alert, an export and a quote draft."""
    pod = create_pod("Harbour")
    worker = create_user(Role.WORKER, pod, name="Walter Worker")
    case = create_case(pod, reference="CASE-7781")
    response = respond(builtin_questionnaires["how-are-things"], themes=["home"],
                       on=date(2026, 8, 3), case=case, text=CHILD_WORDS)
    comment = response.comments[0]
    # The alert is on a brother's case: words from a case with an open alert are never quoted.
    brother = create_case(pod, reference="CASE-7782")
    worrying = respond(builtin_questionnaires["how-are-things"], themes=["safety"],
                       on=date(2026, 8, 4), case=brother, text=CHILD_WORDS).comments[0]
    action = PlanAction(case=case, title="Talk to mum", section="home")
    db.session.add_all([action, Reply(case=case, comment=comment, text="We talked to him"),
                        Alert(case_id=brother.id, comment=worrying,
                              reason=AlertReason.DETECTOR),
                        CaseRecordExport(case=case, from_date=today(), to_date=today(),
                                         format="pdf")])
    db.session.flush()
    draft = quotes.propose(db.session, comment, "shouts at me", "home", worker, [], [])
    db.session.commit()
    return {"case": case, "comment": comment, "response": response, "action": action,
            "worker": worker, "draft": draft}


def _arguments(rule, casework) -> dict[str, object]:
    ids = {"reference": casework["case"].reference, "comment_id": casework["comment"].id,
           "response_id": casework["response"].id, "action_id": casework["action"].id,
           "alert_id": db.session.scalar(select(Alert.id)),
           "reply_id": db.session.scalar(select(Reply.id)),
           "export_id": db.session.scalar(select(CaseRecordExport.id)),
           "quote_id": casework["draft"].id, "tag": "en", "number": 1}
    return {name: ids.get(name, 1) for name in rule.arguments}


def test_every_case_comment_response_and_quote_draft_route_is_a_404(app, auth, client,
                                                                    create_user, casework):
    """Enumerate the URL map rather than trusting a list: new casework routes are covered."""
    auth.sign_in(create_user(Role.BOARD, name="Bea Board").email)
    checked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.split(".")[0] in OPEN_BLUEPRINTS:
            continue
        with app.test_request_context():
            path = app.url_for(rule.endpoint, **_arguments(rule, casework))
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(path, method=method)
        # The API reads bearer tokens only: a signed-in board member's cookie is no token.
        refused = 401 if rule.endpoint.startswith("api.") else 404
        assert response.status_code == refused, (rule.endpoint, path, response.status_code)
        page = response.get_data(as_text=True)
        assert CHILD_WORDS not in page and "CASE-7781" not in page
        checked.append(rule.endpoint)
    assert {"staff.view_case", "staff.link_comment", "staff.mark_response_read"} <= set(checked)
    denied = db.session.scalar(select(AuditEvent.id).where(AuditEvent.outcome == Outcome.DENIED))
    assert denied is not None


def test_board_pages_show_no_child_words_case_or_worker(app, auth, client, create_user,
                                                        casework, create_session,
                                                        builtin_questionnaires):
    event = create_session(safeguarding_lead=create_user(Role.WORKER, name="Lee Lead"))
    event.participant_count = 3
    db.session.commit()
    quotes.decide(db.session, casework["draft"], create_user(Role.BOARD), approve=True)
    db.session.commit()
    auth.sign_in(create_user(Role.BOARD, name="Bea Board").email)
    for path in ("/board/?period=2026-Q3&breakdown=pod", "/board/?period=2026-08",
                 "/board/sessions", f"/board/sessions/{event.id}", "/board/quotes"):
        page = client.get(path).get_data(as_text=True)
        assert CHILD_WORDS not in page and "Gary" not in page, path
        assert "CASE-7781" not in page, path
        assert "Walter Worker" not in page, path


def test_signed_out_people_are_sent_to_sign_in(client):
    for path in ("/board/", "/board/sessions", "/board/quotes",
                 "/board/export?period=2026&format=csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_an_administrator_may_use_the_board_pages(auth, client, create_user):
    auth.sign_in(create_user(Role.ADMIN).email)
    assert client.get("/board/").status_code == 200
    assert client.get("/board/sessions").status_code == 200


def test_quote_drafts_show_the_approver_their_words_beside_them_audited(
        auth, client, create_user, casework):
    """The one place a board user reads a case comment: beside a quote they are to decide."""
    approver = create_user(Role.BOARD)
    auth.sign_in(approver.email)
    page = client.get("/board/quotes").get_data(as_text=True)
    assert "shouts at me" in page and "What the child wrote" in page
    assert db.session.scalar(select(AuditEvent.actor_id).where(
        AuditEvent.action == "quote.originals.read")) == approver.id
    assert db.session.scalar(select(Quote.comment_id)) == casework["comment"].id
    assert db.session.get(Comment, casework["comment"].id).text == CHILD_WORDS
