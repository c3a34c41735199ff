"""history_context on each store backend: what the reports learn from the runs stored before."""

from __future__ import annotations

import dataclasses

from store_builders import finding, result

from auditor.cli_history import history_context
from auditor.store import Store

A, B, C, D = (finding(f) for f in ("aaaa", "bbbb", "cccc", "dddd"))
RUN_1 = result("run-1", "2026-10-01T02:00:00+00:00", (A, B), {"website": 90.0})
RUN_2 = result("run-2", "2026-10-02T02:00:00+00:00", (B, C), {"website": 95.0})
RUN_3 = result("run-3", "2026-10-03T02:00:00+00:00", (A, C, D), {"website": 99.0})


def test_new_persisting_and_first_seen_over_three_runs(store: Store) -> None:
    assert history_context(store, RUN_1).previous is None  # nothing stored yet
    store.save(RUN_1)
    store.save(RUN_2)
    # another brand's run saved last must not count as the previous run
    other = dataclasses.replace(RUN_2.run, id="run-x", brand="Contoso")
    store.save(dataclasses.replace(RUN_2, run=other, findings=(D,)))
    context = history_context(store, RUN_3)
    assert [p.run.id for p in context.points] == ["run-1", "run-2"]
    assert [p.severities for p in context.points] == [{"major": 2}, {"major": 2}]
    assert context.new_ids == {"aaaa", "dddd"}  # aaaa left in run-2 and came back
    assert context.first_seen == {
        "aaaa": ("run-1", "2026-10-01T02:00:00+00:00"),
        "cccc": ("run-2", "2026-10-02T02:00:00+00:00"),
    }
    assert context.resolved == 1  # bbbb
    store.save(RUN_3)
    assert history_context(store, store.load("run-3")) == context
