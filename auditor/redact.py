"""PII redaction for transcripts (INGEST.md, "PII"): applied at import, before anything is
stored, embedded or shown, and the originals are never kept.

What is replaced, with typed placeholders numbered per conversation (the same value gets the
same number in every message of a conversation: `<EMAIL_1>`, `<PHONE_1>`, `<NAME_1>`,
`<ADDRESS_1>`; values whose identity never matters get `<CARD>`, `<IBAN>`, `<IP>`):

- e-mail addresses, by pattern;
- phone numbers, by `phonenumbers.PhoneNumberMatcher` in the US and GB forms and the
  international `+` form; a national number needs 10 digits (7-digit local numbers and short
  codes look like order numbers too often to redact);
- card numbers: 12-19 digits, spaces or dashes between, Luhn-valid, replaced whole;
- IBANs (ISO 13616 mod-97 checked); IPv4 and IPv6 addresses;
- postal addresses where they are recognisable: a house number, capitalised words and a street
  type ("12 Elm Street"), a US state plus ZIP ("OR 97477"), a UK postcode ("SW1A 1AA");
- customer names: the names the export's metadata gives (requester, visitor) as a deny-list,
  names a customer gives ("my name is Jane Doe"), and names an agent or bot greets ("Hi Jane,"
  "Thanks, Jane!"). Names are matched case-sensitively as written, so "Will" the customer does
  not eat "will" the verb;
- vendor pre-redaction stays redacted: Zendesk's block characters become `<REDACTED>`
  (Intercom's `redacted` flag is handled by its reader).

What is kept, because it is what we audit: the brand's own contact details.
- `brand_phones` / `brand_emails` from the config, wherever they appear; phones compare by
  E.164 and by national digits, so "(800) 555-0142" is "1-800-555-0142";
- e-mail addresses at a brand e-mail's domain (not a free-mail domain such as gmail.com);
- `kept`: contact values the chat source learned are macros: said by agents or bots in several
  conversations and never by a customer (see `auditor.sources.chat.macros`), given as
  `contact_digest`s.
The customer's own details from metadata are never kept by the last two rules, so a customer's
e-mail that an agent reads back is still redacted.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from auditor.model import Conversation, Message

REDACTED = "<REDACTED>"
NUMBERED = ("email", "phone", "name", "address")
FREE_MAIL = frozenset(
    "gmail.com googlemail.com yahoo.com yahoo.co.uk hotmail.com hotmail.co.uk outlook.com "
    "live.com msn.com icloud.com me.com mac.com aol.com proton.me protonmail.com gmx.com gmx.de "
    "mail.com yandex.com zoho.com".split()
)
# Capitalised words that a greeting or a metadata name field holds without being a name.
NOT_NAMES = frozenset(
    "there all everyone team again so for folks friend friends sir madam anonymous unknown "
    "visitor customer user guest client support agent bot the and thanks thank you hello hi "
    "sorry fine good great here back not just sure ok okay yes no again mr mrs ms miss dr prof "
    "mister madam".split()
)

_VENDOR_BLOCKS = re.compile("[\u2587\u2588]+")  # Zendesk redaction: ▇▇▇▇
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_NO_DIGITS = str.maketrans("", "", "0123456789")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){11,18}(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}\b", re.I)
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_PHONE_HINT = re.compile(r"\+?\(?\d[\d \t().\-/]{6,}\d")
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?(?: [A-Z][A-Za-z'.-]*){1,4} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
    r"Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Parkway|Pkwy|Square|Sq|"
    r"Highway|Hwy)\b\.?(?:,? (?:Apt|Suite|Unit|Flat)\.? ?#?\w+)?"
)
_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY".split()
)
_ZIP = re.compile(r"\b([A-Z]{2}) \d{5}(?:-\d{4})?\b")
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")
_NAME = r"[A-Z][a-z'\u2019-]+"
_INTRO = re.compile(
    rf"\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame:|[Cc]all me|[Tt]his is|I'm|I am)"
    rf"\s+({_NAME}(?:\s+{_NAME})?)"
)
_GREETING = re.compile(
    rf"(?:^|[.!?\n]\s*)(?:Hi|Hello|Hey|Dear|Thanks|Thank you|Good (?:morning|afternoon|evening))"
    rf"[ ,]+({_NAME}(?: {_NAME})?)\s*[,!.]",
    re.M,
)


@dataclass(frozen=True)
class Span:
    kind: str  # email | phone | card | iban | ip | address | name
    start: int
    end: int
    key: str  # the normalized value: the same key is the same value
    alt: str = ""  # phones: national digits, a second way to match the brand's numbers


def redact_vendor_blocks(text: str) -> str:
    return _VENDOR_BLOCKS.sub(REDACTED, text) if "\u2587" in text or "\u2588" in text else text


@lru_cache(maxsize=16384)  # agent macros repeat verbatim across conversations
def detect(text: str) -> tuple[Span, ...]:
    """Every PII span in `text` except names, without overlaps, in order."""
    found: list[Span] = []
    if "@" in text:
        found += [
            Span("email", m.start(), m.end(), "email:" + m[0].lower())
            for m in _EMAIL.finditer(text)
        ]
    digits = len(text) - len(text.translate(_NO_DIGITS))
    if digits:
        # each detector needs so many digits: most chat messages skip the slower patterns
        if digits >= 12:
            found += _cards(text)
        if digits >= 8:
            found += _ibans(text)
        if digits >= 4 and ("." in text or ":" in text):
            found += _ips(text)
        if digits >= 7:
            found += _phones(text)
        found += _addresses(text, digits)
    accepted: list[Span] = []
    for span in found:  # earlier detectors win where spans overlap
        if all(span.end <= a.start or span.start >= a.end for a in accepted):
            accepted.append(span)
    return tuple(sorted(accepted, key=lambda s: s.start))


def contact_digest(key: str) -> str:
    """A contact key as the macro tally keeps it: a digest, so that the tally (kept on disk
    between runs) never holds an e-mail address or phone number in the clear."""
    return hashlib.blake2b(key.encode(), digest_size=16, person=b"auditor-contact").hexdigest()


def contact_keys(text: str) -> set[str]:
    """Keys of the e-mails, phones and addresses in `text`: what a brand macro may contain."""
    return {
        s.key for s in detect(redact_vendor_blocks(text)) if s.kind in ("email", "phone", "address")
    }


def value_keys(values: Iterable[str]) -> set[str]:
    """Keys of contact values given alone (metadata e-mails and phones, configured contacts)."""
    keys: set[str] = set()
    for value in values:
        value = value.strip()
        if "@" in value:
            keys.add("email:" + value.lower())
            continue
        phone = _parse_phone(value)
        if phone:
            keys.update(phone)
    return keys


class Redactor:
    """Replaces PII in conversations; keeps the brand's own contact details (module doc)."""

    def __init__(
        self,
        brand_phones: Iterable[str] = (),
        brand_emails: Iterable[str] = (),
        kept: Iterable[str] = (),
    ) -> None:
        emails = [e.strip().lower() for e in brand_emails if e.strip()]
        self._brand = value_keys(list(brand_phones) + emails)
        self._domains = {e.rsplit("@", 1)[1] for e in emails if "@" in e} - FREE_MAIL
        self._kept = frozenset(kept)

    def fingerprint(self) -> str:
        """A digest of everything this redactor keeps: two with the same redact alike."""
        kept = (sorted(self._brand), sorted(self._domains), sorted(self._kept))
        return hashlib.sha256(repr(kept).encode()).hexdigest()

    def conversation(
        self, conversation: Conversation, names: Iterable[str] = (), contacts: Iterable[str] = ()
    ) -> Conversation:
        """The conversation with every message redacted under one numbering."""
        texts = [redact_vendor_blocks(m.text) for m in conversation.messages]
        found = _names(names, texts, [m.role for m in conversation.messages])
        pattern = _name_pattern(found)
        customer = value_keys(contacts)
        numbers: dict[str, dict[str, int]] = {kind: {} for kind in NUMBERED}
        messages = []
        for message, text in zip(conversation.messages, texts, strict=True):
            redacted = self._text(text, numbers, pattern, found, customer)
            if redacted != message.text:
                # direct construction: dataclasses.replace costs more than the redaction
                message = Message(
                    message.role, redacted, message.turn, message.timestamp, message.author
                )
            messages.append(message)
        return replace(conversation, messages=tuple(messages))

    def text(self, text: str) -> str:
        """One text alone (a Skipped reason, a one-off string), with its own numbering."""
        numbers: dict[str, dict[str, int]] = {kind: {} for kind in NUMBERED}
        return self._text(redact_vendor_blocks(text), numbers, None, {}, set())

    def is_kept(self, span: Span, customer: Collection[str] = ()) -> bool:
        """Whether a detected value is the brand's own contact detail (module doc)."""
        if span.kind not in ("email", "phone", "address"):
            return False
        if span.key in self._brand or (span.alt and span.alt in self._brand):
            return True
        if span.key in customer:
            return False
        if span.kind == "email" and self._domains:
            domain = span.key.rsplit("@", 1)[1]
            if any(domain == d or domain.endswith("." + d) for d in self._domains):
                return True
        return contact_digest(span.key) in self._kept

    def _text(
        self,
        text: str,
        numbers: dict[str, dict[str, int]],
        pattern: re.Pattern[str] | None,
        names: dict[str, int],
        customer: set[str],
    ) -> str:
        spans = [s for s in detect(text) if not self.is_kept(s, customer)]
        if pattern is not None:
            spans = _with_names(spans, text, pattern, names)
        if not spans:
            return text
        out: list[str] = []
        cursor = 0
        for span in spans:
            out.append(text[cursor : span.start])
            out.append(_placeholder(span, numbers))
            cursor = span.end
        out.append(text[cursor:])
        return "".join(out)


