"""`consistent`: no finding of the counted kinds has evidence on this answer.

The side a finding calls likely right is spared by default: when the chat says 14 days against
the returns page's 30, it is the chat answer that gave wrong information, not the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from auditor.model import Evidence, Finding, FindingKind, Severity
from auditor.rubric.checks.interface import Check, Context, Outcome, Params, Target


class ConsistentParams(Params):
    kinds: tuple[FindingKind, ...] = Field(("contradiction", "promise_breach"), min_length=1)
    severities: tuple[Severity, ...] = Field(("critical", "major", "minor", "info"), min_length=1)
    include_likely_right: bool = False  # true: every side of a finding fails, right or wrong


def on_wrong_side(finding: Finding, mine: Sequence[Evidence], include_likely_right: bool) -> bool:
    """Whether `mine`, the target's evidence in `finding` (`Context.evidence_on`), counts
    against it.

    The right side is the finding's first value (the comparator lists the likely-right value
    first); evidence stating another value counts against its answer.
    """
    if not mine:
        return False
    if include_likely_right or finding.likely_right is None:
        return True
    if not finding.values:
        return True
    right = finding.values[0].value
    return any(e.value != right for e in mine)


def describe(findings: Sequence[Finding]) -> str:
    shown = "; ".join(f"{f.kind} {f.id}: {f.summary}" for f in findings[:3])
    more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
    return shown + more


class Consistent(Check[ConsistentParams]):
    params_model = ConsistentParams
    summary = "no contradiction or promise breach has evidence on the answer"
    reads_findings = True

    def evaluate(self, target: Target, context: Context) -> Outcome:
        against = [
            f
            for f in context.findings_on(target)
            if f.kind in self.params.kinds
            and f.severity in self.params.severities
            and on_wrong_side(f, context.evidence_on(f, target), self.params.include_likely_right)
        ]
        if against:
            return Outcome(False, describe(against))
        return Outcome(True)
