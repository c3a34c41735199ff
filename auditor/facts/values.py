"""Typed values in a sentence, normalized so that equal values compare equal.

Each extractor claims character spans; later extractors skip what is claimed, so "$12.95" is
money and never also a count, and a date is claimed (and dropped) before its numbers are read.

Normalized values (Fact.value):
    duration  (unit, lo, hi)        unit: "hour" (calendar time in hours), "business_day",
                                    "month" (months and years), "lifetime"; lo/hi None = open
    money     (currency, lo, hi, role, per)   role: amount | threshold | discount
    percent   ("%", lo, hi)
    phone     ("phone", E.164)
    email     ("email", address)
    url       ("url", address)
    hours     ("hours", start_min, end_min, days)   a daily window; 24/7 is (0, 1440, "daily")
    time      ("time", start_min, end_min)         a single clock time as start, end or both
    count     (noun, lo, hi)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import phonenumbers

from auditor.model import Fact

WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100, "twenty-four": 24, "forty-eight": 48,
    "seventy-two": 72, "half": 0.5,
}  # fmt: skip
_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORDNUM}))"
_DASH = r"\s*(?:-|–|—|to|or)\s*"
RANGE = rf"(?P<lo>{NUM})(?:{_DASH}(?P<hi>{NUM}))?"

_LOWER = r"at\s+least|minimum(?:\s+of)?|more\s+than|over|above|no\s+less\s+than|from|after"
_UPPER = (
    r"within|up\s+to|no\s+(?:more|later)\s+than|less\s+than|under|in\s+under|at\s+most|"
    r"maximum(?:\s+of)?|before|by"
)
_BOUND = rf"(?:(?P<lower>{_LOWER})|(?P<upper>{_UPPER}))\s+"

_DURATION_UNITS = {
    "minute": ("hour", 1 / 60), "min": ("hour", 1 / 60), "hour": ("hour", 1), "hr": ("hour", 1),
    "day": ("hour", 24), "night": ("hour", 24), "week": ("hour", 24 * 7),
    "fortnight": ("hour", 24 * 14), "month": ("month", 1), "year": ("month", 12),
    "business day": ("business_day", 1), "working day": ("business_day", 1),
    "business hour": ("business_hour", 1), "working week": ("business_day", 5),
    "business week": ("business_day", 5),
}  # fmt: skip
_UNIT_RE = (
    r"(?P<unit>(?:business|working)[\s-]+(?:days?|hours?|weeks?)|minutes?|mins?|hours?|hrs?|"
    r"days?|nights?|weeks?|fortnights?|months?|years?)"
)
DURATION = re.compile(
    rf"(?<![\w$£€.,/])(?:{_BOUND})?{RANGE}[\s-]*{_UNIT_RE}(?![\w/])", re.IGNORECASE
)
LIFETIME = re.compile(
    r"\b(?:lifetime|for\s+life|for\s+the\s+life\s+of|never\s+expires?|do(?:es)?\s+not\s+expire|"
    r"don't\s+expire|doesn't\s+expire|no\s+expiry|no\s+expiration(?:\s+date)?)\b",
    re.IGNORECASE,
)

_CURRENCY_SYMBOLS = {
    "$": "USD", "£": "GBP", "€": "EUR", "us$": "USD", "usd": "USD", "gbp": "GBP", "eur": "EUR",
}  # fmt: skip
_CURRENCY_WORDS = {
    "usd": "USD", "dollars": "USD", "dollar": "USD", "gbp": "GBP", "pounds": "GBP",
    "pound": "GBP", "eur": "EUR", "euros": "EUR", "euro": "EUR",
}  # fmt: skip
_SYM = r"(?P<sym>US\$|\$|£|€|(?:USD|GBP|EUR)(?=\s?\d))"
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
MONEY = re.compile(
    rf"(?:{_BOUND})?(?:{_SYM}\s?(?P<a1>{_AMOUNT})(?:{_DASH}(?:US\$|\$|£|€)?\s?(?P<a2>{_AMOUNT}))?"
    rf"|(?P<b1>{_AMOUNT})(?:{_DASH}(?P<b2>{_AMOUNT}))?\s?(?P<word>usd|gbp|eur|dollars?|pounds?|euros?)\b)"
    # "20 GBP security deposit per night": the unit may follow what the amount is for
    r"(?P<per>(?:\s+[a-z-]+){0,2}?\s*(?:per|a|an|each|/)\s*(?P<per_unit>night|day|stay|person|guest|month|year|"
    r"week|order|item|hour|booking|room|pet|vehicle|car|adult|child)\b)?"
    r"(?P<off>\s+off\b)?",
    re.IGNORECASE,
)
FREE = re.compile(
    r"\b(?:(?:is|are|be|it's|always|completely|totally|entirely)\s+(?P<f1>free)\b"
    r"(?!\s+(?:to\s+(?!use\b)|from|of\s+(?!charge)))"
    r"|(?P<f2>free\s+of\s+charge|for\s+free|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)"
    r"|no\s+(?:extra\s+|additional\s+)?(?:[a-z-]+\s+)?(?:charge|fee)s?\b|complimentary"
    r"|costs?\s+nothing)"
    # "free WiFi" after a determiner or a verb; "gluten free food" means without gluten
    r"|(?:^|\b(?:a|an|the|our|its|their|your|with|offer|offers|offering|include|includes|"
    r"including|get|gets|enjoy|provide|provides|has|have|and|also|always|plus|no)\s+)"
    r"(?P<f3>free)(?=\s+(?!to\b|from\b|of\b|and\b|or\b|for\b)[a-z]))",
    re.IGNORECASE,
)
# a charge of an unstated amount: "charges extra for Wi-Fi", "for an additional fee"
CHARGED = re.compile(
    r"\b(?:charges?|charged)\s+(?:extra|an?\s+(?:extra\s+|additional\s+|small\s+)?fee)"
    r"|\b(?:for|at)\s+an?\s+(?:extra|additional)\s+(?:fee|charge|cost)\b"
    r"|\b(?:there\s+is|with)\s+an?\s+(?:extra\s+|additional\s+)?(?:fee|charge)\s+for\b"
    r"|\bis\s+not\s+free\b|\bisn't\s+free\b|\bnot\s+free\s+of\s+charge\b",
    re.IGNORECASE,
)
_NOT_FREE = re.compile(
    r"(?:feel|hassle|toll|duty|tax|smoke|worry|care|stress|risk|sugar)[\s-]free|free\s+to\b(?!\s+use\b)",
    re.I,
)
PERCENT = re.compile(rf"(?:{_BOUND})?{RANGE}\s?(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+", re.IGNORECASE)
DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?:,?\s+\d{4})?"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|\b(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
CODE = re.compile(r"\b[A-Za-z]+-\d+\b|#\d+|\b\d+[A-Za-z]+\d*\b(?<!\d(?:am|pm|st|nd|rd|th))")

_HALF_DAY = r"(?:am|pm|a\.m\.|p\.m\.)"
# "16.50" is a clock time only with am/pm after it: otherwise it is more likely a price
_CLOCK = (
    rf"(?:\d{{1,2}}:\d{{2}}\s*{_HALF_DAY}?|\d{{1,2}}\.\d{{2}}\s*{_HALF_DAY}|\d{{1,2}}\s*{_HALF_DAY}"
    r"|noon|midday|midnight)"
)
_TZ = r"(?:\s*(?P<tz>ET|EST|EDT|CT|CST|MT|PT|PST|PDT|GMT|BST|UTC|CET|CEST)\b)?"
_DAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"
_DAYS = (
    rf"(?P<days>(?:{_DAY})\s*(?:-|–|to|through|thru)\s*(?:{_DAY})|weekdays|weekends|daily|every\s+day"
    r"|seven\s+days\s+a\s+week|7\s+days\s+a\s+week|(?:on\s+)?weekdays)"
)
ALWAYS_OPEN = re.compile(
    r"\b24\s*(?:hours|hrs)\s*(?:a|per)\s*day,?\s*(?:and\s+)?(?:7|seven)\s+days\s+(?:a|per)\s+week\b|"
    r"\b24\s*/\s*7\b|\b24\s*(?:hours|hrs)\s*(?:a|per)\s*day\b|\baround\s+the\s+clock\b"
    r"|\b24[\s-]hours?\b(?=\s+(?:front\s+desk|reception|service|support|access|check-in|desk|a\s+day))"
    r"|\bopen\s+(?:for\s+)?(?:a\s+full\s+|the\s+full\s+)?24\s+hours\b|\b24[\s-]hours?\s+a\s+day\b",
    re.IGNORECASE,
)
HOURS = re.compile(
    rf"(?:{_DAYS}\s*,?\s*)?(?:from\s+|between\s+)?(?P<t1>{_CLOCK})\s*(?:-|–|—|to|until|till|and)\s*"
    rf"(?P<t2>{_CLOCK}){_TZ}(?:\s*,?\s*{_DAYS.replace('?P<days>', '?P<days2>')})?",
    re.IGNORECASE,
)
CLOCK_TIME = re.compile(
    rf"(?:(?P<start>from|after|starts?\s+at|begins?\s+at|opens?\s+at|as\s+early\s+as|earliest)"
    rf"|(?P<end>until|till|by|before|ends?\s+at|closes?\s+at|no\s+later\s+than|latest)"
    rf"|(?P<at>at|is|of))?\s*(?P<t>{_CLOCK}){_TZ}",
    re.IGNORECASE,
)
COUNT = re.compile(
    rf"(?<![\w$£€.,/:-])(?:{_BOUND})?{RANGE}\s+(?P<noun>[a-z][a-z-]{{2,}})\b", re.IGNORECASE
)
_COUNT_STOP = {
    "and", "or", "the", "of", "to", "in", "on", "for", "with", "at", "by", "from", "more", "less",
    "times", "time", "am", "pm", "is", "are", "was", "off", "per", "other", "another", "thing",
    "way", "ways", "reason", "question", "moment", "minute", "second", "seconds",
}  # fmt: skip


def number(text: str) -> float:
    text = text.lower().replace(",", "")
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    return float(text)


def clock_minutes(text: str) -> int | None:
    text = (
        text.lower().replace(" ", "").replace(".", ":").replace("a:m:", "am").replace("p:m:", "pm")
    )
    if text in ("noon", "midday"):
        return 12 * 60
    if text == "midnight":
        return 24 * 60
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm|a\.m|p\.m)?:?", text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if hour > 24 or minute > 59:
        return None
    if half and half.startswith("p") and hour < 12:
        hour += 12
    if half and half.startswith("a") and hour == 12:
        hour = 0
    return hour * 60 + minute


def fmt_clock(minutes: int | None) -> str:
    if minutes is None:
        return "?"
    if minutes == 24 * 60:
        return "24:00"
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _fmt_num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _bounds(match: re.Match[str], lo: float, hi: float | None) -> tuple[float | None, float | None]:
    if hi is not None:
        return (min(lo, hi), max(lo, hi))
    if match.groupdict().get("upper"):
        return (None, lo)
    if match.groupdict().get("lower"):
        return (lo, None)
    return (lo, lo)


def _fmt_range(lo: float | None, hi: float | None, unit: str) -> str:
    if lo is not None and hi is not None and lo == hi:
        if lo == 1 and unit.endswith("s") and not unit.endswith("ss"):
            unit = unit[:-1]
        return f"{_fmt_num(lo)} {unit}".strip()
    if lo is None:
        return f"up to {_fmt_num(hi)} {unit}".strip()
    if hi is None:
        return f"at least {_fmt_num(lo)} {unit}".strip()
    return f"{_fmt_num(lo)}-{_fmt_num(hi)} {unit}".strip()


class _Claims:
    """Character spans already taken by an earlier extractor."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self.spans)

    def take(self, start: int, end: int) -> None:
        self.spans.append((start, end))


