"""Promise 21: making a PDF fetches no address — not even one that slipped into the HTML."""

import ast
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "suhde"


def _name(call) -> str | None:
    func = getattr(call, "func", None)
    return getattr(func, "id", None) or getattr(func, "attr", None)


def _html_calls(source: str) -> list[str | None]:
    """For each ``HTML(...)`` call, the name of the call that gives its url_fetcher."""
    fetchers = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node) == "HTML":
            given = {keyword.arg: keyword.value for keyword in node.keywords}
            fetchers.append(_name(given.get("url_fetcher")))
    return fetchers


def test_every_pdf_is_made_with_the_one_fetcher():
    calls = {
        str(path.relative_to(SRC)): _html_calls(path.read_text(encoding="utf-8"))
        for path in SRC.rglob("*.py")
    }
    assert {path: found for path, found in calls.items() if found} == {
        "charter/exports.py": ["pdf_fetcher"],
        "common/pdf.py": ["pdf_fetcher"],
        "coordination/exports.py": ["pdf_fetcher"],
        "evaluation/exports.py": ["pdf_fetcher"],
        "paths/exports.py": ["pdf_fetcher"],
        "workshops/exports.py": ["pdf_fetcher"],
    }
    assert _html_calls("HTML(string=s).write_pdf(); HTML(string=s, url_fetcher=f)") == [None, None]


@pytest.fixture
def listener():
    """A local web server that counts the requests it gets."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def _pdf(html: str, fetcher=None) -> bytes:
    from weasyprint import HTML

    options = {"url_fetcher": fetcher} if fetcher else {}
    return HTML(string=html, **options).write_pdf()


def test_the_pdf_fetcher_reaches_no_address(listener):
    from suhde.common.pdf import pdf_fetcher

    address, hits = listener
    html = f'<p>x</p><img src="{address}/img"><link rel="stylesheet" href="{address}/css">'
    assert _pdf(html, pdf_fetcher()).startswith(b"%PDF")
    assert hits == []
    _pdf(html)  # WeasyPrint's own fetcher does go out: the listener would have seen a leak
    assert sorted(hits) == ["/css", "/img"]
