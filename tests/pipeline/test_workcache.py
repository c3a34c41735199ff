"""The work cache: what it returns, and what it refuses to return."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from auditor import workcache
from auditor.model import Conversation, Message
from auditor.sources.chat.interface import Transcript
from auditor.sources.chat.macros import MacroTally
from auditor.workcache import WorkCache, key_of


def test_values_come_back_equal(tmp_path: Path):
    cache = WorkCache(tmp_path / "work.sqlite")
    value = {"answers": [("a-1", "Returns within 30 days.")], "count": 3}
    cache.put(key_of("file", "abc"), value)
    assert cache.get(key_of("file", "abc")) == value
    assert cache.get(key_of("file", "abd")) is None
    assert (cache.hits, cache.misses) == (1, 1)


def test_work_of_other_code_is_a_miss_and_is_pruned(tmp_path: Path, monkeypatch):
    path = tmp_path / "work.sqlite"
    old = WorkCache(path)
    old.put("k", [1, 2, 3])
    old.close()
    monkeypatch.setattr(workcache, "code_version", lambda: "a-newer-release")
    new = WorkCache(path)
    assert new.get("k") is None
    new.prune()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM work").fetchone() == (0,)


def test_a_damaged_entry_is_a_miss_not_an_error(tmp_path: Path):
    path = tmp_path / "work.sqlite"
    cache = WorkCache(path)
    cache.put("k", "value")
    sqlite3.connect(path, isolation_level=None).execute(
        "UPDATE work SET value = ? WHERE key = 'k'", (b"not a compressed pickle",)
    )
    assert cache.get("k") is None


def test_prune_drops_work_unused_for_two_weeks(tmp_path: Path):
    path = tmp_path / "work.sqlite"
    cache = WorkCache(path)
    cache.put("old", 1)
    cache.put("recent", 2)
    stale = time.time() - workcache.KEEP_UNUSED_SECONDS - 60
    sqlite3.connect(path, isolation_level=None).execute(
        "UPDATE work SET used_at = ? WHERE key = 'old'", (stale,)
    )
    cache.prune()
    assert (cache.get("old"), cache.get("recent")) == (None, 2)


def test_any_edit_to_a_source_file_changes_the_version(tmp_path: Path):
    (tmp_path / "facts").mkdir()
    (tmp_path / "facts" / "values.py").write_text("WINDOW = 30\n")
    (tmp_path / "README.txt").write_text("not code")
    before = workcache.sources_digest(tmp_path)
    (tmp_path / "README.txt").write_text("still not code")
    assert workcache.sources_digest(tmp_path) == before
    (tmp_path / "facts" / "values.py").write_text("WINDOW = 14\n")
    assert workcache.sources_digest(tmp_path) != before


def _transcript(n: int, agent_says: str, customer_says: str = "Hello") -> Transcript:
    messages = (Message("customer", customer_says, 1), Message("agent", agent_says, 2))
    return Transcript(Conversation(f"c-{n}", "x.jsonl", messages))


def test_tallies_merged_file_by_file_learn_what_one_tally_learns():
    macro = "Call us on 1-800-555-0142."
    transcripts = [_transcript(1, macro), _transcript(2, macro), _transcript(3, macro)]
    transcripts.append(_transcript(4, "Write to sam@example.org", "I am sam@example.org"))
    transcripts += [_transcript(5 + n, "Write to sam@example.org") for n in range(3)]
    whole = MacroTally()
    for transcript in transcripts:
        whole.add(transcript)
    merged = MacroTally()
    for transcript in transcripts:  # one file per conversation
        one = MacroTally()
        one.add(transcript)
        merged.merge(one)
    assert merged.kept() == whole.kept()
    assert len(merged.kept()) == 1  # the number; the address was once the customer's
