"""Score a report.json against a bench brand's labels.yaml, as ../shared/bench/FORMAT.md defines.

A finding matches a label when two of its evidence items match the label's sides and state
different values; a promise side matches the finding's `promise`. precision = true findings /
reported contradiction and promise_breach findings (true: matches a label and no negative);
recall = matched labels / labels.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _item_matches(side: dict, item: dict) -> bool:
    where = fold(item.get("source", "")) + fold(item.get("locator", ""))
    return fold(side["source"]) in where and fold(side["text"]) in fold(item.get("text", ""))


def matches(label: dict, finding: dict, is_negative: bool = False) -> bool:
    a, b = label["a"], label["b"]
    kind = label.get("kind")
    if not is_negative and kind == "promise_breach" and finding["kind"] != "promise_breach":
        return False
    evidence = finding.get("evidence", [])
    for promise_side, other in ((a, b), (b, a)):
        if "promise" in promise_side:
            if finding.get("promise") != promise_side["promise"]:
                return False
            return any(_item_matches(other, item) for item in evidence)
    for x in evidence:
        if not _item_matches(a, x):
            continue
        for y in evidence:
            if y is x or not _item_matches(b, y):
                continue
            if fold(x.get("value")) != fold(y.get("value")):
                return True
    return False


@dataclass
class Score:
    reported: int = 0
    true_findings: int = 0
    matched_labels: set[str] = field(default_factory=set)
    negatives_hit: set[str] = field(default_factory=set)
    labels: list[dict] = field(default_factory=list)
    false_findings: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_findings / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return len(self.matched_labels) / len(self.labels) if self.labels else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(report: dict[str, Any], labels: dict[str, Any]) -> Score:
    result = Score(labels=list(labels.get("findings", [])))
    negatives = list(labels.get("negatives", []))
    for finding in report.get("findings", []):
        if finding["kind"] not in ("contradiction", "promise_breach"):
            continue
        result.reported += 1
        hit = [label["id"] for label in result.labels if matches(label, finding)]
        neg = [n["id"] for n in negatives if matches(n, finding, is_negative=True)]
        result.matched_labels.update(hit)
        result.negatives_hit.update(neg)
        if hit and not neg:
            result.true_findings += 1
        else:
            result.false_findings.append(finding)
    return result


def by_kind(result: Score) -> dict[str, tuple[int, int]]:
    """(matched, total) labels per label kind."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label in result.labels:
        counts[label["kind"]][1] += 1
        if label["id"] in result.matched_labels:
            counts[label["kind"]][0] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}
