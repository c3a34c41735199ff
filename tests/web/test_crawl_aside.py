"""Network channels crawled in a worker process (`sources.background`) give what a crawl in
the audit's own process gives, in the same order; the worker's errors and death reach the
audit; a worker no longer wanted is stopped."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from loopback import Reply

from auditor.config import load_config
from auditor.errors import ConfigError, InputError, SourceError, StoreError
from auditor.pipeline import _Timer, collect
from auditor.sources import background
from auditor.sources.interface import SourceContext


def _brand(root: Path, url: str) -> Path:
    (root / "chats").mkdir(parents=True)
    lines = [
        json.dumps(
            {
                "id": f"c-{n}",
                "messages": [
                    {"role": "customer", "text": "How long do I have to return it?"},
                    {"role": "agent", "text": f"You can return it within {14 + n} days."},
                ],
            }
        )
        for n in range(3)
    ]
    (root / "chats" / "day-1.jsonl").write_text("\n".join(lines) + "\n")
    (root / "audit.yaml").write_text(
        "brand: Lantern\n"
        "channels:\n"
        f"  - {{name: site, kind: web, start: ['{url}/'], max_pages: 50}}\n"
        "  - {name: chat, kind: chat, paths: ['chats/*.jsonl'], format: generic}\n"
        "authority: [site, chat]\n"
    )
    return root / "audit.yaml"


def _collected(config_path: Path, cache: Path, aside: bool) -> tuple:
    config = load_config(config_path)
    context = SourceContext(root=config.root, cache_dir=cache, quiet=True)
    got = collect(config, context, _Timer(), crawl_aside=aside)
    return (
        got.documents,
        [(name, c.id, c.messages) for name, c in got.conversations],
        got.skipped,
    )


def test_a_crawl_aside_collects_what_a_crawl_here_does(serve, tmp_path):
    site = serve("lantern")
    config_path = _brand(tmp_path / "brand", site.url)
    here = _collected(config_path, tmp_path / "cache-here", aside=False)
    aside = _collected(config_path, tmp_path / "cache-aside", aside=True)
    assert here[0], "the fixture site yields documents"
    assert here == aside


def test_worth_it_only_with_a_network_channel_and_large_local_exports(serve, tmp_path, monkeypatch):
    site = serve("lantern")
    config = load_config(_brand(tmp_path / "brand", site.url))
    assert not background.worth_it(config.channels, config.root)  # a few hundred bytes
    monkeypatch.setattr(background, "WORTH_IT_BYTES", 100)
    assert background.worth_it(config.channels, config.root)
    local_only = [c for c in config.channels if c.kind == "chat"]
    assert not background.worth_it(local_only, config.root)


@pytest.mark.parametrize(
    "error",
    [
        ConfigError("audit.yaml", "bad key", line=3, key="channels.0"),
        InputError("chats/a.jsonl", "binary data", line=7),
        SourceError("https://example.test/", "cannot connect"),
        StoreError("runs.sqlite", "newer schema"),
    ],
)
def test_errors_keep_their_fields_across_processes(error):
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert vars(again) == vars(error)
    assert again.message() == error.message() and str(again) == str(error)


def test_a_dead_worker_is_an_error_naming_the_channel_start(serve, tmp_path):
    site = serve(routes={"/": Reply(body="<p>slow</p>", delay=3.0)})
    config = load_config(_brand(tmp_path / "brand", site.url))
    network = [c for c in config.channels if c.kind == "web"]
    context = SourceContext(root=config.root, cache_dir=tmp_path / "cache", quiet=True)
    with background.crawled_aside(network, context) as crawls:
        os.kill(crawls.pid, 9)
        with pytest.raises(SourceError, match="worker process died"):
            crawls.get("site")


def test_leaving_early_stops_the_worker(serve, tmp_path):
    site = serve(routes={"/": Reply(body="<p>slow</p>", delay=3.0)})
    config = load_config(_brand(tmp_path / "brand", site.url))
    network = [c for c in config.channels if c.kind == "web"]
    context = SourceContext(root=config.root, cache_dir=tmp_path / "cache", quiet=True)
    with pytest.raises(KeyError), background.crawled_aside(network, context) as crawls:
        pid = crawls.pid
        raise KeyError("an error in the audit's own process")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # reaped: no such process


def test_an_audit_crawling_aside_equals_one_crawling_here(serve, tmp_path, real_embedder):
    from auditor.pipeline import RunOptions, run

    site = serve("lantern")
    config = load_config(_brand(tmp_path / "brand", site.url))

    def audit(aside: bool, cache: str):
        options = RunOptions(cache_dir=tmp_path / cache, embedder=real_embedder, crawl_aside=aside)
        result = run(config, options)
        return (
            [(f.id, f.summary, f.evidence) for f in result.findings],
            result.answers,
            result.statements,
            result.scores,
            sorted(result.skipped, key=repr),
        )

    here = audit(False, "cache-here")
    assert here[1], "pages and replies give answers"
    assert audit(True, "cache-aside") == here
    assert audit(True, "cache-aside") == here  # again, from kept work
