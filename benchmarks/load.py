"""Load: the child submission path under gunicorn, against a bare Flask + sqlite3 baseline.

Both run in this same process tree on loopback with 2 gunicorn workers, on SQLite
files, driven by the same Python load generator (16 keep-alive connections).

* The service's submission path: GET /check (the check-your-answers form, with
  its CSRF token and idempotency key) then POST /send (analysed, stored, alert
  if needed, session rotated). Each submission needs a child's journey (a join
  code entered, answers in the session): each turn's journeys are made just
  before the turn, off the clock, so that Check your answers comes seconds after
  the last answer, as it does for a child (a session left a minute unchanged is
  written again to push its expiry out; minutes-old journeys would add that write).
* The baseline: GET /form (a form with a token) and POST /submit, which inserts
  the same response and comment rows with the sqlite3 module.

The two apps take turns (``--rounds`` windows each, within ``--seconds``), so
that a drift in the shared machine's speed falls on both. Both run 1 thread per
worker unless ``--threads`` says otherwise.

It prints requests per second, p50/p95 latency of each request, and the ratio
to the baseline; it exits 1 when a bar is missed. Bars (issue 21): ratio ≥ 0.40,
POST /send p95 < 100 ms at 16 connections.

    .venv/bin/python benchmarks/load.py [--seconds 20] [--connections 16] [--rounds 4] \
        [--threads 1] [--redis redis://127.0.0.1:6379/15]

``--redis`` runs the service as deployed (production refuses in-memory rate
limits): its sessions and rate limits in Redis.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
#: The bars: the service keeps this share of the baseline's rate, and this p95.
RATIO_BAR = 0.40
P95_BAR_MS = 100.0
TOKEN = re.compile(r'name="(csrf_token|key|journey)" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listening on {port}")


def gunicorn(app: str, port: int, env: dict[str, str], cwd: Path,
             threads: int = 4) -> subprocess.Popen[bytes]:
    command = [PYTHON, "-m", "gunicorn", "--workers", "2", "--threads", str(threads),
               "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", app]
    return subprocess.Popen(command, cwd=cwd, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


BASELINE = textwrap.dedent('''
    import secrets, sqlite3, datetime
    from flask import Flask, request
    app = Flask(__name__)
    DB = __import__("os").environ["BASELINE_DB"]

    def connect():
        c = sqlite3.connect(DB, timeout=10)
        c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
        return c

    @app.get("/form")
    def form():
        return ('<form method="post"><input type="hidden" name="key" value="%s">'
                '<textarea name="text"></textarea><button>Send</button></form>'
                % secrets.token_urlsafe(24))

    @app.post("/submit")
    def submit():
        c = connect()
        with c:
            cur = c.execute("INSERT INTO responses (idempotency_key, submitted_on, language)"
                            " VALUES (?, ?, 'en')",
                            (request.form["key"], datetime.date.today().isoformat()))
            c.execute("INSERT INTO comments (response_id, question_key, text, language)"
                      " VALUES (?, 'q', ?, 'en')", (cur.lastrowid, request.form["text"]))
        c.close()
        return "", 303, {"Location": "/thanks"}
''')


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {}
        self.submissions = 0
        self.errors = 0
        self.reasons: dict[str, int] = {}

    def failed(self, reason: str) -> None:
        with self.lock:
            self.errors += 1
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def add(self, name: str, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(name, []).append(seconds * 1000)


def request(conn: http.client.HTTPConnection, stats: Stats, name: str, method: str, path: str,
            body: dict[str, str] | None = None, cookie: str = "",
            address: str = "") -> tuple[int, str, str]:
    headers = {"Cookie": cookie} if cookie else {}
    if address:  # the tablet's own address, as the council's proxy would pass it on
        headers["X-Forwarded-For"] = address
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    stats.add(name, time.perf_counter() - started)
    if method == "POST" and path == "/send":  # the redirect says whether it was stored
        return response.status, text, response.getheader("Location") or ""
    return response.status, text, session_cookie(response)


def session_cookie(response: http.client.HTTPResponse) -> str:
    """Return the session cookie the response sets ("name=value"), if any.

    A child's page also sets a ``device`` cookie; only the session matters here.
    """
    for header in response.msg.get_all("Set-Cookie") or []:
        pair = header.split(";")[0]
        if pair.split("=")[0].endswith("session"):
            return pair
    return ""


def start_journeys(port: int, code: str, count: int, first: int) -> list[tuple[str, str]]:
    """Enter the join code ``count`` times, each from its own tablet (address); return the
    (session cookie, address) pairs, ready to send."""
    stats = Stats()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    journeys = []
    for n in range(first, first + count):
        address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
        _, page, cookie = request(conn, stats, "GET /", "GET", "/", address=address)
        csrf = dict(TOKEN.findall(page))["csrf_token"]
        _, _, new = request(conn, stats, "POST /", "POST", "/", {"code": code,
                                                                 "csrf_token": csrf}, cookie,
                            address)
        cookie = new or cookie  # starting a journey moves the child to a new session
        for number, answer in ((2, "4"), (6, "more youth clubs and safer parks please")):
            _, page, _ = request(conn, stats, "question", "GET", f"/questions/{number}",
                                 cookie=cookie, address=address)
            fields = dict(TOKEN.findall(page))
            status, _, _ = request(conn, stats, "answer", "POST", f"/questions/{number}",
                                   {**fields, "answer": answer}, cookie, address)
            if status != 302:
                raise RuntimeError(f"answering question {number} failed: {status}")
        journeys.append((cookie, address))
    conn.close()
    return journeys


def prepare(port: int, code: str, count: int, first: int,
            makers: int) -> list[tuple[str, str]]:
    """Make ``count`` children's journeys, ready to send, with ``makers`` in parallel."""
    per_maker = max(1, count // makers)
    batches: list[list[tuple[str, str]]] = [[] for _ in range(makers)]
    threads = [threading.Thread(target=lambda b=b, n=n: b.extend(
        start_journeys(port, code, per_maker, first + n * per_maker)))
        for n, b in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    journeys = [journey for batch in batches for journey in batch]
    if len(journeys) < per_maker * makers:
        raise RuntimeError("some journeys could not be prepared")
    return journeys


def service_user(port: int, journeys: list[tuple[str, str]], stats: Stats,
                 stop: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        with stats.lock:
            if not journeys:
                return
            cookie, address = journeys.pop()
        try:
            _, page, _ = request(conn, stats, "GET /check (form)", "GET", "/check",
                                 cookie=cookie, address=address)
            form = dict(TOKEN.findall(page))
            status, _, location = request(conn, stats, "POST /send", "POST", "/send", form,
                                          cookie, address)
            stored = status == 302 and location.endswith("/thank-you")
            if stored:
                with stats.lock:
                    stats.submissions += 1
            else:
                stats.failed(f"POST /send answered {status} {location}")
        except (OSError, http.client.HTTPException, KeyError) as error:
            stats.failed(f"{type(error).__name__}: {error}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def baseline_user(port: int, stats: Stats, stop: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop:
        _, page, _ = request(conn, stats, "GET /form", "GET", "/form")
        key = re.search(r'value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        status, _, _ = request(conn, stats, "POST /submit", "POST", "/submit",
                               {"key": key, "text": "more youth clubs and safer parks please"})
        with stats.lock:
            stats.submissions += status == 303
            stats.errors += status != 303


def drive(target: threading.Thread.__init__, connections: int, seconds: float,  # type: ignore
          *args: object, stats: Stats | None = None) -> tuple[Stats, float]:
    stats = stats or Stats()
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=target, args=(*args, stats, stop))
               for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return stats, time.monotonic() - started


def report(label: str, stats: Stats, elapsed: float) -> float:
    """Print and return requests per second (two requests make one submission)."""
    requests = sum(len(v) for v in stats.latencies.values())
    rate = requests / elapsed
    print(f"{label}: {rate:.0f} requests/s, {stats.submissions / elapsed:.0f} submissions/s "
          f"({stats.submissions} in {elapsed:.1f} s, {stats.errors} errors)")
    for reason, count in sorted(stats.reasons.items(), key=lambda item: -item[1])[:5]:
        print(f"  error x{count}: {reason}")
    for name, values in stats.latencies.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1] if values else 0
        print(f"  {name:20} p50 {statistics.median(values):6.1f} ms   p95 {p95:6.1f} ms")
    return rate


def setup_service(folder: Path, redis_url: str = "",
                  database_url: str = "") -> tuple[dict[str, str], str]:
    """Migrate a fresh database (SQLite in ``folder`` unless ``database_url``), add a
    participation session open today, and return the server's environment and its
    join code."""
    env = {"FEEDBACK_ENV": "testing", "SECRET_KEY": "b" * 40,
           "DATABASE_URL": database_url or f"sqlite:///{folder}/service.sqlite",
           "REDIS_URL": redis_url,
           # Children come from many tablets: each journey sends its own address, as
           # the council's proxy would, so rate limits apply per tablet as in service.
           "PROXY_COUNT": "1"}
    script = textwrap.dedent('''
        from datetime import timedelta
        from flask_migrate import upgrade
        from feedback.app import create_app
        from feedback.extensions import db
        from feedback.models import ParticipationSession, Role, today
        from feedback.services import accounts, codes, questionnaires
        app = create_app()
        with app.app_context():
            upgrade()
            questionnaires.install_builtin(db.session)
            host = accounts.create_staff(db.session, email="host@bench.example", name="Host",
                                         role=Role.BOARD, password="benchmark-password")
            join_code = codes.new_join_code(db.session)
            event = ParticipationSession(title="Load", join_code_digest=codes.digest(join_code),
                questionnaire=questionnaires.by_slug(db.session, "board-session"),
                safeguarding_lead=host, starts_on=today(), ends_on=today() + timedelta(days=1))
            db.session.add(event)
            db.session.commit()
            print(join_code)
    ''')
    done = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, check=True)
    return env, done.stdout.strip().splitlines()[-1]


def setup_baseline(folder: Path) -> dict[str, str]:
    import sqlite3
    path = folder / "baseline.sqlite"
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("CREATE TABLE responses (id INTEGER PRIMARY KEY, idempotency_key TEXT UNIQUE,"
                  " submitted_on TEXT, language TEXT)")
        c.execute("CREATE TABLE comments (id INTEGER PRIMARY KEY, response_id INTEGER"
                  " REFERENCES responses(id), question_key TEXT, text TEXT, language TEXT)")
    (folder / "baseline_app.py").write_text(BASELINE)
    return {"BASELINE_DB": str(path), "PYTHONPATH": str(folder)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", default="", metavar="URL",
                        help="keep the service's sessions and rate limits in this Redis "
                             "(default: sessions in the SQLite database, limits in memory)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker, for both apps (default 1)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="alternate the two apps this many times within --seconds each")
    parser.add_argument("--journeys", type=int, default=8000,
                        help="children's journeys to prepare, in all (one per submission; "
                             "each turn makes its share just before it runs)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="feedback-load-"))
    servers = []
    try:
        base_env = setup_baseline(folder)
        base_port = free_port()
        servers.append(gunicorn("baseline_app:app", base_port, base_env, folder, args.threads))
        service_env, code = setup_service(folder, args.redis)
        service_port = free_port()
        servers.append(gunicorn("wsgi:app", service_port, service_env, ROOT, args.threads))
        wait_for(base_port)
        wait_for(service_port)
        # Warm both up (imports, the theming lexicon) before measuring.
        drive(baseline_user, 2, 2, base_port)
        drive(service_user, 2, 2, service_port, prepare(service_port, code, 200, 0, 16))
        # Turn and turn about, so that both see the same machine: on a shared
        # virtual machine its speed drifts over a minute more than by noise.
        base_stats, stats = Stats(), Stats()
        base_elapsed = elapsed = 0.0
        per_round = args.journeys // args.rounds
        ran_out = False
        for turn in range(args.rounds):
            base_elapsed += drive(baseline_user, args.connections, args.seconds / args.rounds,
                                  base_port, stats=base_stats)[1]
            # This turn's children answer their questions now, off the clock: a child
            # sees Check your answers moments after their last answer, not minutes.
            journeys = prepare(service_port, code, per_round, 1000 + turn * per_round,
                               args.connections)
            elapsed += drive(service_user, args.connections, args.seconds / args.rounds,
                             service_port, journeys, stats=stats)[1]
            ran_out = ran_out or not journeys
        base = report("baseline (bare Flask + sqlite3)", base_stats, base_elapsed)
        if ran_out:
            print("warning: the journeys ran out before the time was up; use --journeys")
        service = report("service (GET /check, POST /send)", stats, elapsed)
        send = sorted(stats.latencies.get("POST /send", [0]))
        p95 = send[int(len(send) * 0.95) - 1]
        print(f"ratio service/baseline: {service / base:.2f} (bar {RATIO_BAR:.2f}); "
              f"POST /send p95 {p95:.1f} ms (bar {P95_BAR_MS:.0f} ms) "
              f"at {args.connections} connections")
        return 0 if service / base >= RATIO_BAR and p95 < P95_BAR_MS else 1
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
