"""`auditor gate` and `auditor baseline update` over a copy of the demo brand, through the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.demo import demo_root, serve_site

runner = CliRunner()


@pytest.fixture
def brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable copy of the demo brand with its site served: returns its audit.yaml.

    One server per test: web finding ids include the page URL, so its port must not change
    between the runs a test compares.
    """
    root = tmp_path / "brand"
    shutil.copytree(demo_root(), root, ignore=shutil.ignore_patterns(".auditor"))
    with serve_site(root / "site") as url:
        monkeypatch.setenv("SITE_URL", url)
        yield root / "audit.yaml"


def gate(config: Path, *extra: str):
    out = config.parent / "reports"
    return runner.invoke(app, ["gate", "--config", str(config), "--out", str(out), *extra])


def accept(config: Path, *extra: str):
    return runner.invoke(app, ["baseline", "update", "--config", str(config), *extra])


def test_new_findings_fail_until_accepted(brand: Path) -> None:
    first = gate(brand, "--format", "html,json,md,junit,sarif,csv")
    assert first.exit_code == 1, first.output
    assert "Gate: FAILED" in first.output and "every finding counts as new" in first.output
    reports = brand.parent / "reports"
    assert sorted(p.name for p in reports.iterdir()) == sorted(
        ["report.html", "report.json", "report.md", "report.junit.xml", "report.sarif",
         "report.csv"]
    )  # fmt: skip
    found = {f["id"] for f in json.loads((reports / "report.json").read_text())["findings"]}
    assert found
    markdown = (reports / "report.md").read_text()
    assert " new" in markdown.splitlines()[0] and markdown.count("🆕") == len(found)

    accepted = accept(brand, "--reason", "known; agents retrained in November")
    assert accepted.exit_code == 0, accepted.output
    baseline = json.loads((brand.parent / ".auditor-baseline.json").read_text())
    assert set(baseline["findings"]) == found
    assert {e["reason"] for e in baseline["findings"].values()} == {
        "known; agents retrained in November"
    }

    second = gate(brand, "--format", "md")
    assert second.exit_code == 0, second.output
    assert "Gate: PASSED" in second.output
    assert f"{len(found)} finding(s) accepted in the baseline" in second.output
    assert "🆕" not in (reports / "report.md").read_text()


def test_an_expired_entry_fails_again(brand: Path) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert accept(brand, "--reason", "temporary", "--expires", yesterday).exit_code == 0
    outcome = gate(brand, "--format", "json")
    assert outcome.exit_code == 1, outcome.output
    assert f"expired on {yesterday}" in outcome.output
    renewed = (date.today() + timedelta(days=30)).isoformat()
    assert accept(brand, "--expires", renewed).exit_code == 0  # renewing needs no new reason
    assert gate(brand, "--format", "json").exit_code == 0


def test_a_run_score_below_min_score_fails(brand: Path) -> None:
    assert accept(brand, "--reason", "accepted").exit_code == 0
    brand.write_text(brand.read_text() + "\ngate:\n  min_score: 99.5\n")
    outcome = gate(brand, "--format", "json")
    assert outcome.exit_code == 1, outcome.output
    assert "is below min_score 99.5" in outcome.output


def test_a_malformed_baseline_is_exit_2_with_file_and_line(brand: Path) -> None:
    path = brand.parent / ".auditor-baseline.json"
    path.write_text('{\n  "version": 1,\n  "findings": {\n    "abc": {"reason": "x"},,\n')
    outcome = gate(brand, "--format", "json")
    assert outcome.exit_code == 2
    assert f"Error: {path}:4:" in outcome.output
    assert not (brand.parent / "reports").exists()  # nothing audited on a broken setup


def test_usage_errors_are_exit_2(brand: Path) -> None:
    missing = gate(brand, "--baseline", str(brand.parent / "nope.json"))
    assert missing.exit_code == 2 and "baseline file not found" in missing.output
    assert accept(brand, "--expires", "next week").exit_code == 2
    no_reason = accept(brand)
    assert no_reason.exit_code == 2 and "need a reason" in no_reason.output
    assert gate(brand, "--format", "pdf").exit_code == 2
