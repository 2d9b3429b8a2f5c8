"""Quotes that can never expose a child (issue 19): alerts, cuts inside words, possible names,
the theme a quote shows, and audited reads of the words behind a quote."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from boarddata import respond
from feedback.extensions import db
from feedback.models import (Alert, AlertReason, AlertState, AuditEvent, Quote, QuoteState, Role,
                             TagOrigin, TagStatus, ThemeTag, utcnow)
from feedback.services import quotes, redaction

Q3 = date(2026, 8, 10)


@pytest.fixture()
def people(create_user, create_pod):
    pod = create_pod()
    return {"worker": create_user(Role.WORKER, pod), "board": create_user(Role.BOARD),
            "other": create_user(Role.BOARD), "pod": pod}


@pytest.fixture()
def said(app, create_case, builtin_questionnaires, people):
    """A case comment in the worker's pod, with nothing worrying in it."""
    case = create_case(people["pod"])
    return respond(builtin_questionnaires["how-are-things"], themes=["activities"], on=Q3,
                   case=case, text="i am 18 and i went to the park with jay after school"
                   ).comments[0]


def quote_count() -> int:
    return db.session.scalar(select(func.count(Quote.id))) or 0


# -- Alerts: words from an alert, or from a case with an open alert, are never quoted --

def test_words_from_a_case_with_an_open_alert_cannot_be_proposed_or_approved(said, people):
    draft = quotes.propose(db.session, said, "i went to the park", "activities",
                           people["worker"], [], [])
    alert = Alert(case_id=said.response.case_id, reason=AlertReason.BUTTON)  # a later help press
    db.session.add(alert)
    db.session.commit()
    with pytest.raises(quotes.QuoteError) as refused:
        quotes.propose(db.session, said, "the park", "activities", people["worker"], [], [])
    assert refused.value.reason == "open_alert"
    with pytest.raises(quotes.QuoteError) as not_approved:
        quotes.decide(db.session, draft, people["board"], approve=True)
    assert not_approved.value.reason == "open_alert"
    assert quotes.awaiting_decision(db.session, people["board"]) == []  # not even shown
    worker_id = people["worker"].id
    alert.acknowledged_at, alert.acknowledged_by_id = utcnow(), worker_id
    alert.action_taken, alert.state, alert.closed_at = "spoke_to_child", AlertState.CLOSED, utcnow()
    db.session.commit()
    assert quotes.decide(db.session, draft, people["board"], approve=True).state == \
        QuoteState.APPROVED


def test_a_worker_is_refused_a_quote_of_an_alerting_comment(auth, client, said, people):
    db.session.add(Alert(case_id=said.response.case_id, comment=said,
                         response_id=said.response_id, reason=AlertReason.DETECTOR))
    db.session.commit()
    auth.sign_in(people["worker"].email)
    response = client.post(f"/staff/comments/{said.id}/quotes",
                           data={"excerpt": "i went to the park", "theme": "activities"})
    assert response.status_code == 400
    assert "raised a safeguarding alert" in response.get_data(as_text=True)
    assert quote_count() == 0


def test_a_board_user_is_refused_a_quote_of_an_alerting_session_comment(
        client, auth, people, create_session, builtin_questionnaires):
    event = create_session(safeguarding_lead=people["worker"])
    event.participant_count = event.device_count = 7
    worrying = respond(builtin_questionnaires["board-session"], on=Q3, event=event,
                       text="someone hurts me at home").comments[0]
    db.session.add(Alert(session_id=event.id, comment=worrying,
                         response_id=worrying.response_id, reason=AlertReason.DETECTOR))
    db.session.commit()
    auth.sign_in(people["board"].email)
    url = f"/board/sessions/{event.id}/quotes?comment={worrying.id}"
    page = client.post(url, data={"excerpt": "someone hurts me", "theme": "safety"})
    assert "someone hurts me" not in page.get_data(as_text=True)
    assert quote_count() == 0
    with pytest.raises(quotes.QuoteError) as refused:  # and the service refuses it too
        quotes.propose(db.session, worrying, "someone hurts me", "safety", people["board"],
                       [], [])
    assert refused.value.reason == "raised_alert"


# -- Cuts: only at word boundaries; the "…" stays --

@pytest.mark.parametrize("excerpt, reason", [
    ("i am 1", "inside_word"), ("m 18 and", "inside_word"), ("i went to the pa", "inside_word"),
    ("i am 18 … the pa", "inside_word"), ("i am 19", "not_in_comment"),
])
def test_a_cut_inside_a_word_is_refused(said, people, excerpt, reason):
    with pytest.raises(quotes.QuoteError) as refused:
        quotes.propose(db.session, said, excerpt, "activities", people["worker"], [], [])
    assert refused.value.reason == reason


