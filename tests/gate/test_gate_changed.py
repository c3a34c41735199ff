"""`auditor gate --changed` and `--changed-since`: the changed knowledge-base files audited
against the other answers of the last stored run, with the demo brand's site no longer served,
so a crawl would fail the run."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.cli_history import open_config_store
from auditor.config import load_config
from auditor.demo import demo_root, serve_site
from auditor.pipeline import RunOptions, run

runner = CliRunner()
DELIVERY = "Standard delivery takes 3 to 5 business days."


@pytest.fixture(scope="module")
def stored_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The demo brand audited once (the run stored, its report in full/) with every finding
    accepted in the baseline; then its site is shut down. Yields the folder and the dead
    SITE_URL, which the config still needs to load."""
    root = tmp_path_factory.mktemp("stored") / "brand"
    shutil.copytree(demo_root(), root, ignore=shutil.ignore_patterns(".auditor"))
    config = str(root / "audit.yaml")
    with pytest.MonkeyPatch.context() as patch, serve_site(root / "site") as url:
        patch.setenv("SITE_URL", url)
        audited = runner.invoke(
            app, ["audit", "-c", config, "-o", str(root / "full"), "-f", "json", "-q"]
        )
        assert audited.exit_code == 0, audited.output
        accepted = runner.invoke(app, ["baseline", "update", "-c", config, "--reason", "known"])
        assert accepted.exit_code == 0, accepted.output
    yield root, url


