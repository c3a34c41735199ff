"""`required_phrases`: the answer contains one (mode any) or each (mode all) of the listed
phrases (whole words, any case) and regular expressions (any case).

With `only_if_customer_says`, it applies only when the customer said one of those phrases."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from auditor.rubric.checks.interface import (
    Check,
    Context,
    CustomerGate,
    Outcome,
    Params,
    Pattern,
    Phrase,
    Target,
)
from auditor.rubric.text import compile_pattern, normalize, phrase_regex


class RequiredPhrasesParams(Params):
    phrases: tuple[Phrase, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    mode: Literal["any", "all"] = "any"
    only_if_customer_says: tuple[Phrase, ...] = ()

    @model_validator(mode="after")
    def _something_required(self) -> RequiredPhrasesParams:
        if not self.phrases and not self.patterns:
            raise PydanticCustomError("nothing_required", "give at least one of phrases, patterns")
        return self


class RequiredPhrases(Check[RequiredPhrasesParams]):
    params_model = RequiredPhrasesParams
    summary = "contains any (or all) of the listed phrases or patterns"

    def __init__(self, params: RequiredPhrasesParams):
        super().__init__(params)
        # (label for the detail line, compiled pattern), one per phrase or pattern
        self._each: list[tuple[str, re.Pattern[str]]] = []
        for phrase in params.phrases:
            compiled = phrase_regex([phrase])
            assert compiled is not None  # phrases are non-blank
            self._each.append((phrase, compiled))
        self._each += [(pattern, compile_pattern(pattern)) for pattern in params.patterns]
        self._gate = CustomerGate(params.only_if_customer_says)

    def evaluate(self, target: Target, context: Context) -> Outcome:
        closed = self._gate.closed(target)
        if closed:
            return closed
        text = normalize(target.text)
        missing = [label for label, pattern in self._each if not pattern.search(text)]
        if self.params.mode == "all":
            if missing:
                return Outcome(False, "missing " + ", ".join(f"'{m}'" for m in missing))
            return Outcome(True)
        if len(missing) == len(self._each):
            return Outcome(False, "none of the required phrases or patterns")
        return Outcome(True)