def test_words_left_out_keep_their_ellipsis(said, people):
    quote = quotes.propose(db.session, said, "i am 18 ... after school", "activities",
                           people["worker"], [], [])
    assert quote.excerpt == "i am 18 … after school"


def test_a_worker_whose_cut_is_refused_gets_their_words_back_with_the_reason(
        auth, client, said, people):
    auth.sign_in(people["worker"].email)
    response = client.post(f"/staff/comments/{said.id}/quotes",
                           data={"excerpt": "i am 1", "theme": "activities"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at the start or end of a word" in page
    assert re.search(r">\s*i am 1</textarea>", page)  # what was typed, kept
    assert quote_count() == 0


# -- Possible names: highlighted, and resolved before approval --

def test_possible_names_are_found(people):
    found = redaction.possible_names(
        "Yesterday me and jay went to Leeds with Kacper. Then Mrs Obi came to Hillside",
        names=["Kacper"], school_names=["Hillside Primary", "Hillside"])
    assert [(f.text, f.kind) for f in found] == [
        ("jay", "first_name"), ("Leeds", "place"), ("Kacper", "case_name"),
        ("Mrs", "capitalised"), ("Obi", "capitalised"), ("Hillside", "school")]
    assert redaction.possible_names("I like it. My nan is kind [name] said") == []
    assert len(redaction.first_names()) > 300


def test_a_quote_with_a_name_from_the_list_cannot_be_approved(said, people):
    draft = quotes.propose(db.session, said, "i went to the park with jay", "activities",
                           people["worker"], [], [])
    assert draft.excerpt == "… i went to the park with jay …"  # not a name the case holds
    with pytest.raises(quotes.QuoteError) as refused:
        quotes.decide(db.session, draft, people["board"], approve=True)
    assert refused.value.reason == "possible_name"
    with pytest.raises(quotes.QuoteError) as added:  # the approver may not add words
        quotes.decide(db.session, draft, people["board"], approve=True,
                      excerpt="i went to the park with my friend")
    assert added.value.reason == "not_in_comment"
    quotes.decide(db.session, draft, people["board"], approve=True,
                  excerpt="i went to the park with [name]")
    assert draft.state == QuoteState.APPROVED
    assert draft.excerpt == "… i went to the park with [name] …"  # its ends still marked


def test_an_approver_may_confirm_a_word_is_not_a_name(said, people):
    draft = quotes.propose(db.session, said, "i went to the park with jay", "activities",
                           people["worker"], [], [])
    quotes.decide(db.session, draft, people["board"], approve=True, not_names=["Jay"])
    assert draft.state == QuoteState.APPROVED


def test_the_approver_sees_the_original_beside_the_quote_and_must_resolve_names(
        auth, client, said, people):
    draft = quotes.propose(db.session, said, "i went to the park with jay", "activities",
                           people["worker"], [], [])
    db.session.commit()
    auth.sign_in(people["board"].email)
    page = client.get("/board/quotes").get_data(as_text=True)
    assert "What the child wrote" in page and "after school" in page  # the original
    assert 'app-possible-name' in page and "is not a name" in page
    reads = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "quote.originals.read")).all()
    assert [r.actor_id for r in reads] == [people["board"].id]
    refused = client.post(f"/board/quotes/{draft.id}/approve",
                          data={"excerpt": draft.excerpt})
    assert refused.status_code == 409 and "possible name" in refused.get_data(as_text=True)
    approved = client.post(f"/board/quotes/{draft.id}/approve",
                           data={"excerpt": draft.excerpt, "not_name": "jay"})
    assert approved.status_code == 302
    db.session.refresh(draft)
    assert draft.state == QuoteState.APPROVED


# -- The theme: chosen, defaulting to the comment's own top theme --

def test_the_theme_defaults_to_the_comments_own_top_theme(
        client, auth, people, create_session, builtin_questionnaires):
    event = create_session(safeguarding_lead=people["worker"])
    event.participant_count = event.device_count = 7
    comment = respond(builtin_questionnaires["board-session"], themes=["activities"], on=Q3,
                      event=event, text="a bigger playground").comments[0]
    db.session.add(ThemeTag(comment_id=comment.id, theme="home", origin=TagOrigin.AUTO,
                            status=TagStatus.SUGGESTED, confidence=0.2))
    db.session.get_one(ThemeTag, comment.tags[0].id).confidence = 0.9
    db.session.commit()
    assert quotes.top_theme(db.session, comment) == "activities"
    auth.sign_in(people["board"].email)
    page = client.get(f"/board/sessions/{event.id}/quotes?comment={comment.id}"
                      ).get_data(as_text=True)
    chosen = re.findall(r'<option(?=[^>]*\bselected)[^>]*value="(\w*)"', page)
    assert chosen == ["activities"]  # not "Feeling safe"
    reads = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.actor_id == people["board"].id)).all()
    assert "session.comments.read" in reads  # every board read of session comments
