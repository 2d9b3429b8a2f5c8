"""Participation sessions: created by the board, joined by code, summarised once numbers allow."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from boarddata import respond
from feedback.extensions import db
from feedback.models import (
    Alert, AlertReason, AuditEvent, ParticipationSession, Quote, QuoteState, Role, today,
)
from feedback.services import codes, summaries
from feedback.services.reports import Period


@pytest.fixture()
def board(auth, create_user):
    user = create_user(Role.BOARD, name="Bea Board")
    auth.sign_in(user.email)
    return user


def _form(lead, **changes):
    first = today()
    return {"title": "Young people's forum", "starts_on": first.isoformat(),
            "ends_on": (first + timedelta(days=2)).isoformat(),
            "questionnaire": "board-session", "safeguarding_lead": str(lead.id), **changes}


def test_a_board_user_creates_a_session_whose_code_a_child_can_use(
        app, client, board, create_user, builtin_questionnaires):
    lead = create_user(Role.WORKER, name="Fay Lead")
    response = client.post("/board/sessions/new", data=_form(lead))
    assert response.status_code == 200  # the code is on this page, and on no other
    page = response.get_data(as_text=True)
    code = re.search(r'<p class="app-access-code" dir="ltr">([A-Z0-9-]+)</p>', page).group(1)
    assert "<svg" in page  # the QR code, drawn on the server, to print
    tablet = app.test_client()
    assert tablet.post("/", data={"code": code}).headers["Location"] == "/welcome"
    event = db.session.scalars(select(ParticipationSession)).one()
    assert event.safeguarding_lead == lead
    assert db.session.scalar(select(AuditEvent.action)
                             .where(AuditEvent.object_type == "session")) == "session.create"


def test_the_form_offers_only_workers_and_managers_as_safeguarding_lead(
        client, board, create_user, builtin_questionnaires):
    worker, manager = create_user(Role.WORKER), create_user(Role.MANAGER)
    admin = create_user(Role.ADMIN)
    page = client.get("/board/sessions/new").get_data(as_text=True)
    assert re.search(r'<option selected value="board-session">', page)
    assert f'value="{worker.id}"' in page and f'value="{manager.id}"' in page
    assert f'value="{board.id}"' not in page and f'value="{admin.id}"' not in page
    assert 'type="date"' in page


@pytest.mark.parametrize("role", [Role.BOARD, Role.ADMIN])
def test_a_board_analyst_or_administrator_cannot_be_the_safeguarding_lead(
        client, board, create_user, builtin_questionnaires, role):
    response = client.post("/board/sessions/new", data=_form(create_user(role)))
    assert response.status_code == 400
    assert db.session.scalar(select(ParticipationSession)) is None


def test_a_session_cannot_be_created_without_a_safeguarding_lead(client, board,
                                                                 builtin_questionnaires):
    response = client.post("/board/sessions/new",
                           data={**_form(board), "safeguarding_lead": ""})
    assert response.status_code == 400
    assert "Choose the session's safeguarding lead" in response.get_data(as_text=True)
    assert db.session.scalar(select(ParticipationSession)) is None


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Enter a title for the session"),
    ({"starts_on": ""}, "Enter the session's first day"),
    ({"ends_on": (today() - timedelta(days=1)).isoformat()},
     "The last day must be the same as or after the first day"),
])
def test_a_form_with_a_mistake_says_what_to_fix(client, board, builtin_questionnaires, changes,
                                                message):
    response = client.post("/board/sessions/new", data=_form(board, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page
    assert db.session.scalar(select(ParticipationSession.id)) is None


def test_creating_a_session_needs_the_csrf_token(app_factory, create_user,
                                                 builtin_questionnaires):
    user = create_user(Role.BOARD)
    client = app_factory(WTF_CSRF_ENABLED=True).test_client()
    sign_in = client.get("/staff/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', sign_in) or \
        re.search(r'name="csrf_token" value="([^"]+)"', sign_in)
    client.post("/staff/sign-in", data={"email": user.email, "password": "correct-horse-battery",
                                        "csrf_token": token.group(1)})
    assert client.post("/board/sessions/new", data=_form(user)).status_code == 400


def test_who_took_part_shows_only_once_it_is_not_small(client, board, create_session,
                                                       builtin_questionnaires):
    few, many = create_session(safeguarding_lead=board), create_session(safeguarding_lead=board)
    few.participant_count, many.participant_count = 4, 9
    few.device_count, many.device_count = 4, 9  # the gate counts devices
    for _ in range(9):
        respond(builtin_questionnaires["board-session"], themes=["being_heard"], on=today(),
                event=many, commit=False)
    db.session.commit()
    listing = client.get("/board/sessions").get_data(as_text=True)
    assert re.search(r'numeric">c<span class="govuk-visually-hidden"> \(suppressed\)', listing)
    small = client.get(f"/board/sessions/{few.id}").get_data(as_text=True)
    assert "The themes are shown once at least 6 young people have taken part" in small
    assert "Propose a quote" not in small
    large = client.get(f"/board/sessions/{many.id}").get_data(as_text=True)
    assert "Being listened to and having a say" in large and ">9<" in large
    assert "Propose a quote from this session" in large


def test_a_session_that_does_not_exist_is_not_found(client, board):
    assert client.get("/board/sessions/999").status_code == 404


def test_quotes_from_a_small_session_cannot_even_be_proposed(client, board, create_session):
    event = create_session(safeguarding_lead=board)
    event.participant_count = 5
    db.session.commit()
    assert client.get(f"/board/sessions/{event.id}/quotes").status_code == 404


def test_a_board_user_proposes_a_redacted_quote_from_a_session_comment(
        app, client, board, create_session, builtin_questionnaires):
    app.config["SCHOOL_NAMES"] = "Hillside Academy, St Anne's"
    event = create_session(safeguarding_lead=board)
    event.participant_count = event.device_count = 7
    version = builtin_questionnaires["board-session"]
    said = respond(version, themes=["school"], on=today(), event=event,
                   text="teachers at hillside academy never listen, call 07700 900123")
    worrying = respond(version, on=today(), event=event, text="someone hurts me at home")
    db.session.add(Alert(session_id=event.id, comment=worrying.comments[0],
                         reason=AlertReason.DETECTOR))
    db.session.commit()
    listing = client.get(f"/board/sessions/{event.id}/quotes").get_data(as_text=True)
    assert "teachers at hillside academy" in listing
    assert "someone hurts me" not in listing  # never offer words that raised an alert
    comment = said.comments[0]
    url = f"/board/sessions/{event.id}/quotes?comment={comment.id}"
    assert client.post(url, data={"excerpt": "words nobody wrote", "theme": "school"}
                       ).status_code == 200  # shown again with the error
    response = client.post(url, data={"excerpt": comment.text, "theme": "school"})
    assert response.headers["Location"] == "/board/quotes"
    quote = db.session.scalars(select(Quote)).one()
    assert quote.excerpt == "teachers at [school] never listen, call [phone]"
    assert quote.state == QuoteState.PROPOSED and quote.proposed_by_id == board.id


@pytest.mark.parametrize("role", [Role.WORKER, Role.MANAGER])
def test_casework_staff_cannot_reach_the_board_pages(auth, client, create_user, role,
                                                     create_session):
    event = create_session()
    auth.sign_in(create_user(role).email)
    for path in ("/board/", "/board/sessions", f"/board/sessions/{event.id}", "/board/quotes",
                 "/board/export?period=2026-Q3&format=csv"):
        assert client.get(path).status_code == 404, path


def test_the_join_code_opens_only_between_the_sessions_dates(app, create_session):
    event = create_session(starts=date(2020, 1, 1), days=1)
    tablet = app.test_client()
    page = tablet.post("/", data={"code": codes.display(event.join_code)})
    assert page.status_code == 200 and "Location" not in page.headers


def test_a_session_page_shows_no_figure_the_board_tables_hide(client, board, create_session,
                                                              builtin_questionnaires):
    """A session's figures are its cells in the year's tables: a session big enough to show
    on its own may still be hidden there, to protect a small one beside it (7 + c + 8 = 18
    would give the c away); its page must not show what the tables hide."""
    version = builtin_questionnaires["board-session"]
    day = date(today().year - 1, 5, 12)
    sizes = {"big": 7, "small": 3, "bigger": 8}
    events = {}
    for name, size in sizes.items():
        event = create_session(starts=day, safeguarding_lead=board)
        event.participant_count = event.device_count = size
        for _ in range(size):
            respond(version, themes=["school"], on=day, event=event, commit=False)
        events[name] = event
    db.session.commit()
    tables = [summaries.build_summary(db.session, Period.parse(code), 6).breakdowns["session"]
              for code in (f"{day:%Y-%m}", f"{day.year}-Q2", str(day.year))]
    shown_in_tables = {event.id for event in events.values() for table in tables
                       if table.responses and not table.responses[event.id].is_suppressed}
    assert events["small"].id not in shown_in_tables
    assert len(shown_in_tables) < 2, "no complement was needed: the test proves nothing"
    listing = client.get("/board/sessions").get_data(as_text=True)
    for name, event in events.items():
        page = client.get(f"/board/sessions/{event.id}").get_data(as_text=True)
        shows_count = f">{sizes[name]}<" in page
        assert shows_count == (event.id in shown_in_tables), name
        if event.id not in shown_in_tables:  # nor its themes, which would add up to it
            assert "School and learning" not in page
    assert listing.count("(suppressed)") >= len(events) - len(shown_in_tables)
