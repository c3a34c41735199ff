"""Shared fixtures: the real embedding model, loaded once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def real_embedder():
    from auditor.compare.embedder import default_embedder

    return default_embedder()
