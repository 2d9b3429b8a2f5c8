"""Participation sessions: create one, print its join code, see who took part and its themes.

The join code is stored only as a digest, so it is shown (with its QR code, to print)
on the page that answers the POST that made it, and never again: no redirect, no
flashed message, nothing in the server session. A board user who lost it makes a new
one, which stops the old.
"""

from __future__ import annotations

import segno
from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from feedback.web import journeys as journey
from feedback.web.board import bp
from feedback.web.board.forms import JoinCodeForm, QuoteForm, SessionForm
from feedback.web.board.report import year_cache
from feedback.extensions import db
from feedback.web.labels import THEME_LABELS
from feedback.web.numbers import int_arg
from feedback.models import ParticipationSession, StaffUser, utcnow
from feedback.services import (
    alerts, board_report, codes, participation, questionnaires, quotes, redaction, summaries,
)
from feedback.services.suppression import crosstab_threshold

QUOTE_MESSAGES = {
    "empty": _l("Enter the words to quote"),
    "too_long": _l("A quote must be %(max)s characters or fewer", max=quotes.MAX_EXCERPT),
    "unknown_theme": _l("Choose a theme"),
    "not_in_comment": _l("Quote only words the young person wrote (use … for words left out)"),
    "inside_word": _l("Start and end the quote, and each part of it, at the start or end of a "
                      "word: a cut inside a word can change what the young person said"),
    "raised_alert": _l("These words raised a safeguarding alert, so they can never be quoted"),
    "open_alert": _l("The child's case has a safeguarding alert that is not closed, so their "
                     "words cannot be quoted now"),
}


def threshold() -> int:
    return int(current_app.config["SUPPRESSION_THRESHOLD"])


def _year_sets() -> summaries.YearSets:
    """Each year's published set, as the summary pages use it: a session's figures are
    cells of its year's tables."""
    return board_report.year_sets(db.session, threshold(), utcnow(), year_cache())


def _session_or_404(session_id: int) -> ParticipationSession:
    event = db.session.get(ParticipationSession, session_id)
    if event is None:
        abort(404)
    return event


def _session_form() -> SessionForm:
    form = SessionForm()
    form.questionnaire.choices = [SelectChoice(v.questionnaire.slug, v.definition["title"]["en"])
                                  for v in questionnaires.current_versions(db.session)]
    form.safeguarding_lead.choices = [SelectChoice("", _l("Choose a worker or manager"))] + [
        SelectChoice(u.id, f"{u.name} ({u.email})")
        for u in participation.safeguarding_leads(db.session)]
    if request.method == "GET":
        form.questionnaire.data = "board-session"
    return form


@bp.get("/sessions")
def list_sessions() -> str:
    """List participation sessions, the latest first, with how many took part."""
    events = participation.all_sessions(db.session)
    year_set = _year_sets()
    took_part = {e.id: summaries.session_took_part(db.session, e, threshold(), year_set).shown
                 for e in events}
    return render_template("board/sessions.html", events=events, took_part=took_part)


def _join_code_page(event: ParticipationSession, plain: str, is_new: bool) -> str:
    """The page that shows a join code, large and as a QR code, once, to print."""
    code = codes.display(plain)
    link = journey.start_link(code)
    return render_template("board/join_code.html", event=event, code=code, is_new=is_new,
                           qr_svg=segno.make(link, error="m").svg_inline(scale=6, title=None))


@bp.route("/sessions/new", methods=["GET", "POST"])
def create_session() -> str | tuple[str, int]:
    """Create a participation session and show its join code once; its alerts go to its
    safeguarding lead and the duty team."""
    form = _session_form()
    if form.validate_on_submit():
        event, plain = participation.create_session(
            db.session, title=form.title.data or "", starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            safeguarding_lead=db.session.get_one(StaffUser, form.safeguarding_lead.data),
            questionnaire=questionnaires.by_slug(db.session, form.questionnaire.data or ""),
            created_by=current_user, request_id=g.request_id)
        db.session.commit()
        return _join_code_page(event, plain, is_new=False)
    return render_template("board/new_session.html", form=form), 400 if form.errors else 200


@bp.get("/sessions/<int:session_id>")
def view_session(session_id: int) -> str:
    """Show who took part in a session and its themes, and offer a new join code."""
    event = _session_or_404(session_id)
    took_part, themes = summaries.session_summary(db.session, event, threshold(),
                                                  _year_sets())
    return render_template("board/session.html", event=event, took_part=took_part,
                           open_alerts=alerts.session_open_alerts(db.session, event),
                           themes=themes, strict=crosstab_threshold(threshold()),
                           code_form=JoinCodeForm())


@bp.post("/sessions/<int:session_id>/join-code")
def replace_join_code(session_id: int) -> str:
    """Give the session a new join code, show it once, and stop the old one."""
    event = _session_or_404(session_id)
    if not JoinCodeForm().validate_on_submit():
        abort(400)
    plain = participation.replace_join_code(db.session, event, current_user,
                                            request_id=g.request_id)
    db.session.commit()
    return _join_code_page(event, plain, is_new=True)


@bp.route("/sessions/<int:session_id>/quotes", methods=["GET", "POST"])
def propose_session_quote(session_id: int) -> str | Response:
    """Propose words from a session's comment as a quote, once enough young people took part."""
    event = _session_or_404(session_id)
    if event.device_count < threshold():  # distinct devices: one tablet's answers are not many
        abort(404)
    chosen = quotes.session_comment(db.session, event, int_arg("comment", 0), current_user)
    form = QuoteForm(data={"excerpt": chosen.text if chosen else "",
                           "theme": quotes.top_theme(db.session, chosen) if chosen else None})
    form.theme.choices = [SelectChoice("", _l("Choose a theme"))] + [
        SelectChoice(code, label) for code, label in THEME_LABELS.items()]
    schools = redaction.school_name_list(current_app.config["SCHOOL_NAMES"])
    if chosen is not None and form.validate_on_submit():
        try:
            quotes.propose(db.session, chosen, form.excerpt.data or "", form.theme.data or "",
                           current_user, names=[], school_names=schools)
        except quotes.QuoteError as error:
            field = form.theme if error.reason == "unknown_theme" else form.excerpt
            field.errors = [*field.errors, QUOTE_MESSAGES[error.reason]]
        else:
            db.session.commit()
            return redirect(url_for("board.list_quotes"))
    comments = [] if chosen else quotes.session_comments(db.session, event, current_user)
    marked = redaction.marked(chosen.text, redaction.possible_names(
        chosen.text, school_names=schools)) if chosen else []
    page = render_template("board/propose_quote.html", event=event, chosen=chosen,
                           comments=comments, form=form, marked=marked)
    db.session.commit()  # the read of the comments is audited
    return page
