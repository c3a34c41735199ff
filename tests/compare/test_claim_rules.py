"""Claims read from single sentences: which yes/no and value claims a sentence makes, and the
words that say what they are about. Invented sentences, no model needed unless marked."""

from __future__ import annotations

from auditor.compare import compare_answers
from auditor.compare.claims import Claim, claims_for, keywords_near
from auditor.compare.disagree import _same_words
from auditor.facts import statements_for
from auditor.facts.entities import Subjects
from auditor.model import Answer, make_answer_id


def _answer(text: str, question: str | None = None, chat: bool = False, n: int = 0) -> Answer:
    channel = "chat" if chat else "web"
    source = f"chat-{n}.jsonl" if chat else f"web/{n}.md"
    locator = f"c-{n} turn 2" if chat else "section: Policy"
    return Answer(
        id=make_answer_id(channel, source, locator),
        channel=channel,
        source=source,
        locator=locator,
        text=text,
        question=question,
        kind="agent" if chat else "section",
        conversation=f"c-{n}" if chat else None,
    )


def _claims(text: str, **kwargs) -> list[Claim]:
    answer = _answer(text, **kwargs)
    return claims_for(answer, statements_for(answer))


def _polar(text: str, **kwargs) -> list[Claim]:
    return [c for c in _claims(text, **kwargs) if c.kind == "polarity"]


def _keywords(text: str) -> frozenset[str]:
    [statement] = statements_for(_answer(text))
    return keywords_near(statement, None)


def test_a_verb_and_its_particle_are_one_word_however_written() -> None:
    assert "checkin" in _keywords("Guests may check in at the front desk.")
    assert "checkin" in _keywords("The check-in desk is by the door.")
    assert "checkout" in _keywords("Please check out by the deadline.")
    assert "check" not in _keywords("Please check out by the deadline.")
    # a particle that opens a phrase of its own stays apart
    assert "stayin" not in _keywords("You can stay in the old town.")


def test_a_hyphenated_word_of_short_parts_is_one_word() -> None:
    assert "wifi" in _keywords("The wi-fi works in every cabin.")


def test_a_no_to_a_wh_question_is_not_a_no_to_the_question() -> None:
    claims = _polar(
        "No, the locker at the gym is free!", question="What is the charge for a locker?", chat=True
    )
    assert claims and not any(c.negated for c in claims)
    # a yes/no question is still answered by the "No"
    asked = _polar(
        "No, it comes with the room.", question="Is there a charge for a locker?", chat=True
    )
    assert any(c.negated for c in asked)


def test_sorry_before_an_answer_is_not_a_pleasantry() -> None:
    claims = _polar("Sorry, no, bicycles are not allowed on the ferry.", chat=True)
    assert [c.negated for c in claims] == [True]


def test_free_after_a_noun_says_without_not_yes() -> None:
    assert _polar("The cottage is a dog free property.") == []


def test_free_said_of_the_thing_before_it() -> None:
    contexts = {c.context for c in _polar("Towels are free at the spa.")}
    assert "There is Towels." in contexts
    assert "There is spa." not in contexts
    assert "There is lockers." in {c.context for c in _polar("The lockers at the gym are free.")}


def test_a_bare_no_in_an_aside_denies_its_thing() -> None:
    claims = _polar("The cabin has a kettle (but no microwave).")
    denied = [c for c in claims if c.negated]
    assert [(c.context, c.keywords) for c in denied] == [
        ("There is microwave.", frozenset({"microwav"}))
    ]


def test_an_adjective_made_from_a_noun_restates_the_noun() -> None:
    [yes] = _polar("The cleaner includes acid.")
    [no] = _polar("The cleaner does not include acidic ingredients.")
    assert _same_words(yes, no)
    # a noun narrowed by another noun is a narrower thing
    [garage] = _polar("The inn does not have a parking garage.")
    [parking] = _polar("The inn has parking.")
    assert not _same_words(parking, garage)


def _venue_claims(text: str, subject: str, names: list[str], chat: bool = True) -> list[Claim]:
    subjects = Subjects(names={n.lower(): n for n in names})
    answer = _answer(text, chat=chat)
    return claims_for(answer, statements_for(answer), subject, subjects)


def test_the_subject_referred_to_by_a_word_of_its_name_adds_no_keyword() -> None:
    [claim] = [
        c
        for c in _venue_claims(
            "No, the bakery does not have seating.", "Bakery Rosa", ["Bakery Rosa"]
        )
        if c.kind == "polarity"
    ]
    assert claim.keywords == frozenset({"seat"})


def test_a_shorter_name_running_on_in_capitals_is_the_longer_name_misspelt() -> None:
    names = ["Corner Deli", "Corner Deli Market Square"]
    claims = _venue_claims(
        "Corner Deli Market Sqare offers home delivery.", "Corner Deli Market Square", names, False
    )
    assert {c.scope.product for c in claims} == {"Corner Deli Market Square"}
    claims = _venue_claims("Corner Deli offers home delivery.", "Corner Deli Market Square", names)
    assert {c.scope.product for c in claims} == {"Corner Deli"}


def test_a_denial_does_not_join_two_different_values_into_one_side(real_embedder) -> None:
    # "not open 24/7" agrees with 10:00 and with 11:00, which disagree with each other
    answers = [
        _answer("Collection at the depot is not open 24/7.", n=0),
        _answer("Collection at the depot starts at 10:00.", n=1),
        _answer("Collection at the depot starts at 11:00.", chat=True, n=2),
    ]
    statements = {a.id: statements_for(a) for a in answers}
    findings = compare_answers(answers, statements, real_embedder, ["web", "chat"])
    assert [sorted(v.value for v in f.values) for f in findings] == [["from 10:00", "from 11:00"]]


def test_not_included_in_the_price_is_not_unavailable() -> None:
    [offered] = _polar("The spa offers towels.")
    [not_included] = _polar("Towels are not included.")
    assert not _same_words(offered, not_included)
    [none] = _polar("There are no towels.")
    [included] = _polar("Towels are included.")
    assert _same_words(none, included)
