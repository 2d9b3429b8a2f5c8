"""Fault injection: kill -9 gunicorn (master and workers) during concurrent submissions.

For each run: start gunicorn (2 workers) on a fresh database, prepare N
children's journeys, send all N at once from a pool of threads, kill -9 the
whole server part-way through, restart it, and resend every submission that
was not acknowledged, with the same form (same idempotency key). Then check:

* every acknowledged submission is stored exactly once;
* every submission is stored exactly once in the end (no duplicates, none lost);
* the database passes its integrity check (SQLite's ``PRAGMA integrity_check``;
  on PostgreSQL, amcheck's ``bt_index_check`` of every index against its table),
  and the session's participant count equals the responses stored.

    .venv/bin/python benchmarks/crash.py [--database sqlite|postgres] [--runs 5] \
        [--submissions 1000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FIELD = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import (  # noqa: E402 -- the same set-up as the load test
    free_port, session_cookie, setup_service,
)


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "--workers", "2", "--threads", "8", "--worker-class",
         "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "error", "wsgi:app"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=open("/tmp/crash-gunicorn.log", "ab"))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """kill -9 the master and every worker (the whole process group)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def post(port: int, path: str, form: dict[str, str],
         cookie: str) -> tuple[int, str, str, str]:
    """Return (status, page, Location, the session cookie set, if any)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=urlencode(form),
                     headers={"Content-Type": "application/x-www-form-urlencoded",
                              "Cookie": cookie})
        response = conn.getresponse()
        return (response.status, response.read().decode("utf-8", "replace"),
                response.getheader("Location") or "",
                session_cookie(response))
    finally:
        conn.close()


def get(port: int, path: str, cookie: str = "") -> tuple[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        cookie_out = session_cookie(response)
        return response.read().decode("utf-8", "replace"), cookie_out
    finally:
        conn.close()


def prepare(port: int, code: str, n: int) -> list[tuple[str, dict[str, str]]]:
    """Make ``n`` journeys; return (cookie, send form) for each."""
    def one(index: int) -> tuple[str, dict[str, str]]:
        page, cookie = get(port, "/")
        csrf = dict(FIELD.findall(page))["csrf_token"]
        # Starting a journey moves the child to a new session (a new cookie).
        cookie = post(port, "/", {"code": code, "csrf_token": csrf}, cookie)[3] or cookie
        for number, answer in ((2, "4"), (6, f"submission number {index}")):
            page, _ = get(port, f"/questions/{number}", cookie)
            fields = dict(FIELD.findall(page))
            post(port, f"/questions/{number}", {**fields, "answer": answer}, cookie)
        check, _ = get(port, "/check", cookie)
        return cookie, dict(FIELD.findall(check))

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(one, range(n)))


def send(port: int, cookie: str, form: dict[str, str]) -> bool:
    """Send once; True only if the server acknowledged (redirect to the thank-you page)."""
    try:
        status, page, location, _ = post(port, "/send", form, cookie)
    except (OSError, http.client.HTTPException):
        return False
    if status == 200 and "Send again" in page:  # the session was lost: send again
        again = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        try:
            status, _, location, _ = post(port, "/send", again, cookie)
        except (OSError, http.client.HTTPException):
            return False
    return status == 302 and location.endswith("/thank-you")


def database(kind: str, folder: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{folder}/crash.sqlite", None
    name = f"feedback_crash_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                    f'CREATE DATABASE "{name}"'], check=True)
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


CHECK = textwrap.dedent('''
    import json, sys
    from sqlalchemy import func, select, text
    from feedback.app import create_app
    from feedback.extensions import db
    from feedback.models import Comment, ParticipationSession, Response
    app = create_app()
    with app.app_context():
        texts = db.session.scalars(select(Comment.text)).all()
        keys = db.session.scalars(select(Response.idempotency_key)).all()
        if db.engine.dialect.name == "sqlite":
            integrity = db.session.execute(text("PRAGMA integrity_check")).scalar()
        else:  # every B-tree index checked against its table (PostgreSQL's amcheck)
            db.session.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
            db.session.execute(text(
                "SELECT bt_index_check(c.oid, true) FROM pg_index i"
                " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
                " WHERE am.amname = 'btree' AND c.relnamespace = 'public'::regnamespace")).all()
            integrity = "ok"
        # The session's head count moves in the same transaction as each response.
        counted = db.session.scalar(select(func.sum(ParticipationSession.participant_count)))
        stored = db.session.scalar(select(func.count(Response.id)))
        if counted != stored:
            integrity = f"participants counted {counted}, responses stored {stored}"
        print(json.dumps({"texts": texts, "keys": keys, "integrity": integrity}))
        db.engine.dispose()
''')


class Counter:
    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def add(self, ok: bool) -> None:
        with self.lock:
            self.value += ok


def one_run(kind: str, n: int, kill_at: float) -> bool:
    import json
    folder = Path(tempfile.mkdtemp(prefix="feedback-crash-"))
    url, pg_name = database(kind, folder)
    try:
        env, code = setup_service(folder, database_url=url)
        port = free_port()
        server = start_server(port, env)
        journeys = prepare(port, code, n)
        done = Counter()

        def send_and_count(journey: tuple[str, dict[str, str]]) -> bool:
            ok = send(port, *journey)
            done.add(ok)
            return ok

        def kill_part_way() -> None:
            # Kill once a share of the sends has been acknowledged: mid-flight, whatever
            # the machine's speed.
            deadline = time.monotonic() + 120
            while done.value < n * kill_at and time.monotonic() < deadline:
                time.sleep(0.005)
            kill_hard(server)

        killer = threading.Thread(target=kill_part_way)
        killer.start()
        with ThreadPoolExecutor(64) as pool:
            results = list(pool.map(send_and_count, journeys))
        killer.join()
        acknowledged = {i: ok for i, ok in enumerate(results)}
        before = sum(acknowledged.values())
        # Restart on a fresh port: the killed workers' socket can linger a moment.
        port = free_port()
        server = start_server(port, env)
        for index, ok in acknowledged.items():
            if not ok:  # resend the unanswered ones with the same form and key
                if not send(port, *journeys[index]):
                    cookie, form = journeys[index]
                    status, page, location, _ = post(port, "/send", form, cookie)
                    print(f"  resend {index} failed: {status} {location} "
                          f"{re.sub(r'<[^>]+>', ' ', page)[:600]!r}")
                    return False
        kill_hard(server)
        found = json.loads(subprocess.run([PYTHON, "-c", CHECK], cwd=ROOT,
                                          env={**os.environ, **env}, capture_output=True,
                                          text=True, check=True).stdout)
        expected = {f"submission number {i}" for i in range(n)}
        stored = found["texts"]
        duplicates = len(stored) - len(set(stored))
        missing = expected - set(stored)
        ok = not duplicates and not missing and found["integrity"] == "ok" \
            and len(found["keys"]) == n
        print(f"  {kind}: {before}/{n} acknowledged before kill -9, {n - before} resent; "
              f"stored {len(stored)}, duplicates {duplicates}, missing {len(missing)}, "
              f"integrity {found['integrity']} -> {'PASS' if ok else 'FAIL'}")
        return ok
    finally:
        if pg_name:
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                            f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--kill-at", type=float, default=0.4,
                        help="kill once this share of the sends is acknowledged")
    args = parser.parse_args()
    passed = sum(one_run(args.database, args.submissions, args.kill_at)
                 for _ in range(args.runs))
    print(f"{passed}/{args.runs} runs passed on {args.database}")
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
