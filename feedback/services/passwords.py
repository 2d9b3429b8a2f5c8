"""Staff passwords: the rule for a new one, and argon2id hashes at the cost the
environment calls for.

A new password has at least 12 characters and at most 1,000 (refused, never cut
short: argon2 hashes every byte), and is not one that is easy to guess: zxcvbn,
shipped with the service, knows the passwords most used in public breaches, common
words and names, keyboard patterns and dates, and the person's own name and e-mail.

Production uses the library's current parameters (RFC 9106, low memory). The test
suite signs people in thousands of times, so an app made with
``FEEDBACK_ENV=testing`` switches this process to the cheapest parameters
(``use_cost``); a hash made that cheaply is rehashed at its next sign-in anywhere
else (``needs_rehash``).
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn  # type: ignore[import-untyped]

MIN_LENGTH = 12
MAX_LENGTH = 1000
#: zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more.
MIN_STRENGTH = 3
#: zxcvbn takes time that grows faster than the length; the start decides the score.
_STRENGTH_CHARACTERS = 100


class WeakPasswordError(ValueError):
    """The password breaks the rule for a new one (the message says how)."""


def check_new_password(password: str, *, about: tuple[str, ...] = ()) -> None:
    """Refuse a new password that is too short, too long or easy to guess.

    ``about`` holds the person's name and e-mail, which a password must not lean on.
    """
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"the password must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPasswordError(f"the password must be at most {MAX_LENGTH} characters")
    words = [part for value in about for part in value.lower().replace("@", " ").replace(
        ".", " ").split() if len(part) > 2]
    if zxcvbn(password[:_STRENGTH_CHARACTERS], user_inputs=words)["score"] < MIN_STRENGTH:
        raise WeakPasswordError("the password is too easy to guess: it is a common or "
                                "breached password, or too close to one")


HASHERS = {"production": PasswordHasher(),
           "testing": PasswordHasher.from_parameters(profiles.CHEAPEST)}
_current = {"hasher": HASHERS["production"]}


def use_cost(environment: str) -> None:
    """Hash at the testing cost in a test process, at the production cost everywhere else."""
    _current["hasher"] = HASHERS["testing" if environment == "testing" else "production"]


def current_parameters() -> profiles.Parameters:
    return _current["hasher"]._parameters  # noqa: SLF001 -- read-only, for the test of the rule


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _current["hasher"].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password in constant work, whether or not there is a hash to check."""
    hasher = _current["hasher"]
    if password_hash is None:
        # Hash anyway so a missing account takes as long as a wrong password.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _current["hasher"].check_needs_rehash(password_hash)
