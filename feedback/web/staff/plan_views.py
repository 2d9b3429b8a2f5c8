"""The golden thread: plan actions, links from comments, and replies to the child."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WebResponse
from wtforms import SelectChoice

from feedback.extensions import db
from feedback.web.labels import PLAN_SECTIONS, THEME_LABELS
from feedback.web.numbers import database_int
from feedback.models import ActionStatus, ReplyKind
from feedback.services import access, audit, plans, quotes, redaction
from feedback.web.staff import forms
from feedback.web.staff import bp


def _audit_read(action: str, object_type: str, object_id: int) -> None:
    """Every page that shows a child's words leaves an audit event."""
    audit.record(db.session, action, actor=current_user, object_type=object_type,
                 object_id=object_id, request_id=g.request_id)
    db.session.commit()


def _plan_form() -> forms.PlanActionForm:
    form = forms.PlanActionForm()
    form.section.choices = forms.choices(PLAN_SECTIONS)
    return form


@bp.route("/cases/<reference>/plan", methods=["GET", "POST"])
def view_plan(reference: str) -> str | WebResponse:
    """List the child's plan actions; add one, optionally answering a comment."""
    case = access.case_for(db.session, current_user, reference)
    form = _plan_form()
    comment = None
    comment_id = form.comment_id.data or request.args.get("comment_id", "")
    if comment_id:
        number = database_int(comment_id)
        if number is None:
            abort(404)
        comment = access.comment_for(db.session, current_user, number)
        if not form.is_submitted():
            form.comment_id.data = comment_id
            form.section.data = next((t.theme for t in comment.tags
                                      if t.status != "removed"), None)
    if form.validate_on_submit():
        plans.add_action(db.session, case, title=form.title.data or "",
                         section=form.section.data or "", owner=form.owner.data or "",
                         due_on=form.due_on.data, by=current_user, comment=comment)
        db.session.commit()
        return redirect(url_for("staff.view_plan", reference=case.reference))
    if comment is not None:
        _audit_read("comment.view", "comment", comment.id)
    return render_template("staff/view_plan.html", case=case, form=form, comment=comment,
                           actions=plans.case_plan(db.session, case),
                           chair_form=forms.ReplyForm(prefix="chair"))


@bp.route("/plan-actions/<int:action_id>", methods=["GET", "POST"])
def view_plan_action(action_id: int) -> str | WebResponse:
    """Show one plan action with the comments it answers; update its status and outcome."""
    action = access.plan_action_for(db.session, current_user, action_id)
    form = forms.ActionUpdateForm(data={"status": action.status.value,
                                        "outcome": action.outcome or ""})
    if form.validate_on_submit():
        plans.update_action(db.session, action, ActionStatus(form.status.data),
                            form.outcome.data or "", current_user)
        db.session.commit()
        return redirect(url_for("staff.view_plan_action", action_id=action.id))
    _audit_read("plan_action.view", "plan_action", action.id)
    return render_template("staff/view_plan_action.html", action=action, form=form,
                           reply_form=forms.ReplyForm())


@bp.post("/comments/<int:comment_id>/links")
def link_comment(comment_id: int) -> WebResponse:
    """Link a comment to an existing plan action of the same case."""
    comment = access.comment_for(db.session, current_user, comment_id)
    form = forms.LinkForm()
    form.plan_action.choices = forms.choices(
        {a.id: a.title for a in plans.case_plan(db.session, comment.response.case)})
    if not form.validate_on_submit():
        abort(400)
    action = access.plan_action_for(db.session, current_user, form.plan_action.data)
    plans.link(db.session, comment, action, current_user)
    db.session.commit()
    return redirect(url_for("staff.view_case", reference=comment.response.case.reference,
                            _anchor=f"comment-{comment.id}"))


