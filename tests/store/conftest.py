"""The store fixture runs every store test on SQLite and, when AUDITOR_TEST_POSTGRES_URL names a
server (scripts/start-postgres.sh starts one), on PostgreSQL too, each test in its own schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from auditor.store import Store, open_store

POSTGRES_URL = os.environ.get("AUDITOR_TEST_POSTGRES_URL")
_NO_POSTGRES = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="AUDITOR_TEST_POSTGRES_URL is not set (scripts/start-postgres.sh starts a server)",
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=_NO_POSTGRES)]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL naming an empty store of each backend."""
    if request.param == "sqlite":
        yield "sqlite:///history.db"  # relative: resolved against tmp_path, the root
        return
    import psycopg

    assert POSTGRES_URL is not None
    schema = "test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def open_url(store_url: str, tmp_path: Path) -> Callable[[], Store]:
    """Opens the test's store again, as another process or a later run would."""
    return lambda: open_store(store_url, tmp_path)


@pytest.fixture
def store(open_url: Callable[[], Store]) -> Iterator[Store]:
    with open_url() as opened:
        yield opened
