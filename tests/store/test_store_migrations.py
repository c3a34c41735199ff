"""The schema as named steps recorded in the `migrations` table."""

from __future__ import annotations

from datetime import datetime

import pytest

from auditor.errors import StoreError
from auditor.store import Store
from auditor.store._db import Db
from auditor.store.migrations import MIGRATIONS, applied_migrations, migrate

NAMES = [name for name, _ in MIGRATIONS]


def db_of(store: Store) -> Db:
    return store._db  # type: ignore[attr-defined]


def test_a_fresh_store_records_every_migration(store: Store) -> None:
    recorded = applied_migrations(db_of(store))
    assert [name for name, _ in recorded] == NAMES
    for _, applied_at in recorded:
        assert datetime.fromisoformat(applied_at).tzinfo is not None


def test_reopening_applies_none(store: Store, open_url) -> None:
    before = applied_migrations(db_of(store))
    assert migrate(db_of(store)) == []
    store.close()
    with open_url() as again:
        assert applied_migrations(db_of(again)) == before


def test_a_new_step_is_applied_alone_and_recorded(store: Store) -> None:
    def add_notes(db: Db) -> None:
        db.execute("CREATE TABLE notes (run_id TEXT NOT NULL, note TEXT NOT NULL)")

    steps = (*MIGRATIONS, ("0099_add_notes", add_notes))
    assert migrate(db_of(store), steps) == ["0099_add_notes"]
    assert migrate(db_of(store), steps) == []
    assert [name for name, _ in applied_migrations(db_of(store))] == [*NAMES, "0099_add_notes"]
    assert db_of(store).query("SELECT COUNT(*) FROM notes") == [(0,)]


def test_a_failing_step_leaves_nothing_behind(store: Store) -> None:
    def half_done(db: Db) -> None:
        db.execute("CREATE TABLE half (x INTEGER)")
        db.execute("SELECT no_such_column FROM runs")

    with pytest.raises(StoreError):
        migrate(db_of(store), (*MIGRATIONS, ("0099_half_done", half_done)))
    assert [name for name, _ in applied_migrations(db_of(store))] == NAMES
    with pytest.raises(StoreError, match="half"), db_of(store).guard():
        db_of(store).query("SELECT COUNT(*) FROM half")


def test_a_store_from_a_newer_auditor_is_refused(store: Store, open_url) -> None:
    def later(db: Db) -> None:
        pass

    migrate(db_of(store), (*MIGRATIONS, ("0999_from_the_future", later)))
    store.close()
    with pytest.raises(StoreError, match="newer auditor.*0999_from_the_future"):
        open_url()
