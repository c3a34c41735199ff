"""The command line: parse, call the pipeline, render, set the exit code. Nothing imports it.

Heavy modules (torch, the pipeline) are imported inside the commands so `auditor --help` is
instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from auditor.cli_exit import EXIT_ERROR
from auditor.cli_exit import fail as _fail
from auditor.cli_history import register as register_history_commands
from auditor.errors import AuditorError, StoreError

if TYPE_CHECKING:
    from auditor.report.history import HistoryContext

app = typer.Typer(
    help="Audit a brand's answers across website, knowledge base and chat for contradictions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rubric_app = typer.Typer(help="Work with rubrics (QA scorecards as YAML).", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")
register_history_commands(app)


def _formats(value: str) -> list[str]:
    from auditor.report import FORMATS

    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise typer.BadParameter(
            f"unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)})"
        )
    return names


@app.command()
def audit(
    config: Annotated[Path, typer.Option("--config", "-c", help="audit.yaml")] = Path("audit.yaml"),
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the reports")] = Path(
        "reports"
    ),
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="comma-separated: html, json, md, junit, sarif, csv"),
    ] = "html,json",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bars")] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(help="HTTP and embedding cache (default: .auditor next to the config)"),
    ] = None,
) -> None:
    """Audit every channel in the config and write the reports."""
    formats = _formats(format)
    try:
        result, written = _run_audit(config, out, formats, quiet, cache_dir, save=True)
    except AuditorError as error:
        raise _fail(error) from None
    from auditor.summary import print_summary

    print_summary(result, written)


def _run_audit(
    config_path: Path,
    out: Path,
    formats: list[str],
    quiet: bool,
    cache_dir: Path | None = None,
    save: bool = False,
):
    from auditor.config import load_config
    from auditor.pipeline import RunOptions, run
    from auditor.report import write_reports

    config = load_config(config_path)
    show_progress = not quiet and sys.stderr.isatty()
    result = run(config, RunOptions(quiet=not show_progress, cache_dir=cache_dir))
    history: HistoryContext | None = None
    unread: StoreError | None = None
    if save:
        from auditor.cli_history import read_history, save_run

        # Read before saving, so "new" means "not in the previous stored run".
        try:
            history = read_history(config, result)
        except StoreError as error:
            unread = error  # an audit takes minutes: write its reports, then report the store
    written = write_reports(result, out, formats, history)
    if unread is not None:
        raise unread
    if save:
        save_run(config, result)
    return result, written


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the reports")] = Path(
        "reports/demo"
    ),
) -> None:
    """Audit the bundled demo brand (a knowledge base, a website and chats with planted
    inconsistencies) and print where the report is."""
    from auditor.demo import demo_config_path

    try:
        with demo_config_path() as config_path:
            result, written = _run_audit(config_path, out, ["html", "json"], quiet=True)
    except AuditorError as error:
        raise _fail(error) from None
    from auditor.summary import print_summary

    print_summary(result, written)


@rubric_app.command("check")
def rubric_check(file: Annotated[Path, typer.Argument(help="a rubric YAML file")]) -> None:
    """Validate a rubric and print its criteria."""
    try:
        from auditor.rubric import check_rubric_file, describe_rubric
    except ImportError:
        typer.echo("Error: the rubric engine is not installed", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    try:
        rubric = check_rubric_file(file)
    except AuditorError as error:
        raise _fail(error) from None
    from rich.console import Console

    Console().print(describe_rubric(rubric))


# --- gate and baseline (issue 6). Registered above main() so `python -m auditor.cli` sees them.

baseline_app = typer.Typer(
    help="Accepted findings: the gate fails only on findings not in the baseline.",
    no_args_is_help=True,
)
app.add_typer(baseline_app, name="baseline")


def _load_gate_config(config_path: Path, baseline: Path | None):
    """The config and the baseline the gate compares against (None when there is none yet)."""
    from auditor.baseline import baseline_path, load_baseline
    from auditor.config import load_config

    config = load_config(config_path)
    path = baseline if baseline is not None else baseline_path(config)
    # An explicit --baseline must exist; the configured or default one may not exist yet.
    if baseline is None and not path.exists():
        return config, path, None
    return config, path, load_baseline(path)


@app.command()
def gate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATHS",
            help="with --changed: the changed files, relative to the current folder",
            show_default=False,
        ),
    ] = None,
    config: Annotated[Path, typer.Option("--config", "-c", help="audit.yaml")] = Path("audit.yaml"),
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="baseline file (default: gate.baseline, or .auditor-baseline.json "
            "next to the config)"
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the reports")] = Path(
        "reports"
    ),
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="comma-separated: html,json,md,junit,sarif,csv"),
    ] = "html,json",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bars")] = False,
    changed: Annotated[
        bool,
        typer.Option(
            "--changed",
            help="audit only the knowledge-base files among PATHS against every other answer "
            "of the last stored run (nothing is crawled or imported)",
        ),
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="GIT_REF",
            help="as --changed, with the files `git diff GIT_REF` lists (for a pull request, "
            "its merge base)",
        ),
    ] = None,
) -> None:
    """Audit, write the reports, and exit 1 when a new finding or a low score fails the gate.

    With --changed or --changed-since, only the changed files of the files channels are read
    (deleted ones drop out) and audited with every other answer of the last stored run; the
    gate then fails on new findings only, as min_score needs whole transcripts. With no
    stored run a config of files channels only is audited in full, and any other is an error
    (exit 2): run `auditor audit` first, which stores each run.
    """
    from datetime import date

    from auditor.gate import describe, evaluate, paths_changed_since

    formats = _formats(format)
    if paths and not changed:
        raise typer.BadParameter("files to audit need --changed", param_hint="PATHS")
    if changed and changed_since is not None:
        raise typer.BadParameter("give --changed PATHS or --changed-since, not both")
    try:
        loaded, baseline_file, accepted = _load_gate_config(config, baseline)
        changed_paths = list(paths or []) if changed else None
        if changed_since is not None:
            changed_paths = paths_changed_since(changed_since, loaded.root)
        if changed_paths is None:
            result, written = _run_audit(config, out, formats, quiet)
            partial = False
        else:
            result, written, partial = _run_changed(loaded, changed_paths, out, formats, quiet)
    except AuditorError as error:
        raise _fail(error) from None
    spec = loaded.spec.gate
    if partial and spec.min_score is not None:
        spec = spec.model_copy(update={"min_score": None})
        typer.echo("min_score is not checked with --changed: the full gate checks it.")
    outcome = evaluate(result, spec, accepted, date.today())
    if "md" in formats:
        # The PR comment lists what is new first; the registry renders without a baseline.
        from auditor.report import FORMATS
        from auditor.report.markdown import render_markdown

        md_path = out / FORMATS["md"][0]
        md_path.write_text(render_markdown(result, outcome.new_ids), encoding="utf-8")
    from auditor.summary import print_summary

    print_summary(result, written)
    if accepted is None:
        typer.echo(f"No baseline at {baseline_file}: every finding counts as new.")
    for line in describe(outcome):
        typer.echo(line)
    raise typer.Exit(outcome.exit_code)


def _run_changed(config, changed: list[Path], out: Path, formats: list[str], quiet: bool):
    """The gate's audit of changed files: (result, reports written, whether it re-audited part
    of the last stored run rather than everything)."""
    from auditor.cli_history import last_stored_answers
    from auditor.errors import StoreError
    from auditor.pipeline import RunOptions, changed_files, run
    from auditor.report import write_reports
    from auditor.sources.files import display_path

    show_progress = not quiet and sys.stderr.isatty()
    stored = last_stored_answers(config)
    if stored.run is None or not stored.have_texts:
        why = (
            f"no stored run of {config.brand}"
            if stored.run is None
            else f"the last stored run {stored.run.id} has no answer texts (an older auditor "
            "saved it)"
        )
        if any(channel.kind != "files" for channel in config.channels):
            raise StoreError(
                stored.location,
                f"{why}, so nothing to audit the changed files against; run `auditor audit` "
                "first (it stores each run), or the gate without --changed",
            )
        # every channel is local files: a full audit reads no more than the files themselves
        typer.echo(f"{why} in {stored.location}: auditing every file.")
        result = run(config, RunOptions(quiet=not show_progress))
        return result, write_reports(result, out, formats), False
    only = frozenset(path.resolve() for path in changed)
    audited = [p for files in changed_files(config, only).values() for p in files]
    shown = ", ".join(display_path(p, config.root) for p in audited) or "none"
    typer.echo(
        f"Auditing {len(audited)} changed file(s) against the other answers of stored run "
        f"{stored.run.id} ({stored.run.started_at}): {shown}."
    )
    others = len(only) - len(audited)
    if others:
        typer.echo(
            f"{others} other changed path(s) are not files of a files channel (or are deleted): "
            "not audited; a deleted file's stored answers drop out."
        )
    options = RunOptions(quiet=not show_progress, only_paths=only, prior_answers=stored.answers)
    result = run(config, options)
    return result, write_reports(result, out, formats), True


@baseline_app.command("update")
def baseline_update(
    config: Annotated[Path, typer.Option("--config", "-c", help="audit.yaml")] = Path("audit.yaml"),
    reason: Annotated[
        str | None, typer.Option(help="why the current findings are accepted (new ones need it)")
    ] = None,
    expires: Annotated[
        str | None, typer.Option(help="ISO date from which new entries stop suppressing")
    ] = None,
    prune: Annotated[
        bool, typer.Option(help="drop entries whose finding no longer occurs")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bars")] = False,
) -> None:
    """Audit, then accept every current finding into the baseline file."""
    from datetime import date

    from auditor.baseline import save_baseline, update

    expiry = None
    if expires is not None:
        try:
            expiry = date.fromisoformat(expires)
        except ValueError:
            raise typer.BadParameter(
                f"'{expires}' is not an ISO date like 2026-12-31", param_hint="--expires"
            ) from None
    try:
        from auditor.pipeline import RunOptions, run

        loaded, path, accepted = _load_gate_config(config, None)
        show_progress = not quiet and sys.stderr.isatty()
        result = run(loaded, RunOptions(quiet=not show_progress))
        updated = update(accepted, result, reason, expiry, date.today(), prune=prune)
    except AuditorError as error:
        raise _fail(error) from None
    save_baseline(updated, path)
    before = len(accepted) if accepted is not None else 0
    typer.echo(
        f"Baseline {path}: {len(updated)} accepted finding(s) "
        f"({len(updated) - before:+d}); {len(result.findings)} found in this run."
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
