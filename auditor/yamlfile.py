"""Load YAML with line numbers, `${VAR}` substitution, and pydantic validation errors mapped
back to `file:line [key]`. Shared by audit.yaml, promises.yaml and rubric files."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from auditor.errors import ConfigError

ModelT = TypeVar("ModelT", bound=BaseModel)
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def load_yaml(path: Path, substitute_env: bool = True) -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file, returning the data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read: {exc}") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if substitute_env:
            _substitute(node, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise ConfigError(str(path), f"invalid YAML: {exc.problem or exc}", line=line) from None
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, node


def _substitute(node: yaml.Node, path: Path) -> None:
    if isinstance(node, yaml.ScalarNode):
        if isinstance(node.value, str) and "${" in node.value:

            def replace(match: re.Match[str]) -> str:
                name = match.group(1)
                if name not in os.environ:
                    raise ConfigError(
                        str(path),
                        f"environment variable {name} is not set",
                        line=node.start_mark.line + 1,
                    )
                return os.environ[name]

            node.value = _VAR.sub(replace, node.value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _substitute(item, path)
    elif isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            _substitute(value, path)


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest node that `loc` (a pydantic error location) reaches."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    current: yaml.Node = node
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if key.value == part:
                    line = key.start_mark.line + 1
                    current = value
                    break
            # a part that is not a key (a union tag) is skipped
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(current.value):
                current = current.value[part]
                line = current.start_mark.line + 1
    return line


def _written_path(node: yaml.Node | None, loc: tuple[Any, ...]) -> list[Any]:
    """`loc` without the parts pydantic adds that are not in the file (union tags)."""
    path: list[Any] = []
    current = node
    for index, part in enumerate(loc):
        if isinstance(current, yaml.MappingNode):
            value = next((v for k, v in current.value if k.value == part), None)
            if value is None:
                if index == len(loc) - 1:
                    path.append(part)  # the missing or unknown key itself
                continue
            path.append(part)
            current = value
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            path.append(part)
            current = current.value[part] if 0 <= part < len(current.value) else None
        else:
            path.append(part)
    return path


def validate(model: type[ModelT], data: Any, node: yaml.Node | None, path: Path) -> ModelT:
    """Validate parsed YAML into `model`; the first error becomes a ConfigError with file:line."""
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        # an unknown key explains a missing one ("statment" for "statement"): report it first
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        error = errors[0]
        loc = tuple(error["loc"])
        if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
            loc = (*loc, error.get("ctx", {}).get("discriminator", "kind").strip("'"))
        key = ".".join(str(p) for p in _written_path(node, loc)) or None
        if error["type"] == "extra_forbidden":
            problem = f"unknown key '{loc[-1]}'"
        elif error["type"] == "missing":
            problem = f"missing required key '{loc[-1]}'"
        else:
            problem = error["msg"]
        more = len(exc.errors()) - 1
        if more:
            problem += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise ConfigError(str(path), problem, line=line_of(node, loc), key=key) from None
