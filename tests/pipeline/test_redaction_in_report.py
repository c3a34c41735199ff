"""Personal data in transcripts never reaches report.json; the brand's own number does."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.config import load_config
from auditor.pipeline import RunOptions, run
from auditor.report.json import render

CONFIG = """\
brand: B
brand_contacts: {phones: ["1-800-555-0142"]}
channels:
  - {name: kb, kind: files, paths: ["kb/*.md"]}
  - {name: chat, kind: chat, paths: ["chats/*.jsonl"]}
authority: [kb, chat]
"""


def test_customer_details_are_redacted_and_brand_number_kept(tmp_path: Path, real_embedder):
    (tmp_path / "kb").mkdir()
    (tmp_path / "chats").mkdir()
    (tmp_path / "kb" / "refunds.md").write_text(
        "# Refunds\n\n## Timing\n\nRefunds are sent to your card within 5 days of the return."
        " Questions: call 1-800-555-0142.\n"
    )
    reply = (
        "Refunds are sent to your card within 14 days of the return; I noted card "
        "4111 1111 1111 1111 and jo.doe@example.com, and we'll call you on (415) 555-0199, "
        "or you call 1-800-555-0142."
    )
    conversation = {
        "id": "c-1",
        "messages": [
            {"role": "customer", "text": "I'm Jo, jo.doe@example.com, 415-555-0199. Refund?"},
            {"role": "agent", "text": reply},
        ],
    }
    (tmp_path / "chats" / "day.jsonl").write_text(json.dumps(conversation) + "\n")
    (tmp_path / "audit.yaml").write_text(CONFIG)
    result = run(
        load_config(tmp_path / "audit.yaml"),
        RunOptions(cache_dir=tmp_path / ".cache", embedder=real_embedder, score=False),
    )
    report = render(result)
    assert [f.kind for f in result.findings] == ["contradiction"]
    chat_text = [e.text for f in result.findings for e in f.evidence if e.channel == "chat"]
    assert chat_text and "14 days" in chat_text[0]
    for secret in ("jo.doe@example.com", "4111", "555-0199", "415"):
        assert secret not in report, secret
        assert all(secret not in a.text for a in result.answers), secret
    assert "1-800-555-0142" in chat_text[0]
