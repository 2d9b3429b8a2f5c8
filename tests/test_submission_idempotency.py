"""``submit`` alone makes a Send idempotent: however many copies arrive, at once or later,
one response is stored and counted, and each copy is told its id."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from feedback.extensions import db
from feedback.models import Alert, Comment, ParticipationSession, Response, SessionDevice
from feedback.services import participation, submissions
from feedback.theming import Analyser
from feedback.web.analyser import build_analyser

WORRIED = "my mum shouts when she drinks and i hide upstairs"
DEVICE = submissions.Device("d" * 64, 2)
COPIES = 8


@pytest.fixture()
def analyser(app) -> Analyser:
    return build_analyser(with_classifier=False)


@pytest.fixture()
def journey(app, builtin_questionnaires, create_case, create_session, request):
    """A journey of the kind the test is parametrised with, on "how are things"."""
    version = builtin_questionnaires["how-are-things"]
    common = {"version_id": version.id, "key": submissions.new_key(), "language": "en"}
    if request.param == "case":
        return submissions.Journey(kind="case", case_id=create_case().id, **common)
    return submissions.Journey(kind="session", session_id=create_session("how-are-things").id,
                               **common)


def send(session: Session, journey: submissions.Journey, analyser: Analyser,
         key: str | None = None) -> int:
    """Send the journey's answers (a worried comment), under another key if given."""
    if key is not None:
        journey = submissions.Journey(**{**journey.to_dict(), "key": key})
    return submissions.submit(session, journey,
                              {"overall": "2", "home": "1", "not_good": WORRIED},
                              analyser, None, device=DEVICE)


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("journey", ["case", "session"], indirect=True)
def test_copies_sent_at_the_same_moment_store_and_count_one_response(journey, analyser):
    engine, barrier = db.engine, threading.Barrier(COPIES)

    def one_copy(_: int) -> int:
        with Session(engine) as session:
            barrier.wait()
            stored = send(session, journey, analyser)
            session.commit()
            return stored

    with ThreadPoolExecutor(COPIES) as pool:
        ids = set(pool.map(one_copy, range(COPIES)))
    db.session.expire_all()
    assert (len(ids), count(Response), count(Comment), count(Alert)) == (1, 1, 1, 1)
    if journey.session_id is not None:
        event = db.session.get_one(ParticipationSession, journey.session_id)
        assert (event.participant_count, event.device_count) == (1, 1)
        assert db.session.scalars(select(SessionDevice.responses)).all() == [1]


@pytest.mark.parametrize("journey", ["session"], indirect=True)
def test_a_full_device_stores_nothing_new_but_is_told_what_it_sent(journey, analyser):
    first = send(db.session, journey, analyser)
    send(db.session, journey, analyser, key=submissions.new_key())
    db.session.commit()
    with pytest.raises(participation.SessionFullError):
        send(db.session, journey, analyser, key=submissions.new_key())
    db.session.rollback()
    assert send(db.session, journey, analyser) == first  # a resend of the first, after the limit
    assert count(Response) == 2
