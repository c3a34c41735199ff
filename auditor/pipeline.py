"""run(config) -> AuditResult: the only module that knows the order of the stages."""

from __future__ import annotations

import fnmatch
import gc
import glob
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from auditor.compare import all_claims, embed_claims
from auditor.compare.claims import claims_for
from auditor.compare.disagree import (
    PROMISE_CHANNEL,
    Folded,
    Thresholds,
    disagreements_among,
    fold,
    merge,
)
from auditor.config import ChatChannel, Config, FilesChannel
from auditor.extract.transcript import answers_from_conversation
from auditor.facts import statements_for
from auditor.facts.entities import conversation_subjects, learn_subjects
from auditor.incremental import (
    ChatChunk,
    DocumentWork,
    chat_chunks,
    document_work,
    save_documents,
    subjects_digest,
)
from auditor.incremental import save as save_chunks
from auditor.model import (
    Answer,
    AuditResult,
    Conversation,
    Document,
    RunInfo,
    Scores,
    Skipped,
    make_answer_id,
)
from auditor.sources import SOURCES, SourceContext, background
from auditor.sources.chat import expand
from auditor.sources.files import display_path
from auditor.workcache import WorkCache, keeping_objects, key_of


@dataclass
class RunOptions:
    quiet: bool = True
    cache_dir: Path | None = None
    embedder: object | None = None  # an Embedder; the bundled model when None
    thresholds: Thresholds = field(default_factory=Thresholds)
    score: bool = True
    # `auditor gate --changed`: when set, only these files of the files channels are read
    # (nothing is crawled or imported), and every answer of `prior_answers` (a stored run's)
    # stands in for the rest; a prior answer of a file in `only_paths` is dropped, replaced by
    # the file's new answers or, for a deleted file, by none. Absolute, resolved paths.
    only_paths: frozenset[Path] | None = None
    prior_answers: Sequence[Answer] = ()
    # crawl web and help-center channels in a worker process while the others are read: True,
    # False, or None to decide by the size of the local inputs (`sources.background.worth_it`)
    crawl_aside: bool | None = None


