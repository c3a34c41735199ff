"""report.json, exactly in the shape of DESIGN.md ("Findings: the JSON report")."""

from __future__ import annotations

import json
from typing import Any

from auditor.model import AuditResult, Finding


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "kind": finding.kind,
        "severity": finding.severity,
        "topic": finding.topic,
        "summary": finding.summary,
        "likely_right": finding.likely_right,
        "promise": finding.promise,
        "scope": finding.scope.describe() or None,
        "fact_kind": finding.fact_kind,
        "values": [
            {"value": v.value, "sources": v.sources, "conversations": v.conversations}
            for v in finding.values
        ],
        "evidence": [
            {
                "channel": e.channel,
                "source": e.source,
                "locator": e.locator,
                "text": e.text,
                "value": e.value,
                **({"line": e.line} if e.line is not None else {}),
            }
            for e in finding.evidence
        ],
    }


def as_dict(result: AuditResult) -> dict[str, Any]:
    scores = result.scores
    return {
        "run": {
            "id": result.run.id,
            "started_at": result.run.started_at,
            "brand": result.run.brand,
            "score": result.run.score,
        },
        "findings": [finding_dict(f) for f in result.findings],
        "scores": {
            "run": scores.run,
            "pass_rate": scores.pass_rate,
            "rubric": scores.rubric,
            "channels": scores.channels,
            "topics": scores.topics,
            "answers": {
                s.answer_id: {
                    "score": s.score,
                    "failed_critical": s.failed_critical,
                    "failed": [r.criterion for r in s.results if r.passed is False],
                }
                for s in scores.answers
            },
        },
        "skipped": [{"source": s.source, "reason": s.reason} for s in result.skipped],
    }


def render(result: AuditResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
