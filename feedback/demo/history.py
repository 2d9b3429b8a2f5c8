"""A case's history in the demo: the child's answers on the days its calendar says, each
sent with an access code a worker gave them, and what the team did about them.

Comments are read (most within two working days, a few late, the last few days'
partly not yet), worrying answers raise alerts acknowledged within the hour (and
closed ten days later), some
comments become plan actions (done or not as their age makes likely) and replies
are shared with the child, who sees them the next time they answer.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from feedback.models import (
    AccessCode, ActionStatus, Alert, AlertReason, AlertState, AlertTier, Answer, Case, Comment,
    CommentLink, PlanAction, QuestionnaireVersion, Reply, ReplyKind, Response, StaffUser,
)
from feedback.services import codes
from feedback.services.analysis import is_urgent, needs_alert, reasons_of
from feedback.services.working_time import add_working_days, add_working_hours
from feedback.theming import Analysis

#: Where each questionnaire asks what is not going well.
WORRY_QUESTIONS = {"how-are-things": "not_good", "my-meeting": "worries",
                   "three-houses": "houses.worries"}
_KINDS = {"worries": "worries", "not_good": "worries", "want_to_happen": "wishes",
          "who_there": "wishes", "tell_chair": "wishes", "dreams": "wishes"}
#: Plan actions a worker might agree, by plan section.
ACTIONS = {
    "family": ["Arrange extra family time", "Set up a weekly video call with dad",
               "Plan a visit to see your brother"],
    "school": ["Talk to school about support", "Ask school for a quiet place at break"],
    "activities": ["Find a local club", "Book swimming lessons"],
    "being_heard": ["Explain the review decisions", "Ask an advocate to join the next review"],
}
OUTCOMES = ["Done, and we checked with you that it helped.", "Sorted in the last visit.",
            "Agreed at the review and now happening."]
REPLIES = ["We talked about this and have put it in your plan.",
           "Thank you for telling me. I have spoken to your carers and we are sorting it.",
           "I asked about this for you: it is now in your plan and I will tell you how it goes."]
THANKS = ["Thank you for telling me, that is brilliant news!",
          "That sounds great. Keep telling me the good things too."]
#: An alert is closed this long after it was acknowledged.
CLOSED_AFTER = timedelta(days=10)
CHAIR = "The chair read your words at the review, and the plan now says what will change."
NOTES = {"spoke_to_child": "Visited the same day and agreed a safety plan.",
         "safety_plan": "Safety plan agreed with the child and carers.",
         "referred_front_door": "Referred to the front door; strategy discussion booked.",
         "no_concern": "Spoke to the child and carers: no safeguarding concern."}


def _pick_text(rng: random.Random, pool: dict[str, Any], kind: str, language: str) -> str:
    if language != "en" and rng.random() < 0.7:
        texts = [c["text"] for c in pool["other_languages"] if c["lang"] == language]
        if texts:
            return str(rng.choice(texts))
    return str(rng.choice(pool[kind]))


def _answers(rng: random.Random, response: Response, version: QuestionnaireVersion,
             pool: dict[str, Any], language: str) -> None:
    for question in version.definition["questions"]:
        key, kind = question["key"], question["type"]
        if kind == "faces":
            response.answers.append(Answer(question_key=key, value=str(rng.randint(1, 5))))
        elif kind == "choice":
            value = rng.choice(question["options"])["value"]
            response.answers.append(Answer(question_key=key, value=value))
        elif kind == "text" and rng.random() < 0.6:
            text = _pick_text(rng, pool, _KINDS.get(key, "good"), language)
            response.comments.append(Comment(question_key=key, language=language, text=text))
        elif kind == "three_houses":
            for house in question["houses"]:
                text = _pick_text(rng, pool, _KINDS.get(house["key"], house["key"].replace(
                    "good_things", "good")), language)
                response.comments.append(Comment(question_key=f"{key}.{house['key']}",
                                                 language=language, text=text))


def _worry(response: Response, slug: str, text: str, language: str) -> None:
    """Put something worrying in the answer to the questionnaire's worry question."""
    key = WORRY_QUESTIONS[slug]
    found = [c for c in response.comments if c.question_key == key]
    if found:
        found[0].text = text
    else:
        response.comments.append(Comment(question_key=key, language=language, text=text))


def _slug(rng: random.Random, number: int, index: int) -> str:
    """Young children (every fifth case) use the three houses; a review every few times."""
    if index % 5 == 4:
        return "my-meeting"
    if number % 5 == 2:
        return "three-houses" if rng.random() < 0.85 else "how-are-things"
    return "how-are-things"


