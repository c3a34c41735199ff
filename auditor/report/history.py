"""What the reports show of earlier runs: a trend chart and, per finding, "new" or "persisting".

The CLI reads a HistoryContext from the store before it saves the run being reported (so "new"
means "not in the previous stored run") and passes it to the renderers. The reports never open
a store: they read HistoryPoint, the store's value object, and nothing else of it.

The chart is plain SVG geometry computed here and drawn by the HTML template, so the page needs
no chart library, no network and no script to show it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from auditor.model import SEVERITIES, AuditResult, Finding
from auditor.report._view import channels_of
from auditor.store.interface import HistoryPoint, RunSummary

Status = Literal["new", "persisting"]


@dataclass(frozen=True)
class Standing:
    """Where one finding stands against the stored runs before it."""

    status: Status
    # (run id, started_at) of the earliest stored run holding the finding; for a new finding,
    # set only when it was seen before and has come back
    first_seen: tuple[str, str] | None


@dataclass(frozen=True)
class HistoryContext:
    """The stored runs before the reported one, as the reports need them.

    `points` are the earlier runs' figures, oldest first (empty on a first run); `first_seen`
    maps a fingerprint to (run id, started_at) of the earliest stored run holding it; `new_ids`
    are the reported run's findings absent from the previous stored run; `resolved` counts the
    previous run's findings that the reported run no longer has.
    """

    points: tuple[HistoryPoint, ...] = ()
    first_seen: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    new_ids: frozenset[str] = frozenset()
    resolved: int = 0

    @property
    def previous(self) -> RunSummary | None:
        """The stored run just before the reported one; None on a first run."""
        return self.points[-1].run if self.points else None

    def standing(self, finding: Finding) -> Standing | None:
        """New or persisting since when; None on a first run, where neither word means much."""
        if self.previous is None:
            return None
        seen = self.first_seen.get(finding.id)
        return Standing("new" if finding.id in self.new_ids else "persisting", seen)


def point_of(result: AuditResult) -> HistoryPoint:
    """The reported run's own figures, counted as the store counts a stored run's."""
    findings = result.findings
    severities: Counter[str] = Counter(f.severity for f in findings)
    return HistoryPoint(
        run=RunSummary(
            id=result.run.id,
            brand=result.run.brand,
            started_at=result.run.started_at,
            finished_at=result.run.finished_at,
            score=result.run.score,
            config_path=None,
            findings=len(findings),
        ),
        severities={s: severities[s] for s in SEVERITIES if severities[s]},
        kinds=dict(sorted(Counter(f.kind for f in findings).items())),
        channel_scores=dict(result.scores.channels),
        channel_findings=dict(sorted(Counter(c for f in findings for c in channels_of(f)).items())),
    )


# --- the trend chart: one SVG, a score panel above a findings panel, sharing the run axis

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT = 48, 16  # room for the y labels on the left
SCORE_TOP, SCORE_BOTTOM = 22, 112  # the score panel, 0 to 100
COUNT_TOP, COUNT_BOTTOM = 142, 252  # the findings panel, 0 to a round maximum
LABEL_Y = 272
# Dates are about 70 px wide at this size; more labels than this would overlap on 30 runs.
MAX_LABELS = 8
MAX_BAR = 28.0


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    severity: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class RunColumn:
    run_id: str
    started_at: str
    label: str | None  # shown under the axis; None where it would crowd its neighbours
    x: float
    score: float | None
    score_y: float | None
    findings: int
    findings_y: float  # where the total sits, just above the stack
    severities: dict[str, int]
    bars: tuple[Bar, ...]
    current: bool


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: float
    right: float
    score_ticks: tuple[Tick, ...]
    count_ticks: tuple[Tick, ...]
    score_path: str  # SVG path data; a run without a score breaks the line
    columns: tuple[RunColumn, ...]
    severities: tuple[str, ...]  # those with a finding in some run, most severe first
    label_y: float
    panels: tuple[tuple[float, float], ...]  # (top, bottom) of the score and findings panels


def _round_up(value: int) -> int:
    """A round axis maximum at or above `value`: 1, 2, 5 times a power of ten."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _labels(points: list[HistoryPoint]) -> list[str | None]:
    # Nightly runs differ by date; several runs a day need the time to tell them apart, and
    # runs seconds apart (a retried job) the seconds: the shortest label that is unique wins.
    for start, end in ((0, 10), (5, 16), (5, 19)):
        texts = [p.run.started_at[start:end].replace("T", " ") for p in points]
        if len(set(texts)) == len(texts):
            break
    step = math.ceil(len(points) / MAX_LABELS)
    # counted back from the newest run, so the reported run is always labelled
    shown = set(range(len(points) - 1, -1, -step))
    return [text if i in shown else None for i, text in enumerate(texts)]


def _y(value: float, top: float, bottom: float, maximum: float) -> float:
    return round(bottom - (bottom - top) * value / maximum, 1)


def trend_chart(history: HistoryContext, result: AuditResult) -> TrendChart | None:
    """The chart of the earlier runs and this one; None on a first run (nothing to trend)."""
    if history.previous is None:
        return None
    points = [p for p in history.points if p.run.id != result.run.id] + [point_of(result)]
    slot = (WIDTH - LEFT - RIGHT) / len(points)
    bar_width = round(min(MAX_BAR, slot * 0.6), 1)
    top_count = _round_up(max(sum(p.severities.values()) for p in points))
    severities = tuple(s for s in SEVERITIES if any(p.severities.get(s) for p in points))
    columns = []
    path: list[str] = []
    pen_down = False
    for i, (point, label) in enumerate(zip(points, _labels(points), strict=True)):
        x = round(LEFT + slot * (i + 0.5), 1)
        score = point.run.score
        score_y = None
        if score is not None:
            score_y = _y(min(max(score, 0.0), 100.0), SCORE_TOP, SCORE_BOTTOM, 100.0)
            path.append(f"{'L' if pen_down else 'M'}{x} {score_y}")
        pen_down = score is not None
        bars = []
        base = 0
        for severity in severities:
            count = point.severities.get(severity, 0)
            if not count:
                continue
            top = _y(base + count, COUNT_TOP, COUNT_BOTTOM, top_count)
            bottom = _y(base, COUNT_TOP, COUNT_BOTTOM, top_count)
            bars.append(
                Bar(severity, count, round(x - bar_width / 2, 1), top, bar_width, bottom - top)
            )
            base += count
        columns.append(
            RunColumn(
                run_id=point.run.id,
                started_at=point.run.started_at,
                label=label,
                x=x,
                score=score,
                score_y=score_y,
                findings=point.run.findings,
                findings_y=round((bars[-1].y if bars else COUNT_BOTTOM) - 4, 1),
                severities={s: point.severities.get(s, 0) for s in severities},
                bars=tuple(bars),
                current=i == len(points) - 1,
            )
        )
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        score_ticks=tuple(
            Tick(_y(v, SCORE_TOP, SCORE_BOTTOM, 100.0), str(v)) for v in (0, 50, 100)
        ),
        count_ticks=tuple(
            Tick(_y(v, COUNT_TOP, COUNT_BOTTOM, top_count), str(v))
            for v in ((0, top_count // 2, top_count) if top_count % 2 == 0 else (0, top_count))
        ),
        score_path=" ".join(path),
        columns=tuple(columns),
        severities=severities,
        label_y=LABEL_Y,
        panels=((SCORE_TOP, SCORE_BOTTOM), (COUNT_TOP, COUNT_BOTTOM)),
    )
