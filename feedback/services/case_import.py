"""Bulk import of cases from the council's case-management system: one CSV file.

Columns (a header row, in any order, other columns ignored): ``reference``,
``first_name``, ``pod`` (a pod's name), ``worker_email``, ``age_band``, ``language``.
An empty cell means "not known": no name, nobody allocated, no age band, English.
A row whose reference is new creates a case; one that exists updates it (a change
of pod is a transfer). Open/closed and legal hold are never changed by a file.

The file is checked whole before anything is written. A file with any refused row
writes nothing unless ``skip_bad_rows`` is given; what is written is written in
bulk statements and flushed once, so the caller's single commit takes all of it or
none. The report says, per row, what happened or why it was refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from feedback.models import AuditEvent, Case, Outcome, Pod, Role, StaffUser, utcnow
from feedback.services import audit
from feedback.services.case_admin import (
    DEFAULT_LANGUAGE, Refusal, check_values, normal_language, normal_reference,
)

COLUMNS = ("reference", "first_name", "pod", "worker_email", "age_band", "language")
#: The references looked up per query (well under every database's parameter limit).
CHUNK = 500
CREATED, UPDATED, UNCHANGED, REFUSED = "created", "updated", "unchanged", "refused"


@dataclass(frozen=True)
class RowResult:
    line: int
    reference: str
    outcome: str
    refusals: tuple[Refusal, ...] = ()
    changed: tuple[str, ...] = ()


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)
    #: Why the whole file was refused (not UTF-8, not CSV, columns missing), if it was.
    file_refusal: Refusal | None = None
    #: True when the cases were written (the caller commits).
    applied: bool = False
    sha256: str = ""

    def having(self, outcome: str) -> list[RowResult]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: len(self.having(outcome))
                for outcome in (CREATED, UPDATED, UNCHANGED, REFUSED)}

    @property
    def importable(self) -> bool:
        """Whether the file can be imported as it is, without skipping rows."""
        return self.file_refusal is None and not self.having(REFUSED)


@dataclass(frozen=True)
class _Worker:
    id: int
    pod_id: int | None
    can_hold: bool


@dataclass
class _Plan:
    """The rows checked, and the statements' parameters to write them."""

    report: ImportReport
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    moved: dict[int, tuple[int, int]] = field(default_factory=dict)


def _rows(data: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) with the six columns, stripped; raise ``_FileError``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _FileError(Refusal("file", "file_not_utf8")) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        missing = [name for name in COLUMNS if name not in header]
        if missing:
            raise _FileError(Refusal("file", "columns_missing", ", ".join(missing)))
        where = {name: header.index(name) for name in COLUMNS}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                yield reader.line_num, {"reference": "", "_cells": str(len(cells))}
                continue
            yield reader.line_num, {name: cells[i].strip() for name, i in where.items()}
    except csv.Error:
        raise _FileError(Refusal("file", "file_not_csv", str(reader.line_num))) from None


