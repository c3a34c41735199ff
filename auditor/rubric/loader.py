"""Rubric files -> a validated, frozen Rubric. Every error is a ConfigError naming file and line."""

from __future__ import annotations

import importlib.resources
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

from auditor.errors import ConfigError
from auditor.rubric.checks.interface import Params
from auditor.rubric.registry import CHECKS
from auditor.rubric.schema import Criterion, Rubric, RubricSpec, Section
from auditor.yamlfile import line_of, load_yaml, validate

SHIPPED_PACKAGE = "rubrics"
# A source checkout run without installing: the top-level rubrics/ folder beside auditor/.
_REPO_RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"


def shipped_rubrics() -> list[str]:
    """Names of the rubrics that ship with auditor ("cx-default", ...)."""
    with ExitStack() as stack:
        folder = _shipped_folder(stack)
        return sorted(p.stem for p in folder.glob("*.yaml")) if folder else []


def load_rubric(name_or_path: str, base_dir: Path | None = None) -> Rubric:
    """A shipped rubric by name ("cx-default"), or a rubric file by path.

    A value ending in .yaml/.yml or holding a path separator is a path, relative to `base_dir`
    (the config file's folder) when given; anything else names a shipped rubric.
    """
    if name_or_path.endswith((".yaml", ".yml")) or "/" in name_or_path or "\\" in name_or_path:
        path = Path(name_or_path)
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        return check_rubric_file(path)
    with ExitStack() as stack:
        folder = _shipped_folder(stack)
        candidate = folder / f"{name_or_path}.yaml" if folder else None
        if candidate is None or not candidate.is_file():
            shipped = ", ".join(shipped_rubrics()) or "none found"
            raise ConfigError(
                name_or_path,
                f"no shipped rubric of that name (shipped: {shipped}); "
                "give a path to a .yaml file for your own",
            )
        return check_rubric_file(candidate)


def check_rubric_file(path: str | Path) -> Rubric:
    """Read and validate one rubric file; raises ConfigError with file, line and key."""
    path = Path(path)
    # no ${VAR} substitution: "$" belongs to the regular expressions rubrics hold
    data, node = load_yaml(path, substitute_env=False)
    if not isinstance(data, dict):
        raise ConfigError(str(path), "expected a mapping with name and criteria at the top", 1)
    spec = validate(RubricSpec, data, node, path)

    criteria: list[Criterion] = []
    first_line: dict[str, int | None] = {}
    for i, item in enumerate(spec.criteria):
        id_line = line_of(node, ("criteria", i, "id"))
        if item.id in first_line:
            raise ConfigError(
                str(path),
                f"criterion id '{item.id}' is used twice (first at line {first_line[item.id]})",
                line=id_line,
                key=f"criteria.{i}.id",
            )
        first_line[item.id] = id_line
        params = _params(item.check, item.params, item.id, i, node, path)
        criteria.append(
            Criterion(
                id=item.id,
                check=item.check,
                params=params,
                weight=item.weight,
                applies_to=tuple(item.applies_to),
                level=item.level,
                critical=item.critical,
                description=item.description,
                line=line_of(node, ("criteria", i)),
            )
        )

    sections: list[Section] = []
    placed: dict[str, str] = {}
    for s, section in enumerate(spec.sections):
        if any(section.name == other.name for other in sections):
            raise ConfigError(
                str(path),
                f"section '{section.name}' is named twice",
                line=line_of(node, ("sections", s, "name")),
                key=f"sections.{s}.name",
            )
        for c, criterion_id in enumerate(section.criteria):
            problem = None
            if criterion_id not in first_line:
                problem = f"section names '{criterion_id}', which is no criterion"
            elif criterion_id in placed:
                problem = (
                    f"criterion '{criterion_id}' is already in section '{placed[criterion_id]}'"
                )
            if problem:
                raise ConfigError(
                    str(path),
                    problem,
                    line=line_of(node, ("sections", s, "criteria", c)),
                    key=f"sections.{s}.criteria.{c}",
                )
            placed[criterion_id] = section.name
        sections.append(
            Section(
                name=section.name,
                criteria=tuple(section.criteria),
                description=section.description,
            )
        )

    return Rubric(
        name=spec.name,
        criteria=tuple(criteria),
        description=spec.description,
        applies_to=tuple(spec.applies_to),
        sections=tuple(sections),
        critical_mode=spec.critical_mode,
        pass_threshold=spec.pass_threshold,
        path=str(path),
        applies_to_line=line_of(node, ("applies_to",)) if spec.applies_to else None,
    )


def _params(
    check: str, raw: dict[str, Any], criterion_id: str, i: int, node: yaml.Node | None, path: Path
) -> Params:
    """Validate a criterion's params against its check's own model, keeping the file's lines."""
    params_node = _child(node, ("criteria", i, "params"))
    try:
        return validate(CHECKS[check].params_model, raw, params_node, path)
    except ConfigError as exc:
        if params_node is None:  # no params written: point at the check that needs them
            line = line_of(node, ("criteria", i, "check"))
        elif exc.key is None:  # a rule across params (min above max): point at `params:`
            line = line_of(node, ("criteria", i, "params"))
        else:
            line = exc.line
        key = f"criteria.{i}.params" + (f".{exc.key}" if exc.key else "")
        problem = f"{exc.problem} (criterion '{criterion_id}', check {check})"
        raise ConfigError(str(path), problem, line=line, key=key) from None


def _child(node: yaml.Node | None, path: tuple[str | int, ...]) -> yaml.Node | None:
    """The node at `path` (mapping keys and sequence indexes), or None where it is absent."""
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            return None
    return node


def _shipped_folder(stack: ExitStack) -> Path | None:
    """The folder of shipped rubrics: the installed `rubrics` package, else the checkout's."""
    try:
        resource = importlib.resources.files(SHIPPED_PACKAGE)
    except ModuleNotFoundError:
        resource = None
    # the marker file guards against some other installed package that is also named `rubrics`
    if resource is not None and resource.joinpath("cx-default.yaml").is_file():
        return stack.enter_context(importlib.resources.as_file(resource))
    return _REPO_RUBRICS if _REPO_RUBRICS.is_dir() else None
