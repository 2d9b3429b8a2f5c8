"""The app's theming analyser: built once per process from the configured lexicon.

A classifier learnt from workers' corrections (``flask theming learn``) is
used too when one has been saved under ``instance/``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from feedback.services.alerts import Mail
from feedback.theming import Analyser, Analysis, ThemeClassifier, load_lexicon
from feedback.theming.reader import Reader

_lock = threading.Lock()


def classifier_path(app: Flask) -> Path:
    return Path(app.instance_path) / "theming_classifier.json"


def reader_path(app: Flask) -> Path:
    """Where ``flask theming learn`` keeps a reader retrained with workers' decisions."""
    return Path(app.instance_path) / "theming_reader.npz"


def build_analyser(*, with_classifier: bool = True,
                   classifier: ThemeClassifier | None = None) -> Analyser:
    """Build an analyser from this app's lexicon (and saved classifier, unless told not to),
    with the reader retrained from workers' decisions when one has been saved."""
    extra = current_app.config.get("THEMING_LEXICON")
    lexicon = load_lexicon([Path(extra)] if extra else [])
    saved = classifier_path(current_app)
    if classifier is None and with_classifier and saved.exists():
        classifier = ThemeClassifier.load(saved)
    learned = reader_path(current_app)
    if learned.exists():
        return Analyser(lexicon=lexicon, classifier=classifier, reader=Reader.load(learned))
    return Analyser(lexicon=lexicon, classifier=classifier)


class UnavailableAnalyser:
    """Stands in when the analyser cannot be built (a broken lexicon file, say).

    Every comment then fails analysis, so each is marked for review and raises an
    "analysis failed" alert: the child's words are stored and read, never lost.
    """

    def __init__(self, error: Exception) -> None:
        self.error = error

    def analyse(self, text: str, language: str | None = None) -> Analysis:
        raise RuntimeError("the theming analyser is unavailable") from self.error


def current_analyser() -> Analyser | UnavailableAnalyser:
    """Return this app's analyser, building it on first use; never raise."""
    extensions = current_app.extensions
    if "theming" not in extensions:
        with _lock:
            if "theming" not in extensions:
                try:
                    extensions["theming"] = build_analyser()
                except Exception as error:  # noqa: BLE001 -- fail safe, and try again next time
                    current_app.logger.error("theming analyser unavailable: %s",
                                             type(error).__name__)
                    return UnavailableAnalyser(error)
    return extensions["theming"]  # type: ignore[no-any-return]


def alert_mail() -> Mail | None:
    """Return how alerts are e-mailed, or None when no SMTP server is configured (alerts
    are then shown in the app only)."""
    if not current_app.config.get("SMTP_HOST"):
        return None
    return Mail(out_of_hours_email=current_app.config.get("OUT_OF_HOURS_EMAIL") or "")
