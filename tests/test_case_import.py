"""Bulk import of cases from the case-management system's CSV: command line and web."""

import re
import time

import pytest
from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import AuditEvent, Case, Role

HEADER = "reference,first_name,pod,worker_email,age_band,language\n"


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture()
def pods(create_pod, create_user):
    north, south = create_pod("North"), create_pod("South")
    create_user(Role.WORKER, north, email="amy@council.example")
    create_user(Role.WORKER, south, email="ben@council.example")
    return north, south


def write(tmp_path, *lines, name="cases.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    return str(path)


def run(runner, path, *options):
    return runner.invoke(args=["cases", "import", path, *options])


def test_a_file_creates_and_updates_cases_and_reports_each_row(runner, tmp_path, pods,
                                                               create_case):
    north, south = pods
    create_case(north, reference="P100")
    path = write(tmp_path, "P100,Leah,South,ben@council.example,11-13,cy",
                 "p200,,north,,,", "P300,Amir,North,AMY@council.example,7–10,ar-SY")
    result = run(runner, path)
    assert result.exit_code == 0, result.output
    assert "line 2: P100: updated" in result.output
    assert "line 3: P200: created" in result.output
    assert "2 created, 1 updated, 0 unchanged, 0 refused" in result.output
    db.session.expire_all()
    moved = db.session.scalar(select(Case).where(Case.reference == "P100"))
    assert (moved.pod_id, moved.display_name, moved.age_band, moved.preferred_language) == \
        (south.id, "Leah", "11-13", "cy")
    assert moved.allocated_worker.email == "ben@council.example"
    made = db.session.scalar(select(Case).where(Case.reference == "P300"))
    assert (made.age_band, made.preferred_language, made.allocated_worker.email) == \
        ("7-10", "ar", "amy@council.example")
    plain = db.session.scalar(select(Case).where(Case.reference == "P200"))
    assert (plain.display_name, plain.allocated_worker_id, plain.preferred_language) == \
        (None, None, "en")
    actions = dict(db.session.execute(select(AuditEvent.action, func.count())
                                      .group_by(AuditEvent.action)).all())
    assert actions["case.create"] == 2 and actions["case.transfer"] == 1
    assert actions["case.edit"] == 1 and actions["case.import"] == 1
    assert "Leah" not in str(db.session.scalars(select(AuditEvent.detail)).all())


def test_the_same_file_twice_changes_nothing_the_second_time(runner, tmp_path, pods):
    path = write(tmp_path, "P1,Jo,North,,,en")
    assert run(runner, path).exit_code == 0
    result = run(runner, path)
    assert "0 created, 0 updated, 1 unchanged, 0 refused" in result.output


def test_one_bad_row_imports_nothing_and_says_why_for_each_row(runner, tmp_path, pods):
    path = write(tmp_path, "P1,Jo,North,,,en", "P2,,Nowhere,,,", "P3,,North,ben@council.example,,",
                 "P4,,North,,6-9,", "P1,,North,,,", ",,North,,,", "P5,,North,,,xx")
    result = run(runner, path)
    assert result.exit_code != 0
    assert count(Case) == 0
    for expected in ("line 3: P2: refused: There is no pod called “Nowhere”",
                     "line 4: P3: refused: The allocated worker must be in the case's pod",
                     "line 5: P4: refused: “6-9” is not an age band",
                     "line 6: P1: refused: This reference is also on line 2 of the file",
                     "line 7: (no reference): refused: Enter the case reference",
                     "line 8: P5: refused: “xx” is not a language",
                     "1 created, 0 updated, 0 unchanged, 6 refused",
                     "Nothing was imported"):
        assert expected in result.output


def test_skip_bad_rows_imports_the_good_ones(runner, tmp_path, pods):
    path = write(tmp_path, "P1,Jo,North,,,en", "P2,,Nowhere,,,", "P3,,South,,,")
    result = run(runner, path, "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert "Refused rows were skipped" in result.output
    assert set(db.session.scalars(select(Case.reference))) == {"P1", "P3"}


def test_a_dry_run_reports_and_changes_nothing(runner, tmp_path, pods):
    result = run(runner, write(tmp_path, "P1,Jo,North,,,en"), "--dry-run")
    assert result.exit_code == 0
    assert "1 created" in result.output and "Dry run: nothing was imported" in result.output
    assert count(Case) == 0 and count(AuditEvent, AuditEvent.action.like("case.%")) == 0


@pytest.mark.parametrize("content, expected", [
    (b"reference,pod\nP1,North\n", "Missing: first_name, worker_email, age_band, language"),
    (HEADER.encode() + b"P1,J\xe9,North,,,\n", "not UTF-8"),
    (HEADER.encode() + b'"P1,,North,,,\n', "not a CSV file"),
])
def test_a_file_that_is_not_the_expected_csv_is_refused_whole(
        runner, tmp_path, pods, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run(runner, str(path))
    assert result.exit_code != 0
    assert expected in result.output
    assert count(Case) == 0


def test_ten_thousand_rows_import_in_one_transaction_well_under_thirty_seconds(
        runner, tmp_path, pods, create_case, capsys):
    north, _ = pods
    for n in range(50):  # some exist already, one in the other pod: updates and transfers
        create_case(north, reference=f"C{n:06d}")
    lines = [f"C{n:06d},Name{n},{'North' if n % 3 else 'South'},"
             f"{'amy@council.example' if n % 3 else ''},{['7-10', '11-13', '', '16-18'][n % 4]},"
             f"{['en', 'cy', 'pl', 'ar'][n % 4]}" for n in range(10_000)]
    path = write(tmp_path, *lines)
    started = time.perf_counter()
    result = run(runner, path)
    took = time.perf_counter() - started
    assert result.exit_code == 0, result.output[-500:]
    assert "9950 created, 50 updated, 0 unchanged, 0 refused" in result.output
    assert count(Case) == 10_000
    assert count(AuditEvent, AuditEvent.action == "case.create") == 9950
    assert took < 30
    with capsys.disabled():
        print(f"\n10,000-row import took {took:.2f} s")


def test_ten_thousand_rows_with_one_bad_row_import_nothing(runner, tmp_path, pods):
    lines = [f"C{n:06d},,North,,," for n in range(10_000)]
    lines[7_777] = "C007777,,North,,,klingon"
    result = run(runner, write(tmp_path, *lines))
    assert result.exit_code != 0
    assert "line 7779: C007777: refused" in result.output
    assert count(Case) == 0


# The web: a manager uploads, sees the report, and confirms.

@pytest.fixture()
def manager(pods, create_user, auth):
    north, _ = pods
    user = create_user(Role.MANAGER, north, email="manager@council.example")
    auth.sign_in(user.email)
    return user


def upload(client, content, **data):
    from io import BytesIO
    return client.post("/staff/cases/import", data={"file": (BytesIO(content), "cases.csv"),
                                                    **data},
                       content_type="multipart/form-data")


def test_a_manager_previews_an_import_and_confirms_it(client, manager):
    content = (HEADER + "P1,Jo,North,,,\nP2,,North,amy@council.example,,\n").encode()
    preview = upload(client, content)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "2 cases will be created" in page
    assert count(Case) == 0
    csv_text = re.search(r'name="csv_text" type="hidden" value="([^"]*)"', page)
    assert csv_text, page
    done = client.post("/staff/cases/import/confirm",
                       data={"csv_text": content.decode(), "skip_bad_rows": ""})
    assert done.status_code == 302
    assert count(Case) == 2


def test_a_manager_cannot_import_into_a_pod_they_do_not_manage(client, manager):
    content = (HEADER + "P1,Jo,South,,,\n").encode()
    page = upload(client, content).get_data(as_text=True)
    assert "“South” is not one of your pods" in page
    client.post("/staff/cases/import/confirm", data={"csv_text": content.decode()})
    assert count(Case) == 0


def test_an_upload_without_a_file_shows_the_error_summary(client, manager):
    response = client.post("/staff/cases/import", data={},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_a_worker_has_no_import_page(client, pods, create_user, auth):
    user = create_user(Role.WORKER, pods[0])
    auth.sign_in(user.email)
    assert client.get("/staff/cases/import").status_code == 404
