"""History in the reports: the trend chart of the stored runs and this one, each finding marked
new or persisting since its first-seen date, new findings first in Markdown, and "first run"
when nothing is stored before. (test_report_html_browser.py opens the chart in Chromium.)"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sample import (
    FIRST_RUN,
    HOSTILE,
    RETURNS,
    SECOND_RUN,
    SHIPPING,
    SUPPORT_HOURS,
    XSS_SCRIPT,
    history_runs,
    hostile_result,
    sample_result,
)

from auditor.cli_history import history_context
from auditor.report import FORMATS, write_reports
from auditor.report.history import MAX_LABELS, HistoryContext, point_of, trend_chart
from auditor.report.html import render
from auditor.report.markdown import render_markdown
from auditor.store import HistoryPoint, RunSummary, open_store

RUN_ID = hostile_result().run.id


def _doc(text: str):
    return lxml_html.document_fromstring(text)


def _svg(doc):
    [svg] = doc.xpath("//*[@id='trend-chart']")
    return svg


def _by_class(root, tag: str, name: str) -> list:
    return [e for e in root.iter(tag) if name in (e.get("class") or "").split()]


def test_the_context_is_read_from_the_runs_stored_before(three_runs) -> None:
    third, context = three_runs
    assert [p.run.id for p in context.points] == [FIRST_RUN.id, SECOND_RUN.id]
    assert context.previous is not None and context.previous.id == SECOND_RUN.id
    assert context.new_ids == {SHIPPING.id, HOSTILE.id}
    assert context.first_seen == {
        RETURNS.id: (FIRST_RUN.id, FIRST_RUN.started_at),
        SUPPORT_HOURS.id: (SECOND_RUN.id, SECOND_RUN.started_at),
        SHIPPING.id: (FIRST_RUN.id, FIRST_RUN.started_at),  # seen, gone, back
    }
    assert context.resolved == 1  # GIFT_WRAP, in the second run only


def test_each_finding_is_marked_new_or_persisting_since_its_first_run(three_runs) -> None:
    doc = _doc(render(*three_runs))
    marks = {
        row.get("data-finding"): " ".join(row.find_class("standing")[0].text_content().split())
        for row in doc.xpath("//table[@id='findings-table']//tr[@data-finding]")
    }
    assert marks == {
        SUPPORT_HOURS.id: "persisting since 2026-09-30",
        RETURNS.id: "persisting since 2026-09-29",
        SHIPPING.id: "new back; first seen 2026-09-29",
        HOSTILE.id: "new",
    }
    # the evidence cards carry the same marks
    card = doc.get_element_by_id(f"f-{RETURNS.id}")
    assert [b.get("data-status") for b in card.find_class("badge")][-1] == "persisting"
    assert doc.get_element_by_id(f"f-{HOSTILE.id}").find_class("hist-new")
    summary = " ".join(doc.get_element_by_id("since-previous").text_content().split())
    assert summary.endswith("2 new, 2 persisting, 1 resolved.")
    assert f"Against run {SECOND_RUN.id} (started 2026-09-30" in summary
    [new_card] = [c for c in doc.find_class("stat") if "since the last run" in c.text_content()]
    assert new_card.find("b").text == "2"


def test_the_filter_data_carries_each_findings_status(three_runs) -> None:
    page = render(*three_runs)
    raw = re.search(r'<script type="application/json" id="auditor-data">(.*?)</script>', page, re.S)
    assert raw is not None
    data = json.loads(raw.group(1))
    assert {f["id"]: f["status"] for f in data["findings"]} == {
        SUPPORT_HOURS.id: "persisting",
        RETURNS.id: "persisting",
        SHIPPING.id: "new",
        HOSTILE.id: "new",
    }
    assert data["statuses"] == ["new", "persisting"]
    chips = _doc(page).xpath("//button[@data-filter='status']/@data-value")
    assert chips == ["new", "persisting"]


def test_the_chart_plots_every_run_with_its_score_and_counts(three_runs) -> None:
    svg = _svg(_doc(render(*three_runs)))
    points = list(svg.iter("circle"))
    titles = [" ".join(p.findtext("title", "").split()) for p in points]
    assert [t.rsplit("score ", 1)[1] for t in titles] == ["70.0", "78.5", "84.5"]
    heights = [float(p.get("cy")) for p in points]
    assert heights[0] > heights[1] > heights[2]  # a higher score sits higher: smaller y
    assert [p.get("class") for p in points][-1] == "score-point current"
    labels = [t.text for t in _by_class(svg, "text", "run-label")]
    assert labels == ["2026-09-29", "2026-09-30", "2026-10-01"]
    groups = _by_class(svg, "g", "run")
    assert [g.get("data-run") for g in groups] == [FIRST_RUN.id, SECOND_RUN.id, RUN_ID]
    stacks = [
        {
            r.get("class").split("s-")[1]: r.findtext("title").rsplit(" ", 2)[1]
            for r in g.iter("rect")
        }
        for g in groups
    ]
    assert stacks == [
        {"major": "1", "minor": "1"},
        {"critical": "1", "major": "1", "minor": "1"},
        {"critical": "1", "major": "1", "minor": "1", "info": "1"},
    ]
    totals = [t.text for t in _by_class(svg, "text", "total")]
    assert totals == ["2", "3", "4"]
    # bar heights are to scale: four findings stand twice as tall as two
    tall = [sum(float(r.get("height")) for r in g.iter("rect")) for g in groups]
    assert tall[2] == pytest.approx(2 * tall[0], abs=0.2)


def test_store_text_in_the_chart_is_escaped(three_runs) -> None:
    page = render(*three_runs)
    assert XSS_SCRIPT not in page  # the second run's id carries one
    doc = _doc(page)
    assert [s.get("type") for s in doc.iter("script")] == ["application/json", None]
    svg = _svg(doc)
    assert any(SECOND_RUN.id in (t.text or "") for t in svg.iter("title"))
    assert SECOND_RUN.id in doc.get_element_by_id("trend-figures").text_content()


def test_a_first_run_says_so_and_draws_no_chart(tmp_path: Path) -> None:
    result = hostile_result()
    with open_store("sqlite:///history.db", tmp_path) as store:
        context = history_context(store, result)
    assert context == HistoryContext()
    page = render(result, context)
    doc = _doc(page)
    assert "First run" in doc.get_element_by_id("first-run").text_content()
    assert "<svg" not in page
    assert not doc.find_class("standing") and not doc.xpath("//*[@data-status]")
    assert not doc.xpath("//button[@data-filter='status']")
    assert FORMATS["md"][1](result, context) == render_markdown(result)


def test_without_a_context_the_page_has_no_history_section() -> None:
    doc = _doc(render(sample_result()))
    assert doc.get_element_by_id("history", None) is None
    assert not doc.xpath("//a[@href='#history']")


def test_markdown_lists_new_findings_first(three_runs) -> None:
    third, context = three_runs
    text = FORMATS["md"][1](third, context)
    assert "2 new" in text.splitlines()[0]
    rows = [line for line in text.splitlines() if line.startswith("|")][2:]
    marks_and_topics = [(row.split("|")[1].strip(), row.split("|")[4].strip()) for row in rows]
    assert marks_and_topics == [
        ("🆕", "Shipping fee, members"),
        ("🆕", r"&lt;/script&gt;&lt;script&gt;window.\_\_xss=1&lt;/script&gt;&lt;\!--"),
        ("", "Support hours"),
        ("", "Return window"),
    ]


def test_write_reports_passes_the_context_to_the_formats_that_show_history(
    three_runs, tmp_path: Path
) -> None:
    third, context = three_runs
    write_reports(third, tmp_path, ["html", "md", "json"], context)
    assert (tmp_path / "report.html").read_text() == render(third, context)
    assert (tmp_path / "report.md").read_text() == render_markdown(third, set(context.new_ids))
    assert (tmp_path / "report.json").read_text() == FORMATS["json"][1](third)


def test_a_stored_run_gets_the_context_it_had_before_it_was_saved(tmp_path: Path) -> None:
    """`auditor report RUN_ID` renders the trend and marks that `auditor audit` rendered."""
    first, second, third = history_runs()
    with open_store("sqlite:///history.db", tmp_path) as store:
        store.save(first)
        store.save(second)
        before = history_context(store, third)
        store.save(third)
        later = dataclasses.replace(third.run, id="20261002T080000Z-4", started_at="2026-10-02")
        store.save(dataclasses.replace(third, run=later))  # a later run changes nothing of it
        again = history_context(store, store.load(third.run.id))
    assert again == before


def _point(run_id: str, started_at: str, score: float | None, **severities: int) -> HistoryPoint:
    summary = RunSummary(run_id, "B", started_at, None, score, None, sum(severities.values()))
    return HistoryPoint(summary, severities=severities)


def test_a_run_without_a_score_breaks_the_score_line() -> None:
    points = (
        _point("r1", "2026-09-01T00:00:00+00:00", 80.0, major=1),
        _point("r2", "2026-09-02T00:00:00+00:00", None, major=1),
        _point("r3", "2026-09-03T00:00:00+00:00", 90.0, major=1),
    )
    chart = trend_chart(HistoryContext(points), sample_result())
    assert chart is not None
    # r1 alone; r2 has no score; r3 joined to this run
    assert re.fullmatch(r"M\S+ \S+ M\S+ \S+ L\S+ \S+", chart.score_path)
    assert [c.score_y is None for c in chart.columns] == [False, True, False, False]


def test_thirty_runs_get_few_labels_and_the_reported_run_always_has_one() -> None:
    points = tuple(
        _point(f"r{i}", f"2026-09-{i + 1:02d}T00:00:00+00:00", 50.0 + i, minor=i % 4)
        for i in range(29)
    )
    chart = trend_chart(HistoryContext(points), sample_result())
    assert chart is not None and len(chart.columns) == 30
    labels = [c.label for c in chart.columns if c.label is not None]
    assert 2 <= len(labels) <= MAX_LABELS
    assert chart.columns[-1].label == "2026-10-01"
    xs = [c.x for c in chart.columns]
    assert xs == sorted(xs) and chart.left < xs[0] and xs[-1] < chart.right


def test_runs_on_one_day_are_told_apart_by_their_time() -> None:
    points = (_point("r1", "2026-10-01T02:00:00+00:00", 80.0),)
    chart = trend_chart(HistoryContext(points), sample_result())
    assert chart is not None
    assert [c.label for c in chart.columns] == ["10-01 02:00", "10-01 08:00"]


def test_the_reported_runs_own_point_counts_as_the_store_does() -> None:
    point = point_of(hostile_result())
    assert point.severities == {"critical": 1, "major": 1, "minor": 1, "info": 1}
    assert point.run.findings == 4 and point.run.score == 84.5
    assert point.channel_findings["website"] == 4


def test_other_brands_runs_in_a_shared_store_are_not_history(tmp_path: Path) -> None:
    first, second, third = history_runs()
    other = dataclasses.replace(
        second,
        run=dataclasses.replace(second.run, id="20260930T090000Z-other", brand="Contoso"),
        findings=(HOSTILE,),
    )
    with open_store("sqlite:///history.db", tmp_path) as store:
        store.save(first)
        store.save(other)  # stored last, but another brand's: not "the previous run"
        context = history_context(store, third)
    assert [p.run.id for p in context.points] == [FIRST_RUN.id]
    assert context.new_ids == {SUPPORT_HOURS.id, HOSTILE.id}
    assert HOSTILE.id not in context.first_seen  # only the other brand had it


def test_the_chart_keeps_the_last_runs_only(tmp_path: Path) -> None:
    first, second, third = history_runs()
    with open_store("sqlite:///history.db", tmp_path) as store:
        store.save(first)
        store.save(second)
        context = history_context(store, third, runs=2)
    assert [p.run.id for p in context.points] == [SECOND_RUN.id]
    # what is new does not depend on how many runs the chart shows
    assert context.new_ids == {SHIPPING.id, HOSTILE.id}
    assert context.first_seen[RETURNS.id][0] == FIRST_RUN.id


def test_runs_seconds_apart_get_their_seconds() -> None:
    points = (_point("r1", "2026-10-01T08:00:30+00:00", 80.0),)  # this run started 08:00:00
    chart = trend_chart(HistoryContext(points), sample_result())
    assert chart is not None
    assert [c.label for c in chart.columns] == ["10-01 08:00:30", "10-01 08:00:00"]


def test_the_page_lists_new_findings_first_within_a_severity() -> None:
    shipping = dataclasses.replace(SHIPPING, severity="major")
    result = dataclasses.replace(sample_result(), findings=(RETURNS, SUPPORT_HOURS, shipping))
    points = (_point("r1", "2026-09-30T08:00:00+00:00", 80.0, major=1),)
    context = HistoryContext(points, {RETURNS.id: ("r1", "2026-09-30")}, frozenset({shipping.id}))
    rows = _doc(render(result, context)).xpath("//table[@id='findings-table']//tr/@data-finding")
    assert rows == [SUPPORT_HOURS.id, shipping.id, RETURNS.id]
    rows = _doc(render(result)).xpath("//table[@id='findings-table']//tr/@data-finding")
    assert rows == [SUPPORT_HOURS.id, RETURNS.id, shipping.id]  # without history: as found
