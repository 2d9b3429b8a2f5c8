"""``next=`` leads only to a path on this site (penetration test, issue 22).

``/language/en?next=/%09/evil.example`` answered ``Location: //evil.example``:
browsers drop tabs and line breaks from a URL and read a backslash as a slash,
so ``/\\t/host`` and ``/\\host`` lead to another site.
"""

from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedback.web.redirects import safe_next

FALLBACK = "/fallback"
BASE = "https://feedback.council.example/questions/2"
OFF_SITE = [
    "//evil.example", "/\t/evil.example", "/%09/evil.example", "/\n/evil.example",
    "/\r/evil.example", "/\\evil.example", "\\\\evil.example", "/%5Cevil.example",
    "/%2F/evil.example", "/%2f%2fevil.example", "/%252F/evil.example", "https://evil.example",
    "https:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
    " /\\evil.example", "\x00/evil.example", "/\x00/evil.example", "evil.example",
    "", "//", "/ /evil.example", "/\u3000/evil.example", "/\u2028/evil.example",
    "/\x7f/evil.example", "/%E2%80%A8/x", "/check\r\nSet-Cookie: x=y", "/%0d%0aX: y",
    "///evil.example", "/.//evil.example?x", None,
]
ON_SITE = ["/", "/check", "/questions/2?missing=1", "/staff/cases/ABC-1?page=2&show=all",
           "/help#tell", "/questions/1?change=1", "/caf%C3%A9", "/café"]

#: What a browser does to a Location before resolving it (WHATWG URL): drop tabs
#: and line breaks, strip leading and trailing controls and spaces, read \\ as /.
BROWSER_DROPS = str.maketrans({"\t": None, "\n": None, "\r": None, "\\": "/"})


def as_browser_resolves(location: str) -> str:
    cleaned = location.strip("".join(map(chr, range(0x21)))).translate(BROWSER_DROPS)
    return urljoin(BASE, cleaned)


@pytest.mark.parametrize("value", OFF_SITE)
def test_anything_but_a_path_on_this_site_is_refused(value):
    assert safe_next(value, FALLBACK) == FALLBACK


@pytest.mark.parametrize("value", ON_SITE)
def test_a_path_on_this_site_is_kept(value):
    assert safe_next(value, FALLBACK) == value


TOKENS = [*"/\\:%.?#@ \t\n\r\x00\x7fabcx09AF", "%2f", "%5c", "%09", "%0a", "%25", "//", "\u3000",
          "http:", "evil.example", "/./", "/../"]
url_text = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)


@settings(max_examples=3000, deadline=None, database=None)
@given(st.one_of(url_text, st.text(max_size=40)))
@example("/%09/evil.example")
def test_whatever_is_kept_stays_on_this_site(value):
    kept = safe_next(value, FALLBACK)
    assert kept in (value, FALLBACK)
    if kept == FALLBACK:
        return
    for form in (kept, unquote(kept), unquote(unquote(kept))):
        resolved = urlsplit(as_browser_resolves(form))
        assert (resolved.scheme, resolved.netloc) == ("https", "feedback.council.example"), form
        assert form.startswith("/") and not form.startswith(("//", "/\\"))
        assert not any(ch.isspace() or not ch.isprintable() or ch == "\\" for ch in form)


@pytest.mark.parametrize("value", ["/%09/evil.example", "/\\evil.example", "//evil.example",
                                   "https://evil.example/", "/%5C%5Cevil.example"])
def test_the_language_link_never_leaves_the_site(client, value):
    response = client.get("/language/en", query_string={"next": value})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_language_link_comes_back_to_the_page(client):
    response = client.get("/language/cy", query_string={"next": "/questions/2?missing=1"})
    assert response.headers["Location"] == "/questions/2?missing=1"
