"""Named subjects: the hotel, product or store a page is about, as a scope.

A brand that lists many things (venues, products, stores) gives each its own page, and their
answers rightly differ ("parking is free" at one hotel, "no parking" at the next). A page's title
is taken as a named subject when its own text uses it as a name: mid-sentence and not in lower
case ("check-in at Acorn Guest House", "at ALLENBELL"), which a topic title such as "Gift cards"
or "Shipping" never is. Statements then scope to the subject they name, or their page's subject;
a conversation follows the subject last named in it (or the page it was opened from).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.model import Answer, Conversation

_TITLE_SPLIT = re.compile(r"\s+[|\-–—:·]\s+")


@dataclass
class Subjects:
    """Known subject names, and which page (source) is about which subject."""

    names: dict[str, str] = field(default_factory=dict)  # folded name -> display name
    by_source: dict[str, str] = field(default_factory=dict)  # page source -> display name
    by_path: dict[str, str] = field(default_factory=dict)  # URL path -> display name
    _pattern: re.Pattern[str] | None = None
    _folded: dict[str, str] = field(default_factory=dict)
    _folded_from: int = -1

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self.names:
            # a name's words are written apart, hyphenated or run together ("Guest House",
            # "guesthouse")
            alternatives = sorted(
                (r"[\s-]?".join(map(re.escape, n.split())) for n in self.names),
                key=len,
                reverse=True,
            )
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.I)
        return self._pattern

    def name_of(self, written: str) -> str:
        """The display name of a name as matched by `pattern`, however it was spaced."""
        if self._folded_from != len(self.names):  # names are learnt after construction
            self._folded = {_fold(key): name for key, name in self.names.items()}
            self._folded_from = len(self.names)
        return self._folded[_fold(written)]

    def named_in(self, text: str) -> list[str]:
        pattern = self.pattern()
        if pattern is None:
            return []
        found = [self.name_of(m.group()) for m in pattern.finditer(text)]
        return list(dict.fromkeys(found))


def _fold(name: str) -> str:
    return re.sub(r"[\s-]+", "", name.lower())


def _candidate(title: str | None, brand: str) -> str | None:
    if not title:
        return None
    parts = [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip()]
    parts = [p for p in parts if p.lower() != brand.lower()]
    if not parts:
        return None
    name = parts[0]
    return name if 2 < len(name) <= 60 else None


def _used_as_name(name: str, texts: Iterable[str]) -> bool:
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
    for text in texts:
        for m in pattern.finditer(text):
            written = m.group()
            if written == written.lower():
                continue
            before = text[: m.start()].rstrip()
            if before and before[-1] not in ".!?:\n":
                return True
    return False


def learn_subjects(pages: dict[str, tuple[str | None, list[Answer]]], brand: str) -> Subjects:
    """`pages` maps a page source to its title and answers."""
    subjects = Subjects()
    for source, (title, answers) in pages.items():
        name = _candidate(title, brand)
        if name is None or not _used_as_name(name, (a.text for a in answers)):
            continue
        subjects.names[name.lower()] = name
        subjects.by_source[source] = name
        path = re.sub(r"^[a-z]+://[^/]+", "", source)
        subjects.by_path[path] = name
    return subjects


def conversation_subjects(
    conversation: Conversation, answers: list[Answer], subjects: Subjects
) -> dict[str, str]:
    """answer id -> the subject its conversation was about when the reply was given."""
    if not subjects.names:
        return {}
    by_turn = {a.locator.rsplit(" turn ", 1)[-1]: a for a in answers}
    current: str | None = None
    out: dict[str, str] = {}
    for message in conversation.messages:
        named = subjects.named_in(message.text)
        if message.role == "system":
            for path, name in subjects.by_path.items():
                if path and path != "/" and path in message.text:
                    named = [name]
        answer = by_turn.get(str(message.turn))
        if answer is not None and current and not named:
            out[answer.id] = current
        if named:
            current = named[-1]
        if answer is not None and named:
            out[answer.id] = named[-1]
    return out
