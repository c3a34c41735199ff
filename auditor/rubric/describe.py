"""A rubric as a table, for `auditor rubric check FILE`."""

from __future__ import annotations

from rich import box
from rich.console import JustifyMethod
from rich.table import Table

from auditor.rubric.schema import Criterion, Rubric


def describe_rubric(rubric: Rubric) -> Table:
    """One row per criterion: id, check, weight, critical, applies_to, level; criteria are
    grouped under their sections when the rubric has sections."""
    critical = "zero the score" if rubric.critical_mode == "zero" else "are flagged"
    title = f"{rubric.name}: passes at {rubric.pass_threshold:g}; critical failures {critical}"
    table = Table(
        title=title,
        caption=rubric.description or None,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    # ids, checks and levels are looked up, so they are never cut or folded; applies_to, the
    # free-form column, gives way on a narrow terminal
    for column, values in (
        ("id", [c.id for c in rubric.criteria]),
        ("check", [c.check for c in rubric.criteria]),
        ("weight", []),
        ("critical", []),
        ("applies_to", None),
        ("level", [c.level for c in rubric.criteria]),
    ):
        if values is None:
            table.add_column(column, overflow="fold")
            continue
        width = max(len(v) for v in [column, *values])
        justify: JustifyMethod = "right" if column == "weight" else "left"
        table.add_column(column, justify=justify, min_width=width, no_wrap=True)

    placed = {cid for section in rubric.sections for cid in section.criteria}
    groups = [(s.name, [rubric.criterion(cid) for cid in s.criteria]) for s in rubric.sections]
    rest = [c for c in rubric.criteria if c.id not in placed]
    if rest:
        groups.append(("(no section)" if groups else "", rest))
    for name, criteria in groups:
        if name:
            table.add_row(f"[bold]{name}[/bold]")
        for criterion in criteria:
            table.add_row(*_row(rubric, criterion))
    return table


def _row(rubric: Rubric, criterion: Criterion) -> list[str]:
    applies = ", ".join(criterion.applies_to) or "all"
    if rubric.applies_to:
        applies += f" (within {', '.join(rubric.applies_to)})"
    return [
        criterion.id,
        criterion.check,
        str(criterion.weight),
        "yes" if criterion.critical else "",
        applies,
        criterion.level,
    ]
