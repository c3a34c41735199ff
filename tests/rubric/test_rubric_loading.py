"""Rubric files: the shipped one loads; malformed ones fail with file, line and key."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
import yaml
from rich.console import Console

from auditor.errors import ConfigError
from auditor.rubric import (
    CHECKS,
    check_rubric_file,
    describe_rubric,
    load_rubric,
    shipped_rubrics,
)

REPO_RUBRICS = Path(__file__).resolve().parents[2] / "rubrics"

VALID = """\
name: tiny
criteria:
  - id: link
    check: has_link
    weight: 10
"""

# (case, file text, line, key, message fragment)
MALFORMED = [
    (
        "unknown check",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: 10
          - id: b
            check: sounds_nice
            weight: 10
        """,
        7,
        "criteria.1.check",
        "unknown check 'sounds_nice'",
    ),
    (
        "negative weight",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: -5
        """,
        5,
        "criteria.0.weight",
        "greater than or equal to 0",
    ),
    (
        "weight over 100",
        """\
        name: t
        criteria:
          - id: a
            check: has_link

            weight: 101
        """,
        6,
        "criteria.0.weight",
        "less than or equal to 100",
    ),
    (
        "weight not an integer",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: "10"
        """,
        5,
        "criteria.0.weight",
        "valid integer",
    ),
    (
        "unknown top-level key",
        """\
        name: t
        pass_treshold: 70
        criteria:
          - id: a
            check: has_link
            weight: 1
        """,
        2,
        "pass_treshold",
        "unknown key 'pass_treshold'",
    ),
    (
        "unknown criterion key",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: 1
            severity: high
        """,
        6,
        "criteria.0.severity",
        "unknown key 'severity'",
    ),
    (
        "unknown params key",
        """\
        name: t
        criteria:
          - id: a
            check: length
            weight: 1
            params:
              max_words: 50
              max_chars: 200
        """,
        8,
        "criteria.0.params.max_chars",
        "unknown key 'max_chars' (criterion 'a', check length)",
    ),
    (
        "params value of the wrong type",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: 1
          - id: b
            check: readability
            weight: 1
            params: {max_grade: hard}
        """,
        9,
        "criteria.1.params.max_grade",
        "valid number",
    ),
    (
        "params missing when the check needs some",
        """\
        name: t
        criteria:
          - id: a
            weight: 1
            check: semantic
        """,
        5,
        "criteria.0.params.exemplars",
        "missing required key 'exemplars'",
    ),
    (
        "params rule across fields",
        """\
        name: t
        criteria:
          - id: a
            check: length
            weight: 1
            params:
              min_words: 50
              max_words: 10
        """,
        6,
        "criteria.0.params",
        "min_words is greater than max_words",
    ),
    (
        "bad regular expression",
        """\
        name: t
        criteria:
          - id: a
            check: required_phrases
            weight: 1
            params:
              patterns:
                - "ok"
                - "(unclosed"
        """,
        9,
        "criteria.0.params.patterns.1",
        "invalid regular expression '(unclosed'",
    ),
    (
        "duplicate criterion id",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: 1
          - id: a
            check: length
            params: {max_words: 5}
            weight: 1
        """,
        6,
        "criteria.1.id",
        "criterion id 'a' is used twice (first at line 3)",
    ),
    (
        "bad YAML",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
           weight: 1
        """,
        5,
        None,
        "invalid YAML",
    ),
    (
        "section naming no criterion",
        """\
        name: t
        sections:
          - name: Accuracy
            criteria: [a, b]
        criteria:
          - id: a
            check: has_link
            weight: 1
        """,
        4,
        "sections.0.criteria.1",
        "section names 'b', which is no criterion",
    ),
    (
        "critical_mode out of its choices",
        """\
        name: t
        critical_mode: halve
        criteria:
          - id: a
            check: has_link
            weight: 1
        """,
        2,
        "critical_mode",
        "'zero' or 'flag'",
    ),
    (
        "level out of its choices",
        """\
        name: t
        criteria:
          - id: a
            check: has_link
            weight: 1
            level: channel
        """,
        6,
        "criteria.0.level",
        "'answer' or 'conversation'",
    ),
    (
        "no criteria",
        """\
        name: t
        criteria: []
        """,
        2,
        "criteria",
        "at least 1 item",
    ),
    ("not a mapping", "- just\n- a list\n", 1, None, "expected a mapping"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "key", "fragment"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_rubric(tmp_path, case, text, line, key, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        check_rubric_file(path)
    error = caught.value
    assert (error.path, error.line, error.key) == (str(path), line, key)
    assert fragment in error.problem
    assert str(error).startswith(f"{path}:{line}:")


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        check_rubric_file(tmp_path / "nope.yaml")


def test_cx_default_loads_with_unique_known_criteria():
    rubric = load_rubric("cx-default")
    assert rubric.name == "cx-default"
    ids = [c.id for c in rubric.criteria]
    assert len(ids) == len(set(ids)) >= 8
    assert all(c.check in CHECKS for c in rubric.criteria)
    # the raw file too: a duplicate would be caught by the loader, but read what is written
    raw = yaml.safe_load((REPO_RUBRICS / "cx-default.yaml").read_text(encoding="utf-8"))
    assert [c["id"] for c in raw["criteria"]] == ids
    # every criterion is reported in one section
    placed = [cid for section in rubric.sections for cid in section.criteria]
    assert sorted(placed) == sorted(ids)


def test_cx_default_puts_care_criteria_on_chat_only():
    rubric = load_rubric("cx-default")
    assert rubric.criterion("acknowledges").applies_to == ("agent",)
    assert rubric.criterion("escalation").level == "conversation"
    assert rubric.criterion("escalation").applies_to == ("chat",)
    assert {c.id for c in rubric.criteria if c.critical} == {"consistent", "keeps-promises"}


def test_cx_default_says_why_for_every_criterion():
    lines = (REPO_RUBRICS / "cx-default.yaml").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"\s+- id: ", line)]
    assert starts
    for i in starts:
        assert lines[i - 1].strip().startswith("#"), f"no comment above line {i + 1}"


