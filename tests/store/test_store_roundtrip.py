"""load() gives back what save() was given: enough to render every report again, identically."""

from __future__ import annotations

import dataclasses

import pytest
from store_builders import rich_result

from auditor.errors import StoreError
from auditor.report import FORMATS
from auditor.store import Store
from auditor.store._codec import text_hash


def test_load_returns_the_saved_run_field_for_field(store: Store) -> None:
    saved = rich_result()
    store.save(saved)
    loaded = store.load(saved.run.id)
    assert loaded.run == saved.run
    assert loaded.findings == saved.findings
    assert loaded.scores == saved.scores
    assert list(loaded.scores.channels) == list(saved.scores.channels)  # order kept
    assert loaded.skipped == saved.skipped
    assert loaded.channels == saved.channels
    assert loaded.timings == saved.timings
    # answers come back whole, text and line map included, so a later gate can re-audit them
    assert loaded.answers == saved.answers
    assert loaded.statements == ()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_loaded_run_renders_the_same_report(store: Store, fmt: str) -> None:
    saved = rich_result()
    store.save(saved)
    _, render = FORMATS[fmt]
    assert render(store.load(saved.run.id)) == render(saved)


def test_answers_keep_a_hash_of_their_text(store: Store) -> None:
    saved = rich_result()
    store.save(saved)
    rows = store._db.query(  # type: ignore[attr-defined]
        "SELECT answer_id, text_hash FROM answers WHERE run_id = ? ORDER BY position",
        (saved.run.id,),
    )
    assert rows == [(a.id, text_hash(a.text)) for a in saved.answers]


def test_loading_an_unknown_run_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no stored run nope"):
        store.load("nope")


def test_a_reopened_store_still_holds_the_run(store: Store, open_url) -> None:
    saved = rich_result()
    store.save(saved)
    store.close()
    with open_url() as again:
        assert again.load(saved.run.id).findings == saved.findings


def test_rows_saved_before_texts_were_kept_read_back_with_empty_text(store: Store) -> None:
    saved = rich_result()
    store.save(saved)
    # what migration 0003 leaves in the rows of runs saved before it
    with store._db.transaction(write=True):  # type: ignore[attr-defined]
        store._db.execute(  # type: ignore[attr-defined]
            "UPDATE answers SET text = NULL, line_map_json = NULL WHERE run_id = ?",
            (saved.run.id,),
        )
    loaded = store.load(saved.run.id)
    assert loaded.answers == tuple(
        dataclasses.replace(a, text="", line_map=()) for a in saved.answers
    )
    assert loaded.findings == saved.findings
