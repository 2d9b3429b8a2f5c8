"""Languages the service speaks, and which one a request gets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale
from flask import request, session
from flask_babel import get_locale
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header


@dataclass(frozen=True)
class Language:
    """A language tag with what the page needs to render it."""

    #: BCP 47 tag used in ``<html lang>`` and URLs, e.g. ``cy``.
    tag: str
    #: Babel locale for dates and numbers, e.g. ``en_GB``.
    locale: str
    #: The language's name in itself, for the language menu.
    name: str
    direction: str = "ltr"


LANGUAGES: dict[str, Language] = {
    lang.tag: lang
    for lang in (
        Language("en", "en_GB", "English"),
        Language("cy", "cy_GB", "Cymraeg"),
        Language("pl", "pl_PL", "Polski"),
        Language("ro", "ro_RO", "Română"),
        Language("ar", "ar", "العربية", "rtl"),
        Language("ur", "ur_PK", "اردو", "rtl"),
        Language("es", "es_ES", "Español"),
        Language("pt", "pt_PT", "Português"),
    )
}
DEFAULT_LANGUAGE = LANGUAGES["en"]
CHILD_LANGUAGES = tuple(LANGUAGES)
#: Staff pages are offered in English and Welsh only.
STAFF_LANGUAGES = ("en", "cy")
STAFF_BLUEPRINTS = frozenset({"staff", "board", "admin", "auth"})


def language_for(tag: str | None) -> Language | None:
    """Return the supported language for a tag such as ``pt-BR``, if any."""
    if not tag:
        return None
    return LANGUAGES.get(tag.replace("_", "-").split("-")[0].lower())


@cache
def babel_locale(language: Language) -> Locale:
    """Return the language's Babel locale, parsed once per process."""
    return Locale.parse(language.locale)


@lru_cache(maxsize=512)
def _best_match(header: str, offered: tuple[str, ...]) -> str | None:
    """The browser's preferred language among those offered (tablets repeat their header)."""
    return parse_accept_header(header, LanguageAccept).best_match(offered) if header else None


def select_locale() -> Locale:
    """Pick the child's choice, then the case's language, then the browser's, then en_GB.

    Staff pages exist in English and Welsh only.
    """
    offered = STAFF_LANGUAGES if request.blueprint in STAFF_BLUEPRINTS else CHILD_LANGUAGES
    for choice in (session.get("lang"), session.get("case_language")):
        language = language_for(choice)
        if language is not None and language.tag in offered:
            return babel_locale(language)
    language = language_for(_best_match(request.headers.get("Accept-Language", ""), offered))
    return babel_locale(language if language is not None and language.tag in offered
                        else DEFAULT_LANGUAGE)


def current_language() -> Language:
    """Return the language of the page being rendered."""
    return _language_of(get_locale())


@cache
def _language_of(locale: Locale | None) -> Language:
    return language_for(str(locale)) or DEFAULT_LANGUAGE


def pick(texts: dict[str, str], tag: str) -> tuple[str, str]:
    """Return a questionnaire text in the reader's language (else English) and its language."""
    if texts.get(tag):
        return texts[tag], tag
    return texts["en"], "en"
