"""Shared fixtures for the rubric tests: the real embedder (loaded once) and a way to run one
check on one answer or conversation through the real scoring path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from auditor.model import (
    Answer,
    Conversation,
    CriterionResult,
    Evidence,
    Finding,
    Message,
    ValueCount,
)
from auditor.rubric import CHECKS, Criterion, Rubric, score_detailed


class _Memo:
    """The real model, remembering vectors across tests: the exemplars recur in every case."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self.vectors.update(zip(missing, self.inner.encode(missing), strict=True))
        return np.stack([self.vectors[t] for t in texts]) if texts else self.inner.encode([])


@pytest.fixture(scope="session")
def embedder():
    from auditor.compare.embedder import default_embedder

    return _Memo(default_embedder())


def evidence(answer_id: str | None, channel: str, value: str, conversation: str | None = None):
    return Evidence(
        channel=channel,
        source=f"{channel}-source",
        locator="here",
        text=f"it is {value}",
        value=value,
        answer_id=answer_id,
        conversation=conversation,
    )


def finding(
    kind: str = "contradiction",
    evidence_: Sequence[Evidence] = (),
    likely_right: str | None = None,
    severity: str = "major",
    promise: str | None = None,
    id_: str = "f1",
) -> Finding:
    # as the comparator writes them: the likely-right value first
    ordered = sorted(evidence_, key=lambda e: e.channel != likely_right)
    values = tuple(
        ValueCount(value=v, sources=1, conversations=0)
        for v in dict.fromkeys(e.value for e in ordered)
    )
    return Finding(
        id=id_,
        kind=kind,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        topic="return window",
        summary="they disagree",
        likely_right=likely_right,
        promise=promise,
        values=values if likely_right else (),
        evidence=tuple(evidence_),
    )


def conversation(*turns: tuple[str, str], id_: str = "c1") -> Conversation:
    messages = tuple(
        Message(role=role, text=text, turn=i)  # type: ignore[arg-type]
        for i, (role, text) in enumerate(turns, 1)
    )
    return Conversation(id=id_, source="chats.jsonl", messages=messages)


@pytest.fixture
def build() -> SimpleNamespace:
    """Builders for model objects: build.finding(...), build.evidence(...), build.conversation."""
    return SimpleNamespace(finding=finding, evidence=evidence, conversation=conversation)


@pytest.fixture
def run_check() -> Callable[..., CriterionResult]:
    """Run one check, as a one-criterion rubric, on one answer (or one conversation)."""

    def run(
        check: str,
        params: dict | None = None,
        *,
        text: str = "",
        question: str | None = None,
        findings: Sequence[Finding] = (),
        turns: Sequence[tuple[str, str]] | None = None,
        embedder: Any = None,
        answer_id: str = "a1",
        channel: str = "chat",
    ) -> CriterionResult:
        level = "conversation" if turns is not None else "answer"
        criterion = Criterion(
            id="c",
            check=check,
            params=CHECKS[check].params_model.model_validate(params or {}),
            weight=10,
            level=level,
        )
        rubric = Rubric(name="one", criteria=(criterion,))
        answer = Answer(
            id=answer_id,
            channel=channel,
            source="s",
            locator="l",
            text=text,
            question=question,
            kind="agent",
            conversation="c1",
        )
        conversations = [conversation(*turns)] if turns is not None else []
        outcome = score_detailed(rubric, [answer], findings, conversations, embedder)
        if level == "conversation":
            return outcome.conversations[0].results[0]
        return outcome.scores.answers[0].results[0]

    return run
