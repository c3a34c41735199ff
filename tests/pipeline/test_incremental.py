"""Incremental runs: an unchanged export file is not parsed, redacted, extracted or split into
facts again; a run that reuses kept work gives exactly what a cold run gives."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from pathlib import Path

import pytest

from auditor import incremental
from auditor.config import load_config
from auditor.model import AuditResult
from auditor.pipeline import RunOptions, run
from auditor.sources import chat
from auditor.workcache import WorkCache

CONFIG = """\
brand: Harbour Supply
channels:
  - {name: kb, kind: files, paths: ["kb/*.md", "kb/*.html"]}
  - {name: chat, kind: chat, paths: ["chats/*.jsonl"], format: generic}
authority: [kb, chat]
"""
RETURNS = "You can return any item within {days} days of delivery."
HOURS = "Our phone line is open from 8am to 6pm on weekdays."


def conversation(n: int, reply: str, customer: str = "How long do I have to return it?") -> str:
    record = {
        "id": f"c-{n:04d}",
        "messages": [
            {"role": "customer", "text": customer},
            {"role": "agent", "text": reply},
            {"role": "customer", "text": "And when can I call you?"},
            {"role": "agent", "text": HOURS},
        ],
    }
    return json.dumps(record) + "\n"


def write_day(root: Path, name: str, first: int, count: int, wrong: set[int] = frozenset()):
    lines = [
        conversation(n, RETURNS.format(days=14 if n in wrong else 30))
        for n in range(first, first + count)
    ]
    (root / "chats" / name).write_text("".join(lines))


@pytest.fixture
def brand(tmp_path: Path) -> Path:
    root = tmp_path / "brand"
    (root / "kb").mkdir(parents=True)
    (root / "chats").mkdir()
    (root / "kb" / "policies.md").write_text(
        "# Policies\n\n## Returns\n\nYou can return any item within 30 days of delivery.\n"
    )
    (root / "audit.yaml").write_text(CONFIG)
    write_day(root, "day-1.jsonl", 0, 12, wrong={3})
    return root


@pytest.fixture
def reads(monkeypatch) -> Counter:
    """How often each export file is opened by the generic reader (a spy on the real one)."""
    opened: Counter = Counter()
    real = chat.TRANSCRIPT_FORMATS["generic"]

    def counting(path, channel, context):
        opened[Path(path).name] += 1
        return real(path, channel, context)

    monkeypatch.setitem(chat.TRANSCRIPT_FORMATS, "generic", counting)
    return opened


def audit(root: Path, embedder, cache: str = ".cache") -> AuditResult:
    return run(
        load_config(root / "audit.yaml"), RunOptions(cache_dir=root / cache, embedder=embedder)
    )


def outcome(result: AuditResult) -> tuple:
    """Everything a report shows, minus the run's id and timings."""
    return (
        [
            (f.id, f.kind, [(v.value, v.sources, v.conversations) for v in f.values])
            for f in result.findings
        ],
        [(e.answer_id, e.text) for f in result.findings for e in f.evidence],
        [(a.id, a.text, a.question) for a in result.answers],
        [(s.answer_id, s.index, s.text, s.facts, s.scope) for s in result.statements],
        (result.scores.run, result.scores.channels, result.scores.conversations),
        [(s.answer_id, s.score, s.results) for s in result.scores.answers],
        sorted((s.source, s.reason) for s in result.skipped),
    )


def test_unchanged_export_is_not_read_again(brand, reads, real_embedder):
    first = audit(brand, real_embedder)
    assert reads["day-1.jsonl"] == 2  # the macro tally, then the conversations
    assert [f.kind for f in first.findings] == ["contradiction"]
    again = audit(brand, real_embedder)
    assert reads["day-1.jsonl"] == 2
    assert outcome(again) == outcome(first)


def test_new_export_is_read_alone_and_the_run_equals_a_cold_one(brand, reads, real_embedder):
    audit(brand, real_embedder)
    write_day(brand, "day-2.jsonl", 100, 5, wrong={101, 102})
    reads.clear()
    warm = audit(brand, real_embedder)
    assert reads == Counter({"day-2.jsonl": 2})
    cold = audit(brand, real_embedder, cache=".cold-cache")
    assert outcome(warm) == outcome(cold)
    (finding,) = warm.findings
    assert [(v.value, v.conversations) for v in finding.values] == [
        ("up to 30 days", 14),
        ("up to 14 days", 3),
    ]


def test_edited_export_is_read_again(brand, reads, real_embedder):
    audit(brand, real_embedder)
    write_day(brand, "day-1.jsonl", 0, 12)  # the wrong reply corrected
    reads.clear()
    edited = audit(brand, real_embedder)
    assert reads == Counter({"day-1.jsonl": 2})
    assert edited.findings == ()


