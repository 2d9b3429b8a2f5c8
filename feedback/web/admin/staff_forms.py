"""Forms administrators use to keep staff and pods, and the words for their refusals."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from feedback.models import Pod, Role
from feedback.web.forms import Form
from feedback.web.labels import ROLE_LABELS

NO_POD = ""
#: One @, something either side, a dot in the domain: the mail server checks the rest.
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

#: Why a change to an account or a pod was refused (services/staff_admin.py codes).
REFUSALS = {
    "own_account": _l("You cannot change or deactivate your own account: ask another "
                      "administrator"),
    "already_inactive": _l("This account is deactivated already"),
    "already_active": _l("This account is active already"),
    "last_admin": _l("This is the last active administrator: make someone else an "
                     "administrator first"),
    "last_manager": _l("This is the last active manager: alerts that no team can open go to "
                       "the managers, so make someone else a manager first"),
    "needs_pod": _l("Choose a pod: social workers and managers work in one"),
    "pod_exists": _l("A pod with this name exists already"),
}


class InviteForm(Form):
    name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter their full name")),
        Length(max=120, message=_l("The name must be 120 characters or fewer"))])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter their email address")),
        Regexp(EMAIL, message=_l("Enter an email address in the correct format, like "
                                 "name@council.gov.uk")),
        Length(max=254, message=_l("The email address must be 254 characters or fewer"))])
    role = SelectField(_l("Role"), validate_choice=True,
                       validators=[DataRequired(_l("Choose a role"))])
    pod = SelectField(_l("Pod"), validate_choice=True)


class RoleForm(Form):
    role = SelectField(_l("Role"), validate_choice=True,
                       validators=[DataRequired(_l("Choose a role"))])
    pod = SelectField(_l("Pod"), validate_choice=True)


class ConfirmForm(Form):
    """A confirmation: the CSRF token is the whole form."""


class PodForm(Form):
    name = StringField(_l("Pod name"), validators=[
        DataRequired(_l("Enter the pod's name")),
        Length(max=120, message=_l("The pod's name must be 120 characters or fewer"))])
    email = EmailField(_l("Team mailbox (optional)"), validators=[
        Optional(),
        Regexp(EMAIL, message=_l("Enter an email address in the correct format, like "
                                 "team@council.gov.uk")),
        Length(max=254, message=_l("The email address must be 254 characters or fewer"))])
    is_duty_team = BooleanField(_l("This pod is a duty (front-door) safeguarding team"))


def fill_choices(form: InviteForm | RoleForm, pods: Sequence[Pod]) -> None:
    """Offer every role, and every pod or none."""
    form.role.choices = [(role.value, str(ROLE_LABELS[role])) for role in Role]
    form.pod.choices = [(NO_POD, str(_l("No pod")))] + [(str(p.id), p.name) for p in pods]


def chosen_pod(form: InviteForm | RoleForm, pods: Sequence[Pod]) -> Pod | None:
    return next((p for p in pods if str(p.id) == form.pod.data), None)
