"""The one registry of built-in checks: a rubric's `check:` names a key here."""

from __future__ import annotations

from typing import Any

from auditor.rubric.checks.consistent import Consistent
from auditor.rubric.checks.escalation_offered import EscalationOffered
from auditor.rubric.checks.forbidden_phrases import ForbiddenPhrases
from auditor.rubric.checks.has_link import HasLink
from auditor.rubric.checks.interface import Check
from auditor.rubric.checks.keeps_promises import KeepsPromises
from auditor.rubric.checks.length import Length
from auditor.rubric.checks.no_blame import NoBlame
from auditor.rubric.checks.readability import Readability
from auditor.rubric.checks.required_phrases import RequiredPhrases
from auditor.rubric.checks.semantic import Semantic

CHECKS: dict[str, type[Check[Any]]] = {
    "consistent": Consistent,
    "keeps_promises": KeepsPromises,
    "forbidden_phrases": ForbiddenPhrases,
    "required_phrases": RequiredPhrases,
    "has_link": HasLink,
    "readability": Readability,
    "length": Length,
    "semantic": Semantic,
    "no_blame": NoBlame,
    "escalation_offered": EscalationOffered,
}
