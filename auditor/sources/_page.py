"""One HTTP response as an HTML page: is it HTML at all, its text, its links, its metadata.

Also the URL key every crawled URL is de-duplicated by (`canonical_url`).
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from w3lib.encoding import html_to_unicode
from w3lib.url import canonicalize_url

from auditor.sources._http import Fetched

HTML_TYPES = ("text/html", "application/xhtml+xml")
_TRACKING = re.compile(r"(utm_[^=&]*|gclid|fbclid|msclkid|dclid|mc_cid|mc_eid)(=|$)", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Magic numbers of formats that servers mislabel as HTML (a PDF saved as page.html, ...).
_BINARY_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x89PNG", "PNG"),
    (b"GIF8", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x1f\x8b", "gzip"),
    (b"RIFF", "RIFF"),
    (b"\x7fELF", "executable"),
)


@functools.lru_cache(maxsize=65536)  # nav and footer links repeat on every page
def canonical_url(url: str) -> str | None:
    """The key a URL is de-duplicated by, or None when it is not an http(s) URL.

    Lowercased scheme and host, no default port, no fragment, sorted query, and no tracking
    parameters (utm_*, gclid, fbclid and kin).
    """
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
            return None
        port = parts.port
    except ValueError:
        return None
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING.match(p))
    netloc = parts.hostname.lower()
    if ":" in netloc:
        netloc = f"[{netloc}]"  # an IPv6 literal keeps its brackets
    if port is not None and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        netloc = f"{netloc}:{port}"
    try:
        return canonicalize_url(urlunsplit((parts.scheme.lower(), netloc, parts.path, query, "")))
    except ValueError:
        return None


def not_html(result: Fetched) -> str | None:
    """Why a response is not an HTML page, by Content-Type first, then by sniffing the bytes."""
    content_type = result.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        return f"not HTML ({content_type})"
    head = result.body[:1024]
    if not head.strip():
        return "empty page"
    for magic, name in _BINARY_MAGIC:
        if head.startswith(magic):
            return f"not HTML (binary content: {name})"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "not HTML (binary content)"  # UTF-16 has NULs too, but starts with a BOM
    return None


def _guess_encoding(body: bytes) -> str:
    # No charset in the header or a <meta>: valid UTF-8 almost never happens by accident;
    # otherwise the web's de facto default (WHATWG: windows-1252 for "latin1" too).
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def parse(text: str) -> lxml.html.HtmlElement | None:
    # Bytes with a declared encoding: lxml rejects str input that has an XML declaration.
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None


def _base(root: lxml.html.HtmlElement, url: str) -> str:
    for base in root.iter("base"):
        href = base.get("href")
        if href:
            return urljoin(url, href.strip())
    return url


def links(root: lxml.html.HtmlElement, url: str) -> list[str]:
    base = _base(root, url)
    found: dict[str, None] = {}
    for element in root.iter("a", "area"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        target = canonical_url(urljoin(base, href))
        if target:
            found.setdefault(target)
    return list(found)


def canonical_link(root: lxml.html.HtmlElement, url: str) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return canonical_url(urljoin(_base(root, url), link.get("href").strip()))
    return None


def title(root: lxml.html.HtmlElement) -> str | None:
    for tag in ("title", "h1"):
        for element in root.iter(tag):
            text = " ".join(element.text_content().split())
            if text:
                return text
    return None


def decode(result: Fetched) -> str:
    """The page's text from its raw bytes: BOM, then the HTTP charset, then <meta charset>, then
    a guess (httpx alone would ignore <meta charset>)."""
    content_type = result.headers.get("content-type")
    return html_to_unicode(content_type, result.body, auto_detect_fun=_guess_encoding)[1]
