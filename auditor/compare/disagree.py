"""Aligned claims whose values disagree -> grouped findings (DESIGN.md, pipeline step 7).

Claims are compared only inside one group (same kind of value, same role, same scope). Within a
group, two claims from different answers are aligned when their masked contexts are close in
embedding space; aligned claims form topics (connected components), and a topic whose claims
hold values that do not agree, with at least one aligned pair across them, is one finding: every
claim in it is evidence, claims with agreeing values stand on one side.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

import numpy as np

from auditor.compare.claims import Claim, adjective_heads, plain_nouns
from auditor.compare.equivalence import agree
from auditor.model import Evidence, Finding, Promise, ValueCount

PROMISE_CHANNEL = "promises"


@dataclass(frozen=True)
class Thresholds:
    """Cosine similarity of masked contexts above which two claims talk about the same thing."""

    value: float = 0.5
    sure: float = 0.75  # above this, similarity alone aligns two values
    # a brand has several addresses and numbers for different purposes: two differ only when
    # used for the same thing, or when one is a near-copy of the other (a typo)
    identifier: float = 0.7
    near_identifier: float = 0.2
    polarity: float = 0.6
    reworded: float = 0.85  # a yes and a no this close need not share their words
    margin: float = 0.04
    max_chat_evidence_per_value: int = 10
    # Past this many distinct claims in one group, each claim's neighbours come from an
    # approximate index (faiss HNSW) instead of the exact n x n product: the `neighbours`
    # nearest, exactly re-scored.
    exact_up_to: int = 4096
    neighbours: int = 64


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _same_words(a: Claim, b: Claim) -> bool:
    """A yes and a no contradict only about the same thing: their content words nearly match
    ("accessible parking" and "free street parking" are two things). When one says more than
    the other, a no to the general thing denies the specific one ("no parking" against
    "accessible parking is available"), but a no to the specific thing does not deny the
    general one ("no accessible parking" against "parking is available")."""
    ka, kb = _restated(a, b), _restated(b, a)
    if not ka or not kb:
        return False
    if ka == kb or (len(ka | kb) >= 5 and len(ka - kb) <= 1 and len(kb - ka) <= 1):
        return True
    if ka <= kb:
        general, specific = a, b
    elif kb <= ka:
        general, specific = b, a
    else:
        return False
    return general.negated or not specific.negated


def _restated(a: Claim, b: Claim) -> frozenset[str]:
    """`a`'s keywords less the nouns that only restate a noun `b` names: "alcoholic drinks"
    are alcohol, not a narrower kind of it. A noun made narrower by a noun ("parking garage")
    or an adjective of its own ("accessible parking") stays."""
    heads = adjective_heads(a.context)
    if not heads:
        return a.keywords
    nouns = plain_nouns(b.context)
    return a.keywords - {head for head, noun in heads.items() if noun in nouns}


def _narrower_denied(a: Claim, b: Claim) -> bool:
    """One denies a narrower thing than the other affirms ("no accessible parking")."""
    ka, kb = _restated(a, b), _restated(b, a)
    if ka < kb:
        return b.negated and not a.negated
    if kb < ka:
        return a.negated and not b.negated
    return False


def _claims_agree(a: Claim, b: Claim) -> bool:
    if a.kind == "polarity" or b.kind == "polarity":
        return a.negated == b.negated
    assert a.fact is not None and b.fact is not None
    same = agree(a.fact, b.fact)
    if a.negated or b.negated:
        # "not open 24/7" denies 24/7; against another value it says nothing we can check
        return not same if a.negated != b.negated else True
    return same


def _states_same(a: Claim, b: Claim) -> bool:
    """Whether `a` states `b`'s value, not merely leaves it possible: "not open 24/7" is
    consistent with "opens at 14:00" but no evidence for it."""
    return a.negated == b.negated and _claims_agree(a, b)


def find_disagreements(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    authority: Sequence[str],
    promises: Sequence[Promise] = (),
    thresholds: Thresholds = Thresholds(),
) -> list[Finding]:
    """One finding per disagreement among aligned claims. `vectors[i]` embeds claims[i]."""
    folded = fold(claims)
    return disagreements_among(folded, vectors[folded.positions], authority, promises, thresholds)


def disagreements_among(
    folded: Folded,
    vectors: np.ndarray,
    authority: Sequence[str],
    promises: Sequence[Promise] = (),
    thresholds: Thresholds = Thresholds(),
    memo: Memo | None = None,
) -> list[Finding]:
    """`find_disagreements` of claims already folded; `vectors[i]` embeds folded.claims[i].
    With `memo` (the work cache), each group's disputed topics are kept between runs."""
    claims = folded.claims
    keep = _resolve_inherited_scopes(claims, vectors, thresholds)
    by_group: dict[tuple, list[int]] = defaultdict(list)
    for index, claim in enumerate(claims):
        if keep[index]:
            by_group[claim.group].append(index)
    promise_by_id = {p.id: p for p in promises}
    findings: list[Finding] = []
    for group, members in by_group.items():
        if len(members) < 2:
            continue
        # the general answers on the same thing may stand as evidence for a scoped side
        general = by_group.get((*group[:-1], ("", "", "")), []) if any(group[-1]) else []
        everyone = members + general
        findings.extend(
            _group_findings(
                [claims[i] for i in everyone],
                vectors[everyone],
                authority,
                promise_by_id,
                thresholds,
                supporters=len(general),
                folded=folded,
                memo=memo,
            )
        )
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.topic, f.id))
    return findings


