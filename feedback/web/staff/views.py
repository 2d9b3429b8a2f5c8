"""Pages for social workers and their managers: the inbox and the case."""

from __future__ import annotations

import segno
from flask import (
    abort, current_app, g, redirect, render_template, request, url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response as WebResponse

from feedback.web import journeys as journey
from feedback.web.staff import bp
from feedback.extensions import db
from feedback.web.labels import THEME_LABELS
from feedback.web.numbers import int_arg
from feedback.models import AccessCode, utcnow
from feedback.services import (access, alerts, audit, casework, codes, inbox, plans, questionnaires,
                               quotes)
from feedback.web.staff import forms, wording


@bp.context_processor
def _staff_globals() -> dict[str, object]:
    return {"question_text": questionnaires.question_text, "forms": forms, "wording": wording}


@bp.get("/")
def inbox_page() -> str:
    """Show alerts first, then unread comments, then children not heard from lately."""
    box = inbox.inbox_for(db.session, current_user, utcnow(), current_app.config["DRIFT_DAYS"])
    alerts.record_listed(db.session, current_user, box.alerts, g.request_id)
    db.session.commit()
    return render_template("staff/inbox.html", inbox=box,
                           drift_days=current_app.config["DRIFT_DAYS"], now=utcnow())


@bp.get("/cases/<reference>")
def view_case(reference: str) -> str:
    """Show a child's case: everything they said, newest first, with its golden thread."""
    case = access.case_for(db.session, current_user, reference)
    page = int_arg("page", 1)
    show = request.args.get("show", "all")
    show = show if show in casework.SHOWS else "all"
    response_id = int_arg("response")
    audit.record(db.session, "case.view", actor=current_user, object_type="case",
                 object_id=case.id, request_id=g.request_id,
                 detail={"page": page, "show": show, "response": response_id})
    db.session.commit()
    # Loaded after the commit, which would otherwise expire what was eagerly loaded.
    timeline = casework.case_timeline(db.session, case, page, show=show,
                                      response_id=response_id)
    actions = plans.case_plan(db.session, case)
    shown = [comment.id for response in timeline.responses for comment in response.comments]
    quotable, themes = quotes.quotable_ids(db.session, shown), quotes.top_themes(db.session, shown)
    return render_template("staff/view_case.html", case=case, timeline=timeline,
                           code_form=_code_form(), actions=actions,
                           open_codes=codes.codes_of(db.session, case), show=show,
                           one_response=response_id,
                           add_theme_choices=list(THEME_LABELS.items()),
                           quotable=lambda comment: comment.id in quotable,
                           quote_theme=lambda comment: themes.get(comment.id))


def _code_form() -> forms.AccessCodeForm:
    form = forms.AccessCodeForm()
    form.questionnaire.choices = forms.choices(
        {v.questionnaire.slug: v.definition["title"]["en"]
         for v in questionnaires.current_versions(db.session)
         if v.questionnaire.slug != "board-session"})
    return form


def _code_hours() -> int:
    return int(current_app.config["ACCESS_CODE_DAYS"]) * 24


@bp.post("/cases/<reference>/access-codes")
def create_access_code(reference: str) -> str:
    """Make a code for the child, shown large, as a QR code and with the address, to print."""
    case = access.case_for(db.session, current_user, reference)
    form = _code_form()
    if not form.validate_on_submit():
        abort(400)
    questionnaire = questionnaires.by_slug(db.session, form.questionnaire.data or "")
    code, plain = codes.create_access_code(db.session, case, questionnaire, current_user,
                                           _code_hours())
    audit.record(db.session, "access_code.create", actor=current_user, object_type="case",
                 object_id=case.id, request_id=g.request_id)
    db.session.commit()
    start = url_for("child.start", _external=True)
    link = journey.start_link(codes.display(plain))
    return render_template("staff/access_code.html", case=case, code=codes.display(plain),
                           expires_at=code.expires_at, address=wording.address(start),
                           title=questionnaire.current.definition["title"]["en"],
                           qr_svg=segno.make(link, error="m").svg_inline(scale=6))


@bp.post("/access-codes/<int:code_id>/revoke")
def revoke_access_code(code_id: int) -> WebResponse:
    """Stop a code the child has not sent yet, and delete the answers kept with it."""
    code = db.session.get(AccessCode, code_id)
    if code is None:
        abort(404)
    case = access.case_for(db.session, current_user, code.case.reference)
    if not forms.ReadForm().validate_on_submit():
        abort(400)
    if codes.revoke(db.session, code, current_user):
        audit.record(db.session, "access_code.revoke", actor=current_user,
                     object_type="access_code", object_id=code.id, request_id=g.request_id)
    db.session.commit()
    return redirect(url_for("staff.view_case", reference=case.reference,
                            _anchor="access-code-heading"))


@bp.post("/cases/<reference>/hand-over")
def hand_over(reference: str) -> WebResponse:
    """Start the child's questionnaire on this device, signing the worker out first."""
    case = access.case_for(db.session, current_user, reference)
    form = _code_form()
    if not form.validate_on_submit():
        abort(400)
    questionnaire = questionnaires.by_slug(db.session, form.questionnaire.data or "")
    code, _ = codes.create_access_code(db.session, case, questionnaire, current_user,
                                       _code_hours())
    audit.record(db.session, "access_code.hand_over", actor=current_user, object_type="case",
                 object_id=case.id, request_id=g.request_id)
    journey.begin_entry(codes.CaseEntry(code), handed_over=True)  # signs the worker out
    db.session.commit()
    return redirect(url_for("child.welcome"))


@bp.post("/responses/<int:response_id>/read")
def mark_response_read(response_id: int) -> WebResponse:
    """Mark every comment of one response as read."""
    response = access.response_for(db.session, current_user, response_id)
    if forms.ReadForm().validate_on_submit():
        casework.mark_read(db.session, response.comments, current_user)
        db.session.commit()
    return redirect(url_for("staff.view_case", reference=response.case.reference,
                            _anchor=f"response-{response.id}"))


@bp.post("/comments/<int:comment_id>/themes")
def decide_theme(comment_id: int) -> WebResponse:
    """Confirm, remove or add a theme on a comment; the machine never undoes it."""
    comment = access.comment_for(db.session, current_user, comment_id)
    decision = forms.ThemeDecisionForm()
    adding = forms.AddThemeForm()
    adding.theme.choices = forms.choices(THEME_LABELS)
    if decision.validate_on_submit() and decision.decision.data in ("confirm", "remove"):
        theme, keep = decision.theme.data or "", decision.decision.data == "confirm"
    elif adding.validate_on_submit():
        theme, keep = adding.theme.data or "", True
    else:
        abort(400)
    try:
        casework.decide_theme(db.session, comment, theme, keep, current_user)
    except casework.ThemeError:
        abort(400)
    db.session.commit()
    return redirect(url_for("staff.view_case", reference=comment.response.case.reference,
                            _anchor=f"comment-{comment.id}"))
