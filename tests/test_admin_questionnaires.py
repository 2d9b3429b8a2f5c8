"""Administrators keep questionnaires: upload a version (every problem named by its line),
publish it for new codes, retire it, preview it as a child sees it; a version in use is
never changed or deleted, and every change is audited."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AuditEvent, Questionnaire, Response, Role, utcnow
from feedback.models.questionnaires import VersionStatus
from feedback.services import codes, questionnaire_admin, questionnaire_files, questionnaires

CLUB = {
    "slug": "youth-club",
    "title": {"en": "Youth club", "cy": "Clwb ieuenctid"},
    "questions": [
        {"key": "feel", "type": "faces", "text": {"en": "How do you feel at the club?",
                                                  "cy": "Sut wyt ti'n teimlo yn y clwb?"}},
        {"key": "say", "type": "text", "optional": True,
         "text": {"en": "Anything else?", "cy": "Unrhyw beth arall?"}},
    ],
}


def as_text(definition) -> str:
    return json.dumps(definition, indent=2, ensure_ascii=False)


@pytest.fixture()
def admin(create_user):
    return create_user(Role.ADMIN, email="admin@council.example", name="Ada Admin")


def upload(admin, definition=CLUB, publish=False):
    version = questionnaire_admin.upload(db.session, as_text(definition), by=admin,
                                         publish=publish)
    db.session.commit()
    return version


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)
                                   .where(AuditEvent.action.startswith("questionnaire."))))


# The service ---------------------------------------------------------------------------

def test_an_upload_starts_as_a_draft_that_no_new_code_uses(app, admin):
    version = upload(admin)
    assert version.status == VersionStatus.DRAFT and version.number == 1
    assert version.created_by_id == admin.id
    assert "youth-club" not in [v.questionnaire.slug
                                for v in questionnaires.current_versions(db.session)]
    assert actions() == ["questionnaire.upload"]


def test_publishing_a_new_version_retires_the_one_before(app, admin):
    first = upload(admin, publish=True)
    changed = copy.deepcopy(CLUB)
    changed["title"]["en"] = "Our youth club"
    second = upload(admin, changed)
    questionnaire_admin.publish_version(db.session, second, by=admin)
    db.session.commit()
    assert (first.status, second.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    assert first.questionnaire.current is second
    assert actions()[-2:] == ["questionnaire.retire", "questionnaire.publish"]


def test_a_retired_version_keeps_working_for_codes_given_out_before(app, admin, create_case):
    version = upload(admin, publish=True)
    case = create_case()
    code, _plain = codes.create_access_code(db.session, case, version.questionnaire, admin, 4)
    questionnaire_admin.retire_version(db.session, version, by=admin)
    db.session.commit()
    assert version.questionnaire.published is None
    assert version.questionnaire.current is version  # the code still opens it
    assert "youth-club" not in [v.questionnaire.slug
                                for v in questionnaires.current_versions(db.session)]


@pytest.mark.parametrize("text, line, column, words", [
    ('{\n  "slug": "youth-club",\n  "title": {"en": "Club"}\n  "questions": []\n}', 4, 3,
     "a comma is missing"),
    ('{\n  "slug": "youth-club",\n}', 3, 1, "comma after the last item"),
    ('{"slug": "youth-club", "title": {"en": "Club\nhouse"}}', 1, 45, "line break"),
])
def test_a_json_mistake_is_named_by_its_line_and_column(app, admin, text, line, column,
                                                        words):
    with pytest.raises(questionnaire_files.UploadError) as refused:
        questionnaire_admin.upload(db.session, text, by=admin, publish=False)
    [found] = refused.value.found
    assert (found.line, found.column) == (line, column)
    assert words in found.problem.message


def test_every_mistake_in_a_definition_is_listed_at_its_line(app, admin):
    bad = copy.deepcopy(CLUB)
    bad["questions"][0]["type"] = "slider"
    bad["questions"][1]["text"]["cy"] = " "
    text = as_text(bad)
    with pytest.raises(questionnaire_files.UploadError) as refused:
        questionnaire_admin.upload(db.session, text, by=admin, publish=False)
    lines = text.splitlines()
    found = {(f.line, str(f.problem).split(": ", 1)[1]) for f in refused.value.found}
    slider = next(n for n, line in enumerate(lines, 1) if '"slider"' in line)
    empty = next(n for n, line in enumerate(lines, 1) if '" "' in line)
    assert (slider, "question 'feel' has type 'slider'; use one of age_band, cards, choice, "
            "faces, text, three_houses") in found
    assert (empty, "the 'cy' text of 'text' is empty: write it, or leave that language "
            "out") in found
    assert db.session.scalar(select(Questionnaire)) is None


def test_uploading_a_stored_version_again_adds_nothing(app, admin):
    first = upload(admin)
    with pytest.raises(questionnaire_admin.QuestionnaireAdminError) as refused:
        upload(admin)
    assert refused.value.code == "same_as" and refused.value.version is first


def test_a_version_is_never_changed_once_stored(app, admin):
    version = upload(admin)
    version.definition = {**CLUB, "title": {"en": "Changed"}}
    with pytest.raises(ValueError, match="never changed"):
        db.session.flush()
    db.session.rollback()


def test_a_version_with_responses_or_started_codes_is_never_deleted(app, admin, create_case):
    version = upload(admin)
    now = utcnow()
    db.session.add(Response(case=create_case(), questionnaire_version=version, language="en",
                            submitted_at=now, submitted_on=now.date(),
                            idempotency_key="a" * 32))
    db.session.commit()
    with pytest.raises(questionnaire_admin.QuestionnaireAdminError) as refused:
        questionnaire_admin.delete_draft(db.session, version, by=admin)
    assert refused.value.code == "in_use"
    assert questionnaire_admin.use_of(db.session, version).responses == 1


def test_a_started_code_keeps_its_version_from_being_deleted(app, admin, create_case):
    version = upload(admin)
    code, _plain = codes.create_access_code(db.session, create_case(), version.questionnaire,
                                            admin, 4)
    codes.keep_answers(db.session, code.id, version.id, {"feel": "3"})
    db.session.commit()
    with pytest.raises(questionnaire_admin.QuestionnaireAdminError, match="in_use"):
        questionnaire_admin.delete_draft(db.session, version, by=admin)


def test_a_published_version_is_never_deleted(app, admin):
    version = upload(admin, publish=True)
    with pytest.raises(questionnaire_admin.QuestionnaireAdminError, match="not_draft"):
        questionnaire_admin.delete_draft(db.session, version, by=admin)


def test_an_unused_draft_can_be_deleted(app, admin):
    version = upload(admin)
    questionnaire_admin.delete_draft(db.session, version, by=admin)
    db.session.commit()
    assert db.session.scalar(select(Questionnaire)) is None
    assert actions() == ["questionnaire.upload", "questionnaire.delete_draft"]


@pytest.mark.parametrize("role", [Role.WORKER, Role.MANAGER, Role.BOARD])
def test_only_an_administrator_changes_questionnaires(app, create_user, admin, role):
    version = upload(admin)
    someone = create_user(role)
    for change in (questionnaire_admin.publish_version, questionnaire_admin.delete_draft):
        with pytest.raises(questionnaire_admin.QuestionnaireAdminError, match="not_admin"):
            change(db.session, version, by=someone)
    with pytest.raises(questionnaire_admin.QuestionnaireAdminError, match="not_admin"):
        questionnaire_admin.upload(db.session, as_text(CLUB), by=someone, publish=True)


def test_a_builtin_update_waits_as_a_draft_behind_an_administrators_version(app, admin):
    questionnaires.install_builtin(db.session)
    mine = copy.deepcopy(questionnaires.by_slug(db.session, "express").current.definition)
    mine["title"]["en"] = "Our own express"
    version = upload(admin, mine, publish=True)
    shipped = next(d for d in questionnaires.builtin_definitions() if d["slug"] == "express")
    shipped["title"]["en"] = "Express, updated"
    questionnaires.save(db.session, shipped, is_builtin=True, publish=False)
    questionnaires.install_builtin(db.session)
    assert version.questionnaire.published is version
