"""Every transcript format: registry, auto-detection, round trip, and per-vendor tables."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import FIXTURES, Read

from auditor.config import TRANSCRIPT_FORMAT_NAMES
from auditor.model import Conversation, Message
from auditor.sources.chat import SNIFFERS, TRANSCRIPT_FORMATS, detect_format

ROUNDTRIP = {
    "generic": "roundtrip/generic.jsonl",
    "csv": "roundtrip/csv.csv",
    "text": "roundtrip/text.txt",
    "intercom": "roundtrip/intercom.json",
    "zendesk": "roundtrip/zendesk.json",
    "zendesk-chat": "roundtrip/zendesk-chat.json",
}

DETECTED = {
    **{path: name for name, path in ROUNDTRIP.items()},
    "intercom/conversations.jsonl": "intercom",
    "zendesk/export.jsonl": "zendesk",
    "zendesk/tickets.json": "zendesk",
    "zendesk-chat/chats.json": "zendesk-chat",
    "zendesk-chat/messaging.jsonl": "zendesk-chat",
    "csv/helpdesk.csv": "csv",
    "csv/plain.csv": "csv",
    "text/support-log.txt": "text",
    "generic/mixed.jsonl": "generic",
    "bad/truncated.json": "intercom",
    "bad/bad-byte.jsonl": "generic",
    "bad/empty-conversation.jsonl": "generic",
    "bad/unknown-role.jsonl": "generic",
    "bad/missing-column.csv": "csv",
}

# The dialogue every round-trip fixture holds, as it reads after redaction.
EXPECTED = Conversation(
    id="42",
    source="",
    started_at="2026-10-01T10:02:00Z",
    agent="17",
    segment="member",
    messages=tuple(
        Message(
            role, text, turn, f"2026-10-01T10:0{turn + 1}:00Z", "17" if role == "agent" else None
        )
        for turn, (role, text) in enumerate(
            [
                ("customer", "Hi, I'm <NAME_1>. How long do I have to send back my jacket?"),
                ("agent", "Hi <NAME_1>, you have 14 days from delivery to return it."),
                (
                    "customer",
                    "My e-mail is <EMAIL_1> and my phone is <PHONE_1>. Can you send me a label?",
                ),
                (
                    "agent",
                    "Sorry, I misspoke: you have 30 days to return it.\nI've sent the label to "
                    "<EMAIL_1>. Call us at 1-800-555-0142 if anything is missing.",
                ),
                ("customer", "Thanks! My card is <CARD> if you need it."),
                (
                    "agent",
                    "Please never share card details in chat. Anything else I can help with?",
                ),
            ],
            start=1,
        )
    ),
)


def _bare(conversation: Conversation) -> Conversation:
    return dataclasses.replace(conversation, source="", line=None)


def test_registries_cover_every_config_format() -> None:
    names = set(TRANSCRIPT_FORMAT_NAMES) - {"auto"}
    assert set(TRANSCRIPT_FORMATS) == names
    assert set(SNIFFERS) == names


def test_every_fixture_has_an_expected_format() -> None:
    files = {p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file()}
    assert files == set(DETECTED)


@pytest.mark.parametrize("relative", sorted(DETECTED))
def test_auto_detection_picks_the_format(relative: str) -> None:
    assert detect_format(FIXTURES / relative) == DETECTED[relative]


@pytest.mark.parametrize("name", sorted(ROUNDTRIP))
def test_the_same_dialogue_reads_the_same_in_every_format(name: str, read: Read) -> None:
    for fmt in ("auto", name):
        conversations, skipped = read(ROUNDTRIP[name], format=fmt)
        assert skipped == []
        assert [_bare(c) for c in conversations] == [EXPECTED]
        assert conversations[0].source == str(FIXTURES / ROUNDTRIP[name])


def _summary(conversation: Conversation) -> tuple:
    return (
        conversation.id,
        conversation.started_at,
        conversation.agent,
        conversation.segment,
        [" ".join(filter(None, (str(m.turn), m.role, m.author))) for m in conversation.messages],
    )


# file, channel settings, conversations (id, started, agent, segment, ["turn role author"]),
# skipped (source suffix, reason fragment)
CASES = [
    (
        "intercom/conversations.jsonl",
        {},
        [
            (
                "101", "2026-10-02T09:00:00Z", "23", "vip",
                ["1 customer", "2 bot 900", "3 customer", "4 agent 23"],
            ),
            (
                "102", "2026-10-02T10:00:00Z", "23", "member",
                ["1 agent 23", "2 customer", "3 bot 23"],
            ),
            ("103", "2026-10-02T11:00:00Z", "23", None, ["1 customer", "2 agent 23"]),
        ],
        [(":3 103 part 9", "unknown author type 'robot'")],
    ),
    (
        "zendesk/export.jsonl",
        {"segment_field": "360099"},
        [
            (
                "501", "2026-10-03T08:00:00Z", "31", "business",
                ["1 customer", "2 system", "3 agent 31"],
            ),
        ],
        [(":2", "ticket 502: no public comments")],
    ),
    (
        "zendesk/tickets.json",
        {},
        [("601", "2026-10-04T12:00:00Z", "32", "member", ["1 customer", "2 agent 32"])],
        [("#1 ticket 601 comment 12", "unknown author role 'robot'")],
    ),
    (
        "zendesk-chat/chats.json",
        {},
        [
            (
                "2610.1.A", "2026-10-05T14:00:00Z", "44", None,
                ["1 bot", "2 customer", "3 agent 44"],
            ),
        ],
        [("#1 2610.1.A history 4", "unknown sender 'supervisor'"), ("#2", "no messages")],
    ),
    (
        "zendesk-chat/messaging.jsonl",
        {},
        [
            (
                "65f0c0ffee", "2026-10-06T08:00:00Z", "Leo", "member",
                ["1 customer", "2 bot Northwind AI", "3 agent Leo"],
            ),
        ],
        [(":2", "no messages"), (":2 65f0c0ffef message 0", "unknown author type 'martian'")],
    ),
    (
        "csv/helpdesk.csv",
        {
            "columns": {
                "conversation_id": "Ticket", "timestamp": "Sent", "sender": "Author Type",
                "message": "Body", "agent": "Agent Name", "segment": "Plan",
            }
        },
        [
            (
                "T-2", "2026-10-07T09:00:10Z", None, None,
                ["1 customer", "2 bot", "3 customer"],
            ),
            (
                "T-1", "2026-10-07T09:00:00Z", "maya", "outlet",
                ["1 customer", "2 agent maya", "4 system"],
            ),
        ],
        [(":9", "T-3: no messages"), (":7", "conversation T-1: unknown sender 'Manager'")],
    ),
    (
        "csv/plain.csv",
        {},
        [
            (
                "c-1", "2026-10-08T10:00:00Z", None, None,
                ["1 customer", "2 bot", "3 customer", "4 agent"],
            ),
        ],
        [],
    ),
    (
        "text/support-log.txt",
        {"speakers": {"Northwind Bot": "bot"}},
        [
            (
                "7001", "2026-10-09T08:00:00Z", "a-3", "wholesale",
                ["1 customer", "2 agent a-3", "3 customer"],
            ),
            ("7002", "08:10", None, None, ["1 customer", "2 bot", "3 agent"]),
            ("support-log-3", None, None, None, ["1 customer", "2 agent"]),
        ],
        [(":13", "unknown speaker 'Supervisor'"), (":19", "conversation 7004: no messages")],
    ),
    (
        "generic/mixed.jsonl",
        {},
        [
            (
                "g-1", "2026-10-10T05:00:00Z", "a-9", "member",
                ["1 system", "2 customer", "3 bot", "4 agent a-9"],
            ),
            ("2", None, None, None, ["1 customer", "2 agent"]),
        ],
        [],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("relative", "settings", "expected", "skips"), CASES, ids=[c[0] for c in CASES]
)
def test_vendor_shapes(
    relative: str, settings: dict, expected: list, skips: list, read: Read
) -> None:
    conversations, skipped = read(relative, **settings)
    assert [_summary(c) for c in conversations] == [tuple(e) for e in expected]
    assert len(skipped) == len(skips)
    for item, (suffix, reason) in zip(skipped, skips, strict=True):
        assert item.source == str(FIXTURES / relative) + suffix
        assert reason in item.reason


def test_vendor_text_is_plain_text(read: Read) -> None:
    """HTML bodies keep paragraph and list breaks as newlines; entities are decoded."""
    (first, second, _), _ = read("intercom/conversations.jsonl")
    assert first.messages[1].text == (
        "Yes! We ship to Canada in 5\u20137 business days.\nDuties included\nFree over $100"
    )
    assert first.messages[2].text == "<REDACTED>"  # Intercom's own redaction, kept redacted
    assert "note" not in " ".join(m.text for m in first.messages).lower()  # internal note
    assert second.messages[0].text == "Your order has shipped. Reply here with any questions."
    (ticket,), _ = read("zendesk/export.jsonl")
    assert (
        ticket.messages[2].text == "Hi <NAME_1>,\nRefunds reach your card within 5 business days."
    )
    assert "finance" not in " ".join(m.text for m in ticket.messages)  # public: false
    assert ticket.messages[0].text.startswith("I was charged twice. My card ends <REDACTED>")


def test_text_log_continuations_and_whitespace(read: Read) -> None:
    conversations, _ = read("text/support-log.txt", speakers={"Northwind Bot": "bot"})
    assert conversations[0].messages[1].text == (
        "Wholesale orders over $500 ship free.\nNote: the threshold is before tax."
    )
    generic, _ = read("generic/mixed.jsonl")
    assert generic[0].messages[3].text == "Yes \u2014 free over $50."


def test_csv_row_arriving_after_its_conversation_closed_is_skipped(
    tmp_path: Path, read: Read, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.sources.chat import csvfile

    monkeypatch.setattr(csvfile, "WINDOW", 3)
    rows = ["conversation_id,sender,message", "a,customer,Hi", "b,customer,Hello"]
    rows += [f"x{i},customer,filler {i}" for i in range(4)]
    rows += ["b,agent,We open at 9am.", "a,agent,We close at 6pm."]
    path = tmp_path / "late.csv"
    path.write_text("\n".join(rows) + "\n")
    conversations, skipped = read(path)
    by_id = {c.id: [m.text for m in c.messages] for c in conversations}
    assert by_id["a"] == ["Hi"]
    assert by_id["b"] == ["Hello"]
    assert [s.source for s in skipped] == [f"{path}:8", f"{path}:9"]
    assert all("sort the export by conversation" in s.reason for s in skipped)


def test_every_json_layout_reads_the_same(tmp_path: Path, read: Read) -> None:
    """JSON Lines, an array, a wrapper object (pretty or minified) and a lone object."""
    records = [
        json.loads(line)
        for line in (FIXTURES / "intercom/conversations.jsonl").read_text().splitlines()
    ]
    layouts = {
        "lines.jsonl": "\n".join(json.dumps(r) for r in records) + "\n",
        "array.json": json.dumps(records, indent=2),
        "wrapper.json": json.dumps(
            {"type": "conversation.list", "conversations": records}, indent=2
        ),
        "minified.json": json.dumps({"pages": {"page": 1}, "conversations": records}),
    }
    expected, _ = read("intercom/conversations.jsonl")
    for name, content in layouts.items():
        (tmp_path / name).write_text(content)
        conversations, skipped = read(tmp_path / name)
        assert [_bare(c) for c in conversations] == [_bare(c) for c in expected], name
        assert len(skipped) == 1, name  # the unknown author of conversation 103
    (tmp_path / "one.json").write_text(json.dumps(records[1], indent=2))
    conversations, skipped = read(tmp_path / "one.json")
    assert [_bare(c) for c in conversations] == [_bare(expected[1])]


def test_zendesk_users_listed_after_the_tickets_still_decide_roles(
    tmp_path: Path, read: Read
) -> None:
    data = json.loads((FIXTURES / "zendesk/tickets.json").read_text())
    path = tmp_path / "minified.json"
    path.write_text(json.dumps({"tickets": data["tickets"], "users": data["users"]}))
    conversations, skipped = read(path)
    assert [_summary(c) for c in conversations] == [
        ("601", "2026-10-04T12:00:00Z", "32", "member", ["1 customer", "2 agent 32"])
    ]
    assert ["unknown author role 'robot'" in s.reason for s in skipped] == [True]


def test_public_names_exist() -> None:
    import auditor.sources.chat as chat

    assert all(hasattr(chat, name) for name in chat.__all__)


@pytest.mark.parametrize(
    "settings",
    [{"columns": {"body": "Body"}}, {"speakers": {"Sam": "manager"}}],
)
def test_channel_settings_are_checked_when_the_config_loads(settings: dict) -> None:
    from pydantic import ValidationError

    from auditor.config import ChatChannel

    with pytest.raises(ValidationError):
        ChatChannel(name="chat", kind="chat", paths=["x"], **settings)