def _placeholder(span: Span, numbers: dict[str, dict[str, int]]) -> str:
    if span.kind not in numbers:
        return f"<{span.kind.upper()}>"
    seen = numbers[span.kind]
    number = seen.setdefault(span.key, len(seen) + 1)
    return f"<{span.kind.upper()}_{number}>"


def _with_names(
    spans: list[Span], text: str, pattern: re.Pattern[str], names: dict[str, int]
) -> list[Span]:
    matches = list(pattern.finditer(text))
    if not matches:
        return spans
    merged = list(spans)
    for match in matches:
        if all(match.end() <= s.start or match.start() >= s.end for s in spans):
            merged.append(Span("name", match.start(), match.end(), f"name:{names[match[0]]}"))
    return sorted(merged, key=lambda s: s.start)


def _names(given: Iterable[str], texts: list[str], roles: list[str]) -> dict[str, int]:
    """Surface form -> person index: full names and their parts point to the same person."""
    people: list[str] = [n for n in given if isinstance(n, str)]
    for text, role in zip(texts, roles, strict=True):
        if role == "customer":
            people += [m[1] for m in _INTRO.finditer(text)]
        elif role in ("agent", "bot"):
            people += [m[1] for m in _GREETING.finditer(text)]
    surfaces: dict[str, int] = {}
    for index, person in enumerate(people, start=1):
        words = (re.sub(r"['\u2019]s$", "", w) for w in re.split(r"[\s,]+", person.strip()))
        parts = [w for w in words if _is_name(w)]
        if not parts:
            continue
        if len(parts) > 1:
            surfaces.setdefault(" ".join(parts), index)
        for part in parts:
            surfaces.setdefault(part, index)
    return surfaces


