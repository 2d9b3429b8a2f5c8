"""A join code takes a limited number of answers from one device, and the board's
small-number gate counts devices, not answers: one tablet cannot fake a crowd."""

import hashlib
import hmac

import pytest
from sqlalchemy import func, inspect, select

from apps import SECRET, ChildActions
from feedback.config import ConfigError, load_config
from feedback.extensions import db
from feedback.models import ParticipationSession, Response, Role, SessionDevice

FULL = "This device has sent all the answers it can for this session."


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def take_part(tablet: ChildActions, event: ParticipationSession, said: str = "more clubs"):
    """Enter the join code, answer the one required question and a comment, send."""
    tablet.enter_code(event.join_code)
    tablet.answer(2, answer="4")
    tablet.answer(6, answer=said)
    return tablet.send()


def device_of(tablet: ChildActions) -> str:
    return tablet.client.get_cookie("device").value


@pytest.fixture()
def event(create_session):
    return create_session()


def test_a_child_page_gives_the_browser_a_random_device_cookie(client):
    response = client.get("/")
    cookie = response.headers.getlist("Set-Cookie")
    device = next(c for c in cookie if c.startswith("device="))
    assert "HttpOnly" in device and "SameSite=Lax" in device and "Path=/" in device
    assert "Max-Age=31536000" in device  # a year
    assert len(client.get_cookie("device").value) == 32
    again = client.get("/help")  # kept, not made again
    assert not any(c.startswith("device=") for c in again.headers.getlist("Set-Cookie"))


def test_where_cookies_are_secure_the_device_cookie_is_host_only(app_factory):
    secure = app_factory(SESSION_COOKIE_SECURE=True).test_client()
    cookie = next(c for c in secure.get("/").headers.getlist("Set-Cookie")
                  if c.startswith("__Host-device="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "Domain" not in cookie


def test_each_device_is_counted_once_and_known_only_by_a_keyed_hash(app, event):
    one, two = ChildActions(app.test_client()), ChildActions(app.test_client())
    for tablet in (one, two, one):
        assert take_part(tablet, event).headers["Location"] == "/thank-you"
    db.session.expire_all()
    stored = db.session.get(ParticipationSession, event.id)
    assert (stored.participant_count, stored.device_count) == (3, 2)
    expected = hmac.new(SECRET.encode(), f"{event.id}:{device_of(one)}".encode(),
                        hashlib.sha256).hexdigest()
    rows = {row.device_hash: row.responses for row in db.session.scalars(select(SessionDevice))}
    assert rows[expected] == 2 and sorted(rows.values()) == [1, 2]
    assert device_of(one) not in str(rows)


def test_who_took_part_cannot_be_joined_to_what_was_said(app):
    columns = {c["name"] for c in inspect(db.engine).get_columns("session_devices")}
    assert columns == {"id", "session_id", "device_hash", "responses"}  # no time, no response
    response_columns = {c["name"] for c in inspect(db.engine).get_columns("responses")}
    assert not any("device" in name for name in response_columns)


def test_the_code_page_says_when_this_device_has_sent_the_most(app_factory, event):
    tablet = ChildActions(app_factory(SESSION_MAX_RESPONSES=2).test_client())
    take_part(tablet, event)
    take_part(tablet, event)
    response = tablet.enter_code(event.join_code)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert FULL in page and "Ask the adult running it" in page
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert tablet.client.get("/welcome").headers["Location"] == "/"  # no journey began
    assert count(Response) == 2


def test_another_device_can_still_join_when_one_has_sent_the_most(app_factory, event):
    app = app_factory(SESSION_MAX_RESPONSES=1)
    take_part(ChildActions(app.test_client()), event)
    other = ChildActions(app.test_client())
    assert other.enter_code(event.join_code).headers["Location"] == "/welcome"


def test_a_send_past_the_limit_gets_a_clear_page_and_stores_nothing(app_factory, event):
    app = app_factory(SESSION_MAX_RESPONSES=1)
    first, second = ChildActions(app.test_client()), ChildActions(app.test_client())
    first.enter_code(event.join_code)
    second.client.set_cookie("device", device_of(first))  # two tabs on one tablet
    second.enter_code(event.join_code)
    first.answer(2, answer="4")
    second.answer(2, answer="2")
    second.answer(6, answer="words that stay with the child")
    assert first.send().headers["Location"] == "/thank-you"
    response = second.send()
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert FULL in page and "Your answers have not been sent." in page
    assert count(Response) == 1
    db.session.expire_all()
    assert db.session.get(ParticipationSession, event.id).participant_count == 1
    assert "words that stay with the child" in second.client.get("/check").get_data(as_text=True)


def test_a_resend_of_a_stored_answer_is_not_counted_again(app_factory, event):
    tablet = ChildActions(app_factory(SESSION_MAX_RESPONSES=1).test_client())
    tablet.enter_code(event.join_code)
    tablet.answer(2, answer="4")
    form = tablet.send_form()
    assert tablet.send(form).headers["Location"] == "/thank-you"
    assert tablet.send(form).headers["Location"] == "/thank-you"  # a double tap
    assert db.session.scalar(select(SessionDevice.responses)) == 1


def test_one_tablet_sending_six_answers_does_not_open_the_board_s_figures(
        app, client, auth, create_user, event):
    auth.sign_in(create_user(Role.BOARD).email)
    tablet = ChildActions(app.test_client())
    for n in range(6):
        take_part(tablet, event, said=f"we need more youth clubs {n}")
    db.session.expire_all()
    assert db.session.get(ParticipationSession, event.id).participant_count == 6
    page = client.get(f"/board/sessions/{event.id}").get_data(as_text=True)
    assert "Propose a quote" not in page
    assert "The themes are shown once at least 6 young people have taken part" in page
    assert client.get(f"/board/sessions/{event.id}/quotes").status_code == 404


def test_six_devices_open_the_board_s_figures(app, client, auth, create_user, event):
    auth.sign_in(create_user(Role.BOARD).email)
    for n in range(6):
        take_part(ChildActions(app.test_client()), event, said=f"we need more youth clubs {n}")
    page = client.get(f"/board/sessions/{event.id}").get_data(as_text=True)
    assert "Propose a quote from this session" in page
    assert client.get(f"/board/sessions/{event.id}/quotes").status_code == 200


@pytest.mark.parametrize("value", ["0", "-3"])
def test_a_session_takes_at_least_one_answer_per_device(tmp_path, value):
    with pytest.raises(ConfigError, match="SESSION_MAX_RESPONSES must be at least 1"):
        load_config({"FEEDBACK_ENV": "development", "SESSION_MAX_RESPONSES": value},
                    str(tmp_path))


def test_thirty_answers_per_device_by_default(tmp_path):
    assert load_config({"FEEDBACK_ENV": "development"},
                       str(tmp_path))["SESSION_MAX_RESPONSES"] == 30
