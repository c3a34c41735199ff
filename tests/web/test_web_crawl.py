"""The web source against real servers on 127.0.0.1: scope, robots.txt, sitemaps, politeness,
failures as Skipped records, encodings, de-duplication and conditional requests."""

from __future__ import annotations

import dataclasses
import socket
import time
from datetime import UTC, datetime

import pytest
from loopback import FAST, Reply, crawl, html

from auditor.extract.html import extract_html
from auditor.sources._http import retry_after_seconds
from auditor.sources.web import canonical_url


def _paths(documents) -> list[str]:
    return [d.source.split("/", 3)[3] for d in documents]


def _reasons(skipped) -> dict[str, str]:
    return {s.source: s.reason for s in skipped}


def test_lantern_site_is_crawled_politely_and_completely(serve, context):
    site = serve("lantern")
    documents, skipped = crawl(site.url + "/", context)

    assert _paths(documents) == [
        "",
        "about.html",
        "faq.html",
        "cafe.html",
        "links.html",
        "product.html?color=red",  # /product.html is the same page (rel=canonical, same bytes)
        "orphan.html",  # linked from nowhere: found through robots.txt -> index -> gzip sitemap
    ]
    reasons = _reasons(skipped)
    assert reasons[site.url + "/private/secret.html"] == "disallowed by robots.txt"
    assert reasons[site.url + "/brochure.html"] == "not HTML (binary content: PDF)"
    assert "1 URLs on hosts outside the crawl" in reasons[site.url + "/sitemap-pages.xml.gz"]
    assert site.hits("/private/secret.html") == 0
    assert all(r.headers["user-agent"] == context.user_agent for r in site.requests)
    assert all(d.channel == "website" and d.content_type == "text/html" for d in documents)
    assert documents[1].title == "About | Lantern & Co."
    assert documents[1].updated_at and documents[1].updated_at.endswith("+00:00")


def test_fragments_tracking_parameters_and_query_order_are_one_url(serve, context):
    site = serve("lantern")
    crawl(site.url + "/", context)
    # /about.html is linked as #team, #, ?utm_*, ?fbclid, HTTP:// upper case: one request.
    assert site.hits("/about.html") == 1
    assert site.paths().count("/faq.html?a=1&b=2") == 1  # ?b=2&a=1 and ?a=1&b=2#q2


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM:80/a?b=2&a=1#top", "http://example.com/a?a=1&b=2"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("http://e.com/p?utm_source=n&utm_medium=e&id=4&gclid=x&fbclid=y", "http://e.com/p?id=4"),
        ("http://e.com/caf\u00e9", "http://e.com/caf%C3%A9"),
        ("mailto:help@e.com", None),
        ("ftp://e.com/file", None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_windows_1252_page_is_decoded_from_its_meta_charset(serve, context):
    site = serve("lantern")
    documents, _ = crawl(site.url + "/cafe.html", context, max_depth=0)
    body = documents[0].body
    assert (
        "Our caf\u00e9 serves \u201cthe best\u201d espresso for \u20ac2.50 \u2014 every day."
        in body
    )
    assert documents[0].title == "Caf\u00e9 Lantern"


def test_charset_from_the_http_header(serve, context):
    text = "Cr\u00e8me br\u00fbl\u00e9e for \u20ac4 \u2018tonight\u2019"
    page = f"<html><body><p>{text}</p></body></html>"
    headers = {"Content-Type": "text/html; charset=windows-1252"}
    site = serve(routes={"/": Reply(200, page.encode("cp1252"), headers)})
    documents, _ = crawl(site.url + "/", context)
    assert text in documents[0].body


def test_robots_txt_rules_for_our_user_agent(serve, context):
    site = serve(routes={"/robots.txt": Reply(200, "User-agent: auditor\nDisallow: /\n")})
    documents, skipped = crawl(site.url + "/", context)
    assert documents == []
    assert _reasons(skipped) == {site.url + "/": "disallowed by robots.txt"}
    assert site.hits("/") == 0


def test_robots_txt_server_error_disallows_everything(serve, context):
    site = serve(routes={"/robots.txt": Reply(503), "/": html("Home", "<p>Hello</p>")})
    documents, skipped = crawl(site.url + "/", context)
    assert documents == []
    assert _reasons(skipped)[site.url + "/"] == "disallowed: robots.txt unreachable (HTTP 503)"
    assert site.hits("/") == 0
    assert site.hits("/robots.txt") == 3  # RFC 9309: 5xx is retried, then means disallow all


def test_robots_txt_missing_allows_everything(serve, context):
    site = serve(routes={"/": html("Home", "<p>Hello</p>")})  # /robots.txt is a 404
    documents, _ = crawl(site.url + "/", context)
    assert _paths(documents) == [""]


def test_robots_ignore_fetches_disallowed_pages(serve, context):
    site = serve("lantern")
    documents, _ = crawl(site.url + "/", context, robots="ignore", max_depth=1)
    assert "private/secret.html" in _paths(documents)
    assert site.hits("/robots.txt") == 0


def test_crawl_delay_is_honoured_and_capped(serve, context):
    robots = "User-agent: *\nCrawl-delay: 100\n"
    links = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(3))
    routes = {"/robots.txt": Reply(200, robots), "/": html("Home", links)}
    routes |= {f"/p{i}": html(f"p{i}", f"<p>Page {i}</p>") for i in range(3)}
    site = serve(routes=routes)
    limits = dataclasses.replace(FAST, crawl_delay_cap=0.25)
    began = time.monotonic()
    documents, _ = crawl(site.url + "/", context, limits, concurrency=4)
    elapsed = time.monotonic() - began
    assert len(documents) == 4
    # /sitemap.xml, /, /p0, /p1, /p2 after robots.txt: four intervals of at least 0.25 s
    assert 1.0 <= elapsed < 5


