"""`length`: word counts against min_words and max_words."""

from __future__ import annotations

import pytest

CASES = [
    ({"min_words": 3}, "One two three.", True),
    ({"min_words": 3}, "One two.", False),
    ({"max_words": 3}, "One two three.", True),
    ({"max_words": 3}, "One two three four.", False),
    ({"min_words": 2, "max_words": 4}, "You have 30 days.", True),  # numbers are words
    ({"min_words": 2, "max_words": 4}, "Yes.", False),
    ({"min_words": 1}, "", False),
    ({"max_words": 2}, "Don't worry.", True),  # a contraction is one word
]


@pytest.mark.parametrize(("params", "text", "passes"), CASES)
def test_length(run_check, params, text, passes):
    assert run_check("length", params, text=text).passed is passes


def test_detail_gives_the_count(run_check):
    result = run_check("length", {"max_words": 3}, text="One two three four.")
    assert result.detail == "4 words, more than 3"