@dataclass
class Collected:
    documents: list[Document] = field(default_factory=list)
    conversations: list[tuple[str, Conversation]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    pages: dict[str, tuple[str | None, list[Answer]]] = field(default_factory=dict)
    conversation_answers: list[tuple[Conversation, list[Answer]]] = field(default_factory=list)
    # chat channels' conversations, in chunks whose work is kept between runs; `conversations`
    # and `conversation_answers` hold only those read otherwise
    chunks: list[ChatChunk] = field(default_factory=list)
    # each document's answers, statements and claims, kept between runs
    document_work: list[DocumentWork] = field(default_factory=list)

    def replies(self) -> Iterator[tuple[Conversation, list[Answer]]]:
        """Every conversation with its answers, in collected order, chunks included."""
        yield from self.conversation_answers
        for chunk in self.chunks:
            yield from zip(chunk.conversations, chunk.answers or (), strict=True)


class _Timer:
    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start
            # What a stage leaves behind lives until the run ends: out of the cyclic collector's
            # sight, it is not rescanned by every later collection (a large audit holds
            # millions of objects). `run` unfreezes them at its end.
            gc.freeze()


def cache_dir_for(config: Config) -> Path:
    """Where HTTP validators and embeddings persist between runs: next to the config, or in the
    user's cache folder when the config's folder is read-only (a shared benchmark, say)."""
    preferred = config.root / ".auditor"
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        if os.access(preferred, os.W_OK):
            return preferred
    except OSError:
        pass
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "auditor"
    digest = uuid.uuid5(uuid.NAMESPACE_URL, str(config.path.resolve())).hex[:12]
    fallback = base / digest
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def changed_files(config: Config, only_paths: frozenset[Path]) -> dict[str, list[Path]]:
    """Per files channel, the files of `only_paths` it holds now (by its globs and excludes, as
    the files source applies them), in the order a full run reads them."""
    held: dict[str, list[Path]] = {}
    for channel in config.channels:
        if not isinstance(channel, FilesChannel):
            continue
        paths, _ = expand(channel.paths, config.root)
        mine = [
            p
            for p in paths
            if p.resolve() in only_paths
            and not any(
                fnmatch.fnmatch(display_path(p, config.root), pattern)
                for pattern in channel.exclude
            )
        ]
        if mine:
            held[channel.name] = mine
    return held


def _channels_to_collect(config: Config, only_paths: frozenset[Path] | None) -> list:
    if only_paths is None:
        return config.channels
    held = changed_files(config, only_paths)
    # escaped: a file name with [ or * must name that file, not a pattern
    return [
        channel.model_copy(update={"paths": [glob.escape(str(p)) for p in held[channel.name]]})
        for channel in config.channels
        if channel.name in held
    ]


def collect(
    config: Config,
    context: SourceContext,
    timer: _Timer,
    only_paths: frozenset[Path] | None = None,
    work: WorkCache | None = None,
    crawl_aside: bool | None = None,
    meanwhile: Callable[[list[ChatChunk]], None] | None = None,
) -> Collected:
    """Every channel's documents and conversations; with `only_paths`, only those files of the
    files channels (see RunOptions.only_paths). With `work`, chat exports come in chunks that
    keep their work between runs (`auditor.incremental`). With `crawl_aside` (by default, when
    `sources.background.worth_it`), web and help-center channels are crawled in a worker
    process while the others are read here, and then `meanwhile` is given the chat chunks
    read, to work on while the crawl goes on."""
    collected = Collected()
    channels = _channels_to_collect(config, only_paths)
    if crawl_aside is None:
        crawl_aside = background.worth_it(channels, config.root)
    network = [c for c in channels if c.kind in background.NETWORK_KINDS] if crawl_aside else []
    items: dict[str, list] = {}
    with background.crawled_aside(network, context) as crawling:
        # the local channels first, while the network ones are crawled aside; then every
        # channel's items in config order, the order fingerprints are made in
        for channel in sorted(channels, key=lambda c: c.name in crawling):
            if channel.name in crawling and meanwhile is not None:
                local = [item for got in items.values() for item in got]
                meanwhile([item for item in local if isinstance(item, ChatChunk)])
                meanwhile = None
            with timer.stage(f"collect:{channel.name}"):
                if channel.name in crawling:
                    items[channel.name] = crawling.get(channel.name)
                elif work is not None and isinstance(channel, ChatChannel):
                    items[channel.name] = list(chat_chunks(channel, context, work))
                else:
                    items[channel.name] = list(SOURCES[channel.kind](channel, context))
    for channel in channels:
        _add(collected, channel.name, items[channel.name])
    return collected


def _add(collected: Collected, channel: str, items: list) -> None:
    for item in items:
        if isinstance(item, Skipped):
            collected.skipped.append(item)
        elif isinstance(item, ChatChunk):
            collected.chunks.append(item)
            collected.skipped.extend(item.skipped)
        elif isinstance(item, Conversation):
            collected.conversations.append((channel, item))
        else:
            collected.documents.append(item)


def promise_answers(config: Config) -> list[Answer]:
    source = str(config.spec.promises) if isinstance(config.spec.promises, str) else "audit.yaml"
    return [
        Answer(
            id=make_answer_id(PROMISE_CHANNEL, source, f"promise: {p.id}"),
            channel=PROMISE_CHANNEL,
            source=source,
            locator=f"promise: {p.id}",
            text=p.statement,
            kind="promise",
        )
        for p in config.promises
    ]


def run(config: Config, options: RunOptions | None = None) -> AuditResult:
    """Audit every channel of `config` and return findings, scores and what was skipped."""
    options = options or RunOptions()
    timer = _Timer()
    # a broken rubric is a config error: say so before minutes of crawling
    rubric = _load_rubric(config) if options.score else None
    started = datetime.now(UTC)
    cache_dir = options.cache_dir or cache_dir_for(config)
    context = SourceContext(
        root=config.root,
        cache_dir=cache_dir,
        quiet=options.quiet,
        brand_phones=tuple(config.spec.brand_contacts.phones),
        brand_emails=tuple(config.spec.brand_contacts.emails),
    )
    work = WorkCache(cache_dir / "work.sqlite")
    try:
        return _run(config, options, timer, rubric, started, cache_dir, context, work)
    finally:
        work.close()
        gc.unfreeze()


def _run(
    config: Config,
    options: RunOptions,
    timer: _Timer,
    rubric,
    started: datetime,
    cache_dir: Path,
    context: SourceContext,
    work: WorkCache,
) -> AuditResult:
    embedder = _embedder(options, cache_dir)
    kept_scores = KeptScores(work, _score_stamp(config, rubric, embedder)) if rubric else None
    collected = collect(
        config,
        context,
        timer,
        options.only_paths,
        work,
        options.crawl_aside,
        meanwhile=lambda chunks: _while_crawling(chunks, timer, kept_scores),
    )
    skipped = list(collected.skipped)
    _extract_chunks(collected.chunks, timer)  # if not done while a crawl went on

    with timer.stage("extract"):
        answers: list[Answer] = []
        for document in collected.documents:
            done = document_work(document, work)
            collected.document_work.append(done)
            collected.pages[document.source] = (document.title, done.answers)
            answers.extend(done.answers)
            skipped.extend(done.skipped)
        for channel_name, conversation in collected.conversations:
            found = answers_from_conversation(conversation, channel_name)
            collected.conversation_answers.append((conversation, found))
            answers.extend(found)
        if options.only_paths is not None:
            answers = _with_prior_answers(
                config, answers, options.prior_answers, options.only_paths
            )
        unchunked = list(answers)  # their statements and claims are worked out in this run
        for chunk in collected.chunks:
            answers.extend(a for found in chunk.answers or () for a in found)
        for conversation, found in collected.replies():
            if not found:
                where = f"{conversation.source}:{conversation.line or ''} {conversation.id}"
                skipped.append(Skipped(where.strip(), "conversation has no agent or bot reply"))
        _report_empty_channels(config, answers, skipped)
        promises = promise_answers(config)

    with timer.stage("facts"):
        claims, by_answer = _claims(config, collected, unchunked, promises)
        statements = [s for answer in answers for s in by_answer[answer.id]]

    if options.only_paths is None:
        with timer.stage("keep work"):
            save_chunks(collected.chunks, work)
            save_documents(collected.document_work, work)
            work.prune()

    with timer.stage("embed"):
        vectors = embed_claims(claims.claims, embedder)  # each distinct claim once

    with timer.stage("compare"):
        findings = disagreements_among(
            claims, vectors, config.authority, config.promises, options.thresholds, memo=work
        )

    scores = Scores()
    if options.score:
        with timer.stage("score"):
            assert kept_scores is not None
            scores = _score(config, rubric, answers, findings, collected, embedder, kept_scores)

    finished = datetime.now(UTC)
    run_info = RunInfo(
        id=started.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6],
        started_at=started.isoformat(timespec="seconds"),
        brand=config.brand,
        score=scores.run,
        finished_at=finished.isoformat(timespec="seconds"),
    )
    return AuditResult(
        run=run_info,
        findings=tuple(findings),
        answers=tuple(answers),
        statements=tuple(statements),
        scores=scores,
        skipped=tuple(skipped),
        channels=tuple(c.name for c in config.channels),
        timings=dict(timer.stages),
    )


