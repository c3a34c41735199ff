"""The generic JSON Lines transcript format (DESIGN.md, "Transcripts: the generic format").

One conversation per line. Only `id`, `messages`, `role` and `text` are required. A bad line is
a Skipped record naming the file and line; the rest of the file is still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.model import ROLES, Conversation, Message, Skipped


def sniff(head: bytes, path: Path) -> bool:
    first = head.lstrip().split(b"\n", 1)[0]
    return first.startswith(b"{") and b'"messages"' in first


def read(path: Path, channel: Any, context: Any) -> Iterator[Conversation | Skipped]:
    source = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{source}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Skipped(where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
                continue
            except json.JSONDecodeError as exc:
                yield Skipped(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
                continue
            result = parse_record(record, source, number)
            if isinstance(result, str):
                yield Skipped(where, result)
            else:
                yield from result


def parse_record(
    record: Any, source: str, line: int
) -> str | list[Conversation | Skipped]:
    """A conversation (plus Skipped for its unusable messages), or the reason it is unusable."""
    if not isinstance(record, dict):
        return "expected a JSON object per line"
    conv_id = record.get("id")
    if not isinstance(conv_id, (str, int)) or conv_id == "":
        return "missing 'id'"
    messages = record.get("messages")
    if not isinstance(messages, list):
        return f"conversation {conv_id}: missing 'messages' list"
    out: list[Conversation | Skipped] = []
    kept: list[Message] = []
    for turn, item in enumerate(messages, start=1):
        where = f"{source}:{line} {conv_id} turn {turn}"
        if not isinstance(item, dict):
            out.append(Skipped(where, "message is not an object"))
            continue
        role, text = item.get("role"), item.get("text")
        if role not in ROLES:
            out.append(Skipped(where, f"unknown role {role!r} (expected one of {', '.join(ROLES)})"))
            continue
        if not isinstance(text, str):
            out.append(Skipped(where, "message has no 'text'"))
            continue
        kept.append(
            Message(
                role=role,
                text=text,
                turn=turn,
                timestamp=_str(item.get("timestamp") or item.get("at")),
                author=_str(item.get("author")),
            )
        )
    if not kept:
        return f"conversation {conv_id}: no usable messages"
    conversation = Conversation(
        id=str(conv_id),
        source=source,
        messages=tuple(kept),
        started_at=_str(record.get("started_at")),
        agent=_str(record.get("agent")),
        segment=_str(record.get("segment")),
        line=line,
    )
    return [conversation, *out]


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
