"""Bad input gives a clear reason naming the file and line, and loses nothing that was valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.pipeline import RunOptions, run

CONFIG = """\
brand: Test Brand
channels:
  - name: kb
    kind: files
    paths: ["kb/*", "kb/missing.md"]
  - name: chat
    kind: chat
    paths: ["chats/*.jsonl", "chats/nowhere/*.jsonl"]
    format: generic
authority: [kb, chat]
"""


def conversation(cid: str, *messages: tuple[str, str]) -> str:
    return json.dumps({"id": cid, "messages": [{"role": r, "text": t} for r, t in messages]})


@pytest.fixture
def brand(tmp_path: Path) -> Path:
    (tmp_path / "kb").mkdir()
    (tmp_path / "chats").mkdir()
    (tmp_path / "kb" / "returns.md").write_text(
        "# Returns\n\n## Window\n\nYou can return any item within 30 days of delivery.\n"
    )
    (tmp_path / "kb" / "empty.md").write_text("\n\n")
    (tmp_path / "kb" / "notes.pdf").write_bytes(b"%PDF-1.4")
    lines = [
        conversation("c-1", ("customer", "How long to return?"), ("agent", "You have 14 days.")),
        '{"id": "c-2", "messages": [{"role": "agent", "text": "trunc',  # malformed JSON
        conversation("c-3", ("customer", "Hi"), ("wizard", "Abracadabra")),  # unknown role
        "[1, 2, 3]",
        conversation("c-4", ("customer", "Thanks!")),  # no brand reply
        conversation("c-5", ("customer", "Window?"), ("agent", "Returns within 30 days.")),
    ]
    data = "\n".join(lines).encode() + b"\n" + b'{"id": "c-6", "messages": "\xff\xfe"}\n'
    (tmp_path / "chats" / "day.jsonl").write_bytes(data)
    (tmp_path / "audit.yaml").write_text(CONFIG)
    return tmp_path


def test_bad_records_are_skipped_with_file_and_line(brand: Path, real_embedder) -> None:
    result = run(
        load_config(brand / "audit.yaml"),
        RunOptions(cache_dir=brand / ".cache", embedder=real_embedder, score=False),
    )
    skipped = {(s.source, s.reason) for s in result.skipped}
    reasons = "\n".join(f"{s} :: {r}" for s, r in sorted(skipped))
    day = str(brand / "chats" / "day.jsonl")
    assert any(s.startswith(f"{day}:2") and "invalid JSON" in r for s, r in skipped), reasons
    assert any(s.startswith(f"{day}:3") and "wizard" in r for s, r in skipped), reasons
    assert any(s.startswith(f"{day}:4") for s, r in skipped), reasons
    assert any("c-4" in s and "no agent or bot reply" in r for s, r in skipped), reasons
    assert any(s.startswith(f"{day}:7") for s, r in skipped), reasons
    assert ("kb/missing.md", "file not found") in skipped, reasons
    assert ("chats/nowhere/*.jsonl", "no file matches") in skipped, reasons
    assert any(s == "kb/empty.md" and "empty" in r for s, r in skipped), reasons
    assert any(s == "kb/notes.pdf" for s, r in skipped), reasons
    # everything valid is kept and audited
    conversations = {a.conversation for a in result.answers if a.channel == "chat"}
    assert conversations == {"c-1", "c-5"}
    assert [a.locator for a in result.answers if a.channel == "kb"] == ["section: Window"]
    assert any(
        {e.conversation for e in f.evidence} >= {"c-1"} and f.kind == "contradiction"
        for f in result.findings
    ), [f.summary for f in result.findings]


def test_empty_knowledge_base_is_reported_not_fatal(tmp_path: Path, real_embedder) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "audit.yaml").write_text(
        "brand: B\nchannels:\n  - {name: kb, kind: files, paths: ['kb/*.md']}\n"
    )
    result = run(
        load_config(tmp_path / "audit.yaml"),
        RunOptions(cache_dir=tmp_path / ".cache", embedder=real_embedder, score=False),
    )
    assert result.findings == ()
    reasons = {(s.source, s.reason) for s in result.skipped}
    assert ("kb/*.md", "no file matches") in reasons
    assert ("channel kb", "no answers found in this channel") in reasons
