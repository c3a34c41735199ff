"""`consistent`: table of findings around answer a1 (chat says 14 days, website says 30)."""

from __future__ import annotations

import pytest

OUTCOME = {"pass": True, "fail": False, "n/a": None}

# (case, finding kwargs built from evidence specs, params, expected)
CASES = [
    ("no findings at all", [], {}, "pass"),
    (
        "a1 on the wrong side of a contradiction",
        [dict(ev=[("a1", "chat", "14 days"), ("w1", "website", "30 days")], right="website")],
        {},
        "fail",
    ),
    (
        "a1 on the likely-right side is spared",
        [dict(ev=[("a1", "website", "30 days"), ("c9", "chat", "14 days")], right="website")],
        {},
        "pass",
    ),
    (
        "likely-right side counted when asked",
        [dict(ev=[("a1", "website", "30 days"), ("c9", "chat", "14 days")], right="website")],
        {"include_likely_right": True},
        "fail",
    ),
    (
        "no likely-right channel: every side fails",
        [dict(ev=[("a1", "website", "30 days"), ("c9", "chat", "14 days")], right=None)],
        {},
        "fail",
    ),
    (
        "two pages of the likely-right channel disagree: the first value is the right one",
        [dict(ev=[("w2", "website", "30 days"), ("a1", "website", "14 days")], right="website")],
        {},
        "fail",
    ),
    (
        "two pages disagree, a1 states the value listed first",
        [dict(ev=[("a1", "website", "30 days"), ("w2", "website", "14 days")], right="website")],
        {},
        "pass",
    ),
    (
        "a finding about other answers",
        [dict(ev=[("b1", "chat", "14 days"), ("w1", "website", "30 days")], right="website")],
        {},
        "pass",
    ),
    (
        "promise breach counts by default",
        [dict(kind="promise_breach", ev=[("a1", "chat", "14 days")])],
        {},
        "fail",
    ),
    (
        "kinds narrowed to contradictions ignore a promise breach",
        [dict(kind="promise_breach", ev=[("a1", "chat", "14 days")])],
        {"kinds": ["contradiction"]},
        "pass",
    ),
    (
        "stale findings are not counted by default",
        [dict(kind="stale", ev=[("a1", "chat", "2019")])],
        {},
        "pass",
    ),
    (
        "stale findings counted when listed",
        [dict(kind="stale", ev=[("a1", "chat", "2019")])],
        {"kinds": ["stale"]},
        "fail",
    ),
    (
        "severity filter leaves out a minor finding",
        [dict(severity="minor", ev=[("a1", "chat", "14 days")])],
        {"severities": ["critical", "major"]},
        "pass",
    ),
]


@pytest.mark.parametrize(("case", "specs", "params", "expected"), CASES, ids=[c[0] for c in CASES])
def test_consistent(run_check, build, case, specs, params, expected):
    findings = [
        build.finding(
            kind=spec.get("kind", "contradiction"),
            severity=spec.get("severity", "major"),
            likely_right=spec.get("right"),
            evidence_=[build.evidence(*ev) for ev in spec["ev"]],
            id_=f"f{i}",
        )
        for i, spec in enumerate(specs)
    ]
    result = run_check("consistent", params, text="You have 14 days.", findings=findings)
    assert result.passed is OUTCOME[expected]
    if expected == "fail":
        assert "f0" in result.detail


def test_conversation_level_counts_evidence_by_conversation(run_check, build):
    # evidence without an answer id, located only by its conversation
    finding = build.finding(evidence_=[build.evidence(None, "chat", "14 days", conversation="c1")])
    turns = [("customer", "How long?"), ("agent", "14 days.")]
    assert run_check("consistent", {}, findings=[finding], turns=turns).passed is False
    assert run_check("consistent", {}, findings=[], turns=turns).passed is True
