"""report.md: a short summary for pull-request comments and $GITHUB_STEP_SUMMARY.

A header line with counts, then one table row per finding (new ones first when the gate or a diff
says which are new). Text from pages and transcripts is escaped so it cannot break the table,
open a link or inject HTML into the comment.
"""

from __future__ import annotations

import re
from collections import Counter

from auditor.model import SEVERITIES, AuditResult, Evidence, Finding
from auditor.report._view import by_severity, kind_label, right_value, web_url
from auditor.report.history import HistoryContext

# GitHub caps a comment at 65,536 characters; the full list is in the other reports.
MAX_ROWS = 50
MAX_TEXT = 140
MAX_PLACES = 3

# Characters that start Markdown syntax inside a table cell (CommonMark "backslash escapes").
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def escape(text: str) -> str:
    """Plain text for a GFM table cell: no syntax, no HTML, no line breaks, no `|`."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _values(finding: Finding) -> str:
    right = right_value(finding)
    parts = []
    for count in finding.values:
        value = escape(count.value)
        if count.value == right:
            value = f"**{value}** ✓"
        parts.append(f"{value} ({count.sources} src, {count.conversations} conv)")
    return "<br>".join(parts)


def _place(evidence: Evidence) -> str:
    where = evidence.source + (f":{evidence.line}" if evidence.line is not None else "")
    label = escape(_clip(where, 60))
    url = web_url(evidence.source)
    if url is not None:
        # Angle brackets keep spaces and parentheses in the URL from ending the link early.
        target = url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        label = f"[{label}](<{target}>)"
    locator = f" {escape(_clip(evidence.locator, 40))}" if evidence.locator else ""
    return f"{escape(evidence.channel)}: {label}{locator}"


def _places(finding: Finding) -> str:
    """Where the values that disagree with the likely-right one are stated, or all evidence."""
    right = right_value(finding)
    wrong = [e for e in finding.evidence if right is not None and e.value != right]
    shown = wrong or list(finding.evidence)
    cells = [_place(e) for e in shown[:MAX_PLACES]]
    if len(shown) > MAX_PLACES:
        cells.append(f"… {len(shown) - MAX_PLACES} more")
    return "<br>".join(cells)


def _header(result: AuditResult, new_ids: set[str] | None) -> str:
    counts: Counter[str] = Counter(f.severity for f in result.findings)
    found = len(result.findings)
    parts = [f"**auditor** · {escape(result.run.brand)}"]
    by_sev = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts.get(s))
    parts.append(f"{found} finding{'s' if found != 1 else ''}" + (f" ({by_sev})" if by_sev else ""))
    if new_ids is not None:
        new = sum(1 for f in result.findings if f.id in new_ids)
        parts.append(f"{new} new")
    if result.scores.run is not None:
        parts.append(f"score {result.scores.run:.1f}")
    parts.append(f"{len(result.channels)} channels")
    if result.skipped:
        parts.append(f"{len(result.skipped)} inputs skipped")
    return " · ".join(parts)


def render_markdown(result: AuditResult, new_ids: set[str] | None = None) -> str:
    """The Markdown summary; `new_ids` marks and lists first the findings a baseline calls new."""
    lines = [_header(result, new_ids), ""]
    findings = by_severity(result.findings)
    if new_ids is not None:
        findings.sort(key=lambda f: f.id not in new_ids)
    if not findings:
        lines.append("No contradictions or broken promises found.")
    else:
        new_column = new_ids is not None
        head = ["severity", "kind", "topic", "summary", "values", "likely right", "where"]
        if new_column:
            head.insert(0, "new")
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for finding in findings[:MAX_ROWS]:
            row = [
                finding.severity,
                kind_label(finding.kind),
                escape(_clip(finding.topic, 60)),
                escape(_clip(finding.summary)),
                _values(finding),
                escape(finding.likely_right or "?"),
                _places(finding),
            ]
            if new_column:
                row.insert(0, "🆕" if new_ids and finding.id in new_ids else "")
            lines.append("| " + " | ".join(row) + " |")
        if len(findings) > MAX_ROWS:
            lines.append("")
            lines.append(f"… and {len(findings) - MAX_ROWS} more findings in the full report.")
    if result.skipped:
        lines.append("")
        lines.append("<details><summary>Skipped inputs</summary>")
        lines.append("")
        for item in result.skipped[:MAX_ROWS]:
            lines.append(f"- {escape(_clip(item.source, 80))}: {escape(_clip(item.reason))}")
        if len(result.skipped) > MAX_ROWS:
            lines.append(f"- … and {len(result.skipped) - MAX_ROWS} more")
        lines.append("")
        lines.append("</details>")
    return "\n".join(lines) + "\n"


def render(result: AuditResult, history: HistoryContext | None = None) -> str:
    """The summary; with a stored run before this one, its new findings are marked and first."""
    if history is None or history.previous is None:
        return render_markdown(result, None)
    return render_markdown(result, set(history.new_ids))