def test_a_number_learnt_from_a_new_file_changes_the_redaction_of_old_ones(
    brand, reads, real_embedder
):
    # agents give the same number in two conversations: not yet known to be the brand's, so it
    # is redacted; a third, in tomorrow's file, makes it the brand's everywhere
    said = "You can also call us on 1-800-555-0199."
    (brand / "chats" / "day-1.jsonl").write_text(
        conversation(1, said) + conversation(2, said) + conversation(3, RETURNS.format(days=30))
    )
    first = audit(brand, real_embedder)
    assert not any("555-0199" in a.text for a in first.answers)
    (brand / "chats" / "day-2.jsonl").write_text(conversation(4, said))
    reads.clear()
    second = audit(brand, real_embedder)
    assert reads == Counter({"day-1.jsonl": 1, "day-2.jsonl": 2})  # day-1's tally was kept
    assert sum("555-0199" in a.text for a in second.answers) == 3
    assert outcome(second) == outcome(audit(brand, real_embedder, cache=".cold-cache"))


def test_claims_follow_a_change_of_the_sites_named_subjects(brand, reads, real_embedder):
    # A page title names a venue, and a reply naming a venue is about that venue. The reply
    # names the Pier Road Store, which is no venue of the site until the page is renamed: then
    # it disagrees with the page, though the export did not change.
    page = (
        "<html><head><title>{title} | Harbour Supply</title></head><body><main>"
        "<h1>{title}</h1><p>Returns at the {title} are accepted within 30 days of delivery."
        "</p></main></body></html>"
    )
    (brand / "kb" / "policies.md").unlink()
    (brand / "kb" / "store.html").write_text(page.format(title="Quay Street Store"))
    (brand / "chats" / "day-1.jsonl").write_text(
        conversation(
            1,
            "Returns at the Pier Road Store are accepted within 14 days of delivery.",
            customer="Can I return things at the Pier Road Store?",
        )
    )
    assert audit(brand, real_embedder).findings == ()
    (brand / "kb" / "store.html").write_text(page.format(title="Pier Road Store"))
    reads.clear()
    renamed = audit(brand, real_embedder)
    assert reads == Counter()  # the export is unchanged: its answers and statements are kept
    assert [f.kind for f in renamed.findings] == ["contradiction"]
    assert outcome(renamed) == outcome(audit(brand, real_embedder, cache=".cold-cache"))


def test_a_run_killed_while_saving_leaves_the_file_to_be_read_again(
    brand, reads, real_embedder, monkeypatch
):
    monkeypatch.setattr(incremental, "CHUNK_SIZE", 4)  # day-1 is 12 conversations: 3 chunks
    real_put = WorkCache.put
    puts = Counter()

    def dying_put(self, key, value):
        if ":" in key:  # a chunk
            puts["chunks"] += 1
            if puts["chunks"] == 2:
                raise KeyboardInterrupt  # what a kill between two writes leaves
        real_put(self, key, value)

    monkeypatch.setattr(WorkCache, "put", dying_put)
    with pytest.raises(KeyboardInterrupt):
        audit(brand, real_embedder)
    monkeypatch.setattr(WorkCache, "put", real_put)
    reads.clear()
    after = audit(brand, real_embedder)
    assert reads == Counter({"day-1.jsonl": 1})  # its tally had been kept; its chunks had not
    assert outcome(after) == outcome(audit(brand, real_embedder, cache=".cold-cache"))
    reads.clear()
    audit(brand, real_embedder)
    assert reads == Counter()


def test_kept_work_holds_no_personal_data_in_the_clear(brand, real_embedder):
    # an agent says a customer's address and number that this conversation never got from
    # the customer: redacted in the conversation, and only a digest in the kept macro tally
    said = "We wrote to sam.lee@example.org and called 415-555-0199 about it yesterday."
    (brand / "chats" / "day-1.jsonl").write_text(conversation(1, said))
    result = audit(brand, real_embedder)
    assert not any("sam.lee" in a.text or "555-0199" in a.text for a in result.answers)
    rows = sqlite3.connect(brand / ".cache" / "work.sqlite").execute("SELECT value FROM work")
    kept = [zlib.decompress(value) for (value,) in rows]
    assert kept
    for secret in (b"sam.lee", b"example.org", b"555-0199", b"5550199", b"4155550199"):
        assert not any(secret in blob for blob in kept), secret


@pytest.fixture
def extractions(monkeypatch) -> Counter:
    """How often each document is extracted into answers (a spy on the real extractor)."""
    done: Counter = Counter()
    real = incremental.answers_from_document

    def counting(document):
        done[Path(document.source).name] += 1
        return real(document)

    monkeypatch.setattr(incremental, "answers_from_document", counting)
    return done


STORE_PAGE = (
    "<html><head><title>{title} | Harbour Supply</title></head><body><main>"
    "<h1>{title}</h1><p>Returns at the {title} are accepted within 30 days of delivery."
    "</p></main></body></html>"
)


