"""gate.evaluate: which findings are new, and when the gate fails."""

from __future__ import annotations

from datetime import date

import pytest
from gate_fixtures import finding, result

from auditor.baseline import Baseline, BaselineEntry
from auditor.config import GateSpec
from auditor.gate import describe, evaluate

TODAY = date(2026, 10, 15)


def baseline(*entries: tuple[str, str | None]) -> Baseline:
    return Baseline(
        {
            fid: BaselineEntry(fid, "accepted", date.fromisoformat(exp) if exp else None)
            for fid, exp in entries
        }
    )


CASES = [
    # (id, findings, baseline entries, gate, score, exit code, new ids)
    ("new major fails", [("a", "major")], [], {}, None, 1, {"a"}),
    ("new critical fails", [("a", "critical")], [], {}, None, 1, {"a"}),
    ("new minor passes by default", [("a", "minor")], [], {}, None, 0, {"a"}),
    ("fail_on minor", [("a", "minor")], [], {"fail_on": ["minor"]}, None, 1, {"a"}),
    ("baselined passes", [("a", "major")], [("a", None)], {}, None, 0, set()),
    ("unexpired passes", [("a", "major")], [("a", "2026-10-16")], {}, None, 0, set()),
    ("expires today fails", [("a", "major")], [("a", "2026-10-15")], {}, None, 1, {"a"}),
    ("expired fails", [("a", "major")], [("a", "2026-01-01")], {}, None, 1, {"a"}),
    ("one new among old", [("a", "major"), ("b", "major")], [("a", None)], {}, None, 1, {"b"}),
    ("no findings", [], [("gone", None)], {}, None, 0, set()),
    ("score below min", [], [], {"min_score": 80}, 79.9, 1, set()),
    ("score at min", [], [], {"min_score": 80}, 80.0, 0, set()),
    ("no score, min set", [], [], {"min_score": 80}, None, 0, set()),
    ("empty fail_on", [("a", "critical")], [], {"fail_on": []}, None, 0, {"a"}),
]


@pytest.mark.parametrize(
    ("findings", "entries", "spec", "score", "code", "new_ids"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_gate(findings, entries, spec, score, code, new_ids) -> None:
    audit = result(*(finding(fid, sev) for fid, sev in findings), score=score)
    outcome = evaluate(audit, GateSpec(**spec), baseline(*entries), TODAY)
    assert outcome.exit_code == code
    assert outcome.new_ids == new_ids
    assert outcome.passed == (code == 0)
    assert bool(outcome.reasons) == (code == 1)


def test_outcome_lists_suppressed_expired_and_resolved_with_reasons() -> None:
    audit = result(finding("a"), finding("b", "critical"), finding("c"))
    accepted = baseline(("a", None), ("b", "2026-09-30"), ("gone", None))
    outcome = evaluate(audit, GateSpec(), accepted, TODAY)
    assert [f.id for f, _ in outcome.suppressed] == ["a"]
    assert [(f.id, e.expires) for f, e in outcome.expired] == [("b", date(2026, 9, 30))]
    assert [e.id for e in outcome.resolved] == ["gone"]
    assert [f.id for f in outcome.failing] == ["b", "c"]
    assert outcome.reasons == (
        "2 new findings (1 critical, 1 major); the gate fails on critical, major",
    )
    lines = describe(outcome)
    assert lines[0] == "Gate: FAILED"
    assert any("expired on 2026-09-30" in line and "counts as new" in line for line in lines)
    assert any(line.startswith("1 finding(s) accepted") for line in lines)
    assert any("matched nothing this run" in line and "gone" in line for line in lines)


def test_no_baseline_means_every_finding_is_new() -> None:
    outcome = evaluate(result(finding("a", "info")), GateSpec(), None, TODAY)
    assert outcome.new_ids == {"a"} and outcome.exit_code == 0
    assert describe(outcome)[:1] == ["Gate: PASSED"]


def test_score_reason_names_both_numbers() -> None:
    outcome = evaluate(result(score=71.25), GateSpec(min_score=75), None, TODAY)
    assert outcome.reasons == ("run score 71.2 is below min_score 75",)
