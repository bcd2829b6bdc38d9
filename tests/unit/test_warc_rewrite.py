"""The second redaction pass over a finished WARC (``somecapture.warc.rewrite``): secrets
learned late are removed while every HTTP head keeps the bytes the server sent (issue 16:
a non-ASCII header value in a logged-in capture made this pass fail the capture)."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from somecapture.redact import MARKER, HeaderRedactor
from somecapture.warc.rewrite import redact_warc
from somecapture.warc.writer import CaptureWarcWriter

SECRET = "s3cr3t-T0ken-value-1234567890"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
# one header value as one Latin-1 byte, one as two UTF-8 bytes: the server's own choices
LATIN1_LINK = "</bilde-\xf8.png>; rel=preload"              # written as b"\xf8"
UTF8_LINK = "</bilde-\xc3\xb8.png>; rel=preload"            # written as b"\xc3\xb8"


def _warc(path: Path) -> None:
    writer = CaptureWarcWriter(path, {"software": "test"})
    body = f"<p>token: {SECRET}</p>".encode()
    writer.write_exchange(
        url=f"https://example.org/p?ticket={SECRET}",
        request_line=f"GET /p?ticket={SECRET} HTTP/1.1",
        request_headers=[("Host", "example.org"), ("Cookie", f"sid={SECRET}")],
        request_body=None, request_time=NOW,
        status_line="200 Helt gr\xf8nn",
        response_headers=[("Content-Type", "text/html; charset=utf-8"), ("Link", LATIN1_LINK),
                          ("X-Link", UTF8_LINK), ("Content-Length", str(len(body)))],
        body=io.BytesIO(body), body_length=len(body), response_time=NOW)
    writer.close()


def test_late_secrets_go_and_heads_keep_their_bytes(tmp_path: Path) -> None:
    path = tmp_path / "capture.warc"
    _warc(path)
    redactor = HeaderRedactor(enabled=True, learn_secrets=True)
    redactor.add_secret(SECRET)
    digest = redact_warc(path, redactor)
    data = path.read_bytes()
    assert digest == hashlib.sha256(data).hexdigest()
    assert SECRET.encode() not in data
    # the heads as the server sent them: one byte for the Latin-1 "ø", two for the UTF-8 one
    assert b"Link: </bilde-\xf8.png>; rel=preload\r\n" in data
    assert b"X-Link: </bilde-\xc3\xb8.png>; rel=preload\r\n" in data
    assert b"HTTP/1.1 200 Helt gr\xf8nn\r\n" in data
    kinds = []
    with open(path, "rb") as fh:
        # block and payload digests checked as each record is read to its end
        for rec in ArchiveIterator(fh, check_digests="raise"):
            kinds.append(rec.rec_type)
            block = rec.content_stream().read()
            if rec.rec_type == "response":
                assert block == f"<p>token: {MARKER}</p>".encode()
                assert rec.http_headers.get_header("Content-Length") == str(len(block))
            if rec.rec_type == "request":
                assert rec.http_headers.protocol == "GET"
                assert MARKER in rec.http_headers.statusline
    assert kinds == ["warcinfo", "response", "request"]
