"""Matching a person the council's identity provider vouches for to a staff account.

Nobody registers themselves: an administrator creates the account, and the first
sign-in links it to the provider's subject (``sub``) by e-mail address. After that
the subject decides, so a changed e-mail address still finds the account, and an
address reused for someone else does not. Role and pod may follow the person's
groups (``OIDC_GROUP_ROLES``); then a person in none of those groups, such as a
leaver removed from them centrally, cannot sign in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.models import Outcome, Pod, Role, StaffUser
from feedback.services import audit


class SingleSignOnRefusedError(Exception):
    """The provider vouched for someone this service will not sign in; ``reason`` says why."""

    def __init__(self, reason: str, user: StaffUser | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.user = user


@dataclass(frozen=True)
class GroupRole:
    """Members of ``group`` get ``role`` (and, for casework roles, ``pod``)."""

    group: str
    role: Role
    pod: str | None = None


_RULE = re.compile(r"^\s*(?P<group>[^=]+?)\s*=\s*(?P<role>\w+)\s*(?::\s*(?P<pod>.+?))?\s*$")


def parse_group_roles(text: str) -> list[GroupRole]:
    """Read ``OIDC_GROUP_ROLES``: ``group=role[:pod]`` separated by ``;`` or new lines."""
    rules = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        found = _RULE.match(part)
        if found is None:
            raise ValueError(f"OIDC_GROUP_ROLES: {part.strip()!r} is not group=role[:pod]")
        role = Role(found["role"].lower())
        if role in (Role.WORKER, Role.MANAGER) and not found["pod"]:
            raise ValueError(f"OIDC_GROUP_ROLES: a {role.value} group needs a pod")
        rules.append(GroupRole(found["group"], role, found["pod"]))
    return rules


def _email_of(claims: Mapping[str, Any]) -> str | None:
    # Entra ID sends no email_verified: the tenant vouches for its own addresses.
    if claims.get("email_verified") is False:
        return None
    email = claims.get("email") or claims.get("preferred_username")
    return email.strip().lower() if isinstance(email, str) and "@" in email else None


def _find(session: Session, subject: str, email: str | None) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.oidc_subject == subject))
    if user is not None:
        return user
    user = session.scalar(select(StaffUser).where(StaffUser.email == email)) if email else None
    if user is None:
        raise SingleSignOnRefusedError("no-account")
    if user.oidc_subject is not None:
        raise SingleSignOnRefusedError("linked-to-another-subject", user)
    user.oidc_subject = subject
    session.flush()
    audit.record(session, "staff.link_single_sign_on", actor=user, object_type="staff_user",
                 object_id=user.id)
    return user


def _apply_groups(session: Session, user: StaffUser, groups: Sequence[str],
                  rules: Sequence[GroupRole]) -> None:
    rule = next((r for r in rules if r.group in groups), None)
    if rule is None:
        raise SingleSignOnRefusedError("no-group", user)
    pod = session.scalar(select(Pod).where(Pod.name == rule.pod)) if rule.pod else None
    if rule.pod and pod is None:
        raise SingleSignOnRefusedError("no-such-pod", user)
    if (user.role, user.pod_id) != (rule.role, pod.id if pod else None):
        before = {"role": user.role.value, "pod": user.pod_id}
        user.role, user.pod = rule.role, pod
        session.flush()
        audit.record(session, "staff.role_from_groups", actor=user, object_type="staff_user",
                     object_id=user.id, detail={"before": before, "role": rule.role.value,
                                                "pod": pod.id if pod else None})


def account_for(session: Session, claims: Mapping[str, Any],
                rules: Sequence[GroupRole] = ()) -> StaffUser:
    """Return the active account for verified ID-token claims, or raise
    ``SingleSignOnRefusedError`` (audited). ``rules`` set role and pod from groups."""
    try:
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise SingleSignOnRefusedError("no-subject")
        user = _find(session, subject, _email_of(claims))
        if not user.is_active:
            raise SingleSignOnRefusedError("deactivated", user)
        if rules:
            groups = claims.get("groups")
            _apply_groups(session, user, groups if isinstance(groups, list) else [], rules)
    except SingleSignOnRefusedError as refused:
        refusal(session, refused.reason, refused.user)
        raise
    return user


def refusal(session: Session, reason: str, user: StaffUser | None = None,
            request_id: str | None = None) -> None:
    """Audit a single sign-on that was refused (never with a token or a claim's value)."""
    audit.record(session, "auth.sign_in", actor_kind="anonymous", object_type="staff_user",
                 object_id=user.id if user else None, outcome=Outcome.DENIED,
                 detail={"method": "oidc", "reason": reason}, request_id=request_id)