@pytest.fixture
def brand(
    stored_template: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A copy of the stored template, as the working directory: returns its folder."""
    template, dead_url = stored_template
    root = tmp_path / "brand"
    shutil.copytree(template, root)
    monkeypatch.setenv("SITE_URL", dead_url)
    monkeypatch.chdir(root)
    return root


def gate(*args: str):
    return runner.invoke(app, ["gate", "--out", "reports", "--quiet", *args])


def findings(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["findings"]


def accepted_ids(root: Path) -> set[str]:
    return set(json.loads((root / ".auditor-baseline.json").read_text())["findings"])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def assert_new_delivery_finding(root: Path, output: str) -> None:
    """One new finding: the knowledge base's 7-10 days against the stored 3-5 days of the
    website and the chat, reported at the changed line of kb/shipping.md."""
    report = json.loads((root / "reports" / "report.json").read_text(encoding="utf-8"))
    # the site is down: had anything been crawled, its failure would be listed here
    assert report["skipped"] == []
    [new] = [f for f in report["findings"] if f["id"] not in accepted_ids(root)]
    sides = {(e["channel"], e["value"]) for e in new["evidence"]}
    # the stored answer of the old kb/shipping.md is replaced, not kept beside the new one
    assert [e["value"] for e in new["evidence"] if e["source"] == "kb/shipping.md"] == [
        "7-10 business days"
    ]
    assert {"website", "chat"} <= {
        channel for channel, value in sides if value != "7-10 business days"
    }
    assert f"new {new['severity']}: " in output and new["id"] in output

    sarif = json.loads((root / "reports" / "report.sarif").read_text(encoding="utf-8"))
    [result] = [
        r
        for r in sarif["runs"][0]["results"]
        if r["partialFingerprints"]["auditorFindingId/v1"] == new["id"]
    ]
    [location] = result["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "kb/shipping.md"},
        "region": {"startLine": line_of(root / "kb" / "shipping.md", "7 to 10 business days")},
    }


def test_a_new_contradiction_in_a_changed_file_fails_the_gate(brand: Path) -> None:
    edit(brand / "kb" / "shipping.md", "3 to 5 business days", "7 to 10 business days")
    outcome = gate("--changed", "kb/shipping.md", "--format", "json,sarif")
    assert outcome.exit_code == 1, outcome.output
    assert "Auditing 1 changed file(s) against the other answers of stored run" in outcome.output
    assert "Gate: FAILED" in outcome.output and "1 new finding (1 major)" in outcome.output
    assert_new_delivery_finding(brand, outcome.output)


def test_unchanged_files_give_the_full_audits_findings(brand: Path) -> None:
    """Re-read files and stored answers together reproduce the full audit exactly: same
    findings, same fingerprints, same evidence in the same order."""
    outcome = gate("--changed", *(f"kb/{p.name}" for p in (brand / "kb").iterdir()), "-f", "json")
    assert outcome.exit_code == 0, outcome.output
    assert "Auditing 3 changed file(s)" in outcome.output
    assert findings(brand / "reports" / "report.json") == findings(brand / "full" / "report.json")


def test_stored_answers_stand_in_the_order_a_full_run_lists_them(brand: Path) -> None:
    """A finding names the first answer of its likely-right side, so the union must list
    answers as a full run does, the re-read file's in its place among the stored ones."""
    config = load_config(brand / "audit.yaml")
    with open_config_store(config) as store:
        [last] = store.runs(1)
        stored = store.load(last.id).answers
    assert {a.source for a in stored if a.channel == "knowledge-base"} == {
        "kb/contact.md",
        "kb/returns.md",
        "kb/shipping.md",
    }
    options = RunOptions(
        only_paths=frozenset({(brand / "kb" / "returns.md").resolve()}),
        prior_answers=stored,
        score=False,
    )
    assert run(config, options).answers == stored


def test_a_change_that_adds_nothing_new_passes(brand: Path) -> None:
    edit(brand / "kb" / "shipping.md", DELIVERY, DELIVERY + " Every parcel is tracked.")
    outcome = gate("--changed", "kb/shipping.md", "--format", "json")
    assert outcome.exit_code == 0, outcome.output
    assert "Gate: PASSED" in outcome.output
    found = findings(brand / "reports" / "report.json")
    assert {f["id"] for f in found} == accepted_ids(brand)


def test_a_deleted_file_drops_out(brand: Path) -> None:
    before = findings(brand / "full" / "report.json")
    assert any(e["source"] == "kb/contact.md" for f in before for e in f["evidence"])
    (brand / "kb" / "contact.md").unlink()
    outcome = gate("--changed", "kb/contact.md", "--format", "json")
    assert outcome.exit_code == 0, outcome.output
    assert "Auditing 0 changed file(s)" in outcome.output
    assert "1 other changed path(s)" in outcome.output
    after = findings(brand / "reports" / "report.json")
    assert after and not any(e["source"] == "kb/contact.md" for f in after for e in f["evidence"])
    assert {f["id"] for f in after} < {f["id"] for f in before}


def test_changed_since_a_git_ref_audits_the_files_git_lists(brand: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.test", *args],
            cwd=brand,
            check=True,
            capture_output=True,
        )

    (brand / ".gitignore").write_text(".auditor/\nfull/\nreports/\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "--no-gpg-sign", "-m", "knowledge base")
    edit(brand / "kb" / "shipping.md", "3 to 5 business days", "7 to 10 business days")
    edit(brand / "audit.yaml", "rubric: cx-default", "rubric: cx-default  # reviewed")

    outcome = gate("--changed-since", "HEAD", "--format", "json,sarif")
    assert outcome.exit_code == 1, outcome.output
    assert "Auditing 1 changed file(s)" in outcome.output and "kb/shipping.md" in outcome.output
    assert "1 other changed path(s)" in outcome.output  # audit.yaml: no knowledge-base file
    assert_new_delivery_finding(brand, outcome.output)

    bad = gate("--changed-since", "no-such-ref", "--format", "json")
    assert bad.exit_code == 2 and "Error: --changed-since: git diff failed" in bad.output


def test_without_a_stored_run_the_changed_files_have_nothing_to_meet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "brand"
    shutil.copytree(demo_root(), root, ignore=shutil.ignore_patterns(".auditor"))
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:9")
    monkeypatch.chdir(root)
    outcome = gate("--changed", "kb/shipping.md", "--format", "json")
    assert outcome.exit_code == 2
    assert "no stored run of Lumen & Co., so nothing to audit the changed files against" in (
        outcome.output
    )
    assert not (root / "reports").exists()


def test_a_files_only_config_without_a_stored_run_is_audited_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "brand"
    shutil.copytree(demo_root(), root, ignore=shutil.ignore_patterns(".auditor"))
    (root / "audit.yaml").write_text(
        "brand: Lumen & Co.\n"
        "channels:\n  - {name: knowledge-base, kind: files, paths: ['kb/*.md']}\n"
        "promises: promises.yaml\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(root)
    outcome = gate("--changed", "kb/shipping.md", "--format", "json")
    assert "no stored run of Lumen & Co. in " in outcome.output
    assert "auditing every file" in outcome.output
    # the opening-hours promise breach is in kb/contact.md, which did not change
    found = findings(root / "reports" / "report.json")
    assert any(e["source"] == "kb/contact.md" for f in found for e in f["evidence"])
    assert outcome.exit_code == 1, outcome.output


def test_a_run_stored_without_answer_texts_cannot_be_re_audited(brand: Path) -> None:
    # what a run saved before the store kept answer texts reads back as
    with sqlite3.connect(brand / ".auditor" / "history.db") as db:
        db.execute("UPDATE answers SET text = NULL, line_map_json = NULL")
    db.close()
    outcome = gate("--changed", "kb/shipping.md", "--format", "json")
    assert outcome.exit_code == 2
    assert "has no answer texts (an older auditor saved it)" in outcome.output


def test_changed_usage_errors_are_exit_2(brand: Path) -> None:
    no_flag = gate("kb/shipping.md")
    assert no_flag.exit_code == 2 and "need --changed" in no_flag.output
    both = gate("--changed", "kb/shipping.md", "--changed-since", "HEAD")
    assert both.exit_code == 2 and "not both" in both.output
