"""`semantic`, with the real embedder: the answer's closest sentence to an exemplar decides."""

from __future__ import annotations

import pytest

from auditor.errors import ConfigError
from auditor.rubric import load_rubric

# The shipped rubric's acknowledgement criterion, so these cases also guard its threshold;
# its gate on the customer's words is tested on its own below.
SHIPPED = load_rubric("cx-default").criterion("acknowledges").params.model_dump()
EMPATHY = {k: v for k, v in SHIPPED.items() if k != "only_if_customer_says"}

# Measured with the bundled MiniLM: these acknowledgements score 0.43 and up against the
# exemplars, these facts and requests 0.35 and below; threshold 0.4.
CASES = [
    ("I'm really sorry the package never arrived. I will send a new one today.", True),
    ("Your parcel left our warehouse. Apologies for the mix-up with your refund.", True),
    ("I totally get why you're annoyed about the delay.", True),
    ("Returns are accepted within 30 days of delivery.", False),
    ("You can track your parcel using the link below. The store opens at 9am.", False),
    ("Please enter your order number.", False),
    ("", None),  # no sentence: does not apply
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_semantic(run_check, embedder, text, expected):
    result = run_check("semantic", EMPATHY, text=text, embedder=embedder)
    assert result.passed is expected


def test_detail_shows_the_closest_pair(run_check, embedder):
    text = "Your order shipped. Apologies for the mix-up with your refund."
    result = run_check("semantic", EMPATHY, text=text, embedder=embedder)
    assert "'Apologies for the mix-up with your refund.' ~ 'Apologies for the mix-up.'" in (
        result.detail
    )


def test_threshold_decides(run_check, embedder):
    text = "I'm really sorry the package never arrived."
    low = run_check("semantic", {**EMPATHY, "threshold": 0.3}, text=text, embedder=embedder)
    high = run_check("semantic", {**EMPATHY, "threshold": 0.95}, text=text, embedder=embedder)
    assert (low.passed, high.passed) == (True, False)


def test_conversation_level_reads_only_the_brand_side(run_check, embedder):
    upset_customer = [
        ("customer", "I'm so sorry to bother you, I am really frustrated."),
        ("agent", "Your order ships Monday."),
    ]
    result = run_check("semantic", EMPATHY, turns=upset_customer, embedder=embedder)
    assert result.passed is False
    consoled = [*upset_customer, ("agent", "I totally get why you're annoyed about the delay.")]
    assert run_check("semantic", EMPATHY, turns=consoled, embedder=embedder).passed is True


@pytest.mark.parametrize(
    ("customer", "expected"),
    [
        ("My lamp arrived broken.", False),  # a problem, and no acknowledgement: fails
        ("What time do you open?", None),  # nothing to acknowledge: does not apply
    ],
)
def test_only_if_customer_says(run_check, embedder, customer, expected):
    turns = [("customer", customer), ("agent", "We open at 9am.")]
    assert run_check("semantic", SHIPPED, turns=turns, embedder=embedder).passed is expected
    # on an answer, the customer's words are the question it answers
    answer = run_check("semantic", SHIPPED, question=customer, text="We open at 9am.",
                       embedder=embedder)  # fmt: skip
    assert answer.passed is expected


def test_without_an_embedder_it_is_an_error_not_a_pass(run_check):
    with pytest.raises(ConfigError, match="needs an embedder"):
        run_check("semantic", EMPATHY, text="Sorry about that.", embedder=None)
