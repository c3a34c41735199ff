"""`readability`: Flesch-Kincaid grade against max_grade; N/A under min_words."""

from __future__ import annotations

import pytest

from auditor.rubric.text import grade_level

PLAIN = (
    "You can send it back for free. Pack the coat in its box. Print the label we email you. "
    "Drop the box at any post office. We pay you back in five days. It is that easy."
)
DENSE = (
    "Notwithstanding the aforementioned provisions, reimbursement eligibility necessitates "
    "comprehensive documentation substantiating the merchandise's unaltered condition, "
    "accompanied by authenticated proof of purchase, submitted contemporaneously with the "
    "authorization request through the designated correspondence mechanism."
)


def test_the_texts_grade_as_expected():
    # guards the table below: if these move, the cases test nothing
    assert grade_level(PLAIN) < 4
    assert 20 < grade_level(DENSE) < 40


CASES = [
    ({"max_grade": 8, "min_words": 20}, PLAIN, True),
    ({"max_grade": 8, "min_words": 20}, DENSE, False),
    ({"max_grade": 40, "min_words": 20}, DENSE, True),
    ({"max_grade": 8, "min_words": 100}, DENSE, None),  # too short to grade: does not apply
    ({"max_grade": 8}, "Yes, 30 days.", None),
]


@pytest.mark.parametrize(("params", "text", "expected"), CASES)
def test_readability(run_check, params, text, expected):
    assert run_check("readability", params, text=text).passed is expected
