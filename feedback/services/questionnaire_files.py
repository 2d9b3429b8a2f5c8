"""Read a questionnaire someone pasted or uploaded, and say on which line each problem is.

``json`` gives the line and column of a syntax error; for a definition that is valid
JSON but not a valid questionnaire, ``locate`` indexes where each value starts, so a
problem's JSON path (``questions[2].text``) becomes a line and column in that text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from feedback.services.questionnaires import N_, JsonPath, Problem, problems

#: The most text an upload may hold (the largest shipped questionnaire is ~20 kB).
MAX_CHARACTERS = 200_000
_SPACE = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"true|false|null|NaN|-?Infinity|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

#: Plain words for the syntax errors ``json`` reports (its own words otherwise).
SYNTAX = {
    "Expecting ',' delimiter": N_("a comma is missing before this (or a bracket above is "
                                  "not closed)"),
    "Expecting ':' delimiter": N_("a colon (:) is missing after the name before this"),
    "Expecting property name enclosed in double quotes": N_(
        "a name in double quotes was expected here: is there a comma after the last "
        "item, or a name in single quotes?"),
    "Expecting value": N_("a value is missing here (or there is one comma too many)"),
    "Unterminated string starting at": N_("this text has no closing double quote"),
    "Invalid control character at": N_("a text cannot go over a line break: write \\n "
                                       "instead"),
    "Invalid \\escape": N_("a backslash (\\) must be written twice in a text"),
    "Extra data": N_("there is more after the end of the questionnaire's object"),
}


@dataclass(frozen=True)
class Located:
    """A problem with the line and column (from 1) where it is in the text."""

    line: int
    column: int
    problem: Problem


class UploadError(ValueError):
    """The text is not a valid questionnaire: ``found`` lists every problem, by line."""

    def __init__(self, found: list[Located]) -> None:
        self.found = found
        super().__init__("; ".join(f"line {f.line}, column {f.column}: {f.problem}"
                                   for f in found))


@dataclass
class _Locator:
    """Where each value of a JSON text starts (the text is known to be valid JSON)."""

    text: str
    starts: dict[JsonPath, int] = field(default_factory=dict)

    def skip(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        assert match is not None
        return match.end()

    def value(self, pos: int, path: JsonPath) -> int:
        pos = self.skip(pos)
        self.starts[path] = pos
        char = self.text[pos]
        if char == "{":
            return self.members(pos + 1, path, "}")
        if char == "[":
            return self.members(pos + 1, path, "]")
        match = (_STRING if char == '"' else _SCALAR).match(self.text, pos)
        assert match is not None
        return match.end()

    def members(self, pos: int, path: JsonPath, close: str) -> int:
        """Walk an object's members or an array's items; return where it ends."""
        index = 0
        while True:
            pos = self.skip(pos)
            if self.text[pos] == close:
                return pos + 1
            if self.text[pos] == ",":
                pos = self.skip(pos + 1)
            if close == "}":
                match = _STRING.match(self.text, pos)
                assert match is not None
                name = json.loads(match.group())
                pos = self.value(self.skip(match.end()) + 1, (*path, name))  # past the :
            else:
                pos = self.value(pos, (*path, index))
                index += 1


def locate(text: str) -> dict[JsonPath, tuple[int, int]]:
    """Return the line and column (from 1) where each value of a valid JSON text starts."""
    locator = _Locator(text)
    locator.value(0, ())
    return {path: _line_and_column(text, pos) for path, pos in locator.starts.items()}


def _line_and_column(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


def _nearest(where: dict[JsonPath, tuple[int, int]], path: JsonPath) -> tuple[int, int]:
    """The place of ``path``, or of the nearest thing that holds it."""
    while path not in where and path:
        path = path[:-1]
    return where.get(path, (1, 1))


def _syntax_error(error: json.JSONDecodeError) -> Located:
    words = next((words for start, words in SYNTAX.items() if error.msg.startswith(start)),
                 None)
    problem = Problem((), words) if words else \
        Problem((), N_("this is not valid JSON: %(reason)s"), {"reason": error.msg})
    return Located(error.lineno, error.colno, problem)


def read(text: str) -> dict[str, Any]:
    """Parse and check a questionnaire's JSON text; raise ``UploadError`` with every
    problem and its line."""
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_CHARACTERS:
        raise UploadError([Located(1, 1, Problem((), N_(
            "this is too long for a questionnaire: keep it under %(count)s characters"),
            {"count": f"{MAX_CHARACTERS:,}"}))])
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as error:
        raise UploadError([_syntax_error(error)]) from None
    except RecursionError:
        raise UploadError([Located(1, 1, Problem((), N_(
            "this is nested too deeply to be a questionnaire")))]) from None
    found = problems(definition)
    if found:
        where = locate(text)
        raise UploadError([Located(*_nearest(where, p.path), p) for p in found])
    assert isinstance(definition, dict)
    return definition
