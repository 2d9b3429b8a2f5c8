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
