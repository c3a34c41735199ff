"""Work kept between runs, keyed by what it was computed from.

A nightly audit reads mostly what it read the night before: yesterday's export files, the same
pages. `WorkCache` keeps the results of per-file work (parsed, redacted conversations, their
answers, statements and claims) in `<cache>/work.sqlite`, under a key that digests everything
the result depends on: the input's bytes, the settings that shape it, and the code that computed
it (`CODE_VERSION`, a digest of this package's sources), so an upgrade or an edited setting
misses instead of returning stale work.

Values are pickled. The cache lives in the audit's own cache folder, written by the same user
who runs the audit; it is not a format for exchanging data, and an entry that fails to load
is treated as a miss.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from auditor.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS work (
    key TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    used_at REAL NOT NULL,
    value BLOB NOT NULL
)
"""
KEEP_UNUSED_SECONDS = 14 * 24 * 3600  # an export not read for two weeks is gone for good


@cache
def code_version() -> str:
    """A digest of every source file of the package: work computed by other code is a miss."""
    return sources_digest(Path(__file__).resolve().parent)


def sources_digest(package: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key_of(*parts: object) -> str:
    """A cache key from the parts' reprs (strings, numbers, tuples of them)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class WorkCache:
    """get/put of picklable values by key; see the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.version = code_version()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise StoreError(str(path), f"cannot open the work cache: {exc}") from exc
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()  # touched in one transaction, not one write per get

    def get(self, key: str) -> Any | None:
        row = self._db.execute(
            "SELECT value FROM work WHERE key = ? AND version = ?", (key, self.version)
        ).fetchone()
        if row is None:
            self.misses += 1
            return None
        with keeping_objects():
            try:
                value = pickle.loads(zlib.decompress(row[0]))
            except Exception:  # a torn or foreign entry: recompute rather than fail the audit
                self.misses += 1
                return None
        self._used.add(key)
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        blob = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._db.execute(
            "INSERT OR REPLACE INTO work (key, version, used_at, value) VALUES (?, ?, ?, ?)",
            (key, self.version, time.time(), blob),
        )

    def prune(self) -> None:
        """Drop work of other code versions and work no run has used for two weeks."""
        self._touch()
        self._db.execute(
            "DELETE FROM work WHERE version != ? OR used_at < ?",
            (self.version, time.time() - KEEP_UNUSED_SECONDS),
        )

    def _touch(self) -> None:
        if not self._used:
            return
        now = time.time()
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE work SET used_at = ? WHERE key = ?", [(now, k) for k in self._used]
            )
        self._used.clear()

    def close(self) -> None:
        try:
            self._touch()
        finally:
            self._db.close()


@contextmanager
def keeping_objects() -> Iterator[None]:
    """Around loading work that lives until the run ends: a chunk is hundreds of thousands of
    objects, none of them garbage. The cyclic collector stays off while they are created, and
    they leave its sight when done (`gc.freeze`): otherwise every full collection, triggered by
    allocating yet more, scans them all again. The pipeline unfreezes them when the run ends."""
    if not gc.isenabled():  # nested, or the caller manages the collector
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
