"""Accuracy on a labelled bench brand, measured the way a user runs auditor.

Serves the brand's site/ on a loopback port, runs `auditor audit` on its audit.yaml with SITE_URL
pointing there, and scores report.json against labels.yaml (../shared/bench/FORMAT.md): precision,
recall, F1 and negatives hit, per label kind and per fact kind, plus the labels still missed.

    python benchmarks/accuracy.py ../shared/bench/northwind [../shared/bench/cambridge-stays ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.demo import serve_site  # noqa: E402
from benchmarks.scoring import by_kind, matches, score  # noqa: E402


def run_brand(brand: Path, out: Path) -> tuple[dict, float]:
    with serve_site(brand / "site") as url:
        env = dict(os.environ, SITE_URL=url)
        start = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-m", "auditor.cli", "audit", "--config", str(brand / "audit.yaml"),
             "--out", str(out), "--format", "json", "--quiet"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"auditor audit failed on {brand} (exit {completed.returncode})")
    return json.loads((out / "report.json").read_text()), elapsed


def fact_kind_table(report: dict, labels: dict) -> dict[str, list[int]]:
    """(matched, reported) findings per fact kind the finding is about."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for finding in report["findings"]:
        if finding["kind"] not in ("contradiction", "promise_breach"):
            continue
        kind = finding.get("fact_kind") or "?"
        table[kind][1] += 1
        true = any(matches(label, finding) for label in labels["findings"]) and not any(
            matches(n, finding, is_negative=True) for n in labels.get("negatives", [])
        )
        table[kind][0] += int(true)
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("brands", nargs="+", type=Path)
    parser.add_argument("--show-false", action="store_true", help="print false findings")
    args = parser.parse_args()
    for brand in args.brands:
        labels = yaml.safe_load((brand / "labels.yaml").read_text())
        with tempfile.TemporaryDirectory() as tmp:
            report, elapsed = run_brand(brand, Path(tmp))
        result = score(report, labels)
        print(f"== {brand.name}: {len(report['findings'])} findings in {elapsed:.1f} s")
        print(
            f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}  "
            f"negatives hit {len(result.negatives_hit)} {sorted(result.negatives_hit)}"
        )
        for kind, (hit, total) in sorted(by_kind(result).items()):
            print(f"  labels {kind:15s} {hit}/{total}")
        for kind, (true, reported) in sorted(fact_kind_table(report, labels).items()):
            print(f"  findings about {kind:10s} {true}/{reported} true")
        missed = [label for label in result.labels if label["id"] not in result.matched_labels]
        for label in missed:
            print(f"  missed {label['id']} {label.get('topic', '')}: {label.get('note', '')}")
        if args.show_false:
            for finding in result.false_findings:
                print(f"  FALSE {finding['kind']} {finding['topic']!r}: {finding['summary']}")
                for item in finding["evidence"][:6]:
                    print(f"      {item['value']} | {item['source'][-40:]} {item['locator'][:30]}"
                          f" | {item['text'][:100]}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
