"""report.csv: one row per (finding, evidence item), for spreadsheets and BI tools.

Named csv_report so that `import csv` inside this package still means the standard library.
"""

from __future__ import annotations

import csv
import io

from auditor.model import AuditResult

COLUMNS = (
    "finding_id",
    "kind",
    "severity",
    "topic",
    "value",
    "likely_right",
    "channel",
    "source",
    "locator",
    "line",
    "text",
)

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection");
# page and transcript text is untrusted, so such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render(result: AuditResult) -> str:
    """The CSV text: a header row, then a row per evidence item (one empty row when none)."""
    buffer = io.StringIO()
    # RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted.
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in result.findings:
        head = (finding.id, finding.kind, finding.severity, finding.topic)
        if not finding.evidence:
            writer.writerow(
                [_cell(v) for v in (*head, "", finding.likely_right, "", "", "", "", "")]
            )
        for item in finding.evidence:
            row = (
                *head,
                item.value,
                finding.likely_right,
                item.channel,
                item.source,
                item.locator,
                item.line,
                item.text,
            )
            writer.writerow([_cell(v) for v in row])
    return buffer.getvalue()
