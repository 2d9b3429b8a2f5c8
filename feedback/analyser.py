"""The app's theming analyser: built once per process from the configured lexicon."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from feedback.theming import Analyser, load_lexicon

_lock = threading.Lock()


def current_analyser() -> Analyser:
    """Return this app's analyser, building it on first use."""
    extensions = current_app.extensions
    if "theming" not in extensions:
        with _lock:
            if "theming" not in extensions:
                extra = current_app.config.get("THEMING_LEXICON")
                lexicon = load_lexicon([Path(extra)] if extra else [])
                extensions["theming"] = Analyser(lexicon=lexicon)
    return extensions["theming"]  # type: ignore[no-any-return]


def mail_enabled() -> bool:
    """Say whether alert e-mails go out (an SMTP server is configured)."""
    return bool(current_app.config.get("SMTP_HOST"))
