"""A worker creates a code for the child from the case page, shown large and as a QR code."""

import re
from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select

from apps import AuthActions
from feedback.extensions import db
from feedback.models import AccessCode, Role
from feedback.web.staff.wording import when as _when


def when(moment) -> str:
    with force_locale("en_GB"):
        return _when(moment)


def test_a_worker_creates_a_code_the_child_can_use(app, auth, client, create_case,
                                                   create_user, builtin_questionnaires):
    case = create_case()
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    case_page = client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Create an access code" in case_page
    page = client.post(f"/staff/cases/{case.reference}/access-codes",
                       data={"questionnaire": "three-houses"}).get_data(as_text=True)
    code = re.search(r'<p class="app-access-code" dir="ltr">([A-Z0-9-]+)</p>', page).group(1)
    assert "<svg" in page  # the QR code, drawn on the server
    tablet = app.test_client()
    assert tablet.post("/", data={"code": code}).headers["Location"] == "/welcome"
    assert "Three houses" in tablet.get("/welcome").get_data(as_text=True)


def test_another_pods_worker_cannot_create_a_code(auth, client, create_case, create_user,
                                                  builtin_questionnaires):
    case = create_case()
    auth.sign_in(create_user(Role.WORKER).email)
    response = client.post(f"/staff/cases/{case.reference}/access-codes",
                           data={"questionnaire": "three-houses"})
    assert response.status_code == 404


def test_handing_over_the_device_signs_the_worker_out_and_opens_the_questionnaire(
        app, auth, client, create_case, create_user, builtin_questionnaires):
    case = create_case()
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    response = client.post(f"/staff/cases/{case.reference}/hand-over",
                           data={"questionnaire": "my-meeting"})
    assert response.headers["Location"] == "/welcome"
    assert "My meeting" in client.get("/welcome").get_data(as_text=True)
    staff_page = client.get("/staff/")
    assert staff_page.status_code == 302 and "/staff/sign-in" in staff_page.headers["Location"]


def test_the_slip_gives_the_web_address_and_the_date_the_code_stops(
        auth, client, create_case, create_user, builtin_questionnaires):
    case = create_case()
    auth.sign_in(create_user(Role.WORKER, case.pod).email)
    page = client.post(f"/staff/cases/{case.reference}/access-codes",
                       data={"questionnaire": "how-are-things"}).get_data(as_text=True)
    assert '<strong class="app-web-address" dir="ltr">localhost</strong>' in page
    stored = db.session.scalar(select(AccessCode))
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    assert f"The code works until {when(stored.expires_at)}." in page


def test_how_long_a_code_works_is_a_setting(app_factory, create_case, create_user,
                                            builtin_questionnaires):
    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    client = app_factory(ACCESS_CODE_DAYS="2").test_client()
    AuthActions(client).sign_in(worker.email)
    client.post(f"/staff/cases/{case.reference}/access-codes",
                data={"questionnaire": "how-are-things"})
    stored = db.session.scalar(select(AccessCode))
    assert stored.expires_at - stored.created_at == timedelta(days=2)
