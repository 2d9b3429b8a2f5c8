"""Forms managers use to keep cases, and the caseload's search."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from feedback.models import Case, Pod, StaffUser
from feedback.models.cases import CASE_AGE_BANDS
from feedback.services.case_admin import CaseDetails, normal_reference
from feedback.web.forms import Form
from feedback.web.i18n import LANGUAGES

NOBODY = ""


class CaseForm(Form):
    reference = StringField(_l("Case reference"), validators=[
        DataRequired(_l("Enter the case reference")),
        Length(max=64, message=_l("The case reference must be 64 characters or fewer"))])
    display_name = StringField(_l("First name or chosen name (optional)"), validators=[
        Length(max=60, message=_l("The first name or chosen name must be 60 characters "
                                  "or fewer"))])
    pod = SelectField(_l("Pod"), coerce=int, validate_choice=True,
                      validators=[DataRequired(_l("Choose a pod"))])
    worker = SelectField(_l("Allocated worker"), choices=[], validate_choice=True)
    age_band = SelectField(_l("Age band"), choices=[], validate_choice=True)
    language = SelectField(_l("Preferred language"), choices=[], validate_choice=True)
    legal_hold = BooleanField(_l("Legal hold: retention deletes nothing of this case"))


class TransferForm(Form):
    pod = SelectField(_l("Move the case to"), coerce=int, validate_choice=True,
                      validators=[DataRequired(_l("Choose a pod"))])
    worker = SelectField(_l("Allocate it to"), choices=[], validate_choice=True)


class CloseForm(Form):
    """Close or reopen a case (the CSRF token is the whole form)."""


class ImportForm(Form):
    file = FileField(_l("CSV file from the case-management system"))
    skip_bad_rows = BooleanField(_l("Import the good rows even if some are refused"))


class ConfirmImportForm(Form):
    csv_text = HiddenField()
    skip_bad_rows = HiddenField()


def worker_choices(pods: Sequence[Pod], people: dict[int, Sequence[StaffUser]]
                   ) -> list[tuple[str, str]]:
    """Nobody, then each pod's people, named with their pod when there are several."""
    found = [(NOBODY, str(_l("Not allocated yet")))]
    for pod in pods:
        found += [(str(person.id), person.name if len(pods) == 1 else f"{person.name} ({pod.name})")
                  for person in people.get(pod.id, ())]
    return found


def fill_choices(form: CaseForm | TransferForm, pods: Sequence[Pod],
                 people: dict[int, Sequence[StaffUser]]) -> None:
    form.worker.choices = worker_choices(pods, people)
    if form.pod is not None:
        form.pod.choices = [(pod.id, pod.name) for pod in pods]
    if isinstance(form, CaseForm):
        form.age_band.choices = [(NOBODY, _l("Not known"))] + [(b, b) for b in CASE_AGE_BANDS]
        form.language.choices = [(tag, lang.name) for tag, lang in LANGUAGES.items()]


def case_data(case: Case) -> dict[str, object]:
    """A form's values for a case as it is."""
    return {"reference": case.reference, "display_name": case.display_name or "",
            "pod": case.pod_id, "worker": str(case.allocated_worker_id or NOBODY),
            "age_band": case.age_band or NOBODY, "language": case.preferred_language,
            "legal_hold": case.is_on_legal_hold}


def details(form: CaseForm) -> CaseDetails:
    worker = form.worker.data or NOBODY
    return CaseDetails(reference=normal_reference(form.reference.data or ""),
                       display_name=(form.display_name.data or "").strip() or None,
                       pod_id=form.pod.data if form.pod is not None else None,
                       worker_id=int(worker) if worker else None,
                       age_band=form.age_band.data or None,
                       language=form.language.data or "en", legal_hold=form.legal_hold.data)
