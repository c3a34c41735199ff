"""The `web` source: crawl a site and yield its HTML pages as Documents (INGEST.md, "Crawling").

The crawl is breadth first and level by level: every page of one depth is fetched (concurrently,
within the per-host limits) before the next depth starts, and each level is processed in
discovery order. So `max_pages` and `max_depth` cut the same pages on every run, whatever the
network timing, and answer ids stay stable from one nightly run to the next.

Start URLs are always fetched, for their links; other pages are fetched only when they pass
`include`/`exclude`, and a start page becomes a Document only when it passes them too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from urllib.parse import urljoin, urlsplit

import httpx

from auditor.config import WebChannel
from auditor.model import Document, Skipped
from auditor.sources._http import (
    CACHE_FILE,
    REDIRECT_STATUSES,
    Fetched,
    Fetcher,
    FetchFailed,
    FetchLimits,
    HttpCache,
    http_date_to_iso,
)
from auditor.sources._page import (
    canonical_link,
    canonical_url,
    decode,
    links,
    not_html,
    parse,
    title,
)
from auditor.sources._robots import Robots, fetch_robots, read_sitemaps
from auditor.sources.interface import SourceContext
from auditor.workcache import code_version

__all__ = ["canonical_url", "collect", "crawl"]

log = logging.getLogger(__name__)


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class _Page:
    """What fetching one URL gave: a Document or a Skipped, the page's links and its dedup keys."""

    items: list[Document | Skipped] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


