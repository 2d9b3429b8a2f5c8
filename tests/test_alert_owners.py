"""Property: every alert, from every origin and however its case or session is set up, can be
opened and acknowledged by an active member of staff, its e-mails link to a page that opens
for the people they go to, and nobody else can open it (404 and an audit event)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from apps import ChildActions
from factories import PASSWORD
from feedback.extensions import db
from feedback.models import (
    Alert, AuditEvent, Case, Notification, ParticipationSession, Pod, Role, StaffUser, utcnow,
)
from feedback.services import accounts, alert_routing, alerts, codes, staff_sessions
from feedback.services.notifications import MailSettings, message_for

DISCLOSURE = "my step dad hits me and i am scared to go home"
ORIGINS = ("case_comment", "case_help", "session_comment", "session_help",
           "case_failure", "session_failure")
#: How one account in the set-up ends up: absent, active, or deactivated after creation.
PRESENCE = st.sampled_from(["absent", "active", "inactive"])
_names = itertools.count(1)


@dataclass
class World:
    """One set-up: the people, and where the child's words came from."""

    people: dict[str, StaffUser] = field(default_factory=dict)
    pods: dict[str, Pod] = field(default_factory=dict)


@pytest.fixture()
def apps(app_factory, builtin_questionnaires):
    mail = {"SMTP_HOST": "127.0.0.1", "OUT_OF_HOURS_EMAIL": "edt@council.example"}
    return {"working": app_factory(**mail),
            "failing": app_factory(THEMING_LEXICON="/nonexistent/lexicon.toml", **mail)}


def _person(world: World, key: str, role: Role, pod: Pod | None, presence: str) -> None:
    if presence == "absent":
        return
    n = next(_names)
    user = accounts.create_staff(db.session, email=f"{key.replace('_', '.')}{n}@council.example",
                                 name=f"{key} {n}", role=role, password=PASSWORD, pod=pod)
    if presence == "inactive":
        try:
            accounts.deactivate(db.session, user)
        except accounts.AccountError:
            pass  # the last active manager stays: that is the rule under test
    world.people[key] = user


def build(data: st.DataObject) -> tuple[World, str]:
    """Set up a fresh corner of the service the way a council might have it."""
    # Earlier examples' people leave and their duty team stands down.
    db.session.execute(update(StaffUser).values(is_active_account=False))
    db.session.execute(update(Pod).values(is_duty_team=False))
    world = World()
    n = next(_names)
    for key in ("own", "other", "duty"):
        world.pods[key] = Pod(name=f"{key} pod {n}",
                              email=f"{key}{n}@council.example" if data.draw(st.booleans())
                              else None)
    db.session.add_all(world.pods.values())
    db.session.flush()
    # Every council has managers somewhere; the last one can never be deactivated.
    _person(world, "area_manager", Role.MANAGER, world.pods["other"], "active")
    _person(world, "own_worker", Role.WORKER, world.pods["own"], data.draw(PRESENCE))
    _person(world, "own_manager", Role.MANAGER, world.pods["own"], data.draw(PRESENCE))
    if data.draw(st.booleans()):  # a manager who oversees the pod from another
        _person(world, "overseer", Role.MANAGER, world.pods["other"], data.draw(PRESENCE))
        if "overseer" in world.people:
            world.people["overseer"].extra_pods.append(world.pods["own"])
    _person(world, "other_worker", Role.WORKER, world.pods["other"], "active")
    _person(world, "board", Role.BOARD, None, "active")
    _person(world, "admin", Role.ADMIN, None, "active")
    duty = data.draw(st.sampled_from(["none", "active", "inactive"]))
    if duty != "none":
        alert_routing.set_duty_team(db.session, world.pods["duty"], True)
        _person(world, "duty_worker", Role.WORKER, world.pods["duty"], duty)
    db.session.commit()
    return world, data.draw(st.sampled_from(ORIGINS))


