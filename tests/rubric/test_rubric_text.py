"""The shared text measures: sentence splitting, word counts, phrase patterns."""

from __future__ import annotations

import pytest
import textstat

from auditor.rubric.text import phrase_regex, sentences, word_count

SPLITS = [
    ("One. Two! Three? Four", ("One.", "Two!", "Three?", "Four")),
    ('He said "ok." Next.', ('He said "ok."', "Next.")),
    ("(Yes.) And 30 days.", ("(Yes.)", "And 30 days.")),
    ("A line\nanother line", ("A line", "another line")),
    ("Costs $4.99 per order. Free over $80.", ("Costs $4.99 per order.", "Free over $80.")),
    ("lower. case stays", ("lower. case stays",)),
    ("   ", ()),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_sentences(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Don't worry - it's fine.",
        "See https://x.example/a_b now!",
        "(30) days ... — ok",
        "Mr. O'Neil paid $5.99 on 3/4.",
        "naïve café, e-mail",
        "",
    ],
)
def test_word_count_agrees_with_textstat(text):
    assert word_count(text) == textstat.lexicon_count(text)


def test_phrase_regex_whole_words_any_case_any_spacing():
    pattern = phrase_regex(["calm down", "as I said..."])
    assert pattern is not None
    assert pattern.search("Please CALM\n down")
    assert not pattern.search("calm downtown")
    assert pattern.search("well, as I said... again")
    assert phrase_regex([" ", ""]) is None
