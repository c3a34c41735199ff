"""Polite HTTP fetching shared by the web crawler and the help-center importer.

One `Fetcher` per crawl: per-host slots and start intervals, retries of transient statuses with
`Retry-After` or jittered exponential backoff, a streamed size cap, and conditional requests
against an `HttpCache` that keeps the body, so a 304 still gives the page. Redirects are *not*
followed here: callers follow them hop by hop to re-check scope and robots.txt (INGEST.md).

Failures come back as `FetchFailed` values, never as exceptions: one bad URL must not stop a crawl.
"""

from __future__ import annotations

import asyncio
import pickle
import random
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

CACHE_FILE = "http-cache.sqlite"  # under SourceContext.cache_dir, shared by the web sources
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchLimits:
    """Timeouts, caps and retry policy. Tests pass short ones; `collect` uses the defaults."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0  # a server that drips bytes never trips the read timeout
    max_bytes: int = 5 * 1024 * 1024
    retries: int = 2  # so at most 3 attempts
    backoff: float = 1.0  # first backoff in seconds; doubles on each retry, with jitter
    retry_after_cap: float = 60.0
    crawl_delay_cap: float = 30.0
    max_redirects: int = 10
    park_after: int = 5  # straight failures before a host is given up for this run
    max_connections: int = 64  # global cap across hosts

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.read_timeout,
            pool=self.total_timeout,
        )


@dataclass(frozen=True)
class Fetched:
    """A response read in full (or served from the cache after a 304)."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes
    from_cache: bool = False
    reason_phrase: str = ""


@dataclass(frozen=True)
class FetchFailed:
    url: str
    reason: str


@dataclass
class _Host:
    slots: asyncio.Semaphore
    interval: float
    next_start: float = 0.0
    failures: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(frozen=True)
class CacheEntry:
    etag: str | None
    last_modified: str | None
    content_type: str | None
    body: bytes


class HttpCache:
    """Validators and bodies per URL in a small SQLite file, for conditional GETs across runs."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        # WAL and relaxed sync: a lost cache entry only costs one full re-fetch next run.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS http_cache (url TEXT PRIMARY KEY, etag TEXT,"
            " last_modified TEXT, content_type TEXT, body BLOB, stored_at REAL)"
        )
        # what parsing a stored body gave (links, title, ...), by URL and a digest of the body
        # and the code: a re-crawl of unchanged pages does not parse them again
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS page_facts (url TEXT PRIMARY KEY, digest TEXT, facts BLOB)"
        )
        self._pending = 0

    def get(self, url: str) -> CacheEntry | None:
        row = self._db.execute(
            "SELECT etag, last_modified, content_type, body FROM http_cache WHERE url = ?", (url,)
        ).fetchone()
        return CacheEntry(*row) if row else None

    def put(self, url: str, headers: httpx.Headers, body: bytes) -> None:
        etag, last_modified = headers.get("etag"), headers.get("last-modified")
        if not etag and not last_modified:
            return  # nothing to revalidate with
        self._db.execute(
            "INSERT OR REPLACE INTO http_cache VALUES (?, ?, ?, ?, ?, ?)",
            (url, etag, last_modified, headers.get("content-type"), body, time.time()),
        )
        self._wrote()

    def page_facts(self, url: str, digest: str) -> Any | None:
        row = self._db.execute(
            "SELECT facts FROM page_facts WHERE url = ? AND digest = ?", (url, digest)
        ).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # a torn or foreign entry: parse again
            return None

    def keep_page_facts(self, url: str, digest: str, facts: Any) -> None:
        blob = pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)
        self._db.execute("INSERT OR REPLACE INTO page_facts VALUES (?, ?, ?)", (url, digest, blob))
        self._wrote()

    def _wrote(self) -> None:
        # committed in batches: one commit per page would cost a sync each
        self._pending += 1
        if self._pending >= 200:
            self._db.commit()
            self._pending = 0

    def close(self) -> None:
        self._db.commit()
        self._db.close()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds to wait: delta-seconds or an HTTP-date (RFC 9110, 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def http_date_to_iso(value: str | None) -> str | None:
    """An HTTP date header (Last-Modified) as ISO 8601 in UTC, or None when absent or malformed."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat()


def _size(n: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n:,} bytes"


