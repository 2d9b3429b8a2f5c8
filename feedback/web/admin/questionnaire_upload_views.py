"""Administrators upload a questionnaire version: a JSON file, or the JSON pasted."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.models import QuestionnaireVersion

from feedback.extensions import db
from feedback.services import questionnaire_admin, questionnaire_files
from feedback.services.questionnaire_files import Located
from feedback.web.admin import bp
from feedback.web.admin.questionnaire_forms import UploadForm


def _uploaded_text(form: UploadForm) -> str | None:
    """The file's text if one was chosen, else what was pasted; None if not UTF-8."""
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return form.definition.data or ""
    try:
        return str(upload.read().decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _problem(found: Located, lines: list[str]) -> dict[str, object]:
    """One problem in plain words, with the line it is on, to show under the message."""
    problem = found.problem
    return {"words": _("Line %(line)s, column %(column)s: %(problem)s", line=found.line,
                       column=found.column, problem=_(problem.message, **problem.params)),
            "line": lines[found.line - 1] if 0 < found.line <= len(lines) else "",
            "number": found.line}


def _add(form: UploadForm, text: str) -> tuple[QuestionnaireVersion | None, list[Any]]:
    """Store the text as a new version, or put its problems on the form."""
    try:
        version = questionnaire_admin.upload(db.session, text, by=current_user,
                                             publish=form.publish.data,
                                             request_id=g.request_id)
    except questionnaire_files.UploadError as error:
        db.session.rollback()
        problems = [_problem(found, text.splitlines()) for found in error.found]
        form.definition.errors = [str(p["words"]) for p in problems]
        return None, problems
    except questionnaire_admin.QuestionnaireAdminError as error:
        db.session.rollback()
        same = error.version
        assert same is not None
        form.definition.errors = [_("Version %(number)s of %(slug)s holds exactly this "
                                    "already: nothing was added", number=same.number,
                                    slug=same.questionnaire.slug)]
        return None, []
    db.session.commit()
    return version, []


@bp.route("/questionnaires/upload", methods=["GET", "POST"])
def upload_version() -> str | tuple[str, int] | Response:
    """Add a version from JSON; list every problem by its line, keeping the text."""
    form = UploadForm()
    problems: list[Any] = []
    if form.validate_on_submit():
        text = _uploaded_text(form)
        form.definition.data = text or form.definition.data  # the file's text, to fix here
        if text is None:
            form.file.errors = [_("The file is not UTF-8 text: save it as UTF-8 and try "
                                  "again")]
        elif not text.strip():
            form.definition.errors = [_("Choose a JSON file, or paste the questionnaire's "
                                        "JSON")]
        else:
            version, problems = _add(form, text)
            if version is not None:
                flash(_("Version %(number)s of %(slug)s is published: new codes use it.",
                        number=version.number, slug=version.questionnaire.slug)
                      if form.publish.data else
                      _("Version %(number)s of %(slug)s is added as a draft: no child sees "
                        "it until you publish it.", number=version.number,
                        slug=version.questionnaire.slug))
                return redirect(url_for("admin.view_version", version_id=version.id))
    page = render_template("admin/questionnaire_upload.html", form=form, problems=problems)
    return (page, 400) if form.errors else page


upload_version.accepts_files = True  # type: ignore[attr-defined]
