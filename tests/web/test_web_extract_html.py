"""extract_html: FAQ markup styles, sections, boilerplate, text blocks (cases in a YAML table)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from auditor.extract.html import extract_html
from auditor.model import Document, make_answer_id

CASES = yaml.safe_load((Path(__file__).parent / "extract_cases.yaml").read_text())
SITES = Path(__file__).resolve().parents[2] / "fixtures" / "sites"


def _document(body: str, **fields: object) -> Document:
    values: dict = {"channel": "website", "source": "https://lantern.test/page", **fields}
    return Document(content_type="text/html", body=body, **values)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_extract_cases(case):
    answers, skipped = extract_html(_document(case["html"]))
    assert [[a.kind, a.locator, a.text] for a in answers] == case["answers"]
    assert [s.reason for s in skipped] == case.get("skipped", [])
    for answer in answers:
        if answer.kind == "faq":
            assert answer.question == answer.locator.removeprefix("Q: ")


def test_answers_carry_the_document_and_stable_ids():
    document = _document(
        "<main><h2>Returns</h2><p>30 days.</p></main>", updated_at="2026-09-01T00:00:00+00:00"
    )
    (answer,), _ = extract_html(document)
    assert answer.channel == "website" and answer.source == "https://lantern.test/page"
    assert answer.id == make_answer_id("website", "https://lantern.test/page", "section: Returns")
    assert answer.updated_at == "2026-09-01T00:00:00+00:00"
    assert answer.line is None and answer.line_map == ()  # a web page has no file lines


def test_local_html_file_gets_source_lines():
    body = "<html><body>\n<h1>Returns</h1>\n<p>Within 30 days.</p>\n<ul>\n<li>Unused</li>\n</ul>\n"
    document = _document(body, source="kb/returns.html", path="/repo/kb/returns.html")
    (answer,), _ = extract_html(document)
    assert answer.line == 2
    assert answer.text == "Within 30 days.\nUnused"
    assert [answer.line_at(0), answer.line_at(answer.text.index("Unused"))] == [3, 5]


def test_lantern_faq_page_matches_markup_to_the_visible_page():
    document = _document((SITES / "lantern" / "faq.html").read_text())
    answers, skipped = extract_html(document)
    faq = [(a.question, a.text) for a in answers if a.kind == "faq"]
    assert faq == [
        ("How long is the warranty?", "Every lamp has a 5-year warranty."),
        ("Do you ship abroad?", "We ship to the UK and Ireland only."),
        ("Can I pay by invoice?", "Business customers can pay by invoice within 30 days."),
    ]
    assert skipped == []


def test_extraction_is_fast():
    # A realistic page (chrome, JSON-LD, 3 FAQs, sections) 300 times: well under a second each
    # hundred, so a 2,000-page site extracts in seconds (benchmarks/crawl.py prints the figure).
    page = (SITES / "lantern" / "faq.html").read_text()
    extra = "".join(
        f"<h2>Topic {i}</h2><p>Text {i} with <a href='#'>a link</a>.</p>" for i in range(20)
    )
    page = page.replace("</main>", extra + "</main>")
    began = time.perf_counter()
    for i in range(300):
        extract_html(_document(page, source=f"https://lantern.test/p{i}"))
    assert time.perf_counter() - began < 3.0
