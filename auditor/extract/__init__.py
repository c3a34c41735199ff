"""Extract: documents -> answers, conversations -> answers (one per brand reply)."""

from __future__ import annotations

from auditor.model import Answer, Document, Skipped


def answers_from_document(document: Document) -> tuple[list[Answer], list[Skipped]]:
    """Dispatch on content type: HTML pages and Markdown files have their own extractors."""
    if document.content_type == "text/html":
        from auditor.extract.html import extract_html

        return extract_html(document)
    from auditor.extract.markdown import extract_markdown

    return extract_markdown(document)
