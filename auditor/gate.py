"""The CI gate: does this audit fail the build?

It fails (exit 1) when a NEW finding has a severity listed in `gate.fail_on`, or when the run
score is below `gate.min_score`. A finding is new when the baseline does not hold its id, or holds
it under an entry that has expired. Everything else passes (exit 0). The outcome says why, and
lists what the baseline suppressed, which entries expired and which no longer match anything.

`paths_changed_since` lists what a pull request changed, for `auditor gate --changed-since`.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from auditor.baseline import Baseline, BaselineEntry
from auditor.config import GateSpec
from auditor.errors import ConfigError
from auditor.model import SEVERITIES, AuditResult, Finding

EXIT_PASSED, EXIT_FAILED = 0, 1


@dataclass(frozen=True)
class GateOutcome:
    new: tuple[Finding, ...]  # not in the baseline, or under an expired entry
    failing: tuple[Finding, ...]  # the new ones whose severity is in fail_on
    suppressed: tuple[tuple[Finding, BaselineEntry], ...]
    expired: tuple[tuple[Finding, BaselineEntry], ...]  # entries that no longer suppress
    resolved: tuple[BaselineEntry, ...]  # entries whose finding did not occur in this run
    score: float | None
    min_score: float | None
    reasons: tuple[str, ...]  # why the gate failed; empty when it passed

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def exit_code(self) -> int:
        return EXIT_PASSED if self.passed else EXIT_FAILED

    @property
    def new_ids(self) -> set[str]:
        return {f.id for f in self.new}


def evaluate(
    result: AuditResult, gate: GateSpec, baseline: Baseline | None, today: date
) -> GateOutcome:
    """Decide the gate for one audit result against the accepted findings."""
    baseline = baseline or Baseline()
    new: list[Finding] = []
    suppressed: list[tuple[Finding, BaselineEntry]] = []
    expired: list[tuple[Finding, BaselineEntry]] = []
    for finding in result.findings:
        entry = baseline.get(finding.id)
        if entry is None:
            new.append(finding)
        elif entry.expired(today):
            expired.append((finding, entry))
            new.append(finding)
        else:
            suppressed.append((finding, entry))
    found = {f.id for f in result.findings}
    resolved = tuple(e for fid, e in sorted(baseline.entries.items()) if fid not in found)
    fail_on = set(gate.fail_on)
    failing = tuple(f for f in new if f.severity in fail_on)
    reasons = []
    if failing:
        counts = ", ".join(
            f"{n} {s}" for s in SEVERITIES if (n := sum(f.severity == s for f in failing))
        )
        reasons.append(
            f"{len(failing)} new finding{'s' if len(failing) != 1 else ''} ({counts}); "
            f"the gate fails on {', '.join(s for s in SEVERITIES if s in fail_on)}"
        )
    score = result.scores.run
    if gate.min_score is not None and score is not None and score < gate.min_score:
        reasons.append(f"run score {score:.1f} is below min_score {gate.min_score:g}")
    return GateOutcome(
        new=tuple(new),
        failing=failing,
        suppressed=tuple(suppressed),
        expired=tuple(expired),
        resolved=resolved,
        score=score,
        min_score=gate.min_score,
        reasons=tuple(reasons),
    )


def describe(outcome: GateOutcome) -> list[str]:
    """The outcome as plain lines for a CI log: verdict first, then the details."""
    lines = ["Gate: PASSED" if outcome.passed else "Gate: FAILED"]
    lines += [f"  {reason}" for reason in outcome.reasons]
    for finding in outcome.failing:
        lines.append(f"  new {finding.severity}: {finding.summary} [{finding.id}]")
    quiet_new = [f for f in outcome.new if f not in outcome.failing]
    if quiet_new:
        lines.append(f"{len(quiet_new)} new finding(s) below the fail_on severities:")
        lines += [f"  {f.severity}: {f.summary} [{f.id}]" for f in quiet_new]
    for finding, entry in outcome.expired:
        lines.append(
            f"Baseline entry for {finding.id} expired on {entry.expires}: "
            f"it counts as new again (was accepted because: {entry.reason})"
        )
    if outcome.suppressed:
        lines.append(f"{len(outcome.suppressed)} finding(s) accepted in the baseline:")
        lines += [
            f"  {f.id} {f.topic}: {e.reason}" + (f" (expires {e.expires})" if e.expires else "")
            for f, e in outcome.suppressed
        ]
    if outcome.resolved:
        lines.append(
            f"{len(outcome.resolved)} baseline entr{'ies' if len(outcome.resolved) != 1 else 'y'}"
            " matched nothing this run (resolved?): " + ", ".join(e.id for e in outcome.resolved)
        )
    if outcome.score is not None and outcome.min_score is not None:
        lines.append(f"Run score {outcome.score:.1f} (min_score {outcome.min_score:g})")
    return lines


def paths_changed_since(ref: str, where: Path) -> list[Path]:
    """Files that differ between `ref` and the working tree of the git repository holding
    `where`, as absolute paths; deleted files included. Raises ConfigError when git fails."""
    if ref.startswith("-"):  # git would read it as an option
        raise ConfigError("--changed-since", f"'{ref}' is not a git revision")
    top = _git(["rev-parse", "--show-toplevel"], where).strip()
    # --no-renames: a renamed file is listed under its old name (gone) and its new one;
    # -z: names as they are, not C-quoted
    listed = _git(["diff", "--name-only", "--no-renames", "-z", ref, "--"], where)
    return [Path(top) / name for name in listed.split("\0") if name]


def _git(args: list[str], where: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=where,
            capture_output=True,
            encoding="utf-8",
            errors="surrogateescape",  # a file name that is not UTF-8 still names its file
        )
    except OSError as error:
        raise ConfigError("--changed-since", f"cannot run git: {error.strerror}") from None
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[0]
        raise ConfigError("--changed-since", f"git {args[0]} failed in {where}: {reason}")
    return done.stdout
