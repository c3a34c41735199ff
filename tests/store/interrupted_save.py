"""Child process for test_store_interrupt.py: starts saving a large run, stops mid-write, says so
on stdout, and waits there to be killed.

    python interrupted_save.py URL ROOT RUN_ID MODE

MODE is where the save stops: `mid-table` (half of the answers inserted), `before-commit` (every
row written, the run not yet marked complete nor committed), or `sqlite-pages` (SQLite only: deep
inside the engine, while it writes pages).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from store_builders import finding, result

from auditor.store import open_store
from auditor.store._db import Db


def stop_here() -> None:
    print("writing", flush=True)
    threading.Event().wait()  # until SIGKILL


def main(url: str, root: str, run_id: str, mode: str) -> None:
    store = open_store(url, Path(root))
    db: Db = store._db  # type: ignore[attr-defined]
    if mode == "mid-table":
        executemany = db.executemany

        def half_then_stop(statement, rows):  # type: ignore[no-untyped-def]
            rows = list(rows)
            if statement.startswith("INSERT INTO answers "):
                executemany(statement, rows[: len(rows) // 2])
                stop_here()
            executemany(statement, rows)

        db.executemany = half_then_stop  # type: ignore[method-assign]
    elif mode == "before-commit":
        execute = db.execute

        def stop_before_complete(statement, params=()):  # type: ignore[no-untyped-def]
            if statement.startswith("UPDATE runs SET complete"):
                stop_here()
            return execute(statement, params)

        db.execute = stop_before_complete  # type: ignore[method-assign]
    elif mode == "sqlite-pages":
        connection = db.connection
        calls = 0

        def progress() -> int:
            nonlocal calls
            if connection.in_transaction:
                calls += 1
                if calls == 200:  # well into the answers, far from the end
                    stop_here()
            return 0

        connection.set_progress_handler(progress, 1000)
    else:
        raise SystemExit(f"unknown mode {mode}")
    findings = tuple(finding(f"f{i:05d}", channels=("website", "chat")) for i in range(2000))
    store.save(result(run_id, "2026-10-09T02:00:00+00:00", findings, answers=20000))
    print("saved", flush=True)  # reached only when the hook did not fire: the test fails


if __name__ == "__main__":
    main(*sys.argv[1:])
