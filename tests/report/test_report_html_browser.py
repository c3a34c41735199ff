"""report.html in a real headless Chromium (Debian's, driven by Playwright): it renders, its
filters hide and show findings, planted script does not run, and the history chart shows.

Needs /usr/bin/chromium (scripts/install-browser.sh installs it); skipped only without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sample import (
    HOSTILE,
    RETURNS,
    SECOND_RUN,
    SHIPPING,
    SUPPORT_HOURS,
    XSS_SCRIPT,
    hostile_result,
)

from auditor.report.html import render

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (scripts/install-browser.sh)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _open(browser, path: Path):
    """The report opened from a file, as a CX lead opens it; records dialogs, script errors and
    console errors (Chromium logs a Content-Security-Policy violation as one)."""
    page = browser.new_page()
    page.events = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.events.append(("dialog", d.message)), d.dismiss()))
    page.on("pageerror", lambda e: page.events.append(("error", str(e))))
    page.on(
        "console",
        lambda m: page.events.append(("console", m.text)) if m.type == "error" else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


@pytest.fixture
def report(browser, tmp_path: Path):
    """The hostile sample's report."""
    path = tmp_path / "report.html"
    path.write_text(render(hostile_result()), encoding="utf-8")
    page = _open(browser, path)
    yield page
    page.close()


@pytest.fixture
def history_report(browser, three_runs, tmp_path: Path):
    """The hostile sample reported after two stored runs: with its trend chart and marks."""
    path = tmp_path / "report.html"
    path.write_text(render(*three_runs), encoding="utf-8")
    page = _open(browser, path)
    yield page
    page.close()


def _shown_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#findings-table tbody tr[data-finding]",
        "rows => rows.filter(r => !r.hidden).map(r => r.dataset.finding)",
    )


def _click(page, group: str, value: str) -> None:
    page.click(f'button[data-filter="{group}"][data-value="{value}"]')


def test_it_renders_the_findings_most_severe_first(report) -> None:
    assert _shown_rows(report) == [SUPPORT_HOURS.id, RETURNS.id, SHIPPING.id, HOSTILE.id]
    assert report.inner_text("#shown-count") == "4 of 4 findings shown"
    assert report.locator("table.matrix tbody tr").count() == 4
    assert report.locator("article.finding").count() == 4
    assert report.events == []  # our script ran without errors under the policy


def test_severity_filter_hides_and_shows(report) -> None:
    _click(report, "severity", "critical")
    assert _shown_rows(report) == [RETURNS.id, SHIPPING.id, HOSTILE.id]
    assert report.locator(f"#f-{SUPPORT_HOURS.id}").is_hidden()
    assert report.locator(f'table.matrix tr[data-finding="{SUPPORT_HOURS.id}"]').is_hidden()
    assert report.inner_text("#shown-count") == "3 of 4 findings shown"
    assert (
        report.get_attribute(
            'button[data-filter="severity"][data-value="critical"]', "aria-pressed"
        )
        == "false"
    )
    _click(report, "severity", "critical")
    assert _shown_rows(report) == [SUPPORT_HOURS.id, RETURNS.id, SHIPPING.id, HOSTILE.id]
    assert report.locator(f"#f-{SUPPORT_HOURS.id}").is_visible()


def test_channel_filter_keeps_findings_with_evidence_in_a_shown_channel(report) -> None:
    _click(report, "channel", "website")
    _click(report, "channel", "knowledge-base")
    # SUPPORT_HOURS has evidence only on the website and in the knowledge base
    assert _shown_rows(report) == [RETURNS.id, SHIPPING.id, HOSTILE.id]
    # every column stays, so a shown finding still shows the side that disagrees
    assert report.locator('table.matrix th[data-channel-col="website"]').is_visible()
    _click(report, "channel", "chat")
    assert _shown_rows(report) == [HOSTILE.id]  # its other channel is still selected
    _click(report, "channel", "website")
    assert _shown_rows(report) == [SUPPORT_HOURS.id, RETURNS.id, SHIPPING.id, HOSTILE.id]


