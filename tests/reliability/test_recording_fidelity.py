"""Recording fidelity: the WARC says exactly what the server sent, or says what it is missing.

Each case is a raw HTTP server on 127.0.0.1 that answers with bytes chosen by the test (status
lines and header bytes as written here, bodies of 8 to 100 MiB) and a real capture with the
shared browser. The WARC is read back with warcio's own reader, independently of the writer:
payload bytes and their SHA-256 must equal what the server sent, or the record must carry
``WARC-Truncated`` and the capture be PARTIAL with a warning naming the URL.
"""

from __future__ import annotations

import base64
import hashlib
import random
import socket
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from somecapture.models import CaptureStatus
from somecapture.options import MIB
from tests.reliability.helpers import Outcome, SharedBrowser
from tests.reliability.test_faults import assert_failed, assert_published

pytestmark = pytest.mark.browser


# -- a server that sends exactly the bytes it is given ---------------------------------------


@dataclass
class Answer:
    """What the server sends for one path: a head (status line and header lines, as bytes)
    and a body; ``stall_after`` bytes of the body are sent, then the connection stays open
    without sending more (a response still in flight)."""

    head: bytes
    body: bytes = b""
    stall_after: int | None = None


def answer(body: bytes, content_type: str, *, status: bytes = b"HTTP/1.1 200 OK",
           extra: bytes = b"", length: bool = True) -> Answer:
    """An answer with the usual headers; ``extra`` is raw header lines (CRLF-terminated)."""
    head = status + b"\r\nContent-Type: " + content_type.encode() + b"\r\n"
    if length:
        head += b"Content-Length: " + str(len(body)).encode() + b"\r\n"
    head += b"Cache-Control: no-store\r\n" + extra
    return Answer(head + b"\r\n", body)


@dataclass
class RawSite:
    """A threaded server on 127.0.0.1 (port 0) answering each path with its :class:`Answer`."""

    answers: dict[str, Answer] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            path = data.split(b" ", 2)[1].decode("latin-1")
            self.seen.append(path)
            found = self.answers.get(path.split("?", 1)[0])
            if found is None:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            try:
                conn.sendall(found.head)
                if found.stall_after is None:
                    conn.sendall(found.body)
                    return
                conn.sendall(found.body[:found.stall_after])
                # stays open, sending nothing more, until the server is closed
                while not self._stop.wait(0.2):
                    pass
            except OSError:
                return


# -- bodies the server sends -------------------------------------------------------------------


