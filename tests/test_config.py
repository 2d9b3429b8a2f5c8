"""Settings come from the environment; production has no secret defaults."""

import re
from pathlib import Path

import pytest

from feedback.config import SETTINGS, ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent
#: The least a production server is started with.
PRODUCTION = {"SECRET_KEY": "x" * 40, "REDIS_URL": "redis://r", "DUTY_PHONE": "0300 123 4567",
              "BASE_URL": "https://feedback.council.example"}


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="SECRET_KEY is required"):
        load_config({"REDIS_URL": "redis://r"}, str(tmp_path))


def test_production_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="at least 32"):
        load_config({"SECRET_KEY": "short", "REDIS_URL": "redis://r"}, str(tmp_path))


def test_production_refuses_in_memory_rate_limits(tmp_path):
    with pytest.raises(ConfigError, match="REDIS_URL is required in production"):
        load_config({"SECRET_KEY": "x" * 40}, str(tmp_path))


def test_production_refuses_to_start_without_the_duty_team_number(tmp_path):
    with pytest.raises(ConfigError, match="DUTY_PHONE is required in production"):
        load_config({**PRODUCTION, "DUTY_PHONE": ""}, str(tmp_path))


def test_the_duty_team_number_must_be_a_number_a_child_can_tap(tmp_path):
    with pytest.raises(ConfigError, match="DUTY_PHONE must be a phone number"):
        load_config({**PRODUCTION, "DUTY_PHONE": "ask at reception"}, str(tmp_path))


def test_outside_production_a_made_up_duty_number_stands_in(tmp_path):
    config = load_config({"FEEDBACK_ENV": "development"}, str(tmp_path))
    assert config["DUTY_PHONE"] == "01632 960000"  # Ofcom's range for drama


def test_development_makes_a_secret_key_once_and_keeps_it(tmp_path):
    first = load_config({"FEEDBACK_ENV": "development"}, str(tmp_path))["SECRET_KEY"]
    second = load_config({"FEEDBACK_ENV": "development"}, str(tmp_path))["SECRET_KEY"]
    assert len(first) >= 32 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_database_defaults_to_sqlite_under_instance(tmp_path):
    config = load_config({"FEEDBACK_ENV": "development"}, str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'feedback.sqlite'}"


@pytest.mark.parametrize(("url", "ping"), [
    ("sqlite:///x.sqlite", False), ("postgresql+psycopg://db/feedback", True)])
def test_only_a_database_server_is_pinged_before_use(tmp_path, url, ping):
    # A server may drop an idle connection; a SQLite file cannot.
    config = load_config({"FEEDBACK_ENV": "development", "DATABASE_URL": url}, str(tmp_path))
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is ping
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


@pytest.mark.parametrize("threshold", ["0", "5"])
def test_small_number_suppression_cannot_go_below_six(tmp_path, threshold):
    with pytest.raises(ConfigError, match="SUPPRESSION_THRESHOLD must be at least 6"):
        load_config({"FEEDBACK_ENV": "development", "SUPPRESSION_THRESHOLD": threshold},
                    str(tmp_path))


def test_a_setting_that_is_not_a_number_is_named(tmp_path):
    with pytest.raises(ConfigError, match="DRIFT_DAYS must be a whole number"):
        load_config({"FEEDBACK_ENV": "development", "DRIFT_DAYS": "six weeks"}, str(tmp_path))


def test_production_cookies_are_secure_and_host_only(tmp_path):
    config = load_config(PRODUCTION, str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_the_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.M))
    assert documented == {setting.name for setting in SETTINGS}
