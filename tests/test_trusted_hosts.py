"""Only the service's own host names are answered (penetration test, issue 22).

A request naming another ``Host`` could poison a cache or a link built from it:
it gets the friendly 400 page.
"""

import pytest

from feedback.config import ConfigError, load_config

PRODUCTION = {"SECRET_KEY": "x" * 40, "REDIS_URL": "redis://r", "DUTY_PHONE": "0300 123 4567"}


def test_another_host_is_a_bad_request(app_factory):
    client = app_factory(TRUSTED_HOSTS="feedback.council.example").test_client()
    assert client.get("/", base_url="https://feedback.council.example").status_code == 200
    for host in ("evil.example", "feedback.council.example.evil.example", "127.0.0.1"):
        response = client.get("/", base_url=f"https://{host}")
        assert response.status_code == 400, host
        assert "Something went wrong with that request" in response.get_data(as_text=True)
    response = client.get("/help", headers={"Host": "evil.example"})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_the_health_checks_answer_any_host(app_factory, path):
    """A load balancer asks by the server's address; these pages build no links."""
    client = app_factory(TRUSTED_HOSTS="feedback.council.example").test_client()
    assert client.get(path, base_url="http://10.0.0.5:8000").status_code == 200


def test_a_port_does_not_matter(app_factory):
    client = app_factory(TRUSTED_HOSTS="feedback.council.example").test_client()
    assert client.get("/", base_url="https://feedback.council.example:8443").status_code == 200


def test_the_setting_is_a_comma_separated_list(tmp_path):
    config = load_config({**PRODUCTION, "TRUSTED_HOSTS": " a.example , B.example,"},
                         str(tmp_path))
    assert config["TRUSTED_HOSTS"] == ["a.example", "b.example"]


def test_production_trusts_the_host_of_its_base_url(tmp_path):
    config = load_config({**PRODUCTION, "BASE_URL": "https://Feedback.Council.example/"},
                         str(tmp_path))
    assert config["TRUSTED_HOSTS"] == ["feedback.council.example"]


def test_production_refuses_to_start_trusting_any_host(tmp_path):
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS"):
        load_config(PRODUCTION, str(tmp_path))


def test_outside_production_every_host_is_answered_unless_told(tmp_path):
    config = load_config({"FEEDBACK_ENV": "development"}, str(tmp_path))
    assert config["TRUSTED_HOSTS"] is None
