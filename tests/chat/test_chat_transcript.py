"""Conversations -> answers: exchanges, what is never an answer, and agents' corrections."""

from __future__ import annotations

import pytest
from conftest import Read

from auditor.extract.transcript import answers_from_conversation, apply_corrections, is_correction
from auditor.model import Conversation, Message


def _conversation(*turns: tuple[str, str]) -> Conversation:
    messages = tuple(Message(role, text, i) for i, (role, text) in enumerate(turns, start=1))  # type: ignore[arg-type]
    return Conversation(id="c-9", source="chats.jsonl", messages=messages, segment="member")


def test_answers_know_the_questions_they_answer() -> None:
    conversation = _conversation(
        ("system", "Chat started by visitor"),
        ("customer", "Hi."),
        ("customer", "Do you ship to Canada?"),
        ("bot", "Yes, in 5-7 business days."),
        ("agent", "Duties are included."),
        ("customer", "And returns?"),
        ("agent", "Returns are free within 30 days."),
        ("agent", "<REDACTED>"),
    )
    answers = answers_from_conversation(conversation, "chat")
    assert [(a.locator, a.kind, a.text, a.question) for a in answers] == [
        ("c-9 turn 4", "bot", "Yes, in 5-7 business days.", "Hi. Do you ship to Canada?"),
        ("c-9 turn 5", "agent", "Duties are included.", "Hi. Do you ship to Canada?"),
        ("c-9 turn 7", "agent", "Returns are free within 30 days.", "And returns?"),
    ]
    assert {a.segment for a in answers} == {"member"}
    assert {a.conversation for a in answers} == {"c-9"}
    assert len({a.id for a in answers}) == 3


def test_customer_text_is_never_an_answer() -> None:
    conversation = _conversation(("customer", "You have 14 days, right?"), ("system", "Closed"))
    assert answers_from_conversation(conversation, "chat") == []


SLIP = "You have 14 days from delivery to return it. Refunds take 5 days to process."
# earlier brand messages, the correction, what the earlier ones keep
CORRECTIONS = [
    (
        [SLIP],
        "Sorry, I misspoke: you have 30 days to return it.",
        ["Refunds take 5 days to process."],
    ),
    ([SLIP], "My mistake, it's 30 days, not 14.", ["Refunds take 5 days to process."]),
    (["Our return window is 14 days."], "Correction: it is 30 days.", []),
    (
        ["Sale items are refundable within 14 days. Gift cards never expire."],
        "Let me correct that: sale items are not refundable.",
        ["Gift cards never expire."],
    ),
    (
        ["Shipping takes 3 days.", "Returns take 14 days. Shipping is free over $50."],
        "I was wrong, returns take 30 days.",
        ["Shipping takes 3 days.", "Shipping is free over $50."],
    ),
    (
        ["We are open until 6pm. Returns take 14 days."],
        "Sorry, my mistake earlier!",
        ["We are open until 6pm. Returns take 14 days."],
    ),
    (
        ["Returns take 14 days."],
        "Sorry, I misspoke about delivery: standard delivery takes 3 business days.",
        ["Returns take 14 days."],
    ),
]


@pytest.mark.parametrize(("earlier", "correction", "kept"), CORRECTIONS)
def test_a_correction_replaces_the_statement_it_corrects(
    earlier: list[str], correction: str, kept: list[str]
) -> None:
    assert is_correction(correction)
    texts = apply_corrections([*earlier, correction])
    assert texts[-1] == correction
    assert [t for t in texts[:-1] if t] == kept


def test_without_a_correction_nothing_changes() -> None:
    texts = [SLIP, "Actually, refunds can take up to 10 days with some banks."]
    assert not is_correction(texts[1])
    assert apply_corrections(texts) == texts


def test_corrected_slip_does_not_count_as_an_answer(read: Read) -> None:
    conversations, _ = read("roundtrip/generic.jsonl")
    answers = answers_from_conversation(conversations[0], "chat")
    assert [a.locator for a in answers] == ["42 turn 4", "42 turn 6"]
    assert all("14 days" not in a.text for a in answers)
    assert answers[0].text.startswith("Sorry, I misspoke: you have 30 days to return it.")


def test_correction_keeps_the_rest_of_the_earlier_answer() -> None:
    conversation = _conversation(
        ("customer", "How long for returns and refunds?"),
        ("agent", SLIP),
        ("customer", "Great"),
        ("agent", "Sorry, I misspoke: you have 30 days to return it."),
    )
    answers = answers_from_conversation(conversation, "chat")
    assert [(a.locator, a.text) for a in answers] == [
        ("c-9 turn 2", "Refunds take 5 days to process."),
        ("c-9 turn 4", "Sorry, I misspoke: you have 30 days to return it."),
    ]
