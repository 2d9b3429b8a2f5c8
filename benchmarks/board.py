"""Time the board's summary page and PDF report over a million stored comments.

Generates the data with bulk inserts (SQLAlchemy Core ``executemany``, no ORM
objects) into a throwaway SQLite file, or into an empty PostgreSQL database
given with ``--database-url``; signs in as a board analyst; then times the
summary page and the PDF export for a quarter and for a year: first with nothing
stored in the database or cached (as just after migration 0017), then from a fresh
process with the finished months stored (the usual cold start), then warm (the
process's caches filled). The bars: the page under 2 s, the PDF under 10 s. As a
baseline from the same run, it times counting every stored comment once (one
scan of an index of a million entries), so results from busy and quiet
machines can be compared.

    .venv/bin/python benchmarks/board.py                      # 1,000,000 comments, SQLite
    .venv/bin/python benchmarks/board.py --comments 200000
    .venv/bin/python benchmarks/board.py \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench  # an empty database
    .venv/bin/python benchmarks/board.py --existing sqlite:////tmp/board.sqlite   # no generation
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import delete, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from feedback.app import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.models import (  # noqa: E402
    Alert, BoardMonthCounts, Case, Comment, CommentLink, ParticipationSession, PlanAction, Pod,
    Reply, Response,
    Role, ThemeTag, refresh_response_themes,
)
from feedback.services import accounts, codes, questionnaires  # noqa: E402
from feedback.theming import THEME_CODES  # noqa: E402

PASSWORD = "benchmark-password-0123"
#: Six years of a large council's feedback: about 14,000 comments a month at 1,000,000.
FIRST_DAY, LAST_DAY = date(2021, 1, 1), date(2026, 10, 31)
PAGE_BAR, PDF_BAR = 2.0, 10.0
CHUNK = 50_000
SENTIMENTS = ("positive", "negative", "mixed", "neutral")
BANDS = (None, "7-10", "11-13", "14-15", "16-18")
WORDS = ("school is ok", "i miss my mum", "my carers are kind", "i want more football",
         "nobody listens to me", "i feel safe at home", "i want to see my brother")


def chunked(rows: Iterator[dict], size: int = CHUNK) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(table, rows: Iterator[dict]) -> int:
    """Insert with executemany in chunks; return the number of rows."""
    count = 0
    for batch in chunked(rows):
        db.session.execute(table.insert(), batch)
        count += len(batch)
    db.session.commit()
    return count


def moment(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(
        minutes=rng.randrange(600))


def generate(comments: int, seed: int = 7) -> dict[str, int]:
    """Fill the database: cases, sessions, responses, comments, themes, alerts, the thread."""
    rng = random.Random(seed)
    questionnaires.install_builtin(db.session)
    pods = [Pod(name=f"Pod {n + 1}") for n in range(12)]
    db.session.add_all(pods)
    db.session.flush()
    board = accounts.create_staff(db.session, email="board@bench.example", name="Board",
                                  role=Role.BOARD, password=PASSWORD)
    worker = accounts.create_staff(db.session, email="worker@bench.example", name="Worker",
                                   role=Role.WORKER, password=PASSWORD, pod=pods[0])
    db.session.commit()
    versions = [v.id for v in questionnaires.current_versions(db.session)]
    session_version = next(v.id for v in questionnaires.current_versions(db.session)
                           if v.questionnaire.slug == "board-session")
    questionnaire_id = db.session.scalar(
        select(func.min(ParticipationSession.questionnaire_id))) or 1
    days = (LAST_DAY - FIRST_DAY).days + 1
    n_cases, n_sessions = max(comments // 30, 10), max(comments // 5000, 2)
    created = datetime(2023, 6, 1, tzinfo=UTC)
    counts = {"cases": insert(Case.__table__, (
        {"id": n + 1, "reference": f"B{n + 1:07d}", "pod_id": pods[n % 12].id,
         "preferred_language": "en", "is_open": rng.random() < 0.8, "is_on_legal_hold": False,
         "created_at": created} for n in range(n_cases)))}
    counts["sessions"] = insert(ParticipationSession.__table__, (
        {"id": n + 1, "title": f"Forum {n + 1}", "join_code_digest": codes.digest(f"J{n + 1:07d}"),
         "questionnaire_id": questionnaire_id, "safeguarding_lead_id": board.id,
         "starts_on": FIRST_DAY + timedelta(days=n * days // n_sessions),
         "ends_on": FIRST_DAY + timedelta(days=n * days // n_sessions + 1),
         "participant_count": 25, "device_count": 25, "created_at": created}
        for n in range(n_sessions)))
    n_responses = comments // 2
    plan = []  # (response id, case id, day)

    def responses() -> Iterator[dict]:
        for n in range(n_responses):
            day = FIRST_DAY + timedelta(days=rng.randrange(days))
            if rng.random() < 0.15:  # at the session held nearest that day
                event = min(n_sessions - 1, (day - FIRST_DAY).days * n_sessions // days)
                yield {"id": n + 1, "case_id": None, "session_id": event + 1,
                       "questionnaire_version_id": session_version, "language": "en",
                       "submitted_on": FIRST_DAY + timedelta(days=event * days // n_sessions),
                       "submitted_at": None, "age_band": rng.choice(BANDS),
                       "idempotency_key": f"k{n + 1}"}
            else:
                case_id = rng.randrange(n_cases) + 1
                plan.append((n + 1, case_id, day))
                yield {"id": n + 1, "case_id": case_id, "session_id": None, "language": "en",
                       "questionnaire_version_id": rng.choice(versions), "submitted_on": day,
                       "submitted_at": moment(day, rng), "age_band": rng.choice(BANDS),
                       "idempotency_key": f"k{n + 1}"}

    counts["responses"] = insert(Response.__table__, responses())
    case_days = {response_id: (case_id, day) for response_id, case_id, day in plan}

    def comment_rows() -> Iterator[dict]:
        for n in range(comments):
            response_id = n // 2 + 1
            read = None
            if response_id in case_days and rng.random() < 0.9:
                read = moment(case_days[response_id][1], rng) + timedelta(
                    hours=rng.choice((1, 5, 20, 30, 70, 200)))
            yield {"id": n + 1, "response_id": response_id, "question_key": f"q{n % 2}",
                   "text": rng.choice(WORDS), "language": "en",
                   "sentiment": rng.choice(SENTIMENTS), "needs_review": False,
                   "read_at": read, "read_by_id": worker.id if read else None}

    counts["comments"] = insert(Comment.__table__, comment_rows())
    counts["theme_tags"] = insert(ThemeTag.__table__, (
        {"comment_id": n + 1, "theme": theme, "origin": "auto", "status": "suggested",
         "confidence": 0.8, "created_at": created}
        for n in range(comments)
        for theme in rng.sample(THEME_CODES, rng.choice((0, 1, 1, 1, 2, 2, 3)))))
    refresh_response_themes(db.session)  # the one writer of the board table
    db.session.commit()
    counts["alerts"] = insert(Alert.__table__, _alerts(rng, comments, case_days))
    counts["plan_actions"] = insert(PlanAction.__table__, (
        {"id": case_id, "case_id": case_id, "title": "Action", "section": "school",
         "owner": "", "status": "open", "created_at": created} for case_id in range(
             1, n_cases + 1)))
    linked = [(n + 1, case_days[n // 2 + 1][0]) for n in range(comments)
              if n // 2 + 1 in case_days and rng.random() < 0.4]
    counts["comment_links"] = insert(CommentLink.__table__, (
        {"comment_id": c, "plan_action_id": a, "created_at": created} for c, a in linked))
    counts["replies"] = insert(Reply.__table__, _replies(rng, comments, case_days, n_cases))
    return counts


def _replies(rng: random.Random, comments: int, case_days: dict,
             n_cases: int) -> Iterator[dict]:
    """Replies to half the plan actions, and to one case comment in ten directly."""
    created = datetime(2023, 6, 1, tzinfo=UTC)
    row = {"comment_id": None, "plan_action_id": None, "kind": "reply", "text": "We did it",
           "is_shared_with_child": True, "shared_at": created, "created_at": created}
    for action in range(1, n_cases + 1):
        if rng.random() < 0.5:
            yield {**row, "case_id": action, "plan_action_id": action}
    for n in range(0, comments, 10):
        if n // 2 + 1 in case_days:
            yield {**row, "case_id": case_days[n // 2 + 1][0], "comment_id": n + 1,
                   "is_shared_with_child": n % 20 == 0,
                   "shared_at": created if n % 20 == 0 else None}


def _alerts(rng: random.Random, comments: int, case_days: dict) -> Iterator[dict]:
    for n in range(0, comments, 97):
        response_id = n // 2 + 1
        if response_id not in case_days:
            continue
        case_id, day = case_days[response_id]
        raised = moment(day, rng)
        acknowledged = raised + timedelta(minutes=rng.choice((20, 90, 300, 2000)))
        yield {"case_id": case_id, "comment_id": n + 1, "reason": "detector", "detail": "",
               "state": "acknowledged", "created_at": raised, "acknowledged_at": acknowledged,
               "acknowledged_by_id": 2, "action_taken": "spoke_to_child"}


def timed(client, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(path)
    body = response.get_data()
    return time.perf_counter() - started, response.status_code, len(body)


def make_app(url: str):
    return create_app({"FEEDBACK_ENV": "testing", "SECRET_KEY": "b" * 40, "DATABASE_URL": url,
                       "REDIS_URL": "", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})


def fill(url: str, comments: int) -> None:
    app = make_app(url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        counts = generate(comments)
        print(f"Generated in {time.perf_counter() - started:.1f} s on "
              f"{db.engine.dialect.name}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
        if db.engine.dialect.name == "postgresql":  # as autovacuum would, soon after a load
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


def signed_in_client(url: str):
    """A fresh app (nothing cached), its code paths warmed on a period with no data."""
    app = make_app(url)
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": "board@bench.example", "password": PASSWORD})
    seconds, status, _ = timed(client, "/board/?period=2010-Q1")
    assert status == 200
    return app, client, seconds


def close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def forget_stored(url: str) -> None:
    """Empty the database's stored months, as just after migration 0017."""
    app = make_app(url)
    with app.app_context():
        db.session.execute(delete(BoardMonthCounts))
        db.session.commit()
    close(app)


