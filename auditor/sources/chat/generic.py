"""The generic JSON Lines transcript format (DESIGN.md, "Transcripts: the generic format").

One conversation per line. Only `id`, `messages`, `role` and `text` are required; `role` is
exactly one of customer, agent, bot, system (vendor labels belong to the vendor readers).
Optional: `started_at`, `agent`, `segment`, `customer` (the customer's name, for redaction),
and per message `timestamp` (or `at`) and `author`. A message's turn is its position in the
list, so a skipped message leaves a gap that points back at it. A JSON array of the same
objects is read too. A bad line is a Skipped naming the file and line; the rest is still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.config import ChatChannel
from auditor.model import ROLES, Message, Skipped
from auditor.sources.chat import normalize as norm
from auditor.sources.chat.interface import Transcript
from auditor.sources.chat.jsonstream import iter_records
from auditor.sources.interface import SourceContext

_KEYS = re.compile(rb'"messages"\s*:')


def sniff(head: bytes, path: Path) -> bool:
    first = head.lstrip().split(b"\n", 1)[0]
    return first.startswith(b"{") and bool(_KEYS.search(first))


def read(
    path: Path, channel: ChatChannel, context: SourceContext
) -> Iterator[Transcript | Skipped]:
    for item in iter_records(path, ("conversations",), "generic"):
        if isinstance(item, Skipped):
            yield item
            continue
        where, number, record = item
        result = parse_record(record, str(path), number, where)
        if isinstance(result, str):
            yield Skipped(where, result)
        else:
            yield from result


def parse_record(
    record: Any, source: str, line: int, where: str | None = None
) -> str | list[Transcript | Skipped]:
    """A transcript (plus Skipped for its unusable messages), or the reason it is unusable."""
    where = where or f"{source}:{line}"
    if not isinstance(record, dict):
        return "expected a JSON object per line"
    conv_id = norm.as_id(record.get("id"))
    if conv_id is None:
        return "missing 'id'"
    messages = record.get("messages")
    if not isinstance(messages, list):
        return f"conversation {conv_id}: missing 'messages' list"
    out: list[Transcript | Skipped] = []
    kept: list[Message] = []
    for turn, item in enumerate(messages, start=1):
        if not isinstance(item, dict):
            out.append(Skipped(f"{where} {conv_id} turn {turn}", "message is not an object"))
            continue
        role, text = item.get("role"), item.get("text")
        if role not in ROLES:
            reason = f"unknown role {norm.short(role)} (expected {'/'.join(ROLES)})"
            out.append(Skipped(f"{where} {conv_id} turn {turn}", reason))
            continue
        if not isinstance(text, str):
            out.append(Skipped(f"{where} {conv_id} turn {turn}", "message has no 'text'"))
            continue
        text = norm.clean_text(text)
        if text:
            stamp = item.get("timestamp") or item.get("at")
            kept.append(norm.message(role, text, turn, stamp, item.get("author")))
    if not kept:
        return f"conversation {conv_id}: no usable messages"
    conversation = norm.conversation(
        conv_id,
        source,
        kept,
        line=line,
        started_at=record.get("started_at"),
        agent=record.get("agent"),
        segment=record.get("segment"),
    )
    customer = record.get("customer")
    names = (customer,) if isinstance(customer, str) and customer.strip() else ()
    return [Transcript(conversation, customer_names=names), *out]
