"""The `chat` source: transcript exports in any of the registered formats.

`TRANSCRIPT_FORMATS` maps a config `format` to the reader of one file; `format: auto` asks each
format's sniffer in `SNIFFERS` order (most specific first) which one a file is.

Every conversation is redacted here (`auditor.redact`) before it is yielded, so no stage after
the source ever sees a customer's e-mail, phone, card or name. Redaction keeps the brand's own
contact details, including those learned from agent macros (`macros.py`), which needs a first
pass over all of the channel's files: files are read twice, and nothing is yielded from a
channel until its first pass is done. Skipped reasons are redacted too.
"""

from __future__ import annotations

import glob
from collections.abc import Callable, Iterator
from pathlib import Path

from auditor.config import ChatChannel
from auditor.model import Conversation, Skipped
from auditor.redact import Redactor
from auditor.sources.chat import csvfile, generic, intercom, text, zendesk, zendesk_chat
from auditor.sources.chat.interface import Reader, Sniffer, Transcript
from auditor.sources.chat.macros import MacroTally
from auditor.sources.chat.normalize import open_export
from auditor.sources.interface import SourceContext

TRANSCRIPT_FORMATS: dict[str, Reader] = {
    "generic": generic.read,
    "intercom": intercom.read,
    "zendesk": zendesk.read,
    "zendesk-chat": zendesk_chat.read,
    "csv": csvfile.read,
    "text": text.read,
}
# Order matters: vendor shapes carry telltale keys, generic JSONL is any object with messages,
# and CSV and text are what is left.
SNIFFERS: dict[str, Sniffer] = {
    "intercom": intercom.sniff,
    "zendesk": zendesk.sniff,
    "zendesk-chat": zendesk_chat.sniff,
    "generic": generic.sniff,
    "csv": csvfile.sniff,
    "text": text.sniff,
}

__all__ = [
    "SNIFFERS",
    "TRANSCRIPT_FORMATS",
    "Transcript",
    "collect",
    "detect_format",
    "expand",
    "read_file",
    "prepare",
    "read_transcripts",
    "tally_file",
]


def detect_format(path: Path) -> str | None:
    """The first registered format whose sniffer recognises the file's first bytes."""
    with open_export(path) as handle:
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


def read_transcripts(
    channel: ChatChannel, context: SourceContext
) -> Iterator[tuple[Path, str] | Skipped]:
    """Each file of the channel with its format name, or a Skipped for what cannot be read."""
    paths, skipped = expand(channel.paths, context.root)
    yield from skipped
    for path in paths:
        name = channel.format if channel.format != "auto" else detect_format(path)
        if name is None:
            yield Skipped(source=str(path), reason="transcript format not recognised")
            continue
        yield path, name


def tally_file(path: Path, name: str, channel: ChatChannel, context: SourceContext) -> MacroTally:
    """One file's first pass: the contact details agents said in it (see macros.py)."""
    tally = MacroTally()
    for record in TRANSCRIPT_FORMATS[name](path, channel, context):
        if isinstance(record, Transcript):
            tally.add(record)
    return tally


def read_file(
    path: Path, name: str, channel: ChatChannel, context: SourceContext, redactor: Redactor
) -> Iterator[Conversation | Skipped]:
    """One file's conversations, redacted, and a Skipped for each bad part of it."""
    for record in TRANSCRIPT_FORMATS[name](path, channel, context):
        if isinstance(record, Transcript):
            yield redactor.conversation(
                record.conversation, record.customer_names, record.customer_contacts
            )
        else:
            yield Skipped(record.source, redactor.text(record.reason))


TallyOf = Callable[[Path, str, ChatChannel, SourceContext], MacroTally]


def prepare(
    channel: ChatChannel, context: SourceContext, tally_of: TallyOf = tally_file
) -> tuple[list[tuple[Path, str]], list[Skipped], Redactor]:
    """The channel's readable files with their formats, a Skipped (redacted) for each that is
    not, and the redactor that keeps the brand contacts learnt from every file's macros.
    `tally_of` gives one file's tally (the work cache passes one that keeps them)."""
    files: list[tuple[Path, str]] = []
    unreadable: list[Skipped] = []
    for item in read_transcripts(channel, context):
        if isinstance(item, Skipped):
            unreadable.append(item)
        else:
            files.append(item)
    tally = MacroTally()
    for path, name in files:
        tally.merge(tally_of(path, name, channel, context))
    redactor = Redactor(context.brand_phones, context.brand_emails, kept=tally.kept())
    return files, [Skipped(s.source, redactor.text(s.reason)) for s in unreadable], redactor


def collect(channel: ChatChannel, context: SourceContext) -> Iterator[Conversation | Skipped]:
    """Every conversation of the channel's exports, redacted, and a Skipped for each bad part.

    Raises InputError for a file that cannot be read at all (permission denied, a directory,
    binary data where the format expects text).
    """
    files, skipped, redactor = prepare(channel, context)
    yield from skipped
    for path, name in files:
        yield from read_file(path, name, channel, context, redactor)
