"""The board reads ``response_themes``: it must follow every change to a comment's themes."""

from datetime import date

import pytest
from sqlalchemy import delete, select

from boarddata import respond
from feedback.extensions import db
from feedback.models import (
    Comment, Response, ResponseTheme, Role, TagStatus, ThemeTag, refresh_response_themes,
)
from feedback.services import analysis, casework, summaries
from feedback.services.reports import Period
from feedback.theming import ThemeMatch

Q3 = date(2026, 8, 10)
SCHOOL = ThemeMatch("school", 0.9, ("school",))


@pytest.fixture()
def version(builtin_questionnaires):
    return builtin_questionnaires["how-are-things"]


def stored() -> set[tuple[int, str]]:
    return set(db.session.execute(select(ResponseTheme.response_id, ResponseTheme.theme)))


def from_tags() -> set[tuple[int, str]]:
    """What the table must hold: each response's themes with a live tag, worked out afresh."""
    return set(db.session.execute(
        select(Comment.response_id, ThemeTag.theme).distinct()
        .join(ThemeTag, ThemeTag.comment_id == Comment.id)
        .where(ThemeTag.status != TagStatus.REMOVED)))


def school_responses() -> int | str:
    return summaries.build_summary(db.session, Period.parse("2026-Q3"), 6) \
        .theme("school").responses.shown


def test_worker_decisions_change_what_the_board_counts(app, version, create_case, create_user):
    worker = create_user(Role.WORKER)
    responses = [respond(version, themes=["school"], on=Q3, case=create_case())
                 for _ in range(7)]
    assert school_responses() == 7
    casework.decide_theme(db.session, responses[0].comments[0], "school", False, worker)
    db.session.commit()
    assert school_responses() == 6
    casework.decide_theme(db.session, responses[0].comments[0], "school", True, worker)
    casework.decide_theme(db.session, responses[1].comments[0], "family", True, worker)
    db.session.commit()
    assert school_responses() == 7
    assert stored() == from_tags()


def test_a_response_counts_once_however_many_comments_carry_the_theme(app, version,
                                                                      create_case):
    response = respond(version, themes=["school"], on=Q3, case=create_case())
    second = Comment(question_key="q1", text="more about school", language="en")
    response.comments.append(second)
    analysis.apply_auto_tags(db.session, second, [SCHOOL], fresh=True)
    db.session.commit()
    assert stored() == {(response.id, "school")}
    analysis.apply_auto_tags(db.session, second, [])  # the machine takes it off again
    db.session.commit()
    assert stored() == {(response.id, "school")}  # the first comment still carries it


def test_deleting_a_response_takes_its_themes_with_it(app, version, create_case):
    kept, gone = (respond(version, themes=["school", "family"], on=Q3, case=create_case())
                  for _ in range(2))
    db.session.execute(delete(Response).where(Response.id == gone.id))
    db.session.commit()
    assert stored() == {(kept.id, "school"), (kept.id, "family")}


def test_a_full_rebuild_matches_the_tags(app, version, create_case):
    for themes in (["school"], ["family", "home"], []):
        respond(version, themes=themes, on=Q3, case=create_case())
    db.session.execute(delete(ResponseTheme))
    refresh_response_themes(db.session)
    db.session.commit()
    assert stored() == from_tags() and len(stored()) == 3


def test_a_childs_submission_adds_the_board_rows_for_its_themes(
        app, child, create_case, create_access_code):
    child.enter_code(create_access_code(create_case(), "how-are-things"))
    for number, answer in ((1, "4"), (2, "3"), (3, "football club and my new school"),
                           (4, "i miss my brother since he moved"), (5, "yes"), (6, "")):
        child.answer(number, answer=answer)
    assert child.send().status_code == 302
    db.session.expire_all()
    themes = {theme for _, theme in stored()}
    assert {"school", "family"} <= themes
    assert stored() == from_tags()
