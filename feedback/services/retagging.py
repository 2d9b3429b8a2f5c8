"""Re-analyse stored comments, and learn from workers' theme decisions.

A worker's decision (a confirmed, added or removed theme) is never changed
here: re-tagging replaces only the machine's own suggestions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from feedback.models import Comment, Response, TagOrigin, TagStatus, ThemeTag
from feedback.services.alerts import Mail
from feedback.services.analysis import CommentAnalyser, analyse_comment
from feedback.theming.evaluation import LabelledExample


def comment_batches(session: Session, size: int = 500) -> Iterator[Sequence[Comment]]:
    """Yield every comment in id order, a batch at a time."""
    last = 0
    while True:
        batch = session.scalars(
            # Express cards tapped with no words leave an empty comment: nothing to read.
            select(Comment).where(Comment.id > last, Comment.text != "")
            .order_by(Comment.id).limit(size)
            .options(selectinload(Comment.response).selectinload(Response.case),
                     selectinload(Comment.response).selectinload(Response.session))).all()
        if not batch:
            return
        yield batch
        last = batch[-1].id


def retag(session: Session, comments: Sequence[Comment], analyser: CommentAnalyser,
          mail: Mail | None) -> int:
    """Re-analyse comments; an unread comment newly flagged raises an alert. Return alerts."""
    raised = 0
    for comment in comments:
        alert = analyse_comment(session, comment, analyser, case=comment.response.case,
                                event=comment.response.session, mail=mail,
                                raise_alerts=comment.read_at is None)
        raised += alert is not None
    session.flush()
    return raised


@dataclass(frozen=True)
class Corrections:
    examples: list[LabelledExample]

    def split(self, every: int = 5) -> tuple[list[LabelledExample], list[LabelledExample]]:
        """Return (training, held out): every fifth comment is held out for evaluation."""
        held = [e for n, e in enumerate(self.examples) if n % every == every - 1]
        train = [e for n, e in enumerate(self.examples) if n % every != every - 1]
        return train, held


def worker_corrections(session: Session) -> Corrections:
    """Return comments a worker has reviewed, labelled with the themes they ended up with."""
    reviewed = select(ThemeTag.comment_id).where(ThemeTag.origin == TagOrigin.WORKER)
    comments = session.scalars(select(Comment).where(Comment.id.in_(reviewed))
                               .options(selectinload(Comment.tags)).order_by(Comment.id)).all()
    return Corrections([
        LabelledExample(text=c.text, id=str(c.id), language=c.language,
                        themes=frozenset(t.theme for t in c.tags
                                         if t.status != TagStatus.REMOVED))
        for c in comments])
