"""`auditor diff`, `history` and `report` over a store filled by save_run, through the real CLI
parser (typer's CliRunner), with exact exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from store_builders import finding, result
from typer.testing import CliRunner

from auditor.cli_history import diff as diff_command
from auditor.cli_history import history as history_command
from auditor.cli_history import open_config_store, register, save_run
from auditor.cli_history import report as report_command
from auditor.config import load_config
from auditor.pipeline import RunOptions, run
from auditor.report import FORMATS

runner = CliRunner()
WIDE = {"COLUMNS": "220"}  # rich wraps tables to the terminal; keep rows on one line

A, B, C = finding("aaaa1111"), finding("bbbb2222", "critical"), finding("cccc3333", "minor")
RUNS = (
    result("20261001T020000Z-111111", "2026-10-01T02:00:00+00:00", (A, B), {"website": 90.0}),
    result("20261002T020000Z-222222", "2026-10-02T02:00:00+00:00", (B, C), {"website": 95.5}),
)


@pytest.fixture
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    (tmp_path / "kb").mkdir()
    path = tmp_path / "audit.yaml"
    path.write_text(
        "brand: Northwind\n"
        "channels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n"
        "store: sqlite:///state/history.db\n"
    )
    return path


@pytest.fixture
def stored(config_path: Path) -> Path:
    config = load_config(config_path)
    for audit in RUNS:
        save_run(config, audit)
    return config_path


def test_save_run_writes_to_the_configured_store(stored: Path) -> None:
    assert (stored.parent / "state" / "history.db").is_file()
    with open_config_store(load_config(stored)) as store:
        assert [r.id for r in store.runs()] == [RUNS[1].run.id, RUNS[0].run.id]
        assert {r.config_path for r in store.runs()} == {str(stored.resolve())}


def test_without_a_store_setting_runs_go_beside_the_config(tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    path.write_text("brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['*.md']}\n")
    save_run(load_config(path), RUNS[0])
    assert (tmp_path / ".auditor" / "history.db").is_file()


def test_diff_defaults_to_the_last_two_runs(app: typer.Typer, stored: Path) -> None:
    out = runner.invoke(app, ["diff", "--config", str(stored)], env=WIDE)
    assert out.exit_code == 0, out.output
    assert "1 new, 1 resolved, 1 persisting" in out.output
    new, rest = out.output.split("New findings")[1].split("Resolved findings")
    resolved, persisting = rest.split("Persisting findings")
    assert "cccc3333" in new and "aaaa1111" not in new
    assert "aaaa1111" in resolved and "cccc3333" not in resolved
    assert "bbbb2222" in persisting
    assert "2026-10-01" in persisting  # persisting since the first run


def test_diff_takes_run_ids_or_prefixes(app: typer.Typer, stored: Path) -> None:
    out = runner.invoke(app, ["diff", "20261002", "20261001", "--config", str(stored)], env=WIDE)
    assert out.exit_code == 0, out.output
    assert "1 new, 1 resolved, 1 persisting" in out.output
    assert "aaaa1111" in out.output.split("New findings")[1].split("Resolved findings")[0]


@pytest.mark.parametrize(
    "args, message",
    [
        (["diff", "2026"], "'2026' names 2 runs"),
        (["diff", "nope"], "no stored run nope"),
        (["report", "nope"], "no stored run nope"),
    ],
)
def test_unknown_or_ambiguous_runs_exit_2(
    app: typer.Typer, stored: Path, args: list[str], message: str
) -> None:
    out = runner.invoke(app, [*args, "--config", str(stored)], env=WIDE)
    assert out.exit_code == 2
    assert message in out.output


def test_diff_needs_two_runs(app: typer.Typer, config_path: Path) -> None:
    save_run(load_config(config_path), RUNS[0])
    out = runner.invoke(app, ["diff", "--config", str(config_path)], env=WIDE)
    assert out.exit_code == 2
    assert "diff needs two stored runs, found 1" in out.output


def test_history_shows_scores_and_counts_per_run_and_channel(
    app: typer.Typer, stored: Path
) -> None:
    out = runner.invoke(app, ["history", "--config", str(stored)], env=WIDE)
    assert out.exit_code == 0, out.output
    runs_table, channels_table = out.output.split("Per channel")
    rows = [line.split() for line in runs_table.splitlines() if "20261" in line]
    assert [row[0] for row in rows] == [RUNS[0].run.id, RUNS[1].run.id]  # oldest first
    header = next(line.split() for line in runs_table.splitlines() if "score" in line)
    # only the severities that occur get a column
    assert header == ["run", "score", "findings", "critical", "major", "minor"]
    assert rows[1][1:] == ["95.5", "2", "1", "0", "1"]
    header = next(line.split() for line in channels_table.splitlines() if "run" in line)
    assert header == ["run", "website", "chat"]
    cells = [line for line in channels_table.splitlines() if RUNS[1].run.id in line][0]
    assert cells.split()[1:] == ["95.5", "(2)", "-", "(2)"]


def test_history_of_an_empty_store(app: typer.Typer, config_path: Path) -> None:
    out = runner.invoke(app, ["history", "--config", str(config_path)], env=WIDE)
    assert out.exit_code == 0
    assert "No runs stored yet" in out.output


def test_report_renders_a_stored_run_again(app: typer.Typer, stored: Path, tmp_path: Path) -> None:
    out = runner.invoke(
        app,
        ["report", "20261001", "-c", str(stored), "-o", str(tmp_path / "r"), "-f", "json,md"],
        env=WIDE,
    )
    assert out.exit_code == 0, out.output
    assert (tmp_path / "r" / "report.json").read_text() == FORMATS["json"][1](RUNS[0])
    assert (tmp_path / "r" / "report.md").read_text() == FORMATS["md"][1](RUNS[0])


def test_report_rejects_an_unknown_format(app: typer.Typer, stored: Path) -> None:
    out = runner.invoke(app, ["report", "20261001", "-c", str(stored), "-f", "pdf"], env=WIDE)
    assert out.exit_code == 2
    assert "unknown format pdf" in out.output


def test_a_store_error_hides_the_password(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "audit.yaml"
    path.write_text(
        "brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['*.md']}\n"
        "store: mysql://auditor:s3cret@127.0.0.1/db\n"
    )
    out = runner.invoke(app, ["history", "--config", str(path)], env=WIDE)
    assert out.exit_code == 2
    assert "Error: mysql://auditor:***@127.0.0.1/db: unknown store URL" in out.output
    assert "s3cret" not in out.output


def test_a_real_audit_saved_and_reported_again_gives_the_same_json(
    app: typer.Typer, tmp_path: Path, real_embedder
) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a.md").write_text("# Returns\n\nReturns are free within 30 days.\n")
    (tmp_path / "kb" / "b.md").write_text("# Returns\n\nYou can return items within 14 days.\n")
    path = tmp_path / "audit.yaml"
    path.write_text("brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n")
    config = load_config(path)
    audited = run(config, RunOptions(cache_dir=tmp_path / "cache", embedder=real_embedder))
    assert audited.findings and audited.scores.answers  # the round trip has something to carry
    save_run(config, audited)
    out = runner.invoke(
        app,
        ["report", audited.run.id, "-c", str(path), "-o", str(tmp_path / "again"), "-f", "json"],
    )
    assert out.exit_code == 0, out.output
    again = json.loads((tmp_path / "again" / "report.json").read_text())
    assert again == json.loads(FORMATS["json"][1](audited))


def test_report_defaults_to_html_and_json_under_reports_run_id(
    app: typer.Typer, stored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    out = runner.invoke(app, ["report", "20261002", "-c", str(stored)], env=WIDE)
    assert out.exit_code == 0, out.output
    folder = tmp_path / "cwd" / "reports" / RUNS[1].run.id
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.json"]


@pytest.mark.parametrize("command", ["diff", "history", "report"])
def test_every_history_command_is_registered_and_documented(app: typer.Typer, command: str) -> None:
    listing = runner.invoke(app, ["--help"], env=WIDE)
    assert command in listing.output
    out = runner.invoke(app, [command, "--help"], env=WIDE)
    assert out.exit_code == 0
    assert "--config" in out.output
    function = {"diff": diff_command, "history": history_command, "report": report_command}
    assert function[command].__doc__.splitlines()[0] in out.output