def test_unchanged_documents_keep_their_work_and_an_edited_one_is_extracted_again(
    brand, extractions, real_embedder
):
    (brand / "kb" / "store.html").write_text(STORE_PAGE.format(title="Quay Street Store"))
    first = audit(brand, real_embedder)
    assert extractions == Counter({"policies.md": 1, "store.html": 1})
    extractions.clear()
    assert outcome(audit(brand, real_embedder)) == outcome(first)
    assert extractions == Counter()
    (brand / "kb" / "policies.md").write_text(
        "# Policies\n\n## Returns\n\nYou can return any item within 60 days of delivery.\n"
    )
    edited = audit(brand, real_embedder)
    assert extractions == Counter({"policies.md": 1})
    assert outcome(edited) == outcome(audit(brand, real_embedder, cache=".cold-cache"))
    assert "up to 60 days" in [v.value for f in edited.findings for v in f.values]


def test_an_unchanged_pages_claims_follow_a_change_of_the_sites_named_subjects(
    brand, extractions, real_embedder
):
    # as the chat reply above, but the reply naming the Pier Road Store is an unchanged page
    (brand / "kb" / "policies.md").unlink()
    (brand / "chats" / "day-1.jsonl").unlink()
    (brand / "kb" / "store.html").write_text(STORE_PAGE.format(title="Quay Street Store"))
    (brand / "kb" / "guide.md").write_text(
        "# Returns guide\n\n## Stores\n\n"
        "Returns at the Pier Road Store are accepted within 14 days of delivery.\n"
    )
    assert audit(brand, real_embedder).findings == ()
    (brand / "kb" / "store.html").write_text(STORE_PAGE.format(title="Pier Road Store"))
    extractions.clear()
    renamed = audit(brand, real_embedder)
    assert extractions == Counter({"store.html": 1})
    assert [f.kind for f in renamed.findings] == ["contradiction"]
    assert outcome(renamed) == outcome(audit(brand, real_embedder, cache=".cold-cache"))


def test_units_no_finding_names_keep_their_scores(brand, real_embedder, monkeypatch):
    from auditor.rubric import scoring

    judged: Counter = Counter()
    real = scoring._results

    def counting(criteria, checks, target, *args, **kwargs):
        judged[target.level] += 1
        return real(criteria, checks, target, *args, **kwargs)

    monkeypatch.setattr(scoring, "_results", counting)
    first = audit(brand, real_embedder)
    assert judged["conversation"] > 0
    judged.clear()
    again = audit(brand, real_embedder)
    assert outcome(again) == outcome(first)
    # judged again: only the kb page's answer and the units the finding names (the wrong reply
    # and its conversation)
    (finding,) = again.findings
    named = {e.answer_id for e in finding.evidence}
    rejudged = [a for a in again.answers if a.id in named or not a.conversation]
    assert judged["answer"] == len(rejudged)
    conversations = {e.conversation for e in finding.evidence if e.conversation}
    assert judged["conversation"] == len(conversations)


def test_kept_scores_give_way_when_a_finding_comes_to_name_their_unit(brand, real_embedder):
    write_day(brand, "day-1.jsonl", 0, 12)  # every reply says 30 days, as the page does
    first = audit(brand, real_embedder)
    assert first.findings == ()
    (brand / "kb" / "policies.md").write_text(
        "# Policies\n\n## Returns\n\nYou can return any item within 14 days of delivery.\n"
    )
    second = audit(brand, real_embedder)
    assert [f.kind for f in second.findings] == ["contradiction"]
    assert outcome(second) == outcome(audit(brand, real_embedder, cache=".cold-cache"))
    assert second.scores.run != first.scores.run


def test_a_chunk_no_finding_names_is_taken_whole_and_scores_as_a_cold_run(
    brand, real_embedder, monkeypatch
):
    from auditor.rubric import scoring

    # day 2 repeats the page's 30 days after the ten replies shown as evidence for it
    write_day(brand, "day-2.jsonl", 100, 10)
    audit(brand, real_embedder)
    write_day(brand, "day-3.jsonl", 200, 3, wrong={201})
    judged: list = []
    real = scoring._results

    def recording(criteria, checks, target, *args, **kwargs):
        judged.append(target)
        return real(criteria, checks, target, *args, **kwargs)

    monkeypatch.setattr(scoring, "_results", recording)
    warm = audit(brand, real_embedder)
    named = {e.answer_id for f in warm.findings for e in f.evidence}
    day_2 = {a.id for a in warm.answers if a.source.endswith("day-2.jsonl")}
    assert day_2 and named.isdisjoint(day_2)
    assert judged, "day 3's replies are judged"
    assert not any(set(t.answer_ids) & day_2 for t in judged)
    assert outcome(warm) == outcome(audit(brand, real_embedder, cache=".cold-cache"))
