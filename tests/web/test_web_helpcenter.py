"""The helpcenter source against a local server that answers like Zendesk Guide's public API."""

from __future__ import annotations

import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

from loopback import FAST, Reply

from auditor.config import HelpCenterChannel
from auditor.extract.html import extract_html
from auditor.model import Document, Skipped
from auditor.sources import helpcenter

API = "/api/v2/help_center/en-gb/articles.json"


def _article(number: int, title: str, body: str, **fields: object) -> dict:
    return {
        "id": 36000 + number,
        "url": f"https://ignored.test/api/v2/help_center/en-gb/articles/{36000 + number}.json",
        "html_url": f"https://help.lantern.test/hc/en-gb/articles/{36000 + number}-{title[:12]}",
        "title": title,
        "body": body,
        "locale": "en-gb",
        "updated_at": "2026-09-01T10:15:00Z",
        "draft": False,
        "outdated": False,
        "label_names": ["policy"],
        "section_id": 360001,
        **fields,
    }


PAGE_1 = [
    _article(1, "Returns policy", "<p>Return any lamp within <strong>30 days</strong>.</p>"),
    _article(2, "Delivery", "<h2>UK</h2><p>2-3 business days.</p><h2>Ireland</h2><p>5 days.</p>"),
    _article(3, "New warranty (draft)", "<p>Ten years.</p>", draft=True),
]
PAGE_2 = [
    _article(4, "Gift cards", "<p>Gift cards never expire.</p>", updated_at="2026-10-02T08:00:00Z"),
]


def _api(pages: dict[int, list[dict]], token: str | None = None):
    """A Zendesk-shaped articles endpoint: next_page is an absolute URL, null on the last page."""

    def route(request):
        if token and request.headers.get("authorization") != token:
            return Reply(401, json.dumps({"error": "Couldn't authenticate you"}))
        page = int(parse_qs(urlsplit(request.path).query).get("page", ["1"])[0])
        host = request.headers["host"]
        more = page + 1 in pages
        data = {
            "articles": pages.get(page, []),
            "count": sum(len(v) for v in pages.values()),
            "page": page,
            "page_count": len(pages),
            "per_page": 100,
            "next_page": f"http://{host}{API}?page={page + 1}&per_page=100" if more else None,
            "previous_page": None,
        }
        headers = {"Content-Type": "application/json; charset=utf-8", "ETag": f'"p{page}"'}
        if request.headers.get("if-none-match") == f'"p{page}"':
            return Reply(304, b"", {"ETag": f'"p{page}"'})
        return Reply(200, json.dumps(data), headers)

    return route


def _collect(url: str, context, **settings: object) -> tuple[list[Document], list[Skipped]]:
    channel = HelpCenterChannel(name="help-center", kind="helpcenter", url=url, **settings)
    items = list(helpcenter.collect(channel, context, FAST))
    return (
        [i for i in items if isinstance(i, Document)],
        [i for i in items if isinstance(i, Skipped)],
    )


def test_articles_from_every_page_drafts_skipped(serve, context):
    site = serve(routes={API: _api({1: PAGE_1, 2: PAGE_2})})
    documents, skipped = _collect(site.url, context, locale="en-gb")

    assert [d.title for d in documents] == ["Returns policy", "Delivery", "Gift cards"]
    first = documents[0]
    assert first.source == "https://help.lantern.test/hc/en-gb/articles/36001-Returns poli"
    assert first.channel == "help-center" and first.content_type == "text/html"
    assert (
        first.body
        == "<h1>Returns policy</h1>\n<p>Return any lamp within <strong>30 days</strong>.</p>"
    )
    assert first.updated_at == "2026-09-01T10:15:00+00:00"
    assert [(s.source.rsplit("/", 1)[1], s.reason) for s in skipped] == [
        ("36003-New warranty", "draft article: not published")
    ]
    assert site.paths() == [f"{API}?per_page=100&page=1", f"{API}?page=2&per_page=100"]
    assert all(r.headers["accept"] == "application/json" for r in site.requests)


def test_articles_extract_into_answers(serve, context):
    site = serve(routes={API: _api({1: PAGE_1})})
    documents, _ = _collect(site.url, context, locale="en-gb")
    answers, _ = extract_html(documents[1])
    assert [(a.locator, a.text) for a in answers] == [
        ("section: UK", "2-3 business days."),
        ("section: Ireland", "5 days."),
    ]


def test_sign_in_required_is_one_skipped_record(serve, context):
    site = serve(routes={API: _api({1: PAGE_1}, token="Bearer s3cret")})
    documents, skipped = _collect(site.url, context, locale="en-gb")
    assert documents == []
    assert len(skipped) == 1
    assert skipped[0].reason.startswith("help center needs sign-in (HTTP 401)")
    assert site.hits(API) == 1  # a 401 is not retried


def test_token_is_sent_as_bearer_or_basic(serve, context):
    site = serve(routes={API: _api({1: PAGE_1}, token="Bearer s3cret")})
    documents, _ = _collect(site.url, context, locale="en-gb", token="s3cret")
    assert len(documents) == 2

    basic = "Basic " + base64.b64encode(b"agent@lantern.test/token:abc").decode()
    site = serve(routes={API: _api({1: PAGE_1}, token=basic)})
    documents, _ = _collect(site.url, context, locale="en-gb", token="agent@lantern.test/token:abc")
    assert len(documents) == 2


def test_rate_limit_is_retried_after_retry_after(serve, context):
    api = _api({1: PAGE_1})
    times: list[float] = []

    def limited(request):
        times.append(time.monotonic())
        return Reply(429, headers={"Retry-After": "1"}) if len(times) == 1 else api(request)

    site = serve(routes={API: limited})
    documents, skipped = _collect(site.url, context, locale="en-gb")
    assert len(documents) == 2 and len(skipped) == 1
    assert times[1] - times[0] >= 0.95


def test_second_run_revalidates_pages(serve, context):
    site = serve(routes={API: _api({1: PAGE_1, 2: PAGE_2})})
    first, _ = _collect(site.url, context, locale="en-gb")
    second, _ = _collect(site.url, context, locale="en-gb")
    assert second == first
    assert site.statuses() == [200, 200, 304, 304]


def test_missing_help_center_and_max_pages(serve, context):
    site = serve(routes={API: _api({1: PAGE_1, 2: PAGE_2})})
    documents, skipped = _collect(site.url, context, locale="fr")
    assert documents == [] and skipped[0].reason.startswith("HTTP 404")
    documents, skipped = _collect(site.url, context, locale="en-gb", max_pages=1)
    assert [d.title for d in documents] == ["Returns policy"] and skipped == []
    assert site.hits(API) == 1
