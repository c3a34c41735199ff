"""FAQ structure on the raw DOM: question/answer pairs from markup (INGEST.md, "Extraction").

This runs before boilerplate is stripped, because strippers delete buttons and hidden elements,
which is where accordion questions and collapsed answers live. Detectors run from the most
explicit markup to the least; an element one detector used is not used again by a later one.
Pairs found in JSON-LD are matched to visible pairs by html.py, which prefers the visible ones.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from auditor.extract._text import HEADINGS, Block, blocks, collapse, fragment_blocks, inline_text

# class/id/aria-label words that real sites give the chrome around their content.
_BOILERPLATE_NAMES = re.compile(
    r"cookie|consent|gdpr|newsletter|subscribe|breadcrumb|crumbs|skip-?link|skip-to|promo"
    r"|sr-only|visually-hidden|screen-reader-text"
    r"|(^|[\s_-])(share|sharing|social|related|votes?|ads|advert\w*|sidebar|navbar|masthead"
    r"|popup|toc)([\s_-]|$)",
    re.I,
)
_BOILERPLATE_TAGS = frozenset({"nav", "aside", "form", "dialog"})
_BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
)
_SECTIONING = frozenset({"article", "aside", "main", "nav", "section"})
_Q_CLASS = re.compile(
    r"question|faq[-_]?(q|title|heading|header|toggle)\b|accordion[-_]*(header|heading|title"
    r"|toggle|trigger|button)|panel[-_](heading|title)",
    re.I,
)
_A_CLASS = re.compile(
    r"answer|faq[-_]?(a|body|content|panel)\b|accordion[-_]*(body|content|panel|collapse)"
    r"|panel[-_](collapse|body)",
    re.I,
)
# Page metadata that is not an answer: "Last updated: 1 September 2026", "© 2026 Brand".
# Possessive (++): the tokens overlap, and a failing match must not backtrack exponentially.
_DATE = (
    r"(?:\s|[,./-]|\d{1,2}:\d{2}|\d+(?:st|nd|rd|th)?|[ap]\.?m\.?|at|on|utc|gmt|may"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?)++"
)
_METADATA = re.compile(
    r"^((last\s+)?(updated|modified|reviewed|revised|edited|published|posted)|effective"
    rf"(\s+(date|from|as\s+of))?|date(\s+posted)?)\s*(on)?\s*[:\-\u2013\u2014]?\s*{_DATE}$"
    r"|^\d+\s*min(ute)?s?\s+read$"
    r"|^(\u00a9|\(c\)|copyright\s*(\u00a9|\(c\))?)\s*\d{4}\b.{0,120}$",
    re.I,
)
# Disclosure controls that are not questions: "Read more" expanders, menu buttons.
_CONTROL_LABEL = re.compile(
    r"^((read|show|see|view|load)\s+(more|less|all)|menu|close|open|more|less|expand|collapse"
    r"|toggle( navigation| menu)?|\W*)$",
    re.I,
)


# Candidates found by XPath (in C) rather than by visiting every element in Python.
_WITH_ID = etree.XPath(".//*[@id]")
_WITH_ITEMTYPE = etree.XPath(".//*[@itemscope and @itemtype]")
_TOGGLES = etree.XPath(".//*[@aria-controls or @data-toggle or @data-bs-toggle]")
_WITH_CLASS = etree.XPath(".//*[@class]")


@dataclass
class Pair:
    """One FAQ question and its answer, with where it sits and what to remove from sections."""

    question: str
    answer: list[Block]
    position: int
    line: int | None = None
    remove: list[etree._Element] = field(default_factory=list)


def is_metadata(text: str) -> bool:
    """A block that only says when the page was updated, or a copyright line."""
    return bool(_METADATA.match(text))


def content_blocks(found: list[Block]) -> list[Block]:
    return [b for b in found if not is_metadata(b.text)]


def is_boilerplate(element: etree._Element) -> bool:
    """A container that holds site chrome, not content (checked on the element itself)."""
    tag = element.tag
    if not isinstance(tag, str):
        return False
    if tag in _BOILERPLATE_TAGS:
        return True
    if tag in ("header", "footer"):
        # Only a header/footer outside sectioning content is the site's banner or footer.
        return not any(a.tag in _SECTIONING for a in element.iterancestors())
    if (element.get("role") or "").lower() in _BOILERPLATE_ROLES:
        return True
    if tag in HEADINGS:
        return False  # <h2 id="cookies">Cookies</h2> in a privacy policy is content
    names = f"{element.get('class') or ''} {element.get('aria-label') or ''}"
    if tag not in _SECTIONING:
        names += f" {element.get('id') or ''}"  # ids of sections are anchors: #cookies
    return bool(names.strip()) and bool(_BOILERPLATE_NAMES.search(names))


class _Finder:
    def __init__(self, region: etree._Element, order: dict[etree._Element, int]):
        self.region = region
        self.order = order
        self.claimed: set[etree._Element] = set()
        self.pairs: list[Pair] = []
        self._ids: dict[str, etree._Element] | None = None
        self._chrome: dict[etree._Element, bool] = {}

    def by_id(self, ident: str) -> etree._Element | None:
        if self._ids is None:
            self._ids = {}
            for el in _WITH_ID(self.region):
                self._ids.setdefault(el.get("id"), el)
        return self._ids.get(ident)

    def in_boilerplate(self, element: etree._Element) -> bool:
        """Inside a chrome container below the region (memoized: siblings share ancestors)."""
        if element is self.region or element is None:
            return False
        known = self._chrome.get(element)
        if known is None:
            known = is_boilerplate(element) or self.in_boilerplate(element.getparent())
            self._chrome[element] = known
        return known

    def taken(self, element: etree._Element) -> bool:
        node: etree._Element | None = element
        while node is not None:
            if node in self.claimed:
                return True
            node = node.getparent()
        return any(d in self.claimed for d in element.iterdescendants())

    def add(
        self,
        question_el: etree._Element,
        answer_els: list[etree._Element],
        remove: list[etree._Element],
        question: str | None = None,
        skip: frozenset[etree._Element] = frozenset(),
    ) -> None:
        if any(self.taken(e) for e in [question_el, *answer_els]):
            return
        if self.in_boilerplate(question_el):
            return
        text = question if question is not None else inline_text(question_el)
        if _CONTROL_LABEL.match(text):
            return
        answer = [b for el in answer_els for b in content_blocks(blocks(el, skip))]
        if not text or not answer:
            return
        self.claimed.update([question_el, *answer_els, *remove])
        position = self.order.get(question_el, 0)
        self.pairs.append(Pair(text, answer, position, question_el.sourceline, remove))

    def run(self) -> list[Pair]:
        for detect in (self.microdata, self.details, self.toggles, self.classes, self.lists):
            detect()
        self.pairs.sort(key=lambda p: p.position)
        return self.pairs

    def microdata(self) -> None:
        for item in _WITH_ITEMTYPE(self.region):
            if not (item.get("itemtype") or "").rstrip("/").endswith("Question"):
                continue
            answer = _first(item, "acceptedAnswer")
            if answer is None:
                answer = _first(item, "suggestedAnswer")
            if answer is None:
                continue
            name = _first(item, "name", outside=answer)
            if name is None:
                name = _first(item, "text", outside=answer)
            if name is None:
                continue
            body = _first(answer, "text")
            self.add(name, [body if body is not None else answer], [item])

    def details(self) -> None:
        for details in self.region.iter("details"):
            summary = details.find("summary")
            if summary is None or details.find(".//details") is not None:
                continue  # a group of questions, not a question
            self.add(summary, [details], [details], skip=frozenset([summary]))

    def toggles(self) -> None:
        """WAI-ARIA accordions (aria-controls + aria-expanded) and Bootstrap collapse toggles."""
        for toggle in _TOGGLES(self.region):
            targets = _toggle_targets(toggle)
            if not targets or (toggle.get("role") or "").lower() == "tab":
                continue
            panels = [p for p in map(self.by_id, targets) if p is not None]
            panels = [p for p in panels if p is not toggle and toggle not in set(p.iter())]
            if not panels:
                continue
            holder = toggle
            parent = toggle.getparent()
            # The heading around a toggle would otherwise stay behind as an empty section.
            while parent is not None and parent is not self.region and len(parent) == 1:
                holder = parent
                if parent.tag in HEADINGS:
                    break
                parent = parent.getparent()
            self.add(toggle, panels, [holder, *panels])

    def classes(self) -> None:
        """Question/answer by class names (.faq-question/.faq-answer, Bootstrap panels...)."""
        for question in _WITH_CLASS(self.region):
            if not _Q_CLASS.search(_names(question)):
                continue
            answer = question.getnext()
            while answer is not None and not isinstance(answer.tag, str):
                answer = answer.getnext()
            if answer is not None and _A_CLASS.search(_names(answer)):
                self.add(question, [answer], [question, answer])

    def lists(self) -> None:
        """<dl> as questions and answers: when a term asks something, or the list is an FAQ."""
        for dl in self.region.iter("dl"):
            terms = [el for el in dl if el.tag == "dt"]
            faq_named = any("faq" in _names(a).lower() for a in [dl, *dl.iterancestors()])
            if not terms or not (faq_named or any(inline_text(t).endswith("?") for t in terms)):
                continue
            for term in terms:
                answers = []
                node = term.getnext()
                while node is not None and node.tag != "dt":
                    if node.tag == "dd":
                        answers.append(node)
                    node = node.getnext()
                self.add(term, answers, [term, *answers])


def _names(element: etree._Element) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _toggle_targets(element: etree._Element) -> list[str]:
    collapse_toggle = (element.get("data-toggle") or element.get("data-bs-toggle")) == "collapse"
    targets: list[str] = []
    if element.get("aria-controls") and (element.get("aria-expanded") or collapse_toggle):
        targets += element.get("aria-controls", "").split()
    if collapse_toggle:
        for attr in ("data-target", "data-bs-target", "href"):
            value = (element.get(attr) or "").strip()
            if value.startswith("#") and len(value) > 1:
                targets.append(value[1:])
    return list(dict.fromkeys(targets))


def _first(
    element: etree._Element, prop: str, outside: etree._Element | None = None
) -> etree._Element | None:
    for candidate in element.iterdescendants():
        if (
            not isinstance(candidate.tag, str)
            or prop not in (candidate.get("itemprop") or "").split()
        ):
            continue
        if outside is not None and (candidate is outside or outside in candidate.iterancestors()):
            continue
        return candidate
    return None


def find_pairs(region: etree._Element, order: dict[etree._Element, int]) -> list[Pair]:
    """Visible FAQ pairs in `region`, in document order, outside boilerplate containers."""
    return _Finder(region, order).run()


def _types(node: dict) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    # "Question", "schema:Question" and "https://schema.org/Question" are all the same type.
    return {re.split(r"[/:#]", str(v))[-1] for v in values}


def _answer_text(value: object) -> str:
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        text = item.get("text") if isinstance(item, dict) else item
        if isinstance(text, list):
            text = " ".join(str(t) for t in text)
        if isinstance(text, str):
            texts.append(text)
    return "\n".join(texts)


def _walk(data: object) -> Iterator[dict]:
    """Question nodes anywhere in a JSON-LD value, in document order (@graph, mainEntity...)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            if "Question" in _types(node):
                yield node
                continue  # its answers hold no further questions
            stack.extend(reversed([v for v in node.values() if isinstance(v, dict | list)]))


