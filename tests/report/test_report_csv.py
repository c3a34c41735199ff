"""report.csv: one row per (finding, evidence), read back intact by the csv module."""

from __future__ import annotations

import csv
import io

from sample import RETURNS, SHIPPING, SUPPORT_HOURS, clean_result, sample_result

from auditor.report.csv_report import COLUMNS, render


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_evidence_item_with_the_documented_columns() -> None:
    text = render(sample_result())
    assert text.splitlines()[0] == ",".join(COLUMNS)
    rows = _rows(text)
    evidence = [(f, e) for f in sample_result().findings for e in f.evidence]
    assert len(rows) == len(evidence)
    for row, (finding, item) in zip(rows, evidence, strict=True):
        assert row["finding_id"] == finding.id
        assert row["severity"] == finding.severity
        assert row["value"] == item.value
        assert row["channel"] == item.channel
        assert row["line"] == ("" if item.line is None else str(item.line))


def test_commas_quotes_pipes_and_line_breaks_survive_the_round_trip() -> None:
    rows = _rows(render(sample_result()))
    texts = [r["text"] for r in rows]
    assert RETURNS.evidence[1].text in texts  # quotes and a pipe
    assert SHIPPING.evidence[1].text in texts  # a line break and a pipe
    assert "Shipping fee, members" in [r["topic"] for r in rows]


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused() -> None:
    rows = _rows(render(sample_result()))
    hostile = [r for r in rows if r["finding_id"] == SUPPORT_HOURS.id][1]["text"]
    assert hostile.startswith("'=HYPERLINK(")
    assert hostile[1:] == SUPPORT_HOURS.evidence[1].text


def test_a_clean_audit_is_just_the_header() -> None:
    assert render(clean_result()) == ",".join(COLUMNS) + "\r\n"
