"""Administrators' pages for the API's tokens: make one (shown once), list, revoke."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from feedback.extensions import db
from feedback.models import ApiToken, Pod, utcnow
from feedback.services import api_tokens
from feedback.web.admin import bp
from feedback.web.admin.api_token_forms import ApiTokenForm, RevokeForm


def _form() -> ApiTokenForm:
    form = ApiTokenForm()
    form.pods.choices = [SelectChoice(pod.id, pod.name)
                         for pod in db.session.scalars(select(Pod).order_by(Pod.name))]
    return form


def _page(form: ApiTokenForm, plain: str | None = None,
          made: ApiToken | None = None) -> str:
    return render_template("admin/api_tokens.html", form=form, plain=plain, made=made,
                           tokens=api_tokens.all_tokens(db.session), now=utcnow(),
                           is_live=api_tokens.is_live, revoke_form=RevokeForm())


@bp.get("/api-tokens")
def list_api_tokens() -> str:
    """List the API's tokens, with the form that makes one."""
    return _page(_form())


@bp.post("/api-tokens")
def create_api_token() -> str | tuple[str, int]:
    """Make a token and show it, this once; it is never shown again."""
    form = _form()
    if not form.validate():
        return _page(form), 400
    pods = db.session.scalars(select(Pod).where(Pod.id.in_(form.pods.data or []))).all()
    token, plain = api_tokens.create(db.session, name=form.name.data or "", pods=pods,
                                     days=form.validity_days(), by=current_user,
                                     request_id=g.request_id)
    db.session.commit()
    return _page(_form(), plain=plain, made=token)


@bp.post("/api-tokens/<int:token_id>/revoke")
def revoke_api_token(token_id: int) -> Response:
    """Stop a token at once: the system holding it is refused from its next request."""
    token = db.session.get(ApiToken, token_id)
    if token is None or not RevokeForm().validate():
        abort(404)
    api_tokens.revoke(db.session, token, by=current_user, request_id=g.request_id)
    db.session.commit()
    flash(_("The token for %(name)s is revoked.", name=token.name))
    return redirect(url_for("admin.list_api_tokens"))
