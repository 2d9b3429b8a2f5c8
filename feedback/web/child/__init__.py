"""The young person's pages: open to all, no sign-in, one question per page.

The blueprint is made here and its view modules are listed once, below: a view
module missing from the list would have no routes (tests/test_architecture.py).
"""

from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from feedback.web.child import devices, resend

bp = Blueprint("child", __name__)
bp.register_error_handler(CSRFError, resend.handle_lost_session)
bp.after_request(devices.give_cookie)

from feedback.web.child import views  # noqa: E402,F401 (the views add their routes to bp)
