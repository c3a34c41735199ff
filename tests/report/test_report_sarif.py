"""report.sarif validates against SARIF 2.1.0 and locates what to fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker
from sample import RETURNS, SHIPPING, SUPPORT_HOURS, clean_result, sample_result

from auditor.report.sarif import FINGERPRINT_KEY, artifact_uri, render

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(scope="module")
def validator() -> Draft4Validator:
    schema = json.loads((SCHEMAS / "sarif-2.1.0-subset.schema.json").read_text())
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


def _valid(validator: Draft4Validator, text: str) -> dict:
    log = json.loads(text)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    return log


def _results(log: dict) -> dict[str, dict]:
    return {r["partialFingerprints"][FINGERPRINT_KEY]: r for r in log["runs"][0]["results"]}


def test_the_schema_rejects_what_it_should(validator: Draft4Validator) -> None:
    log = json.loads(render(sample_result()))
    log["runs"][0]["results"][0]["level"] = "critical"
    assert not validator.is_valid(log)
    del log["runs"][0]["tool"]
    assert not validator.is_valid(log)


def test_sample_and_clean_logs_are_valid(validator: Draft4Validator) -> None:
    log = _valid(validator, render(sample_result()))
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "auditor"
    assert [r["id"] for r in driver["rules"]] == [
        "contradiction",
        "promise_breach",
        "coverage_gap",
        "stale",
    ]
    clean = _valid(validator, render(clean_result()))
    assert clean["runs"][0]["results"] == []


def test_levels_rules_and_fingerprints(validator: Draft4Validator) -> None:
    log = _valid(validator, render(sample_result()))
    results = _results(log)
    assert results[SUPPORT_HOURS.id]["level"] == "error"  # critical
    assert results[RETURNS.id]["level"] == "error"  # major
    assert results[SHIPPING.id]["level"] == "warning"  # minor
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result in results.values():
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert results[RETURNS.id]["message"]["text"].startswith(RETURNS.summary)


def test_the_wrong_side_is_the_location_and_files_carry_lines(validator) -> None:
    results = _results(_valid(validator, render(sample_result())))
    hours = results[SUPPORT_HOURS.id]
    [where] = hours["locations"]
    assert where["physicalLocation"] == {
        "artifactLocation": {"uri": "kb/contact.md"},
        "region": {"startLine": 12},
    }
    [agreeing] = hours["relatedLocations"]
    # web evidence: the URL only, no region
    assert agreeing["physicalLocation"] == {
        "artifactLocation": {"uri": "https://northwind.example/contact"}
    }
    returns = results[RETURNS.id]
    assert {loc["message"]["text"].split(":")[0] for loc in returns["locations"]} == {
        "chat, c-0042 turn 2",
        "chat, c-0057 turn 4",
    }
    assert len(returns["relatedLocations"]) == 2


def test_without_a_likely_right_side_every_evidence_is_a_location(validator) -> None:
    shipping = _results(_valid(validator, render(sample_result())))[SHIPPING.id]
    assert len(shipping["locations"]) == 2 and "relatedLocations" not in shipping


def test_skipped_inputs_are_tool_notifications(validator) -> None:
    log = _valid(validator, render(sample_result()))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        f"skipped: {s.reason}" for s in sample_result().skipped
    ]


@pytest.mark.parametrize(
    ("source", "uri"),
    [
        ("kb/returns.md", "kb/returns.md"),
        ("kb/my article.md", "kb/my%20article.md"),
        ("kb\\win\\a.md", "kb/win/a.md"),
        ("/srv/exports/chats.jsonl", "file:///srv/exports/chats.jsonl"),
        ("C:\\exports\\chats.jsonl", "file:///C:/exports/chats.jsonl"),
        ("https://x.example/a?b=1", "https://x.example/a?b=1"),
        ("returns.md:12", "returns.md%3A12"),
    ],
)
def test_artifact_uri(source: str, uri: str) -> None:
    assert artifact_uri(source) == uri


def test_the_demo_log_is_valid(validator: Draft4Validator, demo_result) -> None:
    log = _valid(validator, render(demo_result))
    assert len(log["runs"][0]["results"]) == len(demo_result.findings)
    lines = [
        loc["physicalLocation"].get("region", {}).get("startLine")
        for r in log["runs"][0]["results"]
        for loc in r["locations"] + r.get("relatedLocations", [])
        if loc["physicalLocation"]["artifactLocation"]["uri"].startswith("kb/")
    ]
    assert lines and all(isinstance(n, int) and n >= 1 for n in lines)
