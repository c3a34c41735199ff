"""report.html, read as markup: escaped, safe links, a JSON block that cannot end early, and a
Content-Security-Policy that admits our script and nothing else. (The browser tests run it.)"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from lxml import html as lxml_html
from sample import (
    HOSTILE,
    RETURNS,
    SHIPPING,
    SUPPORT_HOURS,
    XSS_IMG,
    XSS_SCRIPT,
    clean_result,
    hostile_result,
    sample_result,
)

from auditor.report.html import render, script_json


@pytest.fixture(scope="module")
def page() -> str:
    return render(hostile_result())


def _doc(text: str):
    return lxml_html.document_fromstring(text)


def test_untrusted_text_is_escaped(page: str) -> None:
    assert XSS_SCRIPT not in page and XSS_IMG not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "<svg" not in page and "<img" not in page
    doc = _doc(page)
    # what is shown is the text itself
    quotes = [q.text_content() for q in doc.iter("blockquote")]
    assert f"You have 14 days from delivery to return it. {XSS_SCRIPT}" in quotes


def test_only_our_two_scripts_exist_and_the_policy_admits_only_ours(page: str) -> None:
    doc = _doc(page)
    scripts = doc.findall(".//script")
    assert [s.get("type") for s in scripts] == ["application/json", None]
    ours = scripts[1].text
    digest = base64.b64encode(hashlib.sha256(ours.encode()).digest()).decode()
    [policy] = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy.split("style-src")[0]


def test_the_data_block_cannot_be_closed_from_inside(page: str) -> None:
    raw = re.search(r'<script type="application/json" id="auditor-data">(.*?)</script>', page, re.S)
    assert raw is not None
    assert "<" not in raw.group(1) and ">" not in raw.group(1)
    data = json.loads(raw.group(1))
    assert [f["id"] for f in data["findings"]] == [
        SUPPORT_HOURS.id,
        RETURNS.id,
        SHIPPING.id,
        HOSTILE.id,
    ]
    assert HOSTILE.evidence[0].channel in data["findings"][3]["channels"]


def test_script_json_escapes_markup_characters() -> None:
    text = str(script_json({"a": "</script><!--&"}))
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026"}'
    assert json.loads(text) == {"a": "</script><!--&"}


def test_links_are_http_only_and_do_not_leak_the_opener(page: str) -> None:
    links = _doc(page).iter("a")
    external = [a for a in links if not a.get("href", "").startswith("#")]
    assert {a.get("href") for a in external} == {
        "https://northwind.example/policies/returns.html",
        "https://northwind.example/contact",
        'https://northwind.example/a"onmouseover="window.__xss=1',
    }
    for a in external:
        assert a.get("rel") == "noopener noreferrer"
        assert a.get("onmouseover") is None
    assert "javascript:" not in " ".join(a.get("href", "") for a in _doc(page).iter("a"))
    # file paths are shown, not linked
    assert "kb/returns.md" in page


def test_matrix_shows_each_channels_values_and_who_disagrees() -> None:
    doc = _doc(render(sample_result()))
    row = doc.xpath(f"//table[@class='matrix']//tr[@data-finding='{SUPPORT_HOURS.id}']")[0]
    cells = {td.get("data-channel-col"): td for td in row.findall("td")}
    assert cells["website"].get("class") == "cell-right"
    assert cells["website"].text_content().strip() == "24/7"
    assert cells["knowledge-base"].get("class") == "cell-wrong"
    assert cells["chat"].get("class") == "cell-none"
    returns = doc.xpath(f"//tr[@data-finding='{RETURNS.id}']/td[@data-channel-col='chat']")[0]
    assert returns.text_content().split() == ["14", "days", "×2"]
    # no side known to be right: both values are marked as merely differing
    shipping = doc.xpath(f"//tr[@data-finding='{SHIPPING.id}']/td[@data-channel-col='chat']")[0]
    assert shipping.get("class") == "cell-unknown"


def test_evidence_is_side_by_side_with_the_value_highlighted() -> None:
    doc = _doc(render(sample_result()))
    card = doc.get_element_by_id(f"f-{RETURNS.id}")
    sides = card.find_class("side")
    assert [s.get("class") for s in sides] == ["side state-right", "side state-wrong"]
    assert "2 sources · 1 conversation" in sides[0].text_content()
    assert [m.text for m in sides[1].iter("mark")] == ["14 days", "14 days"]


def test_scores_and_skipped_inputs_are_shown() -> None:
    doc = _doc(render(sample_result()))
    scores = doc.get_element_by_id("scores").text_content()
    assert "knowledge-base" in scores and "71.0" in scores and "Return window" in scores
    skipped = doc.get_element_by_id("skipped").text_content()
    assert "not UTF-8 <b>bold</b> text" in skipped


def test_a_clean_audit_renders_its_empty_states() -> None:
    doc = _doc(render(clean_result()))
    assert doc.get_element_by_id("filters", None) is None
    text = doc.text_content()
    assert "No contradictions or broken promises found." in text
    assert "No scores" in text and "Every input was used." in text
