"""report.html: one self-contained page for CX leads (no network, no framework).

Safety: everything in a report comes from pages and transcripts we do not control, so the
template autoescapes everything; links are made only from http(s) URLs and carry
rel="noopener noreferrer"; the data the filters need travels in a JSON script block whose `<`, `>`
and `&` are \\u-escaped (so no `</script>` or `<!--` can end it); and a Content-Security-Policy
lets only our own script run, by its hash, so even a missed escape could not execute anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from auditor.model import SEVERITIES, AuditResult, Evidence, Finding
from auditor.report._view import (
    all_channels,
    by_severity,
    channels_of,
    kind_label,
    right_value,
    web_url,
)
from auditor.report.history import HistoryContext, Standing, trend_chart

# Evidence items shown per value before the rest folds into <details>: a value that 200 chats
# state should not bury the one page that states the other.
EVIDENCE_SHOWN = 5


@dataclass
class EvidenceView:
    channel: str
    source: str
    url: str | None
    locator: str
    line: int | None
    value: str
    segments: list[tuple[str, bool]]  # (text, is the stated value)


@dataclass
class ValueColumn:
    value: str
    sources: int
    conversations: int
    state: str  # "right" | "wrong" | "unknown"
    evidence: list[EvidenceView] = field(default_factory=list)


@dataclass
class Cell:
    values: list[tuple[str, int, str]]  # each value this channel states, how often, its state
    state: str  # "right" | "wrong" | "unknown" | "none"


@dataclass
class FindingView:
    finding: Finding
    kind_label: str
    channels: list[str]
    right: str | None
    columns: list[ValueColumn]
    cells: dict[str, Cell]
    standing: Standing | None  # new or persisting, when the run has stored runs before it


def _segments(text: str, value: str) -> list[tuple[str, bool]]:
    """Split `text` so the words that carry `value` can be highlighted.

    The value is normalized ("up to 30 days") while the sentence says "within 30 days", so we
    mark the value itself when it occurs, else its tokens that hold a digit ("30", "$4.99").
    """
    tokens = [value] + [t.strip(",.;:()") for t in value.split() if any(c.isdigit() for c in t)]
    tokens = sorted({t for t in tokens if t}, key=len, reverse=True)
    if not tokens:
        return [(text, False)]
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(t) for t in tokens) + r")(?![\w])", re.IGNORECASE
    )
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def _evidence_view(item: Evidence) -> EvidenceView:
    return EvidenceView(
        channel=item.channel,
        source=item.source,
        url=web_url(item.source),
        locator=item.locator,
        line=item.line,
        value=item.value,
        segments=_segments(item.text, item.value),
    )


def _state(value: str, right: str | None) -> str:
    if right is None:
        return "unknown"
    return "right" if value == right else "wrong"


def _finding_view(
    finding: Finding, channels: list[str], history: HistoryContext | None
) -> FindingView:
    right = right_value(finding)
    counts = {v.value: v for v in finding.values}
    order = [v.value for v in finding.values]
    order += [e.value for e in finding.evidence if e.value not in order]
    # The likely-right value first, so the page reads "this is right; these say otherwise".
    order.sort(key=lambda v: v != right)
    columns = []
    for value in order:
        count = counts.get(value)
        columns.append(
            ValueColumn(
                value=value,
                sources=count.sources if count else 0,
                conversations=count.conversations if count else 0,
                state=_state(value, right),
                evidence=[_evidence_view(e) for e in finding.evidence if e.value == value],
            )
        )
    cells = {}
    for channel in channels:
        stated = Counter(e.value for e in finding.evidence if e.channel == channel)
        if not stated:
            cells[channel] = Cell([], "none")
            continue
        states = {_state(v, right) for v in stated}
        state = "wrong" if "wrong" in states else "right" if states == {"right"} else "unknown"
        values = sorted(stated.items(), key=lambda kv: kv[0] != right)
        cells[channel] = Cell([(v, n, _state(v, right)) for v, n in values], state)
    return FindingView(
        finding=finding,
        kind_label=kind_label(finding.kind),
        channels=channels_of(finding),
        right=right,
        columns=columns,
        cells=cells,
        standing=history.standing(finding) if history is not None else None,
    )


def script_json(data: object) -> Markup:
    """JSON safe inside <script type="application/json">: no `<`, `>` or `&` survive literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("auditor.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        keep_trailing_newline=True,
        lstrip_blocks=True,
    )


def _script() -> str:
    return resources.files("auditor.report").joinpath("templates/report.js").read_text("utf-8")


def render(result: AuditResult, history: HistoryContext | None = None) -> str:
    """The HTML page; with `history`, also a trend chart and each finding's new/persisting mark.

    Without `history` (no store was read) the page has no history section at all; with an
    empty one (no earlier stored run) it says this is the first run.
    """
    channels = all_channels(result)
    findings = list(result.findings)
    if history is not None:
        # new first within each severity (the sort below is stable): what QA looks at first
        findings.sort(key=lambda f: f.id not in history.new_ids)
    findings = by_severity(findings)
    views = [_finding_view(f, channels, history) for f in findings]
    status_counts = Counter(v.standing.status for v in views if v.standing is not None)
    severity_counts: Counter[str] = Counter(f.severity for f in findings)
    kind_counts = Counter(f.kind for f in findings)
    channel_counts = Counter(c for v in views for c in v.channels)
    data = {
        "findings": [
            {
                "id": v.finding.id,
                "severity": v.finding.severity,
                "kind": v.finding.kind,
                "channels": v.channels,
                "status": v.standing.status if v.standing is not None else None,
            }
            for v in views
        ],
        "severities": [s for s in SEVERITIES if severity_counts.get(s)],
        "statuses": [s for s in ("new", "persisting") if status_counts.get(s)],
        "kinds": sorted(kind_counts),
        "channels": channels,
    }
    script = _script()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    template = _environment().get_template("report.html.j2")
    return template.render(
        result=result,
        run=result.run,
        scores=result.scores,
        views=views,
        channels=channels,
        severities=SEVERITIES,
        severity_counts=severity_counts,
        kind_counts=kind_counts,
        channel_counts=channel_counts,
        history=history,
        chart=trend_chart(history, result) if history is not None else None,
        status_counts=status_counts,
        kind_label=kind_label,
        evidence_shown=EVIDENCE_SHOWN,
        data_json=script_json(data),
        # Our own script, read from the package: trusted, and allowed by its hash in the CSP.
        script=Markup(script),
        script_hash=f"sha256-{digest}",
    )
