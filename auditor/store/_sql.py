"""The store over SQL, shared by SQLite and PostgreSQL: one set of statements, two dialects.

A run becomes visible when its `complete` flag is set, in the same transaction that wrote its
rows; readers select complete runs only. With one transaction per run the flag is a second
guard, and it keeps half a run hidden should a run ever be written over several transactions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from types import TracebackType

from auditor.errors import StoreError
from auditor.model import SEVERITIES, AuditResult, Finding, RunInfo, Scores, Skipped
from auditor.store import _codec as codec
from auditor.store._db import Db
from auditor.store.interface import Diff, HistoryPoint, RunSummary
from auditor.store.migrations import migrate

_RUN_SUMMARY = (
    "SELECT r.id, r.brand, r.started_at, r.finished_at, r.score, r.config_path,"
    " (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id)"
    " FROM runs r WHERE r.complete = 1"
)
_FINDINGS = (
    "SELECT " + codec.FINDING_COLUMNS.split(", ", 2)[2] + " FROM findings WHERE run_id = ?"
    " ORDER BY position"
)
_ANSWERS = (
    "SELECT " + codec.ANSWER_COLUMNS.split(", ", 2)[2] + " FROM answers WHERE run_id = ?"
    " ORDER BY position"
)


def _insert(table: str, columns: str) -> str:
    marks = ", ".join("?" for _ in columns.split(","))
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})"


class SqlStore:
    """A Store (auditor.store.interface) over a DB-API connection and its dialect."""

    def __init__(self, db: Db):
        self._db = db
        self.location = db.location
        migrate(db)

    def save(self, result: AuditResult, config_path: str | None = None) -> None:
        run_id = result.run.id
        db = self._db
        with db.transaction(write=True):
            if db.query("SELECT 1 FROM runs WHERE id = ?", (run_id,)):
                raise StoreError(self.location, f"run {run_id} is already stored")
            db.execute(
                _insert(
                    "runs",
                    "id, brand, started_at, finished_at, score, rubric_score, pass_rate, rubric,"
                    " config_path, channels_json, timings_json, saved_at, complete",
                ),
                (
                    run_id,
                    result.run.brand,
                    result.run.started_at,
                    result.run.finished_at,
                    result.run.score,
                    result.scores.run,
                    result.scores.pass_rate,
                    result.scores.rubric,
                    config_path,
                    codec.dumps(list(result.channels)),
                    codec.dumps(result.timings),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    0,
                ),
            )
            findings = list(enumerate(result.findings))
            db.executemany(
                _insert("findings", codec.FINDING_COLUMNS),
                (codec.finding_row(run_id, i, f) for i, f in findings),
            )
            db.executemany(
                _insert("finding_channels", "run_id, position, channel"),
                (row for i, f in findings for row in codec.finding_channel_rows(run_id, i, f)),
            )
            rows = codec.RowWriter()
            db.executemany(
                _insert("answers", codec.ANSWER_COLUMNS),
                (rows.answer_row(run_id, i, a) for i, a in enumerate(result.answers)),
            )
            db.executemany(
                _insert(
                    "answer_scores",
                    "run_id, position, answer_id, score, failed_critical, results_json",
                ),
                (rows.answer_score_row(run_id, i, s) for i, s in enumerate(result.scores.answers)),
            )
            scores = result.scores
            db.executemany(
                _insert("scores", "run_id, scope, position, name, score"),
                codec.score_rows(
                    run_id,
                    {
                        "channel": scores.channels,
                        "topic": scores.topics,
                        "conversation": scores.conversations,
                    },
                ),
            )
            db.executemany(
                _insert("skipped", "run_id, position, source, reason"),
                (codec.skipped_row(run_id, i, s) for i, s in enumerate(result.skipped)),
            )
            db.execute("UPDATE runs SET complete = 1 WHERE id = ?", (run_id,))

    def runs(self, limit: int | None = None) -> list[RunSummary]:
        with self._db.guard():
            return self._runs(limit)

    def _runs(self, limit: int | None) -> list[RunSummary]:
        statement = _RUN_SUMMARY + " ORDER BY r.seq DESC"
        params: tuple = ()
        if limit is not None:
            statement += " LIMIT ?"
            params = (limit,)
        return [_summary(row) for row in self._db.query(statement, params)]

    def _run(self, run_id: str) -> RunSummary:
        rows = self._db.query(_RUN_SUMMARY + " AND r.id = ?", (run_id,))
        if not rows:
            raise StoreError(self.location, f"no stored run {run_id}")
        return _summary(rows[0])

    def _findings(self, run_id: str) -> tuple[Finding, ...]:
        return tuple(codec.finding_from_row(row) for row in self._db.query(_FINDINGS, (run_id,)))

    def load(self, run_id: str) -> AuditResult:
        db = self._db
        with db.transaction(write=False):
            rows = db.query(
                "SELECT id, started_at, brand, score, finished_at, rubric_score, pass_rate,"
                " rubric, channels_json, timings_json FROM runs WHERE id = ? AND complete = 1",
                (run_id,),
            )
            if not rows:
                raise StoreError(self.location, f"no stored run {run_id}")
            (rid, started_at, brand, score, finished_at, rubric_score, pass_rate, rubric,
             channels_json, timings_json) = rows[0]  # fmt: skip
            by_scope: dict[str, dict[str, float]] = {s: {} for s in codec.SCORE_SCOPES}
            for scope, name, value in db.query(
                "SELECT scope, name, score FROM scores WHERE run_id = ? ORDER BY scope, position",
                (run_id,),
            ):
                by_scope[scope][name] = value
            answer_scores = tuple(
                codec.answer_score_from_row(row)
                for row in db.query(
                    "SELECT answer_id, score, failed_critical, results_json FROM answer_scores"
                    " WHERE run_id = ? ORDER BY position",
                    (run_id,),
                )
            )
            return AuditResult(
                run=RunInfo(rid, started_at, brand, score, finished_at),
                findings=self._findings(run_id),
                answers=tuple(codec.answer_from_row(r) for r in db.query(_ANSWERS, (run_id,))),
                statements=(),
                scores=Scores(
                    run=rubric_score,
                    channels=by_scope["channel"],
                    topics=by_scope["topic"],
                    conversations=by_scope["conversation"],
                    answers=answer_scores,
                    pass_rate=pass_rate,
                    rubric=rubric,
                ),
                skipped=tuple(
                    Skipped(source, reason)
                    for source, reason in db.query(
                        "SELECT source, reason FROM skipped WHERE run_id = ? ORDER BY position",
                        (run_id,),
                    )
                ),
                channels=tuple(json.loads(channels_json)),
                timings=json.loads(timings_json),
            )

    def diff(self, run_a: str, run_b: str) -> Diff:
        with self._db.transaction(write=False):
            summary_a, summary_b = self._run(run_a), self._run(run_b)
            before, after = self._findings(run_a), self._findings(run_b)
        ids_before = {f.id for f in before}
        ids_after = {f.id for f in after}
        return Diff(
            run_a=summary_a,
            run_b=summary_b,
            new=tuple(f for f in after if f.id not in ids_before),
            resolved=tuple(f for f in before if f.id not in ids_after),
            persisting=tuple(f for f in after if f.id in ids_before),
        )

    def first_seen(self, fingerprint: str) -> tuple[str, str] | None:
        with self._db.guard():
            rows = self._db.query(
                "SELECT r.id, r.started_at FROM findings f JOIN runs r ON r.id = f.run_id"
                " WHERE f.id = ? AND r.complete = 1 ORDER BY r.seq LIMIT 1",
                (fingerprint,),
            )
        return (rows[0][0], rows[0][1]) if rows else None

    def history(self, limit: int | None = None) -> list[HistoryPoint]:
        db = self._db
        chosen = "SELECT id FROM runs WHERE complete = 1"
        params: tuple = ()
        if limit is not None:
            chosen += " ORDER BY seq DESC LIMIT ?"
            params = (limit,)
        # one snapshot: a run saved meanwhile must not appear in some counts and not others
        with db.transaction(write=False):
            summaries = self._runs(limit)
            severities = _counts(db.query(
                "SELECT run_id, severity, COUNT(*) FROM findings"
                f" WHERE run_id IN ({chosen}) GROUP BY run_id, severity",
                params,
            ))  # fmt: skip
            kinds = _counts(db.query(
                "SELECT run_id, kind, COUNT(*) FROM findings"
                f" WHERE run_id IN ({chosen}) GROUP BY run_id, kind",
                params,
            ))  # fmt: skip
            channel_findings = _counts(db.query(
                "SELECT run_id, channel, COUNT(*) FROM finding_channels"
                f" WHERE run_id IN ({chosen}) GROUP BY run_id, channel",
                params,
            ))  # fmt: skip
            channel_scores: dict[str, dict[str, float]] = defaultdict(dict)
            for run_id, name, value in db.query(
                "SELECT run_id, name, score FROM scores WHERE scope = 'channel'"
                f" AND run_id IN ({chosen}) ORDER BY run_id, position",
                params,
            ):
                channel_scores[run_id][name] = value
        severity_order = {s: i for i, s in enumerate(SEVERITIES)}
        return [
            HistoryPoint(
                run=summary,
                severities=dict(
                    sorted(
                        severities[summary.id].items(),
                        key=lambda item: severity_order.get(item[0], len(severity_order)),
                    )
                ),
                kinds=dict(sorted(kinds[summary.id].items())),
                channel_scores=channel_scores[summary.id],
                channel_findings=dict(sorted(channel_findings[summary.id].items())),
            )
            for summary in reversed(summaries)
        ]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _summary(row: tuple) -> RunSummary:
    run_id, brand, started_at, finished_at, score, config_path, findings = row
    return RunSummary(run_id, brand, started_at, finished_at, score, config_path, int(findings))


def _counts(rows: list[tuple]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for run_id, key, count in rows:
        counts[run_id][key] = int(count)
    return counts
