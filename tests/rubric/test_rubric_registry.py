"""Meta-tests over the one registry: every check is loadable, strict, documented and tested."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import auditor.rubric
from auditor.errors import ConfigError
from auditor.rubric import CHECKS, check_rubric_file
from auditor.rubric.checks.interface import Check, Params

# The smallest valid params of each check: the registry test below fails when a check is added
# without an entry here, and so without the tests that use it.
MINIMAL_PARAMS: dict[str, dict] = {
    "consistent": {},
    "keeps_promises": {},
    "forbidden_phrases": {"phrases": ["calm down"]},
    "required_phrases": {"phrases": ["order number"]},
    "has_link": {},
    "readability": {},
    "length": {"max_words": 100},
    "semantic": {"exemplars": ["I'm sorry about that."]},
    "no_blame": {},
    "escalation_offered": {},
}


def test_every_check_has_minimal_params_and_a_table_test():
    assert set(MINIMAL_PARAMS) == set(CHECKS)
    here = Path(__file__).parent
    for kind in CHECKS:
        assert (here / f"test_check_{kind}.py").is_file(), f"no table test for {kind}"


@pytest.mark.parametrize("kind", list(CHECKS))
def test_check_class_is_complete(kind):
    check = CHECKS[kind]
    assert issubclass(check, Check)
    assert check.summary, f"{kind} has no summary"
    assert issubclass(check.params_model, Params)
    assert check.params_model.model_config.get("extra") == "forbid"
    check(check.params_model.model_validate(MINIMAL_PARAMS[kind]))  # builds from its params


def _rubric_yaml(kind: str, params: dict) -> str:
    lines = ["name: meta", "criteria:", "  - id: only", f"    check: {kind}", "    weight: 10"]
    lines.append("    params:")
    for key, value in params.items():
        lines.append(f"      {key}: {value!r}" if not isinstance(value, list) else f"      {key}:")
        if isinstance(value, list):
            lines += [f"        - {item!r}" for item in value]
    return "\n".join(lines) + "\n"


def _with_bogus(text: str) -> str:
    return text.replace("    params:\n", "    params:\n      bogus: 1\n")


@pytest.mark.parametrize("kind", list(CHECKS))
def test_every_check_loads_from_yaml_and_rejects_unknown_params(tmp_path, kind):
    path = tmp_path / "meta.yaml"
    good = _rubric_yaml(kind, MINIMAL_PARAMS[kind])
    if not MINIMAL_PARAMS[kind]:
        good = good.replace("    params:\n", "")  # an empty `params:` is null, not {}
    path.write_text(good, encoding="utf-8")
    assert check_rubric_file(path).criteria[0].check == kind

    text = _with_bogus(_rubric_yaml(kind, MINIMAL_PARAMS[kind]))
    path.write_text(text, encoding="utf-8")
    bogus_line = text.splitlines().index("      bogus: 1") + 1
    with pytest.raises(ConfigError) as caught:
        check_rubric_file(path)
    assert caught.value.line == bogus_line
    assert caught.value.key == "criteria.0.params.bogus"
    assert "unknown key 'bogus'" in caught.value.problem


def test_public_names_are_in_sync():
    exported = set(auditor.rubric.__all__)
    assert all(hasattr(auditor.rubric, name) for name in exported)
    public = {n for n in vars(auditor.rubric) if not n.startswith("_")}
    modules = {"checks", "describe", "loader", "registry", "schema", "scoring", "text"}
    assert public - modules - {"annotations"} == exported, textwrap.shorten(str(public), 300)
