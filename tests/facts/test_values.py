"""Fact extraction, one table per kind: the sentence, then (kind, display) of each fact found."""

from __future__ import annotations

import pytest

from auditor.compare.equivalence import agree
from auditor.facts.values import extract_facts

CASES = {
    "duration": [
        ("You can return items within 30 days of delivery.", [("duration", "up to 30 days")]),
        ("Refunds take 5-7 business days.", [("duration", "5-7 business days")]),
        ("Refunds take 5 to 7 working days.", [("duration", "5-7 business days")]),
        ("EU parcels arrive in 2-3 weeks.", [("duration", "14-21 days")]),
        ("Cancel within an hour of ordering.", [("duration", "up to 1 hours")]),
        ("Report damage within 48 hours.", [("duration", "up to 2 days")]),
        ("It comes with a 10-year warranty.", [("duration", "10 years")]),
        ("Backpacks have a lifetime warranty.", [("duration", "lifetime")]),
        ("Gift cards never expire.", [("duration", "lifetime")]),
        ("Cards are valid for 12 months.", [("duration", "1 year")]),
        ("You must be at least 18 years of age.", [("duration", "at least 18 years")]),
        ("Price match requests within two weeks.", [("duration", "up to 14 days")]),
    ],
    "money": [
        ("Express shipping costs $12.95.", [("money", "$12.95")]),
        ("Orders over $1,000 need a signature.", [("money", "at least $1,000")]),
        ("A deposit of 20 GBP per stay is required.", [("money", "£20 per stay")]),
        ("Parking costs 10 GBP a day.", [("money", "£10 per day")]),
        ("Every 100 points gives you $5 off.", [("count", "100 points"), ("money", "$5 off")]),
        ("Wi-Fi is free in all rooms.", [("money", "free")]),
        ("There is no charge for parking.", [("money", "free")]),
        ("Feel free to call us.", []),
        ("Gifts from €15 to €40.", [("money", "€15-€40")]),
    ],
    "percent": [
        ("Members get 10% off.", [("percent", "10%")]),
        ("Save 15 percent on gear.", [("percent", "15%")]),
    ],
    "phone": [
        ("Call 1-800-555-0142.", [("phone", "+18005550142")]),
        ("Call (800) 555-0142.", [("phone", "+18005550142")]),
        ("Call 800.555.0142 today.", [("phone", "+18005550142")]),
    ],
    "email": [
        ("Write to help@northwind.test.", [("email", "help@northwind.test")]),
        ("Write to Help@Northwind.TEST now.", [("email", "help@northwind.test")]),
    ],
    "hours": [
        ("Support is available 24/7.", [("hours", "24/7")]),
        ("We answer around the clock.", [("hours", "24/7")]),
        ("Open 8am to 10pm ET, seven days a week.", [("hours", "08:00-22:00 ET daily")]),
        ("Open Monday to Friday, 9am-5pm.", [("hours", "09:00-17:00 mon-fri")]),
        ("Check-in is from 15:00 to 22:00.", [("hours", "15:00-22:00")]),
        ("Check-in is between 2:00pm and 10:00pm.", [("hours", "14:00-22:00")]),
    ],
    "time": [
        ("Check-out is until 10:30 am.", [("time", "until 10:30")]),
        ("Check-in begins at 13:00.", [("time", "from 13:00")]),
        ("Breakfast is served at noon.", [("time", "at 12:00")]),
    ],
    "count": [
        ("You earn 2 points for every $1.", [("count", "2 points"), ("money", "$1")]),
        ("Up to 5 guests per room.", [("count", "up to 5 guests")]),
        ("Each room sleeps 4 people.", [("count", "4 people")]),
        ("We ship 1 parcel per order.", [("count", "1 parcel")]),
        # a number a capitalised word names is an identifier, and more than one takes a plural
        ("Item 12 costs $15.", [("money", "$15")]),
        ("Room 204 has a sea view.", []),
        ("Orders of type 3 ship within 2 business days.", [("duration", "up to 2 business days")]),
    ],
    "not facts": [
        ("Last updated: 1 September 2026.", []),
        ("Founded in 1998 in Portland.", []),
        ("Use macro RET-01 for this.", []),
    ],
}


@pytest.mark.parametrize(
    "sentence,expected",
    [case for cases in CASES.values() for case in cases],
    ids=[f"{kind}:{case[0][:40]}" for kind, cases in CASES.items() for case in cases],
)
def test_extracts(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.display) for f in extract_facts(sentence)] == expected


EQUIVALENCE = [
    ("a 2-year warranty", "24 months", True),
    ("two weeks", "14 days", True),
    ("$1,000", "$1000", True),
    ("within two days", "within 48 hours", True),
    ("3-5 business days", "within 5 business days", True),
    ("30 days", "within 30 days", True),
    ("4 business days", "3-5 business days", True),
    ("1-2 business days", "2-3 business days", False),
    ("14 days", "14 business days", False),
    ("at least 18 years", "at least 21 years", False),
    ("lifetime", "10 years", False),
    ("$5 off", "$10 off", False),
    ("20 GBP per stay", "20 GBP per night", False),
    ("(800) 555-0142", "1-800-555-0142", True),
    ("1-800-555-0142", "1-800-555-0124", False),
    ("from 15:00 to 22:00", "from 15:00 to 20:00", False),
    ("from 15:00 to 22:00", "from 3pm to 10pm", True),
    ("begins at 13:00", "from 15:00 to 22:00", False),
    ("until 10:00 am", "until 11 am", False),
    ("check-in from 16:00", "check-out until 12:00", False),
    ("24/7", "8am to 10pm", False),
    ("10%", "10 percent", True),
]


@pytest.mark.parametrize("left,right,same", EQUIVALENCE)
def test_equivalence(left: str, right: str, same: bool) -> None:
    a, b = extract_facts(left)[0], extract_facts(right)[0]
    assert agree(a, b) is same
    assert agree(b, a) is same


@pytest.mark.parametrize(
    "sentence",
    [
        "The hotel charges extra for Wi-Fi.",
        "Internet is available for an additional fee.",
        "Parking is not free.",
    ],  # fmt: skip
)
def test_a_charge_of_unstated_amount_disputes_free_but_not_a_price(sentence: str) -> None:
    [charge] = extract_facts(sentence)
    assert charge.display == "a charge"
    assert not agree(charge, extract_facts("Wi-Fi is free.")[0])
    assert agree(charge, extract_facts("Wi-Fi costs $5 a day.")[0])


@pytest.mark.parametrize(
    "sentence,display",
    [
        ("A security deposit of GBP 20 per stay is required.", "£20 per stay"),
        ("There is a 20 GBP security deposit per night.", "£20 per night"),
    ],  # fmt: skip
)
def test_currency_code_before_and_unit_after_what_it_pays_for(sentence: str, display: str):
    assert [f.display for f in extract_facts(sentence)] == [display]
