"""Social workers' and managers' pages with real casework on them: zero axe (WCAG 2.2 AA)
violations in every state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from factories import PASSWORD
from feedback.extensions import db
from feedback.models import Role, utcnow
from feedback.services import plans
from feedback.services.analysis import analyse_comment
from pages import StaffPages, assert_accessible

pytestmark = pytest.mark.browser

DISCLOSURE = "My mum's boyfriend hits me when she is at work and I am scared to go home"
WISH = "I love my school but I miss my little sister and want to see her more"


@dataclass(frozen=True)
class Casework:
    """A pod's work in progress, by id and reference (so nothing reloads in the test)."""

    worker_email: str
    manager_email: str
    reference: str
    drift_reference: str
    alert_id: int
    comment_id: int
    action_id: int


@pytest.fixture()
def casework(analyser, create_pod, create_user, create_case, create_response,
             create_alert) -> Casework:
    """A case with an unacknowledged disclosure alert, themed comments, a plan action that
    answers one, shared and unshared replies; and a case not heard from in 60 days."""
    pod = create_pod()
    worker = create_user(Role.WORKER, pod, name="Sam Worker")
    manager = create_user(Role.MANAGER, pod, name="Alex Manager")
    case = create_case(pod)
    response = create_response(case, DISCLOSURE, WISH)
    disclosure, wish = response.comments
    alert = create_alert(disclosure)
    for comment in (disclosure, wish):
        analyse_comment(db.session, comment, analyser, case=case, event=None,
                        mail=None)
    action = plans.add_action(db.session, case, title="Arrange a weekly visit to her sister",
                              section="family", owner="Sam Worker",
                              due_on=utcnow().date() + timedelta(days=14), by=worker,
                              comment=wish)
    plans.add_reply(db.session, case, "You can now see your sister every Saturday", worker,
                    shared=True, comment=wish)
    plans.add_reply(db.session, case, "We are talking to your school about clubs", worker,
                    shared=False, comment=wish)
    plans.add_reply(db.session, case, "The visits have started", worker, shared=True,
                    action=action)
    drift = create_case(pod)
    create_response(drift, "things are fine", submitted_at=utcnow() - timedelta(days=60))
    db.session.commit()
    return Casework(worker.email, manager.email, case.reference, drift.reference, alert.id,
                    wish.id, action.id)


def inbox(staff: StaffPages, work: Casework) -> None:
    staff.open_inbox()
    tables = staff.page.locator("main table")
    assert tables.count() == 3  # alerts, unread comments, not heard from lately


def case_page(staff: StaffPages, work: Casework) -> None:
    staff.open_case(work.reference)
    text = staff.page.inner_text("main")
    assert DISCLOSURE in text and "Suggested" in text
    assert "Arrange a weekly visit to her sister" in text
    assert "You can now see your sister every Saturday" in text


def case_page_writing_a_reply(staff: StaffPages, work: Casework) -> None:
    case_page(staff, work)
    staff.page.locator(f"#comment-{work.comment_id}").get_by_text("Write a reply").click()


def alert_page(staff: StaffPages, work: Casework) -> None:
    staff.open_alert(work.alert_id)
    assert staff.heading() == "Possible disclosure found in the words"


def alert_page_not_filled_in(staff: StaffPages, work: Casework) -> None:
    alert_page(staff, work)
    staff.press_button("Acknowledge")
    assert staff.error_messages() == ["Choose what you did"]


def alert_page_acknowledged(staff: StaffPages, work: Casework) -> None:
    alert_page(staff, work)
    staff.acknowledge_alert("Spoke to the child", "Visited at school the same afternoon")
    # Waits for the page (a loaded CI machine can be slow to render it); its text if not.
    heading = staff.page.get_by_role("heading", name="Acknowledged")
    heading.wait_for(state="visible")
    assert heading.is_visible(), staff.page.inner_text("main")


def plan_page(staff: StaffPages, work: Casework) -> None:
    staff.open_plan(work.reference)


def plan_page_answering_a_comment(staff: StaffPages, work: Casework) -> None:
    staff.open_case(work.reference)
    staff.page.locator(f"#comment-{work.comment_id}").get_by_role(
        "link", name="Add to plan (this comment)").click()
    staff.page.wait_for_url("**/plan?comment_id=*")
    assert WISH in staff.page.inner_text("main")


def plan_action_page(staff: StaffPages, work: Casework) -> None:
    staff.open_plan_action(work.action_id)
    assert staff.heading() == "Arrange a weekly visit to her sister"


def export_page(staff: StaffPages, work: Casework) -> None:
    staff.open_export(work.reference)


def access_code_page(staff: StaffPages, work: Casework) -> None:
    staff.open_case(work.reference)
    code = staff.create_access_code("How are things?")
    assert len(code) >= 4


STATES: dict[str, Callable[[StaffPages, Casework], None]] = {
    f.__name__.replace("_", "-"): f for f in (
        inbox, case_page, case_page_writing_a_reply, alert_page, alert_page_not_filled_in,
        alert_page_acknowledged, plan_page, plan_page_answering_a_comment, plan_action_page,
        export_page, access_code_page)}

#: {state: reason} for pages with a known defect: strict xfails that fail once fixed.
KNOWN_AXE: dict[str, str] = {}


@pytest.mark.parametrize("state", [
    pytest.param(name, id=name, marks=[pytest.mark.xfail(
        strict=True, raises=AssertionError, reason=KNOWN_AXE[name])] if name in KNOWN_AXE else [])
    for name in STATES])
def test_the_workers_page_has_no_accessibility_problems(staff, page, casework, state):
    staff.sign_in(casework.worker_email, PASSWORD)
    STATES[state](staff, casework)
    assert_accessible(page)


def test_the_managers_inbox_has_no_accessibility_problems(staff, page, casework):
    staff.sign_in(casework.manager_email, PASSWORD)
    staff.open_inbox()
    assert staff.page.get_by_role("heading", name="E-mails that could not be sent").is_visible()
    assert_accessible(page)
