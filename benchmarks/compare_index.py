"""Exact against approximate neighbour search in the compare stage, on one large claim group.

Agents who write their own words (not macros) give thousands of distinct claims about the same
few things. This builds N distinct claims from 40 real sentences about returns, shipping and
refunds (each sentence's vector moved a little, as rewordings move it), with 1 in 50 stating a
wrong value and a knowledge base that states each right value. It times `find_disagreements`
with the exact n x n search and with the HNSW index (`Thresholds.exact_up_to`), and prints the
time, the stage's peak memory and how many findings and wrong-side answers each finds.

    python benchmarks/compare_index.py [--sizes 1000 2000 4000 8000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
from auditor.compare import all_claims  # noqa: E402
from auditor.compare.disagree import Thresholds, find_disagreements  # noqa: E402
from auditor.compare.embedder import default_embedder  # noqa: E402
from auditor.facts import statements_for  # noqa: E402
from auditor.model import Answer  # noqa: E402

SENTENCES = [
    "You can return any item within {n} days of delivery.",
    "Returns are accepted for {n} days after the parcel arrives.",
    "Refunds reach your card within {n} business days of the return arriving.",
    "Standard shipping takes {n} business days.",
    "Express orders arrive within {n} business days.",
    "Our warranty covers defects for {n} years.",
    "Store credit is valid for {n} months.",
    "We keep unclaimed parcels for {n} days at the depot.",
]
RIGHT = {0: 30, 1: 30, 2: 5, 3: 4, 4: 2, 5: 2, 6: 12, 7: 14}
OPENERS = ["", "Good news: ", "Just so you know, ", "As a rule, ", "Normally "]


def build(size: int, seed: int = 3) -> tuple[list, np.ndarray, int]:
    rng = random.Random(seed)
    texts = []
    for k, template in enumerate(SENTENCES):
        for opener in OPENERS:
            texts.append((k, opener + template))
    answers, wrong = [], 0
    for n in range(size):
        k, text = texts[n % len(texts)]
        value = RIGHT[k]
        if rng.random() < 0.02:
            value, wrong = value + 7, wrong + 1
        answers.append(
            Answer(
                id=f"a-{n}",
                channel="chat",
                source="day.jsonl",
                locator=f"c-{n} turn 2",
                text=text.format(n=value),
                kind="agent",
                conversation=f"c-{n}",
            )
        )
    for k, template in enumerate(SENTENCES):  # the knowledge base states each right value
        answers.append(
            Answer(
                id=f"kb-{k}",
                channel="kb",
                source=f"kb/{k}.md",
                locator="section: Policy",
                text=template.format(n=RIGHT[k]),
            )
        )
    claims = all_claims(answers, {a.id: statements_for(a) for a in answers})
    claims = [c for c in claims if c.kind == "duration"]
    contexts = sorted({c.context for c in claims})
    base = default_embedder().encode(contexts)
    where = {text: i for i, text in enumerate(contexts)}
    noise = np.random.default_rng(seed).normal(0, 0.02, (len(claims), base.shape[1]))
    vectors = base[[where[c.context] for c in claims]] + noise.astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    # distinct wording per claim, so no two fold into one (as rewordings do not)
    claims = [replace(c, context=f"{c.context} #{i}") for i, c in enumerate(claims)]
    return claims, vectors.astype(np.float32), wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000, 8000])
    args = parser.parse_args()
    for size in args.sizes:
        claims, vectors, wrong = build(size)
        for name, thresholds in (
            ("exact", Thresholds(exact_up_to=10**9)),
            ("approximate", Thresholds(exact_up_to=0)),
        ):
            tracemalloc.start()
            began = time.perf_counter()
            findings = find_disagreements(claims, vectors, ["kb", "chat"], (), thresholds)
            spent = time.perf_counter() - began
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            flagged = {
                e.answer_id
                for f in findings
                for v, e in ((v, e) for v in f.values[1:] for e in f.evidence)
                if e.value == v.value
            }
            print(
                f"{size:>6} claims, {wrong} wrong  {name:<11} {spent:7.2f} s  peak {peak:7.0f} MiB"
                f"  {len(findings)} findings, {len(flagged)} wrong-side answers"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
