"""Scoring rules, with expected scores worked out by hand in the comments."""

from __future__ import annotations

import textwrap

import pytest

from auditor.errors import ConfigError
from auditor.model import Answer
from auditor.rubric import check_rubric_file, score, score_detailed


def rubric_from(tmp_path, text: str):
    path = tmp_path / "rubric.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return check_rubric_file(path)


def answer(id_, text, channel="chat", kind="agent", conversation=None, question=None):
    return Answer(
        id=id_,
        channel=channel,
        source="s",
        locator=id_,
        text=text,
        kind=kind,
        conversation=conversation,
        question=question,
    )


WEIGHTS = """\
name: weights
criteria:
  - {id: link, check: has_link, weight: 30}
  - {id: short, check: length, params: {max_words: 5}, weight: 10}
  - {id: calm, check: forbidden_phrases, params: {phrases: [calm down]}, weight: 20}
  - {id: graded, check: readability, params: {min_words: 100}, weight: 40}
"""


def test_weights_and_not_applicable_criteria_leave_the_denominator(tmp_path):
    rubric = rubric_from(tmp_path, WEIGHTS)
    answers = [
        # link 30 + short 10 + calm 20 of 60 applicable (graded is N/A: under 100 words) = 100
        answer("a", "See https://x.example now."),
        # nothing passes: 0 of 60 = 0
        answer("b", "Calm down and read the whole policy page, please."),
        # link 30 + short 10 of 60 = 66.67; counting N/A as passed would give 80, as failed 40
        answer("c", "Calm down: https://x.example"),
    ]
    scores = score(rubric, answers, [], [], None)
    got = {s.answer_id: s.score for s in scores.answers}
    assert got == pytest.approx({"a": 100.0, "b": 0.0, "c": 200 / 3})
    c = scores.answers[2]
    assert [r.passed for r in c.results] == [True, True, False, None]
    assert scores.rubric == "weights"


CRITICAL = """\
name: critical
critical_mode: {mode}
pass_threshold: 40
criteria:
  - {{id: right, check: consistent, weight: 50, critical: true}}
  - {{id: link, check: has_link, weight: 50}}
"""


@pytest.mark.parametrize(
    ("mode", "expected_score", "expected_pass_rate"),
    [
        ("zero", 0.0, 0.5),  # the wrong answer is zeroed
        ("flag", 50.0, 0.5),  # 50 of 100 kept, but a failed critical never passes (50 >= 40)
    ],
)
def test_critical_zero_or_flag(tmp_path, build, mode, expected_score, expected_pass_rate):
    rubric = rubric_from(tmp_path, CRITICAL.format(mode=mode))
    answers = [answer("wrong", "See https://x.example"), answer("fine", "See https://x.example")]
    wrong = build.finding(evidence_=[build.evidence("wrong", "chat", "14 days")])
    scores = score(rubric, answers, [wrong], [], None)
    first, second = scores.answers
    assert (first.score, first.failed_critical) == (expected_score, True)
    assert (second.score, second.failed_critical) == (100.0, False)
    assert scores.pass_rate == expected_pass_rate
    assert scores.run == pytest.approx((expected_score + 100.0) / 2)


CHANNELS = """\
name: channels
criteria:
  - {id: chat-only, check: has_link, weight: 10, applies_to: [chat]}
  - {id: site-only, check: has_link, weight: 10, applies_to: [website]}
  - {id: faq-only, check: has_link, weight: 10, applies_to: [faq]}
"""


def test_applies_to_matches_channel_names_channel_kinds_and_answer_kinds(tmp_path):
    rubric = rubric_from(tmp_path, CHANNELS)
    answers = [
        answer("c", "no link", channel="support-chat", kind="agent"),  # kind chat via the map
        answer("w", "https://x.example", channel="website", kind="section"),
        answer("f", "no link", channel="website", kind="faq"),
        answer("k", "https://x.example", channel="kb", kind="section"),  # nothing applies
    ]
    kinds = {"support-chat": "chat", "website": "web", "kb": "files"}
    scores = score(rubric, answers, [], [], None, channel_kinds=kinds)
    results = {s.answer_id: [r.passed for r in s.results] for s in scores.answers}
    assert results == {
        "c": [False, None, None],
        "w": [None, True, None],
        "f": [None, False, False],
        "k": [None, None, None],
    }
    got = {s.answer_id: s.score for s in scores.answers}
    assert got == {"c": 0.0, "w": 100.0, "f": 0.0, "k": None}
    assert scores.channels == {"support-chat": 0.0, "website": 50.0}  # kb has no scored answer
    assert scores.run == pytest.approx(100 / 3)


