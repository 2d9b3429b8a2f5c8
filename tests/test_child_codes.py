"""Entering a code: forgiving to type, one response per case code, reusable for a session's
dates."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AccessCode, today, utcnow
from feedback.services import codes


def test_the_start_page_asks_for_a_code_and_says_who_reads(client):
    page = client.get("/").get_data(as_text=True)
    assert "Enter your code" in page
    assert "Your social worker and their team will read what you write" in page
    assert "keep secret" not in page.lower() and "confidential" not in page.lower()


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{a} {b}", "{a}-{b}", " {lower_a} - {b} "])
def test_a_case_code_works_however_it_is_typed(child, create_case, create_access_code, typed):
    code = create_access_code(create_case())
    variant = typed.format(code=code, lower=code.lower(), a=code[:4], b=code[4:],
                           lower_a=code[:4].lower())
    response = child.enter_code(variant)
    assert response.status_code == 302
    assert response.headers["Location"] == "/welcome"


def test_codes_never_contain_characters_that_read_alike():
    drawn = "".join(codes.new_code() for _ in range(500))
    assert not set(drawn) & set("0O1IL")


def test_a_wrong_code_gets_a_clear_message(child):
    response = child.enter_code("ABCD-EFGH")
    assert response.status_code == 200
    assert "That code did not work. Check it and try again." in response.get_data(as_text=True)


def test_an_empty_code_asks_for_one(child):
    page = child.enter_code("").get_data(as_text=True)
    assert "Enter the code your worker gave you" in page
    assert 'href="#code"' in page  # the error summary links to the field


def test_a_case_code_opens_again_until_the_child_sends(child, app, create_case,
                                                       create_access_code):
    code = create_access_code(create_case())
    assert child.enter_code(code).status_code == 302
    assert app.test_client().post("/", data={"code": code}).status_code == 302
    child.answer(1, answer="3")
    child.answer(2, answer="3")
    child.send()
    third = app.test_client().post("/", data={"code": code})
    assert "That code has been used already" in third.get_data(as_text=True)


def test_an_expired_code_says_to_ask_for_a_new_one(child, create_case, create_access_code):
    code = create_access_code(create_case())
    db.session.execute(AccessCode.__table__.update().values(
        created_at=utcnow() - timedelta(hours=5), expires_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    page = child.enter_code(code).get_data(as_text=True)
    assert "That code is too old now. Ask your worker for a new one." in page


def test_a_closed_case_opens_nothing(child, create_case, create_access_code):
    case = create_case()
    code = create_access_code(case)
    case.is_open = False
    db.session.commit()
    assert "That code did not work" in child.enter_code(code).get_data(as_text=True)


def test_a_session_code_is_reusable_on_its_dates(app, create_session):
    event = create_session()
    for _ in range(3):
        response = app.test_client().post("/", data={"code": event.join_code.lower()})
        assert response.headers["Location"] == "/welcome"


def test_a_session_code_does_not_work_before_its_day(child, create_session):
    event = create_session(starts=today() + timedelta(days=3))
    page = child.enter_code(event.join_code).get_data(as_text=True)
    assert "That code is for a session that is not open today." in page


def test_the_code_is_stored_only_as_a_digest(create_case, create_access_code):
    code = create_access_code(create_case())
    stored = db.session.scalar(select(AccessCode))
    assert code not in stored.code_digest
    assert stored.code_digest == codes.digest(code)


def csrf_token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_guessing_codes_from_one_device_is_slowed_down(app_factory):
    device = app_factory(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token(device)
    for n in range(10):
        response = device.post("/", data={"code": f"ABCD-EFG{n + 2}", "csrf_token": token})
        assert response.status_code == 200
    assert device.post("/", data={"code": "ABCD-EFGH", "csrf_token": token}).status_code == 429


def test_thirty_tablets_behind_one_address_can_all_start(app, create_case, create_access_code):
    """Wrong codes on many devices do not lock out the school's one address."""
    for n in range(30):
        tablet = app.test_client()
        tablet.get("/")
        tablet.post("/", data={"code": "ABCD-EFGH"})
        tablet.post("/", data={"code": "ABCD-EFGJ"})
    code = create_access_code(create_case())
    last = app.test_client()
    last.get("/")
    assert last.post("/", data={"code": code}).status_code == 302


def test_the_command_line_prints_a_working_code(runner, child, create_case,
                                                builtin_questionnaires):
    case = create_case()
    result = runner.invoke(args=["access-code", case.reference])
    assert result.exit_code == 0, result.output
    code = result.output.split()[0]
    assert child.enter_code(code).status_code == 302
