"""Every file the service hands over is kept in no cache (penetration test, issue 22).

A download (``Content-Disposition: attachment``) carries a child's words or the
board's figures: no browser or proxy cache may keep a copy.
"""

import pytest
from flask import Response

from feedback.models import Role, today
from feedback.services.reports import default_period


@pytest.fixture()
def manager_case(auth, create_user, create_pod, create_case):
    pod = create_pod()
    auth.sign_in(create_user(Role.MANAGER, pod).email)
    return create_case(pod)


def assert_not_cached(response):
    response.get_data()  # a streamed download is read to its end, as a browser would
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_board_downloads(client, auth, create_user, fmt):
    auth.sign_in(create_user(Role.BOARD).email)
    period = default_period(today()).code
    assert_not_cached(client.get("/board/export", query_string={"period": period,
                                                                "format": fmt}))


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_case_record_downloads(client, manager_case, fmt):
    response = client.post(f"/staff/cases/{manager_case.reference}/export",
                           data={"from_date": "2020-01-01", "to_date": today().isoformat(),
                                 "format": fmt})
    assert_not_cached(response)


def test_the_subject_access_download(client, manager_case):
    assert_not_cached(client.get(f"/staff/cases/{manager_case.reference}/subject-access"))


def test_any_attachment_is_kept_in_no_cache(app, client):
    """The rule is the app's, not each view's: a download added later is covered too."""
    @app.get("/test-only/download")
    def download() -> Response:
        return Response(b"a,b\n", mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="x.csv"',
                                 "Cache-Control": "public, max-age=600"})

    app.view_functions["download"].is_public = True
    assert_not_cached(client.get("/test-only/download"))
