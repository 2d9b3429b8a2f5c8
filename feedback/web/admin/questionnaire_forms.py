"""The form an administrator uploads a questionnaire version with, and refusals' words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, TextAreaField

from feedback.web.forms import Form

#: Why a change to a version was refused (services/questionnaire_admin.py codes).
REFUSALS = {
    "not_admin": _l("Only an administrator can change questionnaires"),
    "published": _l("This version is published already"),
    "not_published": _l("Only the published version can be retired"),
    "not_draft": _l("Only a draft can be deleted: a version children may have seen is kept"),
    "in_use": _l("Responses or started codes point at this version, so it is kept"),
}


class UploadForm(Form):
    file = FileField(_l("Choose a JSON file"))
    definition = TextAreaField(_l("Or paste the questionnaire's JSON"))
    publish = BooleanField(_l("Publish it straight away: new codes use it from now on"))
