"""A PDF fetches nothing but the app's own static files (penetration test, issue 22).

The case record's renderer had no guard: a page naming ``http://``, ``file://``
or ``data:`` would have had WeasyPrint fetch it. Both PDFs share one fetcher.
"""

import base64
import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from feedback.exports import fetching
from feedback.exports.board_pdf import board_report_pdf
from feedback.exports.pdf import html_to_pdf

STATIC = fetching.STATIC


@pytest.fixture()
def web_server():
    """A server that counts what it is asked for."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body::before { content: 'FETCHED-OVER-HTTP' }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


def hostile_page(web, outside):
    data_css = "data:text/css;base64," + base64.b64encode(
        b"body::after { content: 'FETCHED-FROM-DATA' }").decode()
    return f"""<!doctype html><html><head>
<link rel="stylesheet" href="{web}/style.css">
<link rel="stylesheet" href="{outside.as_uri()}">
<link rel="stylesheet" href="{data_css}">
<link rel="stylesheet" href="file://{STATIC}/../../README.md">
</head><body><p>Words</p><img src="{web}/pixel.png"><img src="favicon.svg"></body></html>"""


@pytest.mark.parametrize("render", [html_to_pdf, board_report_pdf], ids=["case", "board"])
def test_a_pdf_fetches_nothing_outside_static(render, web_server, tmp_path, monkeypatch):
    web, asked = web_server
    outside = tmp_path / "outside.css"
    outside.write_text("body::before { content: 'FETCHED-FROM-FILE' }")
    fetched = []
    real = fetching.StaticFiles.fetch

    def spy(self, url, headers=None):
        result = real(self, url, headers)
        fetched.append(url)
        return result

    monkeypatch.setattr(fetching.StaticFiles, "fetch", spy)
    pdf = render(hostile_page(web, outside))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Words" in text
    assert asked == []
    assert "FETCHED" not in text
    assert fetched == [(STATIC / "favicon.svg").as_uri()]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x.css", "https://example.org/", "ftp://example.org/x",
    "data:text/plain,hello", "file:///etc/passwd", f"file://{STATIC}/../config.py",
    f"file://{STATIC}/%2e%2e/config.py", f"file://{STATIC}", f"file://{STATIC}/missing.css",
    f"file://localhost{STATIC}/favicon.svg", f"file://evil.example{STATIC}/favicon.svg",
])
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    with pytest.raises(fetching.RefusedURL):
        fetching.StaticFiles().fetch(url)


def test_the_fetcher_reads_a_static_file():
    found = fetching.StaticFiles().fetch((STATIC / "favicon.svg").as_uri())
    assert found.read() == (STATIC / "favicon.svg").read_bytes()
