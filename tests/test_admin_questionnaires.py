"""Administrators keep questionnaires: upload a version (every problem named by its line),
publish it for new codes, retire it, preview it as a child sees it; a version in use is
never changed or deleted, and every change is audited."""

from __future__ import annotations

import copy
import html
import io
import json
import re

import pytest
from sqlalchemy import select

from apps import AuthActions
from factories import CLUB
from feedback.extensions import db
from feedback.models import AuditEvent, Questionnaire, Response, Role, utcnow
from feedback.models.questionnaires import VersionStatus
from feedback.services import codes, questionnaire_admin, questionnaire_files, questionnaires


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


def test_no_new_code_opens_a_questionnaire_with_only_drafts(app, admin, create_case):
    version = upload(admin)  # a draft only
    case = create_case()
    with pytest.raises(codes.NotPublishedError):
        codes.create_access_code(db.session, case, version.questionnaire, admin, 4)
    refused = app.test_cli_runner().invoke(
        args=["access-code", case.reference, "--questionnaire", "youth-club"])
    assert refused.exit_code != 0
    assert "youth-club has no published version" in refused.output
    questionnaire_admin.publish_version(db.session, version, by=admin)
    db.session.commit()
    given = app.test_cli_runner().invoke(
        args=["access-code", case.reference, "--questionnaire", "youth-club"])
    assert given.exit_code == 0 and "valid until" in given.output


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
    # No new code opens a draft; a started code's answers against one are defended anyway.
    other = upload(admin, {**CLUB, "slug": "other-club"}, publish=True)
    code, _plain = codes.create_access_code(db.session, create_case(), other.questionnaire,
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


# The pages ------------------------------------------------------------------------------

@pytest.fixture()
def admin_client(app, admin):
    client = app.test_client()
    assert AuthActions(client).sign_in(admin.email).status_code == 302
    return client


def test_the_list_shows_each_version_with_its_status_and_responses(
        admin_client, admin, create_response, create_case):
    create_response(create_case())
    upload(admin)
    page = admin_client.get("/admin/questionnaires").get_data(as_text=True)
    club = page[page.index("Youth club"):]
    assert "youth-club" in club and "Draft" in club
    how = page[page.index("how-are-things"):]
    assert re.search(r"Published</strong></td>\s*<td[^>]*>[^<]+</td>\s*<td[^>]*>1</td>", how)


def test_an_upload_with_a_mistake_keeps_the_text_and_names_the_line(admin_client):
    text = as_text(CLUB).replace('"faces"', '"slider"')
    refused = admin_client.post("/admin/questionnaires/upload", data={"definition": text})
    page = html.unescape(refused.get_data(as_text=True))
    line, column = next((n, words.index('"slider"') + 1)
                        for n, words in enumerate(text.splitlines(), 1) if '"slider"' in words)
    assert refused.status_code == 400
    assert f"Line {line}, column {column}: question 'feel' has type 'slider'" in page
    assert text in page  # nothing pasted is lost


def test_a_file_upload_publishes_when_asked(admin_client):
    sent = admin_client.post("/admin/questionnaires/upload", data={
        "file": (io.BytesIO(as_text(CLUB).encode()), "club.json"), "publish": "y"},
        content_type="multipart/form-data", follow_redirects=True)
    assert "Version 1 of youth-club is published" in sent.get_data(as_text=True)
    assert questionnaires.by_slug(db.session, "youth-club").published is not None


def test_a_file_that_is_not_utf8_is_refused_plainly(admin_client):
    refused = admin_client.post("/admin/questionnaires/upload", data={
        "file": (io.BytesIO("{\"slug\": \"caf\u00e9\"}".encode("latin-1")), "club.json")},
        content_type="multipart/form-data")
    assert refused.status_code == 400
    assert "The file is not UTF-8 text" in refused.get_data(as_text=True)


def test_publish_retire_and_refusals_on_the_version_page(admin_client, admin):
    version = upload(admin)
    base = f"/admin/questionnaires/versions/{version.id}"
    published = admin_client.post(f"{base}/publish", follow_redirects=True)
    assert "is published: new codes use it" in published.get_data(as_text=True)
    refused = admin_client.post(f"{base}/delete")
    assert refused.status_code == 409
    assert "Only a draft can be deleted" in refused.get_data(as_text=True)
    retired = admin_client.post(f"{base}/retire", follow_redirects=True)
    assert "is retired: no new code uses it" in retired.get_data(as_text=True)


def test_the_download_is_the_version_as_stored(admin_client, admin):
    version = upload(admin)
    got = admin_client.get(f"/admin/questionnaires/versions/{version.id}/definition.json")
    assert json.loads(got.get_data(as_text=True)) == CLUB
    assert "youth-club-v1.json" in got.headers["Content-Disposition"]


def test_the_preview_is_marked_and_sends_nothing(admin_client, admin):
    version = upload(admin)
    page = admin_client.get(f"/admin/questionnaires/versions/{version.id}/preview"
                            "?lang=cy&number=1").get_data(as_text=True)
    assert "this is not a child&#39;s session" in page
    assert "Sut wyt ti&#39;n teimlo yn y clwb?" in page and '<html lang="cy"' in page
    assert "<form" not in page.split('data-testid="preview-question"')[1]
    assert not admin_client.get(f"/admin/questionnaires/versions/{version.id}/preview"
                                "?lang=ar&number=1").status_code == 200


@pytest.mark.parametrize("role", [Role.WORKER, Role.MANAGER, Role.BOARD])
def test_only_administrators_reach_the_questionnaire_pages(app, create_user, admin, role):
    version = upload(admin)
    client = app.test_client()
    AuthActions(client).sign_in(create_user(role).email)
    for path in ("/admin/questionnaires", f"/admin/questionnaires/versions/{version.id}",
                 f"/admin/questionnaires/versions/{version.id}/preview"):
        assert client.get(path).status_code == 404
    assert client.post(f"/admin/questionnaires/versions/{version.id}/publish"
                       ).status_code == 404


def _question_markup(page: str, start: str, end: str) -> str:
    """The question's fields as drawn, between ``start`` and ``end`` (the button that goes
    on), without hidden inputs or the tags that close the preview's wrapper."""
    part = page[page.index(start) + len(start):]
    part = re.sub(r"<input[^>]*type=\"hidden\"[^>]*>", "", part[:part.index(end)])
    part = re.sub(r"(\s*</div>)?\s*$", "", part)
    return re.sub(r"\s+", " ", part).strip()


@pytest.mark.parametrize("slug", ["how-are-things", "my-meeting", "three-houses", "express"])
@pytest.mark.parametrize("tag", ["en", "cy"])
def test_the_preview_draws_each_question_exactly_as_the_child_page(app, admin_client, child,
                                                                   create_case,
                                                                   create_access_code,
                                                                   builtin_questionnaires,
                                                                   slug, tag):
    version = builtin_questionnaires[slug]
    child.enter_code(create_access_code(create_case(), slug))
    child.client.get(f"/language/{tag}")
    for number in range(1, len(version.definition["questions"]) + 1):
        seen = child.client.get(f"/questions/{number}").get_data(as_text=True)
        shown = admin_client.get(f"/admin/questionnaires/versions/{version.id}/preview"
                                 f"?lang={tag}&number={number}").get_data(as_text=True)
        ours = _question_markup(shown, 'data-testid="preview-question">',
                                '<a class="govuk-button" data-module="govuk-button"')
        theirs = _question_markup(seen, '<form method="post" novalidate>',
                                  '<button type="submit" class="govuk-button "')
        assert 'id="question-text"' in ours
        assert ours == theirs, (slug, tag, number)
