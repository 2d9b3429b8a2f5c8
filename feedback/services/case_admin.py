"""Managers' changes to cases: create, edit, transfer between pods, close and reopen.

Each change is checked here (not in a form) so the web pages and the bulk import
refuse the same things, and each leaves an audit event naming the fields changed,
never their values: a child's name stays out of the audit trail.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import Case, Pod, Role, StaffUser, utcnow
from feedback.models.cases import CASE_AGE_BANDS
from feedback.services import audit

REFERENCE_LENGTH = 64
NAME_LENGTH = 60
#: The language a case gets when none is given.
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Refusal:
    """Why a value cannot be kept: ``code`` names the reason (the web words it), ``field``
    the value it is about, ``value`` what was given (never a name)."""

    field: str
    code: str
    value: str = ""


class CaseAdminError(ValueError):
    """One or more values of a case cannot be kept."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        super().__init__(", ".join(f"{r.field}: {r.code}" for r in refusals))
        self.refusals = list(refusals)


@dataclass
class CaseDetails:
    """What a manager says about a case (the pod is set on creation and by transfer)."""

    reference: str
    display_name: str | None = None
    pod_id: int | None = None
    worker_id: int | None = None
    age_band: str | None = None
    language: str = DEFAULT_LANGUAGE
    legal_hold: bool = False


def normal_reference(reference: str) -> str:
    return reference.strip().upper()


def normal_language(tag: str) -> str:
    """Return the primary language subtag: ``cy-GB`` and ``CY`` are ``cy``."""
    return tag.strip().replace("_", "-").split("-")[0].lower()


def check_values(reference: str, display_name: str | None, age_band: str | None,
                 language: str, languages: Collection[str]) -> list[Refusal]:
    """Return what is wrong with a case's own values (not its pod or worker)."""
    refusals = []
    if not reference:
        refusals.append(Refusal("reference", "reference_missing"))
    elif len(reference) > REFERENCE_LENGTH or not reference.isprintable():
        refusals.append(Refusal("reference", "reference_invalid"))
    if display_name and len(display_name) > NAME_LENGTH:
        refusals.append(Refusal("display_name", "name_too_long"))
    if age_band and age_band not in CASE_AGE_BANDS:
        refusals.append(Refusal("age_band", "age_band_unknown", age_band))
    if language not in languages:
        refusals.append(Refusal("language", "language_unknown", language))
    return refusals


def allocatable(session: Session, pod_id: int) -> Sequence[StaffUser]:
    """Return the active workers and managers of a pod, who can hold its cases."""
    return session.scalars(
        select(StaffUser).where(StaffUser.pod_id == pod_id,
                                StaffUser.role.in_([Role.WORKER, Role.MANAGER]),
                                StaffUser.is_active_account.is_(True))
        .order_by(StaffUser.name, StaffUser.id)).all()


def _check_worker(session: Session, worker_id: int | None, pod_id: int) -> list[Refusal]:
    if worker_id is None:
        return []
    if any(w.id == worker_id for w in allocatable(session, pod_id)):
        return []
    return [Refusal("worker", "worker_not_in_pod")]


def _check(session: Session, details: CaseDetails, pod_id: int,
           languages: Collection[str], case: Case | None) -> None:
    refusals = check_values(details.reference, details.display_name, details.age_band,
                            details.language, languages)
    refusals += _check_worker(session, details.worker_id, pod_id)
    if not refusals:
        taken = session.scalar(select(Case.id).where(Case.reference == details.reference))
        if taken is not None and (case is None or taken != case.id):
            refusals.append(Refusal("reference", "reference_taken"))
    if refusals:
        raise CaseAdminError(refusals)


def _apply(case: Case, details: CaseDetails) -> list[str]:
    """Set the case's values; return the names of those that changed."""
    values = {"reference": details.reference, "display_name": details.display_name or None,
              "allocated_worker_id": details.worker_id, "age_band": details.age_band or None,
              "preferred_language": details.language,
              "is_on_legal_hold": details.legal_hold}
    changed = [name for name, value in values.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, values[name])
    return changed


def create_case(session: Session, by: StaffUser, details: CaseDetails,
                languages: Collection[str], request_id: str | None = None) -> Case:
    """Open a case in one of the manager's pods."""
    details.reference = normal_reference(details.reference)
    if details.pod_id is None or details.pod_id not in by.pod_ids:
        raise CaseAdminError([Refusal("pod", "pod_not_yours")])
    _check(session, details, details.pod_id, languages, None)
    case = Case(pod_id=details.pod_id, reference=details.reference)
    _apply(case, details)
    session.add(case)
    session.flush()
    audit.record(session, "case.create", actor=by, object_type="case", object_id=case.id,
                 detail={"pod": case.pod_id, "allocated": case.allocated_worker_id is not None},
                 request_id=request_id)
    return case


def edit_case(session: Session, by: StaffUser, case: Case, details: CaseDetails,
              languages: Collection[str], request_id: str | None = None) -> list[str]:
    """Change a case's values (not its pod: see ``transfer_case``); return what changed."""
    details.reference = normal_reference(details.reference)
    _check(session, details, case.pod_id, languages, case)
    changed = _apply(case, details)
    if changed:
        session.flush()
        audit.record(session, "case.edit", actor=by, object_type="case", object_id=case.id,
                     detail={"changed": changed}, request_id=request_id)
    return changed


def transfer_targets(session: Session, case: Case) -> Sequence[Pod]:
    """Return the pods a case can move to: every other pod."""
    return session.scalars(select(Pod).where(Pod.id != case.pod_id).order_by(Pod.name)).all()


def transfer_case(session: Session, by: StaffUser, case: Case, pod_id: int,
                  worker_id: int | None, request_id: str | None = None) -> None:
    """Move a case to another pod, allocated to one of its people or to nobody yet.

    The receiving pod need not be one the manager oversees: the case then leaves
    their sight, as it does when a child moves from one team to another.
    """
    if pod_id == case.pod_id or session.get(Pod, pod_id) is None:
        raise CaseAdminError([Refusal("pod", "pod_unknown")])
    refusals = _check_worker(session, worker_id, pod_id)
    if refusals:
        raise CaseAdminError(refusals)
    moved_from = case.pod_id
    case.pod_id, case.allocated_worker_id = pod_id, worker_id
    session.flush()
    session.expire(case, ["pod", "allocated_worker"])
    audit.record(session, "case.transfer", actor=by, object_type="case", object_id=case.id,
                 detail={"from_pod": moved_from, "to_pod": pod_id,
                         "allocated": worker_id is not None}, request_id=request_id)


def close_case(session: Session, by: StaffUser, case: Case,
               request_id: str | None = None) -> bool:
    """Close a case: its access codes stop opening anything. False if it was closed."""
    if not case.is_open:
        return False
    case.is_open, case.closed_at = False, utcnow()
    session.flush()
    audit.record(session, "case.close", actor=by, object_type="case", object_id=case.id,
                 request_id=request_id)
    return True


def reopen_case(session: Session, by: StaffUser, case: Case,
                request_id: str | None = None) -> bool:
    """Open a closed case again. False if it was open."""
    if case.is_open:
        return False
    case.is_open, case.closed_at = True, None
    session.flush()
    audit.record(session, "case.reopen", actor=by, object_type="case", object_id=case.id,
                 request_id=request_id)
    return True
