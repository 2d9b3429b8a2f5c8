"""Sign a demo account in and write its session cookie in wapiti's cookie-file format.

    .venv/bin/python benchmarks/scan_sign_in.py http://127.0.0.1:5000 manager.north@demo.example \
        demo-password-2026 > cookies.json

Outside production a password account signs in without a second factor, so the
scanner can reach every page that account may see.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def request(base: str, method: str, path: str, cookie: str = "",
            form: dict[str, str] | None = None) -> http.client.HTTPResponse:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80)
    headers = {"Cookie": cookie, "Origin": base}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    return connection.getresponse()


def session_cookie(response: http.client.HTTPResponse) -> str:
    for line in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = line.partition("=")
        if name.endswith("session"):
            return f"{name}={rest.split(';')[0]}"
    return ""


def main(base: str, email: str, password: str) -> int:
    page = request(base, "GET", "/staff/sign-in")
    cookie = session_cookie(page)
    token = TOKEN.search(page.read().decode())
    if token is None:
        print("no sign-in form", file=sys.stderr)
        return 1
    signed_in = request(base, "POST", "/staff/sign-in", cookie,
                        {"csrf_token": token.group(1), "email": email, "password": password})
    cookie = session_cookie(signed_in) or cookie
    if signed_in.status != 302 or not cookie:
        print(f"sign-in failed: {signed_in.status}", file=sys.stderr)
        return 1
    name, _, value = cookie.partition("=")
    host = urlsplit(base).hostname or "127.0.0.1"
    json.dump({host: {"/": {name: {"value": value, "version": 0, "expires": None,
                                   "secure": False, "port": None}}}}, sys.stdout, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
