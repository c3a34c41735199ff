"""A save killed at any point leaves the runs before it intact and no part of itself visible."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from store_builders import finding, result

from auditor.store import Store

CHILD = Path(__file__).with_name("interrupted_save.py")
REPO = Path(__file__).resolve().parents[2]
MODES = ["mid-table", "before-commit", "sqlite-pages"]


@pytest.mark.parametrize("mode", MODES)
def test_a_killed_save_leaves_only_complete_runs(
    store: Store, open_url, store_url: str, tmp_path: Path, mode: str
) -> None:
    if mode == "sqlite-pages" and not store_url.startswith("sqlite"):
        pytest.skip("the page-level hook is SQLite's progress handler")
    earlier = [
        result("run-1", "2026-10-01T02:00:00+00:00", (finding("aaaa"),), {"web": 90.0}, 30),
        result("run-2", "2026-10-02T02:00:00+00:00", (finding("bbbb"),), {"web": 91.0}, 30),
    ]
    for run in earlier:
        store.save(run)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(CHILD.parent)])}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), store_url, str(tmp_path), "run-3", mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        assert line == "writing\n", child.stderr.read() if child.stderr else ""
        # while the save hangs mid-transaction, another reader sees the complete runs only
        with open_url() as reader:
            assert [r.id for r in reader.runs()] == ["run-2", "run-1"]
            assert reader.first_seen("f00000") is None
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL

    if store_url.startswith("sqlite"):
        with sqlite3.connect(tmp_path / "history.db") as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with open_url() as after:
        assert [r.id for r in after.runs()] == ["run-2", "run-1"]
        for run in earlier:
            assert after.load(run.run.id).findings == run.findings
        # nothing of the killed run remains, not even rows the complete flag would hide
        for table in ("runs", "findings", "finding_channels", "answers", "answer_scores"):
            column = "id" if table == "runs" else "run_id"
            rows = after._db.query(  # type: ignore[attr-defined]
                f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", ("run-3",)
            )
            assert rows == [(0,)], table
        # and the same run saves cleanly next time
        again = result("run-3", "2026-10-09T02:00:00+00:00", (finding("cccc"),), {"web": 92.0})
        after.save(again)
        assert [r.id for r in after.runs()] == ["run-3", "run-2", "run-1"]
        assert after.diff("run-2", "run-3").new == again.findings