def _while_crawling(chunks: list[ChatChunk], timer: _Timer, kept: KeptScores | None) -> None:
    _extract_chunks(chunks, timer)
    if kept is not None:
        with timer.stage("score"):
            kept.load(chunks)


def _extract_chunks(chunks: list[ChatChunk], timer: _Timer) -> None:
    """The answers and statements of chunks read in this run (kept ones have theirs): work
    that needs nothing from the other channels, so it may go on while a crawl does."""
    with timer.stage("extract"):
        for chunk in chunks:
            if chunk.answers is None:
                chunk.answers = [
                    answers_from_conversation(c, chunk.channel) for c in chunk.conversations
                ]
                chunk.changed = True
    with timer.stage("facts"):
        for chunk in chunks:
            if chunk.statements is None:
                found = (a for answers in chunk.answers or () for a in answers)
                chunk.statements = {a.id: statements_for(a) for a in found}
                chunk.changed = True


def _with_prior_answers(
    config: Config, fresh: list[Answer], prior: Sequence[Answer], only_paths: frozenset[Path]
) -> list[Answer]:
    """The re-read files' answers and every other prior answer, in the order a full run lists
    them: documents before conversations, channels in config order, files in glob order. Order
    matters: a finding's fingerprint names the first answer of its likely-right side."""
    position = {c.name: i for i, c in enumerate(config.channels)}
    files_channels = {c.name: c for c in config.channels if isinstance(c, FilesChannel)}
    rank: dict[str, dict[str, int]] = {}
    for name, channel in files_channels.items():
        paths, _ = expand(channel.paths, config.root)
        rank[name] = {display_path(p, config.root): i for i, p in enumerate(paths)}

    def replaced(answer: Answer) -> bool:
        if answer.channel not in files_channels:
            return False
        source = Path(answer.source)
        return (source if source.is_absolute() else config.root / source).resolve() in only_paths

    # a channel no longer in the config has no say in this run
    kept = [a for a in prior if a.channel in position and not replaced(a)]

    def order(answer: Answer) -> tuple[bool, int, int]:
        ranks = rank.get(answer.channel, {})
        return (
            answer.conversation is not None,
            position[answer.channel],
            ranks.get(answer.source, len(ranks)),
        )

    # stable: answers of one source, and of channels read whole, keep their stored order
    return sorted([*kept, *fresh], key=order)


