"""report.json matches its published schema (auditor/report/schemas/report.schema.json)."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator
from sample import clean_result, sample_result

from auditor.report.json import render


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    text = resources.files("auditor.report").joinpath("schemas/report.schema.json").read_text()
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(validator: Draft202012Validator, report: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(report)]


@pytest.mark.parametrize("make", [sample_result, clean_result], ids=["sample", "clean"])
def test_hand_built_reports_match_the_schema(validator, make) -> None:
    assert _errors(validator, json.loads(render(make()))) == []


def test_the_demo_report_matches_the_schema(validator, demo_result) -> None:
    report = json.loads(render(demo_result))
    assert report["findings"], "the demo has planted inconsistencies"
    assert _errors(validator, report) == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: r["findings"][0].pop("severity"),
        lambda r: r["findings"][0].update(severity="blocker"),
        lambda r: r["findings"][0]["evidence"][0].update(line=0),
        lambda r: r["run"].update(extra=1),
        lambda r: r["scores"].update(pass_rate=1.5),
        lambda r: r["skipped"].append({"source": "x"}),
    ],
    ids=["missing", "enum", "line", "extra-key", "range", "skipped"],
)
def test_the_schema_is_strict(validator, spoil) -> None:
    report = json.loads(render(sample_result()))
    spoil(report)
    assert _errors(validator, report) != []
