"""``submissions.submit`` writes with plain INSERTs; it must store what the ORM would.

Each case stores one submission twice from the same starting point, rolling back
between: once through ``submit`` and once through ``store_by_unit_of_work`` below,
a plain unit of work (objects added to the session) that runs the same checks and
the same analysis through the same service functions. Then every table of the
schema must hold the same rows, compared column by column, except:

* surrogate ids (``id`` of every table that has one), and every foreign key to
  them: compared by the row's rank in its table, not by value (PostgreSQL's
  sequences do not roll back, so the second run's ids are higher);
* the clock: ``CLOCK`` below lists the columns that take the time of writing; they
  must be set or unset alike and within a minute of each other.

Nothing else is left out: the idempotency key, dates, every analysis column, the
session's counts and the alert with its outbox rows must all match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import (
    AgeBand, Answer, Base, Comment, ParticipationSession, Response, Role, today, utcnow,
)
from feedback.services import codes, participation, submissions
from feedback.services.alerts import Mail
from feedback.services.analysis import (
    needs_alert, raise_analysis_alert, record_analysis, run_analysis,
)
from feedback.web.analyser import build_analyser

QUESTIONNAIRES = ("board-session", "how-are-things", "my-meeting", "three-houses")
#: Words the analyser themes without concern; words it flags; and an analyser that fails.
WORDS = {
    "calm": ("football club and my new school", "i miss my brother since he moved"),
    "alert": ("my mum shouts when she drinks and i hide upstairs",
              "i like drawing and my teacher at school"),
    "failed": ("my nan teaches me to bake", "the bus to college takes forever"),
}
#: Columns set from the clock as the row is written: (table, column).
CLOCK = {("responses", "submitted_at"), ("theme_tags", "created_at"),
         ("alerts", "created_at"), ("notifications", "created_at"),
         ("notifications", "next_attempt_at"),
         ("audit_events", "at")}
MAIL = Mail(out_of_hours_email="out-of-hours@test.example")


class FailingAnalyser:
    """Stands in for a theming analyser that breaks on every comment."""

    def analyse(self, text: str, language: str | None = None) -> Any:
        raise RuntimeError("analysis is down")


def store_by_unit_of_work(session: Any, journey: submissions.Journey,
                          answers: Mapping[str, Any], analyser: Any,
                          definition: Mapping[str, Any],
                          device: submissions.Device | None) -> int:
    """The reference: the same submission stored the plain way, through the session."""
    is_case = journey.kind == "case"
    now = utcnow()
    response = Response(
        case_id=journey.case_id if is_case else None,
        session_id=None if is_case else journey.session_id,
        access_code_id=journey.access_code_id if is_case else None,
        questionnaire_version_id=journey.version_id, language=journey.language,
        submitted_on=now.date() if is_case else today(),
        submitted_at=now if is_case else None, idempotency_key=journey.key)
    session.add(response)
    texts: list[tuple[str, str]] = []
    for question in definition["questions"]:
        key, kind = question["key"], question["type"]
        value = submissions.check_answer(question, answers.get(key))
        if kind == "three_houses":
            texts += [(f"{key}.{house}", text) for house, text in value.items() if text]
        elif kind == "text" and value:
            texts.append((key, value))
        elif kind == "age_band" and value and value != "not_say":
            response.age_band = AgeBand(value)
        elif kind in ("faces", "choice") and value:
            response.answers.append(Answer(question_key=key, value=value))
    session.flush()
    event = session.get(ParticipationSession, response.session_id) \
        if response.session_id else None
    if event is not None and device is not None:
        participation.count_response(session, event.id, device.hash, device.limit)
    analysed = []
    for key, text in texts:
        comment = Comment(question_key=key, text=text, language=journey.language)
        response.comments.append(comment)
        result = run_analysis(analyser, text)
        record_analysis(session, comment, result, fresh=True)
        analysed.append((comment, result))
    if event is not None:
        event.participant_count += 1
    session.flush()
    flagged = [(comment, result) for comment, result in analysed if needs_alert(result)]
    if flagged:
        raise_analysis_alert(session, flagged, response_id=response.id,
                             case=response.case, event=event, mail=MAIL)
    return response.id


def answers_for(definition: Mapping[str, Any], words: tuple[str, str]) -> dict[str, Any]:
    """Answer every question, leaving the last optional text empty; ``words`` go in the
    first two text answers (or houses)."""
    texts = iter(words)
    optional_texts = [q["key"] for q in definition["questions"]
                      if q["type"] == "text" and q.get("optional")]
    answers: dict[str, Any] = {}
    for question in definition["questions"]:
        key, kind = question["key"], question["type"]
        if kind == "faces":
            answers[key] = "4"
        elif kind == "choice":
            answers[key] = question["options"][-1]["value"]
        elif kind == "age_band":
            answers[key] = AgeBand.FROM_11.value
        elif kind == "three_houses":  # two houses written in, the third left empty
            answers[key] = {h["key"]: next(texts, "") for h in question["houses"]}
        elif key != optional_texts[-1]:
            answers[key] = next(texts, "my dog is called biscuit")
        else:
            answers[key] = ""
    return answers


def snapshot() -> tuple[dict[str, list[tuple[Any, ...]]], dict[tuple[str, str], list[Any]]]:
    """Return every table's rows, ids as ranks, clock columns as set/unset; and the
    clock columns' values, sorted."""
    db.session.flush()
    tables = Base.metadata.sorted_tables
    raw = {table.name: [row._asdict() for row in db.session.execute(select(table))]
           for table in tables}
    ranks = {table.name: {v: n for n, v in enumerate(sorted(r["id"] for r in raw[table.name]))}
             for table in tables if "id" in table.c and table.c.id.primary_key}
    rows: dict[str, list[tuple[Any, ...]]] = {}
    clock: dict[tuple[str, str], list[Any]] = {}
    for table in tables:
        normal = []
        for row in raw[table.name]:
            values = []
            for column in table.columns:
                value = row[column.name]
                targets = [fk.column.table.name for fk in column.foreign_keys
                           if fk.column.name == "id" and fk.column.table.name in ranks]
                if column.name == "id" and table.name in ranks:
                    value = ("rank", ranks[table.name][value])
                elif targets and value is not None:
                    value = ("rank", ranks[targets[0]][value])
                elif (table.name, column.name) in CLOCK:
                    clock.setdefault((table.name, column.name), []).append(value)
                    value = value is not None
                values.append((column.name, value))
            normal.append(tuple(values))
        rows[table.name] = sorted(normal, key=repr)
    return rows, {key: sorted(v for v in values if v is not None)
                  for key, values in clock.items()}


