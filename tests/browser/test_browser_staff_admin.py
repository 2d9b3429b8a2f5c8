"""An administrator invites a worker in the browser; the worker chooses a password, sets up
their app and signs in; deactivated, their open page is signed out on the next click.
Every page on the way has zero axe violations."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from factories import PASSWORD
from feedback.models import Role
from pages import StaffPages, assert_accessible

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-orchard-whistle-42"
WORKER = "nia.worker@council.example"


def test_an_invited_worker_signs_in_and_is_signed_out_when_deactivated(
        staff, new_context, live_server, create_user, create_pod):
    create_pod(name="North pod")
    create_user(Role.MANAGER, name="Area Manager")  # alerts always have a manager
    admin = create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")
    staff.sign_in(admin.email, PASSWORD)
    staff.open("/admin/staff")
    assert_accessible(staff.page)
    staff.click_link("Invite a member of staff")
    staff.press_button("Send the invitation")
    assert "Enter their full name" in staff.error_messages()
    assert_accessible(staff.page)
    staff.field("Full name").fill("Nia Worker")
    staff.field("Email address").fill(WORKER)
    staff.field("Role").select_option(label="Social worker")
    staff.field("Pod").select_option(label="North pod")
    staff.press_button("Send the invitation")
    # No mail server in this lane: the administrator is shown the link once.
    # The link names BASE_URL; this test's server listens elsewhere.
    link = urlsplit(staff.page.get_by_test_id("invitation-link").inner_text().strip()).path
    assert_accessible(staff.page)

    worker = StaffPages(new_context().new_page(), live_server.url)
    worker.open(link)
    assert worker.heading() == "Choose your password"
    assert_accessible(worker.page)
    worker.field("New password").fill(NEW_PASSWORD)
    worker.field("Type the new password again").fill(NEW_PASSWORD)
    worker.press_button("Save the password and sign in")
    worker.give_second_factor(WORKER)  # production: the app is set up first
    assert worker.path() == "/staff/"

    staff.open("/admin/staff")
    staff.click_link("Nia Worker")
    assert_accessible(staff.page)
    staff.click_link("Deactivate the account")
    assert "Are you sure" in staff.heading()
    assert_accessible(staff.page)
    staff.press_button("Deactivate the account")

    worker.open("/staff/")
    assert worker.path() == "/staff/sign-in"
    worker.open(link)
    assert worker.heading() == "This link does not work"


def test_the_pod_configuration_and_password_pages_are_accessible(staff, create_user,
                                                                 create_pod):
    pod = create_pod(name="North pod")
    admin = create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")
    staff.sign_in(admin.email, PASSWORD)
    for path in ("/admin/", "/admin/pods", "/admin/pods/new", f"/admin/pods/{pod.id}",
                 "/admin/configuration", "/staff/account/password"):
        staff.open(path)
        assert_accessible(staff.page)
    staff.field("Current password").fill("not my password at all")
    staff.field("New password").fill(NEW_PASSWORD)
    staff.field("Type the new password again").fill(NEW_PASSWORD)
    staff.press_button("Change the password")
    assert staff.error_messages() == ["Your current password is not right"]
    assert_accessible(staff.page)
