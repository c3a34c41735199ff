"""Qualifiers that scope a statement: a customer segment, a region, and polarity.

Segments may rightly get different answers ("60 days for members"), so a scoped fact is compared
only with facts of the same scope. Regions come from pycountry's country list plus the common
groupings people write ("the EU", "Europe"); an EU country is in the EU region, since brands
state EU-wide policies and agents quote them for one country.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from auditor.model import Scope

# Written as people write them; the value is the region we compare on.
_REGION_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "united states": "US",
    "america": "US", "the states": "US", "contiguous us": "US", "continental us": "US",
    "eu": "EU", "e.u.": "EU", "european union": "EU", "europe": "EU",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "united kingdom": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "canada": "CA", "australia": "AU",
}  # fmt: skip
_EU = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
# Segment words: the head noun decides; adjectives before it ("Plus", "Gold") do not.
_SEGMENTS = {
    "member": "member", "members": "member", "membership": "member", "subscriber": "member",
    "subscribers": "member", "student": "student", "students": "student",
    "business customer": "business", "business customers": "business", "b2b": "business",
    "wholesale": "business", "trade customers": "business", "new customers": "new customer",
    "first-time customers": "new customer", "employees": "employee", "staff": "employee",
}  # fmt: skip
# These name everybody who has no special segment, so they scope nothing.
_DEFAULT_SEGMENT = re.compile(
    r"\b(?:non-?members?|standard\s+customers?|regular\s+customers?|all\s+customers|everyone|"
    r"other\s+customers|not\s+(?:a\s+)?members?|otherwise|everyone\s+else|everybody\s+else|"
    r"all\s+other)\b",
    re.IGNORECASE,
)
_SEGMENT_RE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _SEGMENTS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
# "only members", "for members", "members get", "members:" — the sentence is about them.
_NEGATION = re.compile(
    r"\b(?:not|no|never|cannot|can't|cant|won't|don't|doesn't|isn't|aren't|wasn't|weren't|"
    r"didn't|haven't|hasn't|shouldn't|couldn't|wouldn't|nor|unable|unavailable|"
    r"non-refundable|nonrefundable|neither)\b|n't\b",
    re.IGNORECASE,
)
_NOT_NEGATION = re.compile(
    r"\bno\s+(?:later|more|less|longer\s+than|problem|worries|matter|doubt)\b|\bnot\s+only\b|"
    r"\bno\s+(?:extra\s+|additional\s+)?(?:[a-z-]+\s+)?(?:charge|cost|fee)s?\b|\bnever\s+expires?\b|"
    r"\bdo(?:es)?\s*n[o']t\s+expire\b|\bno\s+expir",
    re.IGNORECASE,
)
# "No," answers the question; "No safety boxes are..." is a negation, so only a word followed
# by punctuation counts as an answer word.
_ANSWER_WORD = re.compile(
    r"^\s*(?:(?:yes|no|nope|yep|sure|certainly|unfortunately|sorry|i'm\s+sorry|i\s+am\s+sorry|"
    r"i'm\s+afraid|i\s+am\s+afraid|good\s+news|great\s+news|absolutely|of\s+course)"
    r"(?:\s*[,.!:;]\s*|\s+(?=i\b|i'm\b|we\b|it\b|they\b|this\b|that\b)))+",
    re.I,
)


@lru_cache(maxsize=1)
def _region_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = dict(_REGION_ALIASES)
    for country in pycountry.countries:
        code = country.alpha_2
        for name in {country.name, getattr(country, "common_name", country.name)}:
            if len(name) > 3:
                names[name.lower()] = code
    alternatives = sorted((re.escape(n) for n in names), key=len, reverse=True)
    # Two-letter codes only in capitals ("US", "EU", "UK"): "us" is a pronoun.
    pattern = re.compile(
        r"(?<![\w-])(?:(?i:"
        + "|".join(a for a in alternatives if len(a.replace("\\", "")) > 3)
        + r")|US|USA|EU|UK|U\.S\.(?:A\.)?|E\.U\.|U\.K\.)(?![\w-])"
    )
    return pattern, names


@lru_cache(maxsize=262144)
def regions_in(text: str) -> tuple[tuple[str, int, int], ...]:
    """(region code, start, end) for every region named in `text`; EU countries map to "EU"."""
    pattern, names = _region_pattern()
    found = []
    for m in pattern.finditer(text):
        code = names.get(m.group().lower())
        if code is None:
            continue
        found.append(("EU" if code in _EU else code, m.start(), m.end()))
    return tuple(found)


@lru_cache(maxsize=262144)
def segment_in(text: str) -> str | None:
    if _DEFAULT_SEGMENT.search(text):
        return None
    m = _SEGMENT_RE.search(text)
    return _SEGMENTS[m.group().lower()] if m else None


def scope_of(text: str, context_segment: str | None = None, heading: str | None = None) -> Scope:
    """The scope a sentence states, falling back on its conversation's segment or its heading."""
    segment = segment_in(text)
    if segment is None and not _DEFAULT_SEGMENT.search(text):
        segment = context_segment or (segment_in(heading) if heading else None)
    regions = {code for code, _, _ in regions_in(text)}
    if not regions and heading:
        regions = {code for code, _, _ in regions_in(heading)}
    region = ",".join(sorted(regions)) if regions else None
    return Scope(segment=segment, region=region)


