"""Settings from the environment.

Every setting the service reads is listed in ``SETTINGS`` with its default, so
the README table and the code cannot drift apart (``tests/test_config.py``
checks the README against it). Production has no secret defaults: the app
refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

#: The lowest small-number threshold a council may configure: counts below it
#: are suppressed in every board figure. DESIGN.md: never below 6.
MIN_SUPPRESSION_THRESHOLD = 6

ENVIRONMENTS = ("production", "development", "testing")


#: Shown outside production when DUTY_PHONE is unset. Ofcom keeps 01632 960000–960999
#: for drama, so a demo page can never send a child to a real person's phone.
EXAMPLE_DUTY_PHONE = "01632 960000"
_PHONE_NUMBER = re.compile(r"\+?[0-9][0-9 ]*[0-9]")


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; the app refuses to start."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("FEEDBACK_ENV", "production",
            "`production`, `development` or `testing`. Unset means production."),
    Setting("SECRET_KEY", None,
            "Signs CSRF tokens. Required in production; development keeps a random "
            "one in `instance/secret_key`."),
    Setting("DATABASE_URL", None,
            "SQLAlchemy URL. Default: SQLite file `instance/feedback.sqlite`. "
            "PostgreSQL: `postgresql+psycopg://user@host/db`."),
    Setting("REDIS_URL", None,
            "Redis for sessions and rate limits, e.g. `redis://127.0.0.1:6379/0`. "
            "Unset: sessions in the database, limits in process memory."),
    Setting("BASE_URL", "http://127.0.0.1:5000",
            "Public address, used for links in notification e-mails."),
    Setting("SMTP_HOST", None, "SMTP server for alert e-mails. Unset: alerts only in the app."),
    Setting("SMTP_PORT", "25", "SMTP port."),
    Setting("SMTP_USERNAME", None, "SMTP user name, if the server needs one."),
    Setting("SMTP_PASSWORD", None, "SMTP password."),
    Setting("SMTP_STARTTLS", "false", "`true` to upgrade the SMTP connection with STARTTLS."),
    Setting("MAIL_FROM", "feedback@localhost", "Sender address of notification e-mails."),
    Setting("DUTY_PHONE", None,
            "The council's out-of-hours emergency duty team number, shown on every child's "
            "help and thank-you page. Required in production; elsewhere a made-up number "
            f"(`{EXAMPLE_DUTY_PHONE}`) stands in."),
    Setting("OUT_OF_HOURS_EMAIL", None,
            "Mailbox of the out-of-hours emergency duty team: outside working hours every "
            "urgent alert is also sent there at once (a link, never the child's words)."),
    Setting("EXIT_URL", "https://www.bbc.co.uk/weather",
            "Where \"Exit this page\" goes: a neutral site."),
    Setting("ACCESS_CODE_DAYS", "7",
            "Days a case access code stays valid: until then the child can come back to "
            "it, on any device, until they press Send."),
    Setting("INVITATION_HOURS", "72",
            "Hours the link in a new member of staff's invitation e-mail works (once)."),
    Setting("ALERT_ESCALATION_HOURS", "2",
            "Working hours before an unacknowledged alert escalates to a manager."),
    Setting("DRIFT_DAYS", "42", "Days without a response before a case shows as drift."),
    Setting("SUPPRESSION_THRESHOLD", "6",
            "Board figures below this are shown as `c`. Must be 6 or more."),
    Setting("SESSION_MAX_RESPONSES", "30",
            "Responses a session's join code takes from one device (at least 1)."),
    Setting("RETENTION_SESSION_DAYS", "730", "Days anonymous session responses are kept."),
    Setting("RETENTION_CASE_DAYS", "365",
            "Days a case response is kept after its export was filed in the case record."),
    Setting("THEMING_LEXICON", "", "Path of an extra lexicon file that extends the built-in one."),
    Setting("SCHOOL_NAMES", "",
            "School names to take out of quotes, separated by commas or new lines."),
    Setting("BOARD_CACHE_SECONDS", "600",
            "Seconds a finished period's board figures are reused in each process (0: never)."),
    Setting("OIDC_ISSUER", None,
            "The council's OpenID Connect provider (its issuer URL, e.g. Microsoft Entra ID's "
            "`https://login.microsoftonline.com/<tenant>/v2.0`). With the client id and secret, "
            "staff can sign in with their council account."),
    Setting("OIDC_CLIENT_ID", None, "This service's client id at the identity provider."),
    Setting("OIDC_CLIENT_SECRET", None, "This service's client secret at the identity provider."),
    Setting("OIDC_GROUP_ROLES", "",
            "Optional: groups (values of the ID token's `groups` claim) that give a role and "
            "pod, e.g. `<group id>=worker:North pod; <group id>=admin`. When set, a person in "
            "none of them cannot sign in, and role and pod follow the groups."),
    Setting("PASSWORD_SIGN_IN", "true",
            "`false` switches off e-mail and password sign-in (needs `OIDC_ISSUER`)."),
    Setting("TRUSTED_HOSTS", None,
            "Comma-separated host names the service answers to; any other `Host` gets 400. "
            "Production: defaults to `BASE_URL`'s host, and one of the two is required."),
    Setting("PROXY_COUNT", "0", "Number of reverse proxies in front of the app (for ProxyFix)."),
    Setting("MAX_CONTENT_LENGTH", "262144", "Largest request body in bytes."),
)

_BOOL_TRUE = {"1", "true", "yes", "on"}


def _read(environ: Mapping[str, str], name: str) -> str | None:
    default = next(s.default for s in SETTINGS if s.name == name)
    value = environ.get(name)
    return value if value not in (None, "") else default


def _int(environ: Mapping[str, str], name: str, minimum: int = 0) -> int:
    raw = _read(environ, name)
    try:
        value = int(raw or "")
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


def _secret_key(environ: Mapping[str, str], env: str, instance: Path) -> str:
    key = environ.get("SECRET_KEY")
    if key:
        if env == "production" and len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production")
        return key
    if env == "production":
        raise ConfigError("SECRET_KEY is required in production (set FEEDBACK_ENV=development "
                          "to run locally)")
    # Development keeps one random key so sign-ins survive a restart.
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _duty_phone(environ: Mapping[str, str], is_production: bool) -> str:
    number = (_read(environ, "DUTY_PHONE") or "").strip()
    if not number:
        if is_production:
            raise ConfigError("DUTY_PHONE is required in production: every child's help and "
                              "thank-you page gives the council's out-of-hours emergency duty "
                              "team number, at every hour")
        return EXAMPLE_DUTY_PHONE
    if not _PHONE_NUMBER.fullmatch(number):
        raise ConfigError(f"DUTY_PHONE must be a phone number (digits and spaces, an optional "
                          f"leading +), not {number!r}: children tap it to call")
    return number


def _single_sign_on(environ: Mapping[str, str], is_production: bool) -> dict[str, Any]:
    """The council identity provider's settings: all three or none (docs/sign-in.md)."""
    names = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")
    values = {name: (_read(environ, name) or "").strip() for name in names}
    if any(values.values()) and not all(values.values()):
        raise ConfigError("OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: "
                          "set all three for single sign-on, or none")
    issuer = values["OIDC_ISSUER"].rstrip("/")
    if issuer and is_production and not issuer.startswith("https://"):
        raise ConfigError("OIDC_ISSUER must be an https:// address in production")
    passwords = (_read(environ, "PASSWORD_SIGN_IN") or "").lower() in _BOOL_TRUE
    if not passwords and not issuer:
        raise ConfigError("PASSWORD_SIGN_IN=false needs OIDC_ISSUER: nobody could sign in")
    return {**values, "OIDC_ISSUER": issuer,
            "OIDC_GROUP_ROLES": _read(environ, "OIDC_GROUP_ROLES") or "",
            "PASSWORD_SIGN_IN": passwords}


