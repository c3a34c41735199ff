"""`has_link`: URLs, www addresses, Markdown and HTML links count; a bare word does not."""

from __future__ import annotations

import pytest

CASES = [
    ("See https://northwind.example/returns for details.", True),
    ("See http://northwind.example.", True),
    ("Go to www.northwind.example/help.", True),
    ("Read [our returns policy](/policies/returns).", True),
    ('Read <a class="x" href="/returns">the policy</a>.', True),
    ("Read our returns policy on the website.", False),
    ("Email us at help@northwind.example.", False),
    ("[not a link] (just brackets)", False),
    ("", False),
]


@pytest.mark.parametrize(("text", "passes"), CASES)
def test_has_link(run_check, text, passes):
    assert run_check("has_link", {}, text=text).passed is passes
