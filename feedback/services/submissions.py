"""Storing what a child sends: one response per idempotency key, analysed in the same
transaction.

A submission is the busiest write the service makes, so ``submit`` stores it with
a few plain INSERT statements (no unit of work to sort), after every comment has
been analysed: the database's write lock (all of it, on SQLite) is held for the
inserts only. This module is the only code that inserts responses, answers,
comments or tags without the ORM's unit of work; everything else (the help
button's messages here too) adds objects to the session. tests/test_submission_parity.py
checks both: no other module builds such INSERTs, and ``submit`` stores, table by
table, the rows a plain unit of work would.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.orm import Session

from feedback.database import DIALECT_INSERTS
from feedback.models import (
    HELP_QUESTION, AccessCode, AgeBand, Alert, AlertReason, Answer, Case, Comment,
    ParticipationSession, QuestionnaireVersion, Response, TagOrigin, TagStatus, ThemeTag,
    refresh_response_themes, today, utcnow,
)
from feedback.services.alerts import Mail, raise_alert, recent_help_alert
from feedback.services.analysis import (
    CommentAnalyser, analysis_columns, needs_alert, raise_analysis_alert, record_analysis,
    run_analysis, suggested_tag,
)
from feedback.services.participation import count_response
from feedback.services.questionnaires import NOT_SAY
from feedback.theming import Analysis

#: The longest free-text answer, in characters.
MAX_TEXT_LENGTH = 2000
FACES = ("1", "2", "3", "4", "5")


class AnswerError(ValueError):
    """An answer does not fit its question; ``key`` names the question."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key = key
        #: ``required``, ``choice`` or ``too_long``.
        self.problem = problem


