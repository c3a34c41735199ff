"""Facts: answers -> statements (sentences with typed values, polarity and scope)."""

from __future__ import annotations

from auditor.facts.scope import is_negated, scope_of
from auditor.facts.sentences import split_sentences
from auditor.facts.values import extract_facts
from auditor.model import Answer, Statement

__all__ = ["statements_for", "extract_facts", "split_sentences"]


def statements_for(answer: Answer) -> list[Statement]:
    """Every sentence of an answer, with the facts it states and the scope it states them in."""
    heading = answer.question if answer.kind in ("section", "faq") else None
    statements: list[Statement] = []
    for index, (start, end) in enumerate(split_sentences(answer.text)):
        text = answer.text[start:end]
        statements.append(
            Statement(
                answer_id=answer.id,
                index=index,
                text=text,
                start=start,
                end=end,
                facts=tuple(extract_facts(text)),
                negated=is_negated(text),
                scope=scope_of(text, context_segment=answer.segment, heading=heading),
            )
        )
    return statements
