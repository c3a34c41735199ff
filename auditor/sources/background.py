"""Network channels crawled in a worker process while this one reads the local channels.

A crawl waits on servers (politeness delays, latency) and, on a fast network, spends its CPU in
the HTTP client; reading a large chat export is CPU work of this process. On two cores they
overlap: a nightly re-run with a 2,000-page site and 100,000 kept conversations spends about 6 s
in each. The worker is a fresh interpreter (`python -m auditor.sources.background`), not a fork,
which would inherit the threads of torch and SQLite, nor a multiprocessing spawn, which would
run the caller's main script again. It costs about a second to start, so it is used only
where the local channels hold enough to hide it (`worth_it`).

The channels and the context go to the worker's stdin, pickled; each channel's result comes
back on its stdout in order, pickled: ("items", [Document | Skipped, ...]) or ("error", exc).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from auditor.errors import SourceError
from auditor.sources import SOURCES
from auditor.sources.interface import Collected, SourceContext

NETWORK_KINDS = frozenset({"web", "helpcenter"})
# local inputs below this many bytes are read in less time than a worker takes to start
WORTH_IT_BYTES = 16 * 2**20


def worth_it(channels: Sequence, root: Path) -> bool:
    """Whether crawling aside pays: a network channel, and local chat exports large enough."""
    from auditor.sources.chat import expand

    if not any(c.kind in NETWORK_KINDS for c in channels):
        return False
    local = 0
    for channel in channels:
        if channel.kind == "chat":
            paths, _ = expand(channel.paths, root)
            local += sum(p.stat().st_size for p in paths if p.is_file())
    return local >= WORTH_IT_BYTES


class Crawls:
    """The results of a worker's crawls, taken in the order they were asked for."""

    def __init__(self, names: list[str], results: BinaryIO | None, pid: int | None = None) -> None:
        self.pid = pid  # the worker's process id
        self._pending = names
        self._results = results
        self._taken: dict[str, list[Collected]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._pending or name in self._taken

    def get(self, name: str) -> list[Collected]:
        """The channel's Documents and Skipped; the crawl's error is raised again here."""
        while name not in self._taken:
            assert self._results is not None
            try:
                outcome, value = pickle.load(self._results)
            except (EOFError, pickle.UnpicklingError) as exc:
                raise SourceError(self._pending[0], "the crawl's worker process died") from exc
            if outcome == "error":
                raise value
            self._taken[self._pending.pop(0)] = value
        return self._taken.pop(name)


@contextmanager
def crawled_aside(channels: Sequence, context: SourceContext) -> Iterator[Crawls]:
    """Start crawling `channels`, in order, in one worker process. Leaving the block stops the
    worker if it is still at work (an error in this process)."""
    if not channels:
        yield Crawls([], None)
        return
    # the worker imports this package from where this process did
    package_root = str(Path(__file__).resolve().parents[2])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "auditor.sources.background"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    assert worker.stdin is not None and worker.stdout is not None
    try:
        with worker.stdin:
            pickle.dump((list(channels), context), worker.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        yield Crawls([c.name for c in channels], worker.stdout, worker.pid)
    finally:
        worker.kill()  # done, or no longer wanted
        worker.wait()
        worker.stdout.close()


def _serve(requests: BinaryIO, results: BinaryIO) -> None:
    channels, context = pickle.load(requests)
    for channel in channels:
        try:
            outcome: tuple = ("items", list(SOURCES[channel.kind](channel, context)))
        except Exception as exc:  # raised again in the audit's process
            outcome = ("error", exc)
        pickle.dump(outcome, results, protocol=pickle.HIGHEST_PROTOCOL)
        results.flush()


def _die_with_parent() -> None:
    # a killed audit must not leave its crawl running, writing the HTTP cache the next run reads
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before that took hold
            os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the audit's to handle


if __name__ == "__main__":
    _die_with_parent()
    # results travel on the real stdout; anything printed goes to stderr instead
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _serve(sys.stdin.buffer, results)
    results.close()
