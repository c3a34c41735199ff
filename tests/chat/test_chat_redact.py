"""PII redaction: what is replaced, what the brand keeps, and that nothing leaks into answers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import BRAND_EMAIL, BRAND_PHONE, Read
from test_chat_formats import DETECTED, ROUNDTRIP

from auditor.extract.transcript import answers_from_conversation
from auditor.model import Conversation, Message
from auditor.redact import Redactor, detect

CASES = [
    ("write to Jane.Doe+x@Example.com today", "write to <EMAIL_1> today"),
    ("call (415) 555-2671 or 415.555.2671", "call <PHONE_1> or <PHONE_1>"),
    ("ring +44 20 7946 0958 or 020 7946 0958", "ring <PHONE_1> or <PHONE_1>"),
    ("mobile 07700 900123, Paris +33 1 23 45 67 89", "mobile <PHONE_1>, Paris <PHONE_2>"),
    ("card 4111-1111-1111-1111 exp 12/27", "card <CARD> exp 12/27"),
    ("card 4111 1111 1111 1111 and 5500005555555559", "card <CARD> and <CARD>"),
    ("4111111111111111 12/27", "<CARD> 12/27"),
    ("IBAN GB82 WEST 1234 5698 7654 32 today", "IBAN <IBAN> today"),
    ("pay DE89370400440532013000.", "pay <IBAN>."),
    ("from 192.168.1.20 and 2001:db8::1", "from <IP> and <IP>"),
    ("ship to 221B Baker Street, London NW1 6XE", "ship to <ADDRESS_1>, London <ADDRESS_2>"),
    ("12 Elm St., Springfield, OR 97477-1234", "<ADDRESS_1>, Springfield, <ADDRESS_2>"),
    ("ends ▇▇▇▇ ok", "ends <REDACTED> ok"),
]
KEPT = [
    "Returns within 30 days; call 9am-5pm; costs $12.50; 15% off; 2 years.",
    "We answer at 10:02:00 on 2026-10-01 about order 1234567.",
    "Not a card: 1234 5678 9012 3456 fails the Luhn check.",
    "Not an IBAN: GB00 WEST 1234 5698 7654 32.",
    "Version 1.2.3.4.5 and 10:30:15 are not addresses.",
    "The brand: (800) 555-0142, 1-800-555-0142, +1 800 555 0142, support@northwind.example.",
    "Other brand mailboxes stay: returns@northwind.example, billing@eu.northwind.example.",
]


@pytest.fixture
def redactor() -> Redactor:
    return Redactor([BRAND_PHONE], [BRAND_EMAIL])


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_pii_is_replaced(text: str, expected: str, redactor: Redactor) -> None:
    assert redactor.text(text) == expected


@pytest.mark.parametrize("text", KEPT)
def test_values_and_brand_contacts_are_kept(text: str, redactor: Redactor) -> None:
    assert redactor.text(text) == text


def test_free_mail_domain_of_a_brand_address_does_not_keep_customers() -> None:
    redactor = Redactor([], ["northwind.help@gmail.com"])
    text = "northwind.help@gmail.com or jane@gmail.com"
    assert redactor.text(text) == "northwind.help@gmail.com or <EMAIL_1>"


def _conversation(*turns: tuple[str, str], conv_id: str = "c") -> Conversation:
    messages = tuple(Message(role, text, i) for i, (role, text) in enumerate(turns, start=1))  # type: ignore[arg-type]
    return Conversation(id=conv_id, source="x.jsonl", messages=messages)


def test_placeholders_are_consistent_within_a_conversation(redactor: Redactor) -> None:
    conversation = _conversation(
        ("customer", "I'm Jane. Mail jane@x.org or JANE@X.ORG, or bob@y.org."),
        ("agent", "Thanks, Jane! I wrote to jane@x.org; your card 4111 1111 1111 1111 is safe."),
        ("customer", "My husband Bob Ray (bob@y.org) may call from 415-555-2671."),
    )
    redacted = redactor.conversation(conversation, names=["Bob Ray"])
    assert [m.text for m in redacted.messages] == [
        "I'm <NAME_1>. Mail <EMAIL_1> or <EMAIL_1>, or <EMAIL_2>.",
        "Thanks, <NAME_1>! I wrote to <EMAIL_1>; your card <CARD> is safe.",
        "My husband <NAME_2> (<EMAIL_2>) may call from <PHONE_1>.",
    ]
    again = redactor.conversation(_conversation(("customer", "bob@y.org")))
    assert again.messages[0].text == "<EMAIL_1>"  # numbering starts anew per conversation


def test_names_from_metadata_introductions_and_greetings(redactor: Redactor) -> None:
    conversation = _conversation(
        ("customer", "Hello, my name is Rosa Diaz and I will wait."),
        ("agent", "Hi Rosa, I'm Sam. Will you need a label?"),
        ("customer", "Yes. This is Mr Diaz's order, call me Rosie."),
        ("agent", "Good morning Lena, thanks Rosie!"),
    )
    redacted = redactor.conversation(conversation, names=["Lena Ortiz", "Visitor 48213"])
    assert [m.text for m in redacted.messages] == [
        "Hello, my name is <NAME_1> and I will wait.",
        "Hi <NAME_1>, I'm Sam. Will you need a label?",  # the agent's own name is not PII
        "Yes. This is Mr <NAME_1>'s order, call me <NAME_2>.",
        "Good morning <NAME_3>, thanks <NAME_2>!",
    ]


def test_customer_contact_read_back_at_the_brand_domain_is_redacted() -> None:
    redactor = Redactor([], [BRAND_EMAIL])
    conversation = _conversation(("agent", "I've noted ana@northwind.example as your address."))
    plain = redactor.conversation(conversation)
    assert plain.messages[0].text == conversation.messages[0].text  # brand domain: kept
    known = redactor.conversation(conversation, contacts=["ana@northwind.example"])
    assert known.messages[0].text == "I've noted <EMAIL_1> as your address."


def test_configured_brand_details_win_over_customer_metadata(redactor: Redactor) -> None:
    conversation = _conversation(
        ("customer", "I called 1-800-555-0142 and wrote support@northwind.example")
    )
    redacted = redactor.conversation(conversation, contacts=["support@northwind.example"])
    assert redacted.messages[0].text == conversation.messages[0].text


def _chat(conv_id: str, agent: str, customer: str = "Hi") -> str:
    messages = [{"role": "customer", "text": customer}, {"role": "agent", "text": agent}]
    return json.dumps({"id": conv_id, "messages": messages})


MACRO = "Call our returns desk on 415-555-0100 or write to returns@northwind-returns.example."


def test_agent_macros_are_learned_as_brand_contacts(tmp_path: Path, read: Read) -> None:
    lines = [_chat(f"m{i}", MACRO) for i in range(3)]
    lines.append(
        _chat("r1", "Got it: I will write to dana@example.com.", "Write to dana@example.com")
    )
    lines += [_chat(f"r{i}", "We'll reply to dana@example.com within a day.") for i in range(2, 5)]
    lines += [_chat(f"t{i}", "A manager will call 415-555-0199 back.") for i in range(2)]
    path = tmp_path / "macros.jsonl"
    path.write_text("\n".join(lines) + "\n")
    conversations, _ = read(path)
    texts = {c.id: c.messages[1].text for c in conversations}
    assert texts["m2"] == MACRO  # said by agents in 3 conversations: the brand's
    assert texts["r3"] == "We'll reply to <EMAIL_1> within a day."  # a customer wrote it once
    assert texts["t1"] == "A manager will call <PHONE_1> back."  # 2 conversations: not enough


def test_macro_rule_needs_three_conversations_of_the_whole_channel(
    tmp_path: Path, read: Read
) -> None:
    for index in range(3):
        (tmp_path / f"day{index}.jsonl").write_text(_chat(f"d{index}", MACRO) + "\n")
    conversations, _ = read(str(tmp_path / "day*.jsonl"))
    assert [c.messages[1].text for c in conversations] == [MACRO] * 3


@pytest.mark.parametrize("relative", sorted(ROUNDTRIP.values()))
def test_no_customer_pii_reaches_an_answer(relative: str, read: Read) -> None:
    conversations, _ = read(relative)
    answers = [a for c in conversations for a in answers_from_conversation(c, "chat")]
    texts = "\n".join(a.text + "\n" + (a.question or "") for a in answers)
    for secret in ("jane.doe@example.com", "555-2671", "4111", "Jane", "Doe"):
        assert secret not in texts
    assert "1-800-555-0142" in texts  # the brand's own support number survives


@pytest.mark.parametrize("relative", sorted(DETECTED))
def test_no_metadata_contact_survives_anywhere(relative: str, read: Read) -> None:
    conversations, skipped = read(relative)
    dump = repr(conversations) + repr(skipped)
    for secret in ("jane.doe@", "tom.baker@", "mia.wong@", "omar@", "7946 0958", "Priya", "Rosa"):
        assert secret not in dump


def test_redaction_speed(redactor: Redactor) -> None:
    """Redaction runs on every message of a night's chats: keep it well above 5k messages/s."""
    texts = [
        f"Order {n}: returns are free within 30 days, call 1-800-555-0142 or mail c{n}@example.com."
        if n % 5 == 0
        else f"Thanks for waiting, your order {n} ships in 3 business days."
        for n in range(3000)
    ]
    detect.cache_clear()
    start = time.perf_counter()
    for text in texts:
        redactor.text(text)
    rate = len(texts) / (time.perf_counter() - start)
    assert rate > 5000, f"{rate:.0f} messages/s"
