"""The schema as named steps recorded in the `migrations` table."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from store_builders import rich_result

from auditor.errors import StoreError
from auditor.store import Store
from auditor.store._db import Db
from auditor.store.migrations import MIGRATIONS, applied_migrations, migrate
from auditor.store.sqlite import SQLITE, open_sqlite

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


def test_a_store_from_before_answer_texts_keeps_its_runs_readable(tmp_path: Path) -> None:
    """A history.db written by the auditor before 0003: its run loads, its answers without
    text, and runs saved after the upgrade keep their texts."""
    path = tmp_path / "history.db"
    old = Db(sqlite3.connect(path, isolation_level=None), SQLITE, str(path))
    migrate(old, MIGRATIONS[:2])
    with old.transaction(write=True):
        old.execute(
            "INSERT INTO runs (id, brand, started_at, channels_json, timings_json, saved_at,"
            " complete) VALUES ('r-old', 'B', '2026-09-01T08:00:00+00:00', '[\"kb\"]', '{}',"
            " '2026-09-01T08:01:00+00:00', 1)"
        )
        old.execute(
            "INSERT INTO answers (run_id, position, answer_id, channel, source, locator, kind,"
            " line, text_hash) VALUES ('r-old', 0, 'a1', 'kb', 'kb/a.md', 'section: A',"
            " 'section', 3, 'abc')"
        )
    old.close()

    with open_sqlite(path) as upgraded:
        assert [name for name, _ in applied_migrations(db_of(upgraded))] == NAMES
        [answer] = upgraded.load("r-old").answers
        assert (answer.id, answer.source, answer.line, answer.text, answer.line_map) == (
            "a1",
            "kb/a.md",
            3,
            "",
            (),
        )
        saved = rich_result()
        upgraded.save(saved)
        assert upgraded.load(saved.run.id).answers == saved.answers