def test_sitemap_xml_is_discovered_without_robots_txt(serve, context):
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>/hidden</loc></url></urlset>"
    )
    routes = {
        "/": html("Home", "<p>No links here</p>"),
        "/sitemap.xml": Reply(200, sitemap, {"Content-Type": "application/xml"}),
        "/hidden": html("Hidden", "<p>Only the sitemap knows me</p>"),
    }
    site = serve(routes=routes)
    documents, skipped = crawl(site.url + "/", context)
    assert _paths(documents) == ["", "hidden"]
    assert skipped == []


def test_redirects_are_followed_and_checked_on_every_hop(serve, context):
    routes = {
        "/": html("Home", '<a href="/moved">m</a> <a href="/away">a</a> <a href="/loop-a">l</a>'),
        "/moved": Reply(301, headers={"Location": "/new-home"}),
        "/new-home": html("New home", "<p>Moved here</p>"),
        "/away": Reply(302, headers={"Location": "http://elsewhere.invalid/page"}),
        "/loop-a": Reply(302, headers={"Location": "/loop-b"}),
        "/loop-b": Reply(307, headers={"Location": "/loop-a"}),
    }
    site = serve(routes=routes)
    documents, skipped = crawl(site.url + "/", context)
    assert _paths(documents) == ["", "new-home"]
    reasons = _reasons(skipped)
    assert reasons[site.url + "/away"] == "redirect out of scope: to http://elsewhere.invalid/page"
    assert reasons[site.url + "/loop-a"].startswith("redirect loop: ")
    assert site.hits("/loop-a") == 1


def test_too_many_redirects(serve, context):
    routes = {f"/r{i}": Reply(302, headers={"Location": f"/r{i + 1}"}) for i in range(12)}
    site = serve(routes=routes)
    _, skipped = crawl(site.url + "/r0", context)
    assert _reasons(skipped)[site.url + "/r0"] == "too many redirects (more than 10)"


def test_http_errors_become_skipped_records(serve, context):
    routes = {
        "/": html("Home", '<a href="/gone">g</a> <a href="/broken">b</a> <a href="/doc.pdf">p</a>'),
        "/broken": Reply(503),
        "/doc.pdf": Reply(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}),
    }
    site = serve(routes=routes)
    documents, skipped = crawl(site.url + "/", context)
    reasons = _reasons(skipped)
    assert reasons[site.url + "/gone"] == "HTTP 404 Not Found"
    assert reasons[site.url + "/broken"] == "HTTP 503 Service Unavailable"
    assert reasons[site.url + "/doc.pdf"] == "not HTML (application/pdf)"
    assert site.hits("/broken") == 3  # two retries, then give up
    assert _paths(documents) == [""]