def _claims(
    config: Config, collected: Collected, unchunked: list[Answer], promises: list[Answer]
) -> tuple[Folded, dict[str, list]]:
    """Every audited answer's claims, in answer order and folded, and its statements by answer
    id. Named subjects (venues, products) are learnt from page titles; each answer is about its
    page's subject or its conversation's. Chat chunks and documents reuse the work they kept
    where it still holds; the other answers of `unchunked` and the promises are worked out
    now."""
    subjects = learn_subjects(collected.pages, config.brand)
    digest = subjects_digest(subjects)
    subject_of: dict[str, str] = {}
    for source, (_, page_answers) in collected.pages.items():
        name = subjects.by_source.get(source)
        if name:
            subject_of.update((a.id, name) for a in page_answers)
    for conversation, found in collected.conversation_answers:
        subject_of.update(conversation_subjects(conversation, found, subjects))
    by_answer: dict[str, list] = {}
    kept_claims: dict[int, list] = {}  # id(answer) -> its claims, for documents' answers
    for done in collected.document_work:
        if done.statements is None:
            done.statements = {a.id: statements_for(a) for a in done.answers}
            done.changed = True
        by_answer.update(done.statements)
        stamp = (digest, subjects.by_source.get(done.source))
        if done.claims is None or done.claims[0] != stamp:
            worked = {
                a.id: claims_for(a, done.statements[a.id], stamp[1], subjects) for a in done.answers
            }
            done.claims = (stamp, worked)
            done.changed = True
        kept_claims.update((id(a), done.claims[1][a.id]) for a in done.answers)
    for answer in [*unchunked, *promises]:
        if answer.id not in by_answer:
            by_answer[answer.id] = statements_for(answer)
    claims = []
    for answer in unchunked:
        if id(answer) in kept_claims:
            claims.extend(kept_claims[id(answer)])
        else:
            subject = subject_of.get(answer.id)
            claims.extend(claims_for(answer, by_answer[answer.id], subject, subjects))
    parts = [fold(claims)]
    for chunk in collected.chunks:
        chunk_answers = [a for found in chunk.answers or () for a in found]
        by_answer.update(chunk.statements or {})  # worked out by `_extract_chunks`
        if chunk.claims is None or chunk.claims[0] != digest:
            mine: dict[str, str] = {}
            for conversation, found in zip(chunk.conversations, chunk.answers or (), strict=True):
                mine.update(conversation_subjects(conversation, found, subjects))
            chunk_claims = all_claims(chunk_answers, chunk.statements, subjects, mine)
            chunk.claims = (digest, chunk_claims, mine, fold(chunk_claims))
            chunk.changed = True
        parts.append(chunk.claims[3])
    parts.append(fold(all_claims(promises, by_answer, subjects, subject_of)))
    return merge(parts), by_answer


def _report_empty_channels(config: Config, answers: list[Answer], skipped: list[Skipped]) -> None:
    have = {a.channel for a in answers}
    for channel in config.channels:
        if channel.name not in have:
            skipped.append(Skipped(f"channel {channel.name}", "no answers found in this channel"))


def _embedder(options: RunOptions, cache_dir: Path):
    from auditor.compare.embedder import CachedEmbedder, default_embedder

    inner = options.embedder or default_embedder
    return CachedEmbedder(inner, cache_dir / "embeddings.sqlite")


def _load_rubric(config: Config):
    from auditor import rubric

    return rubric.load_rubric(config.spec.rubric, base_dir=config.root)


def _score_stamp(config: Config, loaded, embedder) -> str:
    """What kept rubric results depend on beyond their unit: the rubric, the channels' kinds
    and the model."""
    kinds = {c.name: c.kind for c in config.channels}
    return key_of("scores", repr(loaded), sorted(kinds.items()), getattr(embedder, "name", ""))


class KeptScores:
    """Each chat chunk's kept rubric results: the whole chunk's (`SettledScores`) and, for a
    chunk some finding named, its other units'. Loaded ahead, while a crawl goes on, or when
    scoring asks."""

    def __init__(self, work: WorkCache, stamp: str) -> None:
        self.work = work
        self.stamp = stamp
        self._whole: dict[str, object] = {}

    def load(self, chunks: list[ChatChunk]) -> None:
        with keeping_objects():
            for chunk in chunks:
                if chunk.key not in self._whole:
                    self._whole[chunk.key] = self.work.get(key_of(chunk.key, self.stamp, "settled"))

    def whole(self, chunk: ChatChunk):
        self.load([chunk])
        return self._whole.pop(chunk.key)

    def units(self, chunk: ChatChunk) -> dict | None:
        with keeping_objects():
            return self.work.get(key_of(chunk.key, self.stamp))

    def keep_whole(self, chunk: ChatChunk, scores) -> None:
        self.work.put(key_of(chunk.key, self.stamp, "settled"), scores)

    def keep_units(self, chunk: ChatChunk, units: dict) -> None:
        self.work.put(key_of(chunk.key, self.stamp), units)


