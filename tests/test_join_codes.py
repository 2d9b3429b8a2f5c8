"""Session join codes are kept only as a digest: shown once, replaced with "New code"."""

import re
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from apps import dispose, make_app
from feedback.extensions import db
from feedback.models import AuditEvent, ParticipationSession, Role, today
from feedback.services import codes, questionnaires

CODE_ON_PAGE = re.compile(r'<p class="app-access-code" dir="ltr">([A-Z0-9-]+)</p>')


@pytest.fixture()
def board(auth, create_user):
    user = create_user(Role.BOARD, name="Bea Board")
    auth.sign_in(user.email)
    return user


def _create(client, lead):
    first = today()
    page = client.post("/board/sessions/new", data={
        "title": "Young people's forum", "starts_on": first.isoformat(),
        "ends_on": (first + timedelta(days=2)).isoformat(),
        "questionnaire": "board-session", "safeguarding_lead": str(lead.id)})
    assert page.status_code == 200
    return CODE_ON_PAGE.search(page.get_data(as_text=True)).group(1)


def _joins(app, code):
    """Does a child typing the code on a fresh tablet get to the questionnaire?"""
    return app.test_client().post("/", data={"code": code}).headers.get("Location") == "/welcome"


def _everything_stored():
    """Every value in every table, as text: what a copy of the database would show."""
    with db.engine.connect() as connection:
        return [str(value) for table in db.metadata.sorted_tables
                for row in connection.execute(table.select()) for value in row]


def test_the_database_never_holds_the_plain_join_code(app, client, board, create_user,
                                                      builtin_questionnaires):
    code = _create(client, create_user(Role.WORKER))
    assert _joins(app, code)
    plain, stored = codes.normalise(code), _everything_stored()
    assert not [value for value in stored if plain in codes.normalise(value)]
    event = db.session.scalars(select(ParticipationSession)).one()
    assert event.join_code_digest == codes.digest(code)


def test_the_session_page_does_not_show_the_code_again(client, board, create_user,
                                                       builtin_questionnaires):
    code = _create(client, create_user(Role.WORKER))
    event = db.session.scalars(select(ParticipationSession)).one()
    page = client.get(f"/board/sessions/{event.id}").get_data(as_text=True)
    assert code not in page and codes.normalise(code) not in page and "<svg" not in page
    assert "New code" in page


def test_a_new_code_stops_the_old_one_and_is_shown_once(app, client, board, create_session):
    event = create_session(safeguarding_lead=board)
    old = event.join_code
    shown = client.post(f"/board/sessions/{event.id}/join-code")
    page = shown.get_data(as_text=True)
    new = CODE_ON_PAGE.search(page).group(1)
    assert shown.status_code == 200 and "<svg" in page  # with its QR code, to print
    assert codes.normalise(new) != old
    assert not _joins(app, old)
    assert _joins(app, new)
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.object_type == "session", AuditEvent.object_id == str(event.id))
        ) == "session.new_code"
    assert not [value for value in _everything_stored() if codes.normalise(new) in value]


def test_a_new_code_needs_the_csrf_token(app, app_factory, create_user, create_session):
    user = create_user(Role.BOARD)
    event = create_session(safeguarding_lead=user)
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    token = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
    sign_in = client.get("/staff/sign-in").get_data(as_text=True)
    client.post("/staff/sign-in", data={"email": user.email, "password": "correct-horse-battery",
                                        "csrf_token": token.search(sign_in).group(1)})
    session_page = client.get(f"/board/sessions/{event.id}").get_data(as_text=True)
    url = f"/board/sessions/{event.id}/join-code"
    assert client.post(url).status_code == 400
    assert _joins(app, event.join_code)
    assert client.post(url, data={"csrf_token": token.search(session_page).group(1)}
                       ).status_code == 200
    assert not _joins(app, event.join_code)


@pytest.mark.parametrize("role", [Role.WORKER, Role.MANAGER])
def test_casework_staff_cannot_make_a_new_code(app, auth, client, create_user, create_session,
                                               role):
    event = create_session()
    auth.sign_in(create_user(role).email)
    assert client.post(f"/board/sessions/{event.id}/join-code").status_code == 404
    assert _joins(app, event.join_code)


def test_a_new_code_for_a_session_that_does_not_exist_is_not_found(client, board):
    assert client.post("/board/sessions/999/join-code").status_code == 404


@pytest.fixture(params=["sqlite", "postgres"])
def any_database_url(request):
    """Migrate on each database the service supports."""
    return request.getfixturevalue(f"{request.param}_url")


def _row(session_id):
    return db.session.execute(text("SELECT * FROM participation_sessions WHERE id = :id"),
                              {"id": session_id}).mappings().one()


def test_the_migration_hashes_the_codes_sessions_have_and_back(any_database_url):
    """0010 keeps every session and what hangs from it, and codes handed out still work."""
    app = make_app(any_database_url)
    with app.app_context():
        try:
            questionnaires.install_builtin(db.session)
            questionnaire_id = questionnaires.by_slug(db.session, "board-session").id
            db.session.commit()
            downgrade(revision="0009")
            db.session.execute(text(
                "INSERT INTO participation_sessions (id, title, join_code, questionnaire_id,"
                " starts_on, ends_on, participant_count, device_count, created_at)"
                " VALUES (7, 'Forum', 'ABCD2345', :questionnaire, :day, :day, 1, 1, :day)"),
                {"questionnaire": questionnaire_id, "day": today()})
            db.session.execute(text("INSERT INTO session_devices (session_id, device_hash,"
                                    " responses) VALUES (7, 'device', 1)"))
            db.session.commit()
            upgrade(revision="0010")
            hashed = _row(7)
            assert "join_code" not in hashed
            assert hashed["join_code_digest"] == codes.digest("abcd-2345")
            assert not [value for value in hashed.values() if "ABCD2345" in str(value)]
            assert db.session.execute(text("SELECT count(*) FROM session_devices")).scalar() == 1
            db.session.rollback()
            downgrade(revision="0009")
            plain = _row(7)
            assert "join_code_digest" not in plain
            assert len(plain["join_code"]) == codes.CODE_LENGTH
            assert set(plain["join_code"]) <= set(codes.ALPHABET)
            assert db.session.execute(text("SELECT count(*) FROM session_devices")).scalar() == 1
            db.session.rollback()
        finally:
            db.session.rollback()
            upgrade()
            dispose(app)
