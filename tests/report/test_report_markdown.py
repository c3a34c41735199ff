"""report.md: a table that page text cannot break, with new findings first."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sample import SHIPPING, SUPPORT_HOURS, XSS_IMG, XSS_SCRIPT, clean_result, sample_result

from auditor.report.markdown import MAX_ROWS, escape, render_markdown

# A cell boundary is a `|` not preceded by a backslash.
_CELL = re.compile(r"(?<!\\)\|")


def _table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [_CELL.split(row)[1:-1] for row in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", r"a \| b"),
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ("[click](javascript:alert(1))", r"\[click\]\(javascript:alert\(1\)\)"),
        ("*bold* _em_ `code`", r"\*bold\* \_em\_ \`code\`"),
        ("line one\nline two", "line one line two"),
        ("back\\slash", "back\\\\slash"),
        ("AT&T", "AT&amp;T"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_every_row_has_as_many_cells_as_the_header() -> None:
    rows = _table_rows(render_markdown(sample_result()))
    assert len(rows) == 2 + 3  # header, rule, three findings
    assert {len(row) for row in rows} == {len(rows[0])}


def test_page_text_never_reaches_the_comment_as_html() -> None:
    text = render_markdown(sample_result())
    assert "<script" not in text and "<img" not in text
    assert XSS_SCRIPT not in text and XSS_IMG not in text
    # the only raw HTML is ours: line breaks in cells and the skipped-inputs fold
    ours = {"br", "details", "/details", "summary", "/summary"}
    assert set(re.findall(r"<(/?\w+)", text)) <= ours


def test_only_http_sources_become_links() -> None:
    # the website is the side to fix here, so its page is listed, as a link
    flipped = dataclasses.replace(SUPPORT_HOURS, likely_right="knowledge-base")
    result = dataclasses.replace(sample_result(), findings=(flipped, SHIPPING))
    text = render_markdown(result)
    targets = re.findall(r"\]\(<([^>]*)>\)", text)
    assert targets == ["https://northwind.example/contact"]
    # SHIPPING lists all its evidence (no side is known right): its javascript: source is text
    assert "javascript:alert" in text and "](<javascript" not in text


def test_header_counts_findings_by_severity_and_new() -> None:
    header = render_markdown(sample_result(), new_ids={SHIPPING.id}).splitlines()[0]
    assert "3 findings (1 critical, 1 major, 1 minor)" in header
    assert "1 new" in header and "score 84.5" in header and "2 inputs skipped" in header


def test_new_findings_come_first_and_are_marked() -> None:
    rows = _table_rows(render_markdown(sample_result(), new_ids={SHIPPING.id}))
    assert rows[0][0].strip() == "new"
    assert rows[2][0].strip() == "🆕" and "Shipping fee" in rows[2][3]
    assert [r[0].strip() for r in rows[3:]] == ["", ""]
    # without a baseline there is no "new" column and the most severe comes first
    plain = _table_rows(render_markdown(sample_result()))
    assert plain[0][0].strip() == "severity" and plain[2][0].strip() == "critical"


def test_clean_audit_says_so_without_a_table() -> None:
    text = render_markdown(clean_result())
    assert "0 findings" in text.splitlines()[0]
    assert "No contradictions" in text and "|" not in text


def test_long_audits_are_cut_to_fit_a_comment() -> None:
    base = sample_result()
    findings = tuple(
        type(SHIPPING)(**{**SHIPPING.__dict__, "id": f"id{i:04d}"}) for i in range(MAX_ROWS + 7)
    )
    text = render_markdown(type(base)(**{**base.__dict__, "findings": findings}))
    assert len(_table_rows(text)) == 2 + MAX_ROWS
    assert "… and 7 more findings" in text
