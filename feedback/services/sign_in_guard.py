"""Sign-in protection that holds when tries arrive in parallel.

Every try takes a place in its counters *before* a password or code is checked,
by one conditional UPDATE per counter (``attempts = attempts + 1 … WHERE attempts <
limit``): the database serialises those, so 32 tries at once cannot check more than
the limit, on SQLite or PostgreSQL. The caller commits right after ``admit`` so the
places are visible to every other try, then checks the secret.

Three rules (docs/sign-in.md):

- **account at an address**: 5 tries in 15 minutes, then that address is locked out
  of that account until 15 minutes after its last try. Another address is not.
- **account**: anywhere, 10 tries in 15 minutes are free; after that every try
  waits for the one before (1, 2, 4 … 60 seconds). A slow-down, never a lock, so
  nobody can lock a worker out of their own office from elsewhere.
- **address** (passwords only): 30 tries in 15 minutes across all accounts, so one
  address cannot try a password on every account.

A try that succeeds gives its places back (``succeeded``); a failure keeps them.
Passwords and second-factor codes count separately, so knowing the password does
not widen the guesses at the code.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, literal, or_, select, update
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import Session

from feedback.database import DIALECT_INSERTS
from feedback.models import SignInCounter

WINDOW_SECONDS = 15 * 60
#: Counters whose window ended this long ago are deleted (``succeeded``).
KEEP_EXPIRED_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Rule:
    """A counter: ``limit`` tries per window, ``free`` of them before each waits."""

    name: str
    limit: int | None
    free: int | None = None
    max_wait: float = 60.0


ACCOUNT_AT_ADDRESS = Rule("account-address", limit=5)
ACCOUNT = Rule("account", limit=None, free=10)
ADDRESS = Rule("address", limit=30)

#: What the password step and the second-factor step each count.
PASSWORD_RULES = (ACCOUNT_AT_ADDRESS, ACCOUNT, ADDRESS)
CODE_RULES = (ACCOUNT_AT_ADDRESS, ACCOUNT)


class SignInThrottledError(Exception):
    """Too many tries: nothing was checked. ``wait_seconds`` says for how long."""

    def __init__(self, rule: Rule, wait_seconds: int) -> None:
        super().__init__(f"{rule.name}: wait {wait_seconds}s")
        self.rule = rule
        self.wait_seconds = wait_seconds

    @property
    def is_locked(self) -> bool:
        """Locked (this account from this address), rather than slowed down."""
        return self.rule.limit is not None


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the step (``password`` or ``code``), the account and the address."""

    step: str
    account: str
    address: str

    def key(self, rule: Rule) -> str:
        subject = {"account-address": f"{self.account}\0{self.address}",
                   "account": self.account, "address": self.address}[rule.name]
        return hashlib.sha256(f"{self.step}\0{rule.name}\0{subject}".encode()).hexdigest()

    @property
    def rules(self) -> tuple[Rule, ...]:
        return PASSWORD_RULES if self.step == "password" else CODE_RULES


_table = SignInCounter.__table__
_c = _table.c


def _wait_for(attempts: ColumnElement[int], rule: Rule) -> ColumnElement[float]:
    """The seconds the try after this one must wait: 0, then 1, 2, 4 … ``max_wait``."""
    if rule.free is None:
        return literal(0.0)
    doublings = int(math.log2(rule.max_wait)) + 1
    return case((attempts <= rule.free, 0.0),
                *[(attempts == rule.free + n, float(2 ** (n - 1)))
                  for n in range(1, doublings + 1)],
                else_=rule.max_wait)


def _take_place(session: Session, key: str, rule: Rule, now: float) -> bool:
    """Count one try against ``key`` unless the rule refuses it; say whether it counted."""
    insert = DIALECT_INSERTS[session.get_bind().dialect.name](_table)
    session.execute(insert.values(key=key, attempts=0, window_ends_epoch=0.0,
                                  wait_until_epoch=0.0)
                    .on_conflict_do_nothing(index_elements=[_c.key]))
    expired = _c.window_ends_epoch <= now
    attempts: ColumnElement[int] = case((expired, 1), else_=_c.attempts + 1)
    allowed = [_c.wait_until_epoch <= now]
    if rule.limit is not None:
        allowed.append(_c.attempts < rule.limit)
    wait = _wait_for(attempts, rule)
    statement = (update(_table)
                 .where(_c.key == key, or_(expired, and_(*allowed)))
                 .values(attempts=attempts, window_ends_epoch=now + WINDOW_SECONDS,
                         # No wait sets no deadline: parallel tries read the clock
                         # and then take their places in another order, and one that
                         # read it a moment earlier must not be refused for it.
                         wait_until_epoch=case((wait > 0, now + wait), else_=0.0)))
    return _rowcount(session.execute(statement)) == 1


def _rowcount(result: Result[object]) -> int:
    assert isinstance(result, CursorResult)
    return result.rowcount


def _give_back(session: Session, key: str) -> None:
    session.execute(update(_table).where(_c.key == key, _c.attempts > 0)
                    .values(attempts=_c.attempts - 1))


def _wait_seconds(session: Session, key: str, rule: Rule, now: float) -> int:
    row = session.execute(select(_c.window_ends_epoch, _c.wait_until_epoch)
                          .where(_c.key == key)).one()
    until = row.window_ends_epoch if rule.limit is not None else row.wait_until_epoch
    return max(1, math.ceil(until - now))


def admit(session: Session, attempt: Attempt, now: float | None = None) -> None:
    """Count this try against each of its rules, or raise ``SignInThrottledError``.

    A refused try counts against none of them: places already taken are given back.
    """
    now = time.time() if now is None else now
    taken: list[str] = []
    for rule in attempt.rules:
        key = attempt.key(rule)
        if not _take_place(session, key, rule, now):
            for earlier in taken:
                _give_back(session, earlier)
            session.flush()
            raise SignInThrottledError(rule, _wait_seconds(session, key, rule, now))
        taken.append(key)
    session.flush()


def succeeded(session: Session, attempt: Attempt, now: float | None = None) -> None:
    """Forget this account's failures; give the address back the place this try took.

    Counters whose window ended a day ago go too: sign-ins are few, so this keeps
    the table to about a day of tries without a job of its own.
    """
    now = time.time() if now is None else now
    purge_expired(session, now - KEEP_EXPIRED_SECONDS)
    for rule in attempt.rules:
        key = attempt.key(rule)
        if rule is ADDRESS:
            _give_back(session, key)
        else:
            session.execute(update(_table).where(_c.key == key)
                            .values(attempts=0, wait_until_epoch=0.0))
    session.flush()


def purge_expired(session: Session, now: float | None = None) -> int:
    """Delete counters whose window has ended (they would start again from nothing)."""
    now = time.time() if now is None else now
    result = session.execute(_table.delete().where(_c.window_ends_epoch <= now,
                                                   _c.wait_until_epoch <= now))
    return _rowcount(result)