def extract_facts(sentence: str, phone_region: str = "US") -> list[Fact]:
    """All typed values in one sentence, in order of position."""
    return list(_extract_facts(sentence, phone_region))


@lru_cache(maxsize=262144)
def _extract_facts(sentence: str, phone_region: str) -> tuple[Fact, ...]:
    # agent macros repeat the same sentences thousands of times a night: read each once
    claims = _Claims()
    facts: list[Fact] = []

    def add(kind: str, value: tuple, display: str, start: int, end: int) -> None:
        claims.take(start, end)
        facts.append(Fact(kind, value, display, start, end, sentence[start:end]))

    for m in EMAIL.finditer(sentence):
        add("email", ("email", m.group().lower()), m.group().lower(), m.start(), m.end())
    for m in URL.finditer(sentence):
        if claims.free(m.start(), m.end()):
            url = m.group().rstrip(".,;:")
            add("url", ("url", url.lower()), url, m.start(), m.start() + len(url))
    for m in phonenumbers.PhoneNumberMatcher(sentence, phone_region):
        if claims.free(m.start, m.end):
            e164 = phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            add("phone", ("phone", e164), e164, m.start, m.end)
    for pattern in (DATE, CODE):
        for m in pattern.finditer(sentence):
            if claims.free(m.start(), m.end()):
                claims.take(m.start(), m.end())
    _hours(sentence, claims, add)
    _money(sentence, claims, add)
    _durations(sentence, claims, add)
    for m in PERCENT.finditer(sentence):
        if claims.free(m.start(), m.end()):
            lo, hi = _bounds(m, number(m.group("lo")), _opt(m.group("hi")))
            add(
                "percent",
                ("%", lo, hi),
                _fmt_range(lo, hi, "%").replace(" %", "%"),
                m.start(),
                m.end(),
            )
    _counts(sentence, claims, add)
    facts.sort(key=lambda f: f.start)
    return tuple(facts)


