"""`escalation_offered`: when the customer needs more than this reply (they are upset, ask for a
manager or a human, dispute a charge), the brand offers a way up: a handoff, a specialist, a
ticket or a follow-up.

It does not apply when nothing needed escalating, so a calm exchange neither passes nor fails it.
On a conversation it sees the whole exchange: an offer must come after the customer's first
sign of need. On an answer it reads the customer turns the answer replies to and the answer.
"""

from __future__ import annotations

import re

from pydantic import Field

from auditor.model import BRAND_ROLES
from auditor.rubric.checks.interface import Check, Context, Outcome, Params, Phrase, Target
from auditor.rubric.text import normalize, phrase_regex, sentences

NEED_PHRASES = (
    "manager", "supervisor", "someone in charge", "someone else", "a human", "real person",
    "escalate", "complaint", "complain", "unacceptable", "not acceptable", "ridiculous",
    "frustrated", "frustrating", "annoyed", "angry", "furious", "upset", "disappointed",
    "terrible", "awful", "worst", "useless", "not happy", "unhappy", "fed up", "had enough",
    "dispute", "chargeback", "charge back", "file a claim", "my bank", "lawyer",
    "still not fixed", "still not resolved", "still waiting",
)  # fmt: skip
OFFER_PHRASES = (
    "escalate", "escalated", "escalating", "supervisor", "manager", "team lead", "specialist",
    "senior agent", "senior colleague", "transfer you", "transferring you", "hand you over",
    "handing you over", "connect you", "connecting you", "put you through", "pass this on",
    "passed this on", "pass this to", "passed this to", "raise this", "raised this",
    "open a ticket", "opened a ticket", "open a case", "opened a case", "created a ticket",
    "follow up", "follow-up", "get back to you", "reach out to you", "contact you",
    "call you back", "callback", "a colleague", "claims team", "disputes team", "billing team",
)  # fmt: skip
# An offer inside a refusal is no offer: "I can't transfer you to a manager".
_REFUSAL = re.compile(
    r"\b(?:can't|cannot|can not|unable|not able|won't|will not|no way|not possible|isn't possible"
    r"|don't have|do not have)\b",
    re.IGNORECASE,
)


class EscalationOfferedParams(Params):
    need_phrases: tuple[Phrase, ...] = Field(NEED_PHRASES, min_length=1)
    offer_phrases: tuple[Phrase, ...] = Field(OFFER_PHRASES, min_length=1)


class EscalationOffered(Check[EscalationOfferedParams]):
    params_model = EscalationOfferedParams
    summary = "offers escalation or follow-up when the customer needs it (N/A otherwise)"

    def __init__(self, params: EscalationOfferedParams):
        super().__init__(params)
        need, offer = phrase_regex(params.need_phrases), phrase_regex(params.offer_phrases)
        assert need is not None and offer is not None  # both lists hold non-blank phrases
        self._need, self._offer = need, offer

    def _needs(self, text: str) -> str | None:
        match = self._need.search(normalize(text))
        return match.group(0) if match else None

    def _offers(self, text: str) -> str | None:
        for sentence in sentences(normalize(text)):
            match = self._offer.search(sentence)
            if match and not _REFUSAL.search(sentence, 0, match.start()):
                return match.group(0)
        return None

    def evaluate(self, target: Target, context: Context) -> Outcome:
        if target.messages:
            return self._conversation(target)
        need = self._needs(target.customer_text)
        if need is None:
            return Outcome(None, "nothing to escalate")
        offer = self._offers(target.text)
        if offer is None:
            return Outcome(False, f"customer said '{need}'; no escalation offered")
        return Outcome(True, f"customer said '{need}'; offered '{offer}'")

    def _conversation(self, target: Target) -> Outcome:
        messages = sorted(target.messages, key=lambda m: m.turn)
        need_turn, need = None, None
        for message in messages:
            if message.role == "customer":
                need = self._needs(message.text)
                if need is not None:
                    need_turn = message.turn
                    break
        if need_turn is None:
            return Outcome(None, "nothing to escalate")
        for message in messages:
            if message.role in BRAND_ROLES and message.turn > need_turn:
                offer = self._offers(message.text)
                if offer is not None:
                    return Outcome(
                        True, f"turn {need_turn}: '{need}'; turn {message.turn}: '{offer}'"
                    )
        return Outcome(False, f"turn {need_turn}: '{need}'; no escalation offered after it")
