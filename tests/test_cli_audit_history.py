"""`auditor audit` reads the store before it saves the run: the first run's report says so, the
next one charts both runs and marks what is new and what persists, with new findings first in
report.md. Real audits of a small knowledge base, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html
from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()


def _audit(config: Path, out: Path) -> None:
    result = runner.invoke(
        app, ["audit", "-c", str(config), "-o", str(out), "-f", "html,json,md", "-q"]
    )
    assert result.exit_code == 0, result.output


def _standing(doc, topic: str) -> str:
    [row] = [
        r
        for r in doc.xpath("//table[@id='findings-table']//tr[@data-finding]")
        if r.findall("td")[2].text_content() == topic
    ]
    return " ".join(row.find_class("standing")[0].text_content().split())


def test_the_second_audit_marks_new_and_persisting_findings(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a.md").write_text("# Returns\n\nReturns are free within 30 days of delivery.\n")
    (kb / "b.md").write_text("# Returns\n\nYou can return items within 14 days of delivery.\n")
    config = tmp_path / "audit.yaml"
    config.write_text("brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n")

    _audit(config, tmp_path / "r1")
    first = lxml_html.document_fromstring((tmp_path / "r1" / "report.html").read_text())
    assert "First run" in first.get_element_by_id("first-run").text_content()
    assert not first.xpath("//*[@id='trend-chart']")
    assert not (tmp_path / "r1" / "report.md").read_text().splitlines()[2].startswith("| new")
    started = json.loads((tmp_path / "r1" / "report.json").read_text())["run"]["started_at"]

    (kb / "c.md").write_text("# Shipping\n\nStandard shipping costs $4.99.\n")
    (kb / "d.md").write_text("# Shipping\n\nStandard shipping costs $6.99.\n")
    _audit(config, tmp_path / "r2")
    second = lxml_html.document_fromstring((tmp_path / "r2" / "report.html").read_text())
    assert _standing(second, "Shipping") == "new"
    assert _standing(second, "Returns") == f"persisting since {started[:10]}"
    assert len(second.xpath("//*[@id='trend-chart']//*[local-name()='circle']")) == 2
    rows = (tmp_path / "r2" / "report.md").read_text().splitlines()
    assert rows[2].startswith("| new |")
    assert rows[4].startswith("| 🆕 |") and "Shipping" in rows[4]
    assert "Returns" in rows[5] and not rows[5].startswith("| 🆕")


def test_a_store_that_cannot_be_read_still_gets_the_reports_written(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a.md").write_text("# Returns\n\nReturns are free within 30 days.\n")
    config = tmp_path / "audit.yaml"
    config.write_text(
        "brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n"
        "store: mysql://auditor:s3cret@127.0.0.1/db\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["audit", "-c", str(config), "-o", str(out), "-q"])
    assert result.exit_code == 2
    assert "unknown store URL" in result.output and "s3cret" not in result.output
    assert json.loads((out / "report.json").read_text())["run"]["brand"] == "B"