def test_server_error_then_success_is_retried(serve, context):
    calls = []

    def flaky(request):
        calls.append(request)
        return Reply(500) if len(calls) == 1 else html("Flaky", "<p>Fine now</p>")

    site = serve(routes={"/": flaky})
    documents, skipped = crawl(site.url + "/", context)
    assert _paths(documents) == [""] and skipped == []
    assert site.hits("/") == 2


def test_429_waits_for_retry_after(serve, context):
    times = []

    def busy(request):
        times.append(time.monotonic())
        if len(times) == 1:
            return Reply(429, headers={"Retry-After": "1"})
        return html("Busy", "<p>Served</p>")

    site = serve(routes={"/": busy})
    documents, _ = crawl(site.url + "/", context)
    assert len(documents) == 1
    assert times[1] - times[0] >= 0.95


def test_slow_page_times_out(serve, context):
    site = serve(routes={"/": html("Home", '<a href="/slow">s</a>'), "/slow": Reply(delay=2.0)})
    limits = dataclasses.replace(FAST, read_timeout=0.3, retries=0)
    began = time.monotonic()
    _, skipped = crawl(site.url + "/", context, limits)
    assert _reasons(skipped)[site.url + "/slow"] == "timeout: no response within 0.3 s"
    assert time.monotonic() - began < 2.0


@pytest.mark.parametrize("stream", [False, True], ids=["content-length", "streamed"])
def test_page_over_the_size_cap_is_skipped(serve, context, stream):
    big = "<html><body>" + "<p>lamp</p>" * 30_000 + "</body></html>"
    site = serve(routes={"/": Reply(200, big, {"Content-Type": "text/html"}, stream=stream)})
    limits = dataclasses.replace(FAST, max_bytes=100_000)
    documents, skipped = crawl(site.url + "/", context, limits)
    assert documents == []
    assert _reasons(skipped)[site.url + "/"] == "too large: more than 100,000 bytes"
    assert site.hits("/") == 1  # not retried


def test_rel_canonical_deduplicates_and_is_not_fetched_again(serve, context):
    routes = {
        "/": html("Home", '<a href="/variant?size=l">L</a> <a href="/deeper">d</a>'),
        "/variant": html("Lamp", "<p>Lamp, size L</p>", '<link rel="canonical" href="/variant">'),
        "/deeper": html("Deeper", '<a href="/variant">Lamp</a>'),
    }
    site = serve(routes=routes)
    documents, _ = crawl(site.url + "/", context)
    assert _paths(documents) == ["", "variant?size=l", "deeper"]
    assert "/variant" not in site.paths()


def test_max_pages_is_exact(serve, context):
    links = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(9))
    routes = {"/": html("Home", links)} | {f"/p{i}": html(f"p{i}", "<p>x</p>") for i in range(9)}
    site = serve(routes=routes)
    documents, skipped = crawl(site.url + "/", context, max_pages=4)
    assert _paths(documents) == ["", "p0", "p1", "p2"]
    assert sum(site.hits(f"/p{i}") for i in range(9)) == 3
    assert (
        _reasons(skipped)[site.url + "/"]
        == "max_pages (4) reached: 6 more pages found, not fetched"
    )


def test_max_depth_is_exact(serve, context):
    routes = {
        "/": html("d0", '<a href="/d1">next</a>'),
        "/d1": html("d1", '<a href="/d2">next</a>'),
        "/d2": html("d2", '<a href="/d3">next</a>'),
        "/d3": html("d3", "<p>end</p>"),
    }
    site = serve(routes=routes)
    documents, _ = crawl(site.url + "/", context, max_depth=2)
    assert _paths(documents) == ["", "d1", "d2"]
    assert site.hits("/d3") == 0


def test_include_and_exclude_globs(serve, context):
    site = serve("lantern")
    documents, _ = crawl(
        site.url + "/", context, include=["/faq.html", "/about.html", "/caf*"], exclude=["/cafe*"]
    )
    # The start page is fetched for its links but is not included, so it is not a document.
    assert sorted(_paths(documents)) == ["about.html", "faq.html"]
    assert site.hits("/cafe.html") == 0 and site.hits("/links.html") == 0


def test_second_crawl_revalidates_and_still_yields_documents(serve, context):
    site = serve("lantern")
    first, _ = crawl(site.url + "/", context)
    before = len(site.requests)
    second, _ = crawl(site.url + "/", context)
    statuses = site.statuses()[before:]
    assert [(d.source, d.body) for d in second] == [(d.source, d.body) for d in first]
    # 7 documents and 3 same-page duplicates (product, faq?a=1&b=2) or non-pages (the PDF)
    assert statuses.count(304) == 10
    assert statuses.count(200) == 3  # robots.txt and the two sitemaps are always fetched whole
    revalidations = [r for r in site.requests[before:] if "if-none-match" in r.headers]
    assert len(revalidations) == 10


