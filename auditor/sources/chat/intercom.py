"""Intercom conversation exports (the REST API conversation model).

A file is a JSON array of conversations, an object with `conversations` (the API's list
response), or JSON Lines. Per conversation: `id`; `created_at` (unix); `source` (the first
message: `body` HTML, `author.type`); `conversation_parts.conversation_parts[]` with `part_type`,
`body` HTML, `author.type`, `created_at`, `redacted`.

- Roles: author type user/lead/contact -> customer, admin/team -> agent, bot -> bot; an author
  with `from_ai_agent` or `is_ai_answer` is a bot (Fin answers on an admin's behalf).
- Notes (`part_type` note, note_and_reopen, ...) are internal, never brand answers: dropped.
  Parts without a body (assignment, close, snooze events) are not messages: dropped.
- `redacted: true` (Intercom's own redaction) keeps the turn with the text `<REDACTED>`.
- agent: `admin_assignee_id`, else the first admin's id. segment: the custom attribute named
  by the channel's `segment_field` (default `segment`), else a tag `segment:<value>`.
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

REDACTED = "<REDACTED>"
AUTHOR_ROLES: dict[str, Role] = {
    "user": "customer",
    "lead": "customer",
    "contact": "customer",
    "admin": "agent",
    "team": "agent",
    "bot": "bot",
}
_KEY = re.compile(rb'"conversation_parts"\s*:')


def sniff(head: bytes, path: Path) -> bool:
    return head.lstrip()[:1] in (b"{", b"[") and bool(_KEY.search(head))


def read(
    path: Path, channel: ChatChannel, context: SourceContext
) -> Iterator[Transcript | Skipped]:
    for item in iter_records(path, ("conversations",), "intercom"):
        if isinstance(item, Skipped):
            yield item
            continue
        where, number, record = item
        yield from _conversation(record, str(path), number, where, channel)


def _conversation(
    record: Any, source: str, number: int, where: str, channel: ChatChannel
) -> Iterator[Transcript | Skipped]:
    if not isinstance(record, dict):
        yield Skipped(where, "expected a conversation object")
        return
    conv_id = norm.as_id(record.get("id"))
    if conv_id is None:
        yield Skipped(where, "conversation has no 'id'")
        return
    parts: list[Any] = []
    if isinstance(record.get("source"), dict):
        parts.append(
            {**record["source"], "part_type": "comment", "created_at": record.get("created_at")}
        )
    listed = record.get("conversation_parts")
    if isinstance(listed, dict):
        listed = listed.get("conversation_parts")
    if isinstance(listed, list):
        parts.extend(listed)
    messages: list[Message] = []
    skipped: list[Skipped] = []
    names: list[str] = []
    contacts: list[str] = []
    for index, part in enumerate(parts):
        at = f"{where} {conv_id} part {norm.as_id(_get(part, 'id')) or index}"
        if not isinstance(part, dict):
            skipped.append(Skipped(at, "part is not an object"))
            continue
        kind = str(part.get("part_type") or "comment")
        if "note" in kind:
            continue  # internal: never shown to the customer
        body = part.get("body")
        redacted = part.get("redacted") is True
        if not redacted and not (isinstance(body, str) and body.strip()):
            continue  # an event (assignment, close, snooze), not a message
        author = norm.mapping(part.get("author"))
        role = _role(author)
        if role is None:
            skipped.append(Skipped(at, f"unknown author type {norm.short(author.get('type'))}"))
            continue
        if role == "customer":
            names.extend(v for v in (author.get("name"),) if isinstance(v, str) and v.strip())
            contacts.extend(v for v in (author.get("email"),) if isinstance(v, str) and v)
        text = REDACTED if redacted else norm.html_to_text(body)
        if text:
            turn = len(messages) + 1
            messages.append(
                norm.message(role, text, turn, part.get("created_at"), author.get("id"))
            )
    if not messages:
        yield Skipped(where, f"conversation {conv_id}: no messages")
        yield from skipped
        return
    conversation = norm.conversation(
        conv_id,
        source,
        messages,
        line=number,
        started_at=record.get("created_at"),
        agent=record.get("admin_assignee_id") or None,
        segment=_segment(record, channel.segment_field),
    )
    yield Transcript(conversation, tuple(names), tuple(contacts))
    yield from skipped


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _role(author: dict) -> Role | None:
    if author.get("from_ai_agent") is True or author.get("is_ai_answer") is True:
        return "bot"
    kind = author.get("type")
    return AUTHOR_ROLES.get(kind) if isinstance(kind, str) else None


def _segment(record: dict, field: str | None) -> str | None:
    attributes = record.get("custom_attributes")
    if isinstance(attributes, dict):
        value = norm.as_id(attributes.get(field or "segment"))
        if value:
            return value
    tags = record.get("tags")
    if isinstance(tags, dict):
        tags = tags.get("tags")
    if not isinstance(tags, list):
        return None
    return norm.segment_from_tags(t.get("name") if isinstance(t, dict) else t for t in tags)
