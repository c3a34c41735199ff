"""The run history (DESIGN.md, "Report, gate, store"): every run's findings, answers and scores,
so runs can be diffed (new, resolved, persisting) and trended.

    store = open_store("sqlite:///.auditor/history.db", config.root)
    store.save(result)
    store.diff(older_id, newer_id)

STORES maps each URL scheme to the function that opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from auditor.errors import StoreError
from auditor.store.interface import Diff, HistoryPoint, RunSummary, Store

__all__ = [
    "STORES",
    "Diff",
    "HistoryPoint",
    "RunSummary",
    "Store",
    "open_store",
    "safe_location",
]


def _sqlite(url: str, root: Path) -> Store:
    from auditor.store.sqlite import open_sqlite, path_from_url

    return open_sqlite(path_from_url(url, root))


def _postgres(url: str, root: Path) -> Store:
    from auditor.store.postgres import open_postgres

    return open_postgres(url)


STORES: dict[str, Callable[[str, Path], Store]] = {
    "sqlite": _sqlite,
    "postgresql": _postgres,
    "postgres": _postgres,  # libpq accepts both spellings
}


def safe_location(url: str) -> str:
    """The store URL as messages may show it: without a password."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # a malformed URL (a bad port): show nothing that might be a secret
        return url.partition("://")[0] + "://..."
    if password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def open_store(url: str, root: Path) -> Store:
    """Open the store a URL names; relative SQLite paths are relative to `root`.

    Raises StoreError when the scheme is unknown or the store cannot be opened.
    """
    scheme, sep, _ = url.partition("://")
    if not sep or scheme not in STORES:
        raise StoreError(
            safe_location(url),
            "unknown store URL (expected sqlite:///path.db or postgresql://host/db)",
        )
    return STORES[scheme](url, root)
