"""Errors the services raise that every layer above understands."""

from __future__ import annotations


class OutOfScopeError(Exception):
    """The object does not exist for this person; shown exactly like a missing one (404)."""

    def __init__(self, object_type: str, object_id: object) -> None:
        super().__init__(f"{object_type} {object_id} is out of scope")
        self.object_type = object_type
        self.object_id = str(object_id)
