"""Chromium over HTTPS, the app in production configuration: what the browser really sends.

A child's page forbids the Referer, so Chromium sends none and says ``Origin: null``;
every child POST must still arrive. A staff page sends its true origin. A form on
another site must be refused and raise nothing.
"""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from factories import PASSWORD
from feedback.extensions import db
from feedback.models import Alert, AlertReason, Role
from journeys import (
    CASE_THANKS, HowAreThings, answer_how_are_things, comments_of, stored_responses,
)

pytestmark = pytest.mark.browser

HELP_MESSAGE = "I do not want to go home tonight"


def posts_seen(page) -> list:
    """Start keeping every POST the page sends; return the list they go into."""
    seen: list = []
    page.on("request", lambda request: seen.append(request) if request.method == "POST"
            else None)
    return seen


def alerts() -> list[Alert]:
    db.session.rollback()  # a fresh read: the live server wrote them
    return list(db.session.scalars(select(Alert)))


def test_a_child_asks_for_help_and_sends_with_no_referer(child, page, live_server, case_code):
    assert live_server.url.startswith("https://")
    made = case_code("how-are-things")
    posts = posts_seen(page)

    child.start_with_code(made.code)
    child.start_questions()
    child.press_help()
    page.get_by_role("textbox").fill(HELP_MESSAGE)  # the help page's one box
    child.press_button("Tell my worker now")
    assert child.heading().startswith("We have sent your message")
    child.open("/welcome")
    answer_how_are_things(child, HowAreThings())
    child.send()
    assert child.heading() == "Thank you"
    assert CASE_THANKS in child.page.inner_text("main")

    [alert] = [alert for alert in alerts() if alert.reason == AlertReason.BUTTON]
    assert alert.case_id == made.case_id
    assert alert.comment is not None and alert.comment.text == HELP_MESSAGE
    [response] = [r for r in stored_responses() if r.id != alert.comment.response_id]
    assert response.case_id == made.case_id
    assert comments_of(response) == HowAreThings().stored_comments()
    sent = [(urlsplit(post.url).path, post.all_headers()) for post in posts]
    assert [path for path, _ in sent] == ["/", "/help", *[f"/questions/{n}" for n in
                                                          range(1, 7)], "/send"]
    for path, headers in sent:
        assert "referer" not in headers, path
        assert headers.get("origin") == "null", path
        assert headers.get("sec-fetch-site") == "same-origin", path


def test_staff_sign_in_open_a_case_and_sign_out(staff, page, live_server, create_user,
                                                create_case):
    worker = create_user(Role.WORKER)
    reference = create_case(worker.pod).reference
    posts = posts_seen(page)

    staff.sign_in(worker.email, PASSWORD)
    assert staff.heading() == "Inbox"
    staff.open_case(reference)
    assert staff.heading() == f"Case {reference}"
    staff.sign_out()
    assert staff.heading() == "Sign in"

    # Signed in, staff pages send Referrer-Policy: same-origin: Chromium names the origin.
    # (Between them, the second factor: setting up the authenticator app.)
    [sign_in, *_second_factor, sign_out] = [post.all_headers() for post in posts]
    assert sign_out.get("origin") == live_server.url
    assert sign_in.get("origin") in ("null", live_server.url)


def test_a_form_on_another_site_cannot_ask_for_help(child, page, context, live_server,
                                                    case_code):
    made = case_code("how-are-things")
    child.start_with_code(made.code)
    hostile = (f'<form method="post" action="{live_server.url}/help">'
               '<input name="message" value="come to the park at 9"><button>Go</button></form>')
    context.route("https://evil.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=hostile))
    page.goto("https://evil.example/")
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()

    assert child.heading() == "Something went wrong with that request"
    assert "come to the park at 9" not in page.inner_text("body")
    assert alerts() == []