def _opt(text: str | None) -> float | None:
    return number(text) if text else None


def _hours(sentence: str, claims: _Claims, add) -> None:
    for m in ALWAYS_OPEN.finditer(sentence):
        if claims.free(m.start(), m.end()):
            add("hours", ("hours", 0, 1440, "daily"), "24/7", m.start(), m.end())
    for m in HOURS.finditer(sentence):
        if not claims.free(m.start(), m.end()):
            continue
        start, end = clock_minutes(m.group("t1")), clock_minutes(m.group("t2"))
        if start is None or end is None:
            continue
        days = _days(m.group("days") or m.group("days2"))
        tz = (m.group("tz") or "").upper()
        display = f"{fmt_clock(start)}-{fmt_clock(end)}" + (f" {tz}" if tz else "")
        display += f" {days}" if days else ""
        add("hours", ("hours", start, end, days), display, m.start(), m.end())
    for m in CLOCK_TIME.finditer(sentence):
        if not claims.free(m.start("t"), m.end("t")):
            continue
        minutes = clock_minutes(m.group("t"))
        if minutes is None:
            continue
        if m.group("start"):
            value, display = ("time", minutes, None), f"from {fmt_clock(minutes)}"
        elif m.group("end"):
            value, display = ("time", None, minutes), f"until {fmt_clock(minutes)}"
        else:
            value, display = ("time", minutes, minutes), f"at {fmt_clock(minutes)}"
        add(
            "time",
            value,
            display,
            m.start("t") if not m.group("start") and not m.group("end") else m.start(),
            m.end(),
        )


