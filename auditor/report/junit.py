"""report.junit.xml: findings as failed tests, for CI systems that show JUnit results.

One testsuite per finding kind (always all kinds, so dashboards see stable suites). In each, a
failing testcase per finding, and a passing testcase per audited channel that has no finding of
that kind, so an audit with no findings still reports tests. Skipped inputs form a last suite of
skipped testcases. The shape follows the Ant JUnit schema that Jenkins and most CI tools read
(tests/report/schemas/JUnit.xsd): every testsuite carries package, id, timestamp and hostname,
and has properties, system-out and system-err children.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from auditor.model import AuditResult, Finding
from auditor.report._view import KINDS, channels_of, kind_label

# XML 1.0 forbids most control characters even as references; transcripts do contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("", text)


def _timestamp(started_at: str) -> str:
    """The run start as the schema wants it: UTC, seconds, no zone designator."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return "1970-01-01T00:00:00"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def evidence_text(finding: Finding) -> str:
    """The evidence as plain lines: where each value is stated, and the sentence."""
    lines = []
    for item in finding.evidence:
        where = item.source + (f":{item.line}" if item.line is not None else "")
        locator = f" ({item.locator})" if item.locator else ""
        lines.append(f"[{item.channel}] {where}{locator}: {item.value}\n    {item.text}")
    if finding.likely_right:
        lines.append(f"likely right: {finding.likely_right}")
    return "\n".join(lines)


def _suite(parent: ET.Element, index: int, name: str, timestamp: str) -> ET.Element:
    suite = ET.SubElement(
        parent,
        "testsuite",
        package="auditor",
        id=str(index),
        name=name,
        timestamp=timestamp,
        hostname="localhost",
        time="0",
    )
    ET.SubElement(suite, "properties")
    return suite


def _close(suite: ET.Element, tests: int, failures: int, skipped: int, out: str) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    ET.SubElement(suite, "system-out").text = _clean(out)
    ET.SubElement(suite, "system-err").text = ""


def render(result: AuditResult) -> str:
    """The JUnit XML document."""
    timestamp = _timestamp(result.run.started_at)
    root = ET.Element("testsuites")
    for index, kind in enumerate(KINDS):
        suite = _suite(root, index, f"auditor.{kind}", timestamp)
        findings = [f for f in result.findings if f.kind == kind]
        for finding in findings:
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(f"{finding.topic} [{finding.id}]"),
                classname=f"auditor.{kind}",
                time="0",
            )
            failure = ET.SubElement(
                case, "failure", message=_clean(finding.summary), type=finding.severity
            )
            failure.text = _clean(evidence_text(finding))
        involved = {c for f in findings for c in channels_of(f)}
        passing = [c for c in result.channels if c not in involved]
        for channel in passing:
            ET.SubElement(
                suite,
                "testcase",
                name=_clean(f"{channel}: no {kind_label(kind)}"),
                classname=f"auditor.{kind}",
                time="0",
            )
        out = f"{result.run.brand}: {len(findings)} {kind_label(kind)} finding(s)"
        _close(suite, len(findings) + len(passing), len(findings), 0, out)
    if result.skipped:
        suite = _suite(root, len(KINDS), "auditor.inputs", timestamp)
        for item in result.skipped:
            case = ET.SubElement(
                suite, "testcase", name=_clean(item.source), classname="auditor.inputs", time="0"
            )
            ET.SubElement(case, "skipped", message=_clean(item.reason))
        count = len(result.skipped)
        _close(suite, count, 0, count, f"{count} input(s) could not be used")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
