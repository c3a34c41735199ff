"""Speed of the comparator on a bench brand (issue 8). Prints figures; asserts nothing.

1. Embedding throughput inside the pipeline (CachedEmbedder over an empty cache, the way a cold
   audit embeds) against a bare SentenceTransformer.encode of the same sentences in the same
   process, and which precision path ran (bf16 where the CPU has native bf16 and the vectors
   keep cosine >= 0.999 with fp32).
2. How many sentences were embedded against how many statements exist (only statements with a
   value or a yes/no are embedded, each distinct masked text once).
3. A cold `auditor audit` (fresh cache, model load included) and a warm re-run (nothing changed),
   each as a separate process the way a user runs it.

    python benchmarks/speed.py ../shared/bench/northwind
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.compare import all_claims  # noqa: E402
from auditor.compare.embedder import (  # noqa: E402
    CachedEmbedder,
    SentenceTransformerEmbedder,
    bf16_supported,
)
from auditor.config import load_config  # noqa: E402
from auditor.demo import serve_site  # noqa: E402
from auditor.facts import statements_for  # noqa: E402
from auditor.pipeline import _Timer, collect, promise_answers  # noqa: E402
from auditor.sources import SourceContext  # noqa: E402


def brand_contexts(brand: Path, cache: Path) -> tuple[list[str], int, int]:
    from auditor.extract import answers_from_document
    from auditor.extract.transcript import answers_from_conversation

    config = load_config(brand / "audit.yaml")
    context = SourceContext(root=config.root, cache_dir=cache)
    collected = collect(config, context, _Timer())
    answers = [a for d in collected.documents for a in answers_from_document(d)[0]]
    answers += [a for ch, c in collected.conversations for a in answers_from_conversation(c, ch)]
    answers += promise_answers(config)
    statements = {a.id: statements_for(a) for a in answers}
    claims = all_claims(answers, statements)
    total = sum(len(s) for s in statements.values())
    contexts = list(dict.fromkeys(c.context for c in claims))
    return contexts, total, len(claims)


def throughput(encode, texts: list[str], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        encode(texts)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def timed_audit(brand: Path, url: str, cache: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "auditor.cli", "audit", "--config", str(brand / "audit.yaml"),
         "--out", str(out), "--quiet", "--cache-dir", str(cache)],
        env=dict(os.environ, SITE_URL=url), check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("brand", type=Path)
    args = parser.parse_args()
    brand = args.brand.resolve()
    with tempfile.TemporaryDirectory() as tmp, serve_site(brand / "site") as url:
        os.environ["SITE_URL"] = url
        tmp_path = Path(tmp)
        contexts, statements, claims = brand_contexts(brand, tmp_path / "crawl")
        print(f"statements {statements}, claims {claims}, distinct texts embedded {len(contexts)}")

        fp32 = SentenceTransformerEmbedder(precision="fp32")
        print(f"CPU bf16 support: {bf16_supported()}")
        path = "fp32"
        if bf16_supported():
            bf16 = SentenceTransformerEmbedder(precision="bf16")
            a, b = fp32.encode(contexts), bf16.encode(contexts)
            cosine = float(np.min(np.sum(a * b, axis=1)))
            print(f"bf16 vs fp32: minimum cosine {cosine:.5f}")
            path = "bf16" if cosine >= 0.999 else "fp32"
        model = SentenceTransformerEmbedder(precision=path)
        print(f"path that runs: {path} (the pipeline's 'auto' picks the same)")
        bare = throughput(lambda t: model.model.encode(list(t), batch_size=64), contexts)

        def pipeline_encode(texts: list[str]) -> None:
            cache = tmp_path / f"emb-{time.perf_counter_ns()}.sqlite"
            CachedEmbedder(model, cache).encode(texts)

        inside = throughput(pipeline_encode, contexts)
        print(f"bare encode: {bare:.0f} sentences/s")
        print(
            f"pipeline embed (cold cache): {inside:.0f} sentences/s = {inside / bare:.0%} of bare"
        )

        cold = timed_audit(brand, url, tmp_path / "cache", tmp_path / "out")
        warm = timed_audit(brand, url, tmp_path / "cache", tmp_path / "out")
        print(f"cold audit (model load included): {cold:.1f} s")
        print(f"warm re-run, nothing changed: {warm:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
