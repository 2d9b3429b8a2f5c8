"""A QR code or printed link carries the child's code in its #fragment, which browsers never
send: no query string, so no server or proxy log and no history entry the server made."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from feedback.web.journeys import start_link

WEB = Path(__file__).resolve().parent.parent / "feedback" / "web"


def test_a_code_link_carries_the_code_in_its_fragment_only(app):
    with app.test_request_context("/", base_url="https://feedback.council.example"):
        link = urlsplit(start_link("ABCD-EFGH"))
    assert (link.scheme, link.netloc, link.path) == ("https", "feedback.council.example", "/")
    assert link.query == "" and link.fragment == "code=ABCD-EFGH"


def test_no_view_builds_a_link_with_a_code_in_its_query():
    offending = [path.name for path in WEB.rglob("*.py")
                 if re.search(r"url_for\(\s*[\"']child\.start[\"'][^)]*[,(]\s*code\s*=",
                              path.read_text(encoding="utf-8"))]
    assert offending == []


def test_the_start_page_ignores_a_code_in_the_query(client, create_case, create_access_code):
    code = create_access_code(create_case(), "how-are-things")
    page = client.get(f"/?code={code}").get_data(as_text=True)
    [box] = re.findall(r'<input[^>]*name="code"[^>]*>', page)
    assert code not in box