@dataclass(frozen=True)
class Journey:
    """What a child's code opened, kept in their session until they send."""

    kind: str  # "case" or "session"
    version_id: int
    key: str
    language: str
    case_id: int | None = None
    session_id: int | None = None
    access_code_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        # Every value is a plain str or int: no deep copy (``asdict``) needed.
        return {name: getattr(self, name) for name in _JOURNEY_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Journey:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


_JOURNEY_FIELDS = tuple(field.name for field in fields(Journey))


def new_key() -> str:
    """Return a fresh idempotency key for a form."""
    return secrets.token_urlsafe(24)


def check_answer(question: Mapping[str, Any], value: Any) -> Any:
    """Return the answer cleaned for storage, or raise ``AnswerError``."""
    key, kind = question["key"], question["type"]
    optional = question.get("optional", False)
    if kind == "cards":
        return _check_cards(question, value)
    if kind == "three_houses":
        houses = value if isinstance(value, Mapping) else {}
        cleaned = {h["key"]: str(houses.get(h["key"]) or "").strip() for h in question["houses"]}
        for house, text in cleaned.items():
            if len(text) > MAX_TEXT_LENGTH:
                raise AnswerError(f"{key}.{house}", "too_long")
        if not optional and not any(cleaned.values()):
            raise AnswerError(key, "required")
        return cleaned
    text = str(value or "").strip()
    if not text:
        if not optional:
            raise AnswerError(key, "required")
        return ""
    if kind == "text" and len(text) > MAX_TEXT_LENGTH:
        raise AnswerError(key, "too_long")
    allowed = {"faces": (*FACES, NOT_SAY), "age_band": [b.value for b in AgeBand] + ["not_say"],
               "choice": [o["value"] for o in question.get("options", [])]}.get(kind)
    if allowed is not None and text not in allowed:
        raise AnswerError(key, "choice")
    return text


def _check_cards(question: Mapping[str, Any], value: Any) -> dict[str, str]:
    """Return the cards tapped (their values, in the questionnaire's order, one string)
    and the words written beside them; tapping nothing is a skip."""
    given = value if isinstance(value, Mapping) else {}
    tapped = set(str(given.get("cards") or "").split())
    values = [card["value"] for card in question["cards"]]
    if tapped - set(values):
        raise AnswerError(question["key"], "choice")
    words = str(given.get("words") or "").strip()
    if len(words) > MAX_TEXT_LENGTH:
        raise AnswerError(f"{question['key']}.words", "too_long")
    return {"cards": " ".join(v for v in values if v in tapped), "words": words}


def card_themes(question: Mapping[str, Any], tapped: str) -> list[str]:
    """Return the theme codes of the cards tapped (a card may have none)."""
    chosen = set(tapped.split())
    return [card["theme"] for card in question["cards"]
            if card["value"] in chosen and card.get("theme")]


def stored_id(session: Session, key: str) -> int | None:
    """Return the id of the response stored under this idempotency key, if any."""
    return session.connection().execute(_FIND_BY_KEY, {"key": key}).scalar()


def journey_is_live(session: Session, journey: Journey, now: datetime, *,
                    held: bool = False) -> bool:
    """Can this journey still tell a worker anything: not sent, and its code still valid?

    ``held``: the child's server session holds the journey (they are answering now),
    so only Send ends it. A journey known only from a form's token must also be within
    its access code's days (the code not revoked, the case not closed), or its session's
    dates.
    """
    if stored_id(session, journey.key) is not None:
        return False
    if held:
        return True
    if journey.kind == "case":
        code = session.execute(select(AccessCode.expires_at, AccessCode.revoked_at, Case.is_open)
                               .join(Case, Case.id == AccessCode.case_id)
                               .where(AccessCode.id == journey.access_code_id)).first()
        return (code is not None and code.revoked_at is None and code.expires_at > now
                and code.is_open)
    ends_on = session.scalar(select(ParticipationSession.ends_on)
                             .where(ParticipationSession.id == journey.session_id))
    return ends_on is not None and ends_on >= now.date()


# The submission's statements, built once: a submission is the busiest write the
# service makes, and these run on the connection, without the ORM's unit of work.
_responses, _comments = Response.__table__, Comment.__table__
_FIND_BY_KEY = select(_responses.c.id).where(_responses.c.idempotency_key == bindparam("key"))
#: A response, unless one is stored under its key already (then no row comes back).
_INSERT_RESPONSE = {
    name: dialect_insert(_responses)
    .on_conflict_do_nothing(index_elements=[_responses.c.idempotency_key])
    .returning(_responses.c.id)
    for name, dialect_insert in DIALECT_INSERTS.items()}
_INSERT_ANSWERS = insert(Answer.__table__)
_INSERT_COMMENTS = insert(_comments).returning(_comments.c.id, sort_by_parameter_order=True)
_INSERT_TAGS = insert(ThemeTag.__table__)
_COUNT_PARTICIPANT = (
    update(ParticipationSession.__table__)
    .where(ParticipationSession.__table__.c.id == bindparam("event_id"))
    .values(participant_count=ParticipationSession.__table__.c.participant_count + 1))


@dataclass(frozen=True)
class Words:
    """A comment to store: its question, the child's words, and the themes the child
    chose by tapping cards (Express)."""

    key: str
    text: str
    chosen: tuple[str, ...] = ()


#: Stands for the analysis of a comment with no words (cards tapped, nothing written).
_NOTHING_SAID: Any = object()


@dataclass(frozen=True)
class Device:
    """A session journey's device, as its count knows it, and the session's limit."""

    #: ``participation.device_hash`` of the browser's device cookie.
    hash: str
    #: The responses a session takes from one device.
    limit: int


def submit(session: Session, journey: Journey, answers: Mapping[str, Any],
           analyser: CommentAnalyser, mail: Mail | None,
           definition: Mapping[str, Any] | None = None, device: Device | None = None) -> int:
    """Store the child's answers once and return the response's id; a resend with the
    same key, even one sent at the same moment, returns the first response's id.

    ``definition``: the journey's questionnaire version's definition, if the caller
    keeps it (versions never change); otherwise it is read from the database.
    ``device``: a session journey's device, counted with a new response only; raises
    ``participation.SessionFullError`` (roll back) when it has sent its limit.
    """
    try:
        response, answer_rows, texts = _rows(session, journey, answers, definition)
    except AnswerError:
        existing = stored_id(session, journey.key)  # sent already: what it held was stored
        if existing is not None:
            return existing
        raise
    # Cards tapped with no words store an empty comment: nothing to analyse or flag.
    results = [run_analysis(analyser, text.text) if text.text else _NOTHING_SAID
               for text in texts]
    # Now write: a few statements, each sent once for all its rows.
    connection = session.connection()
    response_id: int | None = connection.execute(
        _INSERT_RESPONSE[connection.dialect.name], response).scalar()
    if response_id is None:  # the same key again; a Send of it at the same moment
        # held the insert until it committed (a row lock, or SQLite's write lock)
        existing = stored_id(session, journey.key)
        if existing is None:
            raise RuntimeError("a response's key conflicted, but no response holds it")
        return existing
    if device is not None and response["session_id"] is not None:
        count_response(session, response["session_id"], device.hash, device.limit)
    comment_ids = _store_words(connection, response_id, journey.language, answer_rows,
                               texts, results)
    if response["session_id"] is not None:
        connection.execute(_COUNT_PARTICIPANT, {"event_id": response["session_id"]})
    flagged = [(session.get_one(Comment, comment_id), result)
               for comment_id, result in zip(comment_ids, results)
               if result is not _NOTHING_SAID and needs_alert(result)]
    if flagged:  # one alert for the whole submission, however many comments it flags
        case = session.get(Case, response["case_id"]) if response["case_id"] else None
        event = session.get(ParticipationSession, response["session_id"]) \
            if response["session_id"] else None
        raise_analysis_alert(session, flagged, response_id=response_id, case=case,
                             event=event, mail=mail)
    return response_id


def _store_words(connection: Connection, response_id: int, language: str,
                 answer_rows: list[dict[str, Any]], texts: list[Words],
                 results: list[Analysis | None]) -> list[int]:
    """Insert a new response's answers, comments and tags, and its board rows; return
    the comments' ids, in the order of ``texts``."""
    if answer_rows:
        connection.execute(_INSERT_ANSWERS, [{**row, "response_id": response_id}
                                             for row in answer_rows])
    if not texts:
        return []
    # Every row names the same columns, so they go in one statement.
    comment_ids: list[int] = list(connection.execute(_INSERT_COMMENTS, [
        {"response_id": response_id, "question_key": text.key, "text": text.text,
         "language": language, "sentiment": None, "polarity": None,
         "needs_review": False,
         **(analysis_columns(result) if result is not _NOTHING_SAID else {})}
        for text, result in zip(texts, results)]).scalars())
    tags = [{"comment_id": comment_id, **suggested_tag(match)}
            for comment_id, text, result in zip(comment_ids, texts, results)
            if result is not None and result is not _NOTHING_SAID
            for match in result.themes if match.code not in text.chosen]
    tags += [{"comment_id": comment_id, "theme": theme, "origin": TagOrigin.CHILD,
              "status": TagStatus.SUGGESTED, "confidence": None}
             for comment_id, text in zip(comment_ids, texts) for theme in text.chosen]
    if tags:
        connection.execute(_INSERT_TAGS, tags)
        refresh_response_themes(connection, [response_id])
    return comment_ids


def _rows(session: Session, journey: Journey, answers: Mapping[str, Any],
          definition: Mapping[str, Any] | None
          ) -> tuple[dict[str, Any], list[dict[str, Any]], list[Words]]:
    """Check every answer; return the response's row, its answer rows and its texts."""
    if definition is None:
        version = session.get(QuestionnaireVersion, journey.version_id)
        assert version is not None
        definition = version.definition
    response = _response_row(journey, journey.version_id)
    answer_rows: list[dict[str, Any]] = []
    texts: list[Words] = []
    for question in definition["questions"]:
        value = check_answer(question, answers.get(question["key"]))
        key, kind = question["key"], question["type"]
        if kind == "three_houses":
            texts += [Words(f"{key}.{house}", text) for house, text in value.items() if text]
        elif kind == "text" and value:
            texts.append(Words(key, value))
        elif kind == "cards" and (value["cards"] or value["words"]):
            if value["cards"]:
                answer_rows.append({"question_key": key, "value": value["cards"]})
            texts.append(Words(key, value["words"],
                               tuple(dict.fromkeys(card_themes(question, value["cards"])))))
        elif kind == "age_band" and value and value != "not_say":
            response["age_band"] = AgeBand(value)
        elif kind in ("faces", "choice") and value:
            answer_rows.append({"question_key": key, "value": value})
    return response, answer_rows, texts


def _response_row(journey: Journey, version_id: int | None) -> dict[str, Any]:
    is_case = journey.kind == "case"
    now = utcnow()
    return {"case_id": journey.case_id if is_case else None,
            "session_id": None if is_case else journey.session_id,
            "access_code_id": journey.access_code_id if is_case else None,
            "questionnaire_version_id": version_id, "language": journey.language,
            "submitted_on": now.date() if is_case else today(),
            "submitted_at": now if is_case else None, "idempotency_key": journey.key}


def ask_for_help(session: Session, journey: Journey, text: str, analyser: CommentAnalyser,
                 mail: Mail | None, now: datetime | None = None) -> Alert:
    """Raise an urgent alert now and store the child's message with it, if they wrote one.

    Presses from the same case or join code within ``HELP_WINDOW`` add to the open
    alert they raised (its count, and any new message) instead of raising another.
    """
    text = text.strip()
    if len(text) > MAX_TEXT_LENGTH:  # the form refuses it first: this is never a silent cut
        raise AnswerError(HELP_QUESTION, "too_long")
    now = now or utcnow()
    case = session.get(Case, journey.case_id) if journey.kind == "case" else None
    event = session.get(ParticipationSession, journey.session_id) if case is None else None
    alert = recent_help_alert(session, case=case, event=event, now=now)
    if alert is not None:
        alert.presses += 1
        if text:
            comment = _help_comment(session, journey, alert, text, analyser)
            alert.comment = alert.comment or comment
        session.flush()
        return alert
    message = _help_comment(session, journey, None, text, analyser) if text else None
    return raise_alert(session, reason=AlertReason.BUTTON, case=case, event=event,
                       comment=message, response_id=message.response_id if message else None,
                       detail="asked for help now", mail=mail)


def _help_comment(session: Session, journey: Journey, alert: Alert | None, text: str,
                  analyser: CommentAnalyser) -> Comment:
    """Store a help message: the first in a response of its own, later ones beside it."""
    response = alert.response if alert is not None else None
    if response is None:
        response = Response(**_response_row(
            Journey(**{**journey.to_dict(), "key": new_key()}), None))
        session.add(response)
        if alert is not None:
            alert.response = response
    number = len(response.comments) + 1
    key = HELP_QUESTION if number == 1 else f"{HELP_QUESTION}.{number}"
    comment = Comment(question_key=key, text=text, language=journey.language)
    response.comments.append(comment)
    # Themes and sentiment as for any comment; the button itself is the alert.
    record_analysis(session, comment, run_analysis(analyser, text), fresh=True)
    session.flush()
    return comment
