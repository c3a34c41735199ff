"""The accuracy gate: the labelled bench brands, audited as a user would, must keep their F1 above
a pinned floor with no negative hit (benchmarks/accuracy.py prints the full figures). The same
floors hold with every claim group forced onto the approximate nearest-neighbour index that
large groups use (docs/scaling.md): approximate search may not cost a label or add a false one
past the floor."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from auditor.compare.disagree import Thresholds
from auditor.config import load_config
from auditor.demo import serve_site
from auditor.pipeline import RunOptions, run
from auditor.report.json import as_dict
from benchmarks.scoring import score

BENCH = Path(__file__).resolve().parents[2].parent / "shared" / "bench"
F1_FLOOR = {"northwind": 0.93, "cambridge-stays": 0.80}
PRECISION_FLOOR = {"northwind": 0.95, "cambridge-stays": 0.85}
NEGATIVES_ALLOWED = {"northwind": 0, "cambridge-stays": 0}


INDEXES = {"exact": Thresholds(), "approximate": Thresholds(exact_up_to=0)}


@pytest.mark.parametrize("index", sorted(INDEXES))
@pytest.mark.parametrize("brand", sorted(F1_FLOOR))
def test_bench_brand_stays_above_the_floor(
    brand: str, index: str, tmp_path: Path, real_embedder
) -> None:
    folder = BENCH / brand
    if not (folder / "labels.yaml").is_file():
        pytest.skip(f"the shared bench brand {brand} is not beside this checkout")
    labels = yaml.safe_load((folder / "labels.yaml").read_text())
    with serve_site(folder / "site") as url:
        previous = os.environ.get("SITE_URL")
        os.environ["SITE_URL"] = url
        try:
            config = load_config(folder / "audit.yaml")
            options = RunOptions(
                cache_dir=tmp_path, embedder=real_embedder, thresholds=INDEXES[index]
            )
            result = run(config, options)
        finally:
            if previous is None:
                os.environ.pop("SITE_URL")
            else:
                os.environ["SITE_URL"] = previous
    measured = score(as_dict(result), labels)
    assert len(measured.negatives_hit) <= NEGATIVES_ALLOWED[brand], sorted(measured.negatives_hit)
    assert measured.precision >= PRECISION_FLOOR[brand], measured.precision
    assert measured.f1 >= F1_FLOOR[brand], (measured.f1, sorted(measured.matched_labels))
