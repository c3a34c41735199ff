"""Model objects to table rows and back. Nested parts (values, evidence, criterion results) are
JSON text: they are read back whole with their finding and never queried on their own."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from auditor.model import (
    Answer,
    AnswerScore,
    CriterionResult,
    Evidence,
    Finding,
    Scope,
    Skipped,
    ValueCount,
)

SCORE_SCOPES = ("channel", "topic", "conversation")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def finding_row(run_id: str, position: int, finding: Finding) -> tuple:
    return (
        run_id,
        position,
        finding.id,
        finding.kind,
        finding.severity,
        finding.topic,
        finding.summary,
        finding.likely_right,
        finding.promise,
        finding.scope.segment,
        finding.scope.region,
        finding.scope.product,
        finding.fact_kind,
        dumps([asdict(v) for v in finding.values]),
        dumps([asdict(e) for e in finding.evidence]),
    )


FINDING_COLUMNS = (
    "run_id, position, id, kind, severity, topic, summary, likely_right, promise, "
    "scope_segment, scope_region, scope_product, fact_kind, values_json, evidence_json"
)


def finding_from_row(row: tuple) -> Finding:
    """A row selected as FINDING_COLUMNS without its first two (run_id, position)."""
    (fid, kind, severity, topic, summary, likely_right, promise, segment, region, product,
     fact_kind, values_json, evidence_json) = row  # fmt: skip
    return Finding(
        id=fid,
        kind=kind,
        severity=severity,
        topic=topic,
        summary=summary,
        likely_right=likely_right,
        promise=promise,
        values=tuple(ValueCount(**v) for v in json.loads(values_json)),
        evidence=tuple(Evidence(**e) for e in json.loads(evidence_json)),
        scope=Scope(segment=segment, region=region, product=product),
        fact_kind=fact_kind,
    )


def finding_channel_rows(run_id: str, position: int, finding: Finding) -> Iterator[tuple]:
    for channel in dict.fromkeys(e.channel for e in finding.evidence):
        yield (run_id, position, channel)


ANSWER_COLUMNS = (
    "run_id, position, answer_id, channel, source, locator, kind, question, conversation, "
    "segment, line, updated_at, text_hash, text, line_map_json"
)


class RowWriter:
    """The `answers` and `answer_scores` rows of one run. A night's answers repeat agent
    macros word for word and share their rubric results: each distinct text is hashed, and
    each shared results tuple written as JSON, once."""

    def __init__(self) -> None:
        self._hashes: dict[str, str] = {}
        self._results: dict[int, tuple[tuple, str]] = {}  # id(results) -> (results, JSON)

    def answer_row(self, run_id: str, position: int, answer: Answer) -> tuple:
        digest = self._hashes.get(answer.text)
        if digest is None:
            digest = self._hashes[answer.text] = text_hash(answer.text)
        return _answer_row(run_id, position, answer, digest)

    def answer_score_row(self, run_id: str, position: int, score: AnswerScore) -> tuple:
        # keyed by identity, the tuple kept beside its JSON so the id is not reused meanwhile
        kept = self._results.get(id(score.results))
        if kept is None:
            kept = self._results[id(score.results)] = (score.results, _results_json(score))
        return (run_id, position, score.answer_id, score.score, int(score.failed_critical), kept[1])


def _answer_row(run_id: str, position: int, answer: Answer, digest: str) -> tuple:
    return (
        run_id,
        position,
        answer.id,
        answer.channel,
        answer.source,
        answer.locator,
        answer.kind,
        answer.question,
        answer.conversation,
        answer.segment,
        answer.line,
        answer.updated_at,
        digest,
        answer.text,
        dumps([list(pair) for pair in answer.line_map]) if answer.line_map else "[]",
    )


def answer_from_row(row: tuple) -> Answer:
    """An answer as saved. Rows saved before the store kept texts (migration 0003) have NULL
    text and line map: they read back with empty text, so they can be rendered but not
    re-audited."""
    (aid, channel, source, locator, kind, question, conversation, segment, line, updated_at,
     _hash, text, line_map_json) = row  # fmt: skip
    line_map = json.loads(line_map_json) if line_map_json is not None else []
    return Answer(
        id=aid,
        channel=channel,
        source=source,
        locator=locator,
        text=text if text is not None else "",
        question=question,
        kind=kind,
        conversation=conversation,
        segment=segment,
        line=line,
        updated_at=updated_at,
        line_map=tuple((int(offset), int(line)) for offset, line in line_map),
    )


def _results_json(score: AnswerScore) -> str:
    return dumps([[r.criterion, r.passed, r.detail] for r in score.results])


def answer_score_from_row(row: tuple) -> AnswerScore:
    answer_id, score, failed_critical, results_json = row
    results = tuple(
        CriterionResult(criterion, passed, detail)
        for criterion, passed, detail in json.loads(results_json)
    )
    return AnswerScore(answer_id, score, bool(failed_critical), results)


def score_rows(run_id: str, by_scope: dict[str, dict[str, float]]) -> Iterator[tuple]:
    for scope in SCORE_SCOPES:
        for position, (name, value) in enumerate(by_scope[scope].items()):
            yield (run_id, scope, position, name, value)


def skipped_row(run_id: str, position: int, item: Skipped) -> tuple:
    return (run_id, position, item.source, item.reason)
