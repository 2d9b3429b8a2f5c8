"""The configuration page: what is set and what is missing, never a secret."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from feedback.services import configuration
from feedback.web.admin import bp

GROUP_TITLES = {
    "email": _l("E-mail"),
    "children": _l("The child's pages"),
    "alerts": _l("Alerts and drift"),
    "retention": _l("Retention and board figures"),
    "sign_in": _l("Staff sign-in"),
    "servers": _l("Servers"),
}

DESCRIPTIONS = {
    "SMTP_HOST": _l("Mail server for alert and invitation e-mails"),
    "SMTP_PORT": _l("Mail server port"),
    "SMTP_USERNAME": _l("Mail server user name"),
    "SMTP_PASSWORD": _l("Mail server password"),
    "SMTP_STARTTLS": _l("Encrypt the connection to the mail server (STARTTLS)"),
    "MAIL_FROM": _l("Sender address of e-mails"),
    "BASE_URL": _l("The service's public address, used in e-mailed links"),
    "OUT_OF_HOURS_EMAIL": _l("Out-of-hours emergency duty team mailbox"),
    "DUTY_PHONE": _l("Out-of-hours emergency duty team phone number, shown to children"),
    "EXIT_URL": _l("Where “Exit this page” goes"),
    "ACCESS_CODE_DAYS": _l("Days an access code stays valid"),
    "ALERT_ESCALATION_HOURS": _l("Working hours before an urgent alert escalates"),
    "DRIFT_DAYS": _l("Days without a response before a case shows as drift"),
    "RETENTION_CASE_DAYS": _l("Days a case response is kept after it was filed"),
    "RETENTION_SESSION_DAYS": _l("Days anonymous session responses are kept"),
    "SUPPRESSION_THRESHOLD": _l("Board figures below this are shown as “c”"),
    "OIDC_ISSUER": _l("Council single sign-on: identity provider"),
    "OIDC_CLIENT_ID": _l("Council single sign-on: client id"),
    "OIDC_CLIENT_SECRET": _l("Council single sign-on: client secret"),
    "PASSWORD_SIGN_IN": _l("Staff may sign in with e-mail and password"),
    "SECOND_FACTOR_REQUIRED": _l("Every password account needs a second factor"),
    "INVITATION_HOURS": _l("Hours an invitation link works"),
    "SQLALCHEMY_DATABASE_URI": _l("Database"),
    "REDIS_URL": _l("Redis, for shared sessions and rate limits"),
    "TRUSTED_HOSTS": _l("Host names the service answers to"),
    "PROXY_COUNT": _l("Reverse proxies in front of the service"),
    "SECRET_KEY": _l("Secret key"),
}


@bp.get("/configuration")
def view_configuration() -> str:
    """Show which settings are set and which are missing, without any secret."""
    return render_template("admin/view_configuration.html",
                           groups=configuration.describe(current_app.config),
                           titles=GROUP_TITLES, descriptions=DESCRIPTIONS,
                           secrets=configuration.SECRETS)
