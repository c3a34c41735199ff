"""The `chat` source: transcript exports in any of the registered formats.

`TRANSCRIPT_FORMATS` maps a config `format` to the reader of one file; `format: auto` asks each
reader's `sniff` in turn.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator
from pathlib import Path

from auditor.config import ChatChannel
from auditor.model import Conversation, Skipped
from auditor.sources.chat import generic
from auditor.sources.interface import SourceContext

Reader = Callable[[Path, ChatChannel, SourceContext], Iterator[Conversation | Skipped]]

TRANSCRIPT_FORMATS: dict[str, Reader] = {
    "generic": generic.read,
}
SNIFFERS: dict[str, Callable[[bytes, Path], bool]] = {
    "generic": generic.sniff,
}


def detect_format(path: Path) -> str | None:
    """The first registered format whose sniffer recognises the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    for name, sniff in SNIFFERS.items():
        if sniff(head, path):
            return name
    return None


def expand(patterns: list[str], root: Path) -> tuple[list[Path], list[Skipped]]:
    """Resolve globs relative to the config folder; a pattern that matches nothing is skipped."""
    paths: list[Path] = []
    skipped: list[Skipped] = []
    for pattern in patterns:
        full = pattern if Path(pattern).is_absolute() else str(root / pattern)
        matches = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
        if not matches:
            reason = "file not found" if not glob.has_magic(pattern) else "no file matches"
            skipped.append(Skipped(source=pattern, reason=reason))
        paths.extend(m for m in matches if m not in paths)
    return paths, skipped


def collect(channel: ChatChannel, context: SourceContext) -> Iterator[Conversation | Skipped]:
    paths, skipped = expand(channel.paths, context.root)
    yield from skipped
    for path in paths:
        name = channel.format
        if name == "auto":
            detected = detect_format(path)
            if detected is None:
                yield Skipped(source=str(path), reason="transcript format not recognised")
                continue
            name = detected
        yield from TRANSCRIPT_FORMATS[name](path, channel, context)
