"""Plain data shared by every stage of the pipeline (DESIGN.md, "Pipeline").

Frozen dataclasses only, standard library only: each stage takes and returns these, so a stage
can be run, tested and timed alone. Nothing here knows how it is produced or rendered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["customer", "agent", "bot", "system"]
ROLES: tuple[str, ...] = ("customer", "agent", "bot", "system")
BRAND_ROLES: frozenset[str] = frozenset({"agent", "bot"})

FindingKind = Literal["contradiction", "promise_breach", "coverage_gap", "stale"]
Severity = Literal["critical", "major", "minor", "info"]
SEVERITIES: tuple[str, ...] = ("critical", "major", "minor", "info")


def make_answer_id(channel: str, source: str, locator: str) -> str:
    """A stable id for an answer: the same place in the same source keeps its id across runs."""
    digest = hashlib.sha1(f"{channel}\x1f{source}\x1f{locator}".encode()).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Skipped:
    """An input that could not be used, and why. Nothing is dropped silently."""

    source: str  # file path, URL, or "path:line" / "path#record"
    reason: str


@dataclass(frozen=True)
class Document:
    """One fetched or read page or file, before extraction.

    `body` is the decoded text (HTML or Markdown); `content_type` says which.
    """

    channel: str
    source: str  # URL or path as the user knows it
    content_type: str  # "text/html" | "text/markdown" | "text/plain"
    body: str
    title: str | None = None
    updated_at: str | None = None  # ISO 8601 when known (Last-Modified, updated_at)
    path: str | None = None  # local file path when the document is a file (for SARIF lines)


@dataclass(frozen=True)
class Message:
    role: Role
    text: str
    turn: int  # 1-based position in the conversation
    timestamp: str | None = None
    author: str | None = None  # agent id or vendor author id, when known


@dataclass(frozen=True)
class Conversation:
    """One chat transcript in the generic shape (DESIGN.md, "Transcripts")."""

    id: str
    source: str  # the export file it came from
    messages: tuple[Message, ...]
    started_at: str | None = None
    agent: str | None = None
    segment: str | None = None
    line: int | None = None  # line or record number in the export


@dataclass(frozen=True)
class Answer:
    """One thing the brand told a customer: an FAQ answer, a page section, an agent reply."""

    id: str  # stable: hash of channel, source and locator
    channel: str
    source: str  # URL, file path, or export file
    locator: str  # "section: Returns", "Q: How long ...", "c-0042 turn 2"
    text: str
    question: str | None = None  # the FAQ question or the customer's turn(s) it answers
    kind: Literal["page", "faq", "section", "agent", "bot", "promise"] = "section"
    conversation: str | None = None  # conversation id for chat answers
    segment: str | None = None  # conversation segment ("member"), a scope for every fact
    line: int | None = None  # 1-based line in the source file, when it is a local file
    updated_at: str | None = None
    # (offset in `text`, 1-based line in the file) for each block, so a sentence maps to its line
    line_map: tuple[tuple[int, int], ...] = ()

    def line_at(self, offset: int) -> int | None:
        """The source line holding the character at `offset` of `text`, when known."""
        line = self.line
        for start, block_line in self.line_map:
            if start > offset:
                break
            line = block_line
        return line


@dataclass(frozen=True)
class Scope:
    """Qualifiers that limit who or what a fact is about. Empty means it applies to everyone."""

    segment: str | None = None
    region: str | None = None
    product: str | None = None

    def key(self) -> tuple[str, str, str]:
        return (self.segment or "", self.region or "", self.product or "")

    def is_empty(self) -> bool:
        return not (self.segment or self.region or self.product)

    def describe(self) -> str:
        parts = [p for p in (self.segment, self.region, self.product) if p]
        return ", ".join(parts)


@dataclass(frozen=True)
class Fact:
    """A typed value stated in a sentence.

    `kind` is one of: duration, money, percent, phone, email, url, time, hours, weekday, count.
    `value` is the normalized, comparable form (e.g. ("calendar_day", 14.0, 14.0) for "two weeks");
    `display` is how reports show it ("14 days"); `start`/`end` index the sentence text.
    """

    kind: str
    value: tuple
    display: str
    start: int
    end: int
    text: str  # the words as written


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer, with its facts, polarity and scope."""

    answer_id: str
    index: int  # position of the sentence within its answer
    text: str
    start: int  # span inside Answer.text
    end: int
    facts: tuple[Fact, ...] = ()
    negated: bool = False
    scope: Scope = field(default_factory=Scope)


@dataclass(frozen=True)
class Promise:
    id: str
    statement: str
    severity: Severity = "major"


@dataclass(frozen=True)
class Evidence:
    channel: str
    source: str
    locator: str
    text: str
    value: str
    answer_id: str | None = None
    conversation: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class ValueCount:
    value: str
    sources: int
    conversations: int


@dataclass(frozen=True)
class Finding:
    id: str  # stable fingerprint across runs
    kind: FindingKind
    severity: Severity
    topic: str
    summary: str
    likely_right: str | None
    promise: str | None
    values: tuple[ValueCount, ...]  # the likely-right value first
    evidence: tuple[Evidence, ...]
    scope: Scope = field(default_factory=Scope)
    fact_kind: str | None = None


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    passed: bool | None  # None: did not apply
    detail: str = ""


@dataclass(frozen=True)
class AnswerScore:
    answer_id: str
    score: float | None  # None when no criterion applied
    failed_critical: bool = False
    results: tuple[CriterionResult, ...] = ()


@dataclass(frozen=True)
class Scores:
    run: float | None = None
    channels: dict[str, float] = field(default_factory=dict)
    topics: dict[str, float] = field(default_factory=dict)
    conversations: dict[str, float] = field(default_factory=dict)
    answers: tuple[AnswerScore, ...] = ()
    pass_rate: float | None = None
    rubric: str | None = None


@dataclass(frozen=True)
class RunInfo:
    id: str
    started_at: str
    brand: str
    score: float | None = None
    finished_at: str | None = None


@dataclass(frozen=True)
class AuditResult:
    run: RunInfo
    findings: tuple[Finding, ...]
    answers: tuple[Answer, ...]
    statements: tuple[Statement, ...]
    scores: Scores
    skipped: tuple[Skipped, ...]
    channels: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
