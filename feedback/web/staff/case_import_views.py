"""Managers import cases from the case-management system: upload, preview, confirm.

The preview checks the whole file and changes nothing; the confirm page sends the
same file back (in the form, so no file is kept on any server) and imports it in one
transaction, or nothing if a row is now refused and bad rows were not to be skipped.
"""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as WebResponse

from feedback.extensions import db
from feedback.models import Role
from feedback.services import case_import
from feedback.web.i18n import CHILD_LANGUAGES
from feedback.web.security import roles_required
from feedback.web.staff import bp
from feedback.web.staff.case_forms import ConfirmImportForm, ImportForm
from feedback.web.staff.case_wording import reason

#: A council's whole caseload (tens of thousands of rows) fits; sent twice, as a
#: file and then in the confirm form.
IMPORT_LIMIT = 16 * 1024 * 1024
IMPORT_ENDPOINTS = frozenset({"staff.import_cases", "staff.confirm_import"})


@bp.url_value_preprocessor
def _larger_bodies_for_imports(endpoint: str | None, values: dict[str, object] | None) -> None:
    """Let the import pages take a large file (this runs before anything reads the form)."""
    if endpoint in IMPORT_ENDPOINTS:
        request.max_content_length = IMPORT_LIMIT
        request.max_form_memory_size = IMPORT_LIMIT


def _check(data: bytes, apply: bool, skip_bad_rows: bool) -> case_import.ImportReport:
    return case_import.import_cases(db.session, data, by=current_user,
                                    languages=CHILD_LANGUAGES, scope=current_user.pod_ids,
                                    apply=apply, skip_bad_rows=skip_bad_rows,
                                    request_id=g.request_id)


@bp.route("/cases/import", methods=["GET", "POST"])
@roles_required(Role.MANAGER)
def import_cases() -> str:
    """Upload a CSV file and see what importing it would do, row by row."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not upload.filename:
            form.file.errors = [_("Choose a CSV file")]
        else:
            data = upload.read()
            report = _check(data, apply=False, skip_bad_rows=False)
            db.session.rollback()
            confirm = ConfirmImportForm(formdata=None,
                                        skip_bad_rows="1" if form.skip_bad_rows.data else "")
            if report.file_refusal is None:
                confirm.csv_text.data = data.decode("utf-8-sig")
            return render_template("staff/case_import.html", form=form, report=report,
                                   confirm=confirm, reason=reason, done=False)
    return render_template("staff/case_import.html", form=form, report=None, reason=reason)


@bp.post("/cases/import/confirm")
@roles_required(Role.MANAGER)
def confirm_import() -> str | WebResponse:
    """Import the file previewed: all of it in one transaction, or nothing."""
    confirm = ConfirmImportForm()
    if not confirm.validate_on_submit():
        return redirect(url_for("staff.import_cases"))
    skip = confirm.skip_bad_rows.data == "1"
    report = _check((confirm.csv_text.data or "").encode(), apply=True, skip_bad_rows=skip)
    conflict = False
    try:
        if report.applied:
            db.session.commit()
        else:
            db.session.rollback()
    except IntegrityError:  # someone made one of these cases meanwhile: nothing is kept
        db.session.rollback()
        report.applied, conflict = False, True
    if report.applied:
        counts = report.counts
        flash(_("Imported: %(created)s created, %(updated)s updated, %(refused)s refused.",
                created=counts["created"], updated=counts["updated"], refused=counts["refused"]))
        return redirect(url_for("staff.caseload_page"))
    return render_template("staff/case_import.html", form=ImportForm(formdata=None),
                           report=report, confirm=confirm, reason=reason, done=True,
                           conflict=conflict)


#: The one page that takes a file: the request-data check must let it through.
import_cases.accepts_files = True  # type: ignore[attr-defined]
