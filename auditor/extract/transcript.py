"""Transcripts -> answers: every agent or bot message is one answer, with the customer turns
before it as the question it answers. Customer and system text is never a brand answer."""

from __future__ import annotations

from auditor.model import BRAND_ROLES, Answer, Conversation, make_answer_id


def answers_from_conversation(conversation: Conversation, channel: str) -> list[Answer]:
    answers: list[Answer] = []
    question: list[str] = []
    replied = False  # a brand reply since the customer last spoke: the next turn starts anew
    for message in conversation.messages:
        if message.role == "customer":
            if replied:
                question, replied = [], False
            question.append(message.text)
            continue
        if message.role not in BRAND_ROLES or not message.text.strip():
            continue
        locator = f"{conversation.id} turn {message.turn}"
        answers.append(
            Answer(
                id=make_answer_id(channel, conversation.source, locator),
                channel=channel,
                source=conversation.source,
                locator=locator,
                text=message.text,
                question=" ".join(question) or None,
                kind="bot" if message.role == "bot" else "agent",
                conversation=conversation.id,
                segment=conversation.segment,
                updated_at=message.timestamp or conversation.started_at,
            )
        )
        replied = True
    return answers
