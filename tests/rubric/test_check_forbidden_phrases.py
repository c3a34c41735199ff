"""`forbidden_phrases`: whole words, any case, curly apostrophes, runs of whitespace."""

from __future__ import annotations

import pytest

PHRASES = ["calm down", "policy is policy", "don't know", "unfortunately"]

CASES = [
    ("Please calm down, I am looking into it.", False),
    ("Please CALM   DOWN.", False),
    ("I don’t know when it ships.", False),  # curly apostrophe in the answer
    ("Policy is policy, sorry.", False),
    ("Our calm downtown store is open.", True),  # 'down' inside 'downtown' is not the word
    ("Fortunately it shipped today.", True),
    ("Unfortunately it has not shipped.", False),
    ("It shipped today.", True),
    ("", True),
]


@pytest.mark.parametrize(("text", "passes"), CASES)
def test_forbidden_phrases(run_check, text, passes):
    result = run_check("forbidden_phrases", {"phrases": PHRASES}, text=text)
    assert result.passed is passes
    if not passes:
        assert result.detail.startswith("says '")


def test_detail_names_every_phrase_found(run_check):
    result = run_check("forbidden_phrases", {"phrases": PHRASES}, text="Unfortunately, calm down.")
    assert result.detail == "says 'calm down', 'unfortunately'"
