"""Crawl speed: a generated 2,000-page site on loopback, crawled with politeness lifted.

    .venv/bin/python benchmarks/crawl.py [--pages 2000] [--concurrency 32]

Prints pages/second for a cold crawl, then the time of a second, conditional crawl against the
same cache and how many pages came back 304, then extract_html's pages/second over the pages.
The server runs in its own process (threaded, HTTP/1.1 keep-alive, Last-Modified and
If-Modified-Since as python's static file handler does them), so it does not share the GIL with
the crawler being measured.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor.config import WebChannel  # noqa: E402
from auditor.extract.html import extract_html  # noqa: E402
from auditor.model import Document  # noqa: E402
from auditor.sources import web  # noqa: E402
from auditor.sources.interface import SourceContext  # noqa: E402

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Page {n} | Benchmark Outfitters</title>
<link rel="canonical" href="/p/{n}.html"></head>
<body><header><nav><a href="/">Home</a> <a href="/p/0.html">First</a></nav></header>
<main><h1>Topic {n}</h1>
<p>Orders of type {n} ship within {days} business days. Returns are accepted for 30 days.</p>
<h2>Details</h2><ul><li>Item {n} costs ${price}.</li><li>Warranty: 2 years.</li></ul>
<details><summary>Can I return item {n}?</summary><p>Yes, within 30 days of delivery.</p></details>
<p>See also: {links}</p></main>
<footer><p>Founded in 1998. &copy; 2026 Benchmark Outfitters</p></footer></body></html>
"""


def generate(root: Path, pages: int, seed: int = 7) -> None:
    """`pages` pages, each linking to the next three and five random others."""
    rng = random.Random(seed)
    (root / "p").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (root / "index.html").write_text(
        PAGE.format(n="home", days=3, price=1, links='<a href="/p/0.html">start</a>')
    )
    for n in range(pages):
        targets = {(n + k) % pages for k in (1, 2, 3)} | {rng.randrange(pages) for _ in range(5)}
        links = " ".join(f'<a href="/p/{t}.html#top">{t}</a>' for t in sorted(targets))
        page = PAGE.format(n=n, days=2 + n % 5, price=10 + n % 90, links=links)
        (root / "p" / f"{n}.html").write_text(page)


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def send_response(self, code: int, message: str | None = None) -> None:
        with self.server.counts.get_lock():  # type: ignore[attr-defined]
            self.server.counts[0 if code == 304 else 1] += 1  # type: ignore[attr-defined]
        super().send_response(code, message)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(root: str, port, counts, ready) -> None:  # runs in a child process
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=root))
    server.daemon_threads = True
    server.counts = counts  # type: ignore[attr-defined]
    port.value = server.server_address[1]
    ready.set()
    server.serve_forever()


@contextmanager
def served(site: Path) -> Iterator[tuple[str, Any]]:
    """`site` served by `serve` in a child process: (base URL, [304 count, full count])."""
    port, counts = multiprocessing.Value("i", 0), multiprocessing.Array("i", [0, 0])
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(str(site), port, counts, ready))
    server.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port.value}", counts
    finally:
        server.terminate()
        server.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "cache"
        generate(site, args.pages)
        with served(site) as (url, counts):
            channel = WebChannel(
                name="bench",
                kind="web",
                start=[f"{url}/"],
                max_pages=args.pages + 10,
                max_depth=1000,
                concurrency=args.concurrency,
                delay=0,
            )
            context = SourceContext(root=Path(tmp), cache_dir=cache, quiet=True)
            began = time.perf_counter()
            first = list(web.collect(channel, context))
            cold = time.perf_counter() - began
            documents = [d for d in first if isinstance(d, Document)]
            rate = len(documents) / cold
            print(f"cold crawl: {len(documents)} pages in {cold:.2f} s = {rate:.0f} pages/s")
            counts[0] = counts[1] = 0
            began = time.perf_counter()
            second = list(web.collect(channel, context))
            warm = time.perf_counter() - began
            again = sum(isinstance(d, Document) for d in second)
            print(
                f"conditional crawl: {again} pages in {warm:.2f} s = {again / warm:.0f} pages/s;"
                f" {counts[0]} answered 304, {counts[1]} answered in full"
            )
        began = time.process_time()
        answers = sum(len(extract_html(d)[0]) for d in documents)
        spent = time.process_time() - began
        print(
            f"extract_html: {len(documents)} pages, {answers} answers in {spent:.2f} s CPU"
            f" = {len(documents) / spent:.0f} pages/s"
        )


if __name__ == "__main__":
    main()
