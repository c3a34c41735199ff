"""Scale: a generated brand with many conversations (agent macros repeated, as in real exports)
and a many-page site, audited in this process. Prints per-stage times and peak memory for a cold
run, then for a re-run with 1% new conversations. Asserts nothing (issue 7's targets: 100,000
conversations and 2,000 pages under 10 minutes and 4 GB on 2 cores; the re-run under 10% of
the cold time). The ratio is of `pipeline.run`, the audit; saving each run to a SQLite store,
as `auditor audit` does, is timed and printed apart.

    python benchmarks/scale.py --conversations 100000 --pages 2000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.config import load_config  # noqa: E402
from auditor.pipeline import RunOptions, run  # noqa: E402
from auditor.store import open_store  # noqa: E402
from benchmarks.crawl import generate as generate_site  # noqa: E402
from benchmarks.crawl import served  # noqa: E402

MACROS = [
    "You can return any item within {window} days of delivery, free of charge.",
    "Refunds are processed within 5-7 business days after the return arrives.",
    "Standard shipping takes 3-5 business days within the US.",
    "Express shipping costs $15 and arrives in 1-2 business days.",
    "Our support team is available 24/7 by chat and phone.",
    "Gift cards never expire.",
    "Members get 10% off full-price gear.",
    "Orders can be cancelled within 1 hour of placing them.",
    "You can reach us on 1-800-555-0142 or help@example.test.",
    "All our gear is covered by a 2-year warranty.",
]
QUESTIONS = [
    "How long do I have to return this?", "When will I get my refund?", "How long is shipping?",
    "How much is express?", "Are you open at night?", "Do gift cards expire?",
    "What discount do members get?", "Can I cancel my order?", "How do I contact you?",
    "What's the warranty?",
]  # fmt: skip
FILLER = ["Hi! How can I help today?", "Let me check that for you.", "Anything else I can do?"]


def write_chats(path: Path, count: int, start: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(start, start + count):
            messages = [{"role": "agent", "text": rng.choice(FILLER)}]
            for _ in range(rng.randint(2, 4)):
                topic = rng.randrange(len(MACROS))
                window = 14 if rng.random() < 0.002 else 30  # a rare wrong macro
                messages.append({"role": "customer", "text": QUESTIONS[topic]})
                messages.append({"role": "agent", "text": MACROS[topic].format(window=window)})
            record = {"id": f"c-{n:07d}", "agent": f"a-{n % 40:02d}", "messages": messages}
            out.write(json.dumps(record) + "\n")


def write_brand(root: Path, conversations: int, pages: int) -> None:
    (root / "kb").mkdir(parents=True)
    (root / "chats").mkdir()
    generate_site(root / "site", pages)
    (root / "kb" / "policies.md").write_text(
        "# Policies\n\n## Returns\n\nYou can return any item within 30 days of delivery.\n\n"
        "## Support\n\nOur support team is available 24/7 by chat and phone.\n"
    )
    write_chats(root / "chats" / "day-1.jsonl", conversations, 0, seed=1)
    (root / "audit.yaml").write_text(
        "brand: Scale Test\nchannels:\n"
        "  - {name: website, kind: web, start: ['${SITE_URL}/'], max_pages: 100000,"
        " concurrency: 16}\n"
        "  - {name: knowledge-base, kind: files, paths: ['kb/*.md']}\n"
        "  - {name: chat, kind: chat, paths: ['chats/*.jsonl'], format: generic}\n"
        "authority: [website, knowledge-base, chat]\n"
    )


def audit(root: Path, label: str) -> float:
    start = time.perf_counter()
    result = run(load_config(root / "audit.yaml"), RunOptions(cache_dir=root / ".cache"))
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in result.timings.items())
    print(f"{label}: {elapsed:.1f} s, peak RSS {peak:.0f} MiB, {len(result.answers)} answers, "
          f"{len(result.findings)} findings")  # fmt: skip
    print(f"  stages: {stages}")
    store = open_store("sqlite:///runs.sqlite", root)
    saving = time.perf_counter()
    store.save(result)
    print(f"  saved to the run store in {time.perf_counter() - saving:.1f} s (not in the ratio)")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "brand"
        write_brand(root, args.conversations, args.pages)
        # the site is served from another process, as a real one is: not sharing our GIL
        with served(root / "site") as (url, _):
            os.environ["SITE_URL"] = url
            cold = audit(root, "cold")
            new = max(1, args.conversations // 100)
            write_chats(root / "chats" / "day-2.jsonl", new, args.conversations, seed=2)
            warm = audit(root, f"re-run with {new} new conversations")
        print(f"re-run / cold: {warm / cold:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