def _days(text: str | None) -> str:
    if not text:
        return ""
    text = " ".join(text.lower().split())
    if text in ("daily", "every day", "seven days a week", "7 days a week"):
        return "daily"
    if "weekday" in text:
        return "mon-fri"
    if "weekend" in text:
        return "sat-sun"
    parts = re.split(r"\s*(?:-|–|to|through|thru)\s*", text)
    return "-".join(p[:3] for p in parts if p)


def _durations(sentence: str, claims: _Claims, add) -> None:
    for m in LIFETIME.finditer(sentence):
        if claims.free(m.start(), m.end()):
            add("duration", ("lifetime", None, None), "lifetime", m.start(), m.end())
    for m in DURATION.finditer(sentence):
        if not claims.free(m.start(), m.end()):
            continue
        unit_text = re.sub(r"[\s-]+", " ", m.group("unit").lower())
        unit_text = re.sub(r"s$", "", unit_text)
        if unit_text == "min":
            unit_text = "minute"
        if unit_text == "hr":
            unit_text = "hour"
        base, factor = _DURATION_UNITS.get(unit_text, ("hour", 1))
        lo_word = m.group("lo").lower()
        if lo_word in ("a", "an") and m.group("hi"):
            continue
        lo, hi = _bounds(m, number(m.group("lo")), _opt(m.group("hi")))
        if _IN_ADVANCE.match(sentence, m.end()):
            # "no later than / up to / at least 5 days in advance" all mean: 5 days or more before
            lo, hi = (hi if lo is None else lo), None
        lo = lo * factor if lo is not None else None
        hi = hi * factor if hi is not None else None
        add("duration", (base, lo, hi), _display_duration(base, lo, hi), m.start(), m.end())


_IN_ADVANCE = re.compile(r"\s+(?:in\s+advance|before|prior\s+to|ahead)\b", re.IGNORECASE)


def _display_duration(base: str, lo: float | None, hi: float | None) -> str:
    if base == "hour":
        whole_days = all(v is None or (v % 24 == 0 and v >= 24) for v in (lo, hi))
        if whole_days:
            return _fmt_range(_div(lo, 24), _div(hi, 24), "days")
        return _fmt_range(lo, hi, "hours")
    if base == "month":
        whole_years = all(v is None or (v % 12 == 0 and v >= 12) for v in (lo, hi))
        if whole_years:
            return _fmt_range(_div(lo, 12), _div(hi, 12), "years")
        return _fmt_range(lo, hi, "months")
    return _fmt_range(lo, hi, base.replace("_", " ") + "s")


