"""What an administrator may see of the service's settings: set or missing, never a secret.

Secrets (keys, passwords, client secrets) show only whether they are set; addresses
that may carry a password (database, Redis) show their scheme and host alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from feedback.config import EXAMPLE_DUTY_PHONE

#: Shown as "set" or "missing", never their value.
SECRETS = frozenset({"SECRET_KEY", "SMTP_PASSWORD", "OIDC_CLIENT_SECRET"})
#: URLs that may hold a user name and password: only scheme, host and port are shown.
URLS = frozenset({"SQLALCHEMY_DATABASE_URI", "REDIS_URL"})

#: The settings on the page, in groups, each (config key, needed for the service to work?).
GROUPS: tuple[tuple[str, tuple[tuple[str, bool], ...]], ...] = (
    ("email", (("SMTP_HOST", True), ("SMTP_PORT", False), ("SMTP_USERNAME", False),
               ("SMTP_PASSWORD", False), ("SMTP_STARTTLS", False), ("MAIL_FROM", True),
               ("BASE_URL", True), ("OUT_OF_HOURS_EMAIL", True))),
    ("children", (("DUTY_PHONE", True), ("EXIT_URL", True), ("ACCESS_CODE_DAYS", False))),
    ("alerts", (("ALERT_ESCALATION_HOURS", False), ("DRIFT_DAYS", False))),
    ("retention", (("RETENTION_CASE_DAYS", False), ("RETENTION_SESSION_DAYS", False),
                   ("SUPPRESSION_THRESHOLD", False))),
    ("sign_in", (("OIDC_ISSUER", False), ("OIDC_CLIENT_ID", False),
                 ("OIDC_CLIENT_SECRET", False), ("PASSWORD_SIGN_IN", False),
                 ("SECOND_FACTOR_REQUIRED", True), ("INVITATION_HOURS", False))),
    ("servers", (("SQLALCHEMY_DATABASE_URI", True), ("REDIS_URL", True),
                 ("TRUSTED_HOSTS", True), ("PROXY_COUNT", False), ("SECRET_KEY", True))),
)


#: The environment variable a config key is read from, where the names differ.
VARIABLES = {"SQLALCHEMY_DATABASE_URI": "DATABASE_URL"}


@dataclass(frozen=True)
class SettingState:
    key: str
    #: The environment variable that sets it.
    variable: str
    #: ``set``, ``missing`` (needed, not set) or ``off`` (optional, not set).
    state: str
    #: What may be shown; None for a secret or an unset value.
    shown: str | None


def _shown(key: str, value: Any) -> str | None:
    if key in SECRETS:
        return None
    if key in URLS:
        parts = urlsplit(str(value))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{host}{port}" if host else f"{parts.scheme}:"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe(config: Mapping[str, Any]) -> list[tuple[str, list[SettingState]]]:
    """Return each group of settings with whether it is set, and what may be shown."""
    groups = []
    for group, keys in GROUPS:
        rows = []
        for key, needed in keys:
            value = config.get(key)
            is_set = value not in (None, "", [], ()) and value is not False
            if isinstance(value, int):
                is_set = value is not False
            if key == "DUTY_PHONE" and value == EXAMPLE_DUTY_PHONE:
                is_set = False  # a made-up number stands in outside production
            state = "set" if is_set else ("missing" if needed else "off")
            rows.append(SettingState(key, VARIABLES.get(key, key), state,
                                     _shown(key, value) if is_set else None))
        groups.append((group, rows))
    return groups
