"""Quotes awaiting a second person's decision."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.web.board import bp
from feedback.web.board.forms import DecisionForm
from feedback.extensions import db
from feedback.services import quotes

DECISION_MESSAGES = {
    "own_quote": _l("You proposed this quote, so someone else must approve or reject it"),
    "decided": _l("Someone has already decided about this quote"),
    "raised_alert": _l("These words raised a safeguarding alert, so they can never be quoted"),
}


@bp.get("/quotes")
def list_quotes() -> str:
    """List proposed quotes (redacted) for a second person to approve or reject."""
    return render_template("board/quotes.html", quotes=quotes.awaiting_decision(db.session),
                           form=DecisionForm(), problem=None)


@bp.post("/quotes/<int:quote_id>/approve", defaults={"decision": "approve"})
@bp.post("/quotes/<int:quote_id>/reject", defaults={"decision": "reject"})
def decide_quote(quote_id: int, decision: str) -> Response | tuple[str, int]:
    """Approve or reject a proposed quote (never one you proposed)."""
    quote = quotes.proposed(db.session, quote_id)
    form = DecisionForm()
    if quote is None or not form.validate_on_submit():
        abort(404 if quote is None else 400)
    try:
        quotes.decide(db.session, quote, current_user, approve=decision == "approve")
    except quotes.QuoteError as error:
        db.session.rollback()
        return render_template("board/quotes.html", form=form,
                               quotes=quotes.awaiting_decision(db.session),
                               problem=DECISION_MESSAGES[error.reason]), 409
    db.session.commit()
    return redirect(url_for("board.list_quotes"))
