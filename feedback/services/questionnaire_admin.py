"""Administrators keep questionnaires: upload a version, publish it, retire it.

A stored version is never changed (``models/questionnaires.py`` refuses it); a
version a child may have seen is never deleted. Only a draft, which no child has
seen, can be deleted, and only while nothing points at it. Every change is audited.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from feedback.models import (
    AccessCode, ParticipationSession, Questionnaire, QuestionnaireVersion, Response, Role,
    StaffUser, utcnow,
)
from feedback.models.questionnaires import VersionStatus
from feedback.services import audit, questionnaire_files, questionnaires


class QuestionnaireAdminError(Exception):
    """A change was refused; ``code`` says why (the page words it)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        #: ``not_admin``, ``same_as`` (an upload holds a stored version), ``not_draft``,
        #: ``in_use`` (responses or started codes point at it), ``not_published``,
        #: ``published`` already.
        self.code = code
        #: For ``same_as``: the version that holds it already.
        self.version: QuestionnaireVersion | None = None


@dataclass(frozen=True)
class Use:
    """What points at a version: sent responses, and codes started and not sent yet."""

    responses: int = 0
    in_progress: int = 0

    @property
    def is_used(self) -> bool:
        return bool(self.responses or self.in_progress)


def _require_admin(by: StaffUser) -> None:
    if by.role != Role.ADMIN or not by.is_active:
        raise QuestionnaireAdminError("not_admin")


def _record(session: Session, action: str, version: QuestionnaireVersion, by: StaffUser,
            request_id: str | None) -> None:
    audit.record(session, action, actor=by, object_type="questionnaire_version",
                 object_id=version.id, request_id=request_id,
                 detail={"questionnaire": version.questionnaire.slug,
                         "number": version.number, "status": version.status.value})


def all_questionnaires(session: Session) -> list[Questionnaire]:
    """Return every questionnaire with its versions, by slug."""
    return list(session.scalars(select(Questionnaire)
                                .options(selectinload(Questionnaire.versions))
                                .order_by(Questionnaire.slug)))


def uses(session: Session) -> dict[int, Use]:
    """Return what points at each version, by version id (in two queries)."""
    sent = dict(session.execute(select(Response.questionnaire_version_id, func.count())
                                .where(Response.questionnaire_version_id.is_not(None))
                                .group_by(Response.questionnaire_version_id)).all())
    # A started code keeps its version in its draft (codes.keep_answers): read only that.
    drafts = session.scalars(select(AccessCode.draft).where(AccessCode.draft.is_not(None)))
    started = Counter(int(json.loads(draft)["version_id"]) for draft in drafts if draft)
    return {vid: Use(int(sent.get(vid, 0)), started.get(vid, 0))
            for vid in set(sent) | set(started) if vid is not None}


def use_of(session: Session, version: QuestionnaireVersion) -> Use:
    """Return what points at one version."""
    return uses(session).get(version.id, Use())


def upload(session: Session, text: str, *, by: StaffUser, publish: bool,
           request_id: str | None = None) -> QuestionnaireVersion:
    """Store an uploaded definition as a new version (a draft unless ``publish``).

    Raise ``questionnaire_files.UploadError`` listing every problem by line, or
    ``QuestionnaireAdminError("same_as")`` when a stored version holds it already.
    """
    _require_admin(by)
    definition = questionnaire_files.read(text)
    questionnaire = session.scalar(select(Questionnaire)
                                   .where(Questionnaire.slug == definition["slug"]))
    same = questionnaires.same_as(questionnaire, definition) if questionnaire else None
    if same is not None:
        error = QuestionnaireAdminError("same_as")
        error.version = same
        raise error
    version = questionnaires.save(session, definition, publish=False, by=by)
    assert version is not None
    _record(session, "questionnaire.upload", version, by, request_id)
    if publish:
        publish_version(session, version, by=by, request_id=request_id)
    return version


def publish_version(session: Session, version: QuestionnaireVersion, *, by: StaffUser,
                    request_id: str | None = None) -> QuestionnaireVersion | None:
    """Make ``version`` the one new codes use; return the version it replaces, retired."""
    _require_admin(by)
    if version.status == VersionStatus.PUBLISHED:
        raise QuestionnaireAdminError("published")
    before = version.questionnaire.published
    questionnaires.make_published(session, version)
    if before is not None:
        _record(session, "questionnaire.retire", before, by, request_id)
    _record(session, "questionnaire.publish", version, by, request_id)
    return before


def retire_version(session: Session, version: QuestionnaireVersion, *, by: StaffUser,
                   request_id: str | None = None) -> None:
    """Stop new codes using ``version``; codes started on it and its responses stay."""
    _require_admin(by)
    if version.status != VersionStatus.PUBLISHED:
        raise QuestionnaireAdminError("not_published")
    version.status, version.retired_at = VersionStatus.RETIRED, utcnow()
    session.flush()
    _record(session, "questionnaire.retire", version, by, request_id)


def delete_draft(session: Session, version: QuestionnaireVersion, *, by: StaffUser,
                 request_id: str | None = None) -> None:
    """Delete a draft nobody has used (a published or retired version is kept for good)."""
    _require_admin(by)
    if version.status != VersionStatus.DRAFT:
        raise QuestionnaireAdminError("not_draft")
    if use_of(session, version).is_used:
        raise QuestionnaireAdminError("in_use")
    _record(session, "questionnaire.delete_draft", version, by, request_id)
    questionnaire = version.questionnaire
    questionnaire.versions.remove(version)
    session.delete(version)
    session.flush()
    if not questionnaire.versions and not _has_codes(session, questionnaire):
        session.delete(questionnaire)  # an upload's new questionnaire goes with its draft
        session.flush()


def _has_codes(session: Session, questionnaire: Questionnaire) -> bool:
    return any(session.scalar(select(func.count()).where(model.questionnaire_id
                                                         == questionnaire.id))
               for model in (AccessCode, ParticipationSession))
