"""The terminal summary of one audit (rich): findings by severity, scores, what was skipped."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from auditor.model import AuditResult

_STYLE = {"critical": "bold red", "major": "red", "minor": "yellow", "info": "cyan"}


def print_summary(
    result: AuditResult, written: list[Path], console: Console | None = None, limit: int = 20
) -> None:
    console = console or Console()
    counts = Counter(f.severity for f in result.findings)
    kinds = Counter(f.kind for f in result.findings)
    console.print(
        f"[bold]{escape(result.run.brand)}[/bold]: {len(result.answers)} answers in "
        f"{len(result.channels)} channels, {len(result.findings)} findings "
        + (
            "(" + ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(kinds.items())) + ")"
            if kinds
            else ""
        )
    )
    if result.findings:
        table = Table(show_lines=False, header_style="bold")
        table.add_column("severity")
        table.add_column("kind")
        table.add_column("topic", overflow="fold", max_width=30)
        table.add_column("what disagrees", overflow="fold")
        table.add_column("likely right")
        for finding in result.findings[:limit]:
            table.add_row(
                f"[{_STYLE.get(finding.severity, '')}]{finding.severity}[/]",
                finding.kind.replace("_", " "),
                escape(finding.topic),
                escape(finding.summary),
                escape(finding.likely_right or ""),
            )
        console.print(table)
        if len(result.findings) > limit:
            console.print(f"… and {len(result.findings) - limit} more in the report")
        console.print(" ".join(f"[{_STYLE[s]}]{counts[s]} {s}[/]" for s in _STYLE if counts.get(s)))
    scores = result.scores
    if scores.run is not None:
        channel_scores = ", ".join(f"{escape(c)} {v:.1f}" for c, v in scores.channels.items())
        console.print(f"Score {scores.run:.1f} ({escape(scores.rubric or '')}): {channel_scores}")
    if result.skipped:
        console.print(f"[yellow]{len(result.skipped)} inputs skipped[/yellow]:")
        for item in result.skipped[:10]:
            console.print(f"  {escape(item.source)}: {escape(item.reason)}")
        if len(result.skipped) > 10:
            console.print(f"  … and {len(result.skipped) - 10} more in the report")
    for path in written:
        console.print(f"Report: {escape(str(path))}")
