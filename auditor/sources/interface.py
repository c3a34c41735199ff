"""What every source receives and yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from auditor.model import Conversation, Document, Skipped

Collected = Union[Document, Conversation, Skipped]


@dataclass(frozen=True)
class SourceContext:
    """What a collector may use beyond its channel's settings."""

    root: Path  # the config file's folder: relative paths resolve here
    cache_dir: Path  # the run store's folder: HTTP validators, embedding cache
    quiet: bool = True  # no progress bars
    brand_phones: tuple[str, ...] = ()  # kept by transcript redaction
    brand_emails: tuple[str, ...] = ()
    user_agent: str = "auditor/0.1 (+https://github.com/auditor-dev/auditor)"
    extra: dict = field(default_factory=dict)
