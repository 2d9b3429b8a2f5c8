"""The two nets: the help button and the detector, both raising alerts a person must act on."""

import pytest
from sqlalchemy import create_engine, func, select

from feedback.web.analyser import current_analyser
from feedback.extensions import db
from apps import ChildActions
from feedback.models import Alert, AlertReason, Comment, Notification, Role, ThemeTag
from feedback.services import submissions
from feedback.services.alerts import Mail

DISCLOSURE = "when my stepdad has been drinking he shouts and i hide in my wardrobe"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def send_worry(child, worry: str) -> None:
    child.answer(1, answer="2")
    child.answer(2, answer="2")
    child.answer(4, answer=worry)
    child.send()


@pytest.fixture()
def journey(child, create_case, create_access_code, create_pod):
    case = create_case(create_pod(email="north.pod@council.example"))
    child.enter_code(create_access_code(case))
    return case


def test_a_disclosure_raises_an_alert_for_the_pod(child, journey):
    send_worry(child, DISCLOSURE)
    alert = db.session.scalar(select(Alert))
    assert alert.reason == AlertReason.DETECTOR
    assert alert.case_id == journey.id
    assert alert.comment.text == DISCLOSURE
    assert alert.detail  # the reason, in staff words


def test_the_alert_and_the_comment_are_stored_together_or_not_at_all(app, journey,
                                                                     builtin_questionnaires):
    """Before commit another connection sees neither; after commit it sees both."""
    version = builtin_questionnaires["how-are-things"]
    ticket = submissions.Journey(kind="case", case_id=journey.id, version_id=version.id, key="k-1",
                                 language="en")
    answers = {"overall": "2", "home": "2", "not_good": DISCLOSURE}
    submissions.submit(db.session, ticket, answers, current_analyser(), mail=Mail())
    observer = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])

    def seen(table) -> int:
        with observer.connect() as connection:
            return connection.execute(select(func.count()).select_from(table)).scalar()

    assert (seen(Comment.__table__), seen(Alert.__table__)) == (0, 0)
    db.session.rollback()  # as if the process died before committing
    assert (seen(Comment.__table__), seen(Alert.__table__)) == (0, 0)
    submissions.submit(db.session, ticket, answers, current_analyser(), mail=Mail())
    db.session.commit()
    assert (seen(Comment.__table__), seen(Alert.__table__)) == (1, 1)
    observer.dispose()


def test_a_harmless_comment_raises_no_alert(child, journey):
    send_worry(child, "i feel safe at my foster home and we had pizza")
    assert count(Alert) == 0
    assert count(ThemeTag) > 0


class BrokenAnalyser:
    """Fault injection: the theming module raising for any reason."""

    def analyse(self, text, language=None):
        raise RuntimeError("lexicon file missing")


def test_a_failure_of_the_detector_still_reaches_a_person(app, child, journey):
    app.extensions["theming"] = BrokenAnalyser()
    send_worry(child, "i dont like it here")
    alert = db.session.scalar(select(Alert))
    assert alert.reason == AlertReason.DETECTOR_FAILURE
    assert alert.detail == "analysis failed"
    assert alert.comment.needs_review is True


def test_a_disclosure_in_polish_is_flagged(child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(language="pl")))
    send_worry(child, "on mnie bije i boję się wracać do domu")
    comment = db.session.scalar(select(Comment))
    assert comment.language == "pl"
    assert comment.needs_review or count(Alert) == 1
    assert count(Alert) == 1


def test_with_mail_on_the_pod_is_notified(app_factory, journey, create_access_code,
                                          create_user):
    create_user(Role.WORKER, journey.pod)  # someone who reads the pod's mailbox
    tablet = ChildActions(app_factory(SMTP_HOST="127.0.0.1").test_client())
    tablet.enter_code(create_access_code(journey))
    send_worry(tablet, DISCLOSURE)
    notification = db.session.scalar(select(Notification))
    assert notification.recipient == "north.pod@council.example"
    assert notification.kind == "new_alert"


def test_the_help_page_lists_who_to_call(client):
    page = client.get("/help").get_data(as_text=True)
    assert "999" in page and "0800 1111" in page
    assert "chat online with Childline" in page


def test_tell_my_worker_now_raises_an_urgent_alert_at_once(child, journey):
    child.client.post("/help", data={"message": "please ring me"})
    alert = db.session.scalar(select(Alert))
    assert alert.reason == AlertReason.BUTTON
    assert alert.case_id == journey.id
    assert alert.comment.text == "please ring me"


def test_tell_my_worker_now_works_without_a_message(child, journey):
    child.client.post("/help", data={"message": ""})
    alert = db.session.scalar(select(Alert))
    assert alert.reason == AlertReason.BUTTON and alert.comment is None


def test_in_a_session_the_safeguarding_lead_gets_the_alert(app_factory, create_session,
                                                           create_user):
    lead = create_user(email="lead@council.example", role=Role.WORKER)
    event = create_session(safeguarding_lead=lead)
    tablet = app_factory(SMTP_HOST="127.0.0.1").test_client()
    tablet.post("/", data={"code": event.join_code})
    tablet.post("/help", data={"message": ""})
    alert = db.session.scalar(select(Alert))
    assert alert.session_id == event.id and alert.case_id is None
    assert db.session.scalar(select(Notification.recipient)) == "lead@council.example"


def test_exit_this_page_ends_the_session_and_leaves(child, journey):
    response = child.client.get("/exit")
    assert response.headers["Location"] == "https://www.bbc.co.uk/weather"
    assert child.client.get("/check").headers["Location"] == "/"


def test_every_child_page_has_the_help_and_exit_buttons(child, journey):
    for path in ("/welcome", "/questions/1", "/check", "/help"):
        page = child.client.get(path).get_data(as_text=True)
        assert "I don't feel safe / I need help now" in page, path
        assert "Exit this page" in page, path


def test_a_broken_lexicon_file_still_stores_the_words_and_alerts(app_factory, tmp_path,
                                                                 create_case,
                                                                 create_access_code):
    broken = tmp_path / "extra.toml"
    broken.write_text("[themes.school]\nterms = [\"\"]\n")  # invalid: an empty term
    tablet = ChildActions(app_factory(THEMING_LEXICON=str(broken)).test_client())
    tablet.enter_code(create_access_code(create_case()))
    send_worry(tablet, "i dont want to go home tonight")
    alert = db.session.scalar(select(Alert))
    assert alert.reason == AlertReason.DETECTOR_FAILURE
    assert alert.comment.text == "i dont want to go home tonight"
