"""A small AuditResult built by hand, for golden files and browser tests.

Its evidence text carries what a hostile or careless page may contain: script tags, an image
with an onerror handler, `|`, commas, quotes, a formula-looking cell and a javascript: source.
"""

from __future__ import annotations

import dataclasses

from auditor.model import (
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
)

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1">'

RETURNS = Finding(
    id="9f2c1a0e7d3b",
    kind="contradiction",
    severity="major",
    topic="Return window",
    summary="chat says 14 days; website and knowledge-base say 30 days",
    likely_right="website",
    promise=None,
    values=(
        ValueCount("30 days", sources=2, conversations=1),
        ValueCount("14 days", sources=0, conversations=2),
    ),
    evidence=(
        Evidence(
            "website",
            "https://northwind.example/policies/returns.html",
            "section: Returns",
            "You can return items within 30 days, no questions asked.",
            "30 days",
        ),
        Evidence(
            "knowledge-base",
            "kb/returns.md",
            "section: Return window",
            'Customers have 30 days | "no receipt" needed, see policy.',
            "30 days",
            line=7,
        ),
        Evidence(
            "chat",
            "exports/chats/2026-10.jsonl",
            "c-0042 turn 2",
            f"You have 14 days from delivery to return it. {XSS_SCRIPT}",
            "14 days",
            conversation="c-0042",
        ),
        Evidence(
            "chat",
            "exports/chats/2026-10.jsonl",
            "c-0057 turn 4",
            f"Returns close after 14 days {XSS_IMG}",
            "14 days",
            conversation="c-0057",
        ),
    ),
    fact_kind="duration",
)

SUPPORT_HOURS = Finding(
    id="4b7e22c0a911",
    kind="promise_breach",
    severity="critical",
    topic="Support hours",
    summary="knowledge-base says 09:00-17:00 mon-fri; promise 'support-24-7' says 24/7",
    likely_right="website",
    promise="support-24-7",
    values=(ValueCount("24/7", 1, 0), ValueCount("09:00-17:00 mon-fri", 1, 0)),
    evidence=(
        Evidence(
            "website",
            "https://northwind.example/contact",
            "section: Contact",
            "Our experts answer chat and phone 24/7.",
            "24/7",
        ),
        Evidence(
            "knowledge-base",
            "kb/contact.md",
            "section: Opening hours",
            '=HYPERLINK("http://evil.example") Support is open Monday to Friday, 9am to 5pm.',
            "09:00-17:00 mon-fri",
            line=12,
        ),
    ),
    fact_kind="hours",
)

SHIPPING = Finding(
    id="c0ffee123456",
    kind="contradiction",
    severity="minor",
    topic="Shipping fee, members",
    summary="website says $4.99; chat says $5.99",
    likely_right=None,
    promise=None,
    values=(ValueCount("$4.99", 1, 0), ValueCount("$5.99", 0, 1)),
    evidence=(
        Evidence(
            "website",
            "javascript:alert(document.domain)",
            "Q: What does shipping cost?",
            "Members pay $4.99, shipped in 2, 3 or 4 days.",
            "$4.99",
        ),
        Evidence(
            "chat",
            "exports/chats/2026-10.jsonl",
            "c-0101 turn 2",
            "It's $5.99 for members\nsorry | thanks",
            "$5.99",
            conversation="c-0101",
        ),
    ),
    scope=Scope(segment="member"),
    fact_kind="money",
)

RUN = RunInfo(
    id="20261001T080000Z-abc123",
    started_at="2026-10-01T08:00:00+00:00",
    brand="Northwind <Outfitters> & Co.",
    score=84.5,
)

SCORES = Scores(
    run=84.5,
    channels={"website": 97.5, "knowledge-base": 71.0, "chat": 82.25},
    topics={"Return window": 64.0, "Support hours": 90.0},
    answers=(
        AnswerScore(
            "a1",
            80.0,
            results=(CriterionResult("no-contradiction", False), CriterionResult("polite", True)),
        ),
    ),
    pass_rate=0.75,
    rubric="cx-default",
)

SKIPPED = (
    Skipped("kb/broken.md", "not UTF-8 <b>bold</b> text"),
    Skipped("https://northwind.example/faq", "HTTP 500, after 3 tries"),
)

CHANNELS = ("website", "knowledge-base", "chat")


def sample_result() -> AuditResult:
    """Three findings over three channels, with scores and skipped inputs."""
    return AuditResult(
        run=RUN,
        findings=(RETURNS, SUPPORT_HOURS, SHIPPING),
        answers=(),
        statements=(),
        scores=SCORES,
        skipped=SKIPPED,
        channels=CHANNELS,
    )


def clean_result() -> AuditResult:
    """An audit that found nothing, skipped nothing and scored nothing."""
    return AuditResult(
        run=RUN,
        findings=(),
        answers=(),
        statements=(),
        scores=Scores(),
        skipped=(),
        channels=CHANNELS,
    )


HOSTILE = Finding(
    id="bad0c0ffee00",
    kind="contradiction",
    severity="info",
    topic=f"</script>{XSS_SCRIPT}<!--",
    summary=f"{XSS_IMG} says 1 day",
    likely_right='"><svg onload="window.__xss=1">',
    promise=None,
    values=(ValueCount("1 day", 1, 0), ValueCount("2 days", 1, 0)),
    evidence=(
        Evidence(
            f"</script>{XSS_SCRIPT}",
            "javascript:window.__xss=1",
            XSS_IMG,
            f"Within 1 day. {XSS_SCRIPT}",
            "1 day",
        ),
        Evidence(
            "website",
            'https://northwind.example/a"onmouseover="window.__xss=1',
            "section: x",
            "Within 2 days.",
            "2 days",
        ),
    ),
)


def hostile_result() -> AuditResult:
    """The sample plus a finding whose every field, channel names included, is an attack."""
    base = sample_result()
    return AuditResult(
        run=base.run,
        findings=(*base.findings, HOSTILE),
        answers=(),
        statements=(),
        scores=base.scores,
        skipped=(*base.skipped, Skipped(XSS_IMG, XSS_SCRIPT)),
        channels=base.channels,
    )


GIFT_WRAP = dataclasses.replace(SHIPPING, id="5ca1ab1e0000", topic="Gift wrap fee")

# Three nightly runs for the history tests: store the first two, report the third.
# RETURNS persists from the first run, SUPPORT_HOURS from the second; SHIPPING was in the first,
# left in the second and is back in the third; HOSTILE is new; GIFT_WRAP is resolved. The second
# run's id carries a script tag: ids and dates from a store reach the chart's labels and titles.
FIRST_RUN = dataclasses.replace(
    RUN, id="20260929T080000Z-111111", started_at="2026-09-29T08:00:00+00:00", score=70.0
)
SECOND_RUN = dataclasses.replace(
    RUN, id=f"20260930T080000Z-{XSS_SCRIPT}", started_at="2026-09-30T08:00:00+00:00", score=78.5
)


def history_runs() -> tuple[AuditResult, AuditResult, AuditResult]:
    """The two earlier runs and the reported one (the hostile sample)."""
    first = dataclasses.replace(sample_result(), run=FIRST_RUN, findings=(RETURNS, SHIPPING))
    second = dataclasses.replace(
        sample_result(), run=SECOND_RUN, findings=(RETURNS, SUPPORT_HOURS, GIFT_WRAP)
    )
    return first, second, hostile_result()
