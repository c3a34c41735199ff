"""Named subjects found in text, however their words are spaced."""

from __future__ import annotations

from auditor.facts.entities import Subjects


def test_a_name_is_found_with_its_words_run_together_or_hyphenated() -> None:
    subjects = Subjects(names={"harbour view inn": "Harbour View Inn", "mill": "Mill"})
    assert subjects.named_in("We liked the Harbourview Inn.") == ["Harbour View Inn"]
    assert subjects.named_in("the harbour-view inn is near") == ["Harbour View Inn"]
    assert subjects.named_in("the harbour view inn and the Mill") == ["Harbour View Inn", "Mill"]
