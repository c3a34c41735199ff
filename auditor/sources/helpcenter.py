"""The `helpcenter` source: articles from a hosted help center's public API (Zendesk Guide).

`GET {url}/api/v2/help_center/{locale}/articles.json?per_page=100&page=N`, following `next_page`
(INGEST.md, "Hosted help centers"). Anonymous by default; a 401/403 means the help center needs
sign-in, and `token` is sent when given: "email/token:KEY" as Basic auth (a Zendesk API token),
anything else as a Bearer (an OAuth token). Fetching goes through the crawler's `Fetcher`, so
retries, Retry-After (Zendesk's rate limit answer), timeouts and the size cap behave the same.
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import httpx

from auditor.config import HelpCenterChannel
from auditor.model import Document, Skipped
from auditor.sources._http import (
    CACHE_FILE,
    Fetched,
    Fetcher,
    FetchFailed,
    FetchLimits,
    HttpCache,
)
from auditor.sources.interface import SourceContext

API_PAGE_MAX_BYTES = 50 * 1024 * 1024  # 100 long articles in one JSON page


def articles_url(channel: HelpCenterChannel, page: int = 1) -> str:
    base = channel.url.rstrip("/")
    return f"{base}/api/v2/help_center/{channel.locale}/articles.json?per_page=100&page={page}"


def _auth_header(token: str | None) -> dict[str, str]:
    if not token:
        return {}
    if ":" in token:  # "agent@brand.com/token:KEY" or "user:password"
        return {"Authorization": "Basic " + base64.b64encode(token.encode()).decode("ascii")}
    return {"Authorization": f"Bearer {token}"}


def _iso(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return value


def _article(channel: HelpCenterChannel, item: dict, api_url: str) -> Document | Skipped:
    source = str(item.get("html_url") or f"{api_url}#article-{item.get('id')}")
    if item.get("draft"):
        return Skipped(source, "draft article: not published")
    title = str(item.get("title") or "").strip()
    body = item.get("body")
    if not isinstance(body, str) or not body.strip():
        return Skipped(source, "article has no body")
    return Document(
        channel=channel.name,
        source=source,
        content_type="text/html",
        body=f"<h1>{html.escape(title)}</h1>\n{body}",
        title=title or None,
        updated_at=_iso(item.get("updated_at") or item.get("edited_at")),
    )


def _page_problem(url: str, result: Fetched | FetchFailed) -> Skipped | None:
    if isinstance(result, FetchFailed):
        return Skipped(url, result.reason)
    if result.status in (401, 403):
        return Skipped(
            url,
            f"help center needs sign-in (HTTP {result.status}): set the channel's token, "
            "e.g. token: ${ZENDESK_TOKEN}",
        )
    if result.status == 404:
        return Skipped(url, "HTTP 404: no help center at this URL and locale")
    if result.status != 200:
        return Skipped(url, f"HTTP {result.status} {result.reason_phrase}".rstrip())
    return None


async def fetch_articles(
    channel: HelpCenterChannel,
    context: SourceContext,
    client: httpx.AsyncClient,
    limits: FetchLimits | None = None,
) -> list[Document | Skipped]:
    """Every article of the help center as a Document, drafts and failures as Skipped."""
    limits = limits or FetchLimits()
    cache = HttpCache(context.cache_dir / CACHE_FILE)
    fetcher = Fetcher(
        client,
        user_agent=context.user_agent,
        limits=limits,
        concurrency=1,
        cache=cache,
        headers={"Accept": "application/json", **_auth_header(channel.token)},
    )
    results: list[Document | Skipped] = []
    articles = 0
    url: str | None = articles_url(channel)
    seen: set[str] = set()
    host = urlsplit(channel.url).netloc
    try:
        while url and articles < channel.max_pages:
            seen.add(url)
            result = await fetcher.fetch(url, max_bytes=API_PAGE_MAX_BYTES)
            problem = _page_problem(url, result)
            if problem:
                results.append(problem)
                break
            assert isinstance(result, Fetched)
            try:
                data = json.loads(result.body)
                items = data["articles"]
            except (ValueError, KeyError, TypeError) as exc:
                results.append(Skipped(url, f"not a Help Center articles page: {exc}"))
                break
            for item in items:
                if articles >= channel.max_pages:
                    break
                if isinstance(item, dict):
                    results.append(_article(channel, item, url))
                    articles += 1
            next_page = data.get("next_page")
            url = urljoin(url, next_page) if isinstance(next_page, str) and next_page else None
            # Never follow next_page to another host (the token would go with it) or in a loop.
            if url and (urlsplit(url).netloc != host or url in seen):
                results.append(Skipped(url, "next_page leaves the help center or loops: stopped"))
                url = None
    finally:
        cache.close()
    return results


def collect(
    channel: HelpCenterChannel, context: SourceContext, limits: FetchLimits | None = None
) -> Iterator[Document | Skipped]:
    """Yield the help center's articles as Documents (drafts and failures as Skipped)."""
    limits = limits or FetchLimits()

    async def run() -> list[Document | Skipped]:
        async with httpx.AsyncClient(timeout=limits.timeout()) as client:
            return await fetch_articles(channel, context, client, limits)

    yield from asyncio.run(run())
