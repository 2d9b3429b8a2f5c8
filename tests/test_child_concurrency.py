"""A double tap or a resend on flaky wifi stores one response, however many arrive at once."""

import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from apps import ChildActions
from feedback.extensions import db
from feedback.models import Alert, Comment, Response


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(url: str, cookie: str, form: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(),
                                     headers={"Cookie": f"session={cookie}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def test_fifty_sends_with_one_key_store_exactly_one_response(
        threaded_server, create_case, create_access_code):
    app, base = threaded_server
    child = ChildActions(app.test_client())
    child.enter_code(create_access_code(create_case()))
    child.answer(1, answer="2")
    child.answer(2, answer="2")
    child.answer(4, answer="my mum shouts when she drinks and i hide upstairs")
    form = child.send_form()
    cookie = child.client.get_cookie("session").value
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda _: post(f"{base}/send", cookie, form), range(50)))
    assert {status for status, _ in results} <= {302, 400}
    assert any(location.endswith("/thank-you") for _, location in results)
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1
