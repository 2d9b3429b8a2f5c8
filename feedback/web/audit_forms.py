"""The audit-trail search form, used by managers and administrators."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from feedback.web.forms import Form
from feedback.services.audit_trail import Filters


class AuditSearchForm(Form):
    class Meta:
        csrf = False  # a GET search changes nothing

    action = StringField(_l("Action (for example case.view)"), validators=[Length(max=60)])
    actor_email = StringField(_l("Email address of the person"), validators=[Length(max=254)])
    object_type = StringField(_l("Object type (for example case)"), validators=[Length(max=40)])
    object_id = StringField(_l("Object reference or number"), validators=[Length(max=80)])
    start = DateField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    end = DateField(_l("To"), validators=[Optional()], render_kw={"type": "date"})

    def filters(self) -> Filters:
        return Filters(action=self.action.data or "", actor_email=self.actor_email.data or "",
                       object_type=self.object_type.data or "",
                       object_id=self.object_id.data or "", start=self.start.data,
                       end=self.end.data)