class Fetcher:
    """GETs with per-host politeness, retries, a size cap and conditional requests."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        user_agent: str,
        limits: FetchLimits,
        concurrency: int = 2,
        delay: float = 0.0,
        cache: HttpCache | None = None,
        headers: dict[str, str] | None = None,
    ):
        self._client = client
        self.limits = limits
        self._concurrency = concurrency
        self._delay = delay
        self.cache = cache  # public: the crawl keeps what it derives from stored bodies there
        self._headers = {"User-Agent": user_agent, **(headers or {})}
        self._hosts: dict[str, _Host] = {}
        self._global = asyncio.Semaphore(limits.max_connections)
        self.requests = 0  # every request sent, retries included (benchmarks and tests read it)
        self.not_modified = 0

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc
        host = self._hosts.get(key)
        if host is None:
            host = _Host(asyncio.Semaphore(self._concurrency), self._delay)
            self._hosts[key] = host
        return host

    def set_crawl_delay(self, url: str, seconds: float) -> None:
        """Raise the host's interval to robots.txt's Crawl-delay (already capped by the caller)."""
        host = self._host(url)
        host.interval = max(host.interval, seconds)

    async def _wait_turn(self, host: _Host) -> None:
        # Reserve a start time under the lock, sleep outside it: requests queue up spaced by the
        # interval (plus up to 20% jitter so parallel crawlers do not fall into lockstep).
        async with host.lock:
            now = asyncio.get_running_loop().time()
            start = max(now, host.next_start)
            spacing = host.interval * (1 + random.uniform(0, 0.2)) if host.interval else 0.0
            host.next_start = start + spacing
        if start > now:
            await asyncio.sleep(start - now)

    async def fetch(
        self,
        url: str,
        *,
        conditional: bool = True,
        max_bytes: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> Fetched | FetchFailed:
        """GET `url` once, retrying transient failures. Never raises for network trouble."""
        host = self._host(url)
        if host.failures >= self.limits.park_after:
            return FetchFailed(url, f"host given up after {host.failures} failures in a row")
        cached = self.cache.get(url) if (conditional and self.cache) else None
        request_headers = {**self._headers, **(headers or {})}
        if cached:
            if cached.etag:
                request_headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                request_headers["If-Modified-Since"] = cached.last_modified
        attempt = 0
        while True:
            async with host.slots, self._global:
                await self._wait_turn(host)
                result = await self._attempt(url, request_headers, max_bytes)
            retry_in = self._retry_delay(result, attempt, host)
            if retry_in is None:
                break
            attempt += 1
            await asyncio.sleep(retry_in)
        self._count_failure(host, result)
        if isinstance(result, Fetched) and result.status == 304 and cached is not None:
            self.not_modified += 1
            return _from_cache(url, cached, result.headers)
        if isinstance(result, Fetched) and result.status == 200 and self.cache and conditional:
            self.cache.put(url, result.headers, result.body)
        return result

    def _retry_delay(
        self, result: Fetched | FetchFailed, attempt: int, host: _Host
    ) -> float | None:
        if attempt >= self.limits.retries:
            return None
        if isinstance(result, FetchFailed):
            if result.reason.startswith("too large"):
                return None
        elif result.status not in RETRY_STATUSES:
            return None
        wait = None
        if isinstance(result, Fetched):
            wait = retry_after_seconds(result.headers.get("retry-after"))
        if wait is not None:
            wait = min(wait, self.limits.retry_after_cap)
            # Retry-After speaks for the whole host, so every queued request waits too.
            loop_now = asyncio.get_running_loop().time()
            host.next_start = max(host.next_start, loop_now + wait)
            return 0.0
        return self.limits.backoff * (2**attempt) * random.uniform(0.5, 1.5)

    def _count_failure(self, host: _Host, result: Fetched | FetchFailed) -> None:
        if isinstance(result, FetchFailed) or result.status >= 500:
            host.failures += 1
        else:
            host.failures = 0

    async def _attempt(
        self, url: str, headers: dict[str, str], max_bytes: int | None
    ) -> Fetched | FetchFailed:
        cap = max_bytes or self.limits.max_bytes
        limits = self.limits
        self.requests += 1
        try:
            async with asyncio.timeout(limits.total_timeout):
                async with self._client.stream(
                    "GET", url, headers=headers, timeout=limits.timeout(), follow_redirects=False
                ) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > cap:
                        return FetchFailed(url, f"too large: more than {_size(cap)}")
                    if response.status_code == 304:
                        # reading the (empty) end of the message lets the connection be reused;
                        # closing an unread response drops it, and a re-crawl is mostly 304s
                        await response.aread()
                        body = b""
                    elif response.status_code in RETRY_STATUSES or response.status_code >= 300:
                        body = b""  # error and redirect bodies are never used
                    else:
                        chunks: list[bytes] = []
                        size = 0
                        # aiter_bytes is after content decoding, so a gzip bomb hits the cap too.
                        async for chunk in response.aiter_bytes():
                            size += len(chunk)
                            if size > cap:
                                return FetchFailed(url, f"too large: more than {_size(cap)}")
                            chunks.append(chunk)
                        body = b"".join(chunks)
                    return Fetched(
                        url,
                        response.status_code,
                        response.headers,
                        body,
                        reason_phrase=response.reason_phrase,
                    )
        except httpx.ConnectTimeout:
            return FetchFailed(url, f"timeout: no connection within {limits.connect_timeout:g} s")
        except httpx.TimeoutException:
            return FetchFailed(url, f"timeout: no response within {limits.read_timeout:g} s")
        except TimeoutError:
            return FetchFailed(url, f"timeout: not done within {limits.total_timeout:g} s")
        except httpx.ConnectError as exc:
            return FetchFailed(url, f"connection failed: {exc or type(exc).__name__}")
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
            return FetchFailed(url, f"network error: {type(exc).__name__}: {exc}")


def _from_cache(url: str, cached: CacheEntry, fresh: httpx.Headers) -> Fetched:
    headers = httpx.Headers(fresh)
    # A 304 carries validators but usually no Content-Type; the stored response supplies them.
    for name, value in (
        ("content-type", cached.content_type),
        ("last-modified", cached.last_modified),
        ("etag", cached.etag),
    ):
        if value and name not in headers:
            headers[name] = value
    return Fetched(url, 200, headers, cached.body, True, "OK (not modified)")
