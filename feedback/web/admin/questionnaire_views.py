"""Administrators keep questionnaires: list versions, upload, publish, retire, preview."""

from __future__ import annotations

import json

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from feedback.extensions import db
from feedback.models import QuestionnaireVersion
from feedback.services import questionnaire_admin, submissions
from feedback.web.admin import bp, questionnaire_preview as preview
from feedback.web.admin.questionnaire_forms import REFUSALS
from feedback.web.admin.staff_forms import ConfirmForm
from feedback.web.i18n import LANGUAGES, babel_locale, current_language
from feedback.web.numbers import int_arg
from feedback.web.question_pages import page_for

STATUS_LABELS = {
    # Translators: a questionnaire version not shown to any child yet.
    "draft": _l("Draft"),
    # Translators: the questionnaire version that new access codes use.
    "published": _l("Published"),
    # Translators: a questionnaire version that no new code uses any more.
    "retired": _l("Retired"),
}


def _version(version_id: int) -> QuestionnaireVersion:
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        abort(404)
    return version


@bp.get("/questionnaires")
def list_questionnaires() -> str:
    """List every questionnaire with its versions, their status and their use."""
    return render_template("admin/questionnaires.html",
                           questionnaires=questionnaire_admin.all_questionnaires(db.session),
                           uses=questionnaire_admin.uses(db.session),
                           statuses=STATUS_LABELS, no_use=questionnaire_admin.Use())


@bp.get("/questionnaires/versions/<int:version_id>")
def view_version(version_id: int) -> str:
    """Show one version: its status, its use, its languages and its questions."""
    return _version_page(_version(version_id))


@bp.get("/questionnaires/versions/<int:version_id>/definition.json")
def download_version(version_id: int) -> Response:
    """Download a version's definition, to edit it and upload it as a new version."""
    version = _version(version_id)
    body = json.dumps(version.definition, indent=2, ensure_ascii=False) + "\n"
    name = f"{version.questionnaire.slug}-v{version.number}.json"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _version_page(version: QuestionnaireVersion, refusal: str | None = None) -> str:
    return render_template("admin/questionnaire_version.html", version=version,
                           use=questionnaire_admin.use_of(db.session, version),
                           statuses=STATUS_LABELS, form=ConfirmForm(), refusal=refusal,
                           languages=preview.languages(version.definition),
                           language_names=LANGUAGES)


def _change(version_id: int, action: str) -> str | tuple[str, int] | Response:
    """Publish, retire or delete a version (a POST with the CSRF token as its form)."""
    version = _version(version_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    change = {"publish": questionnaire_admin.publish_version,
              "retire": questionnaire_admin.retire_version,
              "delete": questionnaire_admin.delete_draft}[action]
    slug, number = version.questionnaire.slug, version.number
    try:
        change(db.session, version, by=current_user, request_id=g.request_id)
    except questionnaire_admin.QuestionnaireAdminError as error:
        db.session.rollback()
        return _version_page(_version(version_id), str(REFUSALS[error.code])), 409
    db.session.commit()
    done = {"publish": _("Version %(number)s of %(slug)s is published: new codes use it.",
                         number=number, slug=slug),
            "retire": _("Version %(number)s of %(slug)s is retired: no new code uses it.",
                        number=number, slug=slug),
            "delete": _("Draft version %(number)s of %(slug)s is deleted.",
                        number=number, slug=slug)}[action]
    flash(done)
    if action == "delete":
        return redirect(url_for("admin.list_questionnaires"))
    return redirect(url_for("admin.view_version", version_id=version_id))


@bp.post("/questionnaires/versions/<int:version_id>/publish")
def publish_version(version_id: int) -> str | tuple[str, int] | Response:
    """Make this version the one new codes use; the one before is retired."""
    return _change(version_id, "publish")


@bp.post("/questionnaires/versions/<int:version_id>/retire")
def retire_version(version_id: int) -> str | tuple[str, int] | Response:
    """Stop new codes using this version; what was started or sent on it stays."""
    return _change(version_id, "retire")


@bp.post("/questionnaires/versions/<int:version_id>/delete")
def delete_version(version_id: int) -> str | tuple[str, int] | Response:
    """Delete a draft that nobody has used."""
    return _change(version_id, "delete")


@bp.get("/questionnaires/versions/<int:version_id>/preview")
def preview_version(version_id: int) -> str:
    """Show one question of a version exactly as a child sees it, in a chosen language.

    Nothing is stored: no journey, no code, no answer; the page cannot send.
    """
    version = _version(version_id)
    offered = preview.languages(version.definition)
    tag = request.args.get("lang", "en")
    number = int_arg("number", 1)
    if tag not in offered or not 1 <= number <= len(version.definition["questions"]):
        abort(404)
    # The banner and the language switch are in the administrator's language...
    words = {"banner": _("Preview of %(slug)s version %(number)s: this is not a child's "
                         "session. Nothing here is sent or kept.",
                         slug=version.questionnaire.slug, number=version.number),
             # Translators: the title of the banner over a preview of a child's page.
             "title": _("Preview"), "back": _("Back to the version"),
             # Translators: before a list of languages, on a preview of a child's page.
             "switch": _("Preview in"), "done": _("End of the preview: back to the version"),
             "status": str(STATUS_LABELS[version.status.value]),
             "lang": current_language().tag}
    with force_locale(str(babel_locale(LANGUAGES[tag]))):  # ...the page in the child's
        shown = page_for(version.definition, number, tag)
        return render_template("admin/questionnaire_preview.html", version=version,
                               page=shown, form=preview.empty_form(shown), words=words,
                               offered=offered, language_names=LANGUAGES, preview_tag=tag,
                               max_length=submissions.MAX_TEXT_LENGTH,
                               help_back_to=_child_start)


def _child_start() -> str:
    """Where the (inert) help button of the child's header in a preview would lead."""
    return url_for("child.start")
