"""report.junit.xml validates against the Ant JUnit schema CI tools read."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from lxml import etree
from sample import RETURNS, clean_result, sample_result

from auditor.model import Evidence
from auditor.report.junit import render

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "JUnit.xsd")))


def _parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def _assert_valid(schema: etree.XMLSchema, text: str) -> etree._Element:
    document = _parse(text)
    assert schema.validate(document), schema.error_log
    return document


def test_the_schema_rejects_what_it_should(schema: etree.XMLSchema) -> None:
    # a testsuite without its required attributes is not valid JUnit
    assert not schema.validate(_parse("<testsuites><testsuite name='x'/></testsuites>"))


def test_sample_report_is_valid_junit(schema: etree.XMLSchema) -> None:
    document = _assert_valid(schema, render(sample_result()))
    failures = document.findall(".//testcase/failure")
    assert len(failures) == 3
    returns = next(f for f in failures if f.get("message") == RETURNS.summary)
    assert returns.get("type") == "major"
    assert "kb/returns.md:7" in returns.text and "<script>" in returns.text  # text, escaped
    skipped = document.findall(".//testcase/skipped")
    assert [s.get("message") for s in skipped] == [s.reason for s in sample_result().skipped]


def test_suites_add_up(schema: etree.XMLSchema) -> None:
    document = _assert_valid(schema, render(sample_result()))
    for suite in document.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))
    assert [s.get("id") for s in document.findall("testsuite")] == ["0", "1", "2", "3", "4"]


def test_a_clean_audit_still_has_passing_tests(schema: etree.XMLSchema) -> None:
    document = _assert_valid(schema, render(clean_result()))
    cases = document.findall(".//testcase")
    assert len(cases) == 4 * 3  # every kind, for every channel
    assert document.findall(".//failure") == []
    assert "website: no contradiction" in {c.get("name") for c in cases}


def test_control_characters_from_transcripts_do_not_break_the_xml(
    schema: etree.XMLSchema,
) -> None:
    bad = Evidence("chat", "x.jsonl", "c-1 turn 2", "bell\x07 and nul\x00 here", "14 days")
    finding = dataclasses.replace(RETURNS, evidence=(*RETURNS.evidence, bad))
    result = dataclasses.replace(sample_result(), findings=(finding,))
    document = _assert_valid(schema, render(result))
    assert "bell and nul here" in document.find(".//failure").text


def test_the_demo_report_is_valid_junit(schema: etree.XMLSchema, demo_result) -> None:
    document = _assert_valid(schema, render(demo_result))
    assert len(document.findall(".//failure")) == len(demo_result.findings)
