"""Report: one module per format behind one small interface: `render(result) -> str`.

FORMATS maps each `--format` name to its file name and render function. The format modules are
imported when a report is rendered, not when the CLI starts (Jinja2 and the template cost time).
Formats that show history (HTML: a trend chart and new/persisting marks; Markdown: new findings
first) also take the optional HistoryContext the CLI read from the store; the others ignore it.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from auditor.model import AuditResult

if TYPE_CHECKING:
    from auditor.report.history import HistoryContext


class Renderer(Protocol):
    def __call__(self, result: AuditResult, history: HistoryContext | None = None) -> str: ...


def _lazy(module: str, shows_history: bool = False) -> Renderer:
    def render(result: AuditResult, history: HistoryContext | None = None) -> str:
        renderer = import_module(f"auditor.report.{module}").render
        return renderer(result, history) if shows_history else renderer(result)

    render.__name__ = f"render_{module}"
    return render


FORMATS: dict[str, tuple[str, Renderer]] = {
    "html": ("report.html", _lazy("html", shows_history=True)),
    "json": ("report.json", _lazy("json")),
    "md": ("report.md", _lazy("markdown", shows_history=True)),
    "junit": ("report.junit.xml", _lazy("junit")),
    "sarif": ("report.sarif", _lazy("sarif")),
    "csv": ("report.csv", _lazy("csv_report")),
}


def write_reports(
    result: AuditResult,
    out_dir: Path,
    formats: list[str],
    history: HistoryContext | None = None,
) -> list[Path]:
    """Render each named format into `out_dir`; returns the paths written, in order.

    `history` (read from the store before this run was saved) adds the trend and the
    new/persisting marks to the formats that show them.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        filename, render = FORMATS[name]
        path = out_dir / filename
        # newline="": the text is written as rendered (CSV's CRLF stays CRLF on every OS).
        path.write_text(render(result, history), encoding="utf-8", newline="")
        written.append(path)
    return written
