"""The history commands (`auditor diff`, `auditor history`, `auditor report`), and what
`auditor audit` calls around its reports: `read_history` before writing them (the trend and the
new/persisting marks), `save_run` after. `register(app)` adds the commands to the CLI.

The store, the pipeline and rich are imported inside the functions, so `auditor --help` stays
instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from auditor.cli_exit import fail as _fail
from auditor.errors import AuditorError, StoreError

if TYPE_CHECKING:
    from rich.table import Table

    from auditor.config import Config
    from auditor.model import Answer, AuditResult, Finding
    from auditor.report.history import HistoryContext
    from auditor.store import RunSummary, Store

_STYLE = {"critical": "bold red", "major": "red", "minor": "yellow", "info": "cyan"}

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="audit.yaml")]

# Runs the report's trend chart shows, the reported one included: a month of nightly runs, as
# `auditor history` shows by default.
HISTORY_RUNS = 30


def open_config_store(config: Config) -> Store:
    """The store the config names, or `.auditor/history.db` beside it (in the user's cache
    folder when the config's folder is read-only, as for the embedding cache)."""
    if config.spec.store is not None:
        from auditor.store import open_store

        return open_store(config.spec.store, config.root)
    from auditor.pipeline import cache_dir_for
    from auditor.store.sqlite import open_sqlite

    return open_sqlite(cache_dir_for(config) / "history.db")


def save_run(config: Config, result: AuditResult) -> None:
    """Keep a finished run in the config's store, in one transaction. Raises StoreError."""
    with open_config_store(config) as store:
        store.save(result, config_path=str(config.path.resolve()))


@dataclass(frozen=True)
class StoredAnswers:
    """The answers of the config's last stored run, which `auditor gate --changed` re-audits."""

    location: str  # the store, for messages
    run: RunSummary | None  # None when the store holds no run of the config's brand
    answers: tuple[Answer, ...] = ()

    @property
    def have_texts(self) -> bool:
        """False for a run saved before the store kept answer texts: it cannot be re-audited.
        No extracted answer is empty, so an empty text is one the store did not keep."""
        return all(answer.text for answer in self.answers)


def last_stored_answers(config: Config) -> StoredAnswers:
    """The newest stored run of the config's brand, with its answers. A shared store may hold
    other brands' runs too, so the brand is matched. Raises StoreError."""
    with open_config_store(config) as store:
        for summary in store.runs():
            if summary.brand == config.brand:
                return StoredAnswers(store.location, summary, store.load(summary.id).answers)
        return StoredAnswers(store.location, None)


def history_context(store: Store, result: AuditResult, runs: int = HISTORY_RUNS) -> HistoryContext:
    """What `store` holds from before `result`'s run, for the reports.

    For a run not saved yet (`auditor audit`) that is every stored run of its brand; for a
    stored one (`auditor report`) those saved before it. "New" means absent from the run just
    before; the chart gets the last `runs - 1` earlier runs. Raises StoreError.
    """
    from auditor.report.history import HistoryContext

    # a shared store may hold other brands' runs: their findings are neither new nor old here
    brand = result.run.brand
    ids = [run.id for run in store.runs() if run.brand == brand or run.id == result.run.id]
    stored = result.run.id in ids
    earlier = ids[ids.index(result.run.id) + 1 :] if stored else ids
    if not earlier:
        return HistoryContext()
    shown = set(earlier[: runs - 1])
    # history() takes its limit over every brand's runs, counted back from the newest, so only
    # a new run of a single-brand store could ask for fewer; reading all keeps one path.
    points = tuple(p for p in store.history() if p.run.id in shown)
    # The Store has no findings-only read: diffing a run with itself returns exactly its
    # findings (all persisting) and reads nothing else, where load() would read every answer.
    before = {f.id for f in store.diff(earlier[0], earlier[0]).persisting}
    now = {f.id for f in result.findings}
    first_seen = {}
    for fingerprint in now:
        seen = store.first_seen(fingerprint)
        # another brand's run may hold the same fingerprint; then the date is unknown here
        if seen is not None and seen[0] in earlier:
            first_seen[fingerprint] = seen
    return HistoryContext(
        points=points,
        first_seen=first_seen,
        new_ids=frozenset(now - before),
        resolved=len(before - now),
    )


def read_history(config: Config, result: AuditResult) -> HistoryContext:
    """The history context from the config's store; call it before `result` is saved."""
    with open_config_store(config) as store:
        return history_context(store, result)


def _open(config_path: Path) -> Store:
    from auditor.config import load_config

    return open_config_store(load_config(config_path))


def _resolve(store: Store, ref: str) -> str:
    """A run id from its full id or a prefix that names one run only."""
    ids = [run.id for run in store.runs()]
    if ref in ids:
        return ref
    matches = [run_id for run_id in ids if run_id.startswith(ref)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise StoreError(store.location, f"'{ref}' names {len(matches)} runs; give more of it")
    raise StoreError(store.location, f"no stored run {ref}")


def diff(
    run_a: Annotated[
        str | None, typer.Argument(help="the earlier run (id or prefix); default: second last")
    ] = None,
    run_b: Annotated[
        str | None, typer.Argument(help="the later run (id or prefix); default: the last")
    ] = None,
    config: ConfigOption = Path("audit.yaml"),
) -> None:
    """Show which findings are new, resolved and persisting between two stored runs."""
    from rich.console import Console
    from rich.markup import escape

    console = Console()
    try:
        with _open(config) as store:
            latest = [run.id for run in store.runs(2)]
            if run_a is None and len(latest) < 2:
                raise StoreError(store.location, f"diff needs two stored runs, found {len(latest)}")
            if run_a is None:
                first, second = latest[1], latest[0]
            else:
                first = _resolve(store, run_a)
                second = _resolve(store, run_b) if run_b is not None else latest[0]
            result = store.diff(first, second)
            since = {f.id: store.first_seen(f.id) for f in result.persisting}
    except AuditorError as error:
        raise _fail(error) from None
    a, b = result.run_a, result.run_b
    console.print(f"[bold]{escape(b.brand)}[/bold]: {escape(a.id)} → {escape(b.id)}")
    console.print(
        f"{len(result.new)} new, {len(result.resolved)} resolved, "
        f"{len(result.persisting)} persisting (runs started {a.started_at} and {b.started_at})"
    )
    for title, findings in (
        ("New", result.new),
        ("Resolved", result.resolved),
        ("Persisting", result.persisting),
    ):
        if findings:
            console.print(_findings_table(f"{title} findings", findings, since))


def _findings_table(
    title: str, findings: tuple[Finding, ...], since: dict[str, tuple[str, str] | None]
) -> Table:
    from rich.markup import escape

    table = _table(title)
    table.add_column("severity, kind")
    table.add_column("topic", overflow="fold", max_width=24)
    table.add_column("what disagrees", overflow="fold")
    table.add_column("fingerprint", no_wrap=True)
    with_since = any(f.id in since for f in findings)
    if with_since:
        table.add_column("since", no_wrap=True)
    for finding in findings:
        row = [
            f"[{_STYLE.get(finding.severity, '')}]{finding.severity}[/]\n"
            + finding.kind.replace("_", " "),
            escape(finding.topic),
            escape(finding.summary),
            finding.id,
        ]
        if with_since:
            first = since.get(finding.id)
            row.append(first[1][:10] if first else "")
        table.add_row(*row)
    return table


def history(
    config: ConfigOption = Path("audit.yaml"),
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="the last N runs")] = 30,
) -> None:
    """Show score and finding counts over time, per severity and per channel."""
    from rich.console import Console
    from rich.markup import escape

    from auditor.model import SEVERITIES

    console = Console()
    try:
        with _open(config) as store:
            points = store.history(limit)
            location = store.location
    except AuditorError as error:
        raise _fail(error) from None
    if not points:
        console.print(f"No runs stored yet in {escape(location)}.")
        return
    # two narrow tables rather than one wide one: CI logs are 80 columns wide
    severities = [s for s in SEVERITIES if any(p.severities.get(s) for p in points)]
    first, last = points[0].run.started_at[:10], points[-1].run.started_at[:10]
    runs = _table(f"{escape(points[-1].run.brand)}: {len(points)} runs, {first} to {last}")
    runs.add_column("run", no_wrap=True)
    for name in ("score", "findings", *severities):
        runs.add_column(name, justify="right")
    for point in points:
        runs.add_row(
            escape(point.run.id),
            _number(point.run.score),
            str(point.run.findings),
            *(str(point.severities.get(s, 0)) for s in severities),
        )
    console.print(runs)
    channels = list(
        dict.fromkeys(c for p in points for c in [*p.channel_scores, *p.channel_findings])
    )
    if not channels:
        return
    by_channel = _table("Per channel: score (findings)")
    by_channel.add_column("run", no_wrap=True)
    for channel in channels:
        by_channel.add_column(escape(channel), justify="right")
    for point in points:
        by_channel.add_row(
            escape(point.run.id),
            *(
                f"{_number(point.channel_scores.get(c))} ({point.channel_findings.get(c, 0)})"
                for c in channels
            ),
        )
    console.print(by_channel)


def _table(title: str) -> Table:
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(
    run_id: Annotated[str, typer.Argument(help="a stored run's id, or a prefix naming one")],
    config: ConfigOption = Path("audit.yaml"),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="folder for the reports (default: reports/RUN_ID)"),
    ] = None,
    format: Annotated[  # noqa: A002 - the option's name, as in `auditor audit`
        str, typer.Option("--format", "-f", help="comma-separated report formats")
    ] = "html,json",
) -> None:
    """Render the reports of a stored run again."""
    from auditor.report import FORMATS, write_reports
    from auditor.summary import print_summary

    names = [n.strip() for n in format.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise typer.BadParameter(
            f"unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)})",
            param_hint="--format",
        )
    try:
        with _open(config) as store:
            result = store.load(_resolve(store, run_id))
            # the same trend and marks the audit showed: from the runs stored before this one
            context = history_context(store, result)
    except AuditorError as error:
        raise _fail(error) from None
    written = write_reports(result, out or Path("reports") / result.run.id, names, context)
    print_summary(result, written)


def register(app: typer.Typer) -> None:
    """Add diff, history and report to the `auditor` command."""
    app.command()(diff)
    app.command()(history)
    app.command()(report)