def write_answers(session: Session, rng: random.Random, case: Case, plan: Any,
                  versions: Mapping[str, QuestionnaireVersion], pool: dict[str, Any],
                  worker: StaffUser, used: set[str]) -> list[tuple[Response, AccessCode]]:
    """Store the child's answers on the days of their calendar, each with the code it was
    sent with (the caller links them once both have their ids)."""
    responses = []
    for index, moment in enumerate(plan.answered):
        slug = _slug(rng, plan.number, index)
        version = versions[slug]
        response = Response(case=case, questionnaire_version=version,
                            language=case.preferred_language, submitted_at=moment,
                            submitted_on=moment.date(),
                            idempotency_key=f"{rng.getrandbits(128):032x}")
        _answers(rng, response, version, pool, case.preferred_language)
        if index in plan.worrying:
            _worry(response, slug, rng.choice(pool["disclosures"]), case.preferred_language)
        issued = max(moment - timedelta(hours=rng.randint(1, 120)), plan.opened_at)
        code = AccessCode(
            case=case, questionnaire_id=version.questionnaire_id,
            code_digest=codes.digest(new_code(rng, used)), response_key=response.idempotency_key,
            created_by_id=worker.id, created_at=issued, expires_at=issued + timedelta(days=7),
            started_at=max(issued, moment - timedelta(minutes=rng.randint(4, 25))),
            used_at=moment)
        session.add_all([code, response])
        responses.append((response, code))
    return responses


def new_code(rng: random.Random, used: set[str]) -> str:
    """A code no other demo code has (drawn from the seeded generator)."""
    while True:
        code = "".join(rng.choice(codes.ALPHABET) for _ in range(codes.CODE_LENGTH))
        if code not in used:
            used.add(code)
            return code


def _alert(session: Session, rng: random.Random, case: Case, response: Response,
           flagged: Sequence[tuple[Comment, Analysis | None]], staff: Sequence[StaffUser],
           now: datetime) -> None:
    """The alert the detector raised, acknowledged within the hour or so."""
    ordered = sorted(flagged, key=lambda pair: not is_urgent(pair[1]))
    reasons = dict.fromkeys(r for _, result in ordered for r in reasons_of(result))
    created = response.submitted_at or now
    alert = Alert(case=case, comment=ordered[0][0], response=response,
                  reason=AlertReason.DETECTOR,
                  tier=AlertTier.URGENT if is_urgent(ordered[0][1]) else AlertTier.CONCERN,
                  detail="; ".join(reasons)[:500], created_at=created)
    _acknowledge(rng, alert, created, staff, now)
    if alert.acknowledged_at is not None:
        for comment in response.comments:
            comment.read_at, comment.read_by_id = alert.acknowledged_at, alert.acknowledged_by_id
    session.add(alert)


def _acknowledge(rng: random.Random, alert: Alert, created: datetime,
                 staff: Sequence[StaffUser], now: datetime) -> None:
    # Within 100 minutes: always inside the 2 working hours, whenever it was raised.
    acknowledged = created + timedelta(minutes=rng.randint(8, 100))
    if acknowledged > now:
        return
    action = rng.choice(list(NOTES))
    alert.state, alert.acknowledged_at = AlertState.ACKNOWLEDGED, acknowledged
    alert.acknowledged_by_id = rng.choice(staff).id
    alert.action_taken, alert.action_note = action, NOTES[action]
    if acknowledged + CLOSED_AFTER <= now:  # dealt with: its case's words may be quoted again
        alert.state, alert.closed_at = AlertState.CLOSED, acknowledged + CLOSED_AFTER


def follow_up(session: Session, rng: random.Random, case: Case, responses: Sequence[Response],
              results: Mapping[Comment, Analysis | None], staff: Sequence[StaffUser],
              now: datetime, deck: StatusDeck) -> None:
    """What the worker (``staff[0]``) and their manager did about each answer."""
    times = [r.submitted_at for r in responses if r.submitted_at is not None]
    for response in responses:
        sent = response.submitted_at or now
        later = [t for t in times if t > sent]
        flagged = [(c, results[c]) for c in response.comments if needs_alert(results[c])]
        if flagged:
            _alert(session, rng, case, response, flagged, staff, now)
        elif rng.random() < 0.04:  # the child pressed "I need help now" on the way
            alert = Alert(case=case, reason=AlertReason.BUTTON, detail="asked for help now",
                          created_at=sent - timedelta(minutes=rng.randint(2, 10)))
            _acknowledge(rng, alert, alert.created_at, staff, now)
            session.add(alert)
        for comment in response.comments:
            if comment.read_at is None:
                _read(rng, comment, sent, staff, now)
            if comment.read_at is not None and not flagged:
                _act(session, rng, deck, case, comment, staff[0], now,
                     later[0] if later else None)


