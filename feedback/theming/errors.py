"""Errors raised by the theming package, with the helper that builds their messages."""

from __future__ import annotations

from pathlib import Path


class LexiconError(ValueError):
    """Raised when a lexicon file is missing, unreadable or invalid."""


def expect(condition: bool, path: Path, where: str, problem: str) -> None:
    """Raise LexiconError naming the file, the entry and the problem unless ``condition``."""
    if not condition:
        raise LexiconError(f"{path}: {where}: {problem}")
