"""The command line: parse, call the pipeline, render, set the exit code. Nothing imports it.

Heavy modules (torch, the pipeline) are imported inside the commands so `auditor --help` is
instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from auditor.errors import AuditorError

app = typer.Typer(
    help="Audit a brand's answers across website, knowledge base and chat for contradictions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rubric_app = typer.Typer(help="Work with rubrics (QA scorecards as YAML).", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")

EXIT_CLEAN, EXIT_GATE_FAILED, EXIT_ERROR = 0, 1, 2


def _fail(error: AuditorError) -> typer.Exit:
    typer.echo(f"Error: {error.message()}", err=True)
    return typer.Exit(EXIT_ERROR)


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
        str, typer.Option("--format", "-f", help="comma-separated: json (more formats to come)")
    ] = "json",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bars")] = False,
) -> None:
    """Audit every channel in the config and write the reports."""
    formats = _formats(format)
    try:
        result, written = _run_audit(config, out, formats, quiet)
    except AuditorError as error:
        raise _fail(error) from None
    from auditor.summary import print_summary

    print_summary(result, written)


def _run_audit(config_path: Path, out: Path, formats: list[str], quiet: bool):
    from auditor.config import load_config
    from auditor.pipeline import RunOptions, run
    from auditor.report import write_reports

    config = load_config(config_path)
    show_progress = not quiet and sys.stderr.isatty()
    result = run(config, RunOptions(quiet=not show_progress))
    written = write_reports(result, out, formats)
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
            result, written = _run_audit(config_path, out, ["json"], quiet=True)
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