@lru_cache(maxsize=262144)
def is_negated(text: str) -> bool:
    """Whether the sentence denies what it talks about ("cannot be returned", "no pets")."""
    body = _ANSWER_WORD.sub("", text, count=1)
    body = _NOT_NEGATION.sub(" ", body)
    if re.search(r"\bno\b", body, re.IGNORECASE):
        return True
    return bool(_NEGATION.search(body))


@lru_cache(maxsize=262144)
def strip_negation(text: str) -> str:
    """The sentence with its negation removed: what it says yes or no to."""
    body = _ANSWER_WORD.sub("", text, count=1)
    body = re.sub(r"\bcannot\b", "can", body, flags=re.IGNORECASE)
    body = re.sub(r"\b(?:ca|can)n[o']?t\b", "can", body, flags=re.IGNORECASE)
    body = re.sub(r"\bwon[o']?t\b", "will", body, flags=re.IGNORECASE)
    body = re.sub(
        r"\b(can|do|does|is|are|was|were|will|wo|did|has|have|should|could|would)n't\b",
        lambda m: "will" if m.group(1).lower() == "wo" else m.group(1),
        body,
        flags=re.IGNORECASE,
    )
    body = re.sub(r"\b(?:not|never|no)\b\s*", "", body, flags=re.IGNORECASE)
    body = re.sub(r"\bnone\s+of\b", "all of", body, flags=re.IGNORECASE)
    body = re.sub(r"\bunavailable\b", "available", body, flags=re.IGNORECASE)
    body = re.sub(r"\bnon-?refundable\b", "refundable", body, flags=re.IGNORECASE)
    return " ".join(body.split())


_CLAUSE_BREAK = re.compile(
    r"[;:()]|,\s*(?:or|and|but|while|whereas)?\s*|\s+(?:or|and|but|while|whereas)\s+"
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    cuts = [0]
    for m in _CLAUSE_BREAK.finditer(text):
        cuts.extend((m.start(), m.end()))
    cuts.append(len(text))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]


def fact_scopes(
    text: str,
    spans: list[tuple[int, int]],
    context_segment: str | None = None,
    heading: str | None = None,
) -> list[Scope]:
    """The scope of each value in a sentence.

    A qualifier in a value's own clause scopes it; a qualifier in a clause with no value of its
    own ("Northwind Plus members: 60 days") scopes the values of the other clauses. So "30 days
    from delivery, or 60 days for members" scopes only the 60 days, and "$6.95 in the US and $12
    to the EU" gives each amount its own region. Without any, the conversation's segment and the
    section heading apply.
    """
    clauses = clause_spans(text)

    def clause_of(pos: int) -> int:
        for i, (a, b) in enumerate(clauses):
            if a <= pos < b:
                return i
        return len(clauses) - 1

    value_clauses = {clause_of(start) for start, _ in spans}
    # "a US or EU retailer" lists places: a list scopes nothing
    mentions = regions_in(text)
    listed: set[int] = set()
    for (_, s1, e1), (_, s2, _) in zip(mentions, mentions[1:], strict=False):
        if re.fullmatch(r"\s*(?:,|or|and|&|/)\s*(?:the\s+)?", text[e1:s2]):
            listed.update((s1, s2))
    free_segments: list[str | None] = []
    free_regions: list[str] = []
    clause_segment: dict[int, str | None] = {}
    clause_regions: dict[int, list[str]] = {}
    for i, (a, b) in enumerate(clauses):
        piece = text[a:b]
        default = bool(_DEFAULT_SEGMENT.search(piece))
        seg = None if default else segment_in(piece)
        regs = sorted({code for code, r_start, _ in regions_in(piece) if a + r_start not in listed})
        if default or seg:
            clause_segment[i] = seg
        if regs:
            clause_regions[i] = regs
        if i not in value_clauses:
            if default or seg:
                free_segments.append(seg)
            free_regions.extend(regs)
    heading_segment = segment_in(heading) if heading else None
    heading_regions = sorted({c for c, _, _ in regions_in(heading)}) if heading else []
    scopes = []
    for start, _ in spans:
        i = clause_of(start)
        if i in clause_segment:
            segment = clause_segment[i]
        elif len(set(free_segments)) == 1:
            segment = free_segments[0]
        elif 0 in clause_segment and len(set(clause_segment.values())) == 1:
            segment = clause_segment[0]  # "Members get 60-day returns, 10% off": the subject
        elif clause_segment:
            # another value of this sentence is scoped to a group: this one is for the rest,
            # whoever the conversation is with ("30 days, or 60 for members")
            segment = None
        else:
            segment = context_segment or heading_segment
        if i in clause_regions:
            regions = clause_regions[i]
        elif len(set(free_regions)) == 1:
            regions = free_regions[:1]
        else:
            regions = heading_regions
        scopes.append(Scope(segment=segment, region=",".join(regions) or None))
    return scopes
