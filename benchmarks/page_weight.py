"""Measure what a child's tablet downloads for the start page and a question page.

Serves the real app over HTTP on loopback (with a throwaway SQLite database),
fetches each page and every asset it references, as a browser would (gzip and
brotli accepted), and counts the bytes on the wire: status line, headers and
body. The bar is 100 kB per page, everything included.

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


def page_weight(port: int, path: str, cookie: str) -> tuple[int, list[tuple[str, int]]]:
    size, body, _ = fetch(port, path, cookie)
    parts = [(path, size)]
    for asset in sorted(set(ASSET.findall(body.decode()))):
        parts.append((asset, fetch(port, urljoin(path, asset), cookie)[0]))
    return sum(n for _, n in parts), parts


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
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_port
    _, _, headers = fetch(port, "/", method="POST", body=f"code={code}")
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    failed = False
    for label, path in (("start page", "/"), ("question page", "/questions/3")):
        total, parts = page_weight(port, path, cookie)
        failed |= total > LIMIT
        print(f"{label} ({path}): {total / 1024:.1f} kB of {LIMIT / 1024:.0f} kB "
              f"({total / LIMIT:.0%} of the budget)")
        for name, size in parts:
            print(f"  {size / 1024:7.1f} kB  {urlsplit(name).path}")
    server.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
