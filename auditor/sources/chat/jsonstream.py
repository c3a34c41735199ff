"""Records from a JSON export without loading the file: JSON Lines, a JSON array, or an object
that wraps the records in a list (`{"conversations": [...]}`, `{"tickets": [...]}`).

JSON Lines is read line by line: a bad line is one Skipped and the next line is read. A JSON
document is streamed with ijson, one record in memory at a time; a syntax error or a truncated
end stops it there (a JSON document cannot be resynchronised): the records before it are kept
and one Skipped names the record number where reading stopped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import ijson

from auditor.errors import InputError
from auditor.model import Skipped
from auditor.sources.chat.normalize import check_text_head, open_export

HEAD_BYTES = 64 * 1024
MAX_LINE = 64 * 1024 * 1024  # the longest line read to tell JSON Lines from a document
_WS = b" \t\r\n"

Record = tuple[str, int, Any]  # where ("path:line" or "path#n"), line or record number, value


def iter_records(
    path: Path, wrappers: tuple[str, ...], format_name: str
) -> Iterator[Record | Skipped]:
    """Every record of the export, in order, or a Skipped for each part that is unusable."""
    source = str(path)
    with open_export(path) as handle:
        head = handle.read(HEAD_BYTES)
        start = _first_byte(head)
        if start is None:
            yield Skipped(source, "empty file")
            return
        check_text_head(path, head, format_name)
        if start not in b"{[":
            raise InputError(source, f"not JSON: a {format_name} export starts with '{{' or '['")
        handle.seek(0)
        if start == b"[":
            yield from _document(handle, source, "item")
            return
        # a wrapper object is streamed even when it is minified onto one line; the scan stops
        # at the wrapper key, or at the end of the first value (JSON Lines) or of the file
        key = _wrapper_key(handle, wrappers)
        handle.seek(0)
        if key is None and _looks_like_json_lines(handle):
            handle.seek(0)
            yield from _json_lines(handle, source)
            return
        handle.seek(0)
        yield from _document(handle, source, f"{key}.item" if key else "")


def side_list(path: Path, key: str) -> Iterator[Any]:
    """Items of a top-level list beside the records (Zendesk's sideloaded `users`), streamed.

    Nothing for JSON Lines or arrays, and nothing past a syntax error: the records' own reading
    reports that error. Read before the records, so a `users` list after them still counts.
    """
    with open_export(path) as handle:
        if _first_byte(handle.read(HEAD_BYTES)) != b"{":
            return
        handle.seek(0)
        try:  # JSON Lines stop at the second value: one record parsed, no users
            yield from ijson.items(handle, f"{key}.item", use_float=True)
        except (ijson.JSONError, ValueError):
            return


def _first_byte(head: bytes) -> bytes | None:
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip(_WS)
    return stripped[:1] or None


def _looks_like_json_lines(handle: IO[bytes]) -> bool:
    """The first line is a complete JSON object, or (when the first line is a broken record
    rather than the opening of a pretty-printed document) the second one is."""
    lines: list[bytes] = []
    while len(lines) < 2:
        line = handle.readline(MAX_LINE)
        if not line:
            break
        if line.strip(_WS):
            lines.append(line.removeprefix(b"\xef\xbb\xbf").strip(_WS))
    for index, line in enumerate(lines):
        if index == 1 and lines[0].endswith((b"{", b"[", b",", b":")):
            return False  # the opening lines of a pretty-printed document
        try:
            if isinstance(json.loads(line), dict):
                return True
        except ValueError:
            continue
    return False


def _json_lines(handle: IO[bytes], source: str) -> Iterator[Record | Skipped]:
    for number, raw in enumerate(handle, start=1):
        if not raw.strip(_WS):
            continue
        where = f"{source}:{number}"
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield Skipped(where, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        yield where, number, value


def _wrapper_key(handle: IO[bytes], wrappers: tuple[str, ...]) -> str | None:
    """The top-level key holding the record list; None when the object is itself one record."""
    try:
        for prefix, event, value in ijson.parse(handle):
            if prefix == "" and event == "map_key" and value in wrappers:
                return value
    except (ijson.JSONError, ValueError):
        pass  # reported by _document, which meets the same error
    return None


def _document(handle: IO[bytes], source: str, prefix: str) -> Iterator[Record | Skipped]:
    number = 0
    try:
        for item in ijson.items(handle, prefix, use_float=True):
            number += 1
            yield f"{source}#{number}", number, item
    except (ijson.JSONError, ValueError) as exc:
        after = f"after record {number}" if number else "before the first record"
        problem = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        yield Skipped(
            f"{source}#{number + 1}", f"invalid JSON {after} ({problem}): rest of file not read"
        )
