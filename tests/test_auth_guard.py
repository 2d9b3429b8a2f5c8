"""Sign-in protection under attack: parallel tries, locks per address, slow-downs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from apps import AuthActions, totp_code
from feedback.extensions import db
from feedback.models import AuditEvent, Outcome, Role, SignInCounter
from feedback.services import accounts, sign_in_guard
from feedback.services.sign_in_guard import ACCOUNT, ACCOUNT_AT_ADDRESS, Attempt

PARALLEL = 32


@pytest.fixture()
def checked(monkeypatch):
    """Count the passwords really checked (argon2 verifications)."""
    calls = []
    lock = threading.Lock()
    real = accounts.verify_password

    def counting(password_hash, password):
        with lock:
            calls.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    return calls


def _parallel_tries(app, email, addresses):
    start = threading.Barrier(len(addresses))

    def attempt(address):
        client = app.test_client()
        start.wait()
        return client.post("/staff/sign-in", data={"email": email, "password": "wrong-password"},
                           environ_base={"REMOTE_ADDR": address}).status_code

    with ThreadPoolExecutor(len(addresses)) as pool:
        return list(pool.map(attempt, addresses))


@pytest.mark.slow
def test_32_parallel_tries_from_one_address_check_no_more_than_the_limit(
        app, create_user, checked):
    user = create_user(Role.WORKER)
    statuses = _parallel_tries(app, user.email, ["10.1.1.1"] * PARALLEL)
    assert len(checked) == ACCOUNT_AT_ADDRESS.limit
    assert statuses.count(200) == ACCOUNT_AT_ADDRESS.limit
    assert statuses.count(429) == PARALLEL - ACCOUNT_AT_ADDRESS.limit


@pytest.mark.slow
def test_32_parallel_tries_from_32_addresses_are_slowed_to_the_accounts_allowance(
        app, create_user, checked):
    user = create_user(Role.WORKER)
    _parallel_tries(app, user.email, [f"10.2.0.{n}" for n in range(PARALLEL)])
    # The free tries, and one more: after it, each try waits for the one before.
    assert len(checked) <= ACCOUNT.free + 1


def test_after_the_limit_even_the_right_password_is_not_checked(auth, create_user, checked):
    user = create_user(Role.WORKER)
    for _ in range(ACCOUNT_AT_ADDRESS.limit):
        auth.sign_in(user.email, "wrong-password")
    assert auth.sign_in(user.email).status_code == 429
    assert len(checked) == ACCOUNT_AT_ADDRESS.limit


def test_a_lock_at_one_address_leaves_the_worker_free_at_another(app, create_user):
    user = create_user(Role.WORKER)
    attacker = app.test_client()
    for _ in range(ACCOUNT_AT_ADDRESS.limit + 3):
        attacker.post("/staff/sign-in", data={"email": user.email, "password": "guess-guess"},
                      environ_base={"REMOTE_ADDR": "203.0.113.9"})
    office = app.test_client()
    response = office.post("/staff/sign-in",
                           data={"email": user.email, "password": "correct-horse-battery"},
                           environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert response.status_code == 302
    assert office.get("/staff/", environ_base={"REMOTE_ADDR": "10.0.0.5"}).status_code == 200


def test_the_account_slows_down_progressively_rather_than_locking(app):
    attempt = Attempt("password", "someone@test.example", "198.51.100.1")
    now = 1_000_000.0
    waits = []
    for n in range(ACCOUNT.free + 4):
        address_attempt = Attempt("password", attempt.account, f"198.51.100.{n}")
        try:
            sign_in_guard.admit(db.session, address_attempt, now=now)
            waits.append(0)
        except sign_in_guard.SignInThrottledError as error:
            assert not error.is_locked
            waits.append(error.wait_seconds)
            now += error.wait_seconds
            sign_in_guard.admit(db.session, address_attempt, now=now)
    assert waits[:ACCOUNT.free + 1] == [0] * (ACCOUNT.free + 1)
    assert waits[ACCOUNT.free + 1:] == [1, 2, 4]


def test_tries_whose_clocks_read_out_of_order_are_counted_not_refused(app):
    # Parallel requests read the clock, then take their places in another order:
    # a try is refused by the limit, never by a neighbour's clock reading.
    attempt = Attempt("password", "c@test.example", "192.0.2.9")
    for now in (100.004, 100.003, 100.002, 100.001, 100.000):
        sign_in_guard.admit(db.session, attempt, now=now)
    with pytest.raises(sign_in_guard.SignInThrottledError) as refused:
        sign_in_guard.admit(db.session, attempt, now=100.005)
    assert refused.value.rule is ACCOUNT_AT_ADDRESS


def test_a_refused_try_counts_against_nothing(app):
    attempt = Attempt("password", "a@test.example", "192.0.2.1")
    for _ in range(ACCOUNT_AT_ADDRESS.limit):
        sign_in_guard.admit(db.session, attempt, now=0.0)
    with pytest.raises(sign_in_guard.SignInThrottledError) as refused:
        sign_in_guard.admit(db.session, attempt, now=1.0)
    assert refused.value.is_locked and refused.value.wait_seconds == 15 * 60 - 1
    # The account's own counter was given back its place: five, not six.
    counter = db.session.get(SignInCounter, attempt.key(ACCOUNT))
    assert counter.attempts == ACCOUNT_AT_ADDRESS.limit


def test_the_lock_ends_15_minutes_after_the_last_counted_try(app):
    attempt = Attempt("password", "b@test.example", "192.0.2.1")
    for _ in range(ACCOUNT_AT_ADDRESS.limit):
        sign_in_guard.admit(db.session, attempt, now=0.0)
    sign_in_guard.admit(db.session, attempt, now=15 * 60 + 1.0)


def test_throttled_tries_are_not_audited_one_by_one(auth, create_user):
    user = create_user(Role.WORKER)
    for _ in range(20):
        auth.sign_in(user.email, "wrong-password")
    denied = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth.sign_in", AuditEvent.outcome == Outcome.DENIED)).all()
    # Only the tries that were checked: an attacker cannot fill the append-only trail.
    assert len(denied) == ACCOUNT_AT_ADDRESS.limit


def test_counters_a_day_past_their_window_are_deleted_at_the_next_sign_in(app):
    old = Attempt("password", "old@test.example", "192.0.2.1")
    sign_in_guard.admit(db.session, old, now=0.0)
    recent = Attempt("password", "recent@test.example", "192.0.2.1")
    sign_in_guard.admit(db.session, recent, now=2 * 24 * 3600.0)
    sign_in_guard.succeeded(db.session, recent, now=2 * 24 * 3600.0 + 1)
    assert db.session.get(SignInCounter, old.key(ACCOUNT)) is None
    assert db.session.get(SignInCounter, recent.key(ACCOUNT)) is not None


def test_locked_out_at_one_address_a_worker_signs_in_from_another_with_their_code(
        app_factory, create_user):
    strict = app_factory(SECOND_FACTOR_REQUIRED=True)
    with strict.app_context():
        user = create_user(Role.WORKER)
        email = user.email
        office = strict.test_client()
        office.environ_base["REMOTE_ADDR"] = "10.0.0.5"
        office_auth = AuthActions(office)
        office_auth.sign_in(email)
        secret, _ = office_auth.enrol_app()
        office_auth.sign_out()
        attacker = AuthActions(strict.test_client())
        for _ in range(ACCOUNT_AT_ADDRESS.limit + 3):
            attacker.sign_in(email, "guess-guess-guess",
                             environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert attacker.sign_in(email, environ_base={"REMOTE_ADDR": "203.0.113.9"}
                                ).status_code == 429
        assert office_auth.sign_in(email).headers["Location"] == "/staff/sign-in/code"
        assert office_auth.enter_code(totp_code(secret, 1)).status_code == 302
        assert office.get("/staff/").status_code == 200
