"""Offline language identification: script detection plus stopword scoring."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from feedback.theming.text import tokenise

UNDETERMINED = "und"
# Letters Urdu uses and Arabic does not; Persian shares some of Urdu's others.
_URDU_ONLY = frozenset("ےںہٹڈڑھۓ")
_PERSIAN = frozenset("پچژگکی")
_UKRAINIAN = frozenset("іїєґ")
_RUSSIAN = frozenset("ыэъё")
# Letters that only (or almost only) one Latin-script language uses.
_MARKS = {
    "pl": frozenset("ąęłńśźż"),
    "ro": frozenset("ăâîșşțţ"),
    "pt": frozenset("ãõ"),
    "es": frozenset("ñ¿¡"),
    "fr": frozenset("èùœ"),
    "cy": frozenset("ŵŷ"),
    # Albanian writes ë in nearly every sentence; French only in a few names.
    "sq": frozenset("ë"),
    # Vietnamese: letters with a tone mark over a vowel mark, and ơ, ư, đ.
    "vi": frozenset("ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"),
}
_SHARED_MARKS = {"ç": ("pt", "fr"), "ê": ("pt", "fr"), "ô": ("pt", "fr"), "à": ("pt", "fr")}
_WELSH_ONSETS = ("dd", "ll", "ngh", "nh", "mh", "rh", "ff")
# A comment with no clear stopwords is English when this share of its words are.
_KNOWN_SHARE = 0.6
# English stopwords outscoring every other list are not enough when a comment of
# this many words or more is mostly unknown words: "in" and "i" also occur in
# Somali and other languages without a list, and those must reach a person.
_FEW_WORDS = 4
_ENGLISH_SHARE = 0.5


def normalise_code(language: str | None) -> str | None:
    """Return the ISO 639-1 part of a tag such as "en-GB", or None when empty."""
    if not language or not language.strip():
        return None
    return language.strip().lower().replace("_", "-").split("-")[0]


def detect_language(text: str, stopwords: Mapping[str, frozenset[str]],
                    known: frozenset[str] = frozenset()) -> str:
    """Return the ISO 639-1 code of ``text``, "en" when it has no letters, or "und"."""
    return LanguageIdentifier(stopwords, known).identify(text)


class LanguageIdentifier:
    """Tell which language a comment is in, offline, from scripts and everyday words.

    ``known`` is an English vocabulary: a short comment with no clear stopwords
    is English only when most of its words are English words.
    """

    def __init__(self, stopwords: Mapping[str, frozenset[str]],
                 known: frozenset[str] = frozenset()) -> None:
        self._languages: dict[str, list[str]] = {}
        for language, words in stopwords.items():
            for word in words:
                self._languages.setdefault(word, []).append(language)
        self._known = known

    def identify(self, text: str, tokens: list[str] | None = None) -> str:
        """Return the language code; ``tokens`` may pass tokenise(text) to save work."""
        if text.isascii():
            letters = [char for char in text if char.isalpha()]
        else:
            letters = [char for char in text.lower() if char.isalpha()]
            script = _script(letters) if letters else "latin"
            if script != "latin":
                return script
        if not letters:
            return "en"
        tokens = tokenise(text) if tokens is None else tokens
        scores = self._scores(tokens, letters)
        english = scores.pop("en", 0)
        best = max(scores, key=lambda language: scores[language], default="en")
        foreign = scores.get(best, 0)
        if foreign > english and foreign >= 2:
            return best
        words = [token for token in tokens if token.isalpha()]
        share = sum(word in self._known for word in words) / len(words) if words else 0.0
        if english > foreign:
            return "en" if len(words) < _FEW_WORDS or share >= _ENGLISH_SHARE else UNDETERMINED
        if len(words) <= 1 and text.isascii():
            return "en"
        if share >= _KNOWN_SHARE:
            return "en"
        # One everyday word of a language is chance in a longer comment ("uma" is
        # Portuguese and Somali): undetermined, so a person reads it.
        if foreign >= 2 or (foreign > 0 and len(words) < _FEW_WORDS):
            return best
        return UNDETERMINED

    def _scores(self, tokens: list[str], letters: list[str]) -> dict[str, int]:
        scores: dict[str, int] = {}
        for token in tokens:
            for language in self._languages.get(token, ()):
                scores[language] = scores.get(language, 0) + 1
        accented = Counter(char for char in letters if not char.isascii())
        if accented:
            for language, marks in _MARKS.items():
                hits = sum(accented[char] for char in marks & accented.keys())
                scores[language] = scores.get(language, 0) + 2 * hits
            for char, languages in _SHARED_MARKS.items():
                for language in languages:
                    scores[language] = scores.get(language, 0) + accented[char]
        welsh = sum(token.startswith(_WELSH_ONSETS) for token in tokens)
        if welsh:
            scores["cy"] = scores.get("cy", 0) + welsh
        return scores


def _script(letters: list[str]) -> str:
    """Return "latin" or the language implied by a non-Latin script."""
    arabic = [c for c in letters if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f"
              or "\ufb50" <= c <= "\ufeff"]
    cyrillic = [c for c in letters if "\u0400" <= c <= "\u04ff"]
    latin = [c for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f"]
    half = len(letters) / 2
    if len(arabic) > half:
        if _URDU_ONLY.intersection(arabic):
            return "ur"
        return "fa" if _PERSIAN.intersection(arabic) else "ar"
    if len(cyrillic) > half:
        if _UKRAINIAN.intersection(cyrillic):
            return "uk"
        return "ru" if _RUSSIAN.intersection(cyrillic) else UNDETERMINED
    if len(latin) > half:
        return "latin"
    return UNDETERMINED
