"""`has_link`: the answer gives a link: a URL, a www. address, a Markdown or an HTML link."""

from __future__ import annotations

import re

from auditor.rubric.checks.interface import Check, Context, NoParams, Outcome, Target

_LINK = re.compile(
    r"\bhttps?://[^\s<>\"']+"
    r"|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+"
    r"|\[[^\]\n]+\]\([^)\s]+\)"  # Markdown [text](target), relative targets included
    r"|<a\s[^>]*\bhref\s*=",
    re.IGNORECASE,
)


class HasLink(Check[NoParams]):
    params_model = NoParams
    summary = "gives a link (URL, www address, Markdown or HTML link)"

    def evaluate(self, target: Target, context: Context) -> Outcome:
        match = _LINK.search(target.text)
        if match:
            return Outcome(True, f"links {match.group(0)[:80]}")
        return Outcome(False, "no link")
