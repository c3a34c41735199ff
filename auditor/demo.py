"""The bundled demo brand: its website is served on a free loopback port while it is audited."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from auditor.errors import InputError


def demo_root() -> Path:
    """fixtures/demo in a source checkout, or the copy shipped inside the package."""
    for candidate in (
        Path(__file__).resolve().parent / "demo_brand",
        Path(__file__).resolve().parents[1] / "fixtures" / "demo",
    ):
        if (candidate / "audit.yaml").is_file():
            return candidate
    raise InputError("fixtures/demo", "the demo brand is not installed with this package")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve_site(site: Path) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 at a free port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def demo_config_path() -> Iterator[Path]:
    """The demo's audit.yaml, with SITE_URL pointing at its site served locally."""
    root = demo_root()
    with serve_site(root / "site") as url:
        previous = os.environ.get("SITE_URL")
        os.environ["SITE_URL"] = url
        try:
            yield root / "audit.yaml"
        finally:
            if previous is None:
                os.environ.pop("SITE_URL", None)
            else:
                os.environ["SITE_URL"] = previous
