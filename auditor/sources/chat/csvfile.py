"""CSV exports with one message per row.

Columns: the channel's `columns` maps our fields (conversation_id, timestamp, sender or role,
message, agent, segment, customer_name) to the export's header names; a field not mapped is
looked up under its usual names (case and `_`/space insensitive): `conversation_id`,
`timestamp`, `sender` (or `role`), `message` (or `text`, `body`). conversation_id, sender and
message are required: a header without one of them makes the file one Skipped. The delimiter
(`,` `;` tab `|`) is the one the header line uses most. Sender values map to roles through the
channel's `speakers`, then the common aliases (agent/admin/operator/support, customer/user/
visitor/end-user/client, bot/ai/assistant/automated, system).

Row order: rows of one conversation need not be adjacent, since exports sorted by time
interleave concurrent chats. A conversation stays open until `WINDOW` rows have passed without
one of its rows, then it is complete and yielded; memory holds only the open ones. A row that
arrives for a conversation already closed is Skipped with a hint to sort the export. Messages
keep file order; a row's turn is its position among the conversation's rows.
"""

from __future__ import annotations

import csv
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditor.config import ChatChannel
from auditor.errors import InputError
from auditor.model import Message, Skipped
from auditor.sources.chat import normalize as norm
from auditor.sources.chat.interface import Transcript
from auditor.sources.interface import SourceContext

WINDOW = 10_000  # rows without a row of a conversation before it is taken as complete
CLOSED_MEMORY = 100_000  # closed conversation ids remembered to report late rows
REQUIRED = ("conversation_id", "sender", "message")
DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "conversation_id": ("conversation_id", "conversation", "chat_id", "ticket_id", "thread_id"),
    "timestamp": ("timestamp", "time", "created_at", "sent_at", "date"),
    "sender": ("sender", "role", "sender_type", "author_type", "speaker", "from"),
    "message": ("message", "text", "body", "content"),
    "agent": ("agent", "agent_id"),
    "segment": ("segment",),
    "customer_name": ("customer_name", "visitor_name"),
}
_DELIMITERS = (",", ";", "\t", "|")
_HEADER_HINTS = ("conversation", "message", "sender", "role", "text", "body", "chat", "ticket")


def sniff(head: bytes, path: Path) -> bool:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    if not first or first[:1] in b"{[" or b"\x00" in head:
        return False
    header = first.decode("utf-8", "replace")
    delimiter = max(_DELIMITERS, key=header.count)
    if header.count(delimiter) < 2:
        return False
    if path.suffix.lower() in (".csv", ".tsv"):
        return True
    fields = [_canon(f) for f in header.split(delimiter)]
    return sum(any(h in f for h in _HEADER_HINTS) for f in fields) >= 2


def read(
    path: Path, channel: ChatChannel, context: SourceContext
) -> Iterator[Transcript | Skipped]:
    source = str(path)
    with norm.open_export(path) as raw:
        head = raw.read(64 * 1024)
    if not head.strip():
        yield Skipped(source, "empty file")
        return
    norm.check_text_head(path, head, "csv")
    first_line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    try:
        delimiter = max(_DELIMITERS, key=first_line.decode("utf-8").count)
    except UnicodeDecodeError:
        raise InputError(source, "the CSV header is not UTF-8 text") from None
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader, None)
        if not header:
            yield Skipped(source, "empty file")
            return
        columns, missing = _columns(header, channel.columns)
        if missing:
            shown = ", ".join(header)[:200]
            yield Skipped(f"{source}:1", f"missing required column {missing} (header: {shown})")
            return
        yield from _rows(reader, columns, source, channel)


