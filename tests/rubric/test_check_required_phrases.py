"""`required_phrases`: phrases (whole words) and regular expressions, mode any or all."""

from __future__ import annotations

import pytest

CASES = [
    # (params, text, passes)
    ({"phrases": ["order number"]}, "Please send your ORDER NUMBER.", True),
    ({"phrases": ["order number"]}, "Please send your order.", False),
    ({"phrases": ["order"]}, "Please reorder it.", False),  # whole words only
    ({"phrases": ["you'll"]}, "You’ll get an email.", True),
    ({"patterns": [r"\bclick\b|\bvisit\b"]}, "Visit the returns page.", True),
    ({"patterns": [r"\d+ days"]}, "You have 30 days.", True),
    ({"patterns": [r"\d+ days"]}, "You have a month.", False),
    ({"phrases": ["refund"], "patterns": [r"\d+ days"], "mode": "any"}, "A refund.", True),
    ({"phrases": ["refund"], "patterns": [r"\d+ days"], "mode": "all"}, "A refund.", False),
    (
        {"phrases": ["refund"], "patterns": [r"\d+ days"], "mode": "all"},
        "A refund within 5 days.",
        True,
    ),
]


@pytest.mark.parametrize(("params", "text", "passes"), CASES)
def test_required_phrases(run_check, params, text, passes):
    assert run_check("required_phrases", params, text=text).passed is passes


def test_mode_all_names_what_is_missing(run_check):
    params = {"phrases": ["refund", "label"], "patterns": [r"\d+ days"], "mode": "all"}
    result = run_check("required_phrases", params, text="Print the label.")
    assert result.detail == r"missing 'refund', '\d+ days'"


def test_only_if_customer_says(run_check):
    params = {"patterns": [r"\bI'll\b"], "only_if_customer_says": ["broken"]}
    reply = "Thanks for asking."
    assert (
        run_check("required_phrases", params, question="It's broken.", text=reply).passed is False
    )
    assert run_check("required_phrases", params, question="Hours?", text=reply).passed is None
    turns = [("customer", "The lamp is broken."), ("agent", "I'll send a new one.")]
    assert run_check("required_phrases", params, turns=turns).passed is True
