"""`no_blame`: default phrases and the "you should have <reproach>" pattern; optional exemplars."""

from __future__ import annotations

import pytest

CASES = [
    ("You should have read the returns policy before ordering.", False),
    ("You should've checked the size chart.", False),
    ("You really should have contacted us sooner.", False),
    ("That is your fault, not ours.", False),
    ("You failed to attach the receipt.", False),
    ("As I already said, returns take 30 days.", False),
    ("As I’ve already explained, we cannot do that.", False),  # curly apostrophe
    ("You should have received a confirmation email.", True),  # not blame
    ("You should have the parcel by Friday.", True),
    ("We failed to ship your order on time, sorry.", True),  # the brand taking the blame
    ("Returns are free within 30 days.", True),
    ("", True),
]


@pytest.mark.parametrize(("text", "passes"), CASES)
def test_no_blame_defaults(run_check, text, passes):
    assert run_check("no_blame", {}, text=text).passed is passes


def test_phrases_can_be_replaced(run_check):
    params = {"phrases": ["user error"], "patterns": []}
    assert run_check("no_blame", params, text="That was user error.").passed is False
    assert run_check("no_blame", params, text="That is your fault.").passed is True


def test_exemplars_catch_wordings_the_lists_miss(run_check, embedder):
    # measured: 0.86 against the exemplar; a neutral sentence stays under 0.35
    params = {"exemplars": ["You did not follow the instructions."], "threshold": 0.7}
    blame = "You didn't follow the instructions we sent."
    assert run_check("no_blame", params, text=blame, embedder=embedder).passed is False
    fine = "Returns are accepted within 30 days of delivery."
    assert run_check("no_blame", params, text=fine, embedder=embedder).passed is True
