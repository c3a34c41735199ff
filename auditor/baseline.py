"""The baseline: findings a team has looked at and accepted, so the gate fails only on new ones.

A JSON file (default `.auditor-baseline.json` next to audit.yaml, or `gate.baseline`) keyed by
finding id, the fingerprint that stays the same across runs:

    {"version": 1,
     "findings": {"9f2c1a0e7d3b": {"reason": "agents are retrained in November",
                                   "expires": "2026-12-01",
                                   "topic": "return window",
                                   "summary": "chat says 14 days, website says 30 days"}}}

`reason` is required. `expires` (an ISO date) is optional: from that day on the entry no longer
suppresses its finding. `topic` and `summary` are for people reading the file and are refreshed
on every update. Keys are written sorted, so the file diffs cleanly in review.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.errors import ConfigError
from auditor.model import AuditResult

if TYPE_CHECKING:
    from auditor.config import Config

DEFAULT_NAME = ".auditor-baseline.json"
VERSION = 1
_ENTRY_KEYS = {"reason", "expires", "topic", "summary"}


@dataclass(frozen=True)
class BaselineEntry:
    id: str
    reason: str
    expires: date | None = None
    topic: str = ""
    summary: str = ""

    def expired(self, today: date) -> bool:
        """True from the `expires` day on."""
        return self.expires is not None and today >= self.expires


@dataclass(frozen=True)
class Baseline:
    entries: dict[str, BaselineEntry] = field(default_factory=dict)

    def get(self, finding_id: str) -> BaselineEntry | None:
        return self.entries.get(finding_id)

    def __len__(self) -> int:
        return len(self.entries)


def baseline_path(config: Config) -> Path:
    """Where the config's baseline lives: `gate.baseline`, relative to the config's folder, or
    the default name there."""
    return config.resolve(config.spec.gate.baseline or DEFAULT_NAME)


def _line_of(text: str, needle: str, occurrence: int = 1) -> int | None:
    """The 1-based line of the n-th `"needle"` in the file, to point errors at an entry."""
    position = -1
    for _ in range(occurrence):
        position = text.find(f'"{needle}"', position + 1)
        if position < 0:
            return None
    return text.count("\n", 0, position) + 1


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _entry(path: str, text: str, finding_id: str, raw: object) -> BaselineEntry:
    line = _line_of(text, finding_id)

    def fail(problem: str) -> ConfigError:
        return ConfigError(path, problem, line, finding_id)

    if not isinstance(raw, dict):
        raise fail("an entry must be an object with a reason")
    unknown = sorted(set(raw) - _ENTRY_KEYS)
    if unknown:
        raise fail(f"unknown key {', '.join(unknown)} (allowed: {', '.join(sorted(_ENTRY_KEYS))})")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise fail("every accepted finding needs a non-empty reason")
    expires = raw.get("expires")
    if expires is not None:
        if not isinstance(expires, str):
            raise fail("expires must be an ISO date like 2026-12-31")
        try:
            expires = date.fromisoformat(expires)
        except ValueError:
            raise fail(f"expires '{expires}' is not an ISO date like 2026-12-31") from None
    for key in ("topic", "summary"):
        if not isinstance(raw.get(key, ""), str):
            raise fail(f"{key} must be text")
    return BaselineEntry(
        id=finding_id,
        reason=reason,
        expires=expires,
        topic=raw.get("topic", ""),
        summary=raw.get("summary", ""),
    )


def parse_baseline(text: str, path: str) -> Baseline:
    """Validate a baseline file's text. Raises ConfigError naming the file and line."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        raise ConfigError(
            path, f"not valid JSON: {error.msg} (column {error.colno})", error.lineno
        ) from None
    except _Duplicate as duplicate:
        raise ConfigError(
            path, f"'{duplicate.key}' appears twice", _line_of(text, duplicate.key, 2)
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(path, 'expected an object: {"version": 1, "findings": {...}}', 1)
    unknown = sorted(set(data) - {"version", "findings"})
    if unknown:
        key = unknown[0]
        raise ConfigError(path, f"unknown key '{key}'", _line_of(text, key), key)
    if data.get("version", VERSION) != VERSION:
        raise ConfigError(
            path,
            f"version {data.get('version')!r} is not supported (expected {VERSION})",
            _line_of(text, "version"),
            "version",
        )
    findings = data.get("findings", {})
    if not isinstance(findings, dict):
        raise ConfigError(
            path,
            "findings must map finding ids to entries",
            _line_of(text, "findings"),
            "findings",
        )
    entries = {fid: _entry(path, text, fid, raw) for fid, raw in findings.items()}
    return Baseline(entries)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file. Raises ConfigError when it cannot be read or is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "baseline file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), f"cannot read the baseline: {error}") from None
    return parse_baseline(text, str(path))


def dumps(baseline: Baseline) -> str:
    findings: dict[str, dict[str, str]] = {}
    for finding_id in sorted(baseline.entries):
        entry = baseline.entries[finding_id]
        item = {"reason": entry.reason}
        if entry.expires is not None:
            item["expires"] = entry.expires.isoformat()
        if entry.topic:
            item["topic"] = entry.topic
        if entry.summary:
            item["summary"] = entry.summary
        findings[finding_id] = item
    return json.dumps({"version": VERSION, "findings": findings}, indent=2, ensure_ascii=False)


def save_baseline(baseline: Baseline, path: Path) -> None:
    """Write the baseline, sorted by finding id, atomically (a half-written file would make
    the next gate fail with a parse error)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(dumps(baseline) + "\n", encoding="utf-8")
    partial.replace(path)


def update(
    baseline: Baseline | None,
    result: AuditResult,
    reason: str | None,
    expires: date | None,
    today: date,
    prune: bool = False,
) -> Baseline:
    """Accept every current finding.

    Findings already accepted keep their reason and expiry; an entry that has expired is renewed
    with `expires` (running update is accepting it again). New findings need a `reason`.
    With `prune`, entries whose finding no longer occurs are dropped.
    """
    old = dict(baseline.entries) if baseline is not None else {}
    current = {f.id: f for f in result.findings}
    missing_reason = [fid for fid in current if fid not in old]
    if missing_reason and not (reason and reason.strip()):
        raise ConfigError(
            "--reason", f"{len(missing_reason)} new finding(s) need a reason to be accepted"
        )
    entries = {} if prune else {k: v for k, v in old.items() if k not in current}
    for finding_id, finding in current.items():
        entry = old.get(finding_id)
        if entry is None:
            entry = BaselineEntry(finding_id, reason.strip() if reason else "", expires)
        elif entry.expired(today):
            entry = replace(entry, expires=expires)
        entries[finding_id] = replace(entry, topic=finding.topic, summary=finding.summary)
    return Baseline(entries)
