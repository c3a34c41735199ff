"""`readability`: Flesch-Kincaid grade level at most `max_grade`.

Grade formulas are noise on a few words ("Yes, 30 days." scores anything), so texts under
`min_words` words are not judged at all rather than passed.
"""

from __future__ import annotations

from pydantic import Field

from auditor.rubric.checks.interface import Check, Context, Outcome, Params, Target
from auditor.rubric.text import grade_level, word_count


class ReadabilityParams(Params):
    max_grade: float = Field(8.0, ge=0)
    min_words: int = Field(30, ge=1)


class Readability(Check[ReadabilityParams]):
    params_model = ReadabilityParams
    summary = "Flesch-Kincaid grade at most max_grade (N/A under min_words words)"

    def evaluate(self, target: Target, context: Context) -> Outcome:
        words = word_count(target.text)
        if words < self.params.min_words:
            return Outcome(None, f"{words} words, too short to grade")
        grade = grade_level(target.text)
        if grade > self.params.max_grade:
            return Outcome(False, f"grade {grade:.1f}, above {self.params.max_grade:g}")
        return Outcome(True, f"grade {grade:.1f}")
