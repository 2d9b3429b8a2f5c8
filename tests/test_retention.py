"""Retention deletes old words, everywhere, and never what must be kept."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import (
    Alert, AlertReason, AlertState, CaseRecordExport, Comment, Quote, Response, Role, ThemeTag,
    today, utcnow,
)
from feedback.services import retention

YEARS_AGO = utcnow() - timedelta(days=900)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def run(dry_run: bool = False):
    report = retention.apply(db.session, utcnow(), session_days=730, case_days=365,
                             dry_run=dry_run)
    db.session.commit()
    return report


@pytest.fixture()
def old_case_response(create_case, create_response, create_user):
    case = create_case()
    response = create_response(case, "my old words", submitted_at=YEARS_AGO)
    worker = create_user(Role.WORKER, case.pod)
    return case, response, worker


def file_export(case, worker, filed_days_ago=400):
    db.session.add(CaseRecordExport(case=case, from_date=YEARS_AGO.date() - timedelta(days=1),
                                    to_date=today(), format="pdf", created_by_id=worker.id,
                                    filed_at=utcnow() - timedelta(days=filed_days_ago),
                                    filed_by_id=worker.id))
    db.session.commit()


def old_session_response(create_session, builtin_questionnaires, text="the park is scary"):
    event = create_session(starts=YEARS_AGO.date())
    response = Response(session=event, questionnaire_version=builtin_questionnaires[
        "board-session"], language="en", submitted_on=YEARS_AGO.date(), idempotency_key=text)
    response.comments.append(Comment(question_key="unsafe", text=text, language="en"))
    db.session.add(response)
    db.session.commit()
    return response


def test_old_anonymous_responses_are_deleted(create_session, builtin_questionnaires):
    old_session_response(create_session, builtin_questionnaires)
    assert run().deleted_session == 1
    assert count(Comment) == 0


def test_a_filed_case_response_past_its_period_is_deleted_with_its_words_everywhere(
        old_case_response):
    case, response, worker = old_case_response
    comment = response.comments[0]
    db.session.add_all([ThemeTag(comment_id=comment.id, theme="home", origin="auto",
                                 status="suggested"),
                        Quote(comment_id=comment.id, theme="home", excerpt="my old words",
                              proposed_by_id=worker.id)])
    db.session.commit()
    file_export(case, worker)
    assert run().deleted_case == 1
    assert (count(Response), count(Comment), count(ThemeTag), count(Quote)) == (0, 0, 0, 0)


def test_a_dry_run_deletes_nothing(old_case_response):
    case, _, worker = old_case_response
    file_export(case, worker)
    assert run(dry_run=True).deleted_case == 1
    assert count(Comment) == 1


def test_never_a_case_comment_not_yet_filed(old_case_response):
    report = run()
    assert report.deleted_case == 0 and count(Comment) == 1
    assert report.kept["not yet filed in the case record (or filed too recently)"] == 1


def test_never_a_case_filed_too_recently(old_case_response):
    case, _, worker = old_case_response
    file_export(case, worker, filed_days_ago=10)
    assert run().deleted_case == 0 and count(Comment) == 1


def test_never_a_case_under_legal_hold(old_case_response):
    case, _, worker = old_case_response
    file_export(case, worker)
    case.is_on_legal_hold = True
    db.session.commit()
    report = run()
    assert report.deleted_case == 0 and count(Comment) == 1
    assert report.kept["the case is under legal hold"] == 1


@pytest.mark.parametrize("kind", ["case", "session"])
def test_never_anything_with_an_unacknowledged_alert(old_case_response, create_session,
                                                     builtin_questionnaires, kind):
    if kind == "case":
        case, response, worker = old_case_response
        file_export(case, worker)
        alert = Alert(case=case, comment=response.comments[0], reason=AlertReason.DETECTOR)
    else:
        response = old_session_response(create_session, builtin_questionnaires)
        alert = Alert(session=response.session, comment=response.comments[0],
                      reason=AlertReason.DETECTOR)
    db.session.add(alert)
    db.session.commit()
    report = run()
    assert report.kept["an alert is not yet acknowledged"] >= 1
    assert db.session.get(Comment, response.comments[0].id) is not None


def test_an_acknowledged_alert_keeps_its_record_but_not_the_words(old_case_response):
    case, response, worker = old_case_response
    file_export(case, worker)
    alert = Alert(case=case, comment=response.comments[0], reason=AlertReason.DETECTOR,
                  state=AlertState.ACKNOWLEDGED, acknowledged_at=utcnow(),
                  acknowledged_by_id=worker.id, action_taken="spoke_to_child")
    db.session.add(alert)
    db.session.commit()
    run()
    db.session.refresh(alert)
    assert alert.comment_id is None and alert.action_taken == "spoke_to_child"
    assert count(Comment) == 0


def test_the_command_reports_what_it_did(runner, old_case_response):
    result = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was deleted" in result.output
    assert "not yet filed in the case record" in result.output