class _Crawl:
    def __init__(self, channel: WebChannel, context: SourceContext, fetcher: Fetcher):
        self.channel = channel
        self.fetcher = fetcher
        self.user_agent = channel.user_agent or context.user_agent
        self.obey = channel.robots == "obey"
        self.limits = fetcher.limits
        self.hosts: set[str] = set()
        self.robots: dict[str, asyncio.Task[Robots]] = {}
        self.seen: set[str] = set()
        self.emitted: set[str] = set()
        self.results: list[Document | Skipped] = []
        self.fetched = 0
        self.pending: list[str] = []  # URLs of a level cut off by max_pages
        self.progress = None if context.quiet else _Progress(channel.name)

    def in_scope(self, url: str) -> bool:
        return _host(url) in self.hosts

    def wanted(self, url: str) -> bool:
        """include/exclude are globs over the URL path (DESIGN.md, "Configuration")."""
        path = urlsplit(url).path or "/"
        if self.channel.include and not any(fnmatchcase(path, g) for g in self.channel.include):
            return False
        return not any(fnmatchcase(path, g) for g in self.channel.exclude)

    async def robots_for(self, url: str) -> Robots:
        origin = _origin(url)
        if origin not in self.robots:
            self.robots[origin] = asyncio.ensure_future(self._load_robots(origin))
        return await self.robots[origin]

    async def _load_robots(self, origin: str) -> Robots:
        robots = await fetch_robots(self.fetcher, origin, self.in_scope)
        delay = robots.crawl_delay(self.user_agent)
        if delay:
            if delay > self.limits.crawl_delay_cap:
                cap = self.limits.crawl_delay_cap
                log.info("%s: Crawl-delay %g s capped at %g s", origin, delay, cap)
            self.fetcher.set_crawl_delay(origin, min(delay, self.limits.crawl_delay_cap))
        return robots

    async def disallowed(self, url: str) -> str | None:
        """Why robots.txt forbids `url`, or None when it may be fetched."""
        if not self.obey:
            return None
        robots = await self.robots_for(url)
        if robots.blocked:
            return f"disallowed: {robots.blocked}"
        if not robots.allows(url, self.user_agent):
            return "disallowed by robots.txt"
        return None

    async def run(self) -> list[Document | Skipped]:
        level: list[str] = []
        starts: set[str] = set()
        for raw in self.channel.start:
            url = canonical_url(raw)
            if url is None:
                self.results.append(Skipped(raw, "start is not an http(s) URL"))
            elif url not in self.seen:
                self.seen.add(url)
                self.hosts.add(_host(url))
                starts.add(url)
                level.append(url)
        sitemap_urls = await self._sitemaps(level)
        depth = 0
        while level and self.fetched < self.channel.max_pages:
            next_level = await self._level(level, depth, starts)
            if depth == 0 and self.channel.max_depth >= 1:
                next_level += sitemap_urls
            level = [u for u in next_level if self._enqueue(u)]
            depth += 1
        left = len(self.pending) + len(level)
        if left:
            max_pages = self.channel.max_pages
            reason = f"max_pages ({max_pages}) reached: {left} more pages found, not fetched"
            self.results.append(Skipped(self.channel.start[0], reason))
        return self.results

    def _enqueue(self, url: str) -> bool:
        if url in self.seen or not self.in_scope(url) or not self.wanted(url):
            return False
        self.seen.add(url)
        return True

    async def _sitemaps(self, starts: list[str]) -> list[str]:
        seeds: list[tuple[str, bool]] = []
        for origin in dict.fromkeys(_origin(u) for u in starts):
            if self.obey:
                robots = await self.robots_for(origin)
                seeds += [(urljoin(origin + "/robots.txt", s), True) for s in robots.sitemaps]
            seeds.append((origin + "/sitemap.xml", False))
        found = await read_sitemaps(self.fetcher, seeds, canonical_url, self.in_scope)
        self.results.extend(found.skipped)
        self.seen.update(found.files)  # a footer link to /sitemap.xml is not a page
        return found.urls

    async def _level(self, urls: list[str], depth: int, starts: set[str]) -> list[str]:
        scheduled: list[str] = []
        for index, url in enumerate(urls):
            if self.fetched >= self.channel.max_pages:
                self.pending = urls[index:]
                break
            reason = await self.disallowed(url)
            if reason:
                self.results.append(Skipped(url, reason))
            else:
                self.fetched += 1
                scheduled.append(url)
        if self.progress:
            self.progress.grow(len(scheduled))
        follow = depth < self.channel.max_depth
        pages = await asyncio.gather(*(self._page(u, follow, u in starts) for u in scheduled))
        links: list[str] = []
        for page in pages:
            self.seen.update(page.keys)
            if page.keys and any(k in self.emitted for k in page.keys):
                continue  # the same page under another URL: rel=canonical, redirect or bytes
            self.emitted.update(page.keys)
            self.results.extend(page.items)
            links.extend(page.links)
        return links

    async def _page(self, url: str, follow: bool, is_start: bool) -> _Page:
        try:
            return await self._fetch_page(url, follow, is_start)
        except Exception as exc:  # noqa: BLE001 - one page's bug must not end the crawl
            log.debug("crawling %s failed", url, exc_info=True)
            return _Page(items=[Skipped(url, f"internal error: {type(exc).__name__}: {exc}")])
        finally:
            if self.progress:
                self.progress.advance()

    async def _fetch_page(self, url: str, follow: bool, is_start: bool) -> _Page:
        result = await self._follow_redirects(url)
        if isinstance(result, Skipped):
            return _Page(items=[result])
        final = result.url
        if not 200 <= result.status < 300:
            phrase = f" {result.reason_phrase}" if result.reason_phrase else ""
            return _Page(items=[Skipped(url, f"HTTP {result.status}{phrase}")], keys=[final])
        problem = not_html(result)
        if problem:
            return _Page(items=[Skipped(url, problem)], keys=[final])
        text = decode(result)
        sha1 = hashlib.sha1(result.body).hexdigest()
        facts = self._page_facts(final, sha1, text, result.from_cache)
        if facts is None:
            return _Page(items=[Skipped(url, "could not parse the HTML")], keys=[final])
        page_title, canonical, all_links = facts
        keys = [final, "sha1:" + sha1]
        if canonical and self.in_scope(canonical):
            keys.append(canonical)
        found = all_links if follow else []
        if is_start and not self.wanted(final):
            return _Page(links=found, keys=keys)  # fetched for its links only
        document = Document(
            channel=self.channel.name,
            source=final,
            content_type="text/html",
            body=text,
            title=page_title,
            updated_at=http_date_to_iso(result.headers.get("last-modified")),
        )
        return _Page(items=[document], links=found, keys=keys)

    def _page_facts(
        self, url: str, sha1: str, text: str, stored: bool
    ) -> tuple[str | None, str | None, list[str]] | None:
        """(title, canonical link, links) of the page, None if it cannot be parsed. A stored
        body's (a 304) were kept when it was first parsed, under its digest and the code's."""
        cache = self.fetcher.cache
        digest = f"{sha1}:{code_version()}"
        if stored and cache is not None:
            kept = cache.page_facts(url, digest)
            if kept is not None:
                return kept
        root = parse(text)
        if root is None:
            return None
        facts = (title(root), canonical_link(root, url), links(root, url))
        if cache is not None:
            cache.keep_page_facts(url, digest, facts)
        return facts

    async def _follow_redirects(self, url: str) -> Fetched | Skipped:
        """Follow redirects ourselves, so scope and robots.txt are checked on every hop."""
        chain = [url]
        for _ in range(self.limits.max_redirects + 1):
            result = await self.fetcher.fetch(chain[-1])
            if isinstance(result, FetchFailed):
                return Skipped(url, result.reason)
            location = result.headers.get("location")
            if result.status not in REDIRECT_STATUSES or not location:
                return result
            target = canonical_url(urljoin(chain[-1], location))
            if target is None:
                return Skipped(url, f"redirect to a URL that is not http(s): {location}")
            if target in chain:
                return Skipped(url, "redirect loop: " + " -> ".join([*chain, target]))
            if not self.in_scope(target):
                return Skipped(url, f"redirect out of scope: to {target}")
            reason = await self.disallowed(target)
            if reason:
                return Skipped(url, f"redirect to {target}, {reason}")
            chain.append(target)
        return Skipped(url, f"too many redirects (more than {self.limits.max_redirects})")


