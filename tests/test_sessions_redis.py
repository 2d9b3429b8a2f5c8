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


def test_after_a_child_sends_no_redis_session_holds_their_words(
        redis_app, create_case, create_access_code):
    from apps import ChildActions

    child = ChildActions(redis_app.test_client())
    child.enter_code(create_access_code(create_case(), "how-are-things"))
    for number, answer in ((1, "4"), (2, "3"), (3, "the park"),
                           (4, "words only the case record keeps"), (5, "yes"), (6, "")):
        child.answer(number, answer=answer)
    redis = Redis.from_url(REDIS_URL)
    before = child.client.get_cookie("session").value
    assert b"words only the case record keeps" in redis.get(f"session:{before}")
    assert child.send().headers["Location"] == "/thank-you"
    after = child.client.get_cookie("session").value
    assert after != before
    assert not redis.exists(f"session:{before}")  # dropped with the new one's write
    assert redis.exists(f"session:{after}")
    assert not any(b"words only the case record keeps" in redis.get(key)
                   for key in redis.scan_iter("session:*"))


def test_an_unchanged_redis_session_waits_a_minute_and_a_changed_one_is_written(
        redis_app, create_case, create_access_code):
    from apps import ChildActions

    child = ChildActions(redis_app.test_client())
    child.enter_code(create_access_code(create_case()))
    child.client.get("/welcome")
    key, redis = f"session:{child.client.get_cookie('session').value}", Redis.from_url(REDIS_URL)
    assert 540 < redis.ttl(key) <= 600  # a child's ten idle minutes
    redis.expire(key, 420)
    for _ in range(3):
        child.client.get("/welcome")
    assert redis.ttl(key) <= 420  # not rewritten
    child.answer(1, answer="4")
    assert redis.ttl(key) > 540


def test_signing_in_deletes_the_anonymous_redis_session(redis_app, create_user):
    client = redis_app.test_client()
    client.get("/staff/sign-in")
    with client.session_transaction() as session:
        session["probe"] = 1
    before = client.get_cookie("session").value
    client.post("/staff/sign-in", data={"email": create_user().email,
                                        "password": "correct-horse-battery"})
    after = client.get_cookie("session").value
    redis = Redis.from_url(REDIS_URL)
    assert before != after
    assert not redis.exists(f"session:{before}")
    assert 1740 < redis.ttl(f"session:{after}") <= 1800  # staff: thirty idle minutes


def test_cookieless_visits_store_nothing_in_redis(app_factory):
    require("Redis", REDIS_URL)
    server = Redis.from_url(REDIS_URL)
    server.flushdb()
    app = app_factory(REDIS_URL=REDIS_URL, WTF_CSRF_ENABLED=True)
    for _ in range(200):
        assert "csrf_token" in app.test_client().get("/").get_data(as_text=True)
    assert server.keys("session:*") == []
