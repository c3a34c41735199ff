"""`keeps_promises`: only promise_breach findings on this answer count."""

from __future__ import annotations

import pytest

OUTCOME = {"pass": True, "fail": False, "n/a": None}

CASES = [
    ("nothing found", [], {}, "pass"),
    ("a breach on this answer", [("promise_breach", "free-returns-30", "a1")], {}, "fail"),
    ("a breach on another answer", [("promise_breach", "free-returns-30", "b1")], {}, "pass"),
    ("a plain contradiction is not a breach", [("contradiction", None, "a1")], {}, "pass"),
    (
        "a breach of a promise outside the listed ones",
        [("promise_breach", "support-24-7", "a1")],
        {"promises": ["free-returns-30"]},
        "pass",
    ),
    (
        "a breach of a listed promise",
        [("promise_breach", "free-returns-30", "a1")],
        {"promises": ["free-returns-30"]},
        "fail",
    ),
]


@pytest.mark.parametrize(("case", "specs", "params", "expected"), CASES, ids=[c[0] for c in CASES])
def test_keeps_promises(run_check, build, case, specs, params, expected):
    findings = [
        build.finding(
            kind=kind,
            promise=promise,
            evidence_=[build.evidence(on, "chat", "14 days")],
            id_=f"f{i}",
        )
        for i, (kind, promise, on) in enumerate(specs)
    ]
    result = run_check("keeps_promises", params, text="14 days.", findings=findings)
    assert result.passed is OUTCOME[expected]


def test_the_side_agreeing_with_the_promise_is_spared(run_check, build):
    breach = build.finding(
        kind="promise_breach",
        promise="free-returns-30",
        likely_right="website",
        evidence_=[build.evidence("a1", "website", "30 days"), build.evidence("c2", "chat", "14")],
    )
    result = run_check("keeps_promises", {}, text="30 days.", findings=[breach], channel="website")
    assert result.passed is True
