"""Statements -> claims: one comparable thing a sentence asserts, with its scope and the text
that says what it is *about* (values masked), which is what gets embedded and aligned.

Two kinds of claim:
- a value claim: one fact (30 days, $15, 24/7) in its own scope;
- a polarity claim: a yes/no assertion ("Final Sale items cannot be returned"), embedded with its
  negation removed so that "can" and "cannot" about the same thing align.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from auditor.facts.entities import Subjects
from auditor.facts.scope import (
    clause_spans,
    fact_scopes,
    is_negated,
    regions_in,
    scope_of,
    strip_negation,
)
from auditor.model import Answer, Fact, Scope, Statement

# Kinds whose values can disagree; URLs are kept as facts but a brand links many pages.
COMPARABLE = {"duration", "money", "percent", "phone", "email", "hours", "time", "count"}
_MASK = {
    "duration": "some time", "money": "some amount", "percent": "some percent",
    "phone": "the phone number", "email": "the email address", "hours": "certain hours",
    "time": "a certain time", "count": "some number of", "url": "the link",
}  # fmt: skip
# an answer word followed by punctuation: "No, ..." answers; "No pets are allowed" does not
_YES_NO = re.compile(r"^\s*(yes|no|nope|yep|sure|unfortunately not)\b\s*[,.!:;]", re.IGNORECASE)
# Sentences that assert something can or cannot happen, is or is not there.
_PREDICATE = re.compile(
    r"\b(?:can|cannot|can't|may|must|allow(?:s|ed)?|permit(?:s|ted)?|available|unavailable|"
    r"accept(?:s|ed)?|offer(?:s|ed)?|provide(?:s|d)?|have|has|is\s+there|there\s+is|there\s+are|"
    r"there's|refundable|eligible|include(?:s|d)?|serve(?:s|d)?|welcome|possible|require(?:s|d)?|"
    r"charge(?:s|d)?|free|open|closed|deliver(?:s|ed)?|ship(?:s|ped)?|support(?:s|ed)?|"
    r"accessible|needed|necessary|does|do)\b",
    re.IGNORECASE,
)
# pleasantries; "Sorry, no, ..." is an answer word before a statement, not an apology
_FILLER = re.compile(
    r"^(?:thanks|thank you|hi|hello|hey|bye|goodbye|you're welcome|no problem|no worries|"
    r"let me|bear with|one moment|is there anything|anything else|have a|take care|"
    r"sorry(?!\s*,))\b",
    re.IGNORECASE,
)
# Not a statement about the brand's policy: what the speaker does not know, and what was just
# done for this one customer ("I booked you a table at 12:30", "your total is 10.1 GBP").
_NOT_A_CLAIM = re.compile(
    r"\b(?:i|we)\s+(?:do\s+not|don't|dont|cannot|can't)\s+(?:have|know|find|see|seem)\b|"
    r"\bunable\s+to\s+(?:find|locate|see)\b|\bno\s+information\b|\bnot\s+sure\b|"
    r"\b(?:couldn't|could\s+not|can't|cannot|didn't|did\s+not)\s+(?:find|locate)\b|"
    r"\b(?:listed|matching|that\s+match(?:es)?)\b.*\b(?:search|request|criteria)\b|"
    r"\b(?:i|we)(?:'ve|\s+have)?\s+(?:booked|reserved|found|made\s+(?:a|the|your)\s+(?:booking|reservation))\b|"
    r"\bbooking\s+(?:was|is)\s+(?:successful|confirmed|complete)|\bsuccessfully\s+booked\b|"
    r"\breference\s+(?:number|no\.?|code)\b|\byour\s+(?:total|booking|reservation|table|ticket)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Claim:
    answer: Answer
    statement: Statement
    kind: str  # a fact kind, or "polarity"
    group: tuple  # claims are compared only within one group (kind, role, scope)
    scope: Scope
    context: str  # what the claim is about, values masked: the text that is embedded
    fact: Fact | None = None
    negated: bool = False
    # (masked sentence, index of the value in it): two claims read from the same wording must
    # be the same value of it, not "1 point" against "100 points" of one macro
    position: tuple[str, int] | None = None
    keywords: frozenset[str] = frozenset()  # content words near the value
    fallback: bool = False  # the same claim without its conversation's segment

    @property
    def key(self) -> tuple:
        where = self.fact.start if self.fact else (self.position[1] if self.position else -1)
        return (self.answer.id, self.statement.index, self.kind, where)

    @property
    def display(self) -> str:
        if self.fact is not None:
            return f"not {self.fact.display}" if self.negated else self.fact.display
        return "no" if self.negated else "yes"


def mask(text: str, facts: tuple[Fact, ...]) -> str:
    """The sentence with each value replaced by a neutral phrase of its kind."""
    out = text
    for fact in sorted(facts, key=lambda f: f.start, reverse=True):
        out = out[: fact.start] + _MASK.get(fact.kind, "something") + out[fact.end :]
    return " ".join(out.split())


def _group_key(fact: Fact, scope: Scope) -> tuple:
    if fact.kind == "money":
        role = fact.value[3]
        # an unpriced "free" compares with amounts of any currency
        return ("money", role, scope.key())
    if fact.kind in ("hours", "time"):
        return ("clock", scope.key())
    if fact.kind == "count":
        return ("count", fact.value[0], scope.key())
    return (fact.kind, scope.key())


def claims_for(
    answer: Answer,
    statements: list[Statement],
    subject: str | None = None,
    subjects: Subjects | None = None,
) -> list[Claim]:
    """The claims of one answer. `subject` is what the answer is about (its page's or its
    conversation's named subject); a statement that names another subject is about that one."""
    claims = _claims_for(answer, statements)
    if subject is None and (subjects is None or not subjects.names):
        return claims
    pattern = subjects.pattern() if subjects else None
    scoped: list[Claim] = []
    generic = {c.statement.index for c in claims if _GENERIC.search(c.statement.text)}
    for claim in claims:
        if pattern is not None:
            # the subject is in the scope; its name in the text would make every sentence
            # about one hotel look alike
            context = pattern.sub("the place", claim.context)
            keywords = claim.keywords
            if claim.kind == "polarity":
                keywords = keywords_near(claim.statement, None, text=context)
            claim = replace(claim, context=context, keywords=keywords)
        named = _named(claim.statement.text, subject, subjects) if subjects else []
        inherited = None if claim.statement.index in generic else subject
        product = named[0] if len(named) == 1 else inherited
        if len(named) > 1 and claim.fact is not None and subjects is not None:
            product = _nearest_subject(claim.statement.text, claim.fact.start, subjects) or subject
        if product:
            scope = replace(claim.scope, product=product)
            claim = replace(claim, scope=scope, group=(*claim.group[:-1], scope.key()))
            if claim.kind == "polarity":
                claim = replace(claim, keywords=claim.keywords - _referring(claim.context, product))
        scoped.append(claim)
    return scoped


def _referring(text: str, name: str) -> frozenset[str]:
    """Words of the subject's name that the text uses to refer to it ("the restaurant" for
    Restaurant Two Two): they say which thing, which the scope already does, not what."""
    return frozenset(
        _stem(word)
        for word in _WORD.findall(name.lower())
        if re.search(rf"\b(?:the|this|that)\s+{re.escape(word)}\b", text, re.IGNORECASE)
    )


def _named(text: str, subject: str | None, subjects: Subjects) -> list[str]:
    """The subjects a sentence names. A shorter name that runs on in capitals where the
    answer's own subject has a longer name beginning with it is that subject, misspelt
    ("Nandos City Cenre" on the Nandos City Centre page), not the shorter one."""
    named = subjects.named_in(text)
    if not subject:
        return named
    return [name for name in named if not _runs_on_into(text, name, subject)]


def _runs_on_into(text: str, name: str, subject: str) -> bool:
    if name == subject or not subject.lower().startswith(name.lower() + " "):
        return False
    pattern = re.compile(r"(?<!\w)(?i:" + re.escape(name) + r")\s+[A-Z]")
    mentions = re.findall(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.IGNORECASE)
    return len(pattern.findall(text)) == len(mentions)


# "There are quite a few hotels with free parking": about many, not the one being discussed
_GENERIC = re.compile(
    r"\b(?:there\s+are|several|many|a\s+few|quite\s+a\s+few|most|a\s+(?:wide[\s-])?range\s+of|"
    r"a\s+number\s+of|a\s+lot\s+of|lots\s+of|plenty\s+of)"
    r"(?:\s+[\w-]+){0,2}?\s+(?:hotels|restaurants|places|guesthouses|guest\s+houses|options|"
    r"venues|locations|stores|shops|properties|products|items)\b",
    re.IGNORECASE,
)


def _nearest_subject(text: str, position: int, subjects: Subjects) -> str | None:
    pattern = subjects.pattern()
    if pattern is None:
        return None
    best = min(pattern.finditer(text), key=lambda m: abs(m.start() - position), default=None)
    return subjects.name_of(best.group()) if best else None


def _claims_for(answer: Answer, statements: list[Statement]) -> list[Claim]:
    heading = answer.question if answer.kind in ("section", "faq") else None
    claims: list[Claim] = []
    for statement in statements:
        if answer.conversation and _NOT_A_CLAIM.search(statement.text):
            continue
        facts = tuple(f for f in statement.facts if f.kind in COMPARABLE)
        masked = mask(statement.text, statement.facts)
        if facts:
            spans = [(f.start, f.end) for f in facts]
            scopes = fact_scopes(statement.text, spans, answer.segment, heading)
            stated = fact_scopes(statement.text, spans, None, heading) if answer.segment else scopes
            for position, (fact, scope, own) in enumerate(zip(facts, scopes, stated, strict=True)):
                context = masked if len(facts) == 1 else _clause_context(statement, fact)
                if len(_WORD.findall(context.lower())) < 4:
                    continue  # "$40: 40" in a table says too little to know what it is about
                claim = Claim(
                    answer=answer,
                    statement=statement,
                    kind=fact.kind,
                    group=_group_key(fact, scope),
                    scope=scope,
                    context=_with_question(context, answer),
                    position=(masked, position),
                    keywords=_value_keywords(statement, fact, context, answer),
                    fact=fact,
                    negated=_value_negated(statement.text, fact),
                )
                claims.append(claim)
                if own != scope:
                    # The segment comes from the conversation, not the words: where the
                    # segment has no answer of its own on this, the general answer applies.
                    claims.append(
                        replace(claim, group=_group_key(fact, own), scope=own, fallback=True)
                    )
        claims.extend(_polarity_claims(answer, statement))
        claims.extend(_offered_claims(answer, statement))
    return claims


# "included" stays a keyword: "breakfast is not included" is about its price, not whether
# there is any
_STOPWORDS = frozenset(
    """a an the and or but if so to of in on at by for from with within into onto over under
    up down out off about after before than then that this these those it its it's is are was
    were be been being am do does did done have has had having can could will would shall should
    may might must not no never you your yours we our ours us i me my they them their he she his
    her as any all each every per some there here what which who whom when where why how just
    also only very more most less least still yet again once let get got make made sure please
    thanks thank hi hello yes okay ok place does doesn don isn aren there
    amount time percent number certain phone email address link something
    available availability offer offers offered provide provides provided allow allows allowed
    permit permitted accept accepts accepted welcome possible
    region""".split()
)
_WORD = re.compile(r"[a-z][a-z]+")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    word = word.strip("'-")
    for suffix in ("ing", "ic", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_PARTICLES = frozenset({"in", "out", "up", "off"})
# what follows a particle that belongs to its verb ("check in at 3pm", "take out from here"),
# where "stay in the city" or "included in the price" opens a phrase of its own
_AFTER_PARTICLE = frozenset(
    "at by from after before until till for time times is are was were starts begins".split()
)


def _compounds(text: str, words: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Words with their compounds joined: a verb and its particle are one word ("check in",
    "check-in" and "checkin" all say checkin, which "check out" does not), and so is a hyphenated
    word whose parts are too short to be words ("wi-fi")."""
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(words):
        start, word = words[index]
        if index + 1 < len(words):
            following = words[index + 1][1]
            hyphen = text[start + len(word) : words[index + 1][0]] == "-"
            if (hyphen and len(word) < 3 and len(following) < 3) or (
                following in _PARTICLES and (hyphen or _particle_ends(text, words, index + 1))
            ):
                verb = re.sub(r"(?<=\w{3})(?:ing|ed)$", "", word)  # "checked in" is checkin
                out.append((start, verb + following))
                index += 2
                continue
        out.append((start, word))
        index += 1
    return out


def _particle_ends(text: str, words: list[tuple[int, str]], index: int) -> bool:
    """A spaced particle belongs to the word before it when nothing, punctuation or a
    preposition follows it."""
    start, particle = words[index]
    end = start + len(particle)
    if index + 1 >= len(words):
        return True
    gap = text[end : words[index + 1][0]]
    punctuation = gap.strip() != "" and not any(ch.isalnum() for ch in gap)
    return punctuation or (gap.isspace() and words[index + 1][1] in _AFTER_PARTICLE)


def keywords_near(
    statement: Statement, fact: Fact | None, window: int = 6, text: str | None = None
) -> frozenset[str]:
    """Content words within `window` words of the value (all of them for a yes/no claim)."""
    masked = text is not None  # a masked text has no values left to skip
    raw = (text if text is not None else statement.text).lower()
    words = _compounds(raw, [(m.start(), m.group()) for m in _WORD.finditer(raw)])
    inside = [
        w
        for start, w in words
        if masked or not any(f.start <= start < f.end for f in statement.facts)
    ]
    if fact is None:
        chosen = inside
    else:
        before = [w for start, w in words if start < fact.start][-window:]
        after = [w for start, w in words if start >= fact.end][:window]
        chosen = [w for w in before + after if w in inside]
    return frozenset(_stem(w) for w in chosen if w not in _STOPWORDS and len(w) > 2)


@lru_cache(maxsize=65536)
def adjective_heads(text: str) -> dict[str, str]:
    """Nouns after an adjective made from a noun with "-ic", by the noun's stem: in "alcoholic
    drinks" the drinks are said only to be of alcohol ({"drink": "alcohol"})."""
    words = _WORD.findall(text.lower())
    return {
        _stem(head): _stem(word)
        for word, head in zip(words, words[1:], strict=False)
        if word.endswith("ic") and _stem(word) != word and head not in _STOPWORDS
    }


@lru_cache(maxsize=65536)
def plain_nouns(text: str) -> frozenset[str]:
    """Stems of the words written as their stem plus at most a plural or verb ending ("alcohol",
    not "alcoholic")."""
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if not w.endswith("ic"))


def _value_keywords(
    statement: Statement, fact: Fact, context: str, answer: Answer
) -> frozenset[str]:
    """Words near the value, and the question's words when the answer leans on its question."""
    words = keywords_near(statement, fact)
    leans = _with_question(context, answer) != context
    if answer.question and (leans or answer.kind in ("section", "faq")):
        # a heading or FAQ question names the topic its values are about
        words |= keywords_near(statement, None, text=answer.question)
    return words


def _value_negated(text: str, fact: Fact) -> bool:
    """Whether the value's own clause denies it ("the desk is not open 24/7")."""
    for start, end in _polar_clauses(text):
        if start <= fact.start < end:
            # only a denial just before the value: "who can't open the page can call X" is not
            # a denial of X
            before = text[start : fact.start].split()[-5:]
            if re.search(r"\b(?:who|that|which|if|when|unless)\b", " ".join(before), re.I):
                return False
            return is_negated(" ".join(before) + " " + fact.text)
    return False


def _clause_context(statement: Statement, fact: Fact) -> str:
    """What one of several values in a sentence is about: its own clause, after the sentence's
    opening clause (which usually names the subject), other values masked."""
    text = statement.text
    clauses = clause_spans(text)
    own = next((c for c in clauses if c[0] <= fact.start < c[1]), (0, len(text)))
    first = clauses[0]
    pieces = [own] if own == first else [first, own]
    masked_pieces = []
    for start, end in pieces:
        inside = tuple(
            Fact(f.kind, f.value, f.display, f.start - start, f.end - start, f.text)
            for f in statement.facts
            if f.start >= start and f.end <= end
        )
        masked_pieces.append(mask(text[start:end], inside))
    return " ".join(p.strip(" ,;:()") for p in masked_pieces if p.strip())


def _with_question(masked: str, answer: Answer) -> str:
    # A short answer ("No, it is not.", "You have 14 days.") is about the question it answers:
    # the FAQ's question, or the customer's last turn (used as context only, never as a claim).
    if answer.kind in ("faq", "agent", "bot") and answer.question and len(masked.split()) < 8:
        question = " ".join(answer.question.split()[-40:])
        return f"{question} {masked}"
    return masked


_POLAR_BREAK = re.compile(r";|,?\s+\(?(?:but|while|whereas|although|however)\b|,\s+(?:and|so)\b")
# "free WiFi, but no parking": a bare "no" and its noun deny that the thing is there
_BARE_NO = re.compile(r"^\W*no\s+([a-z][a-z-]*(?:\s+[a-z][a-z-]*)?)\W*$", re.IGNORECASE)


def _polar_clauses(text: str) -> list[tuple[int, int]]:
    """Clauses that each say yes or no on their own: "X is included, and there is no Y" is two."""
    cuts = [0]
    for m in _POLAR_BREAK.finditer(text):
        cuts.extend((m.start(), m.end()))
    cuts.append(len(text))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
    return [
        (a, b) for a, b in spans if len(text[a:b].split()) >= 3 or _BARE_NO.match(text[a:b])
    ] or [(0, len(text))]


_OBJECT_AFTER = re.compile(r"\s+((?:[a-z-]+\s+)?[a-z-]+)", re.IGNORECASE)
# "the WiFi at the hotel is free": the thing is the head before its place
_OBJECT_BEFORE = re.compile(
    r"((?:[a-z-]+\s+)?[a-z-]+)(?:\s+(?:at|in|on|of|with)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+)?"
    r"\s+(?:is|are)\s*$",
    re.IGNORECASE,
)
_NOT_OBJECT = {"and", "or", "for", "of", "to", "at", "in", "on", "with", "the", "a", "an", "it"}


# "It has internet and parking", "offers free wifi, a gym and parking": each thing is there
_HAS_LIST = re.compile(
    r"\b(?:has|have|offers?|includes?|provides?|features?)\s+(?:both\s+)?"
    r"((?:(?:free|a|an|some)\s+)?[a-z-]+(?:\s*,\s*(?:(?:free|a|an)\s+)?[a-z-]+)*"
    r"\s+and\s+(?:(?:free|a|an)\s+)?[a-z-]+)",
    re.IGNORECASE,
)


def _listed_things(text: str) -> list[tuple[int, list[str]]]:
    found = []
    for m in _HAS_LIST.finditer(text):
        for item in re.split(r"\s*,\s*|\s+and\s+", m.group(1)):
            words = [w for w in item.split() if w.lower() not in ("free", "a", "an", "some")]
            if len(words) == 1 and words[0].lower() not in _NOT_OBJECT:
                found.append((m.start(1), words))
    return found


def _offered_claims(answer: Answer, statement: Statement) -> list[Claim]:
    """ "Free parking" also says there is parking: a yes that a "there is no parking" denies;
    so does "it has internet and parking"."""
    claims = []
    text = statement.text
    things: list[tuple[int, list[str]]] = []
    for fact in statement.facts:
        if fact.kind != "money" or fact.value[2] != 0 or fact.text.lower() != "free":
            continue
        after = _OBJECT_AFTER.match(text, fact.end)
        if after and after.group(1).split()[0].lower() in _NOT_OBJECT:
            after = None  # "free at the hotel", "free to use": said of what comes before
        before = _OBJECT_BEFORE.search(text[: fact.start])
        words = (after.group(1) if after else before.group(1) if before else "").split()
        words = [w for w in words if w.lower() not in _NOT_OBJECT]
        if after and len(words) == 2 and words[1].lower() in _NOT_OBJECT:
            words = words[:1]
        if words and not _value_negated(text, fact):
            things.append((fact.start, words))
    if not statement.negated:
        known = {" ".join(w).lower() for _, w in things}
        things.extend(t for t in _listed_things(text) if " ".join(t[1]).lower() not in known)
    if not things:
        return claims
    heading = answer.question if answer.kind in ("section", "faq") else None
    scope = scope_of(text, None, heading)
    for where, words in things:
        thing = " ".join(words)
        claims.append(
            Claim(
                answer=answer,
                statement=statement,
                kind="polarity",
                group=("polarity", scope.key()),
                scope=scope,
                context=f"There is {thing}.",
                negated=False,
                keywords=frozenset(_stem(w.lower()) for w in words),
                position=(text, -1 - where - len(claims)),
            )
        )
    return claims


# "What is the charge?" cannot be answered yes or no: a "No, it is free" there says only its rest
_WH_QUESTION = re.compile(
    r"^\W*(?:what|how|when|where|which|who|whom|whose|why)\b"
    r"|\b(?:tell|know|ask|wonder(?:ing)?|say)\s+(?:me\s+|us\s+)?(?:what|how|when|where|which|who|why)\b",
    re.IGNORECASE,
)


def _asks_yes_no(question: str) -> bool:
    """Whether the question (its last question sentence) can be answered with yes or no."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", question.strip()) if s]
    asked = [s for s in sentences if s.rstrip().endswith("?")]
    last = (asked or sentences or [""])[-1]
    return not _WH_QUESTION.search(last)


def _predicates(piece: str, facts: tuple[Fact, ...]) -> bool:
    """Whether the clause asserts something can be or is there. "Free" does so only where it
    was read as a price: in "a pet free facility" it says "without", and no yes."""
    for m in _PREDICATE.finditer(piece):
        if m.group().lower() != "free" or any(
            f.kind == "money" and f.start <= m.start() < f.end for f in facts
        ):
            return True
    return False


def _polarity_claims(answer: Answer, statement: Statement) -> list[Claim]:
    text = statement.text
    if _FILLER.match(text) or text.rstrip().endswith("?") or len(text.split()) < 3:
        return []
    heading = answer.question if answer.kind in ("section", "faq") else None
    # yes/no answers are compared in the scope their words state, not the conversation's
    scope = scope_of(text, None, heading)
    claims = []
    for start, end in _polar_clauses(text):
        piece = text[start:end]
        negated = is_negated(piece)
        yes_no = _YES_NO.match(piece)
        inside = tuple(
            Fact(f.kind, f.value, f.display, f.start - start, f.end - start, f.text)
            for f in statement.facts
            if f.start >= start and f.end <= end
        )
        if not (negated or _predicates(piece, inside) or yes_no):
            continue
        neutral = strip_negation(mask(piece, inside))
        bare = _BARE_NO.match(piece)
        if bare and negated:
            neutral = f"There is {bare.group(1)}."  # worded as "free parking" is read
        answers_no = bool(yes_no) and yes_no.group(1).lower() in ("no", "nope")
        if (
            yes_no
            and answer.question
            and _asks_yes_no(answer.question)
            and (len(neutral.split()) < 5 or (answers_no and not negated and start == 0))
        ):
            # "No, this is a smoke-free hotel" says no to the question, whatever it adds
            neutral = strip_negation(answer.question.rstrip("?"))
            negated = answers_no or is_negated(answer.question)
        if len(neutral.split()) < 3:
            continue
        claims.append(
            Claim(
                answer=answer,
                statement=statement,
                kind="polarity",
                group=("polarity", scope.key()),
                scope=scope,
                context=neutral,
                negated=negated,
                keywords=keywords_near(statement, None, text=neutral),
                position=(text, start),
            )
        )
        if not negated:
            claims.extend(_reach_claim(answer, statement, piece, neutral, scope, start))
    return claims


_ONLY = re.compile(r"\bonly\b|\bexclusively\b", re.IGNORECASE)


def _reach_claim(
    answer: Answer, statement: Statement, piece: str, neutral: str, scope: Scope, start: int
) -> list[Claim]:
    """Where something is offered, as a value: "for US addresses only" reaches the US alone, so
    "available to Germany" disagrees with it, while "available in the US" and "in the EU" do
    not disagree with each other."""
    found = regions_in(piece)
    if not found:
        return []
    regions = frozenset(code for code, _, _ in found)
    exclusive = bool(_ONLY.search(piece))
    context = neutral
    for _code, r_start, r_end in sorted(found, key=lambda r: -r[1]):
        context = context.replace(piece[r_start:r_end], "the region")
    display = ", ".join(sorted(regions)) + (" only" if exclusive else "")
    fact = Fact("reach", ("reach", regions, exclusive), display, 0, 0, piece)
    general = replace(scope, region=None)
    return [
        Claim(
            answer=answer,
            statement=statement,
            kind="reach",
            group=("reach", general.key()),
            scope=general,
            context=context,
            fact=fact,
            keywords=keywords_near(statement, None, text=context),
            position=(statement.text, start),
        )
    ]
