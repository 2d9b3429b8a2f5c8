"""The child's journey through a questionnaire, kept in their server-side session.

A case journey's answers are also kept with its access code (``save_answer``), so
entering the code again, on this device or another, carries on where the child
was. Every journey form also carries a signed *journey token*. If the session
expired (idle limit, or a resend after the session was rotated), the token
lets "send again" carry on with exactly the words the child sent, instead of
dropping them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, request, session, url_for
from flask_login import logout_user

from feedback.extensions import db
from feedback.web.i18n import current_language
from feedback.models import Questionnaire
from feedback.services import codes
from feedback.services.codes import CaseEntry, SessionEntry
from feedback.services.submissions import Journey, new_key

#: How long a journey token can revive a lost session.
TOKEN_MAX_AGE = 6 * 60 * 60
ANSWER_PREFIX = "a."


def start_link(display_code: str) -> str:
    """The address a QR code or printed link gives: the code rides in the #fragment,
    which browsers never send, so no server or proxy log holds it (``app.js`` fills
    the box with it and takes it out of the address bar and history)."""
    return url_for("child.start", _external=True, _anchor=f"code={display_code}")


def _sealer() -> Fernet:
    """The app's journey-token key, derived from SECRET_KEY once per key."""
    secret = current_app.config["SECRET_KEY"]
    kept = current_app.extensions.get("journey_tokens")
    if kept is None or kept[0] != secret:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"feedback journey token v1").derive(secret.encode())
        kept = current_app.extensions["journey_tokens"] = (
            secret, Fernet(base64.urlsafe_b64encode(key)))
    return kept[1]  # type: ignore[no-any-return]


def token_for(journey: Journey) -> str:
    """The journey sealed for a form's hidden field: encrypted and authenticated, so the
    page shows nothing of it, and refused after ``TOKEN_MAX_AGE`` seconds."""
    return _sealer().encrypt(json.dumps(journey.to_dict()).encode()).decode()


def journey_from_token(token: str | None) -> Journey | None:
    if not token:
        return None
    try:
        sealed = _sealer().decrypt(token.encode(), ttl=TOKEN_MAX_AGE)
        return Journey.from_dict(json.loads(sealed))
    except (InvalidToken, TypeError, KeyError, ValueError):
        return None


def begin(journey: Journey, case_language: str | None = None,
          kept: Mapping[str, Any] | None = None, handed_over: bool = False) -> None:
    """Start a fresh session for this child: nobody signed in, nothing from before but
    the answers ``kept`` with their code (``handed_over``: on a worker's device)."""
    language = session.get("lang")
    logout_user()
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session.clear()
    if language:
        session["lang"] = language
    session["journey"] = journey.to_dict()
    session["case_language"] = case_language
    session["answers"] = dict(kept or {})
    if handed_over:
        session["handed_over"] = True


def begin_entry(entry: CaseEntry | SessionEntry, handed_over: bool = False) -> None:
    """Start the journey a code opened: the case's questionnaire (where the child left
    it, if they came before), or the session's; ``handed_over`` when a worker handed
    their device to the child (the thank-you page asks for it back)."""
    if isinstance(entry, CaseEntry):
        code, case = entry.access_code, entry.access_code.case
        draft = codes.start(db.session, code)
        # Every device that opens the code sends under its one key: one response.
        begin(Journey(kind="case", case_id=case.id, access_code_id=code.id,
                      version_id=draft.version_id if draft else
                      _current_version_id(code.questionnaire_id),
                      key=code.response_key, language=case.preferred_language),
              case_language=case.preferred_language, kept=draft.answers if draft else None,
              handed_over=handed_over)
    else:
        begin(Journey(kind="session", session_id=entry.session.id,
                      version_id=_current_version_id(entry.session.questionnaire_id),
                      key=new_key(), language=current_language().tag))


def _current_version_id(questionnaire_id: int) -> int:
    return db.session.get_one(Questionnaire, questionnaire_id).current.id


def held() -> Journey | None:
    """Return the journey the child's server session holds, if any."""
    data = session.get("journey")
    return Journey.from_dict(data) if data else None


def current() -> Journey | None:
    """Return the journey in the session, or revive it from the form's token."""
    journey = held()
    if journey is not None:
        return journey
    journey = journey_from_token(request.form.get("journey"))
    if journey is not None:
        revive(journey)
    return journey


def revive(journey: Journey) -> None:
    """Put a journey known from a form's token back in the session, with the answers the
    form carries (a question page carries every earlier answer, as Send does)."""
    session["journey"] = journey.to_dict()
    session["answers"] = answers_from_form(request.form)


def answers() -> dict[str, Any]:
    return dict(session.get("answers") or {})


def save_answer(journey: Journey, key: str, value: Any) -> None:
    """Keep an answer in the session and, for a case, with its access code (the caller
    commits)."""
    draft = answers()
    draft[key] = value
    session["answers"] = draft
    if journey.access_code_id is not None:
        codes.keep_answers(db.session, journey.access_code_id, journey.version_id, draft)


def finish(confirmation: Mapping[str, Any]) -> None:
    """End the journey: drop the draft and move to a new session id (Back shows nothing)."""
    language = session.get("lang")
    handed_over = bool(session.get("handed_over"))
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    session.clear()
    if language:
        session["lang"] = language
    session["confirmation"] = {**confirmation, "handed_over": handed_over}


def answers_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """Read answers carried as hidden fields ``a.<key>`` and ``a.<key>.<house>``."""
    found: dict[str, Any] = {}
    for name, value in form.items():
        if not name.startswith(ANSWER_PREFIX):
            continue
        key, _, house = name[len(ANSWER_PREFIX):].partition(".")
        if house:
            found.setdefault(key, {})[house] = value
        else:
            found[key] = value
    return found


def hidden_answers(draft: Mapping[str, Any], leave_out: str | None = None
                   ) -> list[tuple[str, str]]:
    """Return the draft as hidden-field (name, value) pairs: the send form's, and each
    question page's (``leave_out``: the page's own question, which its fields carry)."""
    fields: list[tuple[str, str]] = []
    for key, value in draft.items():
        if key == leave_out:
            continue
        if isinstance(value, Mapping):
            fields += [(f"{ANSWER_PREFIX}{key}.{house}", str(text))
                       for house, text in value.items()]
        else:
            fields.append((f"{ANSWER_PREFIX}{key}", str(value)))
    return fields
