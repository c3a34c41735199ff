"""A rubric file's shape (pydantic, unknown keys are errors) and the frozen Rubric it becomes.

The file is validated in two passes: the shape here first, then each criterion's `params`
against its own check's model (see loader.py), so that an error in either names its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from auditor.rubric.checks.interface import Level, Params
from auditor.rubric.registry import CHECKS

CriticalMode = Literal["zero", "flag"]
CHANNEL_KINDS: tuple[str, ...] = ("web", "helpcenter", "files", "chat")
# Answer kinds a criterion may target; "promise" answers are the brand's own standard, never
# scored, so they are not offered here.
ANSWER_KINDS: tuple[str, ...] = ("page", "faq", "section", "agent", "bot")

CriterionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Name = Annotated[str, StringConstraints(pattern=r"\S")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionSpec(_Strict):
    id: CriterionId
    check: str
    params: dict[str, Any] = {}
    # strict: a weight of "10" or 10.5 in the file is a mistake, not something to coerce
    weight: int = Field(strict=True, ge=0, le=100)
    applies_to: list[Name] = []
    level: Level = "answer"
    critical: bool = False
    description: str = ""

    @field_validator("check")
    @classmethod
    def _known_check(cls, check: str) -> str:
        if check not in CHECKS:
            raise PydanticCustomError(
                "unknown_check",
                "unknown check '{check}'; the checks are: {known}",
                {"check": check, "known": ", ".join(CHECKS)},
            )
        return check


class SectionSpec(_Strict):
    name: Name
    description: str = ""
    criteria: list[str] = Field(min_length=1)


class RubricSpec(_Strict):
    name: Name
    description: str = ""
    applies_to: list[Name] = []
    sections: list[SectionSpec] = []
    critical_mode: CriticalMode = "zero"
    pass_threshold: float = Field(80.0, ge=0, le=100)
    criteria: list[CriterionSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Criterion:
    """One validated criterion. `params` is an instance of its check's params model."""

    id: str
    check: str
    params: Params
    weight: int
    applies_to: tuple[str, ...] = ()  # channel names, channel kinds or answer kinds; () = all
    level: Level = "answer"
    critical: bool = False
    description: str = ""
    line: int | None = None  # where it starts in the rubric file


@dataclass(frozen=True)
class Section:
    name: str
    criteria: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]
    description: str = ""
    applies_to: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    critical_mode: CriticalMode = "zero"
    pass_threshold: float = 80.0
    path: str | None = None  # the file it was read from, for errors found while scoring
    applies_to_line: int | None = None

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def section_of(self, criterion_id: str) -> str | None:
        for section in self.sections:
            if criterion_id in section.criteria:
                return section.name
        return None
