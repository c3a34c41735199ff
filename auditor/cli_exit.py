"""Exit codes and the one place an AuditorError becomes `Error: ...` and exit 2, shared by the
CLI modules (auditor.cli imports auditor.cli_history, so neither can own it)."""

from __future__ import annotations

import typer

from auditor.errors import AuditorError

EXIT_CLEAN, EXIT_GATE_FAILED, EXIT_ERROR = 0, 1, 2


def fail(error: AuditorError) -> typer.Exit:
    typer.echo(f"Error: {error.message()}", err=True)
    return typer.Exit(EXIT_ERROR)
