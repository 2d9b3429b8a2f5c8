"""Every service function that changes a comment's themes keeps ``response_themes`` in step.

No hook does it for them: each calls ``refresh_response_themes`` itself (see
models/themes.py). So any sequence of the public tag-changing functions, in any
order, must leave the table equal to a fresh computation from ``theme_tags``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import (
    Comment, Response, ResponseTheme, Role, StaffUser, TagStatus, ThemeTag, utcnow,
)
from feedback.services import analysis, casework, codes, retagging, retention, submissions
from feedback.theming import THEME_CODES, ThemeMatch
from feedback.web.analyser import build_analyser

TEXTS = ("football club and my new school", "i miss my brother since he moved",
         "my mum shouts when she drinks and i hide upstairs", "my nan teaches me to bake",
         "lunch at school is rank and my foster carer is kind", "")
THEMES = ("school", "family", "home", "friends")
FEW = st.integers(0, 50)

OPERATIONS = st.one_of(
    st.tuples(st.just("decide_theme"), FEW, st.sampled_from(THEMES), st.booleans()),
    st.tuples(st.just("apply_auto_tags"), FEW, st.sets(st.sampled_from(THEMES))),
    st.tuples(st.just("record_analysis"), FEW, st.sampled_from(TEXTS)),
    st.tuples(st.just("analyse_comment"), FEW),
    st.tuples(st.just("retag"), FEW),
    st.tuples(st.just("submit"), st.sampled_from(["case", "session"]),
              st.sampled_from(TEXTS), st.sampled_from(TEXTS)),
    st.tuples(st.just("ask_for_help"), st.sampled_from(TEXTS)),
    st.tuples(st.just("retention")),
)


def stored() -> set[tuple[object, ...]]:
    return set(db.session.execute(select(ResponseTheme.response_id, ResponseTheme.theme,
                                         ResponseTheme.submitted_on, ResponseTheme.case_id)))


def from_tags() -> set[tuple[object, ...]]:
    """What the table must hold, worked out afresh from the tags."""
    return set(db.session.execute(
        select(Response.id, ThemeTag.theme, Response.submitted_on, Response.case_id).distinct()
        .join(Comment, Comment.response_id == Response.id)
        .join(ThemeTag, ThemeTag.comment_id == Comment.id)
        .where(ThemeTag.status != TagStatus.REMOVED)))


class World:
    """A case, a session and a worker, with a few responses already sent."""

    def __init__(self, builtin_questionnaires, create_case, create_user, create_session):
        self.analyser = build_analyser(with_classifier=False)
        self.version = builtin_questionnaires["how-are-things"]
        self.case = create_case()
        self.worker_id = create_user(Role.WORKER, pod=self.case.pod).id
        self.event = create_session("how-are-things")
        code, _ = codes.create_access_code(db.session, self.case, self.version.questionnaire,
                                           None, 4)
        db.session.commit()
        self.code_id = code.id
        for kind, good, not_good in (("case", TEXTS[0], TEXTS[2]), ("case", TEXTS[1], ""),
                                     ("session", TEXTS[4], TEXTS[1])):
            self.run(("submit", kind, good, not_good))
        db.session.commit()

    def journey(self, kind: str) -> submissions.Journey:
        common = {"version_id": self.version.id, "key": submissions.new_key(), "language": "en"}
        if kind == "case":
            return submissions.Journey(kind="case", case_id=self.case.id,
                                       access_code_id=self.code_id, **common)
        return submissions.Journey(kind="session", session_id=self.event.id, **common)

    def comment(self, number: int) -> Comment | None:
        ids = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
        if not ids:
            return None
        return db.session.scalar(select(Comment).where(Comment.id == ids[number % len(ids)]))

    def run(self, operation: tuple) -> None:
        """Call the public function the operation names."""
        name, *args = operation
        session, worker = db.session, db.session.get_one(StaffUser, self.worker_id)
        if name == "submit":
            kind, good, not_good = args
            answers = {"overall": "3", "home": "4", "good": good, "not_good": not_good}
            submissions.submit(session, self.journey(kind), answers, self.analyser, None,
                               self.version.definition)
        elif name == "ask_for_help":
            submissions.ask_for_help(session, self.journey("case"), args[0], self.analyser,
                                     None)
        elif name == "retention":  # every session response, long past its period
            retention.apply(session, utcnow() + timedelta(days=800), session_days=30,
                            case_days=30)
        elif (comment := self.comment(args[0])) is None:
            return
        elif name == "decide_theme":
            casework.decide_theme(session, comment, args[1], args[2], worker)
        elif name == "apply_auto_tags":
            analysis.apply_auto_tags(session, comment,
                                     [ThemeMatch(theme, 0.8, ()) for theme in sorted(args[1])])
        elif name == "record_analysis":
            analysis.record_analysis(session, comment,
                                     analysis.run_analysis(self.analyser, args[1] or "ok"))
        elif name == "analyse_comment":
            analysis.analyse_comment(session, comment, self.analyser, mail=None,
                                     case=comment.response.case, event=comment.response.session)
        elif name == "retag":
            retagging.retag(session, [comment], self.analyser, None)
        session.flush()


@pytest.fixture()
def world(app, builtin_questionnaires, create_case, create_user, create_session):
    return World(builtin_questionnaires, create_case, create_user, create_session)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=8))
def test_any_sequence_of_tag_changes_keeps_the_board_rows_in_step(world, operations):
    try:
        assert stored() == from_tags() and stored()
        for operation in operations:
            world.run(operation)
            assert stored() == from_tags(), operation
    finally:
        db.session.rollback()  # the services only flush: the next example starts afresh


def test_the_operations_name_every_theme_the_sequences_use():
    assert set(THEMES) <= set(THEME_CODES)


#: Code that adds, changes or deletes a ``ThemeTag`` (the ORM's or the table's).
TAG_WRITE = re.compile(r"(?<!class )\bThemeTag\(|\bThemeTag\.__table__"
                       r"|\b(?:update|delete)\(ThemeTag\b|session\.delete\(tag\)")


def test_every_module_that_writes_tags_refreshes_the_board_rows_and_is_exercised():
    """A new way to change tags must call ``refresh_response_themes`` and join OPERATIONS."""
    root = Path(__file__).parent.parent / "feedback"
    writers = {path.relative_to(root).as_posix(): path.read_text()
               for path in root.rglob("*.py") if TAG_WRITE.search(path.read_text())}
    assert set(writers) == {"services/analysis.py", "services/casework.py",
                            "services/submissions.py"}
    assert all("refresh_response_themes(" in text for text in writers.values())
