"""Measure what a child's tablet downloads for the start page and a question page.

Serves the real app over HTTP on loopback (with a throwaway SQLite database),
fetches each page and every asset it references, as a browser would (gzip and
brotli accepted), and counts the bytes on the wire: status line, headers and
body. The bar is 100 kB per page, everything included.

An Urdu page also names the Nastaliq web font its stylesheet declares. A device with a
Nastaliq of its own (Noto Nastaliq Urdu, or Windows' Urdu Typesetting) draws Urdu in
that and fetches nothing; one without fetches the font once. Both figures are printed;
the second is a one-off per device, so it is reported beside the bar, not held to it.

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import http.client
import re
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from flask_migrate import upgrade
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.app import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.models import Case, Pod  # noqa: E402
from feedback.services import codes, questionnaires  # noqa: E402

LIMIT = 100 * 1024
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
STYLESHEET = Path(__file__).resolve().parent.parent / "feedback/static/build/app.css"
FONT = re.compile(r'url\("?(fonts/[^")]+\.woff2)"?\)')


def fetch(port: int, path: str, cookie: str = "", method: str = "GET",
          body: str = "") -> tuple[int, bytes, dict[str, str]]:
    """Return (bytes on the wire, body, headers) for one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Accept-Encoding": "br, gzip", "Cookie": cookie}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    raw = response.read()
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.getheaders()) + "\r\n"
    result = len(head.encode()) + len(raw), raw, dict(response.getheaders())
    connection.close()
    return result


def page_weight(port: int, path: str, cookie: str,
                fonts: bool = False) -> tuple[int, list[tuple[str, int]]]:
    """Bytes for a page and its assets; ``fonts``: and the web fonts its stylesheet names."""
    size, body, _ = fetch(port, path, cookie)
    parts = [(path, size)]
    assets = sorted(set(ASSET.findall(body.decode())))
    if fonts:
        assets += [urljoin("/static/build/app.css", font)
                   for font in sorted(set(FONT.findall(STYLESHEET.read_text())))]
    for asset in assets:
        parts.append((asset, fetch(port, urljoin(path, asset), cookie)[0]))
    return sum(n for _, n in parts), parts


def start_journey(port: int, code: str) -> str:
    """Enter a code on the start page; the session cookie that follows."""
    _, _, headers = fetch(port, "/", method="POST", body=f"code={code}")
    return headers.get("Set-Cookie", "").split(";")[0]


def main() -> int:
    folder = tempfile.mkdtemp()
    app = create_app({"FEEDBACK_ENV": "testing", "SECRET_KEY": "x" * 40,
                      "DATABASE_URL": f"sqlite:///{folder}/weight.sqlite",
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        questionnaires.install_builtin(db.session)
        case = Case(reference="WEIGHT1", pod=Pod(name="Pod"))
        db.session.add(case)
        db.session.flush()
        _, code = codes.create_access_code(
            db.session, case, questionnaires.by_slug(db.session, "how-are-things"), None, 4)
        _, express = codes.create_access_code(
            db.session, case, questionnaires.by_slug(db.session, "express"), None, 4)
        _, urdu = codes.create_access_code(
            db.session, case, questionnaires.by_slug(db.session, "express"), None, 4)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    cookie = start_journey(port, code)
    express_cookie = start_journey(port, express)
    urdu_cookie = start_journey(port, urdu)
    fetch(port, "/language/ur?next=/questions/1", urdu_cookie)
    failed = False
    for label, path, jar, fonts in (
            ("start page", "/", cookie, False),
            ("question page", "/questions/3", cookie, False),
            ("Express cards page", "/questions/1", express_cookie, False),
            ("Express cards page in Urdu, device has a Nastaliq", "/questions/1", urdu_cookie,
             False),
            ("Express cards page in Urdu, device has none (font fetched once)", "/questions/1",
             urdu_cookie, True)):
        total, parts = page_weight(port, path, jar, fonts)
        failed |= total > LIMIT and not fonts
        over = " OVER the bar" if total > LIMIT else ""
        print(f"{label} ({path}): {total / 1024:.1f} kB of {LIMIT / 1024:.0f} kB "
              f"({total / LIMIT:.0%} of the budget){over}")
        for name, size in parts:
            print(f"  {size / 1024:7.1f} kB  {urlsplit(name).path}")
    server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
