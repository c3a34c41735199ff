"""audit.yaml loading: valid files load; every error names file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import load_config
from auditor.errors import ConfigError

VALID = """\
brand: Acme
channels:
  - name: kb
    kind: files
    paths: ["kb/*.md"]
  - name: site
    kind: web
    start: ["${ACME_URL}/"]
promises:
  - id: p1
    statement: "Returns are free."
authority: [site, kb]
"""


def write(tmp_path: Path, text: str, name: str = "audit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_config_substitutes_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACME_URL", "http://127.0.0.1:9")
    config = load_config(write(tmp_path, VALID))
    assert config.brand == "Acme"
    assert config.channels[1].start == ["http://127.0.0.1:9/"]
    assert config.authority == ["site", "kb"]
    assert [p.id for p in config.promises] == ["p1"]
    assert config.root == tmp_path.resolve()


def test_comment_with_variable_is_not_substituted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACME_URL", "http://x")
    config = load_config(write(tmp_path, "# uses ${NOT_SET_ANYWHERE}\n" + VALID))
    assert config.brand == "Acme"


@pytest.mark.parametrize(
    "text,line,key,problem",
    [
        (VALID.replace("    paths:", "    pathz:"), 5, "channels.0.pathz", "unknown key 'pathz'"),
        (VALID.replace("brand: Acme\n", "brand: Acme\ncolour: red\n"), 2, "colour", "unknown"),
        (VALID.replace("kind: files", "kind: ftp"), 4, None, "kind"),
        (VALID.replace("authority: [site, kb]", "authority: [site, blog]"), None, None, "blog"),
        (VALID.replace('    start: ["${ACME_URL}/"]', "    start: []"), 8, None, "at least 1"),
        ("brand: [unclosed\n", 2, None, "invalid YAML"),
        ("- just\n- a list\n", 1, None, "mapping"),
    ],
)
def test_errors_name_file_line_and_key(
    tmp_path: Path, monkeypatch, text: str, line: int | None, key: str | None, problem: str
) -> None:
    monkeypatch.setenv("ACME_URL", "http://x")
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    error = caught.value
    assert error.path == str(path)
    if line is not None:
        assert error.line == line
    if key is not None:
        assert error.key == key
    assert problem in error.message()
    assert str(path) in error.message()


def test_missing_environment_variable_names_the_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("ACME_URL", raising=False)
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, VALID))
    assert caught.value.line == 8
    assert "ACME_URL" in caught.value.message()


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.yaml")


def test_promises_file_errors_point_into_that_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACME_URL", "http://x")
    promises = write(tmp_path, "promises:\n  - id: a\n    statment: typo\n", "promises.yaml")
    text = VALID.replace(
        'promises:\n  - id: p1\n    statement: "Returns are free."\n', "promises: promises.yaml\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.path == str(promises)
    assert caught.value.line == 3
