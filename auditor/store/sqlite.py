"""The store in a SQLite file (the default), with the standard library's sqlite3.

WAL mode lets reports and `auditor history` read while an audit is saving, and a save cut short
(killed, power lost) leaves only uncommitted frames in the WAL, which SQLite ignores on the next
open: the runs saved before are intact.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from auditor.errors import StoreError
from auditor.store._db import Db
from auditor.store._sql import SqlStore
from auditor.store.dialect import Dialect

SQLITE = Dialect(
    name="sqlite",
    placeholder="?",
    serial_primary_key="INTEGER PRIMARY KEY AUTOINCREMENT",
    # IMMEDIATE takes the write lock at once, so two savers queue instead of one failing late
    begin_write="BEGIN IMMEDIATE",
    begin_read="BEGIN",
    migration_lock=None,  # BEGIN IMMEDIATE already serialises migrators
    errors=(sqlite3.Error,),
)

BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's save to finish


def path_from_url(url: str, root: Path) -> Path:
    """`sqlite:///rel/path` is relative to `root` (the config's folder); `sqlite:////abs` is not."""
    rest = url.removeprefix("sqlite://")
    if not rest.startswith("/") or rest == "/":
        raise StoreError(url, "expected sqlite:///relative/path.db or sqlite:////absolute/path.db")
    path = Path(rest[1:])
    return path if path.is_absolute() else root / path


def open_sqlite(path: Path) -> SqlStore:
    """Open (creating when missing) the store in the SQLite file at `path`."""
    location = str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(location, f"cannot create its folder: {error.strerror}") from error
    try:
        # isolation_level=None: sqlite3 opens no implicit transactions; Db opens them explicitly
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(location, str(error)) from error
    db = Db(connection, SQLITE, location)
    try:
        with db.guard():
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            # FULL: a run reported as saved survives a power loss too, for one fsync per run
            connection.execute("PRAGMA synchronous=FULL")
        return SqlStore(db)
    except BaseException:
        connection.close()
        raise
