"""The service's theming commands: learning from workers' corrections."""

from feedback.extensions import db
from feedback.models import Comment, Role, TagOrigin, TagStatus, ThemeTag, utcnow

SENTENCES = ["my foster carer makes me laugh", "i want more time on the xbox at weekends",
             "the bus to college takes forever", "my nan teaches me to bake",
             "i need help with my driving theory test", "lunch at school is rank",
             "my key worker helped me open a bank account", "i miss my dog from my old house"]


def test_learn_needs_enough_corrections(runner):
    result = runner.invoke(args=["theming", "learn", "--dry-run"])
    assert result.exit_code != 0
    assert "at least 20 are needed" in result.output


def test_learn_reports_before_and_after_and_exports_the_labels(runner, create_case,
                                                               create_response, create_user,
                                                               tmp_path):
    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    for n in range(30):
        response = create_response(case, SENTENCES[n % len(SENTENCES)] + f" ({n})")
        comment = response.comments[0]
        db.session.add(ThemeTag(comment_id=comment.id, theme="home", origin=TagOrigin.WORKER,
                                status=TagStatus.CONFIRMED, decided_by_id=worker.id,
                                decided_at=utcnow()))
    db.session.commit()
    labels = tmp_path / "labels.jsonl"
    result = runner.invoke(args=["theming", "learn", "--dry-run", "--export", str(labels)])
    assert result.exit_code == 0, result.output
    assert "Trained on 24, evaluated on 6 held-out comments." in result.output
    assert "Macro F1" in result.output
    assert len(labels.read_text().splitlines()) == 30
    assert db.session.query(Comment).count() == 30


HARMS = ["he hits me when mum goes out", "i dont want to be here anymore",
         "nobody feeds us when dad is drunk", "a man online wants pictures of me"]
CLEARED = ["i was gutted we lost the match", "my brother nicked my charger again",
           "the dentist was scary but fine", "i hate maths it kills me"]


def test_learn_weighs_alert_decisions_and_keeps_the_reader_unless_it_is_better(
        runner, create_case, create_response, create_user, tmp_path):
    from feedback.models import Alert, AlertReason, AlertState, AlertTier

    case = create_case()
    worker = create_user(Role.WORKER, case.pod)
    for n in range(24):
        confirmed = n % 2 == 0
        text = (HARMS if confirmed else CLEARED)[n // 2 % 4] + f" ({n})"
        response = create_response(case, text)
        db.session.add(Alert(case_id=case.id, response_id=response.id,
                             comment_id=response.comments[0].id, reason=AlertReason.DETECTOR,
                             tier=AlertTier.CONCERN, state=AlertState.ACKNOWLEDGED,
                             acknowledged_at=utcnow(), acknowledged_by_id=worker.id,
                             action_taken="spoke_to_child" if confirmed else "no_concern"))
    db.session.commit()
    labels = tmp_path / "labels.jsonl"
    result = runner.invoke(args=["theming", "learn", "--dry-run", "--export", str(labels)])
    assert result.exit_code == 0, result.output
    assert "Safeguarding reader, current -> retrained" in result.output
    assert "held-out decisions: recall" in result.output
    assert ("previous reader is kept" in result.output or "would be used" in result.output)
    rows = labels.read_text().splitlines()
    assert len(rows) == 24 and '"safeguarding": true' in rows[0]
