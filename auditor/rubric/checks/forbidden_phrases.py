"""`forbidden_phrases`: none of the phrases appears, as whole words, in any case."""

from __future__ import annotations

from pydantic import Field

from auditor.rubric.checks.interface import Check, Context, Outcome, Params, Phrase, Target
from auditor.rubric.text import normalize, phrase_regex


class ForbiddenPhrasesParams(Params):
    phrases: tuple[Phrase, ...] = Field(min_length=1)


class ForbiddenPhrases(Check[ForbiddenPhrasesParams]):
    params_model = ForbiddenPhrasesParams
    summary = "none of the listed phrases appears (whole words, any case)"

    def __init__(self, params: ForbiddenPhrasesParams):
        super().__init__(params)
        pattern = phrase_regex(params.phrases)
        assert pattern is not None  # params hold at least one non-blank phrase
        self._pattern = pattern

    def evaluate(self, target: Target, context: Context) -> Outcome:
        found = sorted({m.group(0).lower() for m in self._pattern.finditer(normalize(target.text))})
        if found:
            return Outcome(False, "says " + ", ".join(f"'{phrase}'" for phrase in found))
        return Outcome(True)
