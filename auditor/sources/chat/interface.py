"""What every transcript reader receives and yields.

A reader turns one export file into `Transcript`s (a conversation plus what its metadata says
about the customer, for redaction) and `Skipped` records for what it could not use. Readers never
redact: the chat source does, once, for every format (see `auditor.sources.chat.collect`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from auditor.config import ChatChannel
from auditor.model import Conversation, Skipped
from auditor.sources.interface import SourceContext


@dataclass(frozen=True)
class Transcript:
    """A conversation as read, before redaction, with the customer's known identity.

    `customer_names` and `customer_contacts` (e-mail addresses, phone numbers) come from the
    export's metadata (requester, visitor, contact): they are redacted wherever they appear, and
    never count as the brand's own contact details.
    """

    conversation: Conversation
    customer_names: tuple[str, ...] = ()
    customer_contacts: tuple[str, ...] = ()


Reader = Callable[[Path, ChatChannel, SourceContext], Iterator[Transcript | Skipped]]
Sniffer = Callable[[bytes, Path], bool]
