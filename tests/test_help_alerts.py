"""The help button: every press reaches a person, and a burst of presses is one alert."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import Alert, AlertState, Comment, Role, utcnow
from feedback.services import alerts


@pytest.fixture()
def journey(child, create_case, create_access_code):
    case = create_case()
    child.enter_code(create_access_code(case))
    return case


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_hundred_presses_from_one_journey_make_one_alert(child, journey):
    for _ in range(100):
        assert child.client.post("/help", data={"message": ""}).status_code == 200
    alert = db.session.scalars(select(Alert)).one()
    assert alert.presses == 100 and alert.state == AlertState.NEW


def test_every_message_of_a_burst_is_kept_on_its_one_alert(child, journey):
    for words in ("he is shouting again", "please come", "i am in my room"):
        child.client.post("/help", data={"message": words})
    alert = db.session.scalars(select(Alert)).one()
    texts = [c.text for c in alert.response.comments]
    assert texts == ["he is shouting again", "please come", "i am in my room"]
    assert alert.comment.text == "he is shouting again"


def test_children_pressing_help_at_one_session_add_to_its_alert(app, create_session):
    event = create_session()
    for n in range(3):
        tablet = ChildActions(app.test_client())
        tablet.enter_code(event.join_code)
        tablet.client.post("/help", data={"message": f"child {n} needs help"})
    alert = db.session.scalars(select(Alert)).one()
    assert alert.session_id == event.id and alert.presses == 3
    assert count(Comment) == 3


def test_a_press_ten_minutes_later_is_a_new_alert(child, journey, create_access_code):
    child.client.post("/help", data={"message": ""})
    with time_machine.travel(utcnow() + timedelta(minutes=11), tick=False):
        child.enter_code(create_access_code(journey))
        child.client.post("/help", data={"message": ""})
    assert count(Alert) == 2


def test_a_press_after_the_alert_was_acknowledged_is_a_new_alert(child, journey, create_user):
    child.client.post("/help", data={"message": ""})
    first = db.session.scalars(select(Alert)).one()
    alerts.acknowledge(db.session, first, create_user(Role.WORKER, journey.pod),
                       "spoke_to_child", "")
    db.session.commit()
    child.client.post("/help", data={"message": "it happened again"})
    assert count(Alert) == 2
