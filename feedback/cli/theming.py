"""``flask --app wsgi theming ...``: re-tag stored comments and learn from workers."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from feedback.web.analyser import build_analyser, classifier_path, current_analyser, alert_mail
from feedback.extensions import db
from feedback.services import retagging
from feedback.theming.learn import compare, train

theming_group = AppGroup("theming", help="Re-tag comments and learn from workers' corrections.")

#: Fewer reviewed comments than this teach a model nothing worth trusting.
MIN_CORRECTIONS = 20


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
    """Train on workers' corrections; use the model only if it does better on held-out ones."""
    corrections = retagging.worker_corrections(db.session)
    if export_path:
        export_path.write_text("".join(
            json.dumps({"id": e.id, "text": e.text, "themes": sorted(e.themes)}) + "\n"
            for e in corrections.examples), encoding="utf-8")
    if len(corrections.examples) < MIN_CORRECTIONS:
        raise click.ClickException(f"Only {len(corrections.examples)} reviewed comments; "
                                   f"at least {MIN_CORRECTIONS} are needed.")
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
