"""Collect: one module per source kind; each yields Documents, Conversations or Skipped records.

The registry is the one place that maps a config `kind` to its collector.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from auditor.sources.interface import Collected, SourceContext


def _web(channel, context: SourceContext) -> Iterator[Collected]:
    from auditor.sources import web

    return web.collect(channel, context)


def _helpcenter(channel, context: SourceContext) -> Iterator[Collected]:
    from auditor.sources import helpcenter

    return helpcenter.collect(channel, context)


def _files(channel, context: SourceContext) -> Iterator[Collected]:
    from auditor.sources import files

    return files.collect(channel, context)


def _chat(channel, context: SourceContext) -> Iterator[Collected]:
    from auditor.sources import chat

    return chat.collect(channel, context)


SOURCES: dict[str, Callable[..., Iterator[Collected]]] = {
    "web": _web,
    "helpcenter": _helpcenter,
    "files": _files,
    "chat": _chat,
}

__all__ = ["SOURCES", "Collected", "SourceContext"]
