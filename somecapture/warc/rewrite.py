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
from warcio.statusandheaders import StatusAndHeaders

from somecapture.redact import HeaderRedactor
from somecapture.warc.writer import WARC_VERSION, _HashingFile, _Sha256WARCWriter

_DROP = {"content-length", "warc-block-digest", "warc-payload-digest", "content-type",
         "warc-type", "warc-target-uri"}


def redact_warc(path: Path, redactor: HeaderRedactor) -> str:
    """Rewrite ``path`` in place with ``redactor`` applied; returns the new SHA-256 (hex)."""
    tmp = path.with_name(f".{path.name}.redacting")
    with open(path, "rb") as src, open(tmp, "xb") as raw:
        out = _HashingFile(raw)
        writer = _Sha256WARCWriter(out, gzip=False, warc_version=WARC_VERSION)
        for rec in ArchiveIterator(src):
            headers = [(k, v) for k, v in rec.rec_headers.headers if k.lower() not in _DROP]
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            kind = rec.rec_type
            if kind == "warcinfo":
                body = rec.content_stream().read()
                new = writer.create_warc_record(
                    uri, kind, payload=io.BytesIO(body), length=len(body),
                    warc_content_type=rec.rec_headers.get_header("Content-Type"),
                    warc_headers_dict=dict(headers))
            elif kind in ("request", "response") and rec.http_headers is not None:
                http = rec.http_headers
                pairs = list(http.headers)
                if kind == "request":
                    pairs = redactor.request_headers(pairs)
                    # warcio parses "GET /path HTTP/1.1" as protocol "GET", statusline "/path …"
                    target, _, version = http.statusline.partition(" ")
                    statusline = f"{redactor.url(target)} {version}".strip()
                    ctype = http.get_header("Content-Type") or "application/octet-stream"
                else:
                    pairs = redactor.response_headers(pairs)
                    statusline = http.statusline
                    ctype = http.get_header("Content-Type") or ""
                body = redactor.body(rec.content_stream().read(), ctype)
                pairs = [(k, str(len(body)) if k.lower() == "content-length" else v)
                         for k, v in pairs]
                if kind == "request":
                    status = StatusAndHeaders(f"{http.protocol} {statusline}", pairs,
                                              is_http_request=True)
                else:
                    status = StatusAndHeaders(statusline, pairs, protocol=http.protocol)
                new = writer.create_warc_record(
                    redactor.url(uri), kind, payload=io.BytesIO(body), length=len(body),
                    http_headers=status, warc_headers_dict=dict(headers))
            else:
                body = rec.content_stream().read()
                new = writer.create_warc_record(
                    uri, kind, payload=io.BytesIO(body), length=len(body),
                    warc_content_type=rec.rec_headers.get_header("Content-Type"),
                    warc_headers_dict=dict(headers))
            writer.write_record(new)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)
    return out.sha256.hexdigest()
