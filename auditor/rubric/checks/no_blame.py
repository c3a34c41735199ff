"""`no_blame`: no sentence blames the customer ("you should have read", "your fault").

Phrases and patterns catch the common wordings. "You should have" alone is not blame ("you
should have received an email"), so it counts only before a verb of reproach. Exemplars are an
optional semantic net for wordings the lists miss; they cost an embedding per sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import Field

from auditor.rubric.checks.interface import (
    Check,
    Context,
    Embeddings,
    Outcome,
    Params,
    Pattern,
    Phrase,
    Target,
    clip,
)
from auditor.rubric.checks.semantic import ExemplarMatcher
from auditor.rubric.text import compile_pattern, normalize, phrase_regex, sentences

BLAME_PHRASES = (
    "your fault",
    "you failed to",
    "you forgot to",
    "you neglected to",
    "you were supposed to",
    "you didn't read",
    "you did not read",
    "you should know",
    "you should have known",
    "you obviously",
    "that's on you",
    "not our fault",
    "not our problem",
    "as I already said",
    "as I said before",
    "as I already told you",
    "as I already explained",
    "as I've already explained",
    "as I have already explained",
    "like I said",
)
_REPROACH_VERBS = (
    "read|checked|known|done|kept|paid|asked|called|contacted|followed|noticed|looked|ordered"
    "|measured|reviewed|waited|confirmed|cancell?ed|tracked|reported|saved|listened"
    "|thought|chosen|selected|entered|updated|double-checked"
)
BLAME_PATTERNS = (rf"\byou(?: \w+ly)? should(?:'ve| have)(?: \w+ly)? (?:{_REPROACH_VERBS})\b",)


class NoBlameParams(Params):
    phrases: tuple[Phrase, ...] = BLAME_PHRASES
    patterns: tuple[Pattern, ...] = BLAME_PATTERNS
    exemplars: tuple[Phrase, ...] = ()
    threshold: float = Field(0.75, gt=0, le=1)


class NoBlame(Check[NoBlameParams]):
    params_model = NoBlameParams
    summary = "no sentence blames the customer (phrases, patterns, optional exemplars)"

    def __init__(self, params: NoBlameParams):
        super().__init__(params)
        self._phrases = phrase_regex(params.phrases)
        self._patterns = [compile_pattern(p) for p in params.patterns]
        self._matcher = ExemplarMatcher(params.exemplars) if params.exemplars else None

    def texts_to_embed(self, targets: Sequence[Target]) -> Iterable[str]:
        return self._matcher.texts(targets) if self._matcher else ()

    def prepare(self, embeddings: Embeddings) -> None:
        if self._matcher:
            self._matcher.prepare(embeddings)

    def evaluate(self, target: Target, context: Context) -> Outcome:
        text = normalize(target.text)
        for pattern in ([self._phrases] if self._phrases else []) + self._patterns:
            match = pattern.search(text)
            if match:
                return Outcome(False, f"says '{match.group(0)}'")
        said = sentences(target.text) if self._matcher else ()
        if self._matcher and said:
            similarity, sentence, _ = self._matcher.best(said)
            if similarity >= self.params.threshold:
                return Outcome(False, f"{similarity:.2f}: '{clip(sentence)}' reads as blame")
        return Outcome(True)
