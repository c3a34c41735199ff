"""Large exports are streamed: memory does not grow with the file (issue 4: a 1 GB export)."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.config import ChatChannel
from auditor.redact import detect
from auditor.sources.chat import collect, csvfile
from auditor.sources.interface import SourceContext

# Texts repeat across conversations (as agent macros do), so that the redactor's bounded cache
# of detections stays small and what is measured is the reader.
FILLER = " We are here to help with anything else about your order, delivery or returns." * 3
TURNS = [
    ("customer", "Hi, where is my order? I ordered it last week and it has not arrived yet."),
    ("agent", "Thanks for waiting! Orders ship within 3 business days." + FILLER),
    ("customer", "Can I still return it if it does not fit? It was a gift for my brother."),
    ("agent", "Yes, returns are free within 30 days. Call 1-800-555-0142." + FILLER),
]


def _jsonl(count: int) -> str:
    lines = []
    for n in range(count):
        messages = [{"role": r, "text": t} for r, t in TURNS]
        lines.append(json.dumps({"id": f"c{n}", "messages": messages}))
    return "\n".join(lines) + "\n"


def _csv(count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["conversation_id", "sender", "message"])
    for n in range(count):
        writer.writerows([f"c{n}", r, t] for r, t in TURNS)
    return out.getvalue()


def _text(count: int) -> str:
    lines = "\n".join(f"{role.title()}: {text}" for role, text in TURNS)
    blocks = [f"=== Conversation c{n} ===\n{lines}" for n in range(count)]
    return "\n".join(blocks) + "\n"


def _intercom(count: int) -> str:
    def conversation(n: int) -> dict:
        parts = [
            {"part_type": "comment", "body": f"<p>{t}</p>", "author": {"type": a}}
            for (r, t), a in zip(TURNS[1:], ("admin", "user", "admin"), strict=True)
        ]
        source = {"body": f"<p>{TURNS[0][1].format(n=n)}</p>", "author": {"type": "user"}}
        return {"id": str(n), "source": source, "conversation_parts": {"conversation_parts": parts}}

    return json.dumps({"conversations": [conversation(n) for n in range(count)]}, indent=1)


SLACK = 160 * 1024
WRITERS: dict[str, tuple[str, Callable[[int], str]]] = {
    "generic": ("export.jsonl", _jsonl),
    "csv": ("export.csv", _csv),
    "text": ("export.txt", _text),
    "intercom": ("export.json", _intercom),
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_memory_stays_flat_as_the_export_grows(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the CSV reader holds a window of rows (interleaved chats) and remembers closed ids: make
    # both small, so that the test files are many windows long
    monkeypatch.setattr(csvfile, "WINDOW", 40)
    monkeypatch.setattr(csvfile, "CLOSED_MEMORY", 50)
    filename, write = WRITERS[name]
    context = SourceContext(root=tmp_path, cache_dir=tmp_path)
    peaks = []
    for count in (200, 800):
        path = tmp_path / f"{count}-{filename}"
        path.write_text(write(count))
        channel = ChatChannel(name="chat", kind="chat", paths=[str(path)])
        tracemalloc.start()
        detect.cache_clear()
        seen = sum(1 for item in collect(channel, context) if hasattr(item, "messages"))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert seen == count
        peaks.append((peak, path.stat().st_size))
    (small, small_size), (large, large_size) = peaks
    # four times the file, not more memory: a streamed reader holds one record at a time.
    # The slack covers CPython's free lists (2,000 tuples per size are kept, not freed); a
    # reader that held the file would grow by several times the extra bytes.
    assert large_size - small_size > 2 * SLACK
    assert large < small + SLACK, peaks
