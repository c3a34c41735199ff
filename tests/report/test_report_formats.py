"""The FORMATS registry: every format renders, is written under its file name, and is tested."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample import clean_result, sample_result

from auditor.report import FORMATS, write_reports

EXPECTED_FILES = {
    "html": "report.html",
    "json": "report.json",
    "md": "report.md",
    "junit": "report.junit.xml",
    "sarif": "report.sarif",
    "csv": "report.csv",
}


def test_the_registry_names_the_formats_and_files_the_cli_documents() -> None:
    assert {name: filename for name, (filename, _) in FORMATS.items()} == EXPECTED_FILES


def test_every_format_has_a_test_module() -> None:
    here = Path(__file__).parent
    modules = {"md": "markdown"}
    for name in FORMATS:
        assert (here / f"test_report_{modules.get(name, name)}.py").is_file(), name


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("make", [sample_result, clean_result], ids=["sample", "clean"])
def test_every_format_renders_text_that_names_the_brand_or_run(name: str, make) -> None:
    result = make()
    text = FORMATS[name][1](result)
    assert isinstance(text, str) and text.endswith("\n")
    # every format carries something that identifies the audit it reports
    assert any(mark in text for mark in ("Northwind", "20261001", "auditor", "finding_id"))


def test_write_reports_writes_each_named_format_once(tmp_path: Path) -> None:
    written = write_reports(sample_result(), tmp_path / "out", ["md", "csv", "sarif"])
    assert [p.name for p in written] == ["report.md", "report.csv", "report.sarif"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        ["report.md", "report.csv", "report.sarif"]
    )
    # written as rendered: the CSV keeps its CRLF line ends on every platform
    assert (tmp_path / "out" / "report.csv").read_bytes().count(b"\r\n") >= 2
