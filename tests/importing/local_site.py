"""A local web server for import tests: pages, feeds and redirects on 127.0.0.1.

No test touches the internet. A test module serves with ``serving()`` (the server
is started and stopped there), usually through a ``site`` fixture, and fills in
the routes: ``site.add("/path", body, type=..., status=...)``,
``site.redirect("/old", "/new")``. The server records every request (path and
headers) so tests can check what was fetched, and how.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "importing"


@dataclass
class Route:
    body: bytes
    type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    gzip: bool = False
    #: Answer with these statuses first (one per request), then with the route.
    failures: list[int] = field(default_factory=list)
    #: Seconds to wait before answering (a slow server).
    delay: float = 0.0


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes, **options) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **options)
        return self.url(path)

    def page(self, path: str, fixture: str) -> str:
        return self.add(path, (FIXTURES / fixture).read_bytes())

    def redirect(self, path: str, target: str, status: int = 301) -> str:
        self.routes[path] = Route(b"", status=status, headers={"Location": target})
        return self.url(path)

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site.lock:
                    site.requests.append((self.path, dict(self.headers.items())))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.failures:
                    status = route.failures.pop(0)
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                body = route.body
                self.send_response(route.status)
                self.send_header("Content-Type", route.type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.gzip:
                    body = gzip.compress(body)
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # quiet test output
                pass

        return Handler


@contextlib.contextmanager
def serving() -> Iterator[Site]:
    """A server on 127.0.0.1 for the time of the block (a module's ``site`` fixture)."""
    server = Site()
    try:
        yield server
    finally:
        server.close()
