"""Errors raised by the theming package, with the helper that builds their messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class LexiconError(ValueError):
    """Raised when a lexicon file is missing, unreadable or invalid."""


def expect(condition: bool, path: Path, where: str, problem: str) -> None:
    """Raise LexiconError naming the file, the entry and the problem unless ``condition``."""
    if not condition:
        raise LexiconError(f"{path}: {where}: {problem}")


class ModelError(ValueError):
    """Raised when a saved model file cannot be read."""


def read_model(path: Path, format_name: str, version: int, name: str) -> dict[str, Any]:
    """Return the JSON object of a model file, checked for its format and version.

    ``name`` says what the file should be, with its article ("an example-models").
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ModelError(f"{path}: cannot read {name} file ({error})") from error
    if not isinstance(data, dict) or data.get("format") != format_name:
        raise ModelError(f"{path}: not {name} file")
    if data.get("version") != version:
        raise ModelError(f"{path}: unsupported version {data.get('version')!r} of {name} file")
    return data
