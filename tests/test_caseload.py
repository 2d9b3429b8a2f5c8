"""A worker's "My cases" and their pods' caseload, with search, last heard, unread and drift."""

from datetime import timedelta

import pytest

from feedback.extensions import db
from feedback.models import Role, utcnow


@pytest.fixture()
def pod_world(create_pod, create_user, create_case, create_response, auth):
    pod, other = create_pod("North"), create_pod("South")
    me = create_user(Role.WORKER, pod, name="Me")
    colleague = create_user(Role.WORKER, pod, name="Colleague")
    mine = create_case(pod, reference="P001")
    mine.display_name, mine.allocated_worker_id = "Leah", me.id
    theirs = create_case(pod, reference="P002")
    theirs.display_name, theirs.allocated_worker_id = "Amir", colleague.id
    elsewhere = create_case(other, reference="P003")
    elsewhere.display_name = "Leah"
    db.session.commit()
    create_response(mine, "one", "two")
    create_response(theirs, "old", submitted_at=utcnow() - timedelta(days=90))
    auth.sign_in(me.email)
    return {"me": me}


def test_my_cases_lists_only_those_allocated_to_me_with_unread_and_last_heard(client,
                                                                              pod_world):
    page = client.get("/staff/my-cases").get_data(as_text=True)
    assert "P001" in page and "P002" not in page and "P003" not in page
    assert "Leah" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in page


def test_the_caseload_shows_the_pod_and_its_drift(client, pod_world):
    page = client.get("/staff/caseload").get_data(as_text=True)
    assert "P001" in page and "P002" in page and "P003" not in page
    assert page.count("Not heard from in") == 1  # P002: ninety days ago
    assert "Colleague" in page


@pytest.mark.parametrize("query, shown, hidden", [
    ("leah", "P001", "P002"), ("p002", "P002", "P001"), ("002", "P002", "P001"),
    ("%", None, "P001"), ("nobody", None, "P001"),
])
def test_search_by_reference_or_name_inside_my_pods_only(client, pod_world, query, shown,
                                                         hidden):
    page = client.get("/staff/caseload", query_string={"q": query}).get_data(as_text=True)
    if shown:
        assert shown in page
    assert hidden not in page
    assert "P003" not in page


def test_closed_cases_are_hidden_unless_asked_for(client, pod_world):
    from sqlalchemy import select
    from feedback.models import Case
    case = db.session.scalar(select(Case).where(Case.reference == "P002"))
    case.is_open = False
    db.session.commit()
    assert "P002" not in client.get("/staff/caseload").get_data(as_text=True)
    assert "P002" in client.get("/staff/caseload?closed=1").get_data(as_text=True)


def test_nonsense_in_the_address_never_makes_a_500(client, pod_world):
    for query in ({"page": "x"}, {"page": "-5"}, {"pod": "99999"}, {"q": "\x00" * 500}):
        assert client.get("/staff/caseload", query_string=query).status_code == 200
