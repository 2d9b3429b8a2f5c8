"""Questionnaires are versioned data an administrator can add without code changes."""

import json

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Questionnaire
from feedback.services import questionnaires

NEW = {"slug": "after-school", "title": {"en": "After school"},
       "questions": [{"key": "how", "type": "faces", "text": {"en": "How was today?"}},
                     {"key": "why", "type": "text", "optional": True,
                      "text": {"en": "Tell us why"}}]}


def test_the_built_in_questionnaires_cover_every_question_type():
    definitions = {d["slug"]: d for d in questionnaires.builtin_definitions()}
    assert set(definitions) == {"my-meeting", "how-are-things", "three-houses", "board-session",
                                "express"}
    kinds = {q["type"] for d in definitions.values() for q in d["questions"]}
    assert kinds == questionnaires.QUESTION_TYPES


def test_my_meeting_asks_what_a_review_needs_to_hear():
    meeting = next(d for d in questionnaires.builtin_definitions() if d["slug"] == "my-meeting")
    keys = [q["key"] for q in meeting["questions"]]
    for needed in ("going_well", "worries", "want_to_happen", "who_there", "tell_chair"):
        assert needed in keys


def test_an_administrator_imports_a_questionnaire_from_a_file(runner, tmp_path):
    path = tmp_path / "after-school.json"
    path.write_text(json.dumps(NEW))
    result = runner.invoke(args=["questionnaire", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Installed after-school version 1" in result.output
    stored = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "after-school"))
    assert stored.current.definition == NEW


def test_importing_a_changed_file_adds_a_version_and_keeps_the_old(runner, tmp_path):
    path = tmp_path / "after-school.json"
    path.write_text(json.dumps(NEW))
    runner.invoke(args=["questionnaire", "import", str(path)])
    changed = {**NEW, "title": {"en": "After school club"}}
    path.write_text(json.dumps(changed))
    result = runner.invoke(args=["questionnaire", "import", str(path)])
    assert "version 2" in result.output
    stored = db.session.scalar(select(Questionnaire).where(Questionnaire.slug == "after-school"))
    assert [v.definition["title"]["en"] for v in stored.versions] == [
        "After school", "After school club"]


def test_an_invalid_file_is_refused_with_a_clear_reason(runner, tmp_path):
    path = tmp_path / "bad.json"
    bad = {**NEW, "questions": [{"key": "how", "type": "slider", "text": {"en": "?"}}]}
    path.write_text(json.dumps(bad))
    result = runner.invoke(args=["questionnaire", "import", str(path)])
    assert result.exit_code != 0
    assert "question 'how' has type 'slider'" in result.output


def test_a_choice_needs_two_options(tmp_path):
    bad = {**NEW, "questions": [{"key": "pick", "type": "choice", "text": {"en": "?"},
                                 "options": [{"value": "a", "label": {"en": "A"}}]}]}
    try:
        questionnaires.validate(bad)
    except questionnaires.QuestionnaireError as error:
        assert "at least two options" in str(error)
    else:
        raise AssertionError("a one-option choice was accepted")


def test_installing_the_built_ins_twice_adds_nothing(app):
    added = questionnaires.install_builtin(db.session)
    assert len(added) == len(questionnaires.builtin_definitions())
    assert questionnaires.install_builtin(db.session) == []
