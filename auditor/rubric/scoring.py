"""Score answers and conversations with a rubric, and roll the scores up (DESIGN.md, "Score").

The rules are the ones support-QA scorecards use:
- a criterion that does not apply (another channel, or the check says N/A) leaves the
  denominator: it is neither passed nor failed;
- a unit's score is 100 x (weight of applicable criteria passed) / (weight of applicable
  criteria), None when nothing applied;
- a failed critical criterion zeroes the unit (`critical_mode: zero`) or only marks it failed,
  keeping the computed score (`flag`);
- a conversation scores the mean of its units: its answers and, when conversation-level
  criteria applied, the conversation itself; in zero mode any failed critical in it zeroes it;
- channels, topics and the run are means over their scored answers; the pass rate is the share
  of scored answers at or above `pass_threshold` with no failed critical criterion.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from auditor.errors import ConfigError
from auditor.model import (
    BRAND_ROLES,
    Answer,
    AnswerScore,
    Conversation,
    CriterionResult,
    Finding,
    Scores,
)
from auditor.rubric.checks.interface import Check, Context, Embeddings, Target
from auditor.rubric.registry import CHECKS
from auditor.rubric.schema import ANSWER_KINDS, CHANNEL_KINDS, Criterion, Rubric

if TYPE_CHECKING:
    from auditor.compare.embedder import Embedder

_NONE: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class ConversationScore:
    """A conversation's roll-up, with the results of the conversation-level criteria.

    auditor.model.Scores keeps only the number per conversation; reports that show why a
    conversation failed (no escalation offered) need these results too.
    """

    conversation_id: str
    score: float | None
    failed_critical: bool = False
    results: tuple[CriterionResult, ...] = ()


# a unit's (score, failed critical, criterion results)
UnitResult = tuple[float | None, bool, tuple[CriterionResult, ...]]


@dataclass(frozen=True)
class RubricOutcome:
    scores: Scores
    conversations: tuple[ConversationScore, ...] = ()
    # results worked out in this run for units no finding names, by `unit_key`: they depend on
    # the unit and the rubric alone, and may be passed back as `kept` on a later run
    judged_alone: Mapping[str, UnitResult] = field(default_factory=dict)


@dataclass(frozen=True)
class SettledScores:
    """Answers and conversations scored in an earlier run that no finding names now (a chat
    chunk's): their scores depend on them and the rubric alone, so they are taken as they are
    and rolled up with the rest, not judged or built again."""

    channel: str
    answer_ids: frozenset[str]
    conversation_ids: frozenset[str]
    answers: tuple[AnswerScore, ...]  # in answer order
    conversations: tuple[ConversationScore, ...]
    # the conversations' own results (conversation-level criteria), by `unit_key`
    conversation_units: Mapping[str, UnitResult]

    def units(self) -> dict[str, UnitResult]:
        """Every unit's result by `unit_key`, as `kept` takes them: for when a finding comes to
        name some of these units, and only those are judged again."""
        kept = dict(self.conversation_units)
        for s in self.answers:
            if s.results or s.score is not None:
                kept[unit_key("answer", s.answer_id)] = (s.score, s.failed_critical, s.results)
        return kept


def unit_key(level: str, unit_id: str) -> str:
    return ("a:" if level == "answer" else "c:") + unit_id


def score(
    rubric: Rubric,
    answers: Sequence[Answer],
    findings: Sequence[Finding],
    conversations: Sequence[Conversation],
    embedder: Embedder | None,
    topics: Mapping[str, str] = _NONE,
    channel_kinds: Mapping[str, str] = _NONE,
) -> Scores:
    """Score every answer with `rubric` and roll the scores up; see the module docstring.

    `topics` maps answer id -> topic (answers without one count in no topic); `channel_kinds`
    maps channel name -> kind (web, helpcenter, files, chat) so `applies_to` can name kinds.
    The embedder is needed only when a semantic criterion applies to something; all texts are
    embedded in one `encode` call, each distinct text once.
    """
    return score_detailed(
        rubric, answers, findings, conversations, embedder, topics, channel_kinds
    ).scores


def score_detailed(
    rubric: Rubric,
    answers: Sequence[Answer],
    findings: Sequence[Finding],
    conversations: Sequence[Conversation],
    embedder: Embedder | None,
    topics: Mapping[str, str] = _NONE,
    channel_kinds: Mapping[str, str] = _NONE,
    kept: Mapping[str, UnitResult] = _NONE,
    settled: Sequence[tuple[int, SettledScores]] = (),
) -> RubricOutcome:
    """`score`, plus each conversation's conversation-level criterion results. `kept` holds
    results of an earlier run's `judged_alone`, for this same rubric and channels: a unit no
    finding names takes its kept result instead of being judged again. Each of `settled` is
    (index in `answers` its answers stand before, scores of an earlier run that no finding
    names), rolled up with the rest; none of its answers or conversations is in `answers` or
    `conversations`."""
    _check_names(rubric, answers, channel_kinds, {part.channel for _, part in settled})
    checks: dict[str, Check[Any]] = {c.id: CHECKS[c.check](c.params) for c in rubric.criteria}
    by_level = {
        "answer": [c for c in rubric.criteria if c.level == "answer"],
        "conversation": [c for c in rubric.criteria if c.level == "conversation"],
    }

    # (what is judged, the names applies_to can match, whether the rubric covers it). Agent
    # macros repeat thousands of times: units with the same words, question and tags share one
    # target for embedding (`first_of`), and one no finding names is judged once (`unnamed`).
    context = Context.build(findings)
    tags_of: dict[tuple, frozenset[str]] = {}
    covers: dict[frozenset[str], bool] = {}
    # (answer, tags, covered, named by a finding, its kept result if it may take one)
    answer_units = []
    members: dict[str, list[Answer]] = {}
    for answer in answers:
        if answer.kind == "promise":  # the brand's standard, not something said to a customer
            continue
        where = (answer.channel, answer.kind)
        if where not in tags_of:
            tags_of[where] = _answer_tags(answer, channel_kinds)
        tags = tags_of[where]
        if tags not in covers:
            covers[tags] = _matches(rubric.applies_to, tags)
        named = answer.id in context.by_answer
        prior = None if named or not kept else kept.get(unit_key("answer", answer.id))
        answer_units.append((answer, tags, covers[tags], named, prior))
        if answer.conversation is not None:
            members.setdefault(answer.conversation, []).append(answer)

    # (conversation, its answers, tags, covered, named, kept result); a kept one was covered
    conversation_units = []
    for conv in conversations:
        mine = members.get(conv.id, [])
        named = conv.id in context.by_conversation or any(a.id in context.by_answer for a in mine)
        prior = None if named or not kept else kept.get(unit_key("conversation", conv.id))
        if prior is not None:
            conversation_units.append((conv, mine, frozenset(), True, named, prior))
            continue
        tags = _conversation_tags(conv, mine, channel_kinds)
        covered = _matches(rubric.applies_to, tags)
        conversation_units.append((conv, mine, tags, covered, named, None))

    first_of: dict[tuple, Target] = {}  # (words, question, tags) -> the first such answer's
    for answer, tags, covered, _, prior in answer_units:
        if not covered or prior is not None:
            continue
        key = (answer.text, answer.question or "", tags)
        if key not in first_of:
            first_of[key] = _answer_target(answer)
    # conversations too: the same exchange (role, words, turn) with the same tags, judged once
    said_of: dict[str, tuple] = {}
    first_exchange: dict[tuple, tuple[Target, frozenset[str]]] = {}
    for conv, mine, tags, covered, _, prior in conversation_units:
        if not covered or prior is not None:
            continue
        key = (tags, tuple((m.role, m.text, m.turn) for m in conv.messages))
        said_of[conv.id] = key
        if key not in first_exchange:
            first_exchange[key] = (_conversation_target(conv, mine), tags)
    units: dict[str, list[tuple[Target, frozenset[str]]]] = {
        "answer": [(target, key[2]) for key, target in first_of.items()],
        "conversation": list(first_exchange.values()),
    }
    applicable = {
        c.id: [t for t, tags in units[c.level] if _matches(c.applies_to, tags)]
        for c in rubric.criteria
    }
    _embed(rubric, checks, applicable, embedder)

    weights = {c.id: c.weight for c in rubric.criteria}
    critical = frozenset(c.id for c in rubric.criteria if c.critical)
    answer_scores = []
    judged: dict[tuple, CriterionResult] = {}
    unnamed: dict[tuple, UnitResult] = {}
    alone: dict[str, UnitResult] = {}
    for answer, tags, covered, named, prior in answer_units:
        if not covered:
            answer_scores.append(AnswerScore(answer_id=answer.id, score=None))
            continue
        if prior is not None:
            answer_scores.append(AnswerScore(answer.id, *prior))
            continue
        key = (answer.text, answer.question or "", tags)
        if not named and key in unnamed:
            value, failed, results = unnamed[key]
        else:
            target = _answer_target(answer)
            results = _results(by_level["answer"], checks, target, tags, context, judged)
            value, failed = _unit_score(rubric, weights, critical, results)
            if not named:
                unnamed[key] = (value, failed, results)
        if not named:
            alone[unit_key("answer", answer.id)] = unnamed[key]
        answer_scores.append(AnswerScore(answer.id, value, failed, results))

    conversation_results: dict[str, UnitResult] = {}
    exchanges: dict[tuple, UnitResult] = {}
    if by_level["conversation"]:
        for conv, mine, tags, covered, named, prior in conversation_units:
            if not covered:
                continue
            if prior is not None:
                conversation_results[conv.id] = prior
                continue
            key = said_of[conv.id]
            if not named and key in exchanges:
                conversation_results[conv.id] = exchanges[key]
            else:
                target = _conversation_target(conv, mine)
                results = _results(by_level["conversation"], checks, target, tags, context)
                value, failed = _unit_score(rubric, weights, critical, results)
                conversation_results[conv.id] = (value, failed, results)
                if not named:
                    exchanges[key] = (value, failed, results)
            if not named:
                alone[unit_key("conversation", conv.id)] = conversation_results[conv.id]

    scored_answers = [unit[0] for unit in answer_units]
    # where each settled part stands among the scored answers, promises being left out
    promise_at = [i for i, a in enumerate(answers) if a.kind == "promise"] if settled else []
    parts = [(i - bisect_left(promise_at, i), part) for i, part in settled]
    outcome = _roll_up(rubric, scored_answers, answer_scores, conversation_results, topics, parts)
    return RubricOutcome(outcome.scores, outcome.conversations, alone)


def _roll_up(
    rubric: Rubric,
    answers: Sequence[Answer],  # the answers of `answer_scores`, in its order
    answer_scores: list[AnswerScore],
    conversation_results: dict[str, tuple[float | None, bool, tuple[CriterionResult, ...]]],
    topics: Mapping[str, str],
    settled: Sequence[tuple[int, SettledScores]] = (),
) -> RubricOutcome:
    if settled:  # each part's answers where they stand: Scores.answers is in answer order
        spliced: list[AnswerScore] = []
        done = 0
        for at, part in sorted(settled, key=lambda s: s[0]):
            spliced.extend(answer_scores[done:at])
            spliced.extend(part.answers)
            done = at
        spliced.extend(answer_scores[done:])
    else:
        spliced = answer_scores
    scored = [(s.score, s.failed_critical) for s in spliced if s.score is not None]
    channels: dict[str, list[float]] = {}
    topic_scores: dict[str, list[float]] = {}
    units: dict[str, list[AnswerScore]] = {}
    for answer, item in zip(answers, answer_scores, strict=True):
        if answer.conversation is not None:
            units.setdefault(answer.conversation, []).append(item)
        if item.score is None:
            continue
        channels.setdefault(answer.channel, []).append(item.score)
        if item.answer_id in topics:
            topic_scores.setdefault(topics[item.answer_id], []).append(item.score)

    conversation_scores: list[ConversationScore] = []
    for conv_id in list(dict.fromkeys([*units, *conversation_results])):
        values = [s.score for s in units.get(conv_id, []) if s.score is not None]
        failed = any(s.failed_critical for s in units.get(conv_id, []))
        own_score, own_failed, results = conversation_results.get(conv_id, (None, False, ()))
        if own_score is not None:
            values.append(own_score)
        failed = failed or own_failed
        value = fmean(values) if values else None
        if failed and rubric.critical_mode == "zero":
            value = 0.0
        conversation_scores.append(ConversationScore(conv_id, value, failed, results))
    for _, part in settled:
        if part.answers:
            channels.setdefault(part.channel, []).extend(
                s.score for s in part.answers if s.score is not None
            )
        conversation_scores.extend(part.conversations)

    passed = [v for v, failed in scored if v >= rubric.pass_threshold and not failed]
    scores = Scores(
        run=fmean(v for v, _ in scored) if scored else None,
        channels={name: fmean(values) for name, values in channels.items()},
        topics={name: fmean(values) for name, values in topic_scores.items()},
        conversations={
            c.conversation_id: c.score for c in conversation_scores if c.score is not None
        },
        answers=tuple(spliced),
        pass_rate=len(passed) / len(scored) if scored else None,
        rubric=rubric.name,
    )
    return RubricOutcome(scores=scores, conversations=tuple(conversation_scores))


def _results(
    criteria: list[Criterion],
    checks: dict[str, Check[Any]],
    target: Target,
    tags: frozenset[str],
    context: Context,
    judged: dict[tuple, CriterionResult] | None = None,
) -> tuple[CriterionResult, ...]:
    """Each criterion's result on `target`. With `judged` (answer targets only), results of
    checks that read only the words are remembered by (criterion, words, question)."""
    results = []
    for criterion in criteria:
        if not _matches(criterion.applies_to, tags):
            detail = "applies to " + ", ".join(criterion.applies_to)
            results.append(CriterionResult(criterion.id, None, detail))
            continue
        check = checks[criterion.id]
        key = None
        if judged is not None and not check.reads_findings:
            key = (criterion.id, target.text, target.customer_text)
            if key in judged:
                results.append(judged[key])
                continue
        outcome = check.evaluate(target, context)
        result = CriterionResult(criterion.id, outcome.passed, outcome.detail)
        if key is not None:
            judged[key] = result
        results.append(result)
    return tuple(results)


def _unit_score(
    rubric: Rubric,
    weights: dict[str, int],
    critical: frozenset[str],
    results: tuple[CriterionResult, ...],
) -> tuple[float | None, bool]:
    applied = [r for r in results if r.passed is not None]
    total = sum(weights[r.criterion] for r in applied)
    earned = sum(weights[r.criterion] for r in applied if r.passed)
    failed = any(r.passed is False and r.criterion in critical for r in applied)
    # weight 0 everywhere means a pure gate: no score, though a critical failure still zeroes
    value = 100.0 * earned / total if total else None
    if failed and rubric.critical_mode == "zero":
        value = 0.0
    return value, failed


def _embed(
    rubric: Rubric,
    checks: dict[str, Check[Any]],
    applicable: dict[str, list[Target]],
    embedder: Embedder | None,
) -> None:
    """One `encode` call for every text every check needs, each distinct text once."""
    texts: dict[str, None] = {}
    asking: list[Criterion] = []
    for criterion in rubric.criteria:
        if not applicable[criterion.id]:
            continue
        wanted = list(checks[criterion.id].texts_to_embed(applicable[criterion.id]))
        if wanted:
            texts.update(dict.fromkeys(wanted))
            asking.append(criterion)
    if not texts:
        return
    if embedder is None:
        first = asking[0]
        raise ConfigError(
            rubric.path or rubric.name,
            f"criterion '{first.id}' ({first.check}) compares meanings and needs an embedder",
            line=first.line,
        )
    ordered = list(texts)
    vectors = np.asarray(embedder.encode(ordered), dtype=np.float32)
    embeddings = Embeddings(ordered, vectors)
    for criterion in asking:
        checks[criterion.id].prepare(embeddings)


def _matches(applies_to: tuple[str, ...], tags: frozenset[str]) -> bool:
    return not applies_to or not tags.isdisjoint(applies_to)


def _answer_tags(answer: Answer, channel_kinds: Mapping[str, str]) -> frozenset[str]:
    kind = channel_kinds.get(answer.channel)
    return frozenset(t for t in (answer.channel, kind, answer.kind) if t)


def _conversation_tags(
    conv: Conversation, members: list[Answer], channel_kinds: Mapping[str, str]
) -> frozenset[str]:
    # Conversation has no channel field: its answers name the channel; transcripts are chat.
    tags = {"chat"} | {m.role for m in conv.messages if m.role in BRAND_ROLES}
    for answer in members:
        tags.add(answer.channel)
        if answer.channel in channel_kinds:
            tags.add(channel_kinds[answer.channel])
    return frozenset(tags)


def _answer_target(answer: Answer) -> Target:
    return Target(
        level="answer",
        key=answer.id,
        text=answer.text,
        customer_text=answer.question or "",
        answer_ids=frozenset({answer.id}),
        conversation_id=answer.conversation,
    )


def _conversation_target(conv: Conversation, members: list[Answer]) -> Target:
    return Target(
        level="conversation",
        key=conv.id,
        text="\n".join(m.text for m in conv.messages if m.role in BRAND_ROLES),
        customer_text="\n".join(m.text for m in conv.messages if m.role == "customer"),
        answer_ids=frozenset(a.id for a in members),
        conversation_id=conv.id,
        messages=conv.messages,
    )


def _check_names(
    rubric: Rubric,
    answers: Sequence[Answer],
    channel_kinds: Mapping[str, str],
    more_channels: Iterable[str] = (),  # of answers not in `answers` (settled parts)
) -> None:
    """With the audit's channels known, an `applies_to` name that is none of them, nor a kind,
    is a typo that would silently switch a criterion off; say so, with the rubric's line."""
    if not channel_kinds:
        return
    known = {*channel_kinds, *channel_kinds.values(), *CHANNEL_KINDS, *ANSWER_KINDS}
    known.update(a.channel for a in answers)
    known.update(more_channels)
    named = [(rubric.applies_to, rubric.applies_to_line, "applies_to")]
    named += [
        (c.applies_to, c.line, f"criteria.{i}.applies_to") for i, c in enumerate(rubric.criteria)
    ]
    for names, line, key in named:
        for name in names:
            if name not in known:
                raise ConfigError(
                    rubric.path or rubric.name,
                    f"applies_to names '{name}', which is no channel of this audit "
                    f"({', '.join(sorted(channel_kinds))}), channel kind or answer kind",
                    line=line,
                    key=key,
                )
