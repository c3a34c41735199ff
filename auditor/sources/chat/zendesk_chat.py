"""Zendesk chat transcripts: Zendesk Chat ("Chat Conversations") exports and messaging
(Sunshine Conversations) message lists.

A file is JSON Lines, a JSON array, or an object with `chats` or `conversations`. A record has
an `id` (or `conversation.id`) and either or both of:

- `history` (Zendesk Chat): entries of `type` chat.msg are messages; joins, leaves, ratings and
  files are events and are dropped. `nick` decides the role: `visitor` -> customer,
  `agent:trigger` -> bot (chat triggers), `agent:<id>` -> agent with that id; `sender_type`
  (Visitor / Agent / Trigger) is the fallback. Text `msg`, time `timestamp`.
- `messages` (messaging): `author.type` user -> customer, business -> agent, or bot when
  `author.subtypes` has "AI". Text `content.text` (non-text content is dropped), time `received`.

When a record has both, messages are merged in time order. agent: the first of `agent_ids`,
else the first agent message's author. segment: a tag `segment_<value>`, else the messaging
conversation's `metadata` key named by the channel's `segment_field` (default `segment`).
The visitor's name, e-mail and phone feed redaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.config import ChatChannel
from auditor.model import Message, Role, Skipped
from auditor.sources.chat import normalize as norm
from auditor.sources.chat.interface import Transcript
from auditor.sources.chat.jsonstream import iter_records
from auditor.sources.interface import SourceContext

SENDER_TYPES: dict[str, Role] = {"visitor": "customer", "agent": "agent", "trigger": "bot"}
_HISTORY = re.compile(rb'"history"\s*:')
_CHAT_MSG = re.compile(rb'"chat\.msg"')
_MESSAGES = re.compile(rb'"messages"\s*:')
_RECEIVED = re.compile(rb'"received"\s*:')

Entry = tuple[str, int, Role, str, Any, Any]  # sort key, order, role, text, time, author


def sniff(head: bytes, path: Path) -> bool:
    if head.lstrip()[:1] not in (b"{", b"["):
        return False
    chat = _HISTORY.search(head) and _CHAT_MSG.search(head)
    messaging = _MESSAGES.search(head) and _RECEIVED.search(head)
    return bool(chat or messaging)


def read(
    path: Path, channel: ChatChannel, context: SourceContext
) -> Iterator[Transcript | Skipped]:
    for item in iter_records(path, ("chats", "conversations"), "zendesk-chat"):
        if isinstance(item, Skipped):
            yield item
            continue
        where, number, record = item
        yield from _chat(record, str(path), number, where, channel)


def _chat(
    record: Any, source: str, number: int, where: str, channel: ChatChannel
) -> Iterator[Transcript | Skipped]:
    if not isinstance(record, dict):
        yield Skipped(where, "expected a chat object")
        return
    header = norm.mapping(record.get("conversation"))
    conv_id = norm.as_id(record.get("id")) or norm.as_id(header.get("id"))
    if conv_id is None:
        yield Skipped(where, "chat has no 'id'")
        return
    entries: list[Entry] = []
    skipped: list[Skipped] = []
    names: list[str] = []
    contacts: list[str] = []
    visitor = norm.mapping(record.get("visitor"))
    for key, bucket in (("name", names), ("email", contacts), ("phone", contacts)):
        if isinstance(visitor.get(key), str) and visitor[key].strip():
            bucket.append(visitor[key])
    history = norm.listing(record.get("history"))
    for index, entry in enumerate(history):
        _history_entry(entry, index, f"{where} {conv_id} history {index}", entries, skipped, names)
    messages = norm.listing(record.get("messages"))
    for index, entry in enumerate(messages):
        at = f"{where} {conv_id} message {index}"
        _messaging_entry(entry, len(history) + index, at, entries, skipped, names)
    if history and messages:
        entries.sort(key=lambda e: (e[0], e[1]))
    kept: list[Message] = [
        norm.message(role, text, turn, stamp, author)
        for turn, (_, _, role, text, stamp, author) in enumerate(entries, start=1)
    ]
    if not kept:
        yield Skipped(where, f"chat {conv_id}: no messages")
        yield from skipped
        return
    agents = record.get("agent_ids")
    session = norm.mapping(record.get("session"))
    conversation = norm.conversation(
        conv_id,
        source,
        kept,
        line=number,
        started_at=session.get("start_date") or record.get("timestamp") or header.get("createdAt"),
        agent=agents[0] if isinstance(agents, list) and agents else None,
        segment=_segment(record, header, channel.segment_field),
    )
    yield Transcript(conversation, tuple(names), tuple(contacts))
    yield from skipped


def _history_entry(
    entry: Any, order: int, at: str, entries: list[Entry], skipped: list[Skipped], names: list[str]
) -> None:
    if not isinstance(entry, dict):
        skipped.append(Skipped(at, "history entry is not an object"))
        return
    if entry.get("type") != "chat.msg":
        return  # joins, leaves, ratings, files: events, not messages
    nick = str(entry.get("nick") or "")
    author: str | None = None
    if nick.startswith("visitor"):
        role: Role | None = "customer"
    elif nick == "agent:trigger":
        role = "bot"
    elif nick.startswith("agent:"):
        role, author = "agent", nick.removeprefix("agent:")
    else:
        role = SENDER_TYPES.get(str(entry.get("sender_type") or "").lower())
    if role is None:
        skipped.append(
            Skipped(at, f"unknown sender {norm.short(nick or entry.get('sender_type'))}")
        )
        return
    name = entry.get("name")
    if role == "customer" and isinstance(name, str) and name.strip():
        names.append(name)
    text = norm.clean_text(str(entry.get("msg") or ""))
    if text:
        stamp = entry.get("timestamp")
        entries.append((norm.iso_time(stamp) or "", order, role, text, stamp, author))


def _messaging_entry(
    entry: Any, order: int, at: str, entries: list[Entry], skipped: list[Skipped], names: list[str]
) -> None:
    if not isinstance(entry, dict):
        skipped.append(Skipped(at, "message is not an object"))
        return
    author = norm.mapping(entry.get("author"))
    kind = author.get("type")
    if kind == "user":
        role: Role = "customer"
        if isinstance(author.get("displayName"), str) and author["displayName"].strip():
            names.append(author["displayName"])
    elif kind == "business":
        subtypes = norm.listing(author.get("subtypes"))
        role = "bot" if "AI" in subtypes else "agent"
    else:
        skipped.append(Skipped(at, f"unknown author type {norm.short(kind)}"))
        return
    content = norm.mapping(entry.get("content"))
    text = norm.clean_text(content["text"]) if isinstance(content.get("text"), str) else ""
    if text:
        stamp = entry.get("received")
        who = author.get("userId") or author.get("displayName") if role != "customer" else None
        entries.append((norm.iso_time(stamp) or "", order, role, text, stamp, who))


def _segment(record: dict, header: dict, field: str | None) -> str | None:
    tags = record.get("tags")
    found = norm.segment_from_tags(tags) if isinstance(tags, list) else None
    metadata = header.get("metadata")
    if found is None and isinstance(metadata, dict):
        found = norm.as_id(metadata.get(field or "segment"))
    return found
