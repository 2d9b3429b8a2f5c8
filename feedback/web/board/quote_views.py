"""Quotes awaiting a second person's decision, shown beside the words they came from."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.web.board import bp
from feedback.web.board.forms import DecisionForm
from feedback.extensions import db
from feedback.models import Quote
from feedback.services import quotes, redaction

DECISION_MESSAGES = {
    "own_quote": _l("You proposed this quote, so someone else must approve or reject it"),
    "decided": _l("Someone has already decided about this quote"),
    "raised_alert": _l("These words raised a safeguarding alert, so they can never be quoted"),
    "open_alert": _l("The child's case has a safeguarding alert that is not closed, so their "
                     "words cannot be quoted now"),
    "possible_name": _l("The quote still has a possible name in it: replace it with [name] "
                        "(or another placeholder), or tick that it is not a name"),
    "empty": _l("Enter the words to quote"),
    "not_in_comment": _l("You can only shorten the quote or put placeholders such as [name] "
                         "in place of words: do not add or change words"),
    "inside_word": _l("Cut the quote only between words, not inside a word"),
}


@dataclass(frozen=True)
class Pending:
    """A proposed quote with what the approver needs to judge it."""

    quote: Quote
    original: list[redaction.Piece]
    proposed: list[redaction.Piece]
    names: list[str]


def school_names() -> list[str]:
    return redaction.school_name_list(current_app.config["SCHOOL_NAMES"])


def _pending() -> list[Pending]:
    """The quotes to decide, each with its original comment and possible names marked."""
    schools, pending = school_names(), []
    for quote in quotes.awaiting_decision(db.session, current_user):
        names = quotes.case_names(quote.comment)
        in_quote = quotes.names_to_check(quote, schools)
        in_original = redaction.possible_names(quote.comment.text, names, schools)
        pending.append(Pending(quote, redaction.marked(quote.comment.text, in_original),
                               redaction.marked(quote.excerpt, in_quote),
                               list(dict.fromkeys(found.text for found in in_quote))))
    return pending


@bp.get("/quotes")
def list_quotes() -> str:
    """List proposed quotes (redacted) beside their original words, possible names marked."""
    pending = _pending()
    db.session.commit()  # the read of the original words is audited
    return render_template("board/quotes.html", pending=pending, form=DecisionForm(),
                           problem=None, problem_quote=None, typed={})


@bp.post("/quotes/<int:quote_id>/approve", defaults={"decision": "approve"})
@bp.post("/quotes/<int:quote_id>/reject", defaults={"decision": "reject"})
def decide_quote(quote_id: int, decision: str) -> Response | tuple[str, int]:
    """Approve (perhaps edited, every possible name resolved) or reject a proposed quote."""
    quote = quotes.proposed(db.session, quote_id)
    form = DecisionForm()
    if quote is None or not form.validate_on_submit():
        abort(404 if quote is None else 400)
    typed = request.form.get("excerpt")
    try:
        quotes.decide(db.session, quote, current_user, approve=decision == "approve",
                      excerpt=typed, not_names=request.form.getlist("not_name"),
                      school_names=school_names())
    except quotes.QuoteError as error:
        db.session.rollback()
        pending = _pending()
        db.session.commit()
        return render_template("board/quotes.html", form=form, pending=pending,
                               problem=DECISION_MESSAGES[error.reason], problem_quote=quote_id,
                               typed={quote_id: typed} if typed is not None else {}), 409
    db.session.commit()
    return redirect(url_for("board.list_quotes"))
