"""Folding repeated claims in parts (a chat chunk keeps its part between runs) and merging the
parts gives what folding the whole list gives; a kept part survives pickling."""

from __future__ import annotations

import pickle

from test_disagreements import answers_of

from auditor.compare import all_claims
from auditor.compare.disagree import fold, merge
from auditor.facts import statements_for

REPLIES = [
    "You can return it within 30 days.",
    "Refunds take 5-7 business days.",
    "You can return it within 14 days.",
    "You can return it within 30 days.",
    "Refunds take 5-7 business days.",
    "You can return it within 30 days. Refunds take 5-7 business days.",
    "Express shipping costs $15.",
    "You can return it within 14 days.",
]


def _claims():
    answers = answers_of(
        [("kb", REPLIES[0], None), ("kb", REPLIES[0], None)]
        + [("chat", text, None) for text in REPLIES * 3]
    )
    return all_claims(answers, {a.id: statements_for(a) for a in answers})


def _shape(folded) -> tuple:
    return (
        [id(c) for c in folded.claims],
        {k: [id(c) for c in v] for k, v in folded.copies.items()},
        folded.first,
    )


def test_merged_parts_fold_as_the_whole_list_does():
    claims = _claims()
    whole = fold(claims)
    assert whole.copies, "the replies repeat"
    for cuts in ([], [3], [2, 9], [1, 5, 11, 20], list(range(1, len(claims)))):
        bounds = [0, *cuts, len(claims)]
        parts = [fold(claims[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        assert _shape(merge(parts)) == _shape(whole), cuts
    # merging does not change the parts it was given
    parts = [fold(claims[:10]), fold(claims[10:])]
    before = [_shape(p) for p in parts]
    merge(parts)
    assert [_shape(p) for p in parts] == before


def test_a_pickled_part_keeps_its_copies():
    claims = _claims()
    part = fold(claims)
    again = pickle.loads(pickle.dumps((claims, part)))[1]
    assert [c.key for c in again.claims] == [c.key for c in part.claims]
    assert {
        again.claims.index(next(c for c in again.claims if id(c) == k)): [c.key for c in v]
        for k, v in again.copies.items()
    } == {
        part.claims.index(next(c for c in part.claims if id(c) == k)): [c.key for c in v]
        for k, v in part.copies.items()
    }


class _Memo(dict):
    def __init__(self) -> None:
        super().__init__()
        self.hits = 0

    def get(self, key, default=None):
        found = super().get(key, default)
        self.hits += found is not None
        return found

    def put(self, key, value) -> None:
        self[key] = pickle.loads(pickle.dumps(value))  # as the work cache gives it back


def _findings(claims, memo, real_embedder):
    from auditor.compare import embed_claims
    from auditor.compare.disagree import disagreements_among

    folded = fold(claims)
    vectors = embed_claims(folded.claims, real_embedder)
    return disagreements_among(folded, vectors, ["kb", "chat"], memo=memo)


def test_kept_topics_give_the_findings_of_a_fresh_compare(real_embedder):
    claims = _claims()
    memo = _Memo()
    fresh = _findings(claims, None, real_embedder)
    assert fresh, "14 days against 30 days"
    assert _findings(claims, memo, real_embedder) == fresh and memo and memo.hits == 0
    # more copies of known claims: the topics are kept, the counts follow the copies
    later = answers_of(
        [("kb", REPLIES[0], None)] * 2 + [("chat", text, None) for text in REPLIES * 5]
    )[2 + 3 * len(REPLIES) :]  # new conversations repeating the same replies
    more = claims + all_claims(later, {a.id: statements_for(a) for a in later})
    again = _findings(more, memo, real_embedder)
    assert memo.hits > 0
    assert again == _findings(more, None, real_embedder)
    assert [v.conversations for v in again[0].values] != [v.conversations for v in fresh[0].values]
    # a new distinct claim changes its group: that group is worked out afresh, and kept
    kept = len(memo)
    other = answers_of([("chat", "You can return it within 60 days.", None)])
    changed = claims + all_claims(other, {a.id: statements_for(a) for a in other})
    assert _findings(changed, memo, real_embedder) == _findings(changed, None, real_embedder)
    assert len(memo) == kept + 1


def test_a_groups_digest_is_the_same_in_every_process():
    """Keywords are a frozenset, whose order follows per-process string hashing."""
    import os
    import subprocess
    import sys

    script = (
        "import sys; sys.path[:0] = ['tests/compare']\n"
        "import numpy as np\n"
        "from test_fold import _claims\n"
        "from auditor.compare.disagree import Thresholds, _digest, fold\n"
        "claims = fold(_claims()).claims\n"
        "print(_digest(claims, np.ones((len(claims), 4), np.float32), Thresholds(), 0, set()))\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1
