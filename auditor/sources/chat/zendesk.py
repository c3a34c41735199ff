"""Zendesk Support tickets with their comments.

A file is JSON Lines of tickets (the account's JSON export), a JSON array of tickets, or an
object with `tickets` (an API response, optionally with sideloaded `users`). Each ticket needs
`id` and `comments` [{id, author_id, public, plain_body | body | html_body, created_at,
via.channel}].

- Roles: a comment author in `users` (file-level, or a ticket's own `users` list) takes its
  role: end-user -> customer, agent/admin -> agent. Without a users entry, the ticket's
  `requester_id` is the customer, author id -1 (Zendesk's own system user) is system, and any
  other author is an agent: only staff comment publicly on someone else's ticket.
- `public: false` is an internal note: never a brand answer, dropped.
- Text: `plain_body`, else `body`, else `html_body` turned into text. Zendesk's redaction
  blocks (▇) are kept as `<REDACTED>` by the redactor.
- agent: `assignee_id`, else the first agent comment's author. segment: the custom field whose
  id is the channel's `segment_field`, else a tag `segment_<value>` (or `segment:<value>`).
- The sideloaded `users` list is held in memory as id -> (role, name, e-mail), the only part
  of the file that is; tickets are streamed.
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
from auditor.sources.chat.jsonstream import iter_records, side_list
from auditor.sources.interface import SourceContext

USER_ROLES: dict[str, Role] = {"end-user": "customer", "agent": "agent", "admin": "agent"}
SYSTEM_AUTHOR = "-1"
_COMMENTS = re.compile(rb'"comments"\s*:')
_AUTHOR = re.compile(rb'"author_id"\s*:|"public"\s*:')

User = tuple[str, str | None, str | None]  # role as written, name, e-mail


def sniff(head: bytes, path: Path) -> bool:
    start = head.lstrip()[:1] in (b"{", b"[")
    return start and bool(_COMMENTS.search(head)) and bool(_AUTHOR.search(head))


def read(
    path: Path, channel: ChatChannel, context: SourceContext
) -> Iterator[Transcript | Skipped]:
    users: dict[str, User] = {}
    for user in side_list(path, "users"):
        _add_user(users, user)
    for item in iter_records(path, ("tickets",), "zendesk"):
        if isinstance(item, Skipped):
            yield item
            continue
        where, number, record = item
        yield from _ticket(record, str(path), number, where, users, channel)


def _add_user(users: dict[str, User], user: Any) -> None:
    if not isinstance(user, dict) or norm.as_id(user.get("id")) is None:
        return
    name, email = user.get("name"), user.get("email")
    users[str(user["id"])] = (
        str(user.get("role") or ""),
        name if isinstance(name, str) and name.strip() else None,
        email if isinstance(email, str) and email else None,
    )


def _ticket(
    record: Any, source: str, number: int, where: str, users: dict[str, User], channel: ChatChannel
) -> Iterator[Transcript | Skipped]:
    if not isinstance(record, dict):
        yield Skipped(where, "expected a ticket object")
        return
    ticket_id = norm.as_id(record.get("id"))
    if ticket_id is None:
        yield Skipped(where, "ticket has no 'id'")
        return
    comments = record.get("comments")
    if not isinstance(comments, list):
        yield Skipped(where, f"ticket {ticket_id}: no 'comments' list")
        return
    if isinstance(record.get("users"), list):
        users = dict(users)
        for user in record["users"]:
            _add_user(users, user)
    requester = norm.as_id(record.get("requester_id"))
    names: list[str] = []
    contacts: list[str] = []
    if requester in users:
        _remember(users[requester], names, contacts)
    sender = _get(_get(record.get("via"), "source"), "from")  # an e-mail ticket's requester
    if isinstance(sender, dict):
        names.extend(v for v in (sender.get("name"),) if isinstance(v, str) and v.strip())
        contacts.extend(v for v in (sender.get("address"),) if isinstance(v, str) and v)
    messages: list[Message] = []
    skipped: list[Skipped] = []
    for index, comment in enumerate(comments, start=1):
        at = f"{where} ticket {ticket_id} comment {norm.as_id(_get(comment, 'id')) or index}"
        if not isinstance(comment, dict):
            skipped.append(Skipped(at, "comment is not an object"))
            continue
        if comment.get("public") is False:
            continue  # an internal note
        author = norm.as_id(comment.get("author_id"))
        role = _role(author, requester, users)
        if role is None:
            written = users[author][0] if author in users else None
            skipped.append(Skipped(at, f"unknown author role {norm.short(written)}"))
            continue
        if role == "customer" and author in users:
            _remember(users[author], names, contacts)
        text = _text(comment)
        if text:
            turn = len(messages) + 1
            messages.append(norm.message(role, text, turn, comment.get("created_at"), author))
    if not messages:
        yield Skipped(where, f"ticket {ticket_id}: no public comments")
        yield from skipped
        return
    conversation = norm.conversation(
        ticket_id,
        source,
        messages,
        line=number,
        started_at=record.get("created_at"),
        agent=record.get("assignee_id"),
        segment=_segment(record, channel.segment_field),
    )
    yield Transcript(conversation, tuple(names), tuple(contacts))
    yield from skipped


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _role(author: str | None, requester: str | None, users: dict[str, User]) -> Role | None:
    if author in users:
        return USER_ROLES.get(users[author][0])
    if author is not None and author == requester:
        return "customer"
    if author == SYSTEM_AUTHOR:
        return "system"
    return "agent"


def _remember(user: User, names: list[str], contacts: list[str]) -> None:
    if user[1]:
        names.append(user[1])
    if user[2]:
        contacts.append(user[2])


def _text(comment: dict) -> str:
    for key in ("plain_body", "body"):
        value = comment.get(key)
        if isinstance(value, str) and value.strip():
            return norm.clean_text(value)
    html = comment.get("html_body")
    return norm.html_to_text(html) if isinstance(html, str) else ""


def _segment(record: dict, field: str | None) -> str | None:
    fields = record.get("custom_fields")
    if field and isinstance(fields, list):
        for entry in fields:
            if isinstance(entry, dict) and str(entry.get("id")) == field:
                value = norm.as_id(entry.get("value"))
                if value:
                    return value
    tags = record.get("tags")
    return norm.segment_from_tags(tags) if isinstance(tags, list) else None
