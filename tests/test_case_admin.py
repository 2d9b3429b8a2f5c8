"""Managers open, change, move and close cases in the web pages."""

import pytest
from sqlalchemy import select

from feedback.extensions import db
from feedback.models import AgeBand, AuditEvent, Case, Role
from feedback.models.cases import CASE_AGE_BANDS


@pytest.fixture()
def team(create_pod, create_user, auth):
    north, south = create_pod("North"), create_pod("South")
    manager = create_user(Role.MANAGER, north, email="manager@council.example")
    worker = create_user(Role.WORKER, north, name="Amy Worker")
    other = create_user(Role.WORKER, south, name="Ben Worker")
    auth.sign_in(manager.email)
    return {"north": north, "south": south, "manager": manager, "worker": worker,
            "other": other}


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def new_case(client, team, **changes):
    data = {"reference": "p123", "display_name": "Leah", "pod": team["north"].id,
            "worker": str(team["worker"].id), "age_band": "11-13", "language": "cy",
            **changes}
    return client.post("/staff/cases/new", data=data)


def test_the_case_age_bands_are_the_boards(app):
    assert CASE_AGE_BANDS == tuple(band.value for band in AgeBand)


def test_a_manager_opens_a_case_with_every_field(client, team):
    assert client.get("/staff/cases/new").status_code == 200
    response = new_case(client, team, legal_hold="y")
    assert response.status_code == 302
    case = db.session.scalar(select(Case).where(Case.reference == "P123"))
    assert (case.display_name, case.pod_id, case.allocated_worker_id, case.age_band,
            case.preferred_language, case.is_on_legal_hold) == \
        ("Leah", team["north"].id, team["worker"].id, "11-13", "cy", True)
    [event] = events("case.create")
    assert event.actor_id == team["manager"].id and "Leah" not in str(event.detail)


def test_errors_are_summarised_and_what_was_typed_stays(client, team, create_case):
    create_case(team["north"], reference="P123")
    page = new_case(client, team, display_name="Jo" * 31,
                    worker=str(team["other"].id)).get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "A case with this reference already exists" not in page  # length first
    assert "60 characters or fewer" in page
    assert 'value="P123"' in page or 'value="p123"' in page
    page = new_case(client, team, worker=str(team["worker"].id)).get_data(as_text=True)
    assert "A case with this reference already exists" in page
    assert 'value="Leah"' in page


def test_a_worker_from_another_pod_cannot_be_allocated(client, team, create_case):
    case = create_case(team["north"], reference="P9")
    page = client.post(f"/staff/cases/{case.reference}/edit",
                       data={"reference": "P9", "worker": str(team["other"].id),
                             "age_band": "", "language": "en"}).get_data(as_text=True)
    assert "Not a valid choice" in page or "must be in the case" in page
    db.session.refresh(case)
    assert case.allocated_worker_id is None


def test_a_manager_edits_a_case_and_the_audit_names_the_fields_only(client, team,
                                                                    create_case):
    case = create_case(team["north"], reference="P9")
    response = client.post("/staff/cases/P9/edit",
                           data={"reference": "P9", "display_name": "Amir", "age_band": "7-10",
                                 "worker": str(team["worker"].id), "language": "ar"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.display_name, case.age_band, case.preferred_language) == ("Amir", "7-10", "ar")
    [event] = events("case.edit")
    assert set(event.detail["changed"]) == {"display_name", "age_band", "preferred_language",
                                            "allocated_worker_id"}


def test_a_transfer_moves_the_case_out_of_sight_with_an_audit_event(
        client, team, create_case):
    case = create_case(team["north"], reference="P9")
    assert client.get("/staff/cases/P9/transfer").status_code == 200
    response = client.post("/staff/cases/P9/transfer",
                           data={"pod": team["south"].id, "worker": str(team["other"].id)})
    assert response.status_code == 302
    db.session.refresh(case)
    assert (case.pod_id, case.allocated_worker_id) == (team["south"].id, team["other"].id)
    [event] = events("case.transfer")
    assert event.detail["from_pod"] == team["north"].id
    assert event.detail["to_pod"] == team["south"].id
    assert client.get("/staff/cases/P9").status_code == 404


def test_a_transfer_to_someone_outside_the_new_pod_is_refused(client, team, create_case):
    case = create_case(team["north"], reference="P9")
    page = client.post("/staff/cases/P9/transfer",
                       data={"pod": team["south"].id, "worker": str(team["worker"].id)})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.get_data(as_text=True)
    db.session.refresh(case)
    assert case.pod_id == team["north"].id


def test_closing_and_reopening_a_case(client, team, create_case, create_access_code, child):
    case = create_case(team["north"], reference="P9")
    code = create_access_code(case)
    assert client.post("/staff/cases/P9/close").status_code == 302
    db.session.refresh(case)
    assert not case.is_open and case.closed_at is not None
    assert len(events("case.close")) == 1
    client.post("/staff/cases/P9/close")
    assert len(events("case.close")) == 1
    assert client.post("/staff/cases/P9/reopen").status_code == 302
    db.session.refresh(case)
    assert case.is_open and len(events("case.reopen")) == 1
    assert code


@pytest.mark.parametrize("path", ["/staff/cases/new", "/staff/cases/P9/edit",
                                  "/staff/cases/P9/transfer"])
def test_a_worker_cannot_manage_cases(client, create_pod, create_user, create_case, auth, path):
    pod = create_pod()
    create_case(pod, reference="P9")
    auth.sign_in(create_user(Role.WORKER, pod).email)
    assert client.get(path).status_code == 404


def test_nonsense_never_makes_a_500(client, team, create_case):
    create_case(team["north"], reference="P9")
    for path, data in [("/staff/cases/new", {"pod": "x", "worker": "nobody"}),
                       ("/staff/cases/P9/edit", {"reference": "\x00" * 70, "language": "zz"}),
                       ("/staff/cases/P9/transfer", {"pod": "999999"})]:
        assert client.post(path, data=data).status_code in (200, 400)
