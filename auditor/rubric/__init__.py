"""Rubrics: YAML scorecards of weighted criteria, each naming a built-in check (DESIGN.md,
"Rubrics").

    rubric = load_rubric("cx-default")           # or a path, relative to base_dir
    scores = score(rubric, answers, findings, conversations, embedder, topics, channel_kinds)
"""

from auditor.rubric.describe import describe_rubric
from auditor.rubric.loader import check_rubric_file, load_rubric, shipped_rubrics
from auditor.rubric.registry import CHECKS
from auditor.rubric.schema import Criterion, Rubric, Section
from auditor.rubric.scoring import (
    ConversationScore,
    RubricOutcome,
    SettledScores,
    score,
    score_detailed,
)

__all__ = [
    "CHECKS",
    "ConversationScore",
    "Criterion",
    "Rubric",
    "RubricOutcome",
    "SettledScores",
    "Section",
    "check_rubric_file",
    "describe_rubric",
    "load_rubric",
    "score",
    "score_detailed",
    "shipped_rubrics",
]
