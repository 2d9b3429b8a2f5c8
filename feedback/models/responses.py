"""What a child said: a response, its answers and its free-text comments."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

if TYPE_CHECKING:
    from feedback.models.alerts import Alert
    from feedback.models.plans import CommentLink, Reply
    from feedback.models.staff import StaffUser
    from feedback.models.themes import ThemeTag

from feedback.models.base import Base, enum_type
from feedback.models.cases import Case
from feedback.models.questionnaires import QuestionnaireVersion
from feedback.models.sessions import ParticipationSession


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"
    NEUTRAL = "neutral"


class AgeBand(StrEnum):
    UNDER_11 = "7-10"
    FROM_11 = "11-13"
    FROM_14 = "14-15"
    FROM_16 = "16-18"


class Response(Base):
    """One submission, for a case (identified) or a session (anonymous)."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint("(case_id IS NULL) <> (session_id IS NULL)",
                        name="case_xor_session"),
        # An anonymous response keeps no identity and no time finer than the day.
        CheckConstraint("session_id IS NULL OR "
                        "(submitted_at IS NULL AND access_code_id IS NULL)",
                        name="anonymous_has_no_identity"),
        CheckConstraint("case_id IS NULL OR submitted_at IS NOT NULL",
                        name="case_response_has_time"),
        Index("ix_responses_case_submitted", "case_id", "submitted_on"),
        Index("ix_responses_session_submitted", "session_id", "submitted_on"),
        # Board summaries: a period's responses and their place in every breakdown, from
        # the index alone.
        Index("ix_responses_board", "submitted_on", "case_id", "session_id",
              "questionnaire_version_id", "age_band"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("participation_sessions.id", ondelete="CASCADE"))
    #: Null for a message sent from the help page rather than a questionnaire.
    questionnaire_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_versions.id", ondelete="RESTRICT"))
    access_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("access_codes.id", ondelete="SET NULL"))
    #: Language the child answered in (BCP 47 tag).
    language: Mapped[str] = mapped_column(String(16))
    #: Found by date through ``ix_responses_board``, which leads with it.
    submitted_on: Mapped[date] = mapped_column()
    #: Case responses only.
    submitted_at: Mapped[datetime | None]
    age_band: Mapped[AgeBand | None] = mapped_column(enum_type(AgeBand, "age_band"))
    #: Issued with the form; a resend with the same key stores nothing new.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)

    case: Mapped[Case | None] = relationship()
    session: Mapped[ParticipationSession | None] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True)
    comments: Mapped[list[Comment]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True)
    #: The alert this submission raised, if any (at most one).
    alerts: Mapped[list[Alert]] = relationship(viewonly=True,
                                               primaryjoin="Alert.response_id == Response.id")


class Answer(Base):
    """A scale or choice answer (free text is a ``Comment``)."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(60))

    response: Mapped[Response] = relationship(back_populates="answers")


#: The question key of a message sent with the help button ("help_message.2" for a
#: second message added to the same alert).
HELP_QUESTION = "help_message"


class Comment(Base):
    """A child's words: a free-text answer, read by a person and themed."""

    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("response_id", "question_key"),
        CheckConstraint("(read_at IS NULL) = (read_by_id IS NULL)", name="read_by_someone"),
        # Board summaries: feelings and reading times per response, from the index alone.
        Index("ix_comments_board", "response_id", "sentiment", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Found by response through the unique (response, question) index, which leads with it.
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    #: Detected by the theming module (may differ from the page language).
    language: Mapped[str] = mapped_column(String(16))
    sentiment: Mapped[Sentiment | None] = mapped_column(enum_type(Sentiment, "sentiment"))
    polarity: Mapped[float | None]
    #: A person must read it closely: language not analysed, or analysis failed.
    needs_review: Mapped[bool] = mapped_column(default=False)
    read_at: Mapped[datetime | None]
    read_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="RESTRICT"))

    response: Mapped[Response] = relationship(back_populates="comments")
    read_by: Mapped[StaffUser | None] = relationship()
    tags: Mapped[list[ThemeTag]] = relationship(
        back_populates="comment", order_by="ThemeTag.theme", viewonly=True)
    alerts: Mapped[list[Alert]] = relationship(back_populates="comment", viewonly=True)
    links: Mapped[list[CommentLink]] = relationship(back_populates="comment", viewonly=True)
    replies: Mapped[list[Reply]] = relationship(
        back_populates="comment", order_by="Reply.created_at", viewonly=True)

    @property
    def is_help_message(self) -> bool:
        """Was it written with the "I don't feel safe" button, not as an answer?"""
        return self.question_key.partition(".")[0] == HELP_QUESTION

    @property
    def raised_alert(self) -> bool:
        """Did these words, or their submission, raise an alert? Then they never leave
        the case (services/quotes.py is_quotable says the same in SQL)."""
        return bool(self.alerts or self.response.alerts) or self.is_help_message

    @property
    def analysis_failed(self) -> bool:
        """Did the theming module fail on it (no feeling was stored), so nothing checked it?"""
        return self.needs_review and self.sentiment is None