def png_of(size: int) -> bytes:
    """A valid 4×4 PNG of exactly ``size`` bytes (the bulk in a private ancillary chunk, which
    decoders skip), so the browser loads it whole as an image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * 4 for _ in range(4))
    head = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)))
    pad = size - len(head) - 2 * 12
    return head + chunk(b"prVt", random.Random(size).randbytes(pad)) + chunk(b"IEND", b"")


def wav_of(size: int) -> bytes:
    """A PCM WAV file (8 kHz mono, 8 bit) of exactly ``size`` bytes."""
    data = random.Random(size + 1).randbytes(size - 44)
    return (b"RIFF" + struct.pack("<I", size - 8) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
            + b"data" + struct.pack("<I", len(data)) + data)


def text_of(size: int, open_: bytes, close: bytes) -> bytes:
    """A script or stylesheet of exactly ``size`` bytes: a comment of varied ASCII text."""
    filler = random.Random(size + 2).randbytes((size + 1) // 2).hex().encode()
    return open_ + filler[: size - len(open_) - len(close)] + close


#: kind → (path, content type, body of a size, how the page loads it)
KINDS: dict[str, tuple[str, str, Callable[[int], bytes], str]] = {
    "image": ("/big.png", "image/png", png_of, '<img src="big.png" alt="stor">'),
    "script": ("/big.js", "application/javascript",
               lambda n: text_of(n, b"/* ", b" */\nwindow.bigScript = 1;\n"),
               '<script src="big.js"></script>'),
    "stylesheet": ("/big.css", "text/css", lambda n: text_of(n, b"/* ", b" */\np{color:#123}\n"),
                   '<link rel="stylesheet" href="big.css">'),
    "media": ("/big.wav", "audio/wav", wav_of, '<audio src="big.wav" preload="auto"></audio>'),
    "fetch": ("/big-fetch.bin", "application/octet-stream",
              lambda n: random.Random(n + 3).randbytes(n),
              "<script>fetch('big-fetch.bin').then(r => r.arrayBuffer())"
              ".then(b => document.body.dataset.fetched = b.byteLength)</script>"),
    "xhr": ("/big-xhr.json", "application/json",
            lambda n: text_of(n, b'{"fyll": "\xc3\xb8 ', b'"}'),
            "<script>var x = new XMLHttpRequest(); x.open('GET', 'big-xhr.json');"
            " x.responseType = 'arraybuffer'; x.send();</script>"),
}

_PAGE = (b'<!doctype html>\n<html lang="nb"><head><meta charset="utf-8"><title>Stort</title>'
         b"%(head)s</head><body><h1>Store svar</h1>%(body)s</body></html>\n")


def page(*parts: str) -> bytes:
    """An HTML page loading ``parts`` (stylesheets go in the head)."""
    head = "".join(p for p in parts if p.startswith("<link"))
    body = "".join(p for p in parts if not p.startswith("<link"))
    return _PAGE % {b"head": head.encode(), b"body": body.encode()}


# -- reading the WARC back, independently of the writer ---------------------------------------


@dataclass
class Stored:
    """One response record: its WARC headers, its HTTP head bytes and its payload."""

    warc: dict[str, str]
    head: bytes
    payload: bytes

    @property
    def status_line(self) -> bytes:
        return self.head.split(b"\r\n", 1)[0]

    def header(self, name: bytes) -> list[bytes]:
        """Every value of header ``name``, as bytes."""
        out = []
        for line in self.head.split(b"\r\n")[1:]:
            key, sep, value = line.partition(b":")
            if sep and key.strip().lower() == name.lower():
                out.append(value.strip(b" \t"))
        return out


def stored_responses(package: Path) -> dict[str, Stored]:
    """Path (with query) → the response record, read with warcio without HTTP parsing: the
    record block is split at the first blank line into head and payload."""
    out: dict[str, Stored] = {}
    with open(package / "data" / "capture.warc", "rb") as fh:
        for rec in ArchiveIterator(fh, no_record_parse=True):
            if rec.rec_type != "response":
                continue
            uri = rec.rec_headers.get_header("WARC-Target-URI")
            block = rec.content_stream().read()
            head, _, payload = block.partition(b"\r\n\r\n")
            # the record's own payload digest names these very bytes
            digest = "sha256:" + base64.b32encode(hashlib.sha256(payload).digest()).decode()
            assert rec.rec_headers.get_header("WARC-Payload-Digest") == digest, uri
            path = "/" + uri.split("/", 3)[3]
            out[path] = Stored(dict(rec.rec_headers.headers), head + b"\r\n", payload)
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw_site() -> Iterator[RawSite]:
    site = RawSite()
    try:
        yield site
    finally:
        site.close()


Capture = Callable[..., Outcome]


@pytest.fixture(scope="module")
def cap(browser: SharedBrowser, raw_site: RawSite,
        tmp_path_factory: pytest.TempPathFactory) -> Capture:
    """Serve ``answers`` under a fresh prefix and capture ``prefix + /`` once."""
    count = iter(range(10_000))

    def run(answers: dict[str, Answer], **changes: Any) -> tuple[str, Outcome]:
        prefix = f"/c{next(count)}"
        for path, found in answers.items():
            raw_site.answers[prefix + path] = found
        out = tmp_path_factory.mktemp("fidelity") / "out"
        try:
            return prefix, browser.capture(raw_site.url(prefix + "/"), out, **changes)
        finally:
            for path in answers:  # large bodies are not kept for the rest of the module
                raw_site.answers.pop(prefix + path, None)

    return run


def _no_traceback(o: Outcome) -> None:
    for text in [o.result.error or "", *o.result.warnings]:
        assert "Traceback" not in text and "This is a bug" not in text, text


# -- 1. every response body is accounted for ---------------------------------------------------

def _large_bodies(cap: Capture, size: int, kinds: list[str]) -> None:
    bodies = {KINDS[k][0]: KINDS[k][2](size) for k in kinds}
    answers = {path: answer(body, KINDS[k][1]) for k, (path, body) in zip(kinds, bodies.items(),
                                                                           strict=True)}
    answers["/"] = answer(page(*(KINDS[k][3] for k in kinds)), "text/html; charset=utf-8")
    prefix, o = cap(answers, capture_timeout_s=120.0, settle_timeout_s=60.0)
    _no_traceback(o)
    # Chromium's getResponseBody runs on the renderer's main thread (~4 s per 100 MiB): the
    # liveness probe waits while the recorder hands a large body over, so no "hung" here
    meta = assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    assert o.result.package is not None
    stored = stored_responses(o.result.package)
    for kind in kinds:
        path = KINDS[kind][0]
        sent = bodies[path]
        record = stored.get(prefix + path)
        assert record is not None, f"{kind}: no response record for {path}"
        if "WARC-Truncated" in record.warc:
            # only a media element may stop loading on its own (it buffers what it needs)
            assert kind == "media", f"{kind}: {record.warc['WARC-Truncated']}, not whole"
            # not whole: said so in the record, the capture and a warning naming the URL
            assert o.result.status is CaptureStatus.PARTIAL, (kind, o.result.warnings)
            assert any(prefix + path in w for w in o.result.warnings) or any(
                t["url"].endswith(prefix + path) for t in o.network["truncated"]), (
                kind, o.result.warnings, o.network["truncated"])
            assert sent.startswith(record.payload), f"{kind}: stored bytes are not the sent ones"
            continue
        assert len(record.payload) == len(sent), (kind, len(record.payload), len(sent))
        assert sha256(record.payload) == sha256(sent), f"{kind}: payload differs"
        assert record.header(b"content-length") == [str(len(sent)).encode()]
    if o.result.status is CaptureStatus.PARTIAL:
        print(f"{size:,} bytes: PARTIAL: {o.result.warnings}")
    assert meta["status"] == o.result.status.value


ALL_KINDS = list(KINDS)


@pytest.mark.parametrize("mib", [8, 9, 20])
def test_large_bodies_are_stored_whole_or_marked(cap: Capture, mib: int) -> None:
    """Before: every body over 8 MiB was a 0-byte ``200 OK`` under COMPLETE."""
    _large_bodies(cap, mib * MIB, ALL_KINDS)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_100_mib_bodies_are_stored_whole_or_marked(cap: Capture, kind: str) -> None:
    _large_bodies(cap, 100 * MIB, [kind])


def test_a_body_just_over_the_threshold_and_a_small_one_are_whole_and_complete(
        cap: Capture) -> None:
    """The ordinary case: nothing lost, nothing flagged, COMPLETE."""
    big, small = png_of(8 * MIB + 1), png_of(70_000)
    prefix, o = cap({
        "/": answer(page('<img src="a.png">', '<img src="b.png">'), "text/html"),
        "/a.png": answer(big, "image/png"),
        "/b.png": answer(small, "image/png"),
    })
    assert_published(o, CaptureStatus.COMPLETE)
    assert o.result.package is not None
    stored = stored_responses(o.result.package)
    for path, sent in (("/a.png", big), ("/b.png", small)):
        assert sha256(stored[prefix + path].payload) == sha256(sent)
        assert "WARC-Truncated" not in stored[prefix + path].warc
    assert o.network["truncated"] == []


def test_byte_cap_gives_truncated_length_records_and_partial(cap: Capture) -> None:
    sent = png_of(9 * MIB)
    prefix, o = cap({"/": answer(page('<img src="a.png">'), "text/html"),
                     "/a.png": answer(sent, "image/png")}, max_capture_bytes=4 * MIB)
    assert_published(o, CaptureStatus.PARTIAL)
    assert any("size cap" in w for w in o.result.warnings), o.result.warnings
    assert o.result.package is not None
    record = stored_responses(o.result.package)[prefix + "/a.png"]
    assert record.warc.get("WARC-Truncated") == "length"
    assert 0 < len(record.payload) < len(sent)
    assert sent.startswith(record.payload)  # the first bytes, as sent
    assert any(t["url"].endswith(prefix + "/a.png") for t in o.network["truncated"])


# -- 2. responses in flight when recording stops ------------------------------------------------


def test_a_response_in_flight_at_the_end_is_written_truncated_with_its_headers(
        cap: Capture) -> None:
    """Before: the stalled ``fetch()`` was dropped without a record, and the capture was
    COMPLETE."""
    sent = random.Random(7).randbytes(4 * MIB)
    stalled = answer(sent, "application/octet-stream", extra=b"X-Merke: halvveis\r\n")
    stalled.stall_after = MIB
    prefix, o = cap({
        "/": answer(page("<script>fetch('stall.bin').then(r => r.arrayBuffer())</script>"),
                    "text/html"),
        "/stall.bin": stalled,
    }, settle_timeout_s=1.0, expand_timeout_s=2.0, lazy_media_timeout_s=1.0)
    _no_traceback(o)
    assert_published(o, CaptureStatus.PARTIAL)
    assert any(prefix + "/stall.bin" in w for w in o.result.warnings), o.result.warnings
    assert o.result.package is not None
    record = stored_responses(o.result.package)[prefix + "/stall.bin"]
    assert record.warc.get("WARC-Truncated") == "time"
    assert record.status_line == b"HTTP/1.1 200 OK"
    assert record.header(b"x-merke") == [b"halvveis"]
    assert sent.startswith(record.payload)


# -- 3. non-ASCII header values -----------------------------------------------------------------

LINK_UTF8 = "Link: </bilde-ø.png>; rel=preload\r\n".encode()
LINK_LATIN1 = "Link: </bilde-ø.png>; rel=preload\r\n".encode("latin-1")


@pytest.mark.parametrize("where", ["page", "image"])
@pytest.mark.parametrize("extra", [LINK_UTF8, LINK_LATIN1 + b"X-Navn: Bl\xe5b\xe6r\r\n"],
                         ids=["utf-8", "latin-1"])
def test_non_ascii_header_values_are_stored_as_sent(cap: Capture, where: str,
                                                    extra: bytes) -> None:
    """Before: UnicodeEncodeError, "This is a bug", nothing published."""
    img = png_of(3000)
    answers = {
        "/": answer(page('<img src="a.png">'), "text/html; charset=utf-8",
                    extra=extra if where == "page" else b""),
        "/a.png": answer(img, "image/png", extra=extra if where == "image" else b""),
    }
    prefix, o = cap(answers)
    _no_traceback(o)
    assert_published(o, CaptureStatus.COMPLETE)
    assert o.result.package is not None
    record = stored_responses(o.result.package)[prefix + ("/" if where == "page" else "/a.png")]
    for line in extra.split(b"\r\n"):
        if line:
            name, _, value = line.partition(b": ")
            assert record.header(name) == [value], (record.head, line)
    assert sha256(stored_responses(o.result.package)[prefix + "/a.png"].payload) == sha256(img)


# -- 4. status line verbatim --------------------------------------------------------------------

BAD_STATUS = b"HTTP/1.1 2OO NOT-A-NUMBER"


def test_non_numeric_status_of_a_subresource_is_recorded_verbatim_and_failed(
        cap: Capture) -> None:
    """Before: recorded as ``2 OO NOT-A-NUMBER`` and counted a success."""
    img = png_of(3000)
    prefix, o = cap({"/": answer(page('<img src="a.png">'), "text/html"),
                     "/a.png": answer(img, "image/png", status=BAD_STATUS)})
    _no_traceback(o)
    assert_published(o, CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    assert o.result.package is not None
    record = stored_responses(o.result.package)[prefix + "/a.png"]
    assert record.status_line == BAD_STATUS
    assert sha256(record.payload) == sha256(img)
    assert any(f["url"].endswith(prefix + "/a.png") and "status" in f["reason"]
               for f in o.network["failed"]), o.network["failed"]


def test_non_numeric_status_of_the_page_is_failed(cap: Capture) -> None:
    _prefix, o = cap({"/": answer(page("<p>Hei</p>"), "text/html", status=BAD_STATUS)})
    assert_failed(o, "invalid response", retryable=False)


def test_unusual_reason_phrase_is_kept_verbatim(cap: Capture) -> None:
    """A valid but unusual status line (a code Python does not name, an obs-text reason)."""
    status = b"HTTP/1.1 299 Helt gr\xf8nn"
    prefix, o = cap({"/": answer(page('<img src="a.png">'), "text/html"),
                     "/a.png": answer(png_of(3000), "image/png", status=status)})
    assert_published(o, CaptureStatus.COMPLETE)
    assert o.result.package is not None
    assert stored_responses(o.result.package)[prefix + "/a.png"].status_line == status

