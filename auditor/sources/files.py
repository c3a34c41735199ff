"""The `files` source: a knowledge base as Markdown or HTML files on disk (the CI case)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from auditor.config import FilesChannel
from auditor.model import Document, Skipped
from auditor.sources._page import parse, title
from auditor.sources.chat import expand
from auditor.sources.interface import SourceContext

CONTENT_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
}


def display_path(path: Path, root: Path) -> str:
    """Paths as the user wrote them: relative to the config folder when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def collect(channel: FilesChannel, context: SourceContext) -> Iterator[Document | Skipped]:
    paths, skipped = expand(channel.paths, context.root)
    yield from skipped
    for path in paths:
        shown = display_path(path, context.root)
        if any(fnmatch.fnmatch(shown, pattern) for pattern in channel.exclude):
            continue
        content_type = CONTENT_TYPES.get(path.suffix.lower())
        if content_type is None:
            yield Skipped(shown, f"not a knowledge-base file type ({path.suffix or 'no suffix'})")
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            yield Skipped(shown, f"cannot read: {exc.strerror or exc}")
            continue
        try:
            body = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Skipped(shown, f"not UTF-8 text (byte {exc.start})")
            continue
        if not body.strip():
            yield Skipped(shown, "empty file")
            continue
        modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).isoformat()
        yield Document(
            channel=channel.name,
            source=shown,
            content_type=content_type,
            body=body,
            # an HTML page's title names what it is about (a venue, a product), as on the web
            title=_html_title(body) if content_type == "text/html" else None,
            updated_at=modified,
            path=str(path),
        )


def _html_title(body: str) -> str | None:
    root = parse(body)
    return title(root) if root is not None else None
