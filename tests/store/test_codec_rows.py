"""A run's rows: what RowWriter writes once for repeated texts and shared results reads back as
each answer's own."""

from __future__ import annotations

from auditor.model import Answer, AnswerScore, CriterionResult
from auditor.store import _codec as codec


def _answer(n: int, text: str) -> Answer:
    return Answer(
        id=f"a{n}", channel="chat", source="day-1.jsonl", locator=f"c-{n} turn 2", text=text
    )


def test_repeated_texts_and_shared_results_read_back_as_each_answers_own():
    rows = codec.RowWriter()
    shared = (CriterionResult("accurate", True, "ok"), CriterionResult("polite", None, "n/a"))
    other = (CriterionResult("accurate", False, "says 14 days"),)
    scores = [
        AnswerScore("a0", 100.0, False, shared),
        AnswerScore("a1", 0.0, True, other),
        AnswerScore("a2", 100.0, False, shared),
        AnswerScore("a3", 50.0, False, tuple(shared)),  # equal, not the same object
    ]
    written = [rows.answer_score_row("run", i, s) for i, s in enumerate(scores)]
    assert [codec.answer_score_from_row(row[2:]) for row in written] == scores
    answers = [_answer(0, "Thirty days."), _answer(1, "Fourteen days."), _answer(2, "Thirty days.")]
    answer_rows = [rows.answer_row("run", i, a) for i, a in enumerate(answers)]
    hashes = [row[12] for row in answer_rows]
    assert hashes == [codec.text_hash(a.text) for a in answers]
    assert hashes[0] == hashes[2] != hashes[1]
    assert [row[14] for row in answer_rows] == ["[]"] * 3
