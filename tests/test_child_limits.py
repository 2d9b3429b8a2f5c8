"""Rate limits on a child's pages: per device first, a generous ceiling per address,
and never on the urgent help path."""

import copy

import pytest
import time_machine
from sqlalchemy import select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import Alert, utcnow
from feedback.services import questionnaires

#: The limits a child's POSTs live under (feedback/web/child/views.py).
PER_DEVICE = 60
PER_ADDRESS = 3000


@pytest.fixture(autouse=True)
def one_minute():
    """Every request of a test falls in the same minute, however slow the machine: the
    limits count per minute, and 3,000 requests can take longer than one."""
    with time_machine.travel(utcnow(), tick=False):
        yield


def tablet(app, code: str, address: str = "127.0.0.1") -> ChildActions:
    child = ChildActions(app.test_client())
    child.client.environ_base["REMOTE_ADDR"] = address
    assert child.enter_code(code).status_code == 302
    return child


def test_one_tablet_posting_too_fast_is_told_to_wait_and_others_carry_on(
        app, create_session):
    event = create_session()
    fast = tablet(app, event.join_code)
    for _ in range(PER_DEVICE):
        assert fast.answer(2, answer="4").status_code == 302
    refused = fast.answer(2, answer="4")
    assert refused.status_code == 429
    assert "Wait a few minutes, then try again." in refused.get_data(as_text=True)
    # The next tablet in the same school (same address) is not held up by it.
    assert tablet(app, event.join_code).answer(2, answer="4").status_code == 302


def test_sending_is_limited_per_tablet_too(app, create_session, builtin_questionnaires):
    # Every answer required, so each Send is turned back and the tablet's journey stays
    # (a Send that goes through ends the journey, and the next one is a new device).
    event = create_session()
    definition = copy.deepcopy(builtin_questionnaires["board-session"].definition)
    definition["slug"] = "board-session-required"
    for question in definition["questions"]:
        question.pop("optional", None)
    event.questionnaire = questionnaires.save(db.session, definition).questionnaire
    db.session.commit()
    fast = tablet(app, event.join_code)
    statuses = [fast.client.post("/send", data={}).status_code for _ in range(PER_DEVICE + 1)]
    assert 429 not in statuses[:PER_DEVICE] and statuses[-1] == 429


def test_an_address_has_a_ceiling_that_other_addresses_do_not_share(app, create_session):
    event = create_session()
    school = [tablet(app, event.join_code, "10.0.0.1")
              for _ in range(PER_ADDRESS // PER_DEVICE)]
    for child in school:
        for _ in range(PER_DEVICE):
            assert child.answer(2, answer="4").status_code == 302
    late = tablet(app, event.join_code, "10.0.0.1")
    assert late.answer(2, answer="4").status_code == 429
    assert tablet(app, event.join_code, "10.0.0.2").answer(2, answer="4").status_code == 302


def test_the_urgent_help_path_is_never_limited(app, create_session):
    child = tablet(app, create_session().join_code)
    for _ in range(PER_DEVICE):
        child.answer(2, answer="4")
    assert child.answer(2, answer="4").status_code == 429
    for _ in range(PER_DEVICE + 5):
        assert child.client.post("/help", data={"message": ""}).status_code == 200
    # Every press is answered and counted, on the one alert of this join code.
    alert = db.session.scalars(select(Alert)).one()
    assert alert.presses == PER_DEVICE + 5
