"""Fixtures for the report tests: a real demo audit, run once per session."""

from __future__ import annotations

import pytest

from auditor.config import load_config
from auditor.demo import demo_config_path
from auditor.model import AuditResult
from auditor.pipeline import RunOptions, run


@pytest.fixture(scope="session")
def demo_result(real_embedder, tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """The bundled demo brand, audited for real: what `auditor demo` reports."""
    cache = tmp_path_factory.mktemp("demo-cache")
    with demo_config_path() as config_path:
        return run(load_config(config_path), RunOptions(cache_dir=cache, embedder=real_embedder))
