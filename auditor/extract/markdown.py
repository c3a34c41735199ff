"""Markdown knowledge-base articles -> one answer per section (a heading and its content).

markdown-it-py gives block tokens with source line maps, so every sentence can be traced back
to its line (SARIF annotates the changed article at that line). Markup is dropped; list items
and table rows stay separate blocks so one never runs into the next sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from auditor.model import Answer, Document, Skipped, make_answer_id

_parser = MarkdownIt("commonmark").enable("table")


@dataclass
class _Section:
    heading: str | None
    line: int
    blocks: list[tuple[str, int]] = field(default_factory=list)


def inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


def _sections(body: str) -> list[_Section]:
    tokens = _parser.parse(body)
    sections = [_Section(heading=None, line=1)]
    in_heading = False
    row: list[str] = []
    row_line = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            in_heading = True
            continue
        if token.type == "heading_close":
            in_heading = False
            continue
        if token.type == "tr_open":
            row, row_line = [], (token.map[0] + 1 if token.map else 0)
            continue
        if token.type == "tr_close":
            if any(row):
                sections[-1].blocks.append((_row_text(row), row_line))
            continue
        if token.type != "inline":
            continue
        text = inline_text(token)
        parent = tokens[index - 1] if index else None
        line = parent.map[0] + 1 if parent is not None and parent.map else sections[-1].line
        if in_heading:
            sections.append(_Section(heading=text, line=line))
        elif parent is not None and parent.type in ("th_open", "td_open"):
            row.append(text)
        elif text:
            sections[-1].blocks.append((text, line))
    return sections


def _row_text(cells: list[str]) -> str:
    cells = [c for c in cells if c]
    if len(cells) == 2:
        return f"{cells[0]}: {cells[1]}"
    return "; ".join(cells)


def extract_markdown(document: Document) -> tuple[list[Answer], list[Skipped]]:
    """One answer per section that has content; a file with no text at all is skipped."""
    answers: list[Answer] = []
    seen: dict[str, int] = {}
    for section in _sections(document.body):
        if not section.blocks:
            continue
        locator = f"section: {section.heading}" if section.heading else "section: (top)"
        seen[locator] = seen.get(locator, 0) + 1
        if seen[locator] > 1:
            locator = f"{locator} ({seen[locator]})"
        text_parts: list[str] = []
        line_map: list[tuple[int, int]] = []
        offset = 0
        for block, line in section.blocks:
            line_map.append((offset, line))
            text_parts.append(block)
            offset += len(block) + 1
        answers.append(
            Answer(
                id=make_answer_id(document.channel, document.source, locator),
                channel=document.channel,
                source=document.source,
                locator=locator,
                text="\n".join(text_parts),
                question=section.heading,
                kind="section",
                line=section.line,
                updated_at=document.updated_at,
                line_map=tuple(line_map),
            )
        )
    skipped = [] if answers else [Skipped(document.source, "no text to audit")]
    return answers, skipped