def _loads(raw: str) -> object:
    raw = raw.strip()
    raw = re.sub(r"^\s*(<!--|<!\[CDATA\[)|(-->|\]\]>)\s*$", "", raw)
    # strict=False: raw newlines inside strings are common in hand-written JSON-LD.
    return json.loads(raw, strict=False)


def structured_pairs(root: etree._Element, position: int) -> tuple[list[Pair], list[str]]:
    """FAQ pairs from schema.org Question nodes in JSON-LD, and problems found reading them."""
    pairs: list[Pair] = []
    problems: list[str] = []
    for script in root.iter("script"):
        if (script.get("type") or "").split(";")[0].strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        try:
            data = _loads(raw)
        except ValueError as exc:
            if "Question" in raw:
                line = (script.sourceline or 1) + getattr(exc, "lineno", 1) - 1
                message = getattr(exc, "msg", str(exc))
                problems.append(
                    f"JSON-LD with FAQ markup is not valid JSON ({message}, line {line})"
                )
            continue
        for node in _walk(data):
            question = _html_text(str(node.get("name") or node.get("text") or ""))
            answer = node.get("acceptedAnswer") or node.get("suggestedAnswer")
            answer_blocks = content_blocks(_html_blocks(_answer_text(answer)))
            if question and answer_blocks:
                pairs.append(Pair(question, answer_blocks, position, script.sourceline))
    return pairs, problems


def _html_blocks(text: str) -> list[Block]:
    text = html.unescape(text) if "&" in text else text
    if re.search(r"<[a-zA-Z!/]", text):
        return fragment_blocks(text)
    return [Block(line) for line in map(collapse, text.splitlines()) if line]


def _html_text(text: str) -> str:
    return " ".join(b.text for b in _html_blocks(text))


def question_key(text: str) -> str:
    """Question text normalized for matching markup against the visible page."""
    text = re.sub(r"^\s*(q\s*[:.)]|\d+\s*[.)])\s*", "", text.casefold())
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def answer_key(found: list[Block]) -> str:
    return question_key(" ".join(b.text for b in found))