class _FileError(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal


def _existing(session: Session, references: Sequence[str]) -> dict[str, Any]:
    found = {}
    for start in range(0, len(references), CHUNK):
        chunk = references[start:start + CHUNK]
        for row in session.execute(
                select(Case.id, Case.reference, Case.pod_id, Case.display_name,
                       Case.allocated_worker_id, Case.age_band, Case.preferred_language)
                .where(Case.reference.in_(chunk))):
            found[row.reference] = row
    return found


def _lookups(session: Session) -> tuple[dict[str, int], dict[str, _Worker]]:
    pods = {name.casefold(): pod_id for pod_id, name in session.execute(select(Pod.id, Pod.name))}
    workers = {email: _Worker(user_id, pod_id, role in (Role.WORKER, Role.MANAGER) and active)
               for user_id, email, pod_id, role, active in session.execute(
                   select(StaffUser.id, StaffUser.email, StaffUser.pod_id, StaffUser.role,
                          StaffUser.is_active_account))}
    return pods, workers


def _values(row: dict[str, str], pods: dict[str, int], workers: dict[str, _Worker],
            scope: Collection[int] | None, languages: Collection[str]
            ) -> tuple[dict[str, Any], list[Refusal]]:
    """Turn a row's cells into a case's values, and say what is wrong with them."""
    if "_cells" in row:
        return {}, [Refusal("row", "row_cells", row["_cells"])]
    reference = normal_reference(row["reference"])
    age_band = row["age_band"].replace(" ", "").replace("\u2013", "-") or None
    language = normal_language(row["language"]) or DEFAULT_LANGUAGE
    refusals = check_values(reference, row["first_name"], age_band, language, languages)
    pod_id = pods.get(row["pod"].casefold())
    if pod_id is None:
        refusals.append(Refusal("pod", "pod_unknown" if row["pod"] else "pod_missing",
                                row["pod"][:60]))
    elif scope is not None and pod_id not in scope:
        refusals.append(Refusal("pod", "pod_not_yours", row["pod"][:60]))
    email = row["worker_email"].lower()
    worker = workers.get(email) if email else None
    if email and (worker is None or not worker.can_hold):
        refusals.append(Refusal("worker", "worker_unknown", email[:254]))
    elif worker is not None and pod_id is not None and worker.pod_id != pod_id:
        refusals.append(Refusal("worker", "worker_not_in_pod", email[:254]))
    return {"reference": reference, "pod_id": pod_id, "display_name": row["first_name"] or None,
            "allocated_worker_id": worker.id if worker else None, "age_band": age_band,
            "preferred_language": language}, refusals


def _plan(session: Session, rows: list[tuple[int, dict[str, str]]],
          scope: Collection[int] | None, languages: Collection[str]) -> _Plan:
    plan = _Plan(ImportReport())
    pods, workers = _lookups(session)
    existing = _existing(session, sorted({normal_reference(r.get("reference", ""))
                                          for _, r in rows} - {""}))
    first_seen: dict[str, int] = {}
    for line, row in rows:
        values, refusals = _values(row, pods, workers, scope, languages)
        reference = values.get("reference", "")
        if reference and reference in first_seen:
            refusals.append(Refusal("reference", "reference_repeated", str(first_seen[reference])))
        elif reference:
            first_seen[reference] = line
        old = existing.get(reference)
        if old is not None and scope is not None and old.pod_id not in scope:
            refusals.append(Refusal("reference", "reference_not_yours"))
        if refusals:
            plan.report.rows.append(RowResult(line, reference, REFUSED, tuple(refusals)))
        elif old is None:
            plan.new.append(values)
            plan.report.rows.append(RowResult(line, reference, CREATED))
        else:
            changed = tuple(name for name, value in values.items()
                            if getattr(old, name) != value)
            if "pod_id" in changed:
                plan.moved[old.id] = (old.pod_id, values["pod_id"])
            if changed:
                plan.changed.append({**values, "id": old.id, "_changed": changed})
            plan.report.rows.append(RowResult(line, reference, UPDATED if changed else UNCHANGED,
                                              changed=changed))
    return plan


def _event(action: str, by: StaffUser | None, case_id: int, detail: dict[str, Any],
           request_id: str | None) -> dict[str, Any]:
    return {"action": action, "actor_id": by.id if by else None,
            "actor_kind": "staff" if by else "system", "object_type": "case",
            "object_id": str(case_id), "outcome": Outcome.OK, "detail": detail,
            "request_id": request_id, "occurred_at": utcnow()}


def _write(session: Session, plan: _Plan, by: StaffUser | None,
           request_id: str | None) -> None:
    events = []
    if plan.new:
        # Core, one executemany: the ORM's bulk insert (and RETURNING) would split it
        # into a statement for each run of rows with the same empty cells.
        session.execute(insert(Case.__table__), plan.new)
        made = _existing(session, [values["reference"] for values in plan.new])
        events += [_event("case.create", by, case.id,
                          {"pod": case.pod_id, "allocated": case.allocated_worker_id is not None,
                           "import": True}, request_id)
                   for case in (made[values["reference"]] for values in plan.new)]
    if plan.changed:
        session.execute(update(Case), [{k: v for k, v in values.items() if k != "_changed"}
                                       for values in plan.changed])
        for values in plan.changed:
            edited = [name for name in values["_changed"] if name != "pod_id"]
            if values["id"] in plan.moved:
                moved_from, moved_to = plan.moved[values["id"]]
                events.append(_event("case.transfer", by, values["id"],
                                     {"from_pod": moved_from, "to_pod": moved_to,
                                      "import": True}, request_id))
            if edited:
                events.append(_event("case.edit", by, values["id"],
                                     {"changed": edited, "import": True}, request_id))
    if events:
        session.execute(insert(AuditEvent.__table__), events)
    session.expire_all()


def import_cases(session: Session, data: bytes, *, by: StaffUser | None,
                 languages: Collection[str], scope: Collection[int] | None = None,
                 apply: bool = True, skip_bad_rows: bool = False,
                 request_id: str | None = None) -> ImportReport:
    """Check a CSV file of cases and, when ``apply`` and it can be, write it (flushed).

    ``scope`` limits the pods rows may name and the cases they may change (a manager's
    pods); ``None`` is every pod (the command line). Nothing is written when a row is
    refused, unless ``skip_bad_rows``; nothing ever when the file itself is refused.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        rows = list(_rows(data))
    except _FileError as error:
        return ImportReport(file_refusal=error.refusal, sha256=digest)
    plan = _plan(session, rows, scope, languages)
    report = plan.report
    report.sha256 = digest
    if not apply or (report.having(REFUSED) and not skip_bad_rows):
        return report
    _write(session, plan, by, request_id)
    audit.record(session, "case.import", actor=by, object_type="case_import",
                 object_id=digest[:16], request_id=request_id,
                 detail={**report.counts, "skipped_bad_rows": skip_bad_rows, "sha256": digest})
    report.applied = True
    return report
