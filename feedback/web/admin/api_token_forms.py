"""The form that makes an API token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, widgets
from wtforms.validators import InputRequired, Length

from feedback.web.forms import Form

#: How long a new token works, in days ("" until it is revoked).
VALIDITY_CHOICES = [SelectChoice("90", _l("90 days")), SelectChoice("365", _l("1 year")),
                    SelectChoice("", _l("Until it is revoked"))]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (GOV.UK's pattern), not a multiple select box."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ApiTokenForm(Form):
    name = StringField(_l("What will use it"), validators=[
        InputRequired(message=_l("Enter what will use the token")),
        Length(max=120, message=_l("The name must be 120 characters or fewer"))])
    pods = CheckboxesField(_l("Pods it may read"), coerce=int, choices=[], validators=[
        InputRequired(message=_l("Choose at least one pod"))])
    days = SelectField(_l("How long it works"), choices=VALIDITY_CHOICES, default="365",
                       validate_choice=True)

    def validity_days(self) -> int | None:
        return int(self.days.data) if self.days.data else None


class RevokeForm(Form):
    """Revoke a token: the button is the whole form (CSRF token only)."""
