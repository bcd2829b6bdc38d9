"""WARC 1.1 writing with warcio: warcinfo, request/response pairs, resource and metadata records.

Uncompressed ``.warc`` on purpose: Arkivverket's list of approved archival formats includes WARC
but not gzip, and an uncompressed WARC can be checked with plain tools.

Digests are SHA-256 (base32, the same encoding warcio uses for SHA-1), stronger than the
conventional SHA-1 and checked by ``warcio check``.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

WARC_VERSION = "WARC/1.1"


class _VerbatimHead(StatusAndHeaders):  # type: ignore[misc]  # warcio has no type hints
    """An HTTP head written as the bytes it stands for.

    warcio's own encoding of a head is ASCII, percent-encoding any header it cannot encode
    (and failing with ``UnicodeEncodeError`` on values it cannot split), which changes what
    the server sent. Here each character is one byte (Latin-1: the RFC 9110 obs-text view
    of header bytes the recorder keeps); a character beyond Latin-1, which never comes from
    the wire, is written as UTF-8 rather than refused.
    """

    def compute_headers_buffer(self, header_filter: Any = None) -> None:
        self.headers_buff = head_bytes(self.protocol, self.statusline, self.headers)


def head_bytes(protocol: str, status_line: str, headers: Iterable[tuple[str, str]]) -> bytes:
    """``protocol status_line CRLF (name: value CRLF)* CRLF`` as bytes, one byte per
    character (Latin-1), UTF-8 only for a line with characters beyond Latin-1."""
    first = f"{protocol} {status_line}" if protocol else status_line
    lines = [first, *(f"{name}: {value}" for name, value in headers)]
    out = bytearray()
    for line in lines:
        try:
            out += line.encode("latin-1")
        except UnicodeEncodeError:
            out += line.encode("utf-8")
        out += b"\r\n"
    return bytes(out + b"\r\n")


class _Sha256WARCWriter(WARCWriter):  # type: ignore[misc]  # warcio has no type hints
    """warcio's writer with SHA-256 block and payload digests."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def warc_date(moment: datetime) -> str:
    """WARC 1.1 date: UTC with microseconds (``2026-11-25T13:22:27.123456Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_record_id() -> str:
    """A WARC-Record-ID (``<urn:uuid:…>``)."""
    return f"<urn:uuid:{uuid.uuid4()}>"


class _HashingFile(io.RawIOBase):
    """Write-through wrapper that hashes every byte on its way to disk, so the WARC is hashed
    once while written instead of being read back just for its checksum."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.sha256.update(view)
        self.size += view.nbytes
        self._raw.write(view)
        return view.nbytes

    def flush(self) -> None:
        self._raw.flush()


