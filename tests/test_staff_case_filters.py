"""A case page can be narrowed: unread words, responses with an alert, one response."""

import pytest

from feedback.extensions import db
from feedback.models import Role, utcnow


@pytest.fixture()
def three_responses(auth, create_case, create_user, create_response, create_alert):
    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    read = create_response(case, "I was read already")
    read.comments[0].read_at, read.comments[0].read_by_id = utcnow(), worker.id
    unread = create_response(case, "nobody has read me yet")
    alerted = create_response(case, "words that raised an alert")
    alerted.comments[0].read_at, alerted.comments[0].read_by_id = utcnow(), worker.id
    db.session.commit()
    create_alert(alerted.comments[0])
    auth.sign_in(worker.email)
    return case, {"read": read, "unread": unread, "alerted": alerted}


def shown(client, case, query: str) -> set[str]:
    page = client.get(f"/staff/cases/{case.reference}?{query}").get_data(as_text=True)
    return {name for name, text in [("read", "I was read already"),
                                    ("unread", "nobody has read me yet"),
                                    ("alerted", "words that raised an alert")] if text in page}


def test_everything_is_shown_by_default(client, three_responses):
    case, _ = three_responses
    assert shown(client, case, "") == {"read", "unread", "alerted"}


def test_unread_shows_only_responses_with_unread_words(client, three_responses):
    case, _ = three_responses
    assert shown(client, case, "show=unread") == {"unread"}


def test_alerts_shows_only_responses_that_raised_one(client, three_responses):
    case, _ = three_responses
    assert shown(client, case, "show=alerts") == {"alerted"}


def test_one_response_shows_that_response_alone(client, three_responses):
    case, responses = three_responses
    assert shown(client, case, f"response={responses['read'].id}") == {"read"}
