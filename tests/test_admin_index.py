"""The administration page leads to the one list of staff; it does not repeat it."""

from __future__ import annotations

import html
import re

from feedback.models import Role


def _href(page: str, text: str) -> str:
    """The address of the link whose words begin with ``text``."""
    found = re.search(r'href="([^"]+)">' + re.escape(text), page)
    assert found, f"no link {text!r}"
    return html.unescape(found.group(1))


def test_administration_links_to_the_staff_page_instead_of_listing_staff(client, auth,
                                                                         create_user):
    admin = create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")
    create_user(Role.WORKER, email="nia@council.example", name="Nia Worker")
    auth.sign_in(admin.email)
    index = client.get("/admin/").get_data(as_text=True)
    assert "Nia Worker" not in index and "<table" not in index
    staff = client.get(_href(index, "Manage staff")).get_data(as_text=True)
    assert "Nia Worker" in staff and "nia@council.example" in staff and "Active" in staff


def test_an_accounts_sessions_are_reached_from_the_staff_page(client, auth, create_user):
    admin = create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")
    create_user(Role.WORKER, email="nia@council.example", name="Nia Worker")
    auth.sign_in(admin.email)
    staff = client.get(_href(client.get("/admin/").get_data(as_text=True), "Manage staff"))
    account = client.get(_href(staff.get_data(as_text=True), "Nia Worker"))
    security = client.get(_href(account.get_data(as_text=True), "Sessions and second factor"))
    assert security.status_code == 200
    assert "Nia Worker" in security.get_data(as_text=True)