def test_rubric_level_applies_to_and_promises_are_not_scored(tmp_path):
    rubric = rubric_from(tmp_path, "applies_to: [chat]\n" + CHANNELS.replace("channels", "c2"))
    answers = [
        answer("c", "https://x.example", channel="chat"),
        answer("w", "https://x.example", channel="website", kind="section"),
        answer("p", "Returns are free.", channel="promises", kind="promise"),
    ]
    scores = score(rubric, answers, [], [], None, channel_kinds={"chat": "chat", "website": "web"})
    assert [(s.answer_id, s.score, s.results) for s in scores.answers[1:]] == [("w", None, ())]
    assert scores.answers[0].score == 100.0
    assert "p" not in {s.answer_id for s in scores.answers}


def test_an_applies_to_name_that_is_nothing_is_an_error_with_its_line(tmp_path):
    rubric = rubric_from(tmp_path, CHANNELS.replace("[website]", "[websit]"))
    with pytest.raises(ConfigError) as caught:
        score(rubric, [answer("a", "x")], [], [], None, channel_kinds={"website": "web"})
    assert caught.value.line == 4
    assert "applies_to names 'websit'" in caught.value.problem


ROLLUP = """\
name: rollup
pass_threshold: 80
criteria:
  - {id: link, check: has_link, weight: 60, applies_to: [chat, website]}
  - {id: short, check: length, params: {max_words: 4}, weight: 40, applies_to: [chat, website]}
"""


def test_roll_up_to_channels_topics_conversations_and_run(tmp_path):
    rubric = rubric_from(tmp_path, ROLLUP)
    answers = [
        answer("w1", "https://x.example", channel="website", kind="faq"),  # 100
        answer("w2", "https://x.example has it all, see", channel="website"),  # 60
        answer("c1a", "https://x.example", conversation="c1"),  # 100
        answer("c1b", "nothing useful here, sorry about that", conversation="c1"),  # 0
        answer("c2a", "ok https://x.example", conversation="c2"),  # 100
        answer("kb1", "https://x.example", channel="kb"),  # None: no criterion applies
    ]
    topics = {"w1": "returns", "c1a": "returns", "c1b": "returns", "w2": "shipping", "kb1": "x"}
    scores = score(rubric, answers, [], [], None, topics=topics)
    assert [s.score for s in scores.answers] == [100.0, 60.0, 100.0, 0.0, 100.0, None]
    assert scores.channels == pytest.approx({"website": 80.0, "chat": 200 / 3})
    assert scores.topics == pytest.approx({"returns": 200 / 3, "shipping": 60.0})
    assert scores.conversations == pytest.approx({"c1": 50.0, "c2": 100.0})
    assert scores.run == pytest.approx(360 / 5)
    assert scores.pass_rate == pytest.approx(3 / 5)  # 100, 100, 100 pass; 60 and 0 do not


def test_nothing_scored_gives_none_not_zero(tmp_path):
    rubric = rubric_from(tmp_path, ROLLUP)
    scores = score(rubric, [answer("k", "x", channel="kb")], [], [], None)
    assert (scores.run, scores.pass_rate, scores.channels) == (None, None, {})


CONVERSATION = """\
name: conversation
critical_mode: {mode}
criteria:
  - {{id: short, check: length, params: {{max_words: 6}}, weight: 10}}
  - {{id: escalation, check: escalation_offered, level: conversation, weight: 30,
     critical: {critical}}}
"""


@pytest.mark.parametrize(
    ("mode", "critical", "expected"),
    [
        # units: answers 100 and 0, the conversation itself 0 (escalation failed): mean 33.33
        ("zero", "false", 100 / 3),
        ("zero", "true", 0.0),  # a failed critical in the conversation zeroes it
        ("flag", "true", 100 / 3),
    ],
)
def test_conversation_level_criteria(tmp_path, build, mode, critical, expected):
    rubric = rubric_from(tmp_path, CONVERSATION.format(mode=mode, critical=critical))
    conv = build.conversation(
        ("customer", "This is unacceptable, I want a manager."),
        ("agent", "Returns take 30 days."),
        ("agent", "Our policy is the same for everyone who orders from us."),
    )
    answers = [
        answer("r1", "Returns take 30 days.", conversation="c1"),  # short: 100
        answer("r2", "Our policy is the same for everyone who orders from us.", conversation="c1"),
    ]
    outcome = score_detailed(rubric, answers, [], [conv], None)
    assert outcome.scores.conversations["c1"] == pytest.approx(expected)
    (detail,) = outcome.conversations
    assert [(r.criterion, r.passed) for r in detail.results] == [("escalation", False)]
    assert detail.failed_critical is (critical == "true")
    # conversation-level criteria stay out of the answers' own scores and the run
    assert [s.score for s in outcome.scores.answers] == [100.0, 0.0]
    assert outcome.scores.run == 50.0


