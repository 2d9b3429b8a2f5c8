"""Forms for choosing a password: from an invitation, or changing one's own."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from feedback.services.passwords import MAX_LENGTH, MIN_LENGTH
from feedback.web.forms import Form


class NewPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password")), Length(max=MAX_LENGTH + 1)])
    confirm = PasswordField(_l("Type the new password again"), validators=[
        DataRequired(_l("Type the new password again")),
        EqualTo("password", message=_l("The two passwords are not the same"))])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password")), Length(max=MAX_LENGTH)])


def weak_password_message(password: str) -> str:
    """Say what is wrong with a password the rule refused (services/passwords.py)."""
    if len(password) < MIN_LENGTH:
        return _("Your password must be at least %(count)d characters", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Your password must be %(count)d characters or fewer", count=MAX_LENGTH)
    return _("Choose a password that is harder to guess: it is a common password, or too "
             "close to one or to your name or email address. Try three or four unrelated "
             "words.")
