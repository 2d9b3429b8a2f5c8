"""Administrators' pages: the audit trail.

The blueprint is made here and its view modules are listed once, below.
"""

from __future__ import annotations

from flask import Blueprint

from feedback.models import Role
from feedback.web.security import require_roles

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles(Role.ADMIN))

from feedback.web.admin import (  # noqa: E402,F401 (views add routes to bp)
    api_token_views, config_views, pod_views, questionnaire_upload_views, questionnaire_views,
    security_views, staff_views, views,
)