@pytest.fixture()
def journeys(app, builtin_questionnaires, create_case, create_user, create_session):
    """Return a function that makes a case or session journey on a questionnaire."""

    def make(slug: str, kind: str) -> submissions.Journey:
        version = builtin_questionnaires[slug]
        if kind == "case":
            case = create_case()
            create_user(Role.WORKER, pod=case.pod)  # the alert's owner
            code, _ = codes.create_access_code(db.session, case, version.questionnaire,
                                               None, 4)
            db.session.commit()
            return submissions.Journey(kind="case", version_id=version.id,
                                       key=submissions.new_key(), language="en",
                                       case_id=case.id, access_code_id=code.id)
        event = create_session(slug)
        return submissions.Journey(kind="session", version_id=version.id,
                                   key=submissions.new_key(), language="en",
                                   session_id=event.id)

    return make


@pytest.mark.parametrize("words", sorted(WORDS))
@pytest.mark.parametrize("kind", ["case", "session"])
@pytest.mark.parametrize("slug", QUESTIONNAIRES)
def test_submit_stores_the_rows_a_unit_of_work_would(journeys, builtin_questionnaires,
                                                     slug, kind, words):
    journey = journeys(slug, kind)
    definition = builtin_questionnaires[slug].definition
    answers = answers_for(definition, WORDS[words])
    analyser = FailingAnalyser() if words == "failed" else build_analyser(with_classifier=False)
    device = submissions.Device("a" * 64, 3) if kind == "session" else None
    before, _ = snapshot()

    submissions.submit(db.session, journey, answers, analyser, MAIL, definition, device)
    fast, fast_clock = snapshot()
    db.session.rollback()
    store_by_unit_of_work(db.session, journey, answers, analyser, definition, device)
    plain, plain_clock = snapshot()
    db.session.rollback()

    changed = {name for name, rows in fast.items() if rows != before[name]}
    assert {"responses", "comments"} <= changed  # three houses has no scale answers
    assert words == "failed" or {"theme_tags", "response_themes"} <= changed
    assert (words == "calm") is ("alerts" not in changed)
    assert fast == plain
    assert fast_clock.keys() == plain_clock.keys()
    for key, times in fast_clock.items():
        assert len(times) == len(plain_clock[key]), key
        assert all(abs(a - b) < timedelta(minutes=1) for a, b in zip(times, plain_clock[key]))


def test_the_words_cover_every_kind_of_answer_and_analysis(app, builtin_questionnaires):
    definitions = [builtin_questionnaires[slug].definition for slug in QUESTIONNAIRES]
    kinds = {q["type"] for d in definitions for q in d["questions"]}
    assert kinds == {"faces", "choice", "age_band", "text", "three_houses"}
    analyser = build_analyser(with_classifier=False)
    flagged = {name: [needs_alert(run_analysis(analyser, text)) for text in texts]
               for name, texts in WORDS.items() if name != "failed"}
    assert flagged == {"calm": [False, False], "alert": [True, False]}
    assert all(run_analysis(analyser, text).themes for text in WORDS["calm"])


_TABLES = "Response|Answer|Comment|ThemeTag"
#: Core writes to a submission's tables: only submissions.py may build them.
CORE_WRITE = re.compile(rf"\b(?:{_TABLES})\.__table__|\binsert\((?:{_TABLES})\b")


def python_files() -> Iterator[Path]:
    yield from (Path(__file__).parent.parent / "feedback").rglob("*.py")


def test_only_submissions_inserts_a_submission_outside_the_unit_of_work():
    writers = {path.name for path in python_files() if CORE_WRITE.search(path.read_text())}
    assert writers == {"submissions.py"}
