"""Whole journeys through the child's pages, and what they should leave in the database.

Each journey is written as the child's actions (``ChildPages``); the expected rows are
read back through the test's own database session, which shares the live server's
database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from feedback.extensions import db
from feedback.models import Response
from pages import ChildPages

CASE_THANKS = ("Your social worker or someone in their team will read what you wrote "
               "within 2 working days.")
SESSION_THANKS = "The people running this session will read what you wrote."
#: What the database keeps for a face or a choice the child tapped.
STORED_VALUES = {"Very sad": "1", "Sad": "2", "OK": "3", "Happy": "4", "Very happy": "5",
                 "Not safe at all": "1", "Not very safe": "2", "A bit safe": "3", "Safe": "4",
                 "Very safe": "5",
                 "Yes": "yes", "A bit": "a_bit", "No": "no", "Sometimes": "sometimes"}


@dataclass(frozen=True)
class HowAreThings:
    """One child's answers to "How are things?", as the words on the page."""

    overall: str = "Happy"
    home: str = "OK"
    good: str = "Going to the park with my foster carer on Saturdays"
    not_good: str = "My brother moved away and I miss him"
    listened: str = "A bit"
    anything_else: str = ""

    def stored_answers(self) -> dict[str, str]:
        return {"overall": STORED_VALUES[self.overall], "home": STORED_VALUES[self.home],
                "listened": STORED_VALUES[self.listened]}

    def stored_comments(self) -> dict[str, str]:
        texts = {"good": self.good, "not_good": self.not_good,
                 "anything_else": self.anything_else}
        return {key: text for key, text in texts.items() if text}


@dataclass(frozen=True)
class BoardSession:
    """One young person's answers at a participation session."""

    age: str = "14-15"
    feel_safe: str = "Not very safe"  # the safety scale's words
    safe_places: str = "My youth club and my best friend's house"
    unsafe: str = ""
    heard: str = "Sometimes"
    change_one_thing: str = "More buses in the evening"


def answer_how_are_things(child: ChildPages, answers: HowAreThings) -> None:
    """From the welcome page, answer all six questions and arrive at "Check your answers"."""
    child.start_questions()
    child.answer_face(answers.overall)
    child.continue_()
    child.answer_face(answers.home)
    child.continue_()
    child.answer_text(answers.good)
    child.continue_()
    child.answer_text(answers.not_good)
    child.continue_()
    child.choose(answers.listened)
    child.continue_()
    child.answer_text(answers.anything_else)
    child.continue_()


def answer_board_session(child: ChildPages, answers: BoardSession) -> None:
    """From the welcome page, answer the session's six questions and arrive at the check page."""
    child.start_questions()
    child.choose(answers.age)
    child.continue_()
    child.answer_face(answers.feel_safe)
    child.continue_()
    child.answer_text(answers.safe_places)
    child.continue_()
    child.answer_text(answers.unsafe)
    child.continue_()
    child.choose(answers.heard)
    child.continue_()
    child.answer_text(answers.change_one_thing)
    child.continue_()


def stored_responses() -> list[Response]:
    """Every response in the database now, oldest first (a fresh read, not the test's cache)."""
    db.session.rollback()  # end any read transaction that began before the browser wrote
    return list(db.session.scalars(select(Response).order_by(Response.id)))


def comments_of(response: Response) -> dict[str, str]:
    return {comment.question_key: comment.text for comment in response.comments}


def answers_of(response: Response) -> dict[str, str]:
    return {answer.question_key: answer.value for answer in response.answers}
