"""The embedder is called once per run, with each distinct text once, however many answers."""

from __future__ import annotations

import textwrap

from auditor.model import Answer, Conversation, Message
from auditor.rubric import check_rubric_file, load_rubric, score, score_detailed
from auditor.rubric.text import sentences


class CountingEmbedder:
    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return self.inner.encode(texts)


RUBRIC = """\
name: batch
criteria:
  - id: sorry
    check: semantic
    params: {exemplars: ["I'm so sorry about that."], threshold: 0.5}
    weight: 10
  - id: sorry-chat
    check: semantic
    level: conversation
    params: {exemplars: ["I'm so sorry about that.", "I understand your frustration."]}
    weight: 10
  - id: blame
    check: no_blame
    params: {exemplars: ["This is your fault."]}
    weight: 10
  - id: web-only
    check: semantic
    applies_to: [website]
    params: {exemplars: ["Never embedded: no answer is on the website."]}
    weight: 10
"""

TEXTS = [
    "I'm sorry about that. Your parcel ships today.",
    "Your parcel ships today.",
    "Returns take 30 days. I'm sorry about that.",
]


def test_one_encode_call_with_distinct_texts(tmp_path, embedder):
    path = tmp_path / "batch.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    rubric = check_rubric_file(path)
    answers = [
        Answer(id=f"a{i}", channel="chat", source="s", locator=str(i), text=TEXTS[i % 3],
               kind="agent", conversation=f"c{i % 10}")
        for i in range(300)
    ]  # fmt: skip
    conversations = [
        Conversation(id=f"c{j}", source="s", messages=(
            Message("customer", "Where is my parcel?", 1), Message("agent", TEXTS[j % 3], 2)))
        for j in range(10)
    ]  # fmt: skip
    counting = CountingEmbedder(embedder)
    outcome = score_detailed(rubric, answers, [], conversations, counting)

    assert len(counting.calls) == 1
    (sent,) = counting.calls
    assert len(sent) == len(set(sent))
    expected = {s for text in TEXTS for s in sentences(text)}
    expected |= {
        "I'm so sorry about that.",
        "I understand your frustration.",
        "This is your fault.",
    }
    assert set(sent) == expected  # the website-only exemplar is not embedded: nothing to judge

    # equal texts get equal results
    by_text: dict[str, set] = {}
    for answer, scored in zip(answers, outcome.scores.answers, strict=True):
        by_text.setdefault(answer.text, set()).add(tuple(r.passed for r in scored.results))
    assert all(len(results) == 1 for results in by_text.values())
    assert by_text[TEXTS[1]] == {(False, True, None)}
    assert by_text[TEXTS[0]] == {(True, True, None)}


def test_no_embedder_needed_when_no_semantic_criterion_applies(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        textwrap.dedent("""\
        name: r
        criteria:
          - {id: s, check: semantic, applies_to: [website], params: {exemplars: [hi]}, weight: 1}
          - {id: l, check: has_link, weight: 1}
        """),
        encoding="utf-8",
    )
    answer = Answer(id="a", channel="chat", source="s", locator="l", text="https://x.example")
    assert score(check_rubric_file(path), [answer], [], [], None).run == 100.0


def test_twenty_thousand_answers_embed_each_sentence_once(embedder):
    # distinct answer texts (order numbers differ), chats drawn from a few replies: the chats'
    # sentences are embedded once each (speed itself is measured in benchmarks/rubric_speed.py)
    answers = []
    for i in range(20_000):
        kind = ("faq", "section", "agent", "bot")[i % 4]
        channel = "chat" if kind in ("agent", "bot") else "website"
        answers.append(
            Answer(
                id=f"a{i}", channel=channel, source="s", locator=str(i), kind=kind,
                conversation=f"c{i // 4}" if channel == "chat" else None,
                text=f"Order {i} can be returned within 30 days. I'll email you a label.",
            )
        )  # fmt: skip
    conversations = [
        Conversation(id=f"c{j}", source="s", messages=(
            Message("customer", "My parcel is late, where is it?", 1),
            Message("agent", TEXTS[j % 3], 2)))
        for j in range(5_000)
    ]  # fmt: skip
    counting = CountingEmbedder(embedder)
    outcome = score_detailed(
        load_rubric("cx-default"), answers, [], conversations, counting,
        channel_kinds={"chat": "chat", "website": "web"},
    )  # fmt: skip
    assert len(outcome.scores.answers) == 20_000 and outcome.scores.run == 100.0
    assert len(counting.calls) == 1
    distinct = {s for text in TEXTS for s in sentences(text)}
    assert len(counting.calls[0]) == len(distinct) + 8  # and the eight exemplars
    assert len(outcome.conversations) == 5_000
