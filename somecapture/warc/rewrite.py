"""A second pass over a finished WARC, redacting secrets learned after records were written.

During a logged-in capture the recorder learns secret values as it goes (a bearer token is
first seen in a request header after the page that contained it was already written). This
pass rewrites every record with the complete set of secrets, keeping record ids, dates and
order, and recomputing lengths and digests.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from somecapture.redact import HeaderRedactor
from somecapture.warc.writer import WARC_VERSION, _HashingFile, _Sha256WARCWriter, _VerbatimHead

_DROP = {"content-length", "warc-block-digest", "warc-payload-digest", "content-type",
         "warc-type", "warc-target-uri"}


def redact_warc(path: Path, redactor: HeaderRedactor) -> str:
    """Rewrite ``path`` in place with ``redactor`` applied; returns the new SHA-256 (hex)."""
    tmp = path.with_name(f".{path.name}.redacting")
    with open(path, "rb") as src, open(tmp, "xb") as raw:
        out = _HashingFile(raw)
        writer = _Sha256WARCWriter(out, gzip=False, warc_version=WARC_VERSION)
        # the HTTP heads are not parsed by warcio: it decodes a head line as UTF-8 first and
        # encodes heads as ASCII, so "ø" sent as one Latin-1 byte, or as two UTF-8 bytes,
        # would both change (or fail to encode). Heads are split here, one character per
        # byte, and written back the same way (the recorder's own convention)
        for rec in ArchiveIterator(src, no_record_parse=True):
            headers = [(k, v) for k, v in rec.rec_headers.headers if k.lower() not in _DROP]
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            kind = rec.rec_type
            block = rec.content_stream().read()
            head = _split_head(block) if kind in ("request", "response") else None
            if head is not None:
                first, pairs, body = head
                if kind == "request":
                    pairs = redactor.request_headers(pairs)
                    method, _, rest = first.partition(" ")
                    target, _, version = rest.rpartition(" ")
                    first = f"{method} {redactor.url(target)} {version}"
                    ctype = _get(pairs, "content-type") or "application/octet-stream"
                else:
                    pairs = redactor.response_headers(pairs)
                    ctype = _get(pairs, "content-type") or ""
                body = redactor.body(body, ctype)
                pairs = [(k, str(len(body)) if k.lower() == "content-length" else v)
                         for k, v in pairs]
                if kind == "request":
                    status = _VerbatimHead(first, pairs, is_http_request=True)
                else:
                    protocol, _, status_line = first.partition(" ")
                    status = _VerbatimHead(status_line, pairs, protocol=protocol)
                new = writer.create_warc_record(
                    redactor.url(uri), kind, payload=io.BytesIO(body), length=len(body),
                    http_headers=status, warc_headers_dict=dict(headers))
            elif kind == "warcinfo":
                new = writer.create_warc_record(
                    uri, kind, payload=io.BytesIO(block), length=len(block),
                    warc_content_type=rec.rec_headers.get_header("Content-Type"),
                    warc_headers_dict=dict(headers))
            else:
                new = writer.create_warc_record(
                    uri, kind, payload=io.BytesIO(block), length=len(block),
                    warc_content_type=rec.rec_headers.get_header("Content-Type"),
                    warc_headers_dict=dict(headers))
            writer.write_record(new)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)
    return out.sha256.hexdigest()


def _split_head(block: bytes) -> tuple[str, list[tuple[str, str]], bytes] | None:
    """An HTTP record's block as (first line, header pairs, body), the head read one
    character per byte; ``None`` when the block holds no head."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        return None
    lines = head.decode("latin-1").split("\r\n")
    pairs = []
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            pairs.append((name, value.strip(" \t")))
    return lines[0], pairs, body


def _get(pairs: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in pairs if k.lower() == name), None)
