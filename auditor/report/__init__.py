"""Report: one module per format behind one small interface: `render(result) -> str`.

FORMATS maps each `--format` name to its file name and render function. The format modules are
imported when a report is rendered, not when the CLI starts (Jinja2 and the template cost time).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from auditor.model import AuditResult


def _lazy(module: str) -> Callable[[AuditResult], str]:
    def render(result: AuditResult) -> str:
        return import_module(f"auditor.report.{module}").render(result)

    render.__name__ = f"render_{module}"
    return render


FORMATS: dict[str, tuple[str, Callable[[AuditResult], str]]] = {
    "html": ("report.html", _lazy("html")),
    "json": ("report.json", _lazy("json")),
    "md": ("report.md", _lazy("markdown")),
    "junit": ("report.junit.xml", _lazy("junit")),
    "sarif": ("report.sarif", _lazy("sarif")),
    "csv": ("report.csv", _lazy("csv_report")),
}


def write_reports(result: AuditResult, out_dir: Path, formats: list[str]) -> list[Path]:
    """Render each named format into `out_dir`; returns the paths written, in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        filename, render = FORMATS[name]
        path = out_dir / filename
        # newline="": the text is written as rendered (CSV's CRLF stays CRLF on every OS).
        path.write_text(render(result), encoding="utf-8", newline="")
        written.append(path)
    return written
