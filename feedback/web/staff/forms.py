"""Forms social workers use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateField, HiddenField, RadioField, SelectChoice, SelectField, StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from feedback.web.forms import Form
from feedback.models import ActionStatus

ACTION_LABELS = {
    "spoke_to_child": _l("Spoke to the child"),
    "referred_front_door": _l("Referred to the front door / MASH"),
    "strategy_discussion": _l("Held a strategy discussion"),
    "police_informed": _l("Told the police"),
    "safety_plan": _l("Made or updated a safety plan"),
    "no_concern": _l("No concern after checking"),
}
STATUS_LABELS = {
    ActionStatus.OPEN: _l("Not started"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Stopped"),
}


class AccessCodeForm(Form):
    questionnaire = SelectField(_l("Questionnaire"), choices=[], validate_choice=True)


class AcknowledgeForm(Form):
    action = RadioField(_l("What did you do?"), choices=[SelectChoice(k, v) for k, v
                                                         in ACTION_LABELS.items()],
                        validators=[DataRequired(_l("Choose what you did"))])
    note = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class ReadForm(Form):
    """Mark a response's comments as read (the CSRF token is the whole form)."""


class ThemeDecisionForm(Form):
    theme = HiddenField(validators=[DataRequired()])
    decision = HiddenField(validators=[DataRequired()])


class AddThemeForm(Form):
    theme = SelectField(_l("Add a theme"), choices=[], validate_choice=True)


class PlanActionForm(Form):
    title = StringField(_l("What will happen"),
                        validators=[DataRequired(_l("Enter what will happen")), Length(max=300)])
    section = SelectField(_l("Plan section"), choices=[], validate_choice=True)
    owner = StringField(_l("Who will do it"), validators=[Length(max=120)])
    due_on = DateField(_l("Due by (optional)"), validators=[Optional()],
                       render_kw={"type": "date"})
    comment_id = HiddenField()


class LinkForm(Form):
    plan_action = SelectField(_l("Link to a plan action"), choices=[], coerce=int,
                              validate_choice=True)


class ReplyForm(Form):
    text = TextAreaField(_l("What we did (in words the child will understand)"),
                         validators=[DataRequired(_l("Write the reply")), Length(max=2000)])
    shared = BooleanField(_l("Show this to the child next time they open a questionnaire"))


class ActionUpdateForm(Form):
    status = SelectField(_l("Status"), choices=[SelectChoice(s.value, label) for s, label
                                                in STATUS_LABELS.items()])
    outcome = TextAreaField(_l("Outcome"), validators=[Length(max=2000)])


class QuoteForm(Form):
    excerpt = TextAreaField(_l("The words to quote (you can shorten them)"),
                            validators=[DataRequired(), Length(max=500)])
    theme = SelectField(_l("Theme the quote shows"), choices=[], validate_choice=True)


class ExportForm(Form):
    from_date = DateField(_l("From"), validators=[DataRequired(_l("Enter a start date"))],
                          render_kw={"type": "date"})
    to_date = DateField(_l("To"), validators=[DataRequired(_l("Enter an end date"))],
                        render_kw={"type": "date"})
    format = RadioField(_l("Format"), choices=[
        SelectChoice("pdf", _l("PDF for the case record")),
        SelectChoice("json", _l("JSON for the case-management system"))],
                        default="pdf")


def choices(mapping: Mapping[Any, Any]) -> list[SelectChoice]:
    """Turn {value: label} into WTForms choices."""
    return [SelectChoice(value, label) for value, label in mapping.items()]
