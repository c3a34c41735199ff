"""Text measures the checks share: sentences, words, phrase matching, grade level.

The rubric gets answers, not the facts stage's statements, so it splits sentences itself; a
regex split is used because it must keep up with 100,000 answers (pysbd is ~50x slower).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from types import ModuleType
from typing import Any

# Curly quotes are normalized so that "don't" in a rubric matches "don’t" in an answer.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])|\s*\n\s*")
_TOKEN = re.compile(r"\S*[^\W_]\S*")  # a token with a letter or digit in it
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")


def normalize(text: str) -> str:
    """Text as phrase matching sees it: straight quotes."""
    return text.translate(_QUOTES)


@lru_cache(maxsize=65536)
def sentences(text: str) -> tuple[str, ...]:
    """The sentences of `text`, stripped, in order; line breaks always end a sentence."""
    parts = (part.strip() for part in _SENTENCE_END.split(text))
    return tuple(part for part in parts if part)


@lru_cache(maxsize=1)
def _textstat() -> ModuleType:
    # imported on first use: textstat imports NLTK, seconds that `auditor --help` must not pay
    import textstat  # type: ignore[import-untyped]

    return textstat


def word_count(text: str) -> int:
    """Words as textstat's lexicon_count counts them: whitespace-separated tokens with a letter or
    digit in them ("don't", "30", "e-mail" are one word each; a lone dash is none).

    Counted here with one regex: textstat's punctuation stripping costs more than all the other
    checks together on 100,000 answers.
    """
    return len(_TOKEN.findall(text))


def phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any phrase as whole words; None for no phrases.

    Whitespace inside a phrase matches any run of whitespace; lookarounds rather than \\b keep
    phrases that start or end with punctuation ("as I said...") matchable.
    """
    alternatives = [
        r"\s+".join(re.escape(word) for word in normalize(phrase).split())
        for phrase in sorted(set(phrases), key=len, reverse=True)
        if phrase.strip()
    ]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A user's regular expression, matched case-insensitively like phrases are."""
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=1)
def _hyphenator() -> Any:
    import pyphen  # type: ignore[import-untyped]

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=200_000)
def _syllables(word: str) -> int:
    return len(_hyphenator().positions(word)) + 1


def grade_level(text: str) -> float:
    """Flesch-Kincaid grade level, with textstat's word and sentence counts.

    textstat's own English syllable count loads NLTK's cmudict, which it downloads at run time;
    an audit must run offline, so syllables come from the same Pyphen hyphenation that textstat
    falls back to for words cmudict lacks.
    """
    words = word_count(text)
    count = _textstat().sentence_count(text)
    if not words or not count:
        return 0.0
    syllables = sum(_syllables(word) for word in _WORD.findall(text.lower()))
    return 0.39 * (words / count) + 11.8 * (syllables / words) - 15.59
