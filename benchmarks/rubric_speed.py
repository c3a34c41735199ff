"""Rubric scoring speed: the shipped cx-default rubric over generated answers and chats.

    .venv/bin/python benchmarks/rubric_speed.py [--answers 100000] [--distinct 2000]

Answers are all distinct texts; chat replies are drawn from `--distinct` replies, so the one
embedding batch holds that many texts' sentences (plus the exemplars). Prints the embedding
batch size and time, then answers/second for the whole `score` call.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.compare.embedder import default_embedder  # noqa: E402
from auditor.model import Answer, Conversation, Evidence, Finding, Message  # noqa: E402
from auditor.rubric import load_rubric, score  # noqa: E402

REPLIES = [
    "I'm so sorry about the delay with order {n}. I'll email you a prepaid label today.",
    "You have 30 days from delivery to return it. Pack it in the box and drop it at a post office.",
    "You should have read the returns policy before ordering item {n}.",
    "I understand your frustration; I'll transfer you to a supervisor now.",
    "Refunds reach your card within 5 business days once we receive parcel {n}.",
]
PAGE = (
    "Returns are free within 30 days of delivery for order {n}. Pack the item, print the label "
    "we email you and drop the parcel at any post office. Refunds reach your card within five "
    "business days after the parcel arrives at our warehouse."
)


class Timed:
    def __init__(self, inner):
        self.inner, self.name, self.batches = inner, inner.name, []

    def encode(self, texts):
        started = time.perf_counter()
        vectors = self.inner.encode(texts)
        self.batches.append((len(texts), time.perf_counter() - started))
        return vectors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=2_000)
    args = parser.parse_args()
    random.seed(7)
    replies = [random.choice(REPLIES).format(n=i) for i in range(args.distinct)]
    answers, conversations = [], []
    for i in range(args.answers):
        chat = i % 2 == 0
        conversation = f"c{i // 4}" if chat else None
        text = f"Order {i}: " + (random.choice(replies) if chat else PAGE.format(n=i))
        answers.append(
            Answer(
                id=f"a{i}", channel="chat" if chat else "website", source="s", locator=str(i),
                text=text, kind="agent" if chat else "section", conversation=conversation,
                question="This is ridiculous, I want a manager." if i % 10 == 0 else None,
            )
        )  # fmt: skip
    for j in range(0, args.answers // 4):
        messages = (
            Message("customer", "This is unacceptable." if j % 5 == 0 else "Where is it?", 1),
            Message("agent", replies[j % len(replies)], 2),
        )
        conversations.append(Conversation(id=f"c{j}", source="s", messages=messages))
    findings = [
        Finding(
            id=f"f{i}", kind="contradiction", severity="major", topic="return window",
            summary="chat says 14 days", likely_right="website", promise=None, values=(),
            evidence=(Evidence("chat", "s", "l", "t", "14 days", answer_id=f"a{i}"),
                      Evidence("website", "s", "l", "t", "30 days", answer_id="a1")),
        )
        for i in range(0, args.answers, 40)
    ]  # fmt: skip
    embedder = Timed(default_embedder())
    rubric = load_rubric("cx-default")
    started = time.perf_counter()
    scores = score(
        rubric, answers, findings, conversations, embedder,
        channel_kinds={"chat": "chat", "website": "web"},
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    for size, seconds in embedder.batches:
        print(f"embedding batch: {size} texts in {seconds:.1f} s")
    print(f"{args.answers} answers, {len(conversations)} chats: {elapsed:.1f} s in all, "
          f"{args.answers / elapsed:,.0f} answers/s; run score {scores.run:.1f}, "
          f"pass rate {scores.pass_rate:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
