"""Learning which contact details are the brand's own: agent macros.

Agents paste the same canned replies ("call us on 1-800-555-0142, or write to
returns@northwind.example") into conversation after conversation, and the configured
`brand_contacts` rarely list every address and number the brand gives out. The rule:

    A contact value (e-mail, phone, postal address) is the brand's when agents or bots say it
    in at least `MIN_CONVERSATIONS` (3) different conversations, none of which has it from the
    customer (a customer turn or the export's customer metadata), and no customer anywhere in
    the import ever wrote it or had it in their metadata.

A customer's e-mail read back by an agent fails the rule twice over: the customer gave it
(metadata or a turn), and it appears in one conversation, or a few from one repeat customer.

The chat source runs this tally over every file of a channel before it redacts anything (a
first pass: files are parsed twice). Memory stays bounded: brand-side counts are pruned of
single sightings past `MAX_TRACKED` values (pruning only ever loses a count, which redacts:
the safe side), and customer-side values go into a fixed-size Bloom filter (a false positive
also only redacts).
"""

from __future__ import annotations

import hashlib

from auditor.redact import contact_digest, contact_keys, value_keys
from auditor.sources.chat.interface import Transcript

MIN_CONVERSATIONS = 3
MAX_TRACKED = 50_000
BLOOM_BITS = 1 << 24  # 2 MiB; about 0.3 % false positives at a million customer values
BLOOM_HASHES = 4


class MacroTally:
    """Counts, per contact value, the conversations where the brand alone said it."""

    def __init__(self, min_conversations: int = MIN_CONVERSATIONS) -> None:
        self.min_conversations = min_conversations
        self._counts: dict[str, int] = {}
        self._customer = bytearray(BLOOM_BITS // 8)

    def add(self, transcript: Transcript) -> None:
        customer = value_keys(transcript.customer_contacts)
        brand: set[str] = set()
        for message in transcript.conversation.messages:
            if message.role == "customer":
                customer |= contact_keys(message.text)
            elif message.role in ("agent", "bot"):
                brand |= contact_keys(message.text)
        # digests only: the tally is kept on disk between runs (auditor.incremental)
        for key in customer:
            self._remember_customer(contact_digest(key))
        for key in brand - customer:
            digest = contact_digest(key)
            self._counts[digest] = self._counts.get(digest, 0) + 1
        if len(self._counts) > MAX_TRACKED:
            self._prune()

    def merge(self, other: MacroTally) -> None:
        """Add another tally's sightings (one file's, kept between runs) to this one."""
        for key, count in other._counts.items():
            self._counts[key] = self._counts.get(key, 0) + count
        merged = int.from_bytes(self._customer, "little") | int.from_bytes(
            other._customer, "little"
        )
        self._customer = bytearray(merged.to_bytes(len(self._customer), "little"))
        if len(self._counts) > MAX_TRACKED:
            self._prune()

    def kept(self) -> frozenset[str]:
        """The digests (`redact.contact_digest`) of the contact keys that passed the rule."""
        return frozenset(
            key
            for key, count in self._counts.items()
            if count >= self.min_conversations and not self._said_by_customer(key)
        )

    def _prune(self) -> None:
        floor = 1
        while len(self._counts) > MAX_TRACKED // 2:
            self._counts = {k: c for k, c in self._counts.items() if c > floor}
            floor += 1

    def _positions(self, key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode(), digest_size=4 * BLOOM_HASHES).digest()
        return [
            int.from_bytes(digest[i : i + 4], "little") % BLOOM_BITS
            for i in range(0, 4 * BLOOM_HASHES, 4)
        ]

    def _remember_customer(self, key: str) -> None:
        for bit in self._positions(key):
            self._customer[bit >> 3] |= 1 << (bit & 7)

    def _said_by_customer(self, key: str) -> bool:
        return all(self._customer[bit >> 3] & (1 << (bit & 7)) for bit in self._positions(key))