def test_shipped_names_and_paths(tmp_path):
    assert "cx-default" in shipped_rubrics()
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "mine.yaml").write_text(VALID, encoding="utf-8")
    assert load_rubric("rubrics/mine.yaml", base_dir=tmp_path).name == "tiny"
    assert load_rubric(str(tmp_path / "rubrics" / "mine.yaml")).name == "tiny"
    with pytest.raises(ConfigError, match=r"no shipped rubric .*shipped: .*cx-default"):
        load_rubric("cx-nonexistent")


def test_describe_lists_every_criterion():
    rubric = load_rubric("cx-default")
    console = Console(width=200, record=True)
    console.print(describe_rubric(rubric))
    text = console.export_text()
    for column in ("id", "check", "weight", "critical", "applies_to", "level"):
        assert column in text
    lines = [line.strip() for line in text.splitlines()]
    for section in rubric.sections:  # a heading row, then its criteria
        heading = lines.index(section.name)
        assert lines[heading + 1].startswith(section.criteria[0] + " ")
    for criterion in rubric.criteria:
        row = next(line for line in text.splitlines() if line.startswith(f"{criterion.id} "))
        assert criterion.check in row
        assert f" {criterion.weight} " in row
        assert criterion.level in row
        assert ("yes" in row) is criterion.critical


def test_shipped_rubrics_are_found_without_the_package_installed(monkeypatch):
    # a source checkout that was never installed: the top-level rubrics/ folder is used
    from auditor.rubric import loader

    monkeypatch.setattr(loader, "SHIPPED_PACKAGE", "no_such_package_for_rubrics")
    rubric = load_rubric("cx-default")
    assert Path(rubric.path) == REPO_RUBRICS / "cx-default.yaml"
