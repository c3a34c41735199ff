"""Fixtures for the report tests: a real demo audit, run once per session, and a run reported
after two stored ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from sample import history_runs

from auditor.cli_history import history_context
from auditor.config import load_config
from auditor.demo import demo_config_path
from auditor.model import AuditResult
from auditor.pipeline import RunOptions, run
from auditor.report.history import HistoryContext
from auditor.store import open_store


@pytest.fixture(scope="session")
def demo_result(real_embedder, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """The bundled demo brand, audited for real: what `auditor demo` reports."""
    cache = tmp_path_factory.mktemp("demo-cache")
    with demo_config_path() as config_path:
        return run(load_config(config_path), RunOptions(cache_dir=cache, embedder=real_embedder))


@pytest.fixture
def three_runs(tmp_path: Path) -> tuple[AuditResult, HistoryContext]:
    """The third of sample.history_runs() and its history, read from a SQLite store holding the
    first two, as `auditor audit` reads it before saving the run it reports."""
    first, second, third = history_runs()
    with open_store("sqlite:///history.db", tmp_path) as store:
        store.save(first)
        store.save(second)
        return third, history_context(store, third)
