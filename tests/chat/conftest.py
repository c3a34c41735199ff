"""Fixtures for the chat source's tests: the transcript fixtures and a reader over them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.config import ChatChannel
from auditor.model import Conversation, Skipped
from auditor.sources.chat import collect
from auditor.sources.interface import SourceContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts"
BRAND_PHONE = "(800) 555-0142"
BRAND_EMAIL = "support@northwind.example"

Read = Callable[..., tuple[list[Conversation], list[Skipped]]]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def context(tmp_path: Path) -> SourceContext:
    return SourceContext(
        root=FIXTURES,
        cache_dir=tmp_path,
        brand_phones=(BRAND_PHONE,),
        brand_emails=(BRAND_EMAIL,),
    )


@pytest.fixture
def read(context: SourceContext) -> Read:
    """read(*paths, format="auto", **channel settings) -> (conversations, skipped)."""

    def run(*paths: str | Path, **settings: object) -> tuple[list[Conversation], list[Skipped]]:
        channel = ChatChannel(
            name="chat",
            kind="chat",
            paths=[str(p) for p in paths],
            **settings,  # type: ignore[arg-type]
        )
        conversations: list[Conversation] = []
        skipped: list[Skipped] = []
        for item in collect(channel, context):
            (conversations if isinstance(item, Conversation) else skipped).append(item)  # type: ignore[arg-type]
        return conversations, skipped

    return run
