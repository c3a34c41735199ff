"""Three stored runs: findings that appear, persist and resolve, by fingerprint."""

from __future__ import annotations

import pytest
from store_builders import finding, result

from auditor.errors import StoreError
from auditor.store import Store

A = finding("aaaa", "major", "contradiction", ("website", "chat"))
B = finding("bbbb", "critical", "promise_breach", ("knowledge-base",))
B_REWORDED = finding("bbbb", "critical", "promise_breach", ("knowledge-base",), "now worded so")
C = finding("cccc", "minor", "contradiction", ("website", "knowledge-base"))
D = finding("dddd", "major", "stale", ("chat",))

RUN_1 = result("run-1", "2026-10-01T02:00:00+00:00", (A, B), {"website": 90.0, "chat": 70.0})
RUN_2 = result("run-2", "2026-10-02T02:00:00+00:00", (B_REWORDED, C), {"website": 95.0})
RUN_3 = result("run-3", "2026-10-03T02:00:00+00:00", (C, D), {"website": 99.0, "chat": 80.0})


@pytest.fixture
def three_runs(store: Store) -> Store:
    for run in (RUN_1, RUN_2, RUN_3):
        store.save(run, config_path="/srv/audit.yaml")
    return store


def ids(findings) -> list[str]:
    return [f.id for f in findings]


def test_runs_are_listed_newest_first_with_their_finding_counts(three_runs: Store) -> None:
    runs = three_runs.runs()
    assert [(r.id, r.findings) for r in runs] == [("run-3", 2), ("run-2", 2), ("run-1", 2)]
    assert runs[0].started_at == "2026-10-03T02:00:00+00:00"
    assert runs[0].score == pytest.approx(89.5)
    assert runs[1].config_path == "/srv/audit.yaml"
    assert [r.id for r in three_runs.runs(limit=1)] == ["run-3"]


@pytest.mark.parametrize(
    "run_a, run_b, new, resolved, persisting",
    [
        ("run-1", "run-2", ["cccc"], ["aaaa"], ["bbbb"]),
        ("run-2", "run-3", ["dddd"], ["bbbb"], ["cccc"]),
        ("run-1", "run-3", ["cccc", "dddd"], ["aaaa", "bbbb"], []),
        ("run-3", "run-1", ["aaaa", "bbbb"], ["cccc", "dddd"], []),
        ("run-2", "run-2", [], [], ["bbbb", "cccc"]),
    ],
)
def test_diff_matches_findings_by_fingerprint(
    three_runs: Store, run_a, run_b, new, resolved, persisting
) -> None:
    diff = three_runs.diff(run_a, run_b)
    assert (diff.run_a.id, diff.run_b.id) == (run_a, run_b)
    assert ids(diff.new) == new
    assert ids(diff.resolved) == resolved
    assert ids(diff.persisting) == persisting


def test_a_persisting_finding_is_shown_as_the_later_run_states_it(three_runs: Store) -> None:
    [persisting] = three_runs.diff("run-1", "run-2").persisting
    assert persisting.summary == "now worded so"
    [resolved] = three_runs.diff("run-2", "run-3").resolved
    assert resolved.summary == "now worded so"


def test_diff_of_an_unknown_run_is_a_store_error(three_runs: Store) -> None:
    with pytest.raises(StoreError, match="no stored run run-9"):
        three_runs.diff("run-1", "run-9")


def test_first_seen_is_the_earliest_run_holding_the_fingerprint(three_runs: Store) -> None:
    assert three_runs.first_seen("bbbb") == ("run-1", "2026-10-01T02:00:00+00:00")
    assert three_runs.first_seen("cccc") == ("run-2", "2026-10-02T02:00:00+00:00")
    assert three_runs.first_seen("dddd") == ("run-3", "2026-10-03T02:00:00+00:00")
    assert three_runs.first_seen("never") is None


def test_history_counts_findings_per_run_by_severity_kind_and_channel(three_runs: Store) -> None:
    points = three_runs.history()
    assert [p.run.id for p in points] == ["run-1", "run-2", "run-3"]
    first, second, third = points
    assert first.severities == {"critical": 1, "major": 1}
    assert list(first.severities) == ["critical", "major"]  # most severe first
    assert first.kinds == {"contradiction": 1, "promise_breach": 1}
    assert first.channel_scores == {"website": 90.0, "chat": 70.0}
    assert first.channel_findings == {"chat": 1, "knowledge-base": 1, "website": 1}
    assert second.severities == {"critical": 1, "minor": 1}
    assert second.channel_scores == {"website": 95.0}
    assert second.channel_findings == {"knowledge-base": 2, "website": 1}
    assert third.kinds == {"contradiction": 1, "stale": 1}
    assert third.channel_findings == {"chat": 1, "knowledge-base": 1, "website": 1}


def test_history_limit_keeps_the_latest_runs_oldest_first(three_runs: Store) -> None:
    points = three_runs.history(limit=2)
    assert [p.run.id for p in points] == ["run-2", "run-3"]
    assert points[0].severities == {"critical": 1, "minor": 1}


def test_a_run_without_findings_or_scores_has_empty_figures(store: Store) -> None:
    store.save(result("quiet", "2026-10-01T02:00:00+00:00", ()))
    [point] = store.history()
    assert (point.run.findings, point.run.score) == (0, None)
    assert point.severities == point.kinds == point.channel_scores == point.channel_findings == {}


def test_runs_are_ordered_as_saved_not_by_id_or_clock(store: Store) -> None:
    # two audits started in the same second; and ids that sort the other way
    store.save(result("zz-first", "2026-10-01T02:00:00+00:00", (A,)))
    store.save(result("aa-second", "2026-10-01T02:00:00+00:00", (C,)))
    assert [r.id for r in store.runs()] == ["aa-second", "zz-first"]
    assert ids(store.diff("zz-first", "aa-second").new) == ["cccc"]


def test_saving_a_run_twice_is_refused_and_keeps_the_first(store: Store) -> None:
    store.save(RUN_1)
    with pytest.raises(StoreError, match="run-1 is already stored"):
        store.save(result("run-1", "2026-10-09T02:00:00+00:00", (D,)))
    assert ids(store.load("run-1").findings) == ["aaaa", "bbbb"]
    assert len(store.runs()) == 1