@bp.post("/comments/<int:comment_id>/replies")
def reply_to_comment(comment_id: int) -> WebResponse:
    """Write "you said, we did" for a comment."""
    comment = access.comment_for(db.session, current_user, comment_id)
    form = forms.ReplyForm()
    if not form.validate_on_submit():
        abort(400)
    plans.add_reply(db.session, comment.response.case, form.text.data or "", current_user,
                    shared=form.shared.data, comment=comment)
    db.session.commit()
    return redirect(url_for("staff.view_case", reference=comment.response.case.reference,
                            _anchor=f"comment-{comment.id}"))


@bp.post("/plan-actions/<int:action_id>/replies")
def reply_to_action(action_id: int) -> WebResponse:
    """Tell the child what happened about a plan action."""
    action = access.plan_action_for(db.session, current_user, action_id)
    form = forms.ReplyForm()
    if not form.validate_on_submit():
        abort(400)
    plans.add_reply(db.session, action.case, form.text.data or "", current_user,
                    shared=form.shared.data, action=action)
    db.session.commit()
    return redirect(url_for("staff.view_plan_action", action_id=action.id))


@bp.post("/cases/<reference>/chair-responses")
def add_chair_response(reference: str) -> WebResponse:
    """Record the review or conference chair's response to the child's views."""
    case = access.case_for(db.session, current_user, reference)
    form = forms.ReplyForm(prefix="chair")
    if not form.validate_on_submit():
        abort(400)
    plans.add_reply(db.session, case, form.text.data or "", current_user,
                    shared=form.shared.data, kind=ReplyKind.CHAIR_RESPONSE)
    db.session.commit()
    return redirect(url_for("staff.view_plan", reference=case.reference))


@bp.post("/replies/<int:reply_id>/share")
def share_reply(reply_id: int) -> WebResponse:
    """Share a reply with the child."""
    reply = access.reply_for(db.session, current_user, reply_id)
    if forms.ReadForm().validate_on_submit():
        plans.share_reply(db.session, reply, current_user)
        db.session.commit()
    return redirect(url_for("staff.view_case", reference=reply.case.reference))


QUOTE_MESSAGES = {
    "empty": _l("Enter the words to quote"),
    "too_long": _l("A quote must be %(max)s characters or fewer", max=quotes.MAX_EXCERPT),
    "unknown_theme": _l("Choose the theme the quote shows"),
    "not_in_comment": _l("Quote only words the child wrote (use … for words left out)"),
    "inside_word": _l("Start and end the quote, and each part of it, at the start or end of a "
                      "word: a cut inside a word can change what the child said"),
    "raised_alert": _l("These words raised a safeguarding alert, so they can never be quoted"),
    "open_alert": _l("This case has a safeguarding alert that is not closed, so the child's "
                     "words cannot be quoted now"),
}


@bp.post("/comments/<int:comment_id>/quotes")
def propose_quote(comment_id: int) -> WebResponse | tuple[str, int]:
    """Propose part of a comment as a quote for board reports; a second person approves it.

    A refusal shows the comment again with what was typed and why.
    """
    comment = access.comment_for(db.session, current_user, comment_id)
    form = forms.QuoteForm()
    form.theme.choices = [SelectChoice("", _l("Choose a theme")), *forms.choices(THEME_LABELS)]
    case = comment.response.case
    schools = redaction.school_name_list(current_app.config["SCHOOL_NAMES"])
    if form.validate_on_submit():
        try:
            quotes.propose(db.session, comment, form.excerpt.data or "", form.theme.data or "",
                           current_user, names=[], school_names=schools)
        except quotes.QuoteError as error:
            db.session.rollback()
            field = form.theme if error.reason == "unknown_theme" else form.excerpt
            field.errors = [*field.errors, QUOTE_MESSAGES[error.reason]]
        else:
            db.session.commit()
            flash(_("Quote proposed. Someone else must approve it before it can appear in a "
                    "report."))
            return redirect(url_for("staff.view_case", reference=case.reference,
                                    _anchor=f"comment-{comment.id}"))
    _audit_read("comment.view", "comment", comment.id)
    found = redaction.possible_names(comment.text, quotes.case_names(comment), schools)
    return render_template("staff/propose_quote.html", comment=comment, case=case, form=form,
                           marked=redaction.marked(comment.text, found)), 400
