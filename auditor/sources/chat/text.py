"""Plain-text chat logs, read line by line.

The convention (INGEST.md, "Transcripts"), one line at a time:

    === Conversation 42 ===              a marker starts a conversation ("=== 42 ===" too)
    Agent ID: 17                         metadata, only before the conversation's first message:
    Segment: member                        Agent ID, Segment, Started (or Date), Customer name
    [2026-10-01 10:02:00] Customer: How long do I have to send back my jacket?
    [2026-10-01 10:03:00] Agent (17): You have 14 days from delivery.
    Keep the receipt.                    a line that is not a message continues the one before
    ---                                  a line of ---, === or *** ends the conversation
    Conversation: 43                     a header line also starts one (Conversation ID, Chat ID)

A message line is `[timestamp] Speaker: text` with the timestamp optional. Speaker is a label
from the channel's `speakers` or a common alias (Agent, Customer, Bot, System, Operator,
Visitor, ...), optionally followed by an id or name in parentheses: `Agent (17)` gives the
agent id, `Customer (Jane Doe)` the customer's name (for redaction, never kept). A conversation
without an id in its marker or header is `<file stem>-<n>`, n counting conversations in the
file. A timestamped line whose speaker is unknown is Skipped (it starts a message we cannot
attribute); an untimestamped one is a continuation, since "Note: ..." inside a reply is common.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditor.config import ChatChannel
from auditor.model import Role, Skipped
from auditor.sources.chat import normalize as norm
from auditor.sources.chat.interface import Transcript
from auditor.sources.interface import SourceContext

_MARKER = re.compile(r"^={3,}\s*(?:conversation\b\s*[:#]?\s*)?(.*?)\s*={3,}$", re.I)
_SEPARATOR = re.compile(r"^(?:-{3,}|={3,}|\*{3,})$")
_HEADER = re.compile(
    r"^(conversation(?: id)?|chat id|ticket id|agent id|segment|started(?: at)?|date"
    r"|customer name)\s*[:=]\s*(.+)$",
    re.I,
)
_MESSAGE = re.compile(
    r"^(?:\[(?P<at>[^\]]{1,40})\]\s*)?(?P<label>[^:\[\]()]{1,40}?)\s*(?:\((?P<who>[^)]{1,60})\))?"
    r"\s*:(?:\s+(?P<text>.*)|$)"
)
_STARTS = ("conversation", "conversation id", "chat id", "ticket id")


def sniff(head: bytes, path: Path) -> bool:
    if b"\x00" in head or head.lstrip()[:1] in (b"{", b"["):
        return False
    lines = head.decode("utf-8", "replace").splitlines()[:200]
    speakers = 0
    for line in lines:
        line = line.strip()
        if _MARKER.match(line):
            return True
        match = _MESSAGE.match(line)
        if match and norm.role_for(match["label"]) is not None:
            speakers += 1
    return speakers >= 2


@dataclass
class _Open:
    conv_id: str | None
    line: int
    meta: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    # [role, text lines, turn, timestamp, author] per message, texts joined when complete
    messages: list[tuple[Role, list[str], int, str | None, str | None]] = field(
        default_factory=list
    )


def read(
    path: Path, channel: ChatChannel, context: SourceContext
) -> Iterator[Transcript | Skipped]:
    source = str(path)
    with norm.open_export(path) as raw:
        head = raw.read(64 * 1024)
    if not head.strip():
        yield Skipped(source, "empty file")
        return
    norm.check_text_head(path, head, "text")
    count = 0
    current: _Open | None = None

    def close(conv: _Open | None) -> Iterator[Transcript | Skipped]:
        nonlocal count
        if conv is None or (not conv.messages and conv.conv_id is None and not conv.meta):
            return
        count += 1
        conv_id = conv.conv_id or f"{path.stem}-{count}"
        if not conv.messages:
            yield Skipped(f"{source}:{conv.line}", f"conversation {conv_id}: no messages")
            return
        messages = [
            norm.message(role, norm.clean_text("\n".join(lines)), turn, at, who)
            for role, lines, turn, at, who in conv.messages
        ]
        yield Transcript(
            norm.conversation(
                conv_id,
                source,
                [m for m in messages if m.text],
                line=conv.line,
                started_at=conv.meta.get("started"),
                agent=conv.meta.get("agent"),
                segment=conv.meta.get("segment"),
            ),
            customer_names=tuple(conv.names),
        )

    with open(path, encoding="utf-8-sig", errors="surrogateescape") as handle:
        for number, raw_line in enumerate(handle, start=1):
            line = raw_line.strip()
            if not norm.is_utf8(line):
                yield Skipped(f"{source}:{number}", "not UTF-8 text")
                continue
            if not line:
                continue
            marker = _MARKER.match(line)
            if marker or _SEPARATOR.match(line):
                yield from close(current)
                current = _Open(marker[1] or None, number) if marker else None
                continue
            header = _HEADER.match(line)
            key = " ".join(header[1].lower().split()) if header else ""
            if header and key in _STARTS:
                yield from close(current)
                current = _Open(header[2].strip(), number)
                continue
            if current is None:
                current = _Open(None, number)
            if header and not current.messages:
                _meta(current, key, header[2].strip())
                continue
            skipped = _line(current, line, number, source, channel)
            if skipped:
                yield skipped
    yield from close(current)


def _meta(conv: _Open, key: str, value: str) -> None:
    if key == "customer name":
        conv.names.append(value)
    elif key in ("started", "started at", "date"):
        conv.meta["started"] = value
    else:
        conv.meta[key.removesuffix(" id")] = value


def _line(conv: _Open, line: str, number: int, source: str, channel: ChatChannel) -> Skipped | None:
    match = _MESSAGE.match(line)
    role = norm.role_for(match["label"], channel.speakers) if match else None
    if match and role is not None:
        who = (match["who"] or "").strip() or None
        if role == "customer" and who:
            conv.names.append(who)
        turn = len(conv.messages) + 1
        conv.messages.append((role, [match["text"] or ""], turn, match["at"], who))
        return None
    if match and match["at"]:
        return Skipped(f"{source}:{number}", f"unknown speaker {norm.short(match['label'])}")
    if conv.messages:
        conv.messages[-1][1].append(line)
        return None
    return Skipped(f"{source}:{number}", "text before the first speaker line")
