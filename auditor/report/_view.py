"""What several report formats derive from a finding the same way: which value is likely right,
which evidence disagrees with it, which sources may become links. Reads model.py only."""

from __future__ import annotations

from collections import Counter
from typing import get_args
from urllib.parse import urlsplit

from auditor.model import SEVERITIES, AuditResult, Evidence, Finding, FindingKind

KINDS: tuple[str, ...] = get_args(FindingKind)

KIND_TITLES: dict[str, str] = {
    "contradiction": "Contradiction",
    "promise_breach": "Promise breach",
    "coverage_gap": "Coverage gap",
    "stale": "Stale answer",
}


def kind_label(kind: str) -> str:
    return kind.replace("_", " ")


def web_url(source: str) -> str | None:
    """The source as a link target when it is an http(s) URL with a host, else None.

    Anything else (file paths, javascript:, data:, vendor schemes) is shown as text only.
    """
    try:
        parts = urlsplit(source.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return source.strip()
    return None


def right_value(finding: Finding) -> str | None:
    """The value the likely-right channel states (its most frequent one), when known."""
    if finding.likely_right is None:
        return None
    counts = Counter(e.value for e in finding.evidence if e.channel == finding.likely_right)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def disagrees(finding: Finding, evidence: Evidence) -> bool:
    """Whether this evidence states something other than the likely-right value."""
    right = right_value(finding)
    return right is not None and evidence.value != right


def channels_of(finding: Finding) -> list[str]:
    """The channels a finding's evidence comes from, in first-seen order."""
    return list(dict.fromkeys(e.channel for e in finding.evidence))


def all_channels(result: AuditResult) -> list[str]:
    """The audited channels, then any channel that only appears in evidence."""
    seen = dict.fromkeys(result.channels)
    for finding in result.findings:
        seen.update(dict.fromkeys(channels_of(finding)))
    return list(seen)


def by_severity(findings: tuple[Finding, ...] | list[Finding]) -> list[Finding]:
    """Most severe first; the pipeline's order within a severity is kept."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: rank.get(f.severity, len(rank)))
