"""Staff-facing words for things stored as codes or timestamps: one place, so the case
page, the printed code slip and the case record say the same."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from flask_babel import format_date, format_time, get_locale, gettext as _

from feedback.services.case_records import RecordWords, answer_words
from feedback.web.labels import (
    ALERT_REASON_LABELS, ALERT_STATE_LABELS, NOT_SAY_LABEL, PLAN_SECTIONS, SCALE_LABELS,
    SENTIMENT_LABELS, THEME_LABELS,
)
from feedback.web.staff.forms import ACTION_LABELS, STATUS_LABELS


def when(moment: datetime | None) -> str:
    """Say a moment as people write it: "6 December 2026 at 10:32pm" (UK time)."""
    if moment is None:
        return ""
    # Translators: a date and a time, "6 December 2026 at 10:32pm".
    return _("%(date)s at %(time)s", date=format_date(moment, "d MMMM y"),
             time=format_time(moment, "h:mma").lower().replace(" ", ""))


def address(url: str) -> str:
    """Write a web address as a person types it: no ``https://``, no trailing slash."""
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/")


def day(moment: date) -> str:
    """Say a day as people write it: "6 December 2026"."""
    return format_date(moment, "d MMMM y")


def language(tag: str) -> str:
    """Name a language in the reader's own: "ur" is "Urdu"."""
    try:
        return str(Locale.parse(tag.replace("-", "_")).get_display_name(get_locale()))
    except (ValueError, UnknownLocaleError):
        return tag


def answer(definition: Mapping[str, Any] | None, key: str, value: str) -> str:
    """Say a scale, choice or cards answer in words: "Very sad", not "1"."""
    return answer_words(definition, key, value, _scales(), str(NOT_SAY_LABEL))


def _scales() -> dict[str, dict[str, str]]:
    return {name: _strings(labels) for name, labels in SCALE_LABELS.items()}


def _strings(labels: Mapping[Any, Any]) -> dict[str, str]:
    return {str(code): str(label) for code, label in labels.items()}


def record_words() -> RecordWords:
    """The case record's words: the case page's labels, in this request's language."""
    return RecordWords(
        when=when, day=day, language=language, scales=_scales(), not_say=str(NOT_SAY_LABEL),
        themes=_strings(THEME_LABELS), plan_sections=_strings(PLAN_SECTIONS),
        action_statuses=_strings(STATUS_LABELS), sentiments=_strings(SENTIMENT_LABELS),
        alert_reasons=_strings(ALERT_REASON_LABELS), alert_states=_strings(ALERT_STATE_LABELS),
        alert_actions=_strings(ACTION_LABELS),
        tag_origins={"auto": _("Suggested"), "worker": _("Confirmed"),
                     "child": _("Chosen by the child")},
        help_page=_("Message from the help page"),
        help_message=_("Message sent with “I need help now”"),
        reply_kinds={"reply": _("You said, we did"), "chair_response": _("The chair's response")})