def _is_name(word: str) -> bool:
    return (
        len(word) >= 2
        and word[0].isupper()
        and word.replace("'", "").replace("-", "").replace("\u2019", "").isalpha()
        and word.lower() not in NOT_NAMES
    )


def _name_pattern(names: dict[str, int]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w@.])(?:{alternatives})(?![\w@])")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _cards(text: str) -> Iterator[Span]:
    for match in _CARD.finditer(text):
        raw = match[0]
        ends = [i + 1 for i, c in enumerate(raw) if c.isdigit()]
        # a longer run may hold a card followed by other digits ("... 1111 12/27"): try the
        # prefixes that end at a group boundary, longest first
        for count in range(min(len(ends), 19), 11, -1):
            end = ends[count - 1]
            if end < len(raw) and raw[end].isdigit():
                continue
            digits = "".join(c for c in raw[:end] if c.isdigit())
            if _luhn(digits):
                yield Span("card", match.start(), match.start() + end, "card:" + digits)
                break


def _ibans(text: str) -> Iterator[Span]:
    for match in _IBAN.finditer(text):
        groups = match[0].split(" ")
        while groups:
            compact = "".join(groups).upper()
            if 15 <= len(compact) <= 34 and _mod97(compact):
                end = match.start() + len(" ".join(groups))
                yield Span("iban", match.start(), end, "iban:" + compact)
                break
            groups.pop()  # a trailing word caught by the pattern ("... 32 toda")


