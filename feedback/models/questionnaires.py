"""Questionnaires: versioned definitions of the questions a child answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event, inspect, text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback.models.base import Base, enum_type, utcnow


class VersionStatus(StrEnum):
    """Where a version is in its life: drafts are never shown to a child."""

    DRAFT = "draft"
    #: The one version new access codes and session codes start on.
    PUBLISHED = "published"
    #: No new codes; what was started or sent on it keeps pointing at it.
    RETIRED = "retired"


class Questionnaire(Base):
    """A named questionnaire; its questions live in versions."""

    __tablename__ = "questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier, e.g. ``my-meeting``.
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    is_builtin: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[QuestionnaireVersion]] = relationship(
        back_populates="questionnaire", order_by="QuestionnaireVersion.number")

    @property
    def published(self) -> QuestionnaireVersion | None:
        """Return the version new codes use, if one is published."""
        return next((v for v in self.versions if v.status == VersionStatus.PUBLISHED), None)

    @property
    def current(self) -> QuestionnaireVersion:
        """Return the version a code opened now starts on: the published one, else the
        last retired one (a code given out before it was retired still works); never a
        draft."""
        shown = [v for v in self.versions if v.status != VersionStatus.DRAFT]
        if not shown:
            raise LookupError(f"questionnaire {self.slug!r} has no published version")
        return self.published or shown[-1]


class QuestionnaireVersion(Base):
    """One immutable version: responses point at the exact questions the child saw."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "number"),
        CheckConstraint("status = 'draft' OR published_at IS NOT NULL",
                        name="shown_once_published"),
        CheckConstraint("(status = 'retired') = (retired_at IS NOT NULL)",
                        name="retired_when_retired"),
        # At most one version of a questionnaire is the one new codes use.
        Index("ix_questionnaire_versions_one_published", "questionnaire_id", unique=True,
              sqlite_where=text("status = 'published'"),
              postgresql_where=text("status = 'published'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"))
    number: Mapped[int]
    #: Titles and questions in every language (see docs/questionnaires.md).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[VersionStatus] = mapped_column(enum_type(VersionStatus, "version_status"),
                                                  default=VersionStatus.DRAFT)
    #: When it was first published (kept when it is retired).
    published_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]
    #: The administrator who uploaded it; null when installed from the command line.
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL"))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="versions")


#: What makes a version what it is: never changed once stored.
FIXED = ("definition", "number", "questionnaire_id")


@event.listens_for(QuestionnaireVersion, "before_update")
def _refuse_changing_a_version(_mapper: Any, _connection: Any,
                               version: QuestionnaireVersion) -> None:
    """Refuse to change a stored version's questions: upload a new version instead."""
    state = inspect(version)
    changed = [name for name in FIXED if state.attrs[name].history.has_changes()]
    if changed:
        raise ValueError(f"a questionnaire version is never changed ({', '.join(changed)}): "
                         "add a new version instead")