def measure(url: str, period: str) -> None:
    """Time the page and the PDF for a period: nothing stored, then from a fresh process with
    the finished months stored in the database, then as a board user goes on."""
    app = make_app(url)
    with app.app_context():
        started = time.perf_counter()
        total = db.session.scalar(select(func.count(Comment.id)))
        baseline = time.perf_counter() - started
    close(app)
    page, pdf = f"/board/?period={period}", f"/board/export?period={period}&format=pdf"
    forget_stored(url)
    app, client, warm_up = signed_in_client(url)
    results = [("page, nothing stored or cached", *timed(client, page), PAGE_BAR)]
    close(app)
    app, client, _ = signed_in_client(url)
    results += [("page, new process, months stored", *timed(client, page), PAGE_BAR),
                ("page, again (cached)", *timed(client, page), PAGE_BAR),
                ("PDF report after the page", *timed(client, pdf), PDF_BAR)]
    close(app)
    app, client, _ = signed_in_client(url)
    results.append(("PDF, new process, months stored", *timed(client, pdf), PDF_BAR))
    close(app)
    print(f"\n{period}: baseline, counting all {total:,} comments: {baseline:.2f} s; "
          f"a fresh process's first page (no data): {warm_up:.2f} s")
    print(f"{'what':34} {'seconds':>8} {'bar':>6} {'of bar':>7} {'x baseline':>11}  bytes")
    for label, seconds, status, size, bar in results:
        assert status == 200, (label, status)
        print(f"{label:34} {seconds:8.2f} {bar:6.1f} {seconds / bar:7.0%} "
              f"{seconds / baseline:11.1f}  {size:,}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="an empty database (default: a temporary SQLite)")
    parser.add_argument("--existing", help="a database this script filled before: time only")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="board-bench-")
    url = args.existing or args.database_url or f"sqlite:///{Path(folder) / 'board.sqlite'}"
    if not args.existing:
        fill(url, args.comments)
    for period in ("2026-Q3", "2026"):
        measure(url, period)
    if not args.keep and not args.database_url and not args.existing:
        for path in Path(folder).iterdir():
            path.unlink()
        Path(folder).rmdir()
    elif args.keep and not args.database_url and not args.existing:
        print(f"Kept {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
