"""The API's reads: cases in the token's pods, and what their children said."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask import Response, abort, jsonify, request
from flask_babel import force_locale
from werkzeug.exceptions import MethodNotAllowed

from feedback.extensions import db
from feedback.models import Case
from feedback.services import api_read
from feedback.services.case_records import answer_words
from feedback.web.api import bp, json_errors
from feedback.web.api.bearer import note_use, pod_ids
from feedback.web.labels import NOT_SAY_LABEL, PLAN_SECTIONS, SCALE_LABELS, THEME_LABELS
from feedback.web.numbers import database_int
from feedback.web.security import public

#: A leap second (``23:59:60``), which Python's datetime cannot hold.
LEAP_SECOND = re.compile(r"(T\d\d:\d\d):60")
#: The methods every address of the API answers: it only reads.
READ_METHODS = ["GET", "HEAD", "OPTIONS"]


def _number(name: str, default: int, lowest: int = 0, highest: int | None = None) -> int:
    """A whole-number query argument; 400 when it is not one, or is out of the range
    docs/api/openapi.yaml gives it (a ``per_page`` of 500 is refused, not cut to 200)."""
    text = request.args.get(name)
    if text is None or text == "":
        return default
    value = database_int(text)
    if value is None or value < lowest or (highest is not None and value > highest):
        abort(400)
    return value


def _page_size(name: str) -> int:
    return _number(name, api_read.DEFAULT_PAGE_SIZE, lowest=1, highest=api_read.MAX_PAGE_SIZE)


def _since() -> datetime | None:
    """``since`` as an ISO 8601 date or date-time in UTC (UTC when it names no offset); 400
    if it is not one. RFC 3339's lower-case ``t`` and ``z`` and leap second are taken."""
    text = request.args.get("since")
    if not text:
        return None
    text = LEAP_SECOND.sub(r"\1:59", text.upper().replace("Z", "+00:00").replace(" ", "+"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        abort(400)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC: before everything
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


def _case(reference: str) -> Case:
    """The token's case with this reference, 404 for any other; a reference with a NUL is
    none (PostgreSQL refuses to compare one: a 500, found by schemathesis)."""
    if "\x00" in reference:
        abort(404)
    return api_read.case_in_pods(db.session, pod_ids(), reference)


def _strings(labels: dict[Any, Any]) -> dict[str, str]:
    return {str(code): str(label) for code, label in labels.items()}


def _words() -> api_read.ApiWords:
    """The staff pages' labels, always in English: the other system stores them."""
    with force_locale("en_GB"):
        scales = {name: _strings(labels) for name, labels in SCALE_LABELS.items()}
        not_say = str(NOT_SAY_LABEL)
        themes, sections = _strings(THEME_LABELS), _strings(PLAN_SECTIONS)

    def answer(definition: Any, key: str, value: str) -> str:
        return answer_words(definition, key, value, scales, not_say)

    return api_read.ApiWords(answer=answer, themes=themes, plan_sections=sections)


@bp.get("/cases")
@public
def list_cases() -> Response:
    """List the cases in the token's pods, by reference, a page at a time."""
    found = api_read.case_page(db.session, pod_ids(), _number("page", 1, lowest=1),
                               _page_size("per_page"))
    note_use("case_list", None, page=found.page, count=len(found.items))
    db.session.commit()
    more = found.page * found.per_page < found.total
    return jsonify(cases=found.items, page=found.page, per_page=found.per_page,
                   total=found.total, next_page=found.page + 1 if more else None)


@bp.get("/cases/<reference>")
@public
def view_case(reference: str) -> Response:
    """Show one case of the token's pods (404 for any other)."""
    case = _case(reference)
    summary = api_read.case_summary(case, api_read.last_response_at(db.session, case))
    note_use("case", case.id, reference=case.reference)
    db.session.commit()
    return jsonify(summary)


@bp.get("/cases/<reference>/responses")
@public
def case_responses(reference: str) -> Response:
    """Give a case's responses with their themes, alerts, plan links and replies."""
    case = _case(reference)
    record = api_read.case_record(db.session, case, _words(), since=_since())
    note_use("case", case.id, reference=case.reference,
             responses=[r["id"] for r in record["responses"]])
    db.session.commit()
    return jsonify(record)


@bp.get("/responses")
@public
def list_responses() -> Response:
    """Give the responses stored after ``after`` in the token's pods, oldest first."""
    feed = api_read.responses_after(
        db.session, pod_ids(), _number("after", 0), _page_size("limit"), _words(),
        since=_since())
    for case_id, response_ids in feed.read.items():  # one event per case read
        note_use("case", case_id, responses=response_ids)
    if not feed.read:
        note_use("responses", None, responses=[])
    db.session.commit()
    return jsonify(responses=feed.items, next_after=feed.next_after)


@bp.get("/<path:anything>")
@public
def no_such_address(anything: str) -> Response:
    """Answer any other address under the API as JSON, not the site's HTML page."""
    abort(404)


@bp.before_app_request
def refuse_other_methods() -> tuple[Response, int] | None:
    """Answer any method but a read, anywhere under the API, with a JSON 405 and ``Allow``.

    Werkzeug refuses the method while routing, before the request belongs to a
    blueprint, so the API's error handlers would never see it: this app-wide hook does,
    for the API's addresses only."""
    if (isinstance(request.routing_exception, MethodNotAllowed)
            and request.path.startswith(f"{bp.url_prefix}/")):
        return json_errors.handle_http_error(MethodNotAllowed(valid_methods=READ_METHODS))
    return None
