"""The app's theming analyser: built once per process from the configured lexicon.

A classifier learnt from workers' corrections (``flask theming learn``) is
used too when one has been saved under ``instance/``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Flask, current_app

from feedback.theming import Analyser, ThemeClassifier, load_lexicon

_lock = threading.Lock()


def classifier_path(app: Flask) -> Path:
    return Path(app.instance_path) / "theming_classifier.json"


def build_analyser(*, with_classifier: bool = True,
                   classifier: ThemeClassifier | None = None) -> Analyser:
    """Build an analyser from this app's lexicon (and saved classifier, unless told not to)."""
    extra = current_app.config.get("THEMING_LEXICON")
    lexicon = load_lexicon([Path(extra)] if extra else [])
    saved = classifier_path(current_app)
    if classifier is None and with_classifier and saved.exists():
        classifier = ThemeClassifier.load(saved)
    return Analyser(lexicon=lexicon, classifier=classifier)


def current_analyser() -> Analyser:
    """Return this app's analyser, building it on first use."""
    extensions = current_app.extensions
    if "theming" not in extensions:
        with _lock:
            if "theming" not in extensions:
                extensions["theming"] = build_analyser()
    return extensions["theming"]  # type: ignore[no-any-return]


def mail_enabled() -> bool:
    """Say whether alert e-mails go out (an SMTP server is configured)."""
    return bool(current_app.config.get("SMTP_HOST"))
