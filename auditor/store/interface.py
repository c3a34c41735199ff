"""What every store offers (DESIGN.md, "Report, gate, store"): save whole runs, read them back.

A store holds complete runs only: `save` writes a run in one transaction, so a reader never sees
half of one, and an interrupted save leaves the runs before it as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol

from auditor.model import AuditResult, Finding


@dataclass(frozen=True)
class RunSummary:
    """One stored run, without its findings."""

    id: str
    brand: str
    started_at: str
    finished_at: str | None
    score: float | None
    config_path: str | None
    findings: int


@dataclass(frozen=True)
class Diff:
    """Findings of `run_b` against `run_a`, matched by fingerprint (Finding.id).

    `new` and `persisting` are run_b's findings in its order; `resolved` are run_a's.
    """

    run_a: RunSummary
    run_b: RunSummary
    new: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    persisting: tuple[Finding, ...]


@dataclass(frozen=True)
class HistoryPoint:
    """One run's figures, for trends: counts by severity, kind and channel, and channel scores.

    A finding counts once for every channel its evidence comes from.
    """

    run: RunSummary
    severities: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    channel_scores: dict[str, float] = field(default_factory=dict)
    channel_findings: dict[str, int] = field(default_factory=dict)


class Store(Protocol):
    """A history of audit runs. Open one with `auditor.store.open_store`."""

    location: str  # where it is, for messages; never holds a password

    def save(self, result: AuditResult, config_path: str | None = None) -> None:
        """Write the whole run in one transaction. StoreError if its id is already stored."""
        ...

    def runs(self, limit: int | None = None) -> list[RunSummary]:
        """Complete runs, newest first; at most `limit`."""
        ...

    def load(self, run_id: str) -> AuditResult:
        """A stored run, enough to render its reports again and to re-audit its answers.

        Answers come back whole, text and line map included; those of runs saved before the
        store kept texts come back with empty text. Statements are not stored.
        """
        ...

    def diff(self, run_a: str, run_b: str) -> Diff:
        """What is new in run_b, resolved since run_a, and persisting in both."""
        ...

    def first_seen(self, fingerprint: str) -> tuple[str, str] | None:
        """(run id, started_at) of the earliest stored run with this finding, or None."""
        ...

    def history(self, limit: int | None = None) -> list[HistoryPoint]:
        """Per run, oldest first: the last `limit` runs' scores and finding counts."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
