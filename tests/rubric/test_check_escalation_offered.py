"""`escalation_offered`: N/A without a need; otherwise an offer must follow the need."""

from __future__ import annotations

import pytest

C, A, B = "customer", "agent", "bot"

CONVERSATIONS = [
    ("calm exchange: nothing to escalate", [(C, "When do you open?"), (A, "At 9am.")], None),
    (
        "asks for a manager, gets a handoff",
        [(C, "I want to speak to a manager."), (A, "Of course, I'll transfer you now.")],
        True,
    ),
    (
        "upset, offered a follow-up",
        [(C, "This is ridiculous, third time!"), (A, "A colleague will follow up by email.")],
        True,
    ),
    (
        "disputes a charge, gets only policy",
        [(C, "I will file a chargeback."), (A, "Refunds take 5 days."), (C, "Fine.")],
        False,
    ),
    (
        "refusal is no offer",
        [(C, "Get me a supervisor."), (A, "I can't transfer you to a supervisor.")],
        False,
    ),
    (
        "offer before the need does not count",
        [(A, "I'll transfer you if needed."), (C, "This is unacceptable."), (A, "Okay.")],
        False,
    ),
    (
        "a bot handing over counts",
        [(C, "I want a real person."), (B, "Connecting you with an agent now.")],
        True,
    ),
    (
        "the customer's own words are not an offer",
        [(C, "I'm frustrated, please escalate this."), (A, "Noted.")],
        False,
    ),
]


@pytest.mark.parametrize(
    ("case", "turns", "expected"), CONVERSATIONS, ids=[c[0] for c in CONVERSATIONS]
)
def test_conversation_level(run_check, case, turns, expected):
    assert run_check("escalation_offered", {}, turns=turns).passed is expected


ANSWERS = [
    ("When do you open?", "At 9am.", None),
    (None, "At 9am.", None),  # no customer turn known: nothing to judge
    ("I am so disappointed.", "I'm sorry! I've raised this with our claims team.", True),
    ("I am so disappointed.", "Returns take 30 days.", False),
]


@pytest.mark.parametrize(("question", "text", "expected"), ANSWERS)
def test_answer_level(run_check, question, text, expected):
    assert run_check("escalation_offered", {}, question=question, text=text).passed is expected


def test_custom_phrases(run_check):
    params = {"need_phrases": ["cancel"], "offer_phrases": ["retention team"]}
    turns = [(C, "I want to cancel."), (A, "Let me bring in our retention team.")]
    assert run_check("escalation_offered", params, turns=turns).passed is True
