"""The thank-you page asks for the tablet back only when a worker handed it over."""

from apps import AuthActions, ChildActions
from feedback.models import Role

HAND_BACK = "Hand the tablet back"


def send_three_houses(child: ChildActions) -> str:
    child.answer(1, worries="", good_things="my dog", dreams="be a vet")
    child.send()
    return child.client.get("/thank-you").get_data(as_text=True)


def test_a_child_on_their_own_phone_is_not_asked_for_the_tablet(
        child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(), "three-houses"))
    page = send_three_houses(child)
    assert "Thank you" in page
    assert HAND_BACK not in page
    assert "You can close this page now" in page


def test_a_child_handed_a_workers_tablet_is_asked_to_hand_it_back(
        app, create_case, create_user, builtin_questionnaires):
    case = create_case()
    tablet = app.test_client()
    AuthActions(tablet).sign_in(create_user(Role.WORKER, case.pod).email)
    tablet.post(f"/staff/cases/{case.reference}/hand-over", data={"questionnaire": "three-houses"})
    assert HAND_BACK in send_three_houses(ChildActions(tablet))


def test_the_next_child_on_the_same_tablet_is_not_told_it_was_handed_over(
        app, create_case, create_user, create_access_code, builtin_questionnaires):
    case = create_case()
    tablet = app.test_client()
    AuthActions(tablet).sign_in(create_user(Role.WORKER, case.pod).email)
    tablet.post(f"/staff/cases/{case.reference}/hand-over", data={"questionnaire": "three-houses"})
    send_three_houses(ChildActions(tablet))
    child = ChildActions(tablet)
    child.enter_code(create_access_code(create_case(), "three-houses"))
    assert HAND_BACK not in send_three_houses(child)
