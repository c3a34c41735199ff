"""`keeps_promises`: no promise_breach finding has evidence on this answer."""

from __future__ import annotations

from auditor.rubric.checks.consistent import describe, on_wrong_side
from auditor.rubric.checks.interface import Check, Context, Outcome, Params, Target


class KeepsPromisesParams(Params):
    promises: tuple[str, ...] = ()  # promise ids to hold the answer to; empty: every promise
    include_likely_right: bool = False


class KeepsPromises(Check[KeepsPromisesParams]):
    params_model = KeepsPromisesParams
    summary = "no promise_breach finding has evidence on the answer"
    reads_findings = True

    def evaluate(self, target: Target, context: Context) -> Outcome:
        wanted = set(self.params.promises)
        breaches = [
            f
            for f in context.findings_on(target)
            if f.kind == "promise_breach"
            and (not wanted or f.promise in wanted)
            and on_wrong_side(f, context.evidence_on(f, target), self.params.include_likely_right)
        ]
        if breaches:
            return Outcome(False, describe(breaches))
        return Outcome(True)