def test_a_calm_conversation_is_scored_by_its_answers_alone(tmp_path, build):
    rubric = rubric_from(tmp_path, CONVERSATION.format(mode="zero", critical="true"))
    conv = build.conversation(("customer", "When do you open?"), ("agent", "At 9am."))
    outcome = score_detailed(rubric, [answer("r", "At 9am.", conversation="c1")], [], [conv], None)
    # escalation does not apply: the conversation has no score of its own, only its answer's
    assert outcome.conversations[0].score == 100.0
    assert outcome.conversations[0].results[0].passed is None


def test_an_answer_critical_failure_zeroes_its_conversation(tmp_path, build):
    rubric = rubric_from(tmp_path, CRITICAL.format(mode="zero"))
    answers = [
        answer("a", "https://x.example", conversation="c1"),
        answer("b", "https://x.example", conversation="c1"),
    ]
    wrong = build.finding(evidence_=[build.evidence("b", "chat", "14 days")])
    scores = score(rubric, answers, [wrong], [], None)
    assert [s.score for s in scores.answers] == [100.0, 0.0]
    assert scores.conversations == {"c1": 0.0}


def test_zero_weight_criteria_are_gates_only(tmp_path, build):
    text = """\
    name: gates
    criteria:
      - {id: gate, check: consistent, weight: 0, critical: true}
      - {id: link, check: has_link, weight: 10}
    """
    rubric = rubric_from(tmp_path, text)
    answers = [answer("a", "no link"), answer("b", "https://x.example")]
    wrong = build.finding(evidence_=[build.evidence("b", "chat", "14 days")])
    scores = score(rubric, answers, [wrong], [], None)
    # a: gate passes but weighs nothing, link fails: 0 of 10; b: gate fails critically: zeroed
    assert [(s.score, s.failed_critical) for s in scores.answers] == [(0.0, False), (0.0, True)]


REPEATED = """\
name: repeated
criteria:
  - {id: consistent, check: consistent, weight: 50}
  - {id: short, check: length, params: {max_words: 8}, weight: 50}
"""


@pytest.mark.parametrize("named_first", [True, False])
def test_a_repeated_macro_is_judged_once_but_a_finding_still_counts_per_answer(
    tmp_path, build, named_first
):
    # one macro said in three conversations; a finding names only the copy in c2. Scoring judges
    # the words once, yet the named copy fails consistency wherever it comes in the order
    rubric = rubric_from(tmp_path, REPEATED)
    macro = "Returns are free within 14 days."
    order = ["c2", "c1", "c3"] if named_first else ["c1", "c3", "c2"]
    answers = [answer(f"{c}-a", macro, conversation=c, question="Returns?") for c in order]
    wrong = build.finding(
        evidence_=[
            build.evidence("kb-1", "kb", "30 days"),
            build.evidence("c2-a", "chat", "14 days"),
        ],
        likely_right="kb",
    )
    scores = score(rubric, answers, [wrong], [], None)
    got = {s.answer_id: s.score for s in scores.answers}
    assert got == {"c1-a": 100.0, "c2-a": 50.0, "c3-a": 100.0}


def test_a_repeated_exchange_is_judged_once_but_a_finding_still_counts_per_conversation(
    tmp_path, build
):
    text = """\
name: exchange
criteria:
  - {id: consistent, check: consistent, level: conversation, weight: 50}
  - {id: escalation, check: escalation_offered, level: conversation, weight: 50}
"""
    rubric = rubric_from(tmp_path, text)
    turns = (("customer", "I want a manager, now."), ("agent", "Returns take 14 days."))
    convs = [build.conversation(*turns, id_=c) for c in ("c1", "c2", "c3")]
    answers = [
        answer(f"{c}-a", "Returns take 14 days.", conversation=c) for c in ("c1", "c2", "c3")
    ]
    wrong = build.finding(
        evidence_=[
            build.evidence("kb-1", "kb", "30 days"),
            build.evidence("c2-a", "chat", "14 days"),
        ],
        likely_right="kb",
    )
    outcome = score_detailed(rubric, answers, [wrong], convs, None)
    got = {c.conversation_id: [r.passed for r in c.results] for c in outcome.conversations}
    assert got == {"c1": [True, False], "c2": [False, False], "c3": [True, False]}
