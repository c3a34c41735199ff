"""The CI examples we ship call the gate the way the CLI and the report registry define it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from auditor.cli import app
from auditor.report import FORMATS

ROOT = Path(__file__).resolve().parents[2]


def _gate_options() -> set[str]:
    help_text = CliRunner().invoke(app, ["gate", "--help"], env={"COLUMNS": "200"}).output
    return set(re.findall(r"--[a-z][a-z-]+", help_text))


def test_the_workflow_runs_the_gate_and_publishes_what_it_writes() -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "github-actions.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and "schedule" in triggers
    steps = workflow["jobs"]["audit"]["steps"]
    [gate_step] = [s for s in steps if s.get("id") == "gate"]
    command = next(line for line in gate_step["run"].splitlines() if "auditor gate " in line)
    args = shlex.split(command)
    assert set(a for a in args if a.startswith("--")) <= _gate_options()
    formats = args[args.index("--format") + 1].split(",")
    assert set(formats) <= set(FORMATS)
    out = args[args.index("--out") + 1]
    published = " ".join(str(s) for s in steps)
    for name in ("md", "sarif"):
        assert f"{out}/{FORMATS[name][0]}" in published
    # the job fails with the gate's own exit code, after the reports are published
    assert steps[-1]["if"] == "steps.gate.outputs.code != '0'"


def test_the_pre_commit_hook() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "auditor-gate"
    assert hook["entry"] == "auditor gate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for changed in ("kb/returns.md", "help/faq.markdown", "site/index.html", "a/b.htm"):
        assert files.search(changed), changed
    for other in ("auditor/cli.py", "audit.yaml", "notes.mdx.bak", "index.html.orig"):
        assert not files.search(other), other