def _score(
    config: Config,
    loaded,
    answers,
    findings,
    collected: Collected,
    embedder,
    kept_scores: KeptScores,
) -> Scores:
    from auditor import rubric

    kinds = {c.name: c.kind for c in config.channels}
    # an answer that is evidence in a finding belongs to that finding's topic
    topics = {e.answer_id: f.topic for f in findings for e in f.evidence if e.answer_id}
    named_answers = set(topics)
    named_conversations = {e.conversation for f in findings for e in f.evidence if e.conversation}
    # A chat chunk keeps, for this rubric, these channels and this model, the results of its
    # answers and conversations that no finding named: they are judged once, not every night.
    # A chunk none of whose units a finding names is taken whole (`SettledScores`); of the
    # others, the units no finding names take their kept results.
    kept: dict = {}
    settled: list = []
    fresh_answers: list = []
    fresh_conversations = [conversation for conversation, _ in collected.conversation_answers]
    settled_chunks: set[int] = set()
    start = len(answers) - sum(len(found) for c in collected.chunks for found in c.answers or ())
    fresh_answers.extend(answers[:start])  # those read outside chunks: pages, files, ...
    with keeping_objects():
        for chunk in collected.chunks:
            whole = kept_scores.whole(chunk)
            if (
                whole is not None
                and named_answers.isdisjoint(whole.answer_ids)
                and named_conversations.isdisjoint(whole.conversation_ids)
            ):
                settled.append((len(fresh_answers), whole))
                settled_chunks.add(id(chunk))
                continue
            units = kept_scores.units(chunk)
            kept.update(units if units is not None else whole.units() if whole else {})
            fresh_answers.extend(a for found in chunk.answers or () for a in found)
            fresh_conversations.extend(chunk.conversations)
    outcome = rubric.score_detailed(
        loaded,
        fresh_answers,
        findings,
        fresh_conversations,
        embedder,
        topics=topics,
        channel_kinds=kinds,
        kept=kept,
        settled=settled,
    )
    alone = outcome.judged_alone
    fresh = [chunk for chunk in collected.chunks if id(chunk) not in settled_chunks]
    ids_of = {id(c): [a.id for found in c.answers or () for a in found] for c in fresh}
    # chunks no finding names now: kept whole for the next run
    unnamed = {
        id(chunk)
        for chunk in fresh
        if named_answers.isdisjoint(ids_of[id(chunk)])
        and named_conversations.isdisjoint(c.id for c in chunk.conversations)
    }
    needed = {i for chunk in fresh if id(chunk) in unnamed for i in ids_of[id(chunk)]}
    by_answer = {s.answer_id: s for s in outcome.scores.answers if s.answer_id in needed}
    by_conversation = {c.conversation_id: c for c in outcome.conversations} if unnamed else {}
    for chunk in fresh:
        units = _unit_keys(chunk)
        ids = ids_of[id(chunk)]
        conversation_ids = [c.id for c in chunk.conversations]
        if id(chunk) in unnamed:
            kept_scores.keep_whole(
                chunk,
                rubric.SettledScores(
                    channel=chunk.channel,
                    answer_ids=frozenset(ids),
                    conversation_ids=frozenset(conversation_ids),
                    answers=tuple(by_answer[i] for i in ids),
                    conversations=tuple(
                        by_conversation[c] for c in conversation_ids if c in by_conversation
                    ),
                    conversation_units={
                        k: v
                        for k in units
                        if k.startswith("c:") and (v := alone.get(k, kept.get(k))) is not None
                    },
                ),
            )
        elif any(k in alone for k in units):  # judged in this run: keep it for the next
            known = {k: alone.get(k, kept.get(k)) for k in units}
            kept_scores.keep_units(chunk, {k: v for k, v in known.items() if v is not None})
    return outcome.scores


def _unit_keys(chunk: ChatChunk) -> list[str]:
    from auditor.rubric.scoring import unit_key

    keys = []
    for conversation, found in zip(chunk.conversations, chunk.answers or (), strict=True):
        keys.append(unit_key("conversation", conversation.id))
        keys.extend(unit_key("answer", a.id) for a in found)
    return keys
