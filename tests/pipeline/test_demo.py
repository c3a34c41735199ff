"""`auditor demo` reports the demo brand's planted inconsistencies and nothing else."""

from __future__ import annotations

from pathlib import Path

import yaml

from auditor.config import load_config
from auditor.demo import demo_config_path, demo_root
from auditor.pipeline import RunOptions, run
from auditor.report.json import as_dict
from benchmarks.scoring import matches


def test_demo_finds_exactly_what_was_planted(tmp_path: Path, real_embedder) -> None:
    expected = yaml.safe_load((demo_root() / "expected.yaml").read_text())
    with demo_config_path() as config_path:
        result = run(
            load_config(config_path), RunOptions(cache_dir=tmp_path, embedder=real_embedder)
        )
    report = as_dict(result)
    findings = report["findings"]
    for label in expected["findings"]:
        assert any(matches(label, f) for f in findings), f"{label['id']} not found: {label}"
    for negative in expected["negatives"]:
        assert not any(matches(negative, f, is_negative=True) for f in findings), negative["id"]
    assert len(findings) == len(expected["findings"]), [f["summary"] for f in findings]
    assert report["skipped"] == []
    channels = {e["channel"] for f in findings for e in f["evidence"]}
    assert channels == {"website", "knowledge-base", "chat"}


def test_demo_crawls_the_site_and_respects_robots(tmp_path: Path, real_embedder) -> None:
    with demo_config_path() as config_path:
        result = run(
            load_config(config_path),
            RunOptions(cache_dir=tmp_path, embedder=real_embedder, score=False),
        )
    pages = {a.source.split("/", 3)[-1] for a in result.answers if a.channel == "website"}
    assert pages == {"", "returns.html", "shipping.html", "help/contact.html"}
    # the footer's founding year and phone are boilerplate, never answers
    assert not any("1987" in a.text for a in result.answers)
