"""Command-line tasks an administrator runs."""

from sqlalchemy import func, select

from feedback.extensions import db
from feedback.models import Alert, Case, Comment, Pod, Role, StaffUser
from feedback.demo import DEMO_PASSWORD


def test_create_staff_reads_the_password_from_stdin_and_the_person_can_sign_in(runner, auth):
    result = runner.invoke(args=["create-staff", "--email", "New.Worker@test.example",
                                 "--name", "New Worker", "--role", "worker", "--pod", "East",
                                 "--password-stdin"], input="a-long-enough-password\n")
    assert result.exit_code == 0, result.output
    assert "Created worker new.worker@test.example" in result.output
    response = auth.sign_in("new.worker@test.example", "a-long-enough-password")
    assert response.status_code == 302


def test_create_staff_refuses_a_short_password(runner):
    result = runner.invoke(args=["create-staff", "--email", "a@test.example", "--name", "A",
                                 "--role", "admin", "--password-stdin"], input="short\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_create_staff_refuses_a_worker_without_a_pod(runner):
    result = runner.invoke(args=["create-staff", "--email", "a@test.example", "--name", "A",
                                 "--role", "worker", "--password-stdin"],
                           input="a-long-enough-password\n")
    assert result.exit_code != 0
    assert "a worker needs a pod" in result.output


def test_demo_data_builds_two_pods_of_cases_a_duty_team_and_prints_the_sign_ins(
        runner, auth, client):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "worker.north@demo.example" in result.output
    assert DEMO_PASSWORD in result.output
    assert db.session.scalar(select(func.count()).select_from(Pod)) == 3
    assert db.session.scalars(select(Pod.name).where(Pod.is_duty_team)).all() == [
        "Front door duty team"]
    assert "worker.front@demo.example" in result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == 20
    assert db.session.scalar(select(func.count()).select_from(Comment)) > 300
    assert db.session.scalar(select(func.count()).select_from(Alert)) > 0
    languages = set(db.session.scalars(select(Comment.language).distinct()))
    assert {"en", "cy", "pl", "ar"} <= languages
    roles = set(db.session.scalars(select(StaffUser.role)))
    assert roles == set(Role)
    assert auth.sign_in("worker.north@demo.example", DEMO_PASSWORD).status_code == 302


def test_demo_data_twice_changes_nothing(runner):
    runner.invoke(args=["demo-data"])
    before = db.session.scalar(select(func.count()).select_from(Comment))
    result = runner.invoke(args=["demo-data"])
    assert "already loaded" in result.output
    assert db.session.scalar(select(func.count()).select_from(Comment)) == before


def test_with_the_demo_a_north_worker_gets_404_for_a_south_case(runner, auth, client):
    runner.invoke(args=["demo-data"])
    south = db.session.scalar(select(Case).join(Pod).where(Pod.name == "South pod"))
    north = db.session.scalar(select(Case).join(Pod).where(Pod.name == "North pod"))
    auth.sign_in("worker.north@demo.example", DEMO_PASSWORD)
    assert client.get(f"/staff/cases/{north.reference}").status_code == 200
    assert client.get(f"/staff/cases/{south.reference}").status_code == 404