class Memo(Protocol):
    """Where results are kept between runs (`auditor.workcache.WorkCache`)."""

    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...


@dataclass
class Folded:
    """Claims with their repeats folded. Agent macros repeat word for word across thousands of
    conversations, and a site's template repeats a sentence on every product page: each
    distinct claim of a channel is compared once, and its copies rejoin it as evidence and in
    the counts. Folding a list in parts and merging the parts in order (`merge`) gives what
    folding the whole list gives, so a chat chunk keeps its part between runs."""

    claims: list[Claim] = field(default_factory=list)  # each distinct one, first seen first
    copies: dict[int, list[Claim]] = field(default_factory=dict)  # id(distinct) -> later ones
    first: dict[tuple, int] = field(default_factory=dict)  # repeat key -> index in `claims`
    positions: list[int] = field(default_factory=list)  # of `claims` in the list folded
    # Places (a reply, a page) that state two or more values of one kind of thing (a group but
    # for its scope), with those claims and their repeat keys: all `_values_stated_together`
    # reads, so it does not walk every copy. A reply is in one part; a page in the run's own.
    several: dict[str, list[tuple[tuple, Claim]]] = field(default_factory=dict)

    def __getstate__(self) -> dict:
        # copies are keyed by object identity, which does not survive pickling: by index
        state = dict(vars(self))
        state["copies"] = {
            i: self.copies[id(c)] for i, c in enumerate(self.claims) if id(c) in self.copies
        }
        return state

    def __setstate__(self, state: dict) -> None:
        by_index = state["copies"]
        vars(self).update(state)
        self.copies = {id(self.claims[i]): copies for i, copies in by_index.items()}


def _repeat_key(claim: Claim) -> tuple:
    return (
        claim.group, claim.context, claim.kind, claim.negated, claim.fallback,
        claim.fact.value if claim.fact is not None else None, claim.answer.channel,
    )  # fmt: skip


def fold(claims: Sequence[Claim]) -> Folded:
    folded = Folded()
    first, copies = folded.first, folded.copies
    said: dict[str, list[tuple[tuple, Claim]]] = defaultdict(list)
    for index, claim in enumerate(claims):
        key = _repeat_key(claim)
        if claim.fact is not None and claim.answer.channel != PROMISE_CHANNEL:
            answer = claim.answer
            said[answer.id if answer.conversation else answer.source].append((key, claim))
        if key in first:
            copies.setdefault(id(folded.claims[first[key]]), []).append(claim)
            continue
        first[key] = len(folded.claims)
        folded.claims.append(claim)
        folded.positions.append(index)
    for where, entries in said.items():
        if len(entries) < 2:
            continue
        values: dict[tuple, set] = defaultdict(set)
        for _, claim in entries:
            values[claim.group[:-1]].add(claim.fact.value)  # type: ignore[union-attr]
        several = {kind for kind, distinct in values.items() if len(distinct) > 1}
        if several:
            folded.several[where] = [(k, c) for k, c in entries if c.group[:-1] in several]
    return folded


def merge(parts: Iterable[Folded]) -> Folded:
    """The fold of the parts' claims laid end to end (`positions` are left empty)."""
    merged = Folded()
    first, copies = merged.first, merged.copies
    for part in parts:
        for key, index in part.first.items():  # in the order first seen
            claim = part.claims[index]
            later = part.copies.get(id(claim), ())
            if key in first:
                copies.setdefault(id(merged.claims[first[key]]), []).extend([claim, *later])
            else:
                first[key] = len(merged.claims)
                merged.claims.append(claim)
                if later:
                    copies[id(claim)] = list(later)  # its own list: a kept part stays as it is
        for where, said in part.several.items():
            merged.several.setdefault(where, []).extend(said)
    return merged


