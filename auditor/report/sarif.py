"""report.sarif: SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps) of a knowledge base.

One run, tool.driver "auditor", one rule per finding kind, one result per finding. A result's
`locations` are where the values that disagree with the likely-right one are stated (what to
fix, SARIF 2.1.0 §3.27.12 asks for the places a change is needed); the agreeing evidence goes to
`relatedLocations`. Local files get a line region; web pages get only their URL. The finding id
is the partial fingerprint, so code scanning tracks a finding across runs as the baseline does.
Skipped inputs become tool execution notifications.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from auditor import __version__
from auditor.model import AuditResult, Evidence, Finding
from auditor.report._view import KIND_TITLES, KINDS, disagrees

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

LEVELS = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}

_RULE_TEXT = {
    "contradiction": "Two channels state different values for the same question.",
    "promise_breach": "An answer states something other than what the brand promises.",
    "coverage_gap": "A question is answered in some channels and not in others.",
    "stale": "An answer is older than the other channels' answers to the same question.",
}

FINGERPRINT_KEY = "auditorFindingId/v1"

# "scheme://..." is a URL; "returns.md:12" (a path with a line) is not, though urlsplit says so.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def artifact_uri(source: str) -> str:
    """A URI for a source: URLs as they are, absolute paths as file: URIs, relative paths
    percent-encoded with forward slashes (relative to the audited folder, as code scanning
    expects)."""
    if _URL.match(source):
        return source
    if PureWindowsPath(source).is_absolute():
        return PureWindowsPath(source).as_uri()
    if PurePosixPath(source).is_absolute():
        return PurePosixPath(source).as_uri()
    return quote(source.replace("\\", "/"), safe="/")


def _location(index: int, evidence: Evidence) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(evidence.source)}}
    if evidence.line is not None and evidence.line >= 1:
        physical["region"] = {"startLine": evidence.line}
    where = f"{evidence.channel}" + (f", {evidence.locator}" if evidence.locator else "")
    return {
        "id": index,
        "physicalLocation": physical,
        "message": {"text": f"{where}: {evidence.value}: {evidence.text}"},
    }


def _result(finding: Finding) -> dict[str, Any]:
    located = list(enumerate(finding.evidence))
    primary = [(i, e) for i, e in located if disagrees(finding, e)] or located
    chosen = {i for i, _ in primary}
    related = [(i, e) for i, e in located if i not in chosen]
    message = finding.summary
    if finding.likely_right:
        message += f" (likely right: {finding.likely_right})"
    result: dict[str, Any] = {
        "ruleId": finding.kind,
        "ruleIndex": KINDS.index(finding.kind),
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [_location(i, e) for i, e in primary],
        "partialFingerprints": {FINGERPRINT_KEY: finding.id},
        "properties": {
            "severity": finding.severity,
            "topic": finding.topic,
            "likelyRight": finding.likely_right,
            "promise": finding.promise,
            "values": [
                {"value": v.value, "sources": v.sources, "conversations": v.conversations}
                for v in finding.values
            ],
        },
    }
    if related:
        result["relatedLocations"] = [_location(i, e) for i, e in related]
    return result


def as_dict(result: AuditResult) -> dict[str, Any]:
    rules = [
        {
            "id": kind,
            "name": KIND_TITLES[kind].replace(" ", ""),
            "shortDescription": {"text": KIND_TITLES[kind]},
            "fullDescription": {"text": _RULE_TEXT[kind]},
            "defaultConfiguration": {"level": "error" if kind != "stale" else "warning"},
        }
        for kind in KINDS
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if result.skipped:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "warning",
                "message": {"text": f"skipped: {item.reason}"},
                "locations": [
                    {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(item.source)}}}
                ],
            }
            for item in result.skipped
        ]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "auditor", "version": __version__, "rules": rules}},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": [_result(f) for f in result.findings],
                "properties": {
                    "brand": result.run.brand,
                    "runId": result.run.id,
                    "startedAt": result.run.started_at,
                    "score": result.scores.run,
                },
            }
        ],
    }


def render(result: AuditResult) -> str:
    """The SARIF log as JSON."""
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
