"""Bad input: the valid rest is imported and each bad part is a Skipped; a file that cannot be
read at all is an InputError naming it."""

from __future__ import annotations

import json
import pathlib
from pathlib import Path

import pytest
from conftest import FIXTURES, Read

from auditor.config import ChatChannel
from auditor.errors import InputError
from auditor.sources.chat import TRANSCRIPT_FORMATS
from auditor.sources.interface import SourceContext


def test_truncated_json_keeps_the_records_before_the_cut(read: Read) -> None:
    conversations, skipped = read("bad/truncated.json")
    assert [c.id for c in conversations] == ["102"]
    assert [(s.source, s.reason.split(" (")[0]) for s in skipped] == [
        (str(FIXTURES / "bad/truncated.json#2"), "invalid JSON after record 1")
    ]
    assert skipped[0].reason.endswith("rest of file not read")


def test_csv_missing_a_required_column(read: Read) -> None:
    conversations, skipped = read("bad/missing-column.csv")
    assert conversations == []
    assert [s.source for s in skipped] == [str(FIXTURES / "bad/missing-column.csv:1")]
    assert "missing required column 'sender'" in skipped[0].reason


def test_unknown_role_skips_the_message_only(read: Read) -> None:
    conversations, skipped = read("bad/unknown-role.jsonl")
    assert [(m.turn, m.role) for m in conversations[0].messages] == [(1, "customer"), (3, "agent")]
    assert [s.source for s in skipped] == [str(FIXTURES / "bad/unknown-role.jsonl:1 u-1 turn 2")]
    assert "unknown role 'wizard'" in skipped[0].reason


def test_empty_conversation(read: Read) -> None:
    conversations, skipped = read("bad/empty-conversation.jsonl")
    assert [c.id for c in conversations] == ["e-2"]
    assert [(s.source, s.reason) for s in skipped] == [
        (str(FIXTURES / "bad/empty-conversation.jsonl:1"), "conversation e-1: no usable messages")
    ]


def test_undecodable_byte_in_jsonl(read: Read) -> None:
    conversations, skipped = read("bad/bad-byte.jsonl")
    assert [c.id for c in conversations] == ["b-1", "b-3"]
    assert [s.source for s in skipped] == [str(FIXTURES / "bad/bad-byte.jsonl:2")]
    assert skipped[0].reason.startswith("not UTF-8")


@pytest.mark.parametrize(
    ("name", "content", "texts", "line"),
    [
        (
            "csv",
            b"conversation_id,sender,message\nc1,customer,Hi\nc1,agent,caf\xe9 \xff\nc1,agent,Ok\n",
            ["Hi", "Ok"],
            3,
        ),
        (
            "text",
            b"Customer: Hi\nAgent: caf\xe9 \xff\nAgent: We open at 9am.\n",
            ["Hi", "We open at 9am."],
            2,
        ),
    ],
)
def test_undecodable_byte_in_line_formats(
    name: str, content: bytes, texts: list[str], line: int, tmp_path: Path, read: Read
) -> None:
    path = tmp_path / f"export.{name}"
    path.write_bytes(content)
    conversations, skipped = read(path, format=name)
    assert [m.text for m in conversations[0].messages] == texts
    assert [(s.source, s.reason) for s in skipped] == [(f"{path}:{line}", "not UTF-8 text")]


def test_bad_line_in_a_vendor_jsonl_export(tmp_path: Path, read: Read) -> None:
    good = (FIXTURES / "intercom/conversations.jsonl").read_text().splitlines()
    path = tmp_path / "intercom.jsonl"
    path.write_text(
        "\n".join([good[0], '{"type": "conversation", "id": "7", "source":', good[1]]) + "\n"
    )
    conversations, skipped = read(path)
    assert [c.id for c in conversations] == ["101", "102"]
    assert [s.source for s in skipped] == [f"{path}:2"]
    assert skipped[0].reason.startswith("invalid JSON")


GARBAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4


@pytest.mark.parametrize("name", sorted(TRANSCRIPT_FORMATS))
def test_binary_garbage_is_an_input_error(name: str, tmp_path: Path, read: Read) -> None:
    path = tmp_path / "export.bin"
    path.write_bytes(GARBAGE)
    with pytest.raises(InputError) as caught:
        read(path, format=name)
    assert caught.value.path == str(path)
    assert "binary data" in caught.value.message()


def test_binary_garbage_with_auto_format_is_skipped(tmp_path: Path, read: Read) -> None:
    path = tmp_path / "export.bin"
    path.write_bytes(GARBAGE)
    conversations, skipped = read(path)
    assert conversations == []
    assert [(s.source, s.reason) for s in skipped] == [
        (str(path), "transcript format not recognised")
    ]


def test_text_where_json_is_expected_is_an_input_error(tmp_path: Path, read: Read) -> None:
    path = tmp_path / "export.json"
    path.write_text("Customer: hi\nAgent: hello\n")
    with pytest.raises(InputError, match="not JSON"):
        read(path, format="intercom")


@pytest.mark.parametrize("name", sorted(TRANSCRIPT_FORMATS))
def test_a_directory_is_an_input_error(name: str, tmp_path: Path, context: SourceContext) -> None:
    channel = ChatChannel(name="chat", kind="chat", paths=["x"], format=name)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="is a directory"):
        list(TRANSCRIPT_FORMATS[name](tmp_path, channel, context))


def test_permission_denied_is_an_input_error(
    tmp_path: Path, read: Read, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.jsonl"
    path.write_text(json.dumps({"id": "1", "messages": []}) + "\n")
    real_open = pathlib.Path.open

    def guarded(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    # tests run as root, where chmod 000 does not stop a read: fail the open itself
    monkeypatch.setattr(pathlib.Path, "open", guarded)
    with pytest.raises(InputError) as caught:
        read(path, format="generic")
    assert caught.value.message() == f"{path}: permission denied"


def test_missing_file_and_empty_glob_are_skipped(read: Read) -> None:
    conversations, skipped = read("nowhere.jsonl", "none/*.csv")
    assert conversations == []
    assert [(s.source, s.reason) for s in skipped] == [
        ("nowhere.jsonl", "file not found"),
        ("none/*.csv", "no file matches"),
    ]


@pytest.mark.parametrize("name", sorted(TRANSCRIPT_FORMATS))
def test_empty_file_is_skipped(name: str, tmp_path: Path, read: Read) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n")
    conversations, skipped = read(path, format=name)
    assert conversations == []
    assert [(s.source, s.reason) for s in skipped] == [(str(path), "empty file")]
