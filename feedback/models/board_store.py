"""The board's counts of finished months, kept in the database under a version.

A cold process should not count a whole year again, so the figures of each
finished month are stored (``BoardMonthCounts``) with the month's version
(``BoardMonthVersion``) as it stood when they were counted. Database triggers
(migration ``0017``) give a month a new version on every insert, update or
delete of a row its figures read (responses, response themes, comments, theme
tags, comment links, replies, a case's pod, a plan action's status; on SQLite
one more, on PostgreSQL the next value of a sequence), so stored counts are used
only while their version is still the month's; otherwise they are counted again.
The app never writes a version itself (``feedback.services.board_cache``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedback.models.base import Base


def month_number(year: int, month: int) -> int:
    """A month as one integer (months since year 0), as the triggers compute it."""
    return year * 12 + month - 1


class BoardMonthVersion(Base):
    """The version of a finished month's board figures (0, no row, if never changed)."""

    __tablename__ = "board_month_versions"

    #: ``month_number(year, month)``.
    month: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int]


class BoardMonthCounts(Base):
    """One finished month's figures of one kind, as JSON, counted at ``version``."""

    __tablename__ = "board_month_counts"

    month: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: What the figures are: "year" (every atom of the year's published set and the
    #: comment figures of the golden thread) or "trend" (responses per theme).
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[int]
    counts: Mapped[str] = mapped_column(Text)
    counted_at: Mapped[datetime]
