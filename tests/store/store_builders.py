"""AuditResults built by hand for the store tests: findings whose fingerprints come and go."""

from __future__ import annotations

from auditor.model import (
    Answer,
    AnswerScore,
    AuditResult,
    CriterionResult,
    Evidence,
    Finding,
    RunInfo,
    Scope,
    Scores,
    Skipped,
    ValueCount,
    make_answer_id,
)

CHANNELS = ("website", "knowledge-base", "chat")


def finding(
    fid: str,
    severity: str = "major",
    kind: str = "contradiction",
    channels: tuple[str, ...] = ("website", "chat"),
    summary: str | None = None,
) -> Finding:
    evidence = tuple(
        Evidence(
            channel=channel,
            source=f"https://example.test/{channel}/{fid}",
            locator=f"section: {fid}",
            text=f"{channel} says {30 - i} days about {fid}.",
            value=f"{30 - i} days",
        )
        for i, channel in enumerate(channels)
    )
    return Finding(
        id=fid,
        kind=kind,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        topic=f"topic {fid}",
        summary=summary or f"{' and '.join(channels)} disagree on {fid}",
        likely_right=channels[0],
        promise=None,
        values=tuple(ValueCount(e.value, 1, 0) for e in evidence),
        evidence=evidence,
        fact_kind="duration",
    )


def result(
    run_id: str,
    started_at: str,
    findings: tuple[Finding, ...],
    channel_scores: dict[str, float] | None = None,
    answers: int = 0,
    brand: str = "Northwind",
) -> AuditResult:
    """A run with `answers` generated answers (each scored), findings and skipped inputs."""
    made = tuple(
        Answer(
            id=make_answer_id(CHANNELS[i % 3], f"source-{i // 50}", f"section: {i}"),
            channel=CHANNELS[i % 3],
            source=f"source-{i // 50}",
            locator=f"section: {i}",
            text=f"Answer number {i}: returns are accepted within {i % 60} days. " * 3,
        )
        for i in range(answers)
    )
    channel_scores = channel_scores or {}
    score = sum(channel_scores.values()) / len(channel_scores) if channel_scores else None
    return AuditResult(
        run=RunInfo(run_id, started_at, brand, score, started_at),
        findings=findings,
        answers=made,
        statements=(),
        scores=Scores(
            run=score,
            channels=channel_scores,
            answers=tuple(AnswerScore(a.id, 75.0) for a in made),
        ),
        skipped=(Skipped(f"kb/broken-{run_id}.md", "not UTF-8"),),
        channels=CHANNELS,
    )


def rich_result() -> AuditResult:
    """One run using every field the model has, with awkward text, for round trips."""
    answers = (
        Answer(
            id="a-web-1",
            channel="website",
            source="https://example.test/returns",
            locator="Q: How long?",
            text="You can return items within 30 days.",
            question="How long do I have to return?",
            kind="faq",
            updated_at="2026-09-30T10:00:00+00:00",
        ),
        Answer(
            id="a-chat-1",
            channel="chat",
            source="exports/chats.jsonl",
            locator="c-0042 turn 2",
            text="Vous avez 14 jours — “désolé”.",
            kind="agent",
            conversation="c-0042",
            segment="member",
            line=7,
        ),
        Answer(
            id="a-kb-1",
            channel="knowledge-base",
            source="kb/shipping.md",
            locator="section: Delivery times",
            text="Standard delivery takes 3 to 5 business days.\n\nExpress takes 1 day.",
            line=9,
            line_map=((0, 9), (48, 11)),
        ),
        # the same place twice: the pipeline does not promise unique answer ids
        Answer(id="a-web-1", channel="website", source="s", locator="l", text="again"),
    )
    returns = Finding(
        id="9f2c1a0e7d3b",
        kind="promise_breach",
        severity="critical",
        topic="Return window ‘members’",
        summary='chat says 14 days; promise "returns-30" says 30 days',
        likely_right=None,
        promise="returns-30",
        values=(ValueCount("30 days", 2, 0), ValueCount("14 days", 0, 3)),
        evidence=(
            Evidence(
                "website",
                "https://example.test/returns",
                "Q: How long?",
                "You can return items within 30 days.",
                "30 days",
                answer_id="a-web-1",
            ),
            Evidence(
                "chat",
                "exports/chats.jsonl",
                "c-0042 turn 2",
                "Vous avez 14 jours — “désolé”.",
                "14 days",
                answer_id="a-chat-1",
                conversation="c-0042",
                line=7,
            ),
        ),  # fmt: skip
        scope=Scope(segment="member", region="EU", product=None),
        fact_kind="duration",
    )
    return AuditResult(
        run=RunInfo(
            id="20261001T080000Z-abc123",
            started_at="2026-10-01T08:00:00+00:00",
            brand="Northwind <Outfitters> & Co.",
            score=84.12345678901234,
            finished_at="2026-10-01T08:03:10+00:00",
        ),
        findings=(returns, finding("c0ffee", "minor", "stale", ("knowledge-base",))),
        answers=answers,
        statements=(),
        scores=Scores(
            run=84.12345678901234,
            channels={"website": 97.5, "chat": 0.1 + 0.2},
            topics={"Return window": 64.0},
            conversations={"c-0042": 50.0},
            answers=(
                AnswerScore(
                    "a-chat-1",
                    50.0,
                    failed_critical=True,
                    results=(
                        CriterionResult("keeps-promises", False, "says 14 days"),
                        CriterionResult("has-link", None),
                        CriterionResult("no-blame", True),
                    ),
                ),
                AnswerScore("a-web-1", None),
            ),
            pass_rate=0.5,
            rubric="cx-default",
        ),
        skipped=(
            Skipped("kb/broken.md", "not UTF-8 <b>bold</b>"),
            Skipped("https://example.test/faq", "HTTP 500"),
        ),
        channels=CHANNELS,
        timings={"collect:website": 1.25, "compare": 0.5},
    )
