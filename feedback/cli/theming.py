"""``flask --app wsgi theming ...``: re-tag stored comments and learn from workers."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from feedback.web.analyser import (
    alert_mail, build_analyser, classifier_path, current_analyser, reader_path,
)
from feedback.extensions import db
from feedback.models import Alert, AlertReason, Comment
from feedback.services import retagging
from feedback.theming.evaluation import LabelledExample
from feedback.theming.learn import Decision, compare, learn_reader, train

theming_group = AppGroup("theming", help="Re-tag comments and learn from workers' corrections.")

#: Fewer reviewed comments than this teach a model nothing worth trusting.
MIN_CORRECTIONS = 20
#: The alert action that says a worker found no concern: the flag is cleared.
CLEARED = "no_concern"


@theming_group.command("retag")
@click.option("--batch-size", default=500, show_default=True)
def retag(batch_size: int) -> None:
    """Re-analyse every stored comment; workers' theme decisions are kept."""
    analyser = current_analyser()
    total = db.session.scalar(db.select(db.func.count(retagging.Comment.id))) or 0
    alerts = 0
    with tqdm(total=total, unit="comment", disable=None) as progress:
        for batch in retagging.comment_batches(db.session, batch_size):
            alerts += retagging.retag(db.session, batch, analyser, mail=alert_mail())
            db.session.commit()
            progress.update(len(batch))
    click.echo(f"Re-tagged {total} comments; {alerts} new alert(s) for unread comments.")


@theming_group.command("learn")
@click.option("--dry-run", is_flag=True, help="Report only; do not start using the model.")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the labelled comments to this JSON Lines file.")
def learn(dry_run: bool, export_path: Path | None) -> None:
    """Learn from workers: themes from their corrections, and the safeguarding reader from
    the alerts and concerns they confirmed or cleared. Each model is used only if it does
    better on held-out comments."""
    corrections = retagging.worker_corrections(db.session)
    decisions = _decisions(corrections.examples)
    if export_path:
        export_path.write_text("".join(json.dumps(
            {"id": d.id, "text": d.text, "themes": sorted(d.themes or ()),
             **({"safeguarding": d.harm} if d.harm is not None else {})}) + "\n"
            for d in decisions), encoding="utf-8")
    about_harm = sum(d.harm is not None for d in decisions)
    if len(corrections.examples) < MIN_CORRECTIONS and about_harm < MIN_CORRECTIONS:
        raise click.ClickException(f"Only {len(corrections.examples)} reviewed comments; "
                                   f"at least {MIN_CORRECTIONS} are needed.")
    if len(corrections.examples) >= MIN_CORRECTIONS:
        _learn_themes(corrections, dry_run)
    if about_harm >= MIN_CORRECTIONS:
        _learn_reader(decisions, dry_run)
    else:
        click.echo(f"Safeguarding: {about_harm} alert decisions; {MIN_CORRECTIONS} are needed "
                   f"to retrain the reader.")


def _decisions(examples: list[LabelledExample]) -> list[Decision]:
    """Return every comment a worker decided about: its themes, and whether the alert or
    concern it raised was confirmed (any action but "no concern") or cleared."""
    themes = {e.id: (e.text, frozenset(e.themes)) for e in examples}
    harm: dict[str, tuple[str, bool]] = {}
    rows = db.session.execute(
        db.select(Alert.comment_id, Alert.action_taken, Comment.text)
        .join(Comment, Alert.comment_id == Comment.id)
        .where(Alert.reason == AlertReason.DETECTOR, Alert.action_taken.is_not(None)))
    for comment_id, action, text in rows:
        harm[str(comment_id)] = (text, action != CLEARED)
    ids = sorted(set(themes) | set(harm), key=lambda i: int(i) if i.isdigit() else 0)
    return [Decision(text=(themes.get(i) or harm[i])[0],
                     harm=harm[i][1] if i in harm else None,
                     themes=themes[i][1] if i in themes else None, id=i) for i in ids]


def _learn_themes(corrections: retagging.Corrections, dry_run: bool) -> None:
    training, held_out = corrections.split()
    base = build_analyser(with_classifier=False)
    model = train(training, analyser=base)
    result = compare(base, build_analyser(classifier=model), held_out)
    click.echo(f"Trained on {len(training)}, evaluated on {len(held_out)} held-out comments.")
    click.echo(f"Macro F1 {result.base.macro_f1:.3f} -> {result.candidate.macro_f1:.3f} "
               f"({result.macro_f1_change:+.3f}); safeguarding recall "
               f"{result.base.safeguarding_recall:.3f} -> "
               f"{result.candidate.safeguarding_recall:.3f}")
    if not result.improved:
        click.echo("Not used: it did not improve the evaluation.")
    elif dry_run:
        click.echo("It would improve the evaluation (dry run: not saved).")
    else:
        model.save(classifier_path(current_app))
        current_app.extensions.pop("theming", None)
        click.echo(f"Saved to {classifier_path(current_app)}; it adds themes from now on.")


def _learn_reader(decisions: list[Decision], dry_run: bool) -> None:
    """Retrain the safeguarding reader with workers' decisions; keep the old one unless
    recall holds everywhere and false alarms fall."""
    result = learn_reader(build_analyser(), decisions)
    click.echo("Safeguarding reader, current -> retrained with workers' decisions "
               "(recall counts urgent or concern):")
    for name, (before, after) in result.reports.items():
        click.echo(f"  {name}: recall {before.safeguarding_recall:.3f} -> "
                   f"{after.safeguarding_recall:.3f}; false alarms "
                   f"{before.false_alarm_rate:.3f} -> {after.false_alarm_rate:.3f}; "
                   f"sentiment {before.sentiment_accuracy:.3f} -> "
                   f"{after.sentiment_accuracy:.3f}")
    if not result.improved:
        click.echo(f"Not used ({result.why}): the previous reader is kept.")
    elif dry_run:
        click.echo(f"It would be used ({result.why}; dry run: not saved).")
    else:
        result.candidate.save(reader_path(current_app))
        current_app.extensions.pop("theming", None)
        click.echo(f"Saved to {reader_path(current_app)} ({result.why}).")