def _mod97(iban: str) -> bool:
    moved = iban[4:] + iban[:4]
    try:
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    except ValueError:
        return False


def _ips(text: str) -> Iterator[Span]:
    for match in _IPV4.finditer(text):
        if all(int(octet) <= 255 for octet in match[0].split(".")):
            yield Span("ip", match.start(), match.end(), "ip:" + match[0])
    if text.count(":") >= 2:
        for match in _IPV6.finditer(text):
            try:
                ipaddress.IPv6Address(match[0])
            except ValueError:
                continue
            yield Span("ip", match.start(), match.end(), "ip:" + match[0].lower())


def _phones(text: str) -> Iterator[Span]:
    for hint in _PHONE_HINT.finditer(text):
        if sum(c.isdigit() for c in hint[0]) < 7:
            continue
        # the hint alone gives the matcher its context; macros repeat the same number
        for start, end, e164, national in _phones_in(hint[0]):
            yield Span("phone", hint.start() + start, hint.start() + end, e164, national)


@lru_cache(maxsize=8192)
def _phones_in(fragment: str) -> tuple[tuple[int, int, str, str], ...]:
    found: list[tuple[int, int, str, str]] = []
    for region in ("US", "GB"):
        for match in PhoneNumberMatcher(fragment, region, leniency=Leniency.POSSIBLE):
            digits = sum(c.isdigit() for c in match.raw_string)
            international = match.raw_string.lstrip("(").startswith("+")
            if not international and digits < 10:
                continue
            if region == "GB" and not international and not match.raw_string.startswith("0"):
                continue  # GB's lenient matcher takes dates and ZIP codes for numbers
            if any(match.start < e and match.end > s for s, e, _, _ in found):
                continue
            number = match.number
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            found.append(
                (match.start, match.end, "phone:" + e164, f"national:{number.national_number}")
            )
    return tuple(found)


def _parse_phone(value: str) -> set[str]:
    for region in ("US", "GB"):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
            return {"phone:" + e164, f"national:{number.national_number}"}
    return set()


def _addresses(text: str, digits: int) -> Iterator[Span]:
    patterns = [_STREET, _POSTCODE]
    if digits >= 5:
        patterns.append(_ZIP)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if pattern is _ZIP and match[1] not in _STATES:
                continue
            key = "address:" + " ".join(re.findall(r"[a-z0-9]+", match[0].lower()))
            yield Span("address", match.start(), match.end(), key)
