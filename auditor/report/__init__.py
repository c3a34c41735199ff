"""Report: one module per format behind one small interface: `render(result) -> str`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from auditor.model import AuditResult


def _json(result: AuditResult) -> str:
    from auditor.report import json as json_report

    return json_report.render(result)


FORMATS: dict[str, tuple[str, Callable[[AuditResult], str]]] = {
    "json": ("report.json", _json),
}


def write_reports(result: AuditResult, out_dir: Path, formats: list[str]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in formats:
        filename, render = FORMATS[name]
        path = out_dir / filename
        path.write_text(render(result), encoding="utf-8")
        written.append(path)
    return written
