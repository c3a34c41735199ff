"""`length`: the answer's word count lies within [min_words, max_words]."""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from auditor.rubric.checks.interface import Check, Context, Outcome, Params, Target
from auditor.rubric.text import word_count


class LengthParams(Params):
    min_words: int | None = Field(None, ge=0)
    max_words: int | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> LengthParams:
        if self.min_words is None and self.max_words is None:
            raise PydanticCustomError("no_bounds", "give min_words, max_words or both")
        if (
            self.min_words is not None
            and self.max_words is not None
            and self.min_words > self.max_words
        ):
            raise PydanticCustomError("bad_bounds", "min_words is greater than max_words")
        return self


class Length(Check[LengthParams]):
    params_model = LengthParams
    summary = "word count between min_words and max_words"

    def evaluate(self, target: Target, context: Context) -> Outcome:
        words = word_count(target.text)
        low, high = self.params.min_words, self.params.max_words
        if low is not None and words < low:
            return Outcome(False, f"{words} words, fewer than {low}")
        if high is not None and words > high:
            return Outcome(False, f"{words} words, more than {high}")
        return Outcome(True, f"{words} words")
