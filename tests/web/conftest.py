"""Fixtures for the web sources' tests: real servers on 127.0.0.1 (see loopback.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from loopback import SITES, Route, Site

from auditor.sources.interface import SourceContext


@pytest.fixture
def serve() -> Iterator[Callable[..., Site]]:
    """Start servers: serve(site="lantern", routes={"/x": Reply(...)}) -> Site."""
    started: list[Site] = []

    def start(site: str | None = None, routes: dict[str, Route] | None = None) -> Site:
        server = Site(SITES / site if site else None, routes or {})
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def context(tmp_path: Path) -> SourceContext:
    return SourceContext(root=tmp_path, cache_dir=tmp_path / "cache", quiet=True)