def _trusted_hosts(environ: Mapping[str, str], is_production: bool) -> list[str] | None:
    """The host names requests may name (Flask's TRUSTED_HOSTS); None: any (not production)."""
    listed = [host.strip().lower() for host in (_read(environ, "TRUSTED_HOSTS") or "").split(",")
              if host.strip()]
    if listed or not is_production:
        return listed or None
    # The default BASE_URL (127.0.0.1) is no production host: only one set on purpose counts.
    host = urlsplit((environ.get("BASE_URL") or "").strip()).hostname
    if not host:
        raise ConfigError("TRUSTED_HOSTS (or BASE_URL, whose host it defaults to) is required "
                          "in production: a request naming another host could poison the "
                          "links and QR codes the service builds from it")
    return [host]


def load_config(environ: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Build the Flask config from environment variables."""
    env = _read(environ, "FEEDBACK_ENV") or "production"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"FEEDBACK_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    instance = Path(instance_path)
    database_url = _read(environ, "DATABASE_URL") or f"sqlite:///{instance / 'feedback.sqlite'}"
    threshold = _int(environ, "SUPPRESSION_THRESHOLD")
    if threshold < MIN_SUPPRESSION_THRESHOLD:
        raise ConfigError(f"SUPPRESSION_THRESHOLD must be at least {MIN_SUPPRESSION_THRESHOLD}, "
                          f"not {threshold}: smaller counts could identify a child")
    is_production = env == "production"
    if is_production and not _read(environ, "REDIS_URL"):
        raise ConfigError("REDIS_URL is required in production: sessions and rate limits "
                          "must be shared by every app server (in-memory limits are refused)")
    return {
        "FEEDBACK_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": _secret_key(environ, env, instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": _read(environ, "REDIS_URL"),
        "BASE_URL": (_read(environ, "BASE_URL") or "").rstrip("/"),
        "SMTP_HOST": _read(environ, "SMTP_HOST"),
        "SMTP_PORT": _int(environ, "SMTP_PORT", minimum=1),
        "SMTP_USERNAME": _read(environ, "SMTP_USERNAME"),
        "SMTP_PASSWORD": _read(environ, "SMTP_PASSWORD"),
        "SMTP_STARTTLS": (_read(environ, "SMTP_STARTTLS") or "").lower() in _BOOL_TRUE,
        "MAIL_FROM": _read(environ, "MAIL_FROM"),
        "OUT_OF_HOURS_EMAIL": (_read(environ, "OUT_OF_HOURS_EMAIL") or "").strip().lower(),
        "DUTY_PHONE": _duty_phone(environ, is_production),
        "EXIT_URL": _read(environ, "EXIT_URL"),
        "ACCESS_CODE_DAYS": _int(environ, "ACCESS_CODE_DAYS", minimum=1),
        "INVITATION_HOURS": _int(environ, "INVITATION_HOURS", minimum=1),
        "ALERT_ESCALATION_HOURS": _int(environ, "ALERT_ESCALATION_HOURS", minimum=1),
        "DRIFT_DAYS": _int(environ, "DRIFT_DAYS", minimum=1),
        "SUPPRESSION_THRESHOLD": threshold,
        "SESSION_MAX_RESPONSES": _int(environ, "SESSION_MAX_RESPONSES", minimum=1),
        "RETENTION_SESSION_DAYS": _int(environ, "RETENTION_SESSION_DAYS", minimum=1),
        "RETENTION_CASE_DAYS": _int(environ, "RETENTION_CASE_DAYS", minimum=1),
        "THEMING_LEXICON": _read(environ, "THEMING_LEXICON") or "",
        "SCHOOL_NAMES": _read(environ, "SCHOOL_NAMES") or "",
        "BOARD_CACHE_SECONDS": _int(environ, "BOARD_CACHE_SECONDS"),
        **_single_sign_on(environ, is_production),
        "TRUSTED_HOSTS": _trusted_hosts(environ, is_production),
        "PROXY_COUNT": _int(environ, "PROXY_COUNT"),
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_CONTENT_LENGTH", minimum=1024),
        # Sessions: idle limit for staff; children get a shorter one in their views.
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=12),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "SESSION_COOKIE_NAME": "__Host-session" if is_production else "session",
        "SESSION_COOKIE_SECURE": is_production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # No strict Referer check over HTTPS: child pages send no Referer
        # (Referrer-Policy: no-referrer), so it would refuse every child's POST.
        # security.refuse_cross_site checks Origin and Sec-Fetch-Site instead.
        "WTF_CSRF_SSL_STRICT": False,
        # hide_parameters: a failed statement never writes a child's words into a log.
        # pre_ping: a server may drop idle connections; a SQLite file cannot, so
        # pinging it would only cost a statement per request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite"),
                                      "hide_parameters": True},
        "BABEL_DEFAULT_LOCALE": "en_GB",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "RATELIMIT_STORAGE_URI": _read(environ, "REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        # Redis down: limits carry on per process rather than failing requests.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def config_from_environment(instance_path: str) -> dict[str, Any]:
    """Read the process environment."""
    return load_config(os.environ, instance_path)