class CaptureWarcWriter:
    """Writes the records of one capture into one WARC file, in the order they complete."""

    def __init__(self, path: Path, warcinfo: dict[str, str]) -> None:
        self.path = path
        self._fh: BinaryIO = open(path, "xb")  # noqa: SIM115 - closed in close()
        self._out = _HashingFile(self._fh)
        self._writer = _Sha256WARCWriter(self._out, gzip=False, warc_version=WARC_VERSION)
        self.record_count = 0
        self.counts: dict[str, int] = {}
        info = self._writer.create_warcinfo_record(path.name, warcinfo)
        self._write(info)
        self.warcinfo_id: str = info.rec_headers.get_header("WARC-Record-ID")

    def _write(self, record: Any) -> None:
        self._writer.write_record(record)
        self.record_count += 1
        kind = record.rec_type
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def _headers(self, extra: dict[str, str], moment: datetime) -> dict[str, str]:
        headers = {"WARC-Date": warc_date(moment), "WARC-Warcinfo-ID": self.warcinfo_id}
        headers.update(extra)
        return headers

    def write_exchange(
        self,
        *,
        url: str,
        request_line: str,
        request_headers: Iterable[tuple[str, str]],
        request_body: bytes | None,
        request_time: datetime,
        status_line: str,
        response_headers: Iterable[tuple[str, str]],
        body: BinaryIO,
        body_length: int,
        response_time: datetime,
        response_warc_headers: dict[str, str] | None = None,
        response_protocol: str = "HTTP/1.1",
    ) -> str:
        """Write a response record and its request record; returns the response record id.

        ``body`` must be seekable (warcio reads it once for digests and once to write it) and
        already decoded; the caller has set ``Content-Length`` to ``body_length``.
        ``status_line`` (after ``response_protocol``) is written as given, also when it has
        no numeric status code; header values are written byte for byte (see
        :func:`head_bytes`).
        """
        resp_headers = self._headers(response_warc_headers or {}, response_time)
        http_resp = _VerbatimHead(status_line, list(response_headers),
                                  protocol=response_protocol)
        resp = self._writer.create_warc_record(
            url,
            "response",
            payload=body,
            length=body_length,
            http_headers=http_resp,
            warc_headers_dict=resp_headers,
        )
        req_body = request_body or b""
        http_req = _VerbatimHead(request_line, list(request_headers), is_http_request=True)
        req = self._writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(req_body),
            length=len(req_body),
            http_headers=http_req,
            # one capture event, one WARC-Date for its request and response
            warc_headers_dict=self._headers({}, response_time),
        )
        resp_id: str = resp.rec_headers.get_header("WARC-Record-ID")
        req.rec_headers.add_header("WARC-Concurrent-To", resp_id)
        self._write(resp)
        self._write(req)
        return resp_id

    def write_resource(
        self,
        uri: str,
        content_type: str,
        source: Path | bytes,
        *,
        refers_to_uri: str | None = None,
        moment: datetime | None = None,
    ) -> str:
        """Write a ``resource`` record (e.g. the screenshot) streamed from a file or bytes."""
        extra: dict[str, str] = {"Content-Type": content_type}
        if refers_to_uri:
            extra["WARC-Refers-To-Target-URI"] = refers_to_uri
        headers = self._headers(extra, moment or datetime.now(UTC))
        if isinstance(source, bytes):
            stream: BinaryIO = io.BytesIO(source)
            length = len(source)
        else:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
            length = source.stat().st_size
        try:
            rec = self._writer.create_warc_record(
                uri, "resource", payload=stream, length=length, warc_content_type=content_type,
                warc_headers_dict=headers,
            )
            self._write(rec)
        finally:
            stream.close()
        return str(rec.rec_headers.get_header("WARC-Record-ID"))

    def write_metadata(
        self, uri: str, data: dict[str, Any], *, refers_to_uri: str | None = None
    ) -> str:
        """Write a ``metadata`` record holding ``data`` as JSON (provenance)."""
        payload = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
        extra = {"Content-Type": "application/json"}
        if refers_to_uri:
            extra["WARC-Refers-To-Target-URI"] = refers_to_uri
        headers = self._headers(extra, datetime.now(UTC))
        rec = self._writer.create_warc_record(
            uri, "metadata", payload=io.BytesIO(payload), length=len(payload),
            warc_content_type="application/json", warc_headers_dict=headers,
        )
        # WARC 1.1 §5.9: a metadata record has no payload, so no WARC-Payload-Digest
        rec.rec_headers.remove_header("WARC-Payload-Digest")
        self._write(rec)
        return str(rec.rec_headers.get_header("WARC-Record-ID"))

    @property
    def size_bytes(self) -> int:
        """Bytes written so far."""
        return self._out.size

    def sha256_hex(self) -> str:
        """SHA-256 of everything written so far (the whole file once closed)."""
        return self._out.sha256.hexdigest()

    def close(self) -> None:
        """Flush and close the file (fsync: the package is evidence)."""
        if self._fh.closed:
            return
        self._fh.flush()
        import os

        os.fsync(self._fh.fileno())
        self._fh.close()
