"""Shared rules that make every transcript format land on the same Conversation.

The same dialogue exported from any helpdesk must read back as equal conversations (modulo
`source` and `line`), so the choices that could differ between readers are made here, once:

- roles: vendor labels map onto customer/agent/bot/system through `ROLE_ALIASES`;
- text: HTML becomes text with one newline between blocks; every message's whitespace is
  normalized the same way (lines stripped, blank lines dropped);
- time: every timestamp becomes ISO 8601 UTC to the second (`2026-10-01T10:02:00Z`); a time
  without a zone is taken as UTC;
- authors: kept for agent and bot messages only (the agent id the reports name); a customer's
  vendor id is a personal identifier nothing downstream needs;
- conversation fields: `started_at` defaults to the first message's time, `agent` to the
  first agent message's author;
- segment: a tag `segment:<value>` or `segment_<value>` names the conversation's segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import IO, Any

import lxml.html
from lxml import etree

from auditor.errors import InputError
from auditor.model import Conversation, Message, Role

ROLE_ALIASES: dict[str, Role] = {
    **dict.fromkeys(
        ("agent", "admin", "administrator", "operator", "support", "support agent", "staff",
         "representative", "rep", "advisor", "human agent", "customer service"),
        "agent",
    ),
    **dict.fromkeys(
        ("customer", "user", "visitor", "end-user", "end user", "enduser", "client", "contact",
         "lead", "requester", "guest"),
        "customer",
    ),
    **dict.fromkeys(
        ("bot", "ai", "assistant", "ai assistant", "automated", "automation", "chatbot",
         "virtual agent", "ai agent"),
        "bot",
    ),
    "system": "system",
}  # fmt: skip

SEGMENT_TAG_PREFIXES = ("segment:", "segment_")
_BLOCKS = (
    "p", "div", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "section", "article", "body", "header", "footer",
)  # fmt: skip
_UNCLEAN = re.compile(r"[\r\n\t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]|  |^\s|\s$")
_CANONICAL_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MARKUP = re.compile(r"<[a-zA-Z/!]|&[#a-zA-Z0-9]+;")
_SIMPLE_TAG = re.compile(
    r"</?(p|br|div|span|b|i|u|em|strong|a|ul|ol|li|h[1-6]|blockquote|code)(?:\s[^<>]*)?/?>", re.I
)
_SIMPLE_BLOCKS = frozenset(
    {"p", "br", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)


def role_for(label: object, speakers: Mapping[str, str] | None = None) -> Role | None:
    """The role a vendor or log label stands for: config `speakers` first, then the aliases."""
    if not isinstance(label, str):
        return None
    key = " ".join(label.strip().lower().replace("_", " ").split())
    if speakers:
        for name, role in speakers.items():
            if name.strip().lower() == key:
                return role  # type: ignore[return-value]  # validated by ChatChannel
    return ROLE_ALIASES.get(key) or ROLE_ALIASES.get(key.replace(" ", "-"))


def clean_text(text: str) -> str:
    """Whitespace normalized the one way every reader uses: paragraphs on their own lines."""
    if not _UNCLEAN.search(text):
        return text
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=4096)  # agent macros repeat the same body
def html_to_text(html: str) -> str:
    """Visible text of an HTML body, one line per paragraph, list item or `<br>`.

    Chat bodies are small and simple (`<p>`, `<br>`, `<a>`, `<b>`): those are converted by
    pattern, and anything else by lxml. Not BeautifulSoup: an export holds hundreds of
    thousands of bodies, and bs4 costs about 1 ms each where these cost 5 to 90 us.
    """
    if not _MARKUP.search(html):
        return clean_text(html)
    simple = _SIMPLE_TAG.sub(_simple_tag, html)
    if "<" not in simple:
        return clean_text(unescape(simple))
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(html)
    for dropped in list(root.iter("script", "style", "head", "title")):
        dropped.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*_BLOCKS):
        block.text = "\n" + (block.text or "")
        block.tail = "\n" + (block.tail or "")
    return clean_text(root.text_content())


def _simple_tag(match: re.Match[str]) -> str:
    return "\n" if match[1].lower() in _SIMPLE_BLOCKS else ""


def iso_time(value: object) -> str | None:
    """ISO 8601 UTC to the second; unix seconds or milliseconds accepted; unparseable kept."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit()):
        seconds = float(value)
        if seconds > 1e11:  # milliseconds since the epoch
            seconds /= 1000
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (OverflowError, OSError, ValueError):
            return str(value)
    text = str(value).strip()
    if _CANONICAL_TIME.fullmatch(text):
        return text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def segment_from_tags(tags: Iterable[object]) -> str | None:
    """The first `segment:<value>` or `segment_<value>` tag's value."""
    for tag in tags:
        if not isinstance(tag, str):
            continue
        lowered = tag.lower()
        for prefix in SEGMENT_TAG_PREFIXES:
            if lowered.startswith(prefix) and len(tag) > len(prefix):
                return tag[len(prefix) :]
    return None


def mapping(value: object) -> dict[str, Any]:
    """A vendor object, or an empty one where the export has something else."""
    return value if isinstance(value, dict) else {}


def listing(value: object) -> list[Any]:
    """A vendor list, or an empty one where the export has something else."""
    return value if isinstance(value, list) else []


def as_id(value: object) -> str | None:
    """Vendor ids are ints or strings; we keep strings. Empty means unknown."""
    if value is None or value == "" or isinstance(value, (bool, dict, list)):
        return None
    return str(value)


def message(
    role: Role, text: str, turn: int, timestamp: object = None, author: object = None
) -> Message:
    """A Message under the shared rules (the author kept for brand roles only)."""
    keep_author = role in ("agent", "bot")
    return Message(
        role=role,
        text=text,
        turn=turn,
        timestamp=iso_time(timestamp),
        author=as_id(author) if keep_author else None,
    )


def conversation(
    conv_id: str,
    source: str,
    messages: Iterable[Message],
    *,
    line: int | None,
    started_at: object = None,
    agent: object = None,
    segment: object = None,
) -> Conversation:
    """A Conversation under the shared rules for `started_at` and `agent` defaults."""
    kept = tuple(messages)
    started = iso_time(started_at) or next((m.timestamp for m in kept if m.timestamp), None)
    agent_id = as_id(agent) or next((m.author for m in kept if m.role == "agent"), None)
    return Conversation(
        id=conv_id,
        source=source,
        messages=kept,
        started_at=started,
        agent=agent_id,
        segment=as_id(segment),
        line=line,
    )


def open_export(path: Path) -> IO[bytes]:
    """Open an export for reading, or raise InputError saying why the file cannot be read."""
    try:
        return path.open("rb")
    except IsADirectoryError:
        raise InputError(str(path), "is a directory, not a transcript export") from None
    except PermissionError:
        raise InputError(str(path), "permission denied") from None
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None


def check_text_head(path: Path, head: bytes, format_name: str) -> None:
    """Binary data is not any transcript format: fail the file, not each of its lines."""
    if b"\x00" in head:
        raise InputError(str(path), f"binary data, not a {format_name} export")


def is_utf8(text: str) -> bool:
    """False when a text read with `surrogateescape` held bytes that are not UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def short(value: Any, limit: int = 40) -> str:
    """A vendor value quoted in a Skipped reason, cut short so a report never carries a body."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
