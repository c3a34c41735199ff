"""The baseline file: load, save, update, and errors that point at file and line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from gate_fixtures import finding, result

from auditor.baseline import (
    Baseline,
    BaselineEntry,
    baseline_path,
    load_baseline,
    parse_baseline,
    save_baseline,
    update,
)
from auditor.config import load_config
from auditor.errors import ConfigError

TODAY = date(2026, 10, 15)


def test_round_trip_is_sorted_and_stable(tmp_path: Path) -> None:
    original = Baseline(
        {
            "b2": BaselineEntry("b2", "known", date(2027, 1, 1), "returns", "chat says 14"),
            "a1": BaselineEntry("a1", "wording only"),
        }
    )
    path = tmp_path / "sub" / ".auditor-baseline.json"
    save_baseline(original, path)
    text = path.read_text()
    assert list(json.loads(text)["findings"]) == ["a1", "b2"]
    assert load_baseline(path) == original
    save_baseline(load_baseline(path), path)
    assert path.read_text() == text
    assert not path.with_name(path.name + ".tmp").exists()


def test_update_adds_new_findings_and_keeps_existing_reasons() -> None:
    old = Baseline(
        {
            "a": BaselineEntry("a", "accepted in review", date(2027, 1, 1), "old topic"),
            "gone": BaselineEntry("gone", "fixed later"),
            "late": BaselineEntry("late", "was fine", date(2026, 10, 1)),
        }
    )
    current = result(finding("a"), finding("new"), finding("late"))
    updated = update(old, current, "batch accept", date(2026, 12, 31), TODAY)
    a = updated.get("a")
    assert (a.reason, a.expires, a.topic) == ("accepted in review", date(2027, 1, 1), "topic a")
    new = updated.get("new")
    assert (new.reason, new.expires, new.summary) == (
        "batch accept",
        date(2026, 12, 31),
        finding("new").summary,
    )
    late = updated.get("late")  # expired and still found: accepted again, with the new expiry
    assert (late.reason, late.expires) == ("was fine", date(2026, 12, 31))
    assert updated.get("gone") is not None
    pruned = update(old, current, "batch accept", None, TODAY, prune=True)
    assert set(pruned.entries) == {"a", "new", "late"}


def test_update_needs_a_reason_only_for_new_findings() -> None:
    old = Baseline({"a": BaselineEntry("a", "ok")})
    assert update(old, result(finding("a")), None, None, TODAY).get("a").reason == "ok"
    with pytest.raises(ConfigError, match="1 new finding"):
        update(old, result(finding("a"), finding("b")), "  ", None, TODAY)


def test_baseline_path_defaults_next_to_the_config(tmp_path: Path) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text("brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['*.md']}\n")
    assert baseline_path(load_config(config)) == tmp_path.resolve() / ".auditor-baseline.json"
    config.write_text(config.read_text() + "gate:\n  baseline: ci/accepted.json\n")
    assert baseline_path(load_config(config)) == tmp_path.resolve() / "ci" / "accepted.json"


MALFORMED = [
    # (text, line, message fragment)
    ('{"version": 1,\n "findings": {\n  "a": {"reason": "x",}\n }\n}\n', 3, "not valid JSON"),
    ('{"version": 1,\n "findings": {\n  "a": {"reason": "x"}\n', 4, "not valid JSON"),
    ("", 1, "not valid JSON"),
    ('[\n  "a"\n]\n', 1, "expected an object"),
    ('{\n "version": 2,\n "findings": {}\n}\n', 2, "version 2 is not supported"),
    ('{\n "version": 1,\n "findngs": {}\n}\n', 3, "unknown key 'findngs'"),
    ('{\n "findings": {\n  "a": {"reason": "x"},\n  "a": {"reason": "y"}\n }\n}\n', 4, "twice"),
    ('{\n "findings": {\n  "ab": {"why": "x"}\n }\n}\n', 3, "unknown key why"),
    ('{\n "findings": {\n  "ab": {"reason": ""}\n }\n}\n', 3, "non-empty reason"),
    ('{\n "findings": {\n  "ab": {"reason": "x", "expires": "31/12/2026"}\n }\n}\n', 3, "ISO"),
    ('{\n "findings": {\n  "ab": "accepted"\n }\n}\n', 3, "must be an object"),
    ('{\n "findings": []\n}\n', 2, "findings must map"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), MALFORMED)
def test_malformed_files_name_file_and_line(tmp_path: Path, text, line, fragment) -> None:
    path = tmp_path / "base.json"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_baseline(path)
    assert caught.value.line == line
    assert caught.value.message().startswith(f"{path}:{line}:")
    assert fragment in caught.value.message()


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_baseline(tmp_path / "nope.json")


def test_entries_may_omit_everything_but_the_reason() -> None:
    parsed = parse_baseline('{"findings": {"a": {"reason": "fine"}}}', "b.json")
    assert parsed.get("a") == BaselineEntry("a", "fine")