def _read(rng: random.Random, comment: Comment, sent: datetime, staff: Sequence[StaffUser],
          now: datetime) -> None:
    draw = rng.random()
    if draw < 0.9:
        read = add_working_hours(sent, rng.uniform(0.3, 12))
    else:  # a busy week: read late
        read = add_working_days(sent, rng.randint(3, 8))
    if read <= now and (now - sent > timedelta(days=7) or rng.random() < 0.5):
        comment.read_at = read
        comment.read_by_id = (staff[1] if rng.random() < 0.15 else staff[0]).id


class StatusDeck:
    """Deals plan actions' statuses in their age band's shares, exactly.

    Old actions are mostly done and the last few weeks' mostly not yet. Dealt
    by shares rather than drawn at random, every band keeps its shape however
    many actions there are: which comments the analyser flags changes how many
    actions the demo makes, never what the board shows of their progress.
    """

    def __init__(self) -> None:
        self.dealt: dict[tuple[float, ...], dict[ActionStatus, int]] = {}

    @staticmethod
    def shares(age: timedelta) -> dict[ActionStatus, float]:
        """The shares of an action's status at this age."""
        done, progress, dropped = ((0.75, 0.1, 0.15) if age > timedelta(days=150) else
                                   (0.6, 0.3, 0.05) if age > timedelta(days=60) else
                                   (0.4, 0.45, 0.0) if age > timedelta(days=14) else
                                   (0.1, 0.4, 0.0))
        return {ActionStatus.DONE: done, ActionStatus.IN_PROGRESS: progress,
                ActionStatus.DROPPED: dropped,
                ActionStatus.OPEN: round(1 - done - progress - dropped, 2)}

    def deal(self, age: timedelta) -> ActionStatus:
        """The status furthest behind its share in this age's band."""
        shares = self.shares(age)
        counts = self.dealt.setdefault(tuple(shares.values()), dict.fromkeys(shares, 0))
        dealt = sum(counts.values()) + 1
        status = max(shares, key=lambda s: shares[s] * dealt - counts[s])
        counts[status] += 1
        return status


def _act(session: Session, rng: random.Random, deck: StatusDeck, case: Case, comment: Comment,
         worker: StaffUser, now: datetime, next_answer: datetime | None) -> None:
    """Maybe turn the comment into a plan action and tell the child; maybe just thank them."""
    read = comment.read_at
    assert read is not None
    asks = comment.question_key.split(".")[-1] not in ("good", "going_well", "good_things")
    if comment.question_key == "tell_chair" and rng.random() < 0.5:
        _reply(session, rng, case, comment, None, read + timedelta(days=rng.randint(3, 10)),
               now, next_answer, CHAIR, ReplyKind.CHAIR_RESPONSE, worker)
    elif rng.random() < (0.45 if asks else 0.06):
        section = rng.choice(list(ACTIONS))
        created = min(read + timedelta(hours=rng.randint(0, 48)), now)
        status = deck.deal(now - created)
        action = PlanAction(case=case, title=rng.choice(ACTIONS[section]), section=section,
                            owner=worker.name, due_on=(created + timedelta(days=28)).date(),
                            status=status, created_by_id=worker.id, created_at=created,
                            outcome=rng.choice(OUTCOMES) if status == ActionStatus.DONE
                            else None)
        session.add(action)
        session.add(CommentLink(comment=comment, plan_action=action, created_by_id=worker.id,
                                created_at=created))
        if rng.random() < 0.65:
            _reply(session, rng, case, comment, action,
                   created + timedelta(hours=rng.randint(4, 240)), now, next_answer,
                   rng.choice(REPLIES), ReplyKind.REPLY, worker)
    elif not asks and rng.random() < 0.1:
        _reply(session, rng, case, comment, None, read + timedelta(hours=rng.randint(1, 48)),
               now, next_answer, rng.choice(THANKS), ReplyKind.REPLY, worker)


def _reply(session: Session, rng: random.Random, case: Case, comment: Comment,
           action: PlanAction | None, shared: datetime, now: datetime,
           next_answer: datetime | None, text: str, kind: ReplyKind, worker: StaffUser) -> None:
    if shared > now:
        return
    seen = next_answer if next_answer is not None and next_answer > shared else None
    session.add(Reply(case=case, comment=comment,
                      plan_action=action, kind=kind, text=text, is_shared_with_child=True,
                      shared_at=shared, seen_by_child_at=seen, created_by_id=worker.id,
                      created_at=shared - timedelta(minutes=rng.randint(5, 90))))
