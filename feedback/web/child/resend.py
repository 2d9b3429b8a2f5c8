"""When a child's session is gone (time-out, or a resend after Send), give their words back.

The form they sent is shown again with one "Send again" button and a fresh
CSRF token; nothing they wrote is dropped. A resend of something already
stored goes straight to the same thank-you page.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response as WebResponse

from feedback.web import journeys as journey
from feedback.web.errors import render_error
from feedback.extensions import db
from feedback.models import QuestionnaireVersion
from feedback.web.security import CrossSiteRequestError
from feedback.services import submissions

_META_FIELDS = {"csrf_token"}


def _text_fields(questions: list[dict[str, Any]]) -> list[str]:
    """Name the form fields that carry free text for this request's page."""
    if request.endpoint == "child.help_now":
        return ["message"]
    if request.endpoint == "child.question":
        number = (request.view_args or {}).get("number", 0)
        page = questions[number - 1: number] if number >= 1 else []
        return [name for q in page for name in
                (["answer"] if q["type"] == "text" else
                 [h["key"] for h in q.get("houses", [])])]
    prefix = journey.ANSWER_PREFIX
    return [name for q in questions for name in
            ([f"{prefix}{q['key']}"] if q["type"] == "text" else
             [f"{prefix}{q['key']}.{h['key']}" for h in q.get("houses", [])])]


def words_in_form(current: submissions.Journey) -> list[str]:
    """Return the free text the child sent in this form, in order."""
    version = db.session.get(QuestionnaireVersion, current.version_id)
    questions = version.definition["questions"] if version else []
    return [request.form[name] for name in _text_fields(questions)
            if request.form.get(name, "").strip()]


def handle_lost_session(error: CSRFError) -> str | WebResponse:
    """Show the child's words back with a "send again" button, or confirm a resend."""
    if isinstance(error, CrossSiteRequestError):
        # Sent from another site: nothing is shown back, ended or stored.
        return render_error(400)  # type: ignore[return-value]
    current = journey.journey_from_token(request.form.get("journey"))
    if current is None:
        return render_template("child/timed_out.html"), 400  # type: ignore[return-value]
    if request.endpoint == "child.send" and \
            submissions.stored_id(db.session, current.key) is not None:
        journey.finish({"kind": current.kind})
        return redirect(url_for("child.thank_you"))
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in _META_FIELDS]
    return render_template("child/send_again.html", texts=words_in_form(current),
                           fields=fields, action=request.full_path.rstrip("?"))
