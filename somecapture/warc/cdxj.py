"""A CDXJ index of a WARC (the index replay tools look URLs up in): one sorted line per
replayable record, ``<SURT key> <14-digit timestamp> {json}``.

Written here, over warcio (already what writes and checks our WARCs), rather than with pywb's
indexer: pywb is a large test-only dependency (a replay server) and the product should not
carry it. The one part that must agree exactly with the replay tools is the SURT key, because
pywb finds a capture by comparing the key it computes for the requested URL with the index's
keys; :func:`surt_key` follows the Internet Archive's default canonicalisation (the ``surt``
library's defaults, which pywb uses) and ``tests/packaging/test_wacz.py`` compares it with
that library URL by URL.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote_to_bytes, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

# characters left unescaped when a path or query is re-escaped once (everything printable
# except '#' and '%', as the IA canonicaliser does)
_SAFE = b"""!"$&'()*+,-./:;<=>?@[\\]^_`{|}~"""
_DOTTED = re.compile(r"^[1-9][0-9]*(\.[0-9]+){0,3}$")
_WWW = re.compile(r"^www\d*\.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# the session ids the IA canonicaliser strips from queries (a URL that differs only by one is
# the same page); matched case-insensitively like there
_QUERY_SESSION_IDS = [
    re.compile(rb"^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$", re.I),
    re.compile(rb"^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$", re.I),
]
_PATH_SESSION_IDS = [
    re.compile(rb"^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^?]+\.aspx.*)$", re.I),
    re.compile(rb"^(.*/)(\([0-9a-z]{24}\)/)([^?]+\.aspx.*)$", re.I),
]
#: records a replay tool answers a request with, and metadata records (the provenance, found
#: by its urn: address), as pywb's own indexer lists them
_INDEXED = ("response", "revisit", "resource", "metadata")


def _unescape_repeatedly(data: bytes) -> bytes:
    while True:
        once = unquote_to_bytes(data)
        if once == data:
            return data
        data = once


def _escape_once(data: bytes) -> bytes:
    return quote_from_bytes(data, safe=_SAFE).encode("ascii")


def _normalize_path(path: bytes) -> bytes:
    """Resolve ``.`` and ``..`` segments and drop empty ones (keeping a trailing slash)."""
    if not path:
        return b"/"
    kept: list[bytes] = []
    for part in path.split(b"/")[1:]:
        if part == b".":
            continue
        if part == b"..":
            if kept:
                kept.pop()
            else:
                kept.append(part)
        else:
            kept.append(part)
    if not kept:
        return b"/"
    return b"/" + b"".join(p + b"/" for p in kept[:-1] if p) + kept[-1]


def _host(raw: str) -> str:
    host = _unescape_repeatedly(raw.encode("utf-8"))
    try:
        host.decode("ascii")
    except UnicodeDecodeError:
        try:
            host = host.decode("utf-8", "ignore").encode("idna")
        except UnicodeError:
            pass
    host = host.replace(b"..", b".").strip(b".").lower()
    text = host.decode("ascii", "replace")
    if text.isdigit():
        # a host given as one number is an IPv4 address (as browsers read it)
        return str(ipaddress.IPv4Address(int(text) & 0xFFFFFFFF))
    if _DOTTED.match(text):
        # short dotted forms (127.1) are IPv4 addresses too; read without any DNS look-up
        try:
            return socket.inet_ntoa(socket.inet_aton(text))
        except OSError:
            pass
    return _escape_once(host).decode("ascii")


def _strip_session_ids(data: bytes, patterns: list[re.Pattern[bytes]], keep: tuple[int, ...]
                       ) -> bytes:
    for pattern in patterns:
        m = pattern.match(data)
        if m:
            data = b"".join(m.group(g) or b"" for g in keep)
    return data


def surt_key(url: str) -> str:
    """The SURT form of ``url`` that pywb and ReplayWeb.page look captures up by, e.g.
    ``https://www.Example.com:443/A/?b=2&a=1#x`` -> ``com,example)/a?a=1&b=2``.

    Non-HTTP(S) URLs are returned as they are (they are not looked up by host)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return url
    host = _host(parts.hostname or "")
    host = _WWW.sub("", host)
    try:
        port = parts.port
    except ValueError:
        port = None
    path = _escape_once(_normalize_path(_unescape_repeatedly(parts.path.encode("utf-8"))))
    path = _strip_session_ids(path.lower(), _PATH_SESSION_IDS, (1, 3))
    if len(path) > 1 and path.endswith(b"/"):
        path = path[:-1]
    query = b""
    if parts.query:
        query = _escape_once(_unescape_repeatedly(parts.query.encode("utf-8")))
        query = _strip_session_ids(query, _QUERY_SESSION_IDS, (1, 2)).lower()
        if len(query) > 1:
            # sorted as byte strings of (name, value) pairs; an argument without '=' keeps
            # its form ("?a" is not "?a=")
            args = sorted(tuple(a.split(b"=", 1)) for a in query.split(b"&"))
            query = b"&".join(b"=".join(a) for a in args)
    if ":" in host:  # an IPv6 literal: not reversed
        surt_host = host
    else:
        surt_host = ",".join(reversed(host.split(".")))
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        surt_host += f":{port}"
    key = f"{surt_host}){path.decode('ascii')}"
    return key + (f"?{query.decode('ascii')}" if query else "")


@dataclass(frozen=True)
class IndexedRecord:
    """One replayable record of the WARC, as the index lists it."""

    url: str
    timestamp: str  # 14 digits, UTC
    record_type: str
    mime: str
    status: str
    digest: str
    offset: int
    length: int
    method: str

    def cdxj_line(self, filename: str) -> str:
        """The record's CDXJ line (pywb's field names, values as strings)."""
        url = self.url
        if self.method not in ("", "GET"):
            # how pywb and ReplayWeb.page tell a POST's answer from the GET of the same URL
            url += ("&" if urlsplit(url).query else "?") + f"__wb_method={self.method.lower()}"
        fields: dict[str, str] = {"url": self.url, "mime": self.mime}
        if self.status:
            fields["status"] = self.status
        if self.digest:
            fields["digest"] = self.digest
        if self.method not in ("", "GET"):
            fields["method"] = self.method
        fields.update(length=str(self.length), offset=str(self.offset), filename=filename)
        return f"{surt_key(url)} {self.timestamp} {json.dumps(fields, ensure_ascii=False)}"


def _read_records(warc: Path) -> Iterator[tuple[IndexedRecord, str]]:
    """Each replayable record and its WARC-Record-ID, plus each request as method-only."""
    with open(warc, "rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            kind = record.rec_type
            headers = record.rec_headers
            offset = iterator.get_record_offset()
            status = mime = method = ""
            if record.http_headers is not None:
                if kind == "request":
                    method = record.http_headers.protocol.upper()
                else:
                    status = record.http_headers.get_statuscode() or ""
                    mime = (record.http_headers.get_header("Content-Type") or "").split(";")[0]
            elif kind in ("resource", "metadata"):
                mime = (headers.get_header("Content-Type") or "").split(";")[0]
            iterator.read_to_end(record)
            length = iterator.get_record_length()
            url = headers.get_header("WARC-Target-URI") or ""
            if kind == "request":
                concurrent = headers.get_header("WARC-Concurrent-To") or ""
                yield IndexedRecord(url, "", kind, "", "", "", offset, length, method), concurrent
                continue
            if kind not in _INDEXED or not url:
                continue
            if kind == "revisit":
                mime = "warc/revisit"
            yield IndexedRecord(
                url=url,
                timestamp=iso_date_to_timestamp(headers.get_header("WARC-Date") or "")[:14],
                record_type=kind,
                mime=mime.strip().lower() or "unk",
                status=status.strip(),
                digest=headers.get_header("WARC-Payload-Digest") or "",
                offset=offset,
                length=length,
                method="",
            ), headers.get_header("WARC-Record-ID") or ""


def index_records(warc: Path) -> list[IndexedRecord]:
    """The indexed records of ``warc`` (responses, revisits, resources, metadata), each with the
    method of the request that asked for it (from the request record that names it in
    WARC-Concurrent-To; GET when there is none)."""
    answers: list[tuple[IndexedRecord, str]] = []
    methods: dict[str, str] = {}
    for record, link in _read_records(warc):
        if record.record_type == "request":
            methods[link] = record.method
        else:
            answers.append((record, link))
    out = []
    for record, record_id in answers:
        method = methods.get(record_id, "GET")
        out.append(replace(record, method=method))
    return out


def cdxj_lines(records: list[IndexedRecord], filename: str) -> list[str]:
    """Sorted CDXJ lines (replay tools binary-search the index: the order is the key's)."""
    return sorted(r.cdxj_line(filename) for r in records)
