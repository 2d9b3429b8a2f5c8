"""Staff passwords: argon2id hashes, at the cost the environment calls for.

Production uses the library's current parameters (RFC 9106, low memory). The test
suite signs people in thousands of times, so an app made with
``FEEDBACK_ENV=testing`` switches this process to the cheapest parameters
(``use_cost``); a hash made that cheaply is rehashed at its next sign-in anywhere
else (``needs_rehash``).
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

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