def _canon(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", "_").split())


def _columns(header: list[str], mapping: dict[str, str]) -> tuple[dict[str, int], str | None]:
    """Our field -> column index; or the first required field's name that has no column."""
    index = {_canon(name): i for i, name in enumerate(header)}
    wanted = dict(mapping)
    if "role" in wanted and "sender" not in wanted:
        wanted["sender"] = wanted.pop("role")
    columns: dict[str, int] = {}
    for ours, names in DEFAULT_NAMES.items():
        candidates = (wanted[ours],) if ours in wanted else names
        found = next((index[_canon(n)] for n in candidates if _canon(n) in index), None)
        if found is not None:
            columns[ours] = found
        elif ours in REQUIRED:
            return columns, repr(candidates[0]) if ours in wanted else repr(ours)
    return columns, None


@dataclass
class _Pending:
    conv_id: str
    line: int
    last_row: int = 0
    rows: int = 0
    messages: list[Message] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    agent: str | None = None
    segment: str | None = None
    names: list[str] = field(default_factory=list)

    def finish(self, source: str) -> Iterator[Transcript | Skipped]:
        if not self.messages:
            yield Skipped(f"{source}:{self.line}", f"conversation {self.conv_id}: no messages")
        else:
            conversation = norm.conversation(
                self.conv_id,
                source,
                self.messages,
                line=self.line,
                agent=self.agent,
                segment=self.segment,
            )
            yield Transcript(conversation, customer_names=tuple(self.names))
        yield from self.skipped


def _rows(
    reader, columns: dict[str, int], source: str, channel: ChatChannel
) -> Iterator[Transcript | Skipped]:
    open_: OrderedDict[str, _Pending] = OrderedDict()
    closed: OrderedDict[str, None] = OrderedDict()
    # trailing empty optional cells are often left out; the required ones must be there
    width = max(columns[name] for name in REQUIRED) + 1
    row_number = 0
    while True:
        start_line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Skipped(f"{source}:{start_line}", f"unreadable CSV row: {exc}")
            continue
        row_number += 1
        where = f"{source}:{start_line}"
        if not any(cell.strip() for cell in row):
            continue
        if not norm.is_utf8("\x1f".join(row)):
            yield Skipped(where, "not UTF-8 text")
            continue
        if len(row) < width:
            yield Skipped(where, f"row has {len(row)} fields, the message needs {width}")
            continue
        conv_id = row[columns["conversation_id"]].strip()
        if not conv_id:
            yield Skipped(where, "row has no conversation id")
            continue
        pending = open_.get(conv_id)
        if pending is None:
            if conv_id in closed:
                yield Skipped(
                    where,
                    f"conversation {conv_id}: row comes more than {WINDOW} rows after its "
                    "previous row, when the conversation was already complete; sort the export "
                    "by conversation",
                )
                continue
            pending = open_[conv_id] = _Pending(conv_id, start_line)
        else:
            open_.move_to_end(conv_id)
        pending.last_row = row_number
        pending.rows += 1
        _add_row(pending, row, columns, where, channel)
        while open_:
            oldest = next(iter(open_.values()))
            if row_number - oldest.last_row < WINDOW:
                break
            open_.popitem(last=False)
            closed[oldest.conv_id] = None
            if len(closed) > CLOSED_MEMORY:
                closed.popitem(last=False)
            yield from oldest.finish(source)
    for pending in open_.values():
        yield from pending.finish(source)


def _add_row(
    pending: _Pending, row: list[str], columns: dict[str, int], where: str, channel: ChatChannel
) -> None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    label = cell("sender")
    role = norm.role_for(label, channel.speakers)
    if role is None:
        reason = f"conversation {pending.conv_id}: unknown sender {norm.short(label)}"
        pending.skipped.append(Skipped(where, reason))
        return
    agent = cell("agent") or None
    if role == "agent" and pending.agent is None:
        pending.agent = agent
    pending.segment = pending.segment or cell("segment") or None
    name = cell("customer_name")
    if name and name not in pending.names:
        pending.names.append(name)
    text = norm.clean_text(row[columns["message"]])
    if text:
        pending.messages.append(
            norm.message(role, text, pending.rows, cell("timestamp") or None, agent)
        )
