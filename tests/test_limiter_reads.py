"""A limit put on a page read applies: nothing in the app skips the limiter for GETs."""

from feedback.extensions import limiter
from feedback.web.security import public


def test_a_limit_on_a_read_is_applied(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)

    @app.get("/test-limited-read")
    @public
    @limiter.limit("2 per minute")
    def limited_read() -> str:
        return "read"

    client = app.test_client()
    statuses = [client.get("/test-limited-read").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
