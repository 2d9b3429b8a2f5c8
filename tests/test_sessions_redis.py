"""With REDIS_URL set, sessions live in Redis and signing out still ends them."""

import pytest
from redis import Redis

from servers import REDIS_URL, require


@pytest.fixture()
def redis_app(app_factory):
    require("Redis", REDIS_URL)
    Redis.from_url(REDIS_URL).flushdb()
    app = app_factory(REDIS_URL=REDIS_URL)
    with app.app_context():
        yield app
    Redis.from_url(REDIS_URL).flushdb()


def test_sign_out_ends_a_redis_session_for_anyone_replaying_the_cookie(redis_app,
                                                                       create_user):
    user = create_user()
    client = redis_app.test_client()
    client.post("/staff/sign-in", data={"email": user.email,
                                        "password": "correct-horse-battery"})
    stolen = client.get_cookie("session").value
    assert Redis.from_url(REDIS_URL).exists(f"session:{stolen}")
    assert client.get("/staff/").status_code == 200
    client.post("/staff/sign-out")
    replay = redis_app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/staff/").status_code == 302
    assert not Redis.from_url(REDIS_URL).exists(f"session:{stolen}")