def _resolve_inherited_scopes(
    claims: Sequence[Claim], vectors: np.ndarray, thresholds: Thresholds
) -> list[bool]:
    """A claim scoped only by its conversation's segment is compared within that segment when
    the segment has answers about the same thing, and with the general answers otherwise."""
    inherited = {c.key for c in claims if c.fallback}
    if not inherited:
        return [True] * len(claims)
    by_group: dict[tuple, list[int]] = defaultdict(list)
    for index, claim in enumerate(claims):
        by_group[claim.group].append(index)
    best: dict[tuple[tuple, bool], float] = {}
    confirmed: set[tuple] = set()  # the segment's own answers state this claim's value
    for members in by_group.values():
        candidates = [i for i in members if claims[i].key in inherited]
        others = [i for i in members if claims[i].key not in inherited]
        if not candidates or not others:
            continue
        similarity = vectors[candidates] @ vectors[others].T
        for row, i in enumerate(candidates):
            best[(claims[i].key, claims[i].fallback)] = float(similarity[row].max())
            if not claims[i].fallback:
                # the segment's name weighs on the embedding ("Plus members have 60 days"
                # against "you have 60 days"): with the same value, a looser match will do
                loose = thresholds.value - 0.15
                close = [others[k] for k in np.nonzero(similarity[row] >= loose)[0]]
                if any(_claims_agree(claims[i], claims[k]) for k in close):
                    confirmed.add(claims[i].key)

    def segment_wins(key: tuple) -> bool:
        scoped = best.get((key, False), -1.0)
        general = best.get((key, True), -1.0)
        if key in confirmed:
            return True
        return scoped >= thresholds.value and scoped >= general - thresholds.margin

    return [
        (not segment_wins(c.key))
        if c.fallback
        else segment_wins(c.key)
        if c.key in inherited
        else True
        for c in claims
    ]


_SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2, "info": 3}


def _group_findings(
    claims: list[Claim],
    vectors: np.ndarray,
    authority: Sequence[str],
    promises: dict[str, Promise],
    thresholds: Thresholds,
    supporters: int = 0,
    folded: Folded | None = None,
    memo: Memo | None = None,
) -> list[Finding]:
    """The group's findings: its disputed topics (`_disputed_topics`), each with the copies
    folded into its claims. With `memo`, the topics of a group whose distinct claims, vectors
    and places stating values together are all as on an earlier run are taken from it: a
    nightly run adds copies of known claims, which change the counts and evidence only."""
    folded = folded or fold(claims)
    together = _values_stated_together(claims, folded)
    key = _digest(claims, vectors, thresholds, supporters, together) if memo is not None else ""
    kept = memo.get(key) if memo is not None else None
    if kept is None:
        kept = _disputed_topics(claims, vectors, thresholds, supporters, together)
        if memo is not None:
            memo.put(key, kept)
    conflicts, topics = kept
    findings = []
    copies = folded.copies
    for members in topics:
        ordered = [c for i in members for c in (claims[i], *copies.get(id(claims[i]), ()))]
        inside = set(members)
        edges = [(claims[i], claims[j]) for i, j in conflicts if i in inside and j in inside]
        findings.extend(_findings(ordered, authority, promises, thresholds, edges))
    return findings


_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))


