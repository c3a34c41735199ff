"""The comparator on small hand-written cases, with the real model: what disagrees, what only
looks like it does. Each case is two or three answers from named channels."""

from __future__ import annotations

import pytest

from auditor.compare import compare_answers
from auditor.compare.disagree import Thresholds
from auditor.facts import statements_for
from auditor.model import Answer, Promise, make_answer_id

# (id, [(channel, text, segment)], expected finding kind or None)
CASES = [
    ("window", [("web", "You can return items within 30 days of delivery.", None),
                ("kb", "Returns are accepted within 14 days of delivery.", None)], "contradiction"),
    ("refund-vs-window", [("web", "You can return items within 30 days of delivery.", None),
                          ("kb", "Refunds are processed within 5-7 business days.", None)], None),
    ("member-window", [("web", "You can return items within 30 days of delivery.", None),
                       ("kb", "Plus members can return items within 60 days.", None)], None),
    ("conversation-segment", [("web", "Plus members can return items within 60 days.", None),
                              ("chat", "You can return it within 60 days.", "member")], None),
    ("same-weeks", [("web", "Price match requests are accepted within 14 days of purchase.", None),
                    ("chat", "You can ask for a price match within two weeks of purchase.", None)],
     None),
    ("business-days", [("web", "Price matches are accepted within 14 days of purchase.", None),
                       ("kb", "Price matches are accepted within 14 business days of purchase.",
                        None)], "contradiction"),
    ("phone-formats", [("web", "Call us on 1-800-555-0142.", None),
                       ("kb", "Customers can call (800) 555-0142.", None),
                       ("chat", "Our number is 800.555.0142.", None)], None),
    ("phone-typo", [("web", "Call us on 1-800-555-0142 for help with an order.", None),
                    ("kb", "Call us on 1-800-555-0124 for help with an order.", None)],
     "contradiction"),
    ("range-inside", [("web", "Standard delivery takes 3-5 business days.", None),
                      ("chat", "Standard delivery takes within 5 business days.", None)], None),
    ("range-shifted", [("web", "Express delivery takes 1-2 business days.", None),
                       ("chat", "Express delivery takes 2-3 business days.", None)],
     "contradiction"),
    ("polarity", [("web", "Final sale items cannot be returned.", None),
                  ("kb", "Final sale items can be returned.", None)], "contradiction"),
    ("regions", [("web", "Standard shipping to the EU takes 5-8 business days.", None),
                 ("kb", "Standard shipping in the US takes 3-5 business days.", None)], None),
    ("hours", [("web", "Our support team is open 24/7.", None),
               ("kb", "Our support team is open 9am to 5pm.", None)], "contradiction"),
    ("reply-time", [("web", "Our support team is open 24/7.", None),
                    ("kb", "We reply to every email within 24 hours.", None)], None),
]  # fmt: skip


def answers_of(case: list[tuple[str, str, str | None]]) -> list[Answer]:
    answers = []
    for index, (channel, text, segment) in enumerate(case):
        chat = channel == "chat"
        source = f"chat-{index}.jsonl" if chat else f"{channel}/{index}.md"
        locator = f"c-{index} turn 2" if chat else "section: Policy"
        answers.append(
            Answer(
                id=make_answer_id(channel, source, locator),
                channel=channel,
                source=source,
                locator=locator,
                text=text,
                kind="agent" if chat else "section",
                conversation=f"c-{index}" if chat else None,
                segment=segment,
            )
        )
    return answers


# every case holds with the approximate index that large groups use, forced on (docs/scaling.md)
INDEXES = {"exact": Thresholds(), "approximate": Thresholds(exact_up_to=0)}


@pytest.mark.parametrize("index", sorted(INDEXES))
@pytest.mark.parametrize("name,case,expected", CASES, ids=[c[0] for c in CASES])
def test_case(name: str, case, expected: str | None, index: str, real_embedder) -> None:
    answers = answers_of(case)
    statements = {a.id: statements_for(a) for a in answers}
    findings = compare_answers(
        answers, statements, real_embedder, ["web", "kb", "chat"], thresholds=INDEXES[index]
    )
    if expected is None:
        assert findings == [], [f.summary for f in findings]
    else:
        assert [f.kind for f in findings] == [expected], [f.summary for f in findings]
        [finding] = findings
        assert len({e.value for e in finding.evidence}) == 2
        assert finding.likely_right == "web"


def test_promise_breach_is_reported_once_as_its_own_kind(real_embedder) -> None:
    answers = answers_of(
        [("web", "Gift cards never expire.", None),
         ("kb", "Gift cards are valid for 12 months from purchase.", None)]
    )  # fmt: skip
    promise = Promise(
        id="cards-forever", statement="Our gift cards never expire.", severity="major"
    )
    promise_answer = Answer(
        id="p", channel="promises", source="promises.yaml", locator="promise: cards-forever",
        text=promise.statement, kind="promise",
    )  # fmt: skip
    everything = [*answers, promise_answer]
    statements = {a.id: statements_for(a) for a in everything}
    findings = compare_answers(everything, statements, real_embedder, ["web", "kb"], [promise])
    assert [(f.kind, f.promise, f.severity) for f in findings] == [
        ("promise_breach", "cards-forever", "major")
    ]
    assert {e.value for e in findings[0].evidence} == {"lifetime", "1 year"}


def test_fingerprint_is_stable_when_more_conversations_repeat_the_wrong_value(real_embedder):
    base = [("web", "You can return items within 30 days of delivery.", None),
            ("chat", "Returns are accepted within 14 days of delivery.", None)]  # fmt: skip
    more = base + [("chat", "Returns are accepted within 14 days of delivery.", None)]
    ids = []
    for case in (base, more):
        answers = answers_of(case)
        statements = {a.id: statements_for(a) for a in answers}
        [finding] = compare_answers(answers, statements, real_embedder, ["web", "chat"])
        ids.append(finding.id)
        counts = {v.value: v.conversations for v in finding.values}
    assert ids[0] == ids[1]
    assert counts == {"up to 30 days": 0, "up to 14 days": 2}
