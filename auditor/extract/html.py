"""HTML pages -> answers: FAQ question/answer pairs, then one answer per section of the rest.

Order matters (INGEST.md, "Extraction"): JSON-LD, microdata and FAQ markup are read on the raw
DOM first; only then is boilerplate (navigation, banners, footers, cookie notices...) stripped
and the main content cut into sections at its headings. A question found both on the page and in
JSON-LD is one answer, at the visible place with the visible wording.

Used for crawled pages and for HTML files of a knowledge base alike: nothing here assumes a URL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from auditor.extract._faq import (
    Pair,
    answer_key,
    content_blocks,
    find_pairs,
    is_boilerplate,
    question_key,
    structured_pairs,
)
from auditor.extract._text import Block, blocks, parse_html
from auditor.model import Answer, Document, Skipped, make_answer_id

# Client-side app shells: the HTML holds no content until JavaScript runs (INGEST.md).
_APP_SHELL_XPATH = etree.XPath(
    "//*[@id='root' or @id='__next' or @id='app' or @id='___gatsby' or @id='__nuxt']"
    " | //script[@id='__NEXT_DATA__' or contains(text(), 'window.__NUXT__')]"
)


@dataclass
class _Section:
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    position: int
    kind: str
    locator: str
    question: str | None
    blocks: list[Block]
    line: int | None


def main_region(root: etree._Element) -> etree._Element:
    """<main>, else [role=main], else the page's only <article>, else <body>."""
    for found in (root.iter("main"), root.xpath("//*[@role='main']")):
        for element in found:
            return element
    articles = [
        a for a in root.iter("article") if not any(p.tag == "article" for p in a.iterancestors())
    ]
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


def _drop(element: etree._Element) -> None:
    if element.getparent() is not None:
        element.drop_tree()  # keeps the element's tail text in place


def strip_boilerplate(region: etree._Element) -> None:
    """Remove chrome inside the content region: navigation, banners, forms, cookie notices..."""
    doomed = [
        el
        for el in region.iterdescendants()
        if isinstance(el.tag, str) and (is_boilerplate(el) or el.get("aria-hidden") == "true")
    ]
    for element in doomed:
        _drop(element)


def _split(
    page: list[Block], order: dict[etree._Element, int]
) -> tuple[list[_Section], list[Pair]]:
    """Sections at headings; a heading that asks something ("...?") is an FAQ question whose
    answer runs to the next heading of the same or a higher level."""
    sections = [_Section(None)]
    pairs: list[Pair] = []
    index = 0
    while index < len(page):
        block = page[index]
        index += 1
        if not block.heading:
            sections[-1].blocks.append(block)
            continue
        if block.text.rstrip().endswith("?"):
            answer: list[Block] = []
            while index < len(page) and not (0 < page[index].heading <= block.heading):
                answer.append(page[index])
                index += 1
            position = order.get(block.element, 0)
            if answer:
                pairs.append(Pair(block.text, answer, position, block.line))
            sections.append(_Section(None))  # what follows belongs to no heading of its own
            continue
        sections.append(_Section(block))
    return sections, pairs


def _unmatched(structured: list[Pair], visible: list[Pair]) -> list[Pair]:
    """Structured-data pairs that are not on the page already: matched by question, else by
    answer, each visible pair standing for one structured pair."""
    by_question: dict[str, list[Pair]] = defaultdict(list)
    for pair in visible:
        by_question[question_key(pair.question)].append(pair)
    answers = {answer_key(pair.answer) for pair in visible}
    extra: list[Pair] = []
    seen: set[tuple[str, str]] = set()
    for pair in structured:
        bucket = by_question.get(question_key(pair.question))
        if bucket:
            bucket.pop()
            continue
        key = (question_key(pair.question), answer_key(pair.answer))
        if key[1] in answers or key in seen:
            continue
        seen.add(key)
        extra.append(pair)
    return extra


def _entries(
    visible: list[Pair], extra: list[Pair], sections: list[_Section], order: dict
) -> list[_Entry]:
    entries = [
        _Entry(p.position, "faq", f"Q: {p.question}", p.question, p.answer, p.line)
        for p in [*visible, *extra]
    ]
    for section in sections:
        if not section.blocks:
            continue
        if section.heading is None:
            # Text before the first heading: the page's top.
            first = section.blocks[0]
            position = order.get(first.element, -1) if first.element is not None else -1
            entries.append(
                _Entry(position, "section", "section: (top)", None, section.blocks, first.line)
            )
        else:
            heading = section.heading
            position = order.get(heading.element, 0)
            entries.append(
                _Entry(
                    position,
                    "section",
                    f"section: {heading.text}",
                    heading.text,
                    section.blocks,
                    heading.line,
                )
            )
    entries.sort(key=lambda e: e.position)
    return entries


def _answer(document: Document, entry: _Entry, locator: str) -> Answer:
    parts: list[str] = []
    line_map: list[tuple[int, int]] = []
    offset = 0
    for block in entry.blocks:
        if block.line is not None:
            line_map.append((offset, block.line))
        parts.append(block.text)
        offset += len(block.text) + 1
    local = document.path is not None  # source lines mean something only in a local file
    return Answer(
        id=make_answer_id(document.channel, document.source, locator),
        channel=document.channel,
        source=document.source,
        locator=locator,
        text="\n".join(parts),
        question=entry.question,
        kind="faq" if entry.kind == "faq" else "section",
        line=entry.line if local else None,
        updated_at=document.updated_at,
        line_map=tuple(line_map) if local else (),
    )


def extract_html(document: Document) -> tuple[list[Answer], list[Skipped]]:
    """FAQ answers and section answers of one HTML document, and what could not be read."""
    root = parse_html(document.body)
    if root is None:
        return [], [Skipped(document.source, "could not parse the HTML")]
    order = {element: index for index, element in enumerate(root.iter())}
    region = main_region(root)
    structured, problems = structured_pairs(root, position=len(order))
    visible = find_pairs(region, order)
    for pair in visible:
        for element in pair.remove:
            _drop(element)
    strip_boilerplate(region)
    sections, heading_pairs = _split(content_blocks(blocks(region, drop_link_only=True)), order)
    visible += heading_pairs
    extra = _unmatched(structured, visible)
    for index, pair in enumerate(extra):
        pair.position += index  # after everything visible, in markup order

    answers: list[Answer] = []
    used: dict[str, int] = {}
    for entry in _entries(visible, extra, sections, order):
        used[entry.locator] = used.get(entry.locator, 0) + 1
        count = used[entry.locator]
        locator = entry.locator if count == 1 else f"{entry.locator} ({count})"
        answers.append(_answer(document, entry, locator))
    skipped = [Skipped(document.source, problem) for problem in problems]
    if not answers:
        shell = _APP_SHELL_XPATH(root)
        reason = "page needs JavaScript to show its content" if shell else "no text to audit"
        skipped.append(Skipped(document.source, reason))
    return answers, skipped
