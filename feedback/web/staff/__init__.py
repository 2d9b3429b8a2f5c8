"""Pages for social workers and their managers: the inbox, cases, alerts and plans.

The blueprint is made here and its view modules are listed once, below: a view
module missing from the list would have no routes (tests/test_architecture.py).
"""

from __future__ import annotations

from flask import Blueprint

from feedback.models import Role
from feedback.web.security import require_roles

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.before_request(require_roles(Role.WORKER, Role.MANAGER))

from feedback.web.staff import (  # noqa: E402,F401 (the views add their routes to bp)
    alert_views, audit_views, case_admin_views, case_import_views, caseload_views, export_views,
    plan_views, session_views, views,
)
