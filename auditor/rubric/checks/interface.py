"""What every check receives and returns.

A check is built once per criterion from its validated params. Scoring hands it every target the
criterion applies to: first all at once (`texts_to_embed`, then `prepare`), so that embeddings
are computed in one batch for the whole run, then one at a time (`evaluate`).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Generic, Literal, TypeVar

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

from auditor.model import Evidence, Finding, Message
from auditor.rubric.text import compile_pattern, normalize, phrase_regex

Level = Literal["answer", "conversation"]

# A phrase, exemplar or pattern in params: a blank one would match everything or nothing.
Phrase = Annotated[str, StringConstraints(pattern=r"\S")]


def _compiles(pattern: str) -> str:
    try:
        compile_pattern(pattern)
    except re.error as exc:
        raise PydanticCustomError(
            "bad_pattern",
            "invalid regular expression '{pattern}': {error}",
            {"pattern": pattern, "error": str(exc)},
        ) from None
    return pattern


# A regular expression in params, compiled at load time so that a bad one is a config error.
Pattern = Annotated[Phrase, AfterValidator(_compiles)]


class Params(BaseModel):
    """Base of every check's params: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(Params):
    """For checks that take no params: any key given is an unknown key."""


P = TypeVar("P", bound=Params)


@dataclass(frozen=True)
class Target:
    """What one criterion judges: one answer, or one whole conversation.

    `text` is what the brand said (the answer, or every agent and bot message joined);
    `customer_text` is what the customer said (the answer's question, or every customer message).
    """

    level: Level
    key: str  # the answer id or the conversation id
    text: str
    customer_text: str = ""
    answer_ids: frozenset[str] = frozenset()
    conversation_id: str | None = None
    messages: tuple[Message, ...] = ()  # the whole exchange, for conversation targets only


@dataclass(frozen=True)
class Outcome:
    passed: bool | None  # None: the check does not apply to this target
    detail: str = ""


class Embeddings:
    """Unit vectors for every text the run's checks asked for, embedded in one call."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray):
        self.index: dict[str, int] = {text: row for row, text in enumerate(texts)}
        self.matrix = vectors

    def of(self, texts: Iterable[str]) -> np.ndarray:
        return self.matrix[[self.index[text] for text in texts]]


_Named = tuple[str, str]  # (finding id, answer or conversation id)


@dataclass(frozen=True)
class Context:
    """The run's findings, indexed by the answers and conversations their evidence names."""

    by_answer: Mapping[str, tuple[Finding, ...]]
    by_conversation: Mapping[str, tuple[Finding, ...]]
    # (finding id, answer id) and (finding id, conversation id) -> that evidence of the finding:
    # a topic of thousands of answers is not scanned once per answer it names
    evidence_of_answer: Mapping[_Named, tuple[Evidence, ...]] = field(default_factory=dict)
    evidence_of_conversation: Mapping[_Named, tuple[Evidence, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, findings: Sequence[Finding]) -> Context:
        # dict keys keep each finding once per answer, in the order first seen
        by_answer: dict[str, dict[str, Finding]] = {}
        by_conversation: dict[str, dict[str, Finding]] = {}
        of_answer: dict[tuple[str, str], list[Evidence]] = {}
        of_conversation: dict[tuple[str, str], list[Evidence]] = {}
        for finding in findings:
            for evidence in finding.evidence:
                if evidence.answer_id is not None:
                    by_answer.setdefault(evidence.answer_id, {})[finding.id] = finding
                    of_answer.setdefault((finding.id, evidence.answer_id), []).append(evidence)
                if evidence.conversation is not None:
                    by_conversation.setdefault(evidence.conversation, {})[finding.id] = finding
                    key = (finding.id, evidence.conversation)
                    of_conversation.setdefault(key, []).append(evidence)
        return cls(
            by_answer={k: tuple(v.values()) for k, v in by_answer.items()},
            by_conversation={k: tuple(v.values()) for k, v in by_conversation.items()},
            evidence_of_answer={k: tuple(v) for k, v in of_answer.items()},
            evidence_of_conversation={k: tuple(v) for k, v in of_conversation.items()},
        )

    def evidence_on(self, finding: Finding, target: Target) -> list[Evidence]:
        """The finding's evidence on the target's answers (and, for a conversation, on any
        evidence naming it), in the finding's order."""
        found: dict[int, Evidence] = {}
        for answer_id in target.answer_ids:
            for evidence in self.evidence_of_answer.get((finding.id, answer_id), ()):
                found[id(evidence)] = evidence
        if target.level == "conversation" and target.conversation_id is not None:
            key = (finding.id, target.conversation_id)
            for evidence in self.evidence_of_conversation.get(key, ()):
                found[id(evidence)] = evidence
        if len(found) < 2:
            return list(found.values())
        order = {id(e): k for k, e in enumerate(finding.evidence)}
        return sorted(found.values(), key=lambda e: order[id(e)])

    def findings_on(self, target: Target) -> Sequence[Finding]:
        """Findings with evidence on this target, each once."""
        if target.level == "answer":
            return self.by_answer.get(target.key, ())
        found: dict[str, Finding] = {}
        for answer_id in sorted(target.answer_ids):
            for finding in self.by_answer.get(answer_id, ()):
                found.setdefault(finding.id, finding)
        if target.conversation_id is not None:
            for finding in self.by_conversation.get(target.conversation_id, ()):
                found.setdefault(finding.id, finding)
        return tuple(found.values())


class CustomerGate:
    """Lets a check apply only when the customer said one of some phrases (`only_if_customer_says`
    in its params): an apology or a next step is owed to a customer with a problem, not to one
    who asked the opening hours. With no phrases, the gate is open."""

    def __init__(self, phrases: Sequence[str]):
        self._pattern = phrase_regex(phrases)

    def closed(self, target: Target) -> Outcome | None:
        """None when the check applies; otherwise the N/A outcome to return."""
        if self._pattern is None or self._pattern.search(normalize(target.customer_text)):
            return None
        return Outcome(None, "the customer raised nothing that calls for it")


class Check(ABC, Generic[P]):
    """One kind of criterion. Subclasses set `params_model` and `summary`."""

    params_model: ClassVar[type[Params]] = NoParams
    summary: ClassVar[str] = ""
    # False: the outcome on an answer depends only on its words and its question, so scoring
    # judges each distinct answer once (agent macros repeat thousands of times)
    reads_findings: ClassVar[bool] = False

    def __init__(self, params: P):
        self.params = params

    def texts_to_embed(self, targets: Sequence[Target]) -> Iterable[str]:
        """Texts this check will need vectors for; scoring embeds all checks' texts at once."""
        return ()

    def prepare(self, embeddings: Embeddings) -> None:
        """Called once with the batch's vectors, before any `evaluate`, when texts were asked."""

    @abstractmethod
    def evaluate(self, target: Target, context: Context) -> Outcome: ...


def clip(text: str, limit: int = 80) -> str:
    """A sentence short enough for a result's detail line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
