"""The store's schema as named steps, each recorded in the `migrations` table when applied.

A step is a function over the open database; its name is what gets recorded, so a step is never
renamed or edited once released: a change to the schema is a new step at the end of MIGRATIONS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from auditor.errors import StoreError
from auditor.store._db import Db

Migration = tuple[str, Callable[[Db], None]]


def create_tables(db: Db) -> None:
    """Runs and everything a run holds. Children name their run by its id; `seq` orders runs in
    the order they were saved, which timestamps alone cannot (two runs in one second)."""
    statements = [
        f"""CREATE TABLE runs (
            seq {db.dialect.serial_primary_key},
            id TEXT NOT NULL UNIQUE,
            brand TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            score DOUBLE PRECISION,
            rubric_score DOUBLE PRECISION,
            pass_rate DOUBLE PRECISION,
            rubric TEXT,
            config_path TEXT,
            channels_json TEXT NOT NULL,
            timings_json TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            complete INTEGER NOT NULL DEFAULT 0
        )""",
        """CREATE TABLE findings (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            topic TEXT NOT NULL,
            summary TEXT NOT NULL,
            likely_right TEXT,
            promise TEXT,
            scope_segment TEXT,
            scope_region TEXT,
            scope_product TEXT,
            fact_kind TEXT,
            values_json TEXT NOT NULL,
            evidence_json TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        )""",
        """CREATE TABLE finding_channels (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            channel TEXT NOT NULL,
            PRIMARY KEY (run_id, position, channel)
        )""",
        """CREATE TABLE answers (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            answer_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            source TEXT NOT NULL,
            locator TEXT NOT NULL,
            kind TEXT NOT NULL,
            question TEXT,
            conversation TEXT,
            segment TEXT,
            line INTEGER,
            updated_at TEXT,
            text_hash TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        )""",
        # kept apart from answers because Scores.answers is its own sequence in the model
        """CREATE TABLE answer_scores (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            answer_id TEXT NOT NULL,
            score DOUBLE PRECISION,
            failed_critical INTEGER NOT NULL,
            results_json TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        )""",
        # scope: 'channel', 'topic' or 'conversation' (Scores.channels, .topics, .conversations)
        """CREATE TABLE scores (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            scope TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (run_id, scope, position)
        )""",
        """CREATE TABLE skipped (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        )""",
    ]
    for statement in statements:
        db.execute(statement)


def index_lookups(db: Db) -> None:
    """first_seen looks a fingerprint up across all runs; answers by id serve later re-runs."""
    db.execute("CREATE INDEX findings_by_fingerprint ON findings (id, run_id)")
    db.execute("CREATE INDEX answers_by_id ON answers (answer_id, run_id)")


def keep_answer_texts(db: Db) -> None:
    """Answers keep their text and line map, so `auditor gate --changed` can audit the changed
    files against a stored run's other answers without crawling again. Rows saved before this
    step hold NULL in both: they read back with empty text."""
    db.execute("ALTER TABLE answers ADD COLUMN text TEXT")
    db.execute("ALTER TABLE answers ADD COLUMN line_map_json TEXT")


MIGRATIONS: tuple[Migration, ...] = (
    ("0001_create_tables", create_tables),
    ("0002_index_lookups", index_lookups),
    ("0003_keep_answer_texts", keep_answer_texts),
)


def applied_migrations(db: Db) -> list[tuple[str, str]]:
    """(name, applied_at) of every recorded step, in the order applied."""
    with db.guard():
        rows = db.query("SELECT name, applied_at FROM migrations ORDER BY applied_at, name")
    return [(str(name), str(at)) for name, at in rows]


def migrate(db: Db, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Apply the steps not yet recorded, in order, in one transaction; return their names."""
    known = [name for name, _ in migrations]
    # Checked first without a write lock: opening a store to read it must not wait for a long
    # save in another process to finish.
    if _recorded(db) == set(known):
        return []
    with db.transaction(write=True):
        if db.dialect.migration_lock:
            db.execute(db.dialect.migration_lock)
        db.execute(
            "CREATE TABLE IF NOT EXISTS migrations"
            " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        recorded = {str(row[0]) for row in db.query("SELECT name FROM migrations")}
        newer = sorted(recorded - set(known))
        if newer:
            raise StoreError(
                db.location,
                f"written by a newer auditor (unknown migrations: {', '.join(newer)}); upgrade",
            )
        applied = []
        for name, step in migrations:
            if name in recorded:
                continue
            step(db)
            db.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="microseconds")),
            )
            applied.append(name)
        return applied


def _recorded(db: Db) -> set[str] | None:
    """Names recorded so far, or None when the table is not there yet (a fresh database)."""
    try:
        rows = db.query("SELECT name FROM migrations")
    except db.dialect.errors:
        return None
    return {str(row[0]) for row in rows}
