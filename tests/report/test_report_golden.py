"""Golden files: the Markdown and CSV reports of the hand-built sample, byte for byte.

After an intended change, rewrite them with AUDITOR_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sample import sample_result

from auditor.model import AuditResult
from auditor.report import csv_report
from auditor.report.markdown import render_markdown

GOLDEN = Path(__file__).parent / "golden"

CASES: dict[str, Callable[[AuditResult], str]] = {
    "report.md": lambda r: render_markdown(r),
    "report.new.md": lambda r: render_markdown(r, new_ids={"c0ffee123456"}),
    "report.csv": csv_report.render,
}


@pytest.mark.parametrize("filename", sorted(CASES))
def test_golden(filename: str) -> None:
    rendered = CASES[filename](sample_result())
    path = GOLDEN / filename
    if os.environ.get("AUDITOR_UPDATE_GOLDEN"):
        path.write_bytes(rendered.encode("utf-8"))
    assert path.read_bytes().decode("utf-8") == rendered
