"""Names: package folders and the files inside a package."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

WARC_NAME = "capture.warc"
SCREENSHOT_NAME = "screenshot.png"
PDF_NAME = "screenshot.pdf"
METADATA_NAME = "capture-metadata.json"
METADATA_SCHEMA_NAME = "capture-metadata.schema.json"
ARKIVMELDING_NAME = "arkivmelding.xml"

PUBLIC_WARC_NAME = "public/capture.warc"
PUBLIC_SCREENSHOT_NAME = "public/screenshot.png"
#: the screened variant: private persons' identities masked (Noark "Dokument hvor deler av
#: innholdet er skjermet"), for access requests (innsyn)
SCREENED_PDF_NAME = "screened/screenshot.pdf"

MEDIA_TYPES = {
    PUBLIC_WARC_NAME: "application/warc",
    PUBLIC_SCREENSHOT_NAME: "image/png",
    WARC_NAME: "application/warc",
    SCREENSHOT_NAME: "image/png",
    PDF_NAME: "application/pdf",
    SCREENED_PDF_NAME: "application/pdf",
    METADATA_NAME: "application/json",
    METADATA_SCHEMA_NAME: "application/schema+json",
    ARKIVMELDING_NAME: "application/xml",
}

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {
    f"lpt{i}" for i in range(10)
}
_SLUG_MAX = 60


def slugify(text: str, max_len: int = _SLUG_MAX) -> str:
    """ASCII, lowercase, ``[a-z0-9-]`` only, no leading/trailing dashes; safe on every OS."""
    # æ/ø/å have no decomposition: transliterate the Nordic letters the usual way first
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a",
                           "ß": "ss", "þ": "th", "ð": "d"})
    text = unicodedata.normalize("NFKD", text.translate(table))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = text[:max_len].rstrip("-")
    if text in _WINDOWS_RESERVED:
        text = f"{text}-page"
    return text


def package_name(url: str, when: datetime) -> str:
    """``<UTC yyyymmddThhmmssZ>-<host>-<slug>`` for a capture of ``url`` started at ``when``."""
    parts = urlsplit(url)
    host = (parts.hostname or "unknown").lower()
    if host.startswith("www."):
        host = host[4:]
    host_slug = slugify(host.replace(".", "-"), 40) or "host"
    path = unquote(parts.path or "")
    if parts.query:
        path += " " + unquote(parts.query)
    slug = slugify(path) or "page"
    stamp = when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{host_slug}-{slug}"
