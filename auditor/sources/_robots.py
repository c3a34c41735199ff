"""What a site tells crawlers about itself: robots.txt (RFC 9309) and sitemaps.

robots.txt outcomes follow RFC 9309, 2.3.1: a 2xx is parsed (with Protego: wildcards and the
longest-match rule, which the stdlib parser lacks); a 4xx means no rules, so everything is allowed;
a 5xx, a 429 or a network error means the site could not say, so everything is disallowed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from protego import Protego

from auditor.model import Skipped
from auditor.sources._http import REDIRECT_STATUSES, Fetched, Fetcher, FetchFailed

ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309, 2.5: parse at least the first 500 KiB
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # sitemaps.org: 50 MB uncompressed
SITEMAP_MAX_FILES = 50
SITEMAP_MAX_URLS = 50_000


@dataclass(frozen=True)
class Robots:
    """The rules for one origin. `blocked` says why everything is disallowed, when it is."""

    rules: Protego | None = None
    blocked: str | None = None
    sitemaps: tuple[str, ...] = ()

    def allows(self, url: str, user_agent: str) -> bool:
        if self.blocked:
            return False
        return self.rules is None or self.rules.can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        return self.rules.crawl_delay(user_agent) if self.rules else None


async def fetch_robots(fetcher: Fetcher, origin: str, in_scope: Callable[[str], bool]) -> Robots:
    """Fetch and parse `{origin}/robots.txt`, following up to five redirects (RFC 9309, 2.3.1.2)."""
    url = origin.rstrip("/") + "/robots.txt"
    for _ in range(6):
        result = await fetcher.fetch(url, conditional=False)
        if isinstance(result, FetchFailed):
            return Robots(blocked=f"robots.txt unreachable ({result.reason})")
        status = result.status
        if status in REDIRECT_STATUSES:
            target = urljoin(url, result.headers.get("location", ""))
            if not result.headers.get("location") or not in_scope(target):
                return Robots()  # cannot follow: treated as unavailable, so no rules
            url = target
            continue
        if 200 <= status < 300:
            return _parse_robots(result)
        if status == 429 or status >= 500:
            return Robots(blocked=f"robots.txt unreachable (HTTP {status})")
        return Robots()  # 4xx: the site has no rules for us
    return Robots()  # more than five redirects: unavailable (RFC 9309, 2.3.1.2)


def _parse_robots(result: Fetched) -> Robots:
    text = result.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
    try:
        rules = Protego.parse(text)
    except Exception:  # noqa: BLE001 - an unparsable file has no rules we could follow
        return Robots()
    return Robots(rules=rules, sitemaps=tuple(rules.sitemaps))


@dataclass
class Sitemaps:
    """Page URLs found in sitemaps, the sitemap files read, and what could not be used."""

    urls: list[str] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    skipped: list[Skipped] = field(default_factory=list)


async def read_sitemaps(
    fetcher: Fetcher,
    seeds: list[tuple[str, bool]],
    canonical: Callable[[str], str | None],
    in_scope: Callable[[str], bool],
) -> Sitemaps:
    """Read sitemaps breadth first, indexes included, with a seen-set and caps.

    `seeds` are (url, declared): declared ones come from robots.txt and their failures are
    reported; the guessed `/sitemap.xml` may quietly not exist.
    """
    found = Sitemaps()
    queue = list(seeds)
    seen_urls: set[str] = set()
    while queue and len(found.files) < SITEMAP_MAX_FILES and len(found.urls) < SITEMAP_MAX_URLS:
        raw, declared = queue.pop(0)
        url = canonical(raw)
        if url is None or url in found.files:
            continue
        if not in_scope(url):
            found.skipped.append(Skipped(url, "sitemap on a host outside the crawl: not read"))
            continue
        found.files.add(url)
        result = await fetcher.fetch(url, conditional=False, max_bytes=SITEMAP_MAX_BYTES)
        problem = _problem(result)
        if problem:
            if declared:
                found.skipped.append(Skipped(url, f"sitemap: {problem}"))
            continue
        assert isinstance(result, Fetched)
        parsed = parse_sitemap(result.body)
        if isinstance(parsed, str):
            found.skipped.append(Skipped(url, f"sitemap: {parsed}"))
            continue
        kind, locs = parsed
        outside = 0
        for loc in locs:
            target = canonical(urljoin(url, loc))
            if target is None or target in seen_urls:
                continue
            if not in_scope(target):
                outside += 1
            elif kind == "sitemapindex":
                queue.append((target, True))
            else:
                seen_urls.add(target)
                found.urls.append(target)
        if outside:
            reason = f"sitemap lists {outside} URLs on hosts outside the crawl: not followed"
            found.skipped.append(Skipped(url, reason))
    del found.urls[SITEMAP_MAX_URLS:]
    return found


def _problem(result: Fetched | FetchFailed) -> str | None:
    if isinstance(result, FetchFailed):
        return result.reason
    if result.status != 200:
        return f"HTTP {result.status}"
    return None


def parse_sitemap(body: bytes) -> tuple[str, list[str]] | str:
    """(root kind, <loc> values) of a sitemap or sitemap index, or a reason it cannot be read.

    Gzip is recognised by its magic bytes: servers label .xml.gz every which way.
    """
    if body[:2] == b"\x1f\x8b":
        try:
            inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            body = inflater.decompress(body, SITEMAP_MAX_BYTES + 1)
        except zlib.error:
            return "gzip data is corrupt"
        if len(body) > SITEMAP_MAX_BYTES:
            return "too large after decompression"
    # No entity expansion, no network: a sitemap is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return "not valid XML"
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        return f"unexpected root element <{kind}>"
    locs = []
    for loc in root.iter("{*}loc", "loc"):
        parent = loc.getparent()
        # image:loc and video:loc sit in other namespaces under <url>: not pages.
        if parent is not None and etree.QName(parent).localname in ("url", "sitemap"):
            if etree.QName(loc).namespace == etree.QName(root).namespace and loc.text:
                locs.append(loc.text.strip())
    return kind, locs
