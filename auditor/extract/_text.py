"""HTML elements -> text blocks, keeping the page's block structure.

A block is one paragraph, list item, table row, definition, heading...: blocks are later joined
with "\n", so a list item or a table row never runs into the next sentence (sentence splitting
and fact extraction depend on it). Whitespace is collapsed inside a block only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt"
    " fieldset figcaption figure footer form header hgroup hr li main menu nav ol p pre section"
    " summary table tbody td tfoot th thead tr ul legend option".split()
)
# Never text for a reader: code, media, controls. Buttons are kept out of answer text too
# ("Yes / No" votes, "Copy"); FAQ questions in buttons are read before this walker runs.
SKIP_TAGS = frozenset(
    "script style noscript template svg canvas iframe object embed head title meta link"
    " select input textarea button math video audio picture img source track map".split()
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TEXT_XPATH = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript"
    " or ancestor::template or ancestor::svg)]"
)


@dataclass(frozen=True)
class Block:
    text: str
    line: int | None = None  # source line of the element the block starts in
    heading: int = 0  # 1-6 for a heading, 0 otherwise
    element: etree._Element | None = None


def collapse(text: str) -> str:
    if not text.isascii():
        text = _ZERO_WIDTH.sub("", text)
    return " ".join(text.split())


def inline_text(element: etree._Element) -> str:
    """All the text inside `element` on one line (scripts and styles left out)."""
    return collapse("".join(_TEXT_XPATH(element)))


def parse_html(text: str) -> lxml.html.HtmlElement | None:
    """Parse a whole page. Bytes in, so a str with an XML encoding declaration is accepted."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (ValueError, etree.ParserError):
        return None


def fragment_blocks(markup: str) -> list[Block]:
    """Blocks of an HTML fragment (JSON-LD answer text is often HTML)."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        wrapper = lxml.html.fragment_fromstring(
            markup.encode("utf-8", "replace"), create_parent="div", parser=parser
        )
    except (ValueError, etree.ParserError):
        return [Block(collapse(markup))] if collapse(markup) else []
    return blocks(wrapper)


def _cells(row: etree._Element) -> list[tuple[bool, str]]:
    return [(cell.tag == "th", inline_text(cell)) for cell in row if cell.tag in ("td", "th")]


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def table_blocks(table: etree._Element) -> list[Block]:
    """One block per row. Data cells are labelled with their column header ("Express: 1-2
    days") so a value keeps what it is about; a two-cell row reads "key: value"."""
    out: list[Block] = []
    caption = table.find("caption")
    if caption is not None and inline_text(caption):
        out.append(Block(inline_text(caption), caption.sourceline, element=caption))
    rows = _rows(table)
    header: list[str] = []
    if rows:
        first = _cells(rows[0])
        in_head = rows[0].getparent().tag == "thead"
        if first and (in_head or all(is_th for is_th, _ in first)) and len(rows) > 1:
            header = [text for _, text in first]
            rows = rows[1:]
    for row in rows:
        cells = _cells(row)
        if not any(text for _, text in cells):
            continue
        if header and len(header) == len(cells):
            parts = [
                text if (is_th or not label or not text) else f"{label}: {text}"
                for label, (is_th, text) in zip(header, cells, strict=True)
            ]
            text = " | ".join(p for p in parts if p)
        elif len(cells) == 2:
            text = f"{cells[0][1]}: {cells[1][1]}"
        else:
            text = " | ".join(t for _, t in cells if t)
        out.append(Block(text, row.sourceline, element=row))
    return out


class _Walker:
    """Collects inline text into blocks; a block is closed at every block element boundary."""

    def __init__(self, drop_link_only: bool):
        self.out: list[Block] = []
        self.pieces: list[str] = []
        self.start: etree._Element | None = None
        self.drop_link_only = drop_link_only
        self.in_link = 0
        self.chars = 0
        self.link_chars = 0

    def add(self, text: str | None, element: etree._Element) -> None:
        if not text:
            return
        if self.start is None and text.strip():
            self.start = element
        self.pieces.append(text)
        if self.drop_link_only:
            visible = len(text) - text.count(" ") - text.count("\n") - text.count("\t")
            self.chars += visible
            if self.in_link:
                self.link_chars += visible

    def flush(self) -> None:
        text = collapse("".join(self.pieces))
        # A block that is nothing but a link ("Returns policy", "Shop now") is a signpost to
        # another page, not something the page says.
        link_only = self.drop_link_only and self.chars and self.link_chars >= self.chars
        if text and not link_only:
            line = getattr(self.start, "sourceline", None)
            self.out.append(Block(text, line, element=self.start))
        self.pieces.clear()
        self.start = None
        self.chars = self.link_chars = 0


def blocks(
    root: etree._Element,
    skip: frozenset[etree._Element] = frozenset(),
    drop_link_only: bool = False,
) -> list[Block]:
    """The text blocks under `root`, in document order; elements in `skip` are left out."""
    walker = _Walker(drop_link_only)
    # An explicit stack, not recursion: broken pages nest deeper than Python's recursion limit.
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None
        if closing:
            if tag in BLOCK_TAGS:
                walker.flush()
            elif tag == "a":
                walker.in_link -= 1
                if not element.tail:
                    walker.add(" ", element)  # <a>Backpacks</a><span>142 styles</span>
            if element is not root:
                walker.add(element.tail, element.getparent())
            continue
        if tag is None or tag in SKIP_TAGS or element in skip:
            if element is not root:
                walker.add(element.tail, element.getparent())
            continue
        if tag in HEADINGS or tag == "table" or tag == "br":
            walker.flush()
            if tag == "table":
                walker.out.extend(table_blocks(element))
            elif tag != "br":
                text = inline_text(element)
                if text:
                    walker.out.append(Block(text, element.sourceline, HEADINGS[tag], element))
            if element is not root:
                walker.add(element.tail, element.getparent())
            continue
        if tag in BLOCK_TAGS:
            walker.flush()
        elif tag == "a":
            walker.in_link += 1
        walker.add(element.text, element)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    walker.flush()
    return walker.out