def _digest(
    claims: list[Claim],
    vectors: np.ndarray,
    thresholds: Thresholds,
    supporters: int,
    together: set[frozenset],
) -> str:
    """Everything `_disputed_topics` reads: the claims whole, their vectors, the thresholds.
    Sets are written sorted: their order follows string hashing, which differs per process."""
    digest = hashlib.sha256()
    pairs = sorted(tuple(sorted(map(repr, pair))) for pair in together)
    digest.update(repr((thresholds, supporters, pairs)).encode())
    for claim in claims:
        values = (getattr(claim, name) for name in _CLAIM_FIELDS)
        fields = [sorted(v) if isinstance(v, frozenset) else v for v in values]
        digest.update(repr(fields).encode("utf-8", "surrogatepass"))
    digest.update(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    return "group-topics:" + digest.hexdigest()


def _disputed_topics(
    claims: list[Claim],
    vectors: np.ndarray,
    thresholds: Thresholds,
    supporters: int,
    together: set[frozenset],
) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """(the conflict edges, the disputed topics as sorted claim indices). Each claim looks at
    the claims it aligns with best. If any of those (within a small margin of the best) states
    an agreeing value, the claim is talking about that and agrees; if none does, it disagrees
    with its best match. Only these edges join claims into topics, so a return window never
    chains into a refund time through a third sentence."""
    kind = claims[0].kind
    n = len(claims)
    pairs = _aligned_pairs(claims, vectors, thresholds)
    supporting = pairs  # the last `supporters` claims only ever join as evidence
    if supporters:
        pairs = pairs.where((pairs.rows < n - supporters) & (pairs.cols < n - supporters))
    pairs = pairs.where(_may_compare_pairs(claims, pairs))
    union = _UnionFind(n)
    conflicts: list[tuple[int, int]] = []
    for i in range(n):
        candidates, scores = pairs.row(i)
        if candidates.size == 0:
            continue
        best = float(scores.max())
        close = scores >= best - thresholds.margin
        order = np.argsort(-scores[close], kind="stable")
        near = candidates[close][order].tolist()
        near_scores = scores[close][order].tolist()
        if kind == "reach":
            # "only" speaks about every other place: it disputes each close claim outside it,
            # whatever else that claim agrees with
            for j, score in zip(candidates.tolist(), scores.tolist(), strict=True):
                if i < j and score >= thresholds.sure:
                    if not _claims_agree(claims[i], claims[j]):
                        union.union(i, j)
                        conflicts.append((i, j))
            continue
        agreeing = next((j for j in near if _claims_agree(claims[i], claims[j])), None)
        if agreeing is not None:
            # two yeses agree about anything: for yes/no claims only a dispute joins claims;
            # a denial ("not 24/7") only leaves another value possible, it does not state it
            if kind != "polarity" and _states_same(claims[i], claims[agreeing]):
                union.union(i, agreeing)
            continue
        # of equally close claims, dispute the one stating the same shape of value: "$5.99 per
        # order" against "$4.99 per order", not against "free on orders over $80"
        shape = _shape(claims[i])
        similar = dict(zip(near, near_scores, strict=True))
        j = min(near, key=lambda k: (_shape(claims[k]) != shape, -similar[k]))
        if (
            _value_key(claims[i]) is not None
            and frozenset((_value_key(claims[i]), _value_key(claims[j]))) in together
        ):
            continue  # one answer states both: two quantities of one topic, not a dispute
        union.union(i, j)
        conflicts.append((i, j))
    if not conflicts:
        return [], []
    components: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        components[union.find(i)].append(i)
    conflicted = sorted({union.find(i) for i, _ in conflicts})
    # Every statement about the disputed thing is evidence: add the claims that align with a
    # member and state its value (one hop, so topics do not chain), then merge topics that
    # now share a claim: one disagreement, one finding.
    expanded: list[set[int]] = []
    same_value = _SameValue(claims)
    for root in conflicted:
        members = set(components[root])
        values = {_value_key(claims[m]) for m in members}
        if supporting.exact:
            inside = np.zeros(n, dtype=bool)
            inside[list(members)] = True
            for m in sorted(members):
                candidates = supporting.row(m)[0]
                candidates = candidates[~inside[candidates]]
                if candidates.size:
                    inside[candidates[same_value.states(candidates, m)]] = True
            members = set(np.nonzero(inside)[0].tolist())
        else:
            # evidence comes from exact neighbours even where the index is approximate, so the
            # counts of who says what stay whole
            members |= _restating(claims, same_value, vectors, sorted(members), thresholds)
        if kind in IDENTIFIERS:  # the same address or number anywhere is the same side
            members.update(k for k in range(n - supporters) if _value_key(claims[k]) in values)
        expanded.append(members)
    joined = _UnionFind(len(expanded))
    owner: dict[int, int] = {}
    for index, members in enumerate(expanded):
        for m in members:
            if m in owner:
                joined.union(owner[m], index)
            else:
                owner[m] = index
    merged: dict[int, set[int]] = defaultdict(set)
    for index, members in enumerate(expanded):
        merged[joined.find(index)].update(members)
    return conflicts, [sorted(members) for members in merged.values()]


@dataclass(frozen=True)
class _Pairs:
    """Directed pairs (rows[k], cols[k]) of aligned claims and their cosine similarity, sorted
    by row then column: a sparse stand-in for the n x n similarity matrix."""

    rows: np.ndarray
    cols: np.ndarray
    sims: np.ndarray
    exact: bool = True  # False: each row holds only the nearest neighbours an index found

    @classmethod
    def of(
        cls, n: int, rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, exact: bool = True
    ) -> _Pairs:
        rows, cols = rows.astype(np.int32, copy=False), cols.astype(np.int32, copy=False)
        keys = rows.astype(np.int64) * n + cols
        if keys.size and not bool(np.all(keys[1:] > keys[:-1])):  # exact pairs come sorted
            order = np.argsort(keys, kind="stable")
            rows, cols, sims = rows[order], cols[order], sims[order]
        return cls(rows, cols, sims, exact)

    def where(self, keep: np.ndarray) -> _Pairs:
        return _Pairs(self.rows[keep], self.cols[keep], self.sims[keep], self.exact)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        # the needle in the rows' own type: a mixed search would copy every row index
        lo, hi = np.searchsorted(self.rows, np.array([i, i + 1], dtype=self.rows.dtype))
        return self.cols[lo:hi], self.sims[lo:hi]


def _aligned_pairs(claims: list[Claim], vectors: np.ndarray, thresholds: Thresholds) -> _Pairs:
    """Every pair of different claims close enough to be about the same thing, by the rule of
    their kind (module doc); from an approximate index past `thresholds.exact_up_to` claims."""
    kind = claims[0].kind
    n = len(claims)
    floor = {"polarity": thresholds.polarity}.get(kind, thresholds.value)
    if kind in IDENTIFIERS:  # a brand has few numbers and addresses: always exact
        similarity = vectors @ vectors.T
        near = np.array([[_near_copy(a, b) for b in claims] for a in claims], dtype=bool)
        comparable = (similarity >= thresholds.identifier) | (
            near.reshape(n, n) & (similarity >= thresholds.near_identifier)
        )
        rows, cols = np.nonzero(comparable)
        sims = similarity[rows, cols]
    elif n <= thresholds.exact_up_to:
        similarity = vectors @ vectors.T
        rows, cols = (a.astype(np.int32) for a in np.nonzero(similarity >= floor))
        sims = similarity[rows, cols]
        del similarity  # a tight group of 4,000 keeps most of its 16 million pairs
    else:
        rows, cols, sims = _approximate_neighbours(vectors, thresholds.neighbours, floor)
    rows, cols, sims = _by_kind_rule(claims, rows, cols, sims, thresholds)
    return _Pairs.of(n, rows, cols, sims, exact=n <= thresholds.exact_up_to or kind in IDENTIFIERS)


def _restating(
    claims: list[Claim],
    same_value: _SameValue,
    vectors: np.ndarray,
    members: list[int],
    thresholds: Thresholds,
) -> set[int]:
    """The claims outside `members` that align with one of them (exactly, by the rule of their
    kind) and state its value: one hop, as the exact path expands a topic. Values are checked
    once per distinct value, before the costlier alignment rule."""
    floor = thresholds.polarity if claims[0].kind == "polarity" else thresholds.value
    inside = np.zeros(len(claims), dtype=bool)
    inside[members] = True
    added: set[int] = set()
    for start in range(0, len(members), 256):
        block = members[start : start + 256]
        similarity = vectors[block] @ vectors.T
        for row, m in enumerate(block):
            candidates = np.nonzero((similarity[row] >= floor) & ~inside)[0]
            if candidates.size == 0:
                continue
            candidates = candidates[same_value.states(candidates, m)]
            rows = np.full(candidates.size, m)
            _, cols, _ = _by_kind_rule(
                claims, rows, candidates, similarity[row, candidates], thresholds
            )
            inside[cols] = True
            added.update(cols.tolist())
    return added


def _by_kind_rule(
    claims: list[Claim],
    rows: np.ndarray,
    cols: np.ndarray,
    sims: np.ndarray,
    thresholds: Thresholds,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of two different claims that the rule of their kind lets align."""
    kind = claims[0].kind
    keep = rows != cols
    rows, cols, sims = rows[keep], cols[keep], sims[keep]
    if kind == "polarity":
        # nearly the same sentence in other words ("alcohol" / "alcoholic beverages"). Both
        # rules read only a claim's `_wording`: decided once per pair of distinct wordings
        wording = _ids([_wording(c) for c in claims])
        words = int(wording.max(initial=0)) + 1
        one_of = np.zeros(words, dtype=np.int64)  # a claim of each wording
        one_of[wording] = np.arange(len(claims))
        pair = wording[rows].astype(np.int64) * words + wording[cols]
        if words * words <= 1 << 26:  # marked in a table: no sort of millions of pairs
            present = np.zeros(words * words, dtype=bool)
            present[pair] = True
            distinct = np.nonzero(present)[0]
        else:
            distinct = np.unique(pair)
        same = np.zeros(distinct.size, dtype=bool)
        narrower = np.zeros(distinct.size, dtype=bool)
        for u, code in enumerate(distinct.tolist()):
            a, b = claims[int(one_of[code // words])], claims[int(one_of[code % words])]
            same[u] = _same_words(a, b)
            narrower[u] = not same[u] and _narrower_denied(a, b)
        where = np.searchsorted(distinct, pair)
        keep = same[where] | ((sims >= thresholds.reworded) & ~narrower[where])
        rows, cols, sims = rows[keep], cols[keep], sims[keep]
    elif kind not in IDENTIFIERS:
        # a loosely similar pair must also share a word near its values ("return", "refund")
        keep = sims >= thresholds.sure
        loose = np.nonzero(~keep)[0]
        keep[loose] = _share_a_word(claims, rows[loose], cols[loose])
        rows, cols, sims = rows[keep], cols[keep], sims[keep]
    return rows, cols, sims


def _share_a_word(claims: list[Claim], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Whether claims rows[k] and cols[k] have a keyword in common, for millions of pairs at
    once: each claim's keywords as a bit set over the group's vocabulary."""
    vocabulary: dict[str, int] = {}
    for claim in claims:
        for word in claim.keywords:
            vocabulary.setdefault(word, len(vocabulary))
    words = max(1, (len(vocabulary) + 63) // 64)
    bits = np.zeros((len(claims), words), dtype=np.uint64)
    for i, claim in enumerate(claims):
        for word in claim.keywords:
            slot = vocabulary[word]
            bits[i, slot // 64] |= np.uint64(1 << (slot % 64))
    shared = np.zeros(rows.size, dtype=bool)
    step = max(1, (1 << 24) // words)  # about 128 MiB of bit sets at a time
    for start in range(0, rows.size, step):
        a, b = rows[start : start + step], cols[start : start + step]
        shared[start : start + step] = (bits[a] & bits[b]).any(axis=1)
    return shared


def _approximate_neighbours(
    vectors: np.ndarray, k: int, floor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each vector's k nearest by inner product (HNSW), at or above `floor`, made symmetric: if
    a is among b's neighbours, b is among a's (the exact matrix is symmetric too)."""
    import faiss

    data = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexHNSWFlat(data.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.hnsw.efSearch = max(2 * k, 128)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)  # one thread builds the same graph every run: stable findings
    try:
        index.add(data)
    finally:
        faiss.omp_set_num_threads(threads)
    sims, cols = index.search(data, min(k + 1, len(data)))
    rows = np.repeat(np.arange(len(data)), cols.shape[1])
    cols, sims = cols.ravel(), sims.ravel()
    keep = (cols >= 0) & (sims >= floor)
    rows, cols = np.concatenate([rows[keep], cols[keep]]), np.concatenate([cols[keep], rows[keep]])
    sims = np.concatenate([sims[keep], sims[keep]])
    # a pair found from both ends appears twice: keep one
    _, first = np.unique(rows.astype(np.int64) * len(data) + cols, return_index=True)
    return rows[first], cols[first], sims[first]


IDENTIFIERS = ("phone", "email")


def _near_copy(a: Claim, b: Claim) -> bool:
    """Two different identifiers one or two keystrokes apart: 0142 and 0124, help@ and hlep@."""
    if a.fact is None or b.fact is None:
        return False
    x, y = str(a.fact.value[1]), str(b.fact.value[1])
    if x == y or abs(len(x) - len(y)) > 1:
        return False
    return _edit_distance(x, y) <= 2


def _edit_distance(x: str, y: str) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    rows = [[0] * (len(y) + 1) for _ in range(len(x) + 1)]
    for i in range(len(x) + 1):
        rows[i][0] = i
    for j in range(len(y) + 1):
        rows[0][j] = j
    for i in range(1, len(x) + 1):
        for j in range(1, len(y) + 1):
            cost = 0 if x[i - 1] == y[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and x[i - 1] == y[j - 2] and x[i - 2] == y[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(x)][len(y)]


def _shape(claim: Claim) -> tuple:
    """A value without its numbers: for money its currency, role and unit, or free."""
    if claim.fact is None:
        return ("polarity",)
    value = claim.fact.value
    if claim.fact.kind == "money":
        return ("money", value[0], value[3], value[4], value[2] == 0)
    return (claim.fact.kind,)


def _may_compare_pairs(claims: list[Claim], pairs: _Pairs) -> np.ndarray:
    """Which aligned pairs may be compared at all. Not compared: two claims of one answer; two
    turns of one conversation (one speaker's story, corrections included); two promises; and
    two claims read from the same wording at different value positions, which must be the same
    value of it ("1 point" against "100 points" of one macro)."""

    def ids(values: list) -> np.ndarray:
        numbering: dict = {None: -1}
        return np.array([numbering.setdefault(v, len(numbering)) for v in values], dtype=np.int64)

    def shared(numbers: np.ndarray) -> bool:  # whether two claims have one number (not -1)
        known = numbers[numbers >= 0]
        return np.unique(known).size < known.size

    answer = ids([c.answer.id for c in claims])
    conversation = ids([c.answer.conversation or None for c in claims])
    promise = np.array([c.answer.channel == PROMISE_CHANNEL for c in claims], dtype=bool)
    wording = ids([c.position[0] if c.position else None for c in claims])
    index = np.array([c.position[1] if c.position else -1 for c in claims], dtype=np.int64)
    a, b = pairs.rows, pairs.cols
    may = np.ones(a.size, dtype=bool)
    # each rule only where two claims can meet it: a tight group holds millions of pairs
    if shared(answer):
        may &= answer[a] != answer[b]
    if shared(conversation):
        may &= ~((conversation[a] >= 0) & (conversation[a] == conversation[b]))
    if promise.sum() > 1:
        may &= ~(promise[a] & promise[b])
    if shared(wording):
        may &= ~((wording[a] >= 0) & (wording[a] == wording[b]) & (index[a] != index[b]))
    return may


def _value_key(claim: Claim) -> tuple | None:
    return claim.fact.value if claim.fact is not None else None


def _values_stated_together(claims: list[Claim], folded: Folded) -> set[frozenset]:
    """Pairs of different values that one page, file or reply states side by side: two
    quantities of one topic there (a deposit and a parking fee), not a dispute. Copies folded
    into a claim count where they were said. `claims` are distinct claims of `folded`, of one
    group and its general one: only the places `folded.several` lists can state two values."""
    here = {id(c) for c in claims}
    by_answer: dict[str, set] = defaultdict(set)
    for where, said in folded.several.items():
        for key, claim in said:
            if id(folded.claims[folded.first[key]]) in here:
                by_answer[where].add(claim.fact.value)  # type: ignore[union-attr]
    pairs: set[frozenset] = set()
    for values in by_answer.values():
        if 1 < len(values) <= 6:
            ordered = sorted(values, key=repr)
            for x in range(len(ordered)):
                for y in range(x + 1, len(ordered)):
                    pairs.add(frozenset((ordered[x], ordered[y])))
    return pairs


def _sides(claims: list[Claim], authority: Sequence[str]) -> list[list[Claim]]:
    """Partition claims into sides of agreeing values, most authoritative side first."""
    rank = {name: i for i, name in enumerate([PROMISE_CHANNEL, *authority])}
    ordered = sorted(claims, key=lambda c: (rank.get(c.answer.channel, len(rank)), c.answer.source))
    sides: list[list[Claim]] = []
    # each side's distinct values, one claim each: a side of 10,000 copies of one macro has one
    distinct: list[dict[tuple, Claim]] = []
    # A signature always joins the side its first claim joined: the sides before that one each
    # hold a value it disagrees with, and sides only ever gain values.
    side_of: dict[tuple, int] = {}
    for claim in ordered:
        signature = _signature(claim)
        if signature in side_of:
            sides[side_of[signature]].append(claim)
            continue
        for n, values in enumerate(distinct):
            # "not 24/7" agrees with 14:00 and with 16:00, which do not agree with each other
            if all(_claims_agree(m, claim) for m in values.values()):
                sides[n].append(claim)
                values[signature] = claim
                side_of[signature] = n
                break
        else:
            side_of[signature] = len(sides)
            sides.append([claim])
            distinct.append({signature: claim})
    return sides


def _wording(claim: Claim) -> tuple:
    """All that `_same_words` and `_narrower_denied` read of a claim."""
    return (
        claim.keywords,
        frozenset(adjective_heads(claim.context).items()),
        plain_nouns(claim.context),
        claim.negated,
    )


def _ids(values: list) -> np.ndarray:
    """Each value's number: equal values, equal numbers."""
    numbering: dict = {}
    return np.array([numbering.setdefault(v, len(numbering)) for v in values], dtype=np.int64)


class _SameValue:
    """`_states_same` of many claims against one, decided once per pair of `_signature`s: a
    disputed topic of thousands of claims holds a handful of distinct values."""

    def __init__(self, claims: list[Claim]) -> None:
        self.claims = claims
        self.signature = _ids([_signature(c) for c in claims])
        self.first = np.full(int(self.signature.max(initial=-1)) + 1, -1, dtype=np.int64)
        self.first[self.signature[::-1]] = np.arange(len(claims) - 1, -1, -1)  # a claim of each
        # signature of claims[m] -> per signature: 1 states it, 0 does not, -1 not decided yet
        self.columns: dict[int, np.ndarray] = {}

    def states(self, candidates: np.ndarray, m: int) -> np.ndarray:
        """Which of `candidates` state claims[m]'s value."""
        mine = int(self.signature[m])
        column = self.columns.get(mine)
        if column is None:
            column = self.columns[mine] = np.full(self.first.size, -1, dtype=np.int8)
        theirs = self.signature[candidates]
        decided = column[theirs]
        if (decided < 0).any():
            for signature in np.unique(theirs[decided < 0]).tolist():
                other = self.claims[int(self.first[signature])]
                column[signature] = _states_same(other, self.claims[m])
            decided = column[theirs]
        return decided.astype(bool)


def _signature(claim: Claim) -> tuple:
    """All that `_claims_agree` reads of a claim."""
    fact = claim.fact
    return (claim.kind, claim.negated, fact.kind if fact else None, fact.value if fact else None)


def _findings(
    claims: list[Claim],
    authority: Sequence[str],
    promises: dict[str, Promise],
    thresholds: Thresholds,
    conflicts: list[tuple[Claim, Claim]] | None = None,
) -> list[Finding]:
    sides = _sides(claims, authority)
    if len(sides) < 2:
        return []
    rank = {name: i for i, name in enumerate([PROMISE_CHANNEL, *authority])}

    def side_key(side: list[Claim]) -> tuple:
        best = min(rank.get(c.answer.channel, len(rank)) for c in side)
        sources = len({c.answer.source for c in side if not c.answer.conversation})
        conversations = len({c.answer.conversation for c in side if c.answer.conversation})
        return (best, -sources, -conversations)

    sides.sort(key=side_key)
    right = sides[0]
    others: list[Finding] = []
    if conflicts is not None:
        side_of = {id(c): n for n, side in enumerate(sides) for c in side}
        # a conflict edge runs from a claim to the one it is most about: a side belongs with
        # the right side its own claims point at, and only then with one that points at it
        points_to = defaultdict(set)
        for a, b in conflicts:
            points_to[side_of[id(a)]].add(side_of[id(b)])
        kept = [right] + [
            side
            for n, side in enumerate(sides[1:], start=1)
            if 0 in points_to[n] or (not points_to[n] and n in points_to[0])
        ]
        # sides that dispute each other but not this right side are a disagreement of their
        # own (a backpack's lifetime against ten years, beside everything else's two years)
        rest = [c for side in sides if all(side is not k for k in kept) for c in side]
        ids = {id(c) for c in rest}
        among = [(a, b) for a, b in conflicts if id(a) in ids and id(b) in ids]
        if among:
            others = _findings(rest, authority, promises, thresholds, among)
        sides = kept
        claims = [c for side in sides for c in side]
        if len(sides) < 2:
            return others
    promise_claim = next((c for c in right if c.answer.channel == PROMISE_CHANNEL), None)
    promise = (
        promises.get(promise_claim.answer.locator.removeprefix("promise: "))
        if promise_claim
        else None
    )
    brand_sides = [[c for c in side if c.answer.channel != PROMISE_CHANNEL] for side in sides]
    if sum(1 for side in brand_sides if side) < (1 if promise else 2):
        return others
    if not promise and all(c.answer.conversation for c in claims):
        # agents disagreeing only among themselves, with nothing written to check against,
        # are more often two customers' cases than two policies
        return others
    values: list[ValueCount] = []
    evidence: list[Evidence] = []
    for side in sides:
        label = _side_label(side)
        conversations = {c.answer.conversation for c in side if c.answer.conversation}
        sources = {c.answer.source for c in side if not c.answer.conversation}
        values.append(
            ValueCount(value=label, sources=len(sources), conversations=len(conversations))
        )
        shown_chat = 0
        seen_answers: set[str] = set()
        for claim in side:
            if claim.answer.channel == PROMISE_CHANNEL:
                continue
            if claim.answer.id in seen_answers:
                continue
            seen_answers.add(claim.answer.id)
            if claim.answer.conversation:
                shown_chat += 1
                if shown_chat > thresholds.max_chat_evidence_per_value:
                    continue
            evidence.append(_evidence(claim, label))
    first = claims[0]
    kind = "promise_breach" if promise else "contradiction"
    severity = promise.severity if promise else _severity(sides)
    topic = _topic(right, sides, promise)
    wrong = ", ".join(f"{_channels(side)} says {_side_label(side)}" for side in sides[1:])
    if promise:
        summary = f"{wrong}; promise '{promise.id}' says {_side_label(right)}"
    else:
        summary = f"{wrong}; {_channels(right)} says {_side_label(right)}"
    right_brand = [c for c in right if c.answer.channel != PROMISE_CHANNEL]
    likely_right = right_brand[0].answer.channel if right_brand else PROMISE_CHANNEL
    finding = Finding(
        id=_fingerprint(kind, first, sides, promise),
        kind=kind,
        severity=severity,
        topic=topic,
        summary=summary,
        likely_right=likely_right,
        promise=promise.id if promise else None,
        values=tuple(values),
        evidence=tuple(evidence),
        scope=first.scope,
        fact_kind=first.kind,
    )
    return [finding, *others]


def _side_label(side: list[Claim]) -> str:
    # the most common way this side writes its value
    counts: dict[str, int] = defaultdict(int)
    for claim in side:
        counts[claim.display] += 1
    return max(counts, key=lambda k: (counts[k], -len(k)))


def _channels(side: list[Claim]) -> str:
    names = list(
        dict.fromkeys(c.answer.channel for c in side if c.answer.channel != PROMISE_CHANNEL)
    )
    return " and ".join(names) if names else PROMISE_CHANNEL


def _severity(sides: list[list[Claim]]) -> str:
    documented = {c.answer.channel for side in sides for c in side if not c.answer.conversation}
    return "major" if documented else "minor"


def _topic(right: list[Claim], sides: list[list[Claim]], promise: Promise | None) -> str:
    """The heading or FAQ question the disagreement sits under: for a breach, where the
    breaking answer is written; otherwise where the likely-right answer is."""
    wrong = [c for side in sides[1:] for c in side]
    for group in [wrong, right] if promise else [right, wrong]:
        headings = [
            c.answer.question.strip()[:80]
            for c in group
            if c.answer.channel != PROMISE_CHANNEL
            and c.answer.question
            and not c.answer.conversation
        ]
        if headings:  # the heading most of them sit under; of equals, the first seen
            counts = Counter(headings)
            return max(counts, key=counts.__getitem__)
    if promise:
        return promise.statement[:80]
    return " ".join(right[0].context.split()[:10])


def _evidence(claim: Claim, label: str) -> Evidence:
    answer = claim.answer
    return Evidence(
        channel=answer.channel,
        source=answer.source,
        locator=answer.locator,
        text=claim.statement.text,
        value=label,
        answer_id=answer.id,
        conversation=answer.conversation,
        line=answer.line_at(claim.statement.start),
    )


def _site_relative(source: str) -> str:
    """A page's path without scheme, host and port, so a staging crawl and a production crawl
    (or the demo on another free port) give the same fingerprints."""
    return re.sub(r"^[a-z][a-z0-9+.-]*://[^/]+", "", source, flags=re.IGNORECASE) or "/"


def _fingerprint(kind: str, first: Claim, sides: list[list[Claim]], promise: Promise | None) -> str:
    """Stable while the disagreement stays: what is compared, in which scope, which values, and
    where the authoritative side is written. New conversations repeating a value keep it."""
    anchor = sides[0][0].answer
    values = sorted(repr(side[0].fact.value if side[0].fact else side[0].negated) for side in sides)
    parts = [
        kind,
        first.kind,
        repr(first.scope.key()),
        "|".join(values),
        promise.id if promise else f"{_site_relative(anchor.source)}#{anchor.locator}",
    ]
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]
