"""open_store: URL schemes, where SQLite files go, WAL, and errors that name the store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditor.errors import StoreError
from auditor.store import STORES, open_store, safe_location
from auditor.store._sql import SqlStore


def test_relative_sqlite_paths_are_relative_to_the_root(tmp_path: Path) -> None:
    with open_store("sqlite:///state/history.db", tmp_path) as store:
        assert store.location == str(tmp_path / "state" / "history.db")
    assert (tmp_path / "state" / "history.db").is_file()


def test_absolute_sqlite_paths_take_four_slashes(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "h.db"
    with open_store(f"sqlite:///{target}", tmp_path / "unused"):
        pass
    assert target.is_file()
    assert not (tmp_path / "unused").exists()


def test_sqlite_store_uses_wal_and_enforces_foreign_keys(tmp_path: Path) -> None:
    with open_store("sqlite:///h.db", tmp_path) as store:
        db = store._db  # type: ignore[attr-defined]
        assert db.query("PRAGMA journal_mode") == [("wal",)]
        assert db.query("PRAGMA foreign_keys") == [(1,)]
        with pytest.raises(StoreError, match="FOREIGN KEY"), db.guard():
            db.execute("INSERT INTO skipped VALUES ('no-such-run', 0, 's', 'r')")


@pytest.mark.parametrize(
    "url, problem",
    [
        ("mysql://host/db", "unknown store URL"),
        ("history.db", "unknown store URL"),
        ("sqlite://history.db", "expected sqlite:///relative/path.db"),
        ("sqlite:///", "expected sqlite:///relative/path.db"),
    ],
)
def test_bad_urls_are_store_errors(tmp_path: Path, url: str, problem: str) -> None:
    with pytest.raises(StoreError, match=problem):
        open_store(url, tmp_path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "h.db").write_text("not a database, just text " * 100)
    with pytest.raises(StoreError) as raised:
        open_store("sqlite:///h.db", tmp_path)
    assert raised.value.message() == f"{tmp_path / 'h.db'}: file is not a database"


def test_an_unreachable_postgres_server_is_a_store_error_without_the_password() -> None:
    port = _closed_port()
    with pytest.raises(StoreError) as raised:
        open_store(f"postgresql://auditor:s3cret@127.0.0.1:{port}/db", Path("."))
    assert "s3cret" not in raised.value.message()
    assert raised.value.message().startswith(f"postgresql://auditor:***@127.0.0.1:{port}/db: ")


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://u:pw@h:5432/d", "postgresql://u:***@h:5432/d"),
        ("postgresql://u@h/d?sslmode=require", "postgresql://u@h/d?sslmode=require"),
        ("postgres://:pw@h/d", "postgres://:***@h/d"),
        ("postgresql://u:p@ss@h/d", "postgresql://u:***@h/d"),
        ("postgresql://u:pw@h:notaport/d", "postgresql://u:***@h:notaport/d"),
        ("postgresql://u:pw@[::1/d", "postgresql://..."),
        ("sqlite:///a/b.db", "sqlite:///a/b.db"),
    ],
)
def test_safe_location_hides_passwords(url: str, shown: str) -> None:
    assert safe_location(url) == shown


def test_every_scheme_opens_a_sql_store(tmp_path: Path) -> None:
    # postgres schemes are opened (against a server) by the store fixture's postgres cases
    assert set(STORES) == {"sqlite", "postgresql", "postgres"}
    assert isinstance(STORES["sqlite"]("sqlite:///h.db", tmp_path), SqlStore)


def test_two_stores_on_one_file_see_each_others_runs(tmp_path: Path) -> None:
    from store_builders import result

    with (
        open_store("sqlite:///h.db", tmp_path) as one,
        open_store("sqlite:///h.db", tmp_path) as two,
    ):
        one.save(result("r1", "2026-10-01T02:00:00+00:00", ()))
        assert [r.id for r in two.runs()] == ["r1"]
    assert sqlite3.connect(tmp_path / "h.db").execute("SELECT COUNT(*) FROM runs").fetchone() == (
        1,
    )


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