def _div(value: float | None, by: float) -> float | None:
    return None if value is None else value / by


def _money(sentence: str, claims: _Claims, add) -> None:
    for m in MONEY.finditer(sentence):
        if not claims.free(m.start(), m.end()):
            continue
        if m.group("sym"):
            currency = _CURRENCY_SYMBOLS[m.group("sym").lower()]
            lo, hi = number(m.group("a1")), _opt(m.group("a2"))
        else:
            currency = _CURRENCY_WORDS[m.group("word").lower()]
            lo, hi = number(m.group("b1")), _opt(m.group("b2"))
        lo_b, hi_b = _bounds(m, lo, hi)
        preceding = sentence[max(0, m.start() - 30) : m.start()].lower()
        if m.group("off"):
            role = "discount"
        elif m.group("lower") or re.search(
            r"(?:orders?|spend|purchases?)\s+(?:of\s+)?$", preceding
        ):
            role = "threshold"
        else:
            role = "amount"
        per = (m.group("per_unit") or "").lower()
        symbol = {"USD": "$", "GBP": "£", "EUR": "€"}[currency]
        display = _fmt_range(lo_b, hi_b, "")
        display = re.sub(
            r"(\d+(?:\.\d+)?)", lambda d, sign=symbol: sign + _money_str(d.group(1)), display
        )
        display += f" per {per}" if per else ""
        display += " off" if role == "discount" else ""
        add("money", (currency, lo_b, hi_b, role, per), display, m.start(), m.end())
    for m in CHARGED.finditer(sentence):
        if claims.free(m.start(), m.end()):
            add("money", ("", None, None, "amount", ""), "a charge", m.start(), m.end())
    for m in FREE.finditer(sentence):
        group = next(g for g in ("f1", "f2", "f3") if m.group(g))
        start, end = m.start(group), m.end(group)
        if not claims.free(start, end):
            continue
        window = sentence[max(0, start - 8) : end + 8]
        if _NOT_FREE.search(window):
            continue
        add("money", ("", 0.0, 0.0, "amount", ""), "free", start, end)


def _money_str(text: str) -> str:
    value = float(text)
    return f"{value:,.2f}" if value != int(value) else f"{int(value):,}"


def _counts(sentence: str, claims: _Claims, add) -> None:
    for m in COUNT.finditer(sentence):
        if not claims.free(m.start(), m.end()):
            continue
        noun = m.group("noun").lower()
        lo_text = m.group("lo").lower()
        if noun in _COUNT_STOP or lo_text in ("a", "an", "half"):
            continue
        lo, hi = _bounds(m, number(m.group("lo")), _opt(m.group("hi")))
        if lo_text[0].isdigit() and _names_the_number(sentence[: m.start()]):
            continue  # "Room 204 has a view", "Item 12 costs $15": a name, not how many
        if (lo, hi) != (1.0, 1.0) and not _plural(noun):
            # more than one takes a plural noun: "orders of type 3 ship within" counts nothing.
            # (So does "2 domestic pets": taking the next word as the noun cost precision.)
            continue
        lemma = noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
        add("count", (lemma, lo, hi), _fmt_range(lo, hi, noun), m.start(), m.end())


# Words before a number that say how many ("Up to 4 guests", "Only 2 bags", "Sleeps 6
# people"); any other capitalised word right before a number names it ("Room 204", "Gate 3").
_QUANTIFYING = frozenset(
    """up to over under only just about around approximately roughly nearly almost all both
    and or the our your their these those with for of at in on by from than least most max min
    maximum minimum sleeps seats fits holds have has get gets we you they there any every each
    first last next another extra additional plus buy add book includes including include""".split()
)
_IRREGULAR_PLURALS = frozenset(
    "people children staff men women feet teeth sheep fish deer personnel".split()
)


def _names_the_number(before: str) -> bool:
    word = re.search(r"([A-Za-z][A-Za-z'-]*)\s*$", before)
    if word is None or not word.group(1)[0].isupper():
        return False
    return word.group(1).lower() not in _QUANTIFYING


def _plural(noun: str) -> bool:
    return noun in _IRREGULAR_PLURALS or (noun.endswith("s") and not noun.endswith("ss"))


def fact_kinds(facts: Iterable[Fact]) -> set[str]:
    return {f.kind for f in facts}
