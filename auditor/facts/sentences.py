"""Sentence splitting with spans. Blocks (lines) never share a sentence; inside a block pysbd
finds the boundaries, which keeps "$12.95", "800.555.0142" and "help@northwind.test" whole."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

_segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
_BLOCK = re.compile(r"[^\n]+")


@lru_cache(maxsize=65536)
def _split_block(block: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for span in _segmenter.segment(block):
        start, end = span.start, span.end
        while end > start and block[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return tuple(spans) or ((0, len(block)),)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, in order."""
    spans: list[tuple[int, int]] = []
    for block in _BLOCK.finditer(text):
        raw = block.group()
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if not stripped:
            continue
        base = block.start() + lead
        for start, end in _split_block(stripped):
            spans.append((base + start, base + end))
    return _merge_fragments(text, spans)


def _merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    # pysbd splits "Mon.-Fri." and "a.m." abbreviations; a fragment that starts with a
    # lower-case letter, a digit-less punctuation run or a dash belongs to the sentence before.
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        if (
            merged
            and text[merged[-1][0] : start].count("\n") == 0
            and (piece[:1] in "-–)," or (piece[:1].islower() and not piece.startswith("http")))
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