def raise_from(apps, world: World, origin: str, data: st.DataObject,
               builtin_questionnaires) -> Alert:
    """The child's side: a code, then words or the help button, through the web pages."""
    app = apps["failing" if origin.endswith("failure") else "working"]
    child = ChildActions(app.test_client())
    if origin.startswith("case"):
        case = Case(reference=f"REF{next(_names):06d}", pod=world.pods["own"],
                    display_name="J", preferred_language="en")
        db.session.add(case)
        db.session.flush()
        _, code = codes.create_access_code(
            db.session, case, builtin_questionnaires["how-are-things"].questionnaire, None, 4)
        words_at = 4
    else:
        lead_kind = data.draw(st.sampled_from(["own_worker", "own_manager", "none"]))
        lead = world.people.get(lead_kind)
        code, words_at = codes.new_join_code(db.session), 4
        event = ParticipationSession(
            title="Forum", join_code_digest=codes.digest(code),
            questionnaire=builtin_questionnaires["board-session"].questionnaire,
            safeguarding_lead=lead, starts_on=utcnow().date(), ends_on=utcnow().date())
        db.session.add(event)
        db.session.flush()
    db.session.commit()
    assert child.enter_code(code).status_code == 302
    if origin.endswith("help"):
        assert child.client.post("/help", data={"message": DISCLOSURE}).status_code == 200
    else:
        child.answer(1, answer="1")
        child.answer(2, answer="1")
        child.answer(words_at, answer=DISCLOSURE)
        assert child.send().headers["Location"].endswith("/thank-you")
    db.session.expire_all()
    return db.session.scalars(select(Alert).order_by(Alert.id.desc()).limit(1)).one()


def sign_in(app, user: StaffUser):
    client = app.test_client()
    # A signed-in session has its row (services/staff_sessions.py), or it is signed out.
    row = staff_sessions.start(db.session, user, method="test", device="test",
                               address="127.0.0.1")
    db.session.commit()
    with client.session_transaction() as session:
        session["staff_session_id"] = row.id
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["signed_in_at"] = utcnow().timestamp()
    return client


def alert_routes(app, alert_id: int) -> list[tuple[str, str]]:
    """Every (path, method) in the URL map that names an alert."""
    return sorted((rule.rule.replace("<int:alert_id>", str(alert_id)), method)
                  for rule in app.url_map.iter_rules() if "alert_id" in rule.arguments
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def denials() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "access.denied"))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_every_alert_has_an_owner_who_can_open_and_act_on_it(apps, builtin_questionnaires,
                                                             data):
    world, origin = build(data)
    alert = raise_from(apps, world, origin, data, builtin_questionnaires)
    app = apps["working"]
    owners = alert_routing.owners_of(db.session, alert).everyone
    assert owners, (origin, world.people)
    assert all(owner.is_active_account and owner.role in (Role.WORKER, Role.MANAGER)
               for owner in owners)
    assert alert_routes(app, alert.id)
    # It is in someone's inbox, not only openable: someone is told to act on it now.
    assert any(alert in alerts.open_alerts(db.session, owner) for owner in owners)
    for owner in owners:
        assert sign_in(app, owner).get(f"/staff/alerts/{alert.id}").status_code == 200
    # The e-mail's link opens for each account it goes to; a team mailbox's team can open it.
    mail = MailSettings(host="", port=25, sender="f@x", base_url="https://f.example")
    for note in db.session.scalars(select(Notification).where(Notification.alert_id == alert.id)):
        text = message_for(note, mail).get_content()
        assert DISCLOSURE not in text and "hits" not in text
        path = text.split("https://f.example", 1)[1].split()[0]
        if note.kind == "out_of_hours":
            continue
        holders = [u for u in owners if u.email == note.recipient] or [
            u for u in owners if u.pod is not None and u.pod.email == note.recipient]
        assert holders, (note.kind, note.recipient)
        assert sign_in(app, holders[0]).get(path).status_code == 200
    # Everyone else who is active gets the page of a missing alert, on every route that
    # names an alert, and it is audited.
    for person in world.people.values():
        if person.is_active_account and person not in owners:
            for path, method in alert_routes(app, alert.id):
                before = denials()
                page = sign_in(app, person).open(path, method=method)
                assert page.status_code == 404, (person, origin, path, method)
                assert denials() == before + 1
    # An owner acknowledges it, and the words it showed are now read.
    done = sign_in(app, owners[0]).post(f"/staff/alerts/{alert.id}", data={
        "action": "spoke_to_child", "note": "rang her"})
    assert done.status_code == 302
    db.session.expire_all()
    acknowledged = db.session.get_one(Alert, alert.id)
    assert acknowledged.state == "acknowledged"
    assert all(comment.read_at is not None for comment in acknowledged.response.comments) \
        if acknowledged.response is not None else acknowledged.comment is None
