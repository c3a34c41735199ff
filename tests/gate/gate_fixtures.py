"""Findings and results built by hand for the gate tests."""

from __future__ import annotations

from auditor.model import AuditResult, Evidence, Finding, RunInfo, Scores, ValueCount


def finding(fid: str, severity: str = "major") -> Finding:
    return Finding(
        id=fid,
        kind="contradiction",
        severity=severity,  # type: ignore[arg-type]
        topic=f"topic {fid}",
        summary=f"chat says 14 days, website says 30 days ({fid})",
        likely_right="website",
        promise=None,
        values=(ValueCount("30 days", 1, 0), ValueCount("14 days", 0, 1)),
        evidence=(Evidence("website", "https://x.example/r", "s", "30 days.", "30 days"),),
    )


def result(*findings: Finding, score: float | None = None) -> AuditResult:
    return AuditResult(
        run=RunInfo("r1", "2026-10-15T08:00:00+00:00", "Brand"),
        findings=findings,
        answers=(),
        statements=(),
        scores=Scores(run=score),
        skipped=(),
        channels=("website", "chat"),
    )
