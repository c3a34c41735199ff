"""Import speed and memory of the chat source (issue 4), and redaction speed alone.

    python benchmarks/import.py [--conversations 200000] [--keep DIR]

Generates a realistic export (6-10 messages a conversation, agent macros repeated, customer
e-mails, phones, names and the odd card number) as generic JSONL and as CSV in a temporary
folder, then imports each in a fresh subprocess through `collect()` + `answers_from_conversation`
and prints conversations/second and the subprocess's peak resident memory (ru_maxrss). Then
times redaction alone over already-read conversations and prints messages/second.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST = ["Jane", "Omar", "Priya", "Lena", "Tom", "Rosa", "Kenji", "Ava", "Luis", "Mia"]
LAST = ["Doe", "Haddad", "Natarajan", "Ortiz", "Baker", "Diaz", "Sato", "Reid", "Moreno", "Wong"]
ITEMS = ["jacket", "boots", "backpack", "tent", "sleeping bag", "rain shell", "fleece"]
OPENERS = [
    "Hi, I'm {name}. Where is my order #{order}?",
    "Hello, my e-mail is {email} and I can't log in.",
    "Can you call me on {phone}? It's about a refund.",
    "I want to return my {item}. How long do I have?",
    "My card {card} was charged twice for order {order}.",
    "Do you ship to Canada? I live at {street}.",
    "How long does a refund take?",
]
FOLLOW_UPS = [
    "Thanks. And what about exchanges?",
    "Is delivery free?",
    "OK, can you send me a label to {email}?",
    "Great, thank you!",
    "What are your opening hours?",
]
MACROS = [
    "You can return unworn items within 30 days of delivery.",
    "Refunds reach your card within 5 business days.",
    "Standard delivery takes 3-5 business days; express arrives the next working day.",
    "Call us on 1-800-555-0142, 8am to 8pm, Monday to Saturday.",
    "Exchanges are free: start one from your order page.",
    "Delivery is free on orders over $50.",
    "Our stores open 9am to 6pm, and 10am to 4pm on Sundays.",
]
BOT = "Hi! I'm the Northwind assistant. An agent will be with you shortly."


def _conversation(rng: random.Random, n: int) -> dict:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    values = {
        "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}{n}@example.com",
        "phone": f"(415) 555-{n % 10000:04d}",
        "order": 100000 + n,
        "item": rng.choice(ITEMS),
        "card": "4111 1111 1111 1111",
        "street": f"{n % 900 + 10} Elm Street",
    }
    messages = [{"role": "bot", "text": BOT}] if rng.random() < 0.3 else []
    messages.append({"role": "customer", "text": rng.choice(OPENERS).format(**values)})
    messages.append({"role": "agent", "text": f"Hi {first}, thanks for contacting Northwind!"})
    target = rng.randint(6, 10)
    while len(messages) < target:
        if messages[-1]["role"] == "customer":
            if rng.random() < 0.03:
                messages.append({"role": "agent", "text": "You have 14 days to return it."})
                messages.append({"role": "agent", "text": "Sorry, I misspoke: it is 30 days."})
            else:
                messages.append({"role": "agent", "text": rng.choice(MACROS)})
        else:
            messages.append({"role": "customer", "text": rng.choice(FOLLOW_UPS).format(**values)})
    minute = n % 50
    for turn, message in enumerate(messages):
        message["timestamp"] = f"2026-10-01T{10 + n % 12:02d}:{minute + turn:02d}:00Z"
        if message["role"] == "agent":
            message["author"] = f"a-{n % 40}"
    return {
        "id": f"c-{n}",
        "agent": f"a-{n % 40}",
        "segment": rng.choice(["member", "guest"]),
        "customer": values["name"],
        "messages": messages,
    }


def generate(folder: Path, count: int) -> dict[str, Path]:
    rng = random.Random(4)
    jsonl, table = folder / "chats.jsonl", folder / "chats.csv"
    with jsonl.open("w") as out_json, table.open("w", newline="") as out_csv:
        writer = csv.writer(out_csv)
        writer.writerow(["conversation_id", "timestamp", "sender", "message", "agent", "segment"])
        for n in range(count):
            record = _conversation(rng, n)
            out_json.write(json.dumps(record) + "\n")
            for m in record["messages"]:
                agent = m.get("author", "")
                writer.writerow(
                    [record["id"], m["timestamp"], m["role"], m["text"], agent, record["segment"]]
                )
    return {"generic": jsonl, "csv": table}


def run_one(path: str) -> None:
    """In the subprocess: import one file, print a JSON line of figures."""
    from auditor.config import ChatChannel
    from auditor.extract.transcript import answers_from_conversation
    from auditor.model import Conversation
    from auditor.sources.chat import collect
    from auditor.sources.interface import SourceContext

    context = SourceContext(
        root=Path(path).parent,
        cache_dir=Path(path).parent,
        brand_phones=("(800) 555-0142",),
        brand_emails=("support@northwind.example",),
    )
    channel = ChatChannel(name="chat", kind="chat", paths=[path])
    conversations = answers = skipped = messages = 0
    start = time.perf_counter()
    for item in collect(channel, context):
        if isinstance(item, Conversation):
            conversations += 1
            messages += len(item.messages)
            answers += len(answers_from_conversation(item, "chat"))
        else:
            skipped += 1
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "conversations": conversations,
        "messages": messages,
        "answers": answers,
        "skipped": skipped,
        "seconds": round(seconds, 1),
        "conversations_per_s": round(conversations / seconds),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }
    print(json.dumps(figures))


def redaction_rate(path: Path, count: int) -> dict:
    """Messages/second of `Redactor.conversation` alone, over conversations already read."""
    from auditor.config import ChatChannel
    from auditor.redact import Redactor, detect
    from auditor.sources.chat import generic
    from auditor.sources.chat.interface import Transcript
    from auditor.sources.interface import SourceContext

    context = SourceContext(root=path.parent, cache_dir=path.parent)
    channel = ChatChannel(name="chat", kind="chat", paths=[str(path)])
    transcripts = []
    for item in generic.read(path, channel, context):
        if isinstance(item, Transcript):
            transcripts.append(item)
            if len(transcripts) == count:
                break
    redactor = Redactor(["(800) 555-0142"], ["support@northwind.example"])
    detect.cache_clear()
    messages = sum(len(t.conversation.messages) for t in transcripts)
    start = time.perf_counter()
    for t in transcripts:
        redactor.conversation(t.conversation, t.customer_names, t.customer_contacts)
    seconds = time.perf_counter() - start
    return {
        "messages": messages,
        "seconds": round(seconds, 2),
        "messages_per_s": round(messages / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="write the exports here and keep them")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # the subprocess entry point
    args = parser.parse_args()
    if args.run:
        run_one(args.run)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        files = generate(folder, args.conversations)
        print(
            f"generated {args.conversations} conversations in {time.perf_counter() - start:.0f} s"
        )
        for name, path in files.items():
            size = path.stat().st_size / 2**20
            result = subprocess.run(
                [sys.executable, __file__, "--run", str(path)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            print(f"{name:8} {size:7.1f} MiB  " + "  ".join(f"{k}={v}" for k, v in figures.items()))
        rate = redaction_rate(files["generic"], min(args.conversations, 20_000))
        print("redaction alone: " + "  ".join(f"{k}={v}" for k, v in rate.items()))


if __name__ == "__main__":
    main()
