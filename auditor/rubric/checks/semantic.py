"""`semantic`: some sentence of the answer means what one of the exemplars means.

With `only_if_customer_says`, it applies only when the customer said one of those phrases.

The score is the highest cosine similarity between any of the answer's sentences and any
exemplar; vectors come from the run's single embedding batch (see `Check.prepare`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from pydantic import Field

from auditor.rubric.checks.interface import (
    Check,
    Context,
    CustomerGate,
    Embeddings,
    Outcome,
    Params,
    Phrase,
    Target,
    clip,
)
from auditor.rubric.text import sentences


class ExemplarMatcher:
    """Each embedded text's best similarity to a set of exemplars, computed for the batch at once
    (one matrix product) so that per-answer work is a dictionary look-up."""

    def __init__(self, exemplars: Sequence[str]):
        self.exemplars = tuple(exemplars)
        self._index: dict[str, int] = {}
        self._best = np.zeros(0, dtype=np.float32)
        self._which = np.zeros(0, dtype=np.int64)

    def texts(self, targets: Sequence[Target]) -> Iterable[str]:
        yield from self.exemplars
        for target in targets:
            yield from sentences(target.text)

    def prepare(self, embeddings: Embeddings) -> None:
        similarities = embeddings.matrix @ embeddings.of(self.exemplars).T
        self._index = embeddings.index
        self._best = similarities.max(axis=1)
        self._which = similarities.argmax(axis=1)

    def best(self, sentences: Sequence[str]) -> tuple[float, str, str]:
        """(similarity, sentence, exemplar) for the sentence closest to an exemplar."""
        rows = [self._index[sentence] for sentence in sentences]
        scores = self._best[rows]
        top = int(scores.argmax())
        exemplar = self.exemplars[int(self._which[rows[top]])]
        return float(scores[top]), sentences[top], exemplar


class SemanticParams(Params):
    exemplars: tuple[Phrase, ...] = Field(min_length=1)
    threshold: float = Field(0.5, gt=0, le=1)
    only_if_customer_says: tuple[Phrase, ...] = ()


class Semantic(Check[SemanticParams]):
    params_model = SemanticParams
    summary = "a sentence is close in meaning to an exemplar (cosine >= threshold)"

    def __init__(self, params: SemanticParams):
        super().__init__(params)
        self._matcher = ExemplarMatcher(params.exemplars)
        self._gate = CustomerGate(params.only_if_customer_says)

    def texts_to_embed(self, targets: Sequence[Target]) -> Iterable[str]:
        judged = [t for t in targets if self._gate.closed(t) is None]
        return self._matcher.texts(judged) if judged else ()

    def prepare(self, embeddings: Embeddings) -> None:
        self._matcher.prepare(embeddings)

    def evaluate(self, target: Target, context: Context) -> Outcome:
        closed = self._gate.closed(target)
        if closed:
            return closed
        said = sentences(target.text)
        if not said:
            return Outcome(None, "no sentences")
        similarity, sentence, exemplar = self._matcher.best(said)
        detail = f"{similarity:.2f}: '{clip(sentence)}' ~ '{clip(exemplar)}'"
        return Outcome(similarity >= self.params.threshold, detail)
