"""The safety loop end to end, in Chromium over HTTPS with production settings.

A board analyst makes a session with a worker as its safeguarding lead; a child joins
by code, writes a disclosure and presses "I don't feel safe"; the lead signs in, finds
one urgent alert at the top of the inbox and on the session page, opens and
acknowledges it; the e-mail that went out links to a page that opens for the lead and
holds none of the child's words.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from axe import assert_accessible
from factories import PASSWORD
from feedback.extensions import db
from feedback.models import Alert, AlertState, AlertTier, ParticipationSession, Role, today
from pages import StaffPages

pytestmark = pytest.mark.browser

DISCLOSURE = "my step dad hits me and i am scared to go home"


def test_a_disclosure_at_a_session_reaches_its_lead(new_context, live_server, create_user,
                                                    builtin_questionnaires, smtp, screenshot):
    live_server.app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port,
                                  BASE_URL=live_server.url)
    board = create_user(Role.BOARD, name="Bea Board")
    lead = create_user(Role.WORKER, name="Sam Lead", email="sam.lead@council.example")

    # The board analyst creates the session and chooses its safeguarding lead.
    analyst = new_context().new_page()
    StaffPages(analyst, live_server.url).sign_in(board.email, PASSWORD)
    analyst.goto("/board/sessions/new")
    analyst.get_by_label("Title").fill("Young people's safeguarding forum")
    analyst.get_by_label("First day").fill(today().isoformat())
    analyst.get_by_label("Last day").fill((today() + timedelta(days=1)).isoformat())
    analyst.get_by_label("Safeguarding lead").select_option(label=f"Sam Lead ({lead.email})")
    analyst.get_by_role("button", name="Create the session").click()
    code = analyst.locator(".app-access-code").inner_text().strip()
    event = db.session.scalars(select(ParticipationSession)).one()
    assert event.safeguarding_lead_id == lead.id

    # A child joins, writes what is happening and asks for help.
    tablet = new_context().new_page()
    tablet.goto("/")
    tablet.get_by_label("Enter your code").fill(code)
    tablet.get_by_role("button", name="Start").click()
    tablet.get_by_role("link", name="I don't feel safe / I need help now").click()
    tablet.get_by_role("textbox").fill(DISCLOSURE)
    tablet.get_by_role("button", name="Send my message now").click()
    assert tablet.get_by_role("heading", level=1).inner_text() == "We have sent your message"
    assert "Tell the adult running this session" in tablet.inner_text("main")
    screenshot("child-told", page=tablet)

    # The e-mail goes out: a link, never the words.
    with live_server.app.app_context():  # the live app's settings, not the test app's
        result = live_server.app.test_cli_runner().invoke(args=["alerts", "process"])
    assert result.exit_code == 0, result.output
    [message] = smtp.to(lead.email)
    body = message.get_content()
    assert DISCLOSURE not in body and "hits" not in body and "step dad" not in body
    link = next(word for word in body.split() if word.startswith(live_server.url))

    # The lead signs in: one urgent alert, at the top of the inbox and on the session page.
    desk = new_context().new_page()
    StaffPages(desk, live_server.url).sign_in(lead.email, PASSWORD)
    assert desk.get_by_role("heading", level=1).inner_text() == "Inbox"
    rows = desk.locator("table.app-alerts tbody tr")
    assert rows.count() == 1
    assert "Urgent" in rows.first.inner_text()
    assert "Young people's safeguarding forum" in rows.first.inner_text()
    assert_accessible(desk)
    screenshot("lead-inbox", page=desk)
    desk.goto(f"/staff/sessions/{event.id}")
    assert desk.locator("table.app-alerts tbody tr").count() == 1
    assert_accessible(desk)

    # The e-mail's link opens the alert for the lead; they acknowledge it.
    desk.goto(urlsplit(link).path)
    assert desk.get_by_role("heading", level=1).inner_text() == \
        "The child pressed “I need help now”"
    assert DISCLOSURE in desk.inner_text("main")
    desk.get_by_label("Spoke to the child", exact=True).check()
    desk.get_by_role("button", name="Acknowledge").click()
    screenshot("lead-acknowledged", page=desk)
    db.session.rollback()  # a fresh read: the live server wrote it
    alert = db.session.scalars(select(Alert)).one()
    assert alert.tier == AlertTier.URGENT and alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by_id == lead.id
    desk.goto("/staff/")
    assert desk.locator("table.app-alerts").count() == 0