def test_a_re_crawl_does_not_parse_unchanged_pages_again(serve, context, monkeypatch):
    from auditor.sources import web

    def page(path: str, body: str):
        reply = html(path, body)
        etag = f'"{hash(body)}"'
        reply.headers["ETag"] = etag
        return lambda request: (
            Reply(304, b"", {"ETag": etag})
            if request.headers.get("if-none-match") == etag
            else reply
        )

    pages = {"/": "<a href='/a'>a</a> <a href='/b'>b</a>", "/a": "alpha", "/b": "beta"}
    site = serve(routes={path: page(path, body) for path, body in pages.items()})
    parsed: list[str] = []
    real = web.parse
    monkeypatch.setattr(web, "parse", lambda text: parsed.append(text) or real(text))
    first, _ = crawl(site.url + "/", context)
    assert len(parsed) == 3
    parsed.clear()
    second, _ = crawl(site.url + "/", context)
    assert second == first and parsed == []  # every page a 304, its links and title kept
    # a changed page is parsed again, and its new links followed
    site.routes["/b"] = page("/b", "beta <a href='/c'>c</a>")
    site.routes["/c"] = page("/c", "gamma")
    third, _ = crawl(site.url + "/", context)
    assert [d.source.rsplit("/", 1)[1] for d in third] == ["", "a", "b", "c"]
    assert len(parsed) == 2


def test_revalidation_keeps_connections_alive(serve, context):
    # a nightly re-crawl is mostly 304s: each must leave its connection reusable, not cost a
    # new TCP connection (an unread 304 used to close it)
    site = serve("lantern")
    crawl(site.url + "/", context, concurrency=1)
    before = len(site.requests)
    crawl(site.url + "/", context, concurrency=1)
    second = site.requests[before:]
    assert [r.status for r in second].count(304) == 10
    assert len({r.client_port for r in second}) <= 2


def test_unreachable_start_host_is_skipped_not_raised(context):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again at once: nothing listens there
    documents, skipped = crawl(f"http://127.0.0.1:{port}/", context, robots="ignore")
    assert documents == []
    assert [s.reason.split(":")[0] for s in skipped] == ["connection failed"]
    _, skipped = crawl(f"http://127.0.0.1:{port}/", context)
    assert skipped[-1].reason.startswith("disallowed: robots.txt unreachable (connection failed")


@pytest.mark.parametrize("concurrency", [1, 3])
def test_per_host_concurrency(serve, context, concurrency):
    links = "".join(f'<a href="/p{i}">p{i}</a>' for i in range(6))
    routes = {"/": html("Home", links)}
    for i in range(6):
        page = html(f"p{i}", "<p>x</p>")
        routes[f"/p{i}"] = dataclasses.replace(page, delay=0.1)
    site = serve(routes=routes)
    documents, _ = crawl(site.url + "/", context, concurrency=concurrency)
    assert len(documents) == 7
    assert site.max_in_flight == concurrency


def test_quiet_crawl_prints_nothing(serve, context, capsys):
    site = serve("lantern")
    crawl(site.url + "/", context)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_when_not_quiet(serve, context, capsys):
    site = serve("lantern")
    documents, _ = crawl(site.url + "/", dataclasses.replace(context, quiet=False))
    assert len(documents) == 7


def test_footer_numbers_never_become_answers(serve, context):
    site = serve("lantern")
    documents, _ = crawl(site.url + "/", context)
    answers = [a for d in documents for a in extract_html(d)[0]]
    assert answers
    for answer in answers:
        for leak in ("Founded", "1998", "\u00a9", "50,000", "cookies", "Spring sale", "Skip to"):
            assert leak not in answer.text, (answer.locator, answer.text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1.0),
        ("Wed, 02 Dec 2026 10:00:30 GMT", 30.0),  # an HTTP-date, 30 s after "now"
        ("Wed, 02 Dec 2026 09:59:00 GMT", 0.0),  # already past
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_seconds_or_http_date(value, expected):
    now = datetime(2026, 12, 2, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == expected