def test_kind_filter_and_the_empty_state_and_reset(report) -> None:
    _click(report, "kind", "promise_breach")
    assert _shown_rows(report) == [RETURNS.id, SHIPPING.id, HOSTILE.id]
    _click(report, "kind", "contradiction")
    assert _shown_rows(report) == []
    assert report.locator("tr.no-match").is_visible()
    assert report.inner_text("#shown-count") == "0 of 4 findings shown"
    report.click("#reset-filters")
    assert _shown_rows(report) == [SUPPORT_HOURS.id, RETURNS.id, SHIPPING.id, HOSTILE.id]
    assert report.locator("tr.no-match").is_hidden()


def test_planted_script_does_not_run(report) -> None:
    report.hover("a[href^='https://northwind.example/a']")  # the onmouseover attempt
    for button in report.locator("button[data-filter]").all():
        button.click()  # re-run the filter code over every hostile field
    assert report.evaluate("typeof window.__xss") == "undefined"
    assert report.evaluate("document.images.length") == 0
    assert report.evaluate("document.querySelectorAll('svg, iframe, object, embed').length") == 0
    assert not [e for e in report.events if e[0] == "dialog"]
    # the payload is on the page, as text
    assert report.locator("blockquote", has_text=XSS_SCRIPT).count() >= 1


def test_the_xss_probe_would_notice_a_payload_that_ran(browser) -> None:
    """The check above can fail: the same payload, unescaped, does set window.__xss."""
    page = browser.new_page()
    page.set_content('<p>x</p><img src="x" onerror="window.__xss=1">')
    page.wait_for_function("window.__xss === 1", timeout=5000)
    page.close()


def test_the_history_chart_is_visible_and_the_page_raises_no_error(history_report) -> None:
    page = history_report
    chart = page.locator("#trend-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("#trend-chart circle.score-point").count() == 3
    assert page.locator("#trend-chart rect.seg").count() == 2 + 3 + 4
    labels = page.locator("#trend-chart text.run-label").all_text_contents()
    assert labels == ["2026-09-29", "2026-09-30", "2026-10-01"]
    # the bars are painted in their severity's colour, so the style rules reached the SVG
    fill = page.eval_on_selector("#trend-chart rect.s-critical", "r => getComputedStyle(r).fill")
    assert fill == "rgb(127, 16, 32)"
    # each segment is drawn as tall as its height attribute says, not resized by a page style
    drawn = page.eval_on_selector(
        "#trend-chart",
        "svg => { const scale = svg.getBoundingClientRect().height / svg.viewBox.baseVal.height;"
        " return [...svg.querySelectorAll('rect')].map(r =>"
        " [r.getBoundingClientRect().height, r.height.baseVal.value * scale]); }",
    )
    assert len(drawn) == 9
    for on_screen, meant in drawn:
        assert on_screen == pytest.approx(meant, abs=0.5)
    assert page.events == []
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert SECOND_RUN.id in (page.text_content("#trend-figures") or "")  # as text, folded


def test_the_history_filter_shows_only_new_or_only_persisting(history_report) -> None:
    page = history_report
    assert page.locator(f'#findings-table tr[data-finding="{HOSTILE.id}"] .hist-new').is_visible()
    _click(page, "status", "persisting")
    assert _shown_rows(page) == [SHIPPING.id, HOSTILE.id]
    _click(page, "status", "persisting")
    _click(page, "status", "new")
    assert _shown_rows(page) == [SUPPORT_HOURS.id, RETURNS.id]
    page.click("#reset-filters")
    assert _shown_rows(page) == [SUPPORT_HOURS.id, RETURNS.id, SHIPPING.id, HOSTILE.id]
    assert page.events == []


def test_the_console_probe_would_notice_a_policy_violation(browser, tmp_path: Path) -> None:
    """The `page.events == []` checks can fail: a blocked load is logged as a console error."""
    path = tmp_path / "violation.html"
    path.write_text(
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">'
        '<img src="http://127.0.0.1:9/x.png">',
        encoding="utf-8",
    )
    page = _open(browser, path)
    assert [kind for kind, _ in page.events] == ["console"]
    assert "Content Security Policy" in page.events[0][1]
    page.close()
