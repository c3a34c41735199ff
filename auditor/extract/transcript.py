"""Transcripts -> answers (DESIGN.md, pipeline step 2): every agent or bot message is one
answer, with the customer turns before it as the question it answers. Customer and system text
is never a brand answer, and neither is a message that redaction left without words.

Exchanges: the customer turns since the brand last replied form the question; brand messages
that follow one another without the customer speaking share it.

Corrections (DESIGN.md, step 7: "an agent's slip corrected later in the same conversation" is
not a disagreement). The rule works on wording alone, knowing no facts:

1. A brand message is a correction when it says so: "sorry, I misspoke", "correction:",
   "my mistake", "I was wrong", "let me correct that", "I meant", "scratch that", ...
2. Each sentence of the correction that says something beyond the apology (its *claim*) looks
   back through the earlier brand messages of the conversation, most recent first, for the
   sentence it replaces, and stops at the first message that has one:
   - words are compared after lowercasing, a crude plural strip, dropping stop words and the
     apology words, with every number masked as <num>; a word right after a number is its unit;
   - a claim with a number replaces only a sentence with a number in the same unit ("days");
     their other words must overlap by half (of the shorter); a terse claim ("it is 30 days")
     has no other words, so the unit alone decides;
   - a claim without a number needs half of its words, and at least two, in common;
   - of several equally good sentences, those that share a literal number with the claim win
     ("30 days, not 14" names the 14 it replaces); a tie that remains drops them all (a
     statement we cannot tell apart from the slip is not evidence either way).
3. The replaced sentences are removed from the earlier answer's text; an answer left empty is
   dropped. The correction itself counts as said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from auditor.model import BRAND_ROLES, Answer, Conversation, Message, make_answer_id

CORRECTION = re.compile(
    r"\b(?:I misspoke|correction\s*:|my (?:mistake|bad|apologies|error)|I was wrong"
    r"|let me correct|I (?:need|have|want) to correct|to correct (?:myself|my|that|what)"
    r"|I (?:meant|mean) to say|I meant|I stand corrected|scratch that|I made (?:a|an) (?:mistake"
    r"|error)|(?:that|this) was (?:wrong|incorrect|a mistake)|I gave you (?:the )?wrong"
    r"|(?:sorry|apologies),? (?:that'?s|that is|it'?s|it is) (?:actually|not))",
    re.I,
)
_CORRECTION_HINT = re.compile(
    "misspoke|correct|mistake|wrong|meant|mean to|scratch|error|sorry|apolog|my bad", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,:]\d+)*|[$€£%]")
_LETTER = re.compile(r"[^\W\d_]")
_PLACEHOLDER = re.compile(r"<[A-Z]+(?:_\d+)?>")
_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty sixty ninety hundred half".split()
)
_STOP = frozenset(
    "a an the is are was were be been being it its it's that's you your you're we our we're my "
    "us i i'm me to of in on at for from by with and or but that this these those there so do "
    "does did can could will would should just now then as if also any some all about into "
    "than not no yes ok okay please thanks thank here within up".split()
)
_APOLOGY = frozenset(
    "sorry misspoke correction mistake wrong correct corrected meant mean apologies apologize "
    "apologise actually oops stand scratch earlier previous previously said saying let bad "
    "error made gave told".split()
)
MIN_OVERLAP = 0.5


def answers_from_conversation(conversation: Conversation, channel: str) -> list[Answer]:
    """One answer per brand message, with its question, after applying corrections."""
    replies: list[tuple[Message, str | None]] = []
    question: list[str] = []
    replied = False  # a brand reply since the customer last spoke: the next turn starts anew
    for message in conversation.messages:
        if message.role == "customer":
            if replied:
                question, replied = [], False
            question.append(message.text)
            continue
        if message.role not in BRAND_ROLES or not _has_words(message.text):
            continue
        replies.append((message, " ".join(question) or None))
        replied = True
    texts = apply_corrections([message.text for message, _ in replies])
    answers: list[Answer] = []
    for (message, asked), text in zip(replies, texts, strict=True):
        if not _has_words(text):
            continue
        locator = f"{conversation.id} turn {message.turn}"
        answers.append(
            Answer(
                id=make_answer_id(channel, conversation.source, locator),
                channel=channel,
                source=conversation.source,
                locator=locator,
                text=text,
                question=asked,
                kind="bot" if message.role == "bot" else "agent",
                conversation=conversation.id,
                segment=conversation.segment,
                updated_at=message.timestamp or conversation.started_at,
            )
        )
    return answers


def is_correction(text: str) -> bool:
    """Whether a brand message says it corrects an earlier one (module doc, rule 1)."""
    # the pattern is slow to run on every message; each of its phrases holds one of these words
    if _CORRECTION_HINT.search(text) is None:
        return False
    return CORRECTION.search(text) is not None


@dataclass
class _Sentence:
    text: str
    start: int
    end: int  # the segment's end: the sentence and the whitespace after it
    words: frozenset[str] = frozenset()  # content words, numbers and units excluded
    units: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()  # literal numbers as written
    removed: bool = False

    @property
    def has_value(self) -> bool:
        return bool(self.numbers)


@dataclass
class _Reply:
    text: str
    sentences: list[_Sentence] = field(default_factory=list)


def apply_corrections(texts: list[str]) -> list[str]:
    """The brand messages of one conversation, in order, with corrected sentences removed."""
    if not any(is_correction(t) for t in texts):
        return texts
    replies = [_Reply(t, _split(t)) for t in texts]
    for index, reply in enumerate(replies):
        if not is_correction(reply.text):
            continue
        for claim in reply.sentences:
            if not claim.words and not claim.has_value:
                continue  # the apology alone
            for earlier in reversed(replies[:index]):
                replaced = _replaced(claim, earlier.sentences)
                if replaced:
                    for sentence in replaced:
                        sentence.removed = True
                    break
    out: list[str] = []
    for reply in replies:
        kept = "".join(reply.text[s.start : s.end] for s in reply.sentences if not s.removed)
        out.append(kept.strip() if any(s.removed for s in reply.sentences) else reply.text)
    return out


def _replaced(claim: _Sentence, sentences: list[_Sentence]) -> list[_Sentence]:
    scored: list[tuple[float, _Sentence]] = []
    for sentence in sentences:
        if sentence.removed:
            continue
        score = _score(claim, sentence)
        if score is not None:
            scored.append((score, sentence))
    if not scored:
        return []
    best = max(score for score, _ in scored)
    tied = [s for score, s in scored if score == best]
    named = [s for s in tied if s.numbers & claim.numbers]
    return named or tied


def _score(claim: _Sentence, sentence: _Sentence) -> float | None:
    shared = claim.words & sentence.words
    if claim.has_value:
        if not sentence.has_value:
            return None
        if claim.units and not claim.units & sentence.units:
            return None
        if not claim.words:
            return 1.0
    elif len(shared) < 2:
        return None
    smaller = min(len(claim.words), len(sentence.words)) or 1
    overlap = len(shared) / smaller
    return overlap if overlap >= MIN_OVERLAP else None


def _split(text: str) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append(_analyse(text, start, match.end()))
        start = match.end()
    if start < len(text):
        sentences.append(_analyse(text, start, len(text)))
    return sentences


def _analyse(text: str, start: int, end: int) -> _Sentence:
    piece = text[start:end]
    tokens = _TOKEN.findall(_PLACEHOLDER.sub(" ", piece.lower()))
    words: set[str] = set()
    units: set[str] = set()
    numbers: set[str] = set()
    after_number = False
    for token in tokens:
        if token[0].isdigit() or token in _NUMBER_WORDS:
            numbers.add(token)
            after_number = True
            continue
        if token in "$€£%":
            units.add(token)
            continue
        plural = len(token) > 3 and token.endswith("s") and "'" not in token
        stem = token[:-1] if plural else token
        if after_number and stem not in _STOP:
            units.add(stem)
        elif stem not in _STOP and stem not in _APOLOGY:
            words.add(stem)
        after_number = False
    return _Sentence(
        piece.strip(), start, end, frozenset(words), frozenset(units), frozenset(numbers)
    )


def _has_words(text: str) -> bool:
    return _LETTER.search(_PLACEHOLDER.sub("", text) if "<" in text else text) is not None