class _Progress:
    """A rich progress bar on stderr; its total grows as pages are discovered."""

    def __init__(self, name: str):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._bar = Progress(
            TextColumn(f"crawling {name}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task("crawl", total=0)
        self._bar.start()

    def grow(self, n: int) -> None:
        task = self._bar.tasks[0]
        self._bar.update(self._task, total=(task.total or 0) + n)

    def advance(self) -> None:
        self._bar.advance(self._task)

    def close(self) -> None:
        self._bar.stop()


async def crawl(
    channel: WebChannel,
    context: SourceContext,
    client: httpx.AsyncClient,
    limits: FetchLimits | None = None,
) -> list[Document | Skipped]:
    """Crawl `channel` with `client` (the seam tests and callers control) and return, in
    discovery order, a Document per HTML page and a Skipped per page that could not be used."""
    limits = limits or FetchLimits()
    cache = HttpCache(context.cache_dir / CACHE_FILE)
    fetcher = Fetcher(
        client,
        user_agent=channel.user_agent or context.user_agent,
        limits=limits,
        concurrency=channel.concurrency,
        delay=channel.delay,
        cache=cache,
    )
    try:
        crawler = _Crawl(channel, context, fetcher)
        try:
            return await crawler.run()
        finally:
            if crawler.progress:
                crawler.progress.close()
    finally:
        cache.close()


def collect(
    channel: WebChannel, context: SourceContext, limits: FetchLimits | None = None
) -> Iterator[Document | Skipped]:
    """Yield the channel's pages as Documents, and a Skipped for each page that failed."""
    limits = limits or FetchLimits()

    async def run() -> list[Document | Skipped]:
        connections = httpx.Limits(max_connections=limits.max_connections)
        async with httpx.AsyncClient(timeout=limits.timeout(), limits=connections) as client:
            return await crawl(channel, context, client, limits)

    yield from asyncio.run(run())
