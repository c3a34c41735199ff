"""The CLI end to end: help without torch, exit codes, report.json in DESIGN.md's shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app

runner = CliRunner()


def test_help_does_not_import_torch() -> None:
    # `auditor --help` must answer at once: torch and the model load only when auditing
    code = "import sys; from auditor.cli import app; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("audit", "demo", "rubric"):
        assert command in result.output


def test_invalid_config_key_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text("brand: B\nchannels:\n  - {name: kb, kind: files, pathz: ['*.md']}\n")
    result = runner.invoke(app, ["audit", "--config", str(config), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{config}:3" in result.output
    assert "unknown key 'pathz'" in result.output


def test_missing_config_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "--config", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "--format", "pdf"])
    assert result.exit_code == 2


def test_audit_writes_report_json_in_the_design_shape(tmp_path: Path, real_embedder) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a.md").write_text("# Returns\n\nReturns are free within 30 days of delivery.\n")
    (kb / "b.md").write_text("# Returns\n\nYou can return items within 14 days of delivery.\n")
    (tmp_path / "audit.yaml").write_text(
        "brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n"
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["audit", "--config", str(tmp_path / "audit.yaml"), "--out", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "Report:" in result.output
    report = json.loads((out / "report.json").read_text())
    assert set(report) == {"run", "findings", "scores", "skipped"}
    assert set(report["run"]) == {"id", "started_at", "brand", "score"}
    [finding] = report["findings"]
    for key in ("id", "kind", "severity", "topic", "summary", "likely_right", "promise",
                "values", "evidence"):  # fmt: skip
        assert key in finding
    assert {v["value"] for v in finding["values"]} == {"up to 30 days", "up to 14 days"}
    assert {e["source"] for e in finding["evidence"]} == {"kb/a.md", "kb/b.md"}
    assert all(e["line"] == 3 for e in finding["evidence"])


def test_broken_rubric_is_a_config_error_before_auditing(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        "name: r\ndescription: d\ncriteria:\n  - id: x\n    check: nope\n"
    )
    (tmp_path / "audit.yaml").write_text(
        "brand: B\nrubric: r.yaml\nchannels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n"
    )
    result = runner.invoke(app, ["audit", "--config", str(tmp_path / "audit.yaml")])
    assert result.exit_code == 2
    assert "r.yaml:5" in result.output
    assert "nope" in result.output
