"""Forms the board uses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from feedback.web.forms import Form
from feedback.services.quotes import MAX_EXCERPT


class PeriodForm(Form):
    """The summary's period and breakdown: a GET form that works without JavaScript."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), choices=[], validate_choice=True)
    breakdown = SelectField(_l("Break the themes down by"), default="", choices=[
        SelectChoice("", _l("No breakdown")), SelectChoice("pod", _l("Pod")),
        SelectChoice("age_band", _l("Age band")),
        SelectChoice("questionnaire", _l("Questionnaire")),
        SelectChoice("session", _l("Participation session"))])


def _id_or_none(value: object) -> int | None:
    """Coerce a chosen id; the empty "Choose…" option is None."""
    return None if value in ("", None) else int(str(value))


class SessionForm(Form):
    title = StringField(_l("Title"), validators=[
        InputRequired(message=_l("Enter a title for the session")),
        Length(max=200, message=_l("Title must be 200 characters or fewer"))])
    starts_on = DateField(_l("First day"), validators=[
        InputRequired(message=_l("Enter the session's first day"))])
    ends_on = DateField(_l("Last day"), validators=[
        InputRequired(message=_l("Enter the session's last day"))])
    questionnaire = SelectField(_l("Questionnaire"), choices=[], validate_choice=True)
    safeguarding_lead = SelectField(
        _l("Safeguarding lead"), choices=[], coerce=_id_or_none, validate_choice=True,
        validators=[InputRequired(message=_l("Choose the session's safeguarding lead"))])

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day must be the same as or after the first day"))


class QuoteForm(Form):
    excerpt = TextAreaField(_l("Words to quote"), validators=[
        InputRequired(message=_l("Enter the words to quote")),
        Length(max=MAX_EXCERPT, message=_l("A quote must be %(max)s characters or fewer",
                                           max=MAX_EXCERPT))])
    theme = SelectField(_l("Theme it shows"), choices=[], validate_choice=True)


class DecisionForm(Form):
    """Approve or reject: the button is the whole form (CSRF token only)."""


class JoinCodeForm(Form):
    """Make a new join code for a session: the button is the whole form (CSRF token only)."""
