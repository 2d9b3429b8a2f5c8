"""An invited member of staff opens the link from their e-mail and chooses a password."""

from __future__ import annotations

from flask import abort, current_app, g, render_template, session
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.services import invitations, second_factor
from feedback.services.passwords import WeakPasswordError
from feedback.web.auth import bp
from feedback.web.auth.password_forms import NewPasswordForm, weak_password_message
from feedback.web.auth.signing_in import begin_pending, finish, second_factor_required
from feedback.web.security import public


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    """Let the invited person choose their password, then sign them in."""
    if not current_app.config["PASSWORD_SIGN_IN"]:
        abort(404)
    try:
        user = invitations.invitation_for(db.session, token).staff_user
    except invitations.InvitationError:
        return render_template("auth/invitation_dead.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        password = form.password.data or ""
        try:
            invitations.accept(db.session, token, password, g.request_id)
        except invitations.InvitationError:
            db.session.rollback()
            return render_template("auth/invitation_dead.html"), 404
        except WeakPasswordError:
            db.session.rollback()
            form.password.errors = [weak_password_message(password)]
        else:
            if current_user.is_authenticated:  # someone else's session on this browser
                logout_user()
                session.clear()
            if second_factor.has_totp(user) or second_factor_required():
                db.session.commit()
                return begin_pending(user, "password", None)
            return finish(user, "password")
    return render_template("auth/accept_invitation.html", form=form, user=user)
