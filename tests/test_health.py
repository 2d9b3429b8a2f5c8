"""The load balancer's probes."""


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_says_ready_when_the_database_takes_writes(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready"}


def test_readyz_fails_without_internals_when_redis_is_unreachable(app_factory):
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}


def test_readyz_asks_redis_through_the_apps_own_connections(app_factory):
    from redis import Redis

    from servers import REDIS_URL, require

    require("Redis", REDIS_URL)
    app = app_factory(REDIS_URL=REDIS_URL)
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    server = Redis.from_url(REDIS_URL)
    before = server.info("stats")["total_connections_received"]
    for _ in range(200):
        assert client.get("/readyz").status_code == 200
    opened = server.info("stats")["total_connections_received"] - before
    assert opened < 50, f"200 probes opened {opened} connections to Redis"
