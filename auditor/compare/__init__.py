"""Compare: statements -> claims -> embeddings -> findings."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from auditor.compare.claims import Claim, claims_for
from auditor.compare.disagree import PROMISE_CHANNEL, Thresholds, find_disagreements
from auditor.compare.embedder import DIMENSIONS, Embedder
from auditor.facts.entities import Subjects
from auditor.model import Answer, Finding, Promise, Statement

__all__ = ["PROMISE_CHANNEL", "Thresholds", "all_claims", "embed_claims", "find_disagreements"]


def all_claims(
    answers: Sequence[Answer],
    statements: dict[str, list[Statement]],
    subjects: Subjects | None = None,
    subject_of: dict[str, str] | None = None,
) -> list[Claim]:
    subject_of = subject_of or {}
    claims: list[Claim] = []
    for answer in answers:
        claims.extend(
            claims_for(answer, statements[answer.id], subject_of.get(answer.id), subjects)
        )
    return claims


def embed_claims(claims: Sequence[Claim], embedder: Embedder) -> np.ndarray:
    """One vector per claim; each distinct context is embedded once (repeated macros cost once)."""
    if not claims:
        return np.zeros((0, DIMENSIONS), np.float32)
    contexts = list(dict.fromkeys(c.context for c in claims))
    index = {text: i for i, text in enumerate(contexts)}
    unique = embedder.encode(contexts)
    return unique[[index[c.context] for c in claims]]


def compare_answers(
    answers: Sequence[Answer],
    statements: dict[str, list[Statement]],
    embedder: Embedder,
    authority: Sequence[str],
    promises: Sequence[Promise] = (),
    thresholds: Thresholds = Thresholds(),
) -> list[Finding]:
    """Findings among `answers` (promises included as answers of the promises channel)."""
    claims = all_claims(answers, statements)
    return find_disagreements(
        claims, embed_claims(claims, embedder), authority, promises, thresholds
    )
