"""A real HTTP server on 127.0.0.1 for the web sources' tests, and helpers to crawl it.

`Site(...)` (through the `serve` fixture in conftest.py) starts a threaded server on a free port
that serves a fixture site from fixtures/sites/<site>/ (with ETag, Last-Modified and 304s, like
a static host) and programmable routes for the edge cases (status codes, redirects, delays,
streamed bodies). Every request is recorded, so tests can count what the crawler asked for.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from auditor.config import WebChannel
from auditor.model import Document, Skipped
from auditor.sources import web
from auditor.sources._http import FetchLimits
from auditor.sources.interface import SourceContext

SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"
TYPES = {".html": "text/html", ".txt": "text/plain", ".xml": "application/xml"}

# Short timeouts and backoffs: the whole area must run in seconds.
FAST = FetchLimits(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=5.0,
    backoff=0.01,
    retry_after_cap=3.0,
)


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    status: int = 0
    client_port: int = 0  # one per TCP connection: tells a reused connection from a new one


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line: a slow server
    stream: bool = False  # no Content-Length: the body runs until the connection closes


Route = Callable[[Request], Reply] | Reply


class Site:
    def __init__(self, root: Path | None, routes: dict[str, Route]):
        self.root = root
        self.routes = routes
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.site = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def hits(self, path: str) -> int:
        """Requests for `path` (with its query string, if one is given)."""
        with self.lock:
            return sum(1 for r in self.requests if r.path == path or r.path.split("?")[0] == path)

    def paths(self) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests]

    def statuses(self) -> list[int]:
        with self.lock:
            return [r.status for r in self.requests]

    def reply(self, request: Request) -> Reply:
        path = urlsplit(request.path).path
        route = self.routes.get(request.path, self.routes.get(path))
        if route is not None:
            return route(request) if callable(route) else route
        return self.static(path, request)

    def static(self, path: str, request: Request) -> Reply:
        if self.root is None:
            return Reply(404, "<h1>Not found</h1>", {"Content-Type": "text/html"})
        file = (self.root / path.lstrip("/")).resolve()
        if file.is_dir() or path.endswith("/"):
            file = file / "index.html"
        if not file.is_file() or self.root.resolve() not in file.parents:
            return Reply(404, "<h1>Not found</h1>", {"Content-Type": "text/html"})
        body = self.substitute(file.read_bytes())
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        headers = {
            "Content-Type": TYPES.get(file.suffix, "application/octet-stream"),
            "ETag": etag,
            "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True),
        }
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, headers)

    def substitute(self, body: bytes) -> bytes:
        # Fixture files name the server's own address with placeholders (the port is random).
        if body[:2] == b"\x1f\x8b":
            return gzip.compress(self.substitute(gzip.decompress(body)), mtime=0)
        body = body.replace(b"%BASE%", self.url.encode())
        return body.replace(b"%PORT%", str(self.port).encode())


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        site: Site = self.server.site  # type: ignore[attr-defined]
        headers = {k.lower(): v for k, v in self.headers.items()}
        with site.lock:
            site.in_flight += 1
            site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            reply = site.reply(Request(self.path, headers))
            with site.lock:
                site.requests.append(
                    Request(self.path, headers, reply.status, self.client_address[1])
                )
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body.encode() if isinstance(reply.body, str) else reply.body
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.stream:
                self.send_header("Connection", "close")
                self.end_headers()
                for start in range(0, len(body), 65536):
                    self.wfile.write(body[start : start + 65536])
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout or a size cap)
        finally:
            with site.lock:
                site.in_flight -= 1

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def html(title: str, body: str, head: str = "") -> Reply:
    """A small page for programmable routes."""
    page = (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body><main>{body}</main></body></html>"
    )
    return Reply(200, page, {"Content-Type": "text/html; charset=utf-8"})


def crawl(
    start: str | list[str],
    context: SourceContext,
    limits: FetchLimits = FAST,
    **settings: object,
) -> tuple[list[Document], list[Skipped]]:
    """Run the web source as the pipeline does, through `collect`."""
    channel = WebChannel(
        name="website", kind="web", start=[start] if isinstance(start, str) else start, **settings
    )
    items = list(web.collect(channel, context, limits))
    documents = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    return documents, skipped
