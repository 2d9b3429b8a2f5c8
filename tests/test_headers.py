"""The exact security headers on a child page, a staff page, an error page and a static file."""

import pytest

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'")
COMMON = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def security_headers(response) -> dict[str, str]:
    names = [*COMMON, "Referrer-Policy", "Strict-Transport-Security", "Clear-Site-Data"]
    return {name: response.headers[name] for name in names if name in response.headers}


def test_a_child_page(client):
    response = client.get("/")
    assert security_headers(response) == {**COMMON, "Referrer-Policy": "no-referrer"}


def test_a_staff_page(client, auth, create_user):
    auth.sign_in(create_user().email)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert security_headers(response) == {**COMMON, "Referrer-Policy": "same-origin"}


def test_an_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert security_headers(response) == {**COMMON, "Referrer-Policy": "no-referrer"}


def test_a_static_file(client):
    with client.get("/static/build/app.css", headers={"Accept-Encoding": "gzip"}) as response:
        response.get_data()
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert {k: response.headers.get(k) for k in
            ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
             "Cross-Origin-Resource-Policy")} == {
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin"}
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_https_adds_strict_transport_security(client):
    response = client.get("/", base_url="https://feedback.council.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"


def test_cookies_are_httponly_and_samesite(app_factory):
    response = app_factory(WTF_CSRF_ENABLED=True).test_client().get("/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/", "/help", "/staff/sign-in"])
def test_no_page_names_its_software(client, path):
    assert "Server" not in client.get(path).headers


def test_a_static_file_over_https_has_strict_transport_security(client):
    with client.get("/static/build/app.css", base_url="https://feedback.council.example") \
            as response:
        response.get_data()
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == \
        "max-age=63072000; includeSubDomains"
    with client.get("/static/build/app.css") as plain:
        plain.get_data()
    assert "Strict-Transport-Security" not in plain.headers
