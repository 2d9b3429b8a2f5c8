"""The base of every form: Flask-WTF's, with WTForms' own messages translated cheaply.

Flask-WTF reads WTForms' message catalogue from disk on every request that
builds a form; the catalogues never change while the app runs, so each
process loads each language's once.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@lru_cache(maxsize=16)
def _catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _Translations:
    """WTForms' built-in messages ("Not a valid choice.") in the page's language."""

    def gettext(self, string: str) -> str:
        return _catalogue(str(get_locale() or "en")).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalogue(str(get_locale() or "en")).ungettext(singular, plural, n)


_TRANSLATIONS = _Translations()


class Form(FlaskForm):
    """Every form in the service derives from this one."""

    class Meta:
        def get_translations(self, form: Any) -> _Translations:
            return _TRANSLATIONS
