"""A case code survives a pause, a closed tab or "Exit this page": entering it again, on
any device, carries on where the child was, until they press Send."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import AccessCode, Comment, Response, Role, utcnow
from feedback.services import codes, retention
from test_child_concurrency import post


def kept(code: str) -> dict | None:
    """The answers the database keeps with a code (None when nothing is kept)."""
    db.session.expire_all()
    row = db.session.scalar(select(AccessCode).where(AccessCode.code_digest
                                                     == codes.digest(code)))
    return json.loads(row.draft)["answers"] if row.draft else None


def stored_responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def answer_two(child: ChildActions, code: str) -> None:
    assert child.enter_code(code).headers["Location"] == "/welcome"
    child.answer(1, answer="2")
    child.answer(2, answer="4")


def test_another_device_carries_on_at_the_next_question(app, child, create_case,
                                                        create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    tablet = ChildActions(app.test_client())
    assert tablet.enter_code(code).headers["Location"] == "/questions/3"
    page = tablet.client.get("/check").get_data(as_text=True)
    assert "Sad" in page and "Happy" in page


def test_the_same_device_carries_on_after_exit_this_page(child, create_case,
                                                         create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    child.answer(3, answer="Football on Tuesdays")
    child.client.get("/exit")
    assert child.enter_code(code).headers["Location"] == "/questions/4"
    assert "Football on Tuesdays" in child.client.get("/questions/3").get_data(as_text=True)


def test_all_questions_answered_resumes_at_check_your_answers(app, child, create_case,
                                                              create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    for number in range(3, 7):
        child.answer(number, answer="")
    tablet = ChildActions(app.test_client())
    assert tablet.enter_code(code).headers["Location"] == "/check"


def test_answers_are_kept_with_the_code_until_sent_then_deleted(app, child, create_case,
                                                                create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    child.answer(3, answer="Football on Tuesdays")
    assert kept(code) == {"overall": "2", "home": "4", "good": "Football on Tuesdays"}
    assert child.send().headers["Location"] == "/thank-you"
    assert kept(code) is None
    assert stored_responses() == 1


def test_after_send_the_code_is_refused_on_every_device(app, child, create_case,
                                                        create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    child.send()
    page = ChildActions(app.test_client()).enter_code(code).get_data(as_text=True)
    assert "That code has been used already" in page


def test_two_devices_sending_one_code_store_one_response(app, child, create_case,
                                                         create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    tablet = ChildActions(app.test_client())
    tablet.enter_code(code)
    tablet.answer(3, answer="Seeing my nan")
    phone_form, tablet_form = child.send_form(), tablet.send_form()
    assert child.send(phone_form).headers["Location"] == "/thank-you"
    assert tablet.send(tablet_form).headers["Location"] == "/thank-you"
    assert stored_responses() == 1


def test_two_devices_sending_at_the_same_moment_store_one_response(
        threaded_server, create_case, create_access_code):
    app, base = threaded_server
    code = create_access_code(create_case())
    devices = [ChildActions(app.test_client()) for _ in range(2)]
    answer_two(devices[0], code)
    devices[1].enter_code(code)
    sends = [(d.client.get_cookie("session").value, d.send_form()) for d in devices] * 10
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda s: post(f"{base}/send", *s), sends))
    assert {status for status, _ in results} <= {302, 400}
    assert stored_responses() == 1
    assert kept(code) is None


def test_a_revoked_code_is_refused_and_its_answers_deleted(app, auth, child, create_case,
                                                           create_user, create_access_code):
    case = create_case()
    code = create_access_code(case)
    answer_two(child, code)
    worker = ChildActions(app.test_client())  # a second browser, for the worker
    auth_client = auth.__class__(worker.client)
    auth_client.sign_in(create_user(Role.WORKER, case.pod).email)
    case_page = worker.client.get(f"/staff/cases/{case.reference}").get_data(as_text=True)
    assert "Started, not sent yet" in case_page
    row = db.session.scalar(select(AccessCode))
    revoked = worker.client.post(f"/staff/access-codes/{row.id}/revoke")
    assert revoked.status_code == 302
    assert kept(code) is None
    page = ChildActions(app.test_client()).enter_code(code).get_data(as_text=True)
    assert "That code has been stopped. Ask your worker for a new one." in page


def test_a_device_still_answering_cannot_send_a_revoked_code(app, child, create_case,
                                                             create_user, create_access_code):
    case = create_case()
    code = create_access_code(case)
    answer_two(child, code)
    row = db.session.scalar(select(AccessCode))
    codes.revoke(db.session, row, create_user(Role.WORKER, case.pod))
    db.session.commit()
    response = child.send()
    assert response.status_code == 403
    assert "That code has been stopped" in response.get_data(as_text=True)
    assert stored_responses() == 0


def test_another_pods_worker_cannot_revoke_a_code(auth, client, create_case, create_user,
                                                  create_access_code):
    create_access_code(create_case())
    auth.sign_in(create_user(Role.WORKER).email)
    row = db.session.scalar(select(AccessCode))
    assert client.post(f"/staff/access-codes/{row.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.get(AccessCode, row.id).revoked_at is None


def test_expired_codes_lose_their_answers_in_a_retention_run(app, child, create_case,
                                                             create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    live = create_access_code(create_case())
    answer_two(ChildActions(app.test_client()), live)
    db.session.execute(AccessCode.__table__.update()
                       .where(AccessCode.code_digest == codes.digest(code))
                       .values(created_at=utcnow() - timedelta(days=8),
                               expires_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    report = retention.apply(db.session, utcnow(), session_days=730, case_days=365)
    db.session.commit()
    assert report.old_drafts == 1
    assert kept(code) is None and kept(live) == {"overall": "2", "home": "4"}


def test_an_expired_code_is_refused_and_forgets_its_answers(child, create_case,
                                                            create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    db.session.execute(AccessCode.__table__.update().values(
        created_at=utcnow() - timedelta(days=8), expires_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    page = ChildActions(child.client).enter_code(code).get_data(as_text=True)
    assert "That code is too old now" in page
    assert kept(code) is None


def test_kept_answers_never_reach_the_comments_before_send(child, create_case,
                                                           create_access_code):
    code = create_access_code(create_case())
    answer_two(child, code)
    child.answer(3, answer="Football on Tuesdays")
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0
