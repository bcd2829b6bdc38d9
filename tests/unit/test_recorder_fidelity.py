"""The recorder's accounting of bodies, heads and status lines, with a scripted CDP session
(no browser): what Chromium reports is replayed as events, the WARC is read back with warcio."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Error as PlaywrightError
from warcio.archiveiterator import ArchiveIterator

from somecapture.engine import recorder as rec_mod
from somecapture.engine.recorder import NetworkRecorder, _parse_head
from somecapture.redact import HeaderRedactor
from somecapture.warc.writer import CaptureWarcWriter, head_bytes

MIB = 1024 * 1024
URL = "http://example.test/big.bin"


class FakeCdp:
    """Handlers by event name; ``bodies`` answers ``Network.getResponseBody``."""

    def __init__(self) -> None:
        self.handlers: dict[str, Any] = {}
        self.bodies: dict[str, Any] = {}

    def on(self, event: str, handler: Any) -> None:
        self.handlers[event] = handler

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        if method != "Network.getResponseBody":
            return {}
        found = self.bodies[(params or {})["requestId"]]
        if isinstance(found, Exception):
            raise found
        return dict(found)

    def emit(self, event: str, **params: Any) -> None:
        self.handlers[event](params)


async def _recorder(tmp_path: Path, heads: dict[str, bytes] | None = None, **kw: Any
              ) -> tuple[NetworkRecorder, FakeCdp, CaptureWarcWriter]:
    cdp = FakeCdp()
    writer = CaptureWarcWriter(tmp_path / "t.warc", {"software": "test"})
    recorder = NetworkRecorder(
        cdp, writer,  # type: ignore[arg-type]
        max_capture_bytes=kw.pop("max_capture_bytes", 1024 * MIB),
        stream_threshold_bytes=kw.pop("stream_threshold_bytes", 8 * MIB),
        spool_dir=tmp_path, redactor=HeaderRedactor(enabled=True, learn_secrets=False),
        raw_head_of=(lambda url, _method: heads.pop(url, None)) if heads is not None else None,
    )
    await recorder.start()
    return recorder, cdp, writer


def _load(cdp: FakeCdp, rid: str, url: str, *, status: int = 200, text: str = "OK",
          headers: dict[str, str] | None = None, received: int = 0, finish: bool = True,
          document: bool = False, mime: str = "application/octet-stream") -> None:
    cdp.emit("Network.requestWillBeSent", requestId=rid, loaderId=rid if document else "L",
             type="Document" if document else "Fetch",
             request={"url": url, "method": "GET", "headers": {}}, wallTime=1.7e9)
    cdp.emit("Network.responseReceived", requestId=rid,
             response={"url": url, "status": status, "statusText": text,
                       "headers": headers or {}, "mimeType": mime})
    for start in range(0, received, MIB):
        cdp.emit("Network.dataReceived", requestId=rid, dataLength=min(MIB, received - start))
    if finish:
        cdp.emit("Network.loadingFinished", requestId=rid, encodedDataLength=received + 100)


def _records(path: Path) -> dict[str, tuple[dict[str, str], bytes, bytes]]:
    out = {}
    with open(path, "rb") as fh:
        for r in ArchiveIterator(fh, no_record_parse=True):
            if r.rec_type == "response":
                head, _, payload = r.content_stream().read().partition(b"\r\n\r\n")
                out[r.rec_headers.get_header("WARC-Target-URI")] = (
                    dict(r.rec_headers.headers), head, payload)
    return out


def _b64(data: bytes) -> dict[str, Any]:
    return {"body": base64.b64encode(data).decode(), "base64Encoded": True}


async def _stop(recorder: NetworkRecorder, writer: CaptureWarcWriter) -> None:
    await recorder.stop(timeout_s=5)
    writer.close()


def test_large_body_is_spooled_whole_and_checked(tmp_path: Path) -> None:
    body = bytes(range(256)) * (9 * MIB // 256)

    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path)
        cdp.bodies["1"] = _b64(body)
        _load(cdp, "1", URL, received=len(body),
              headers={"Content-Length": str(len(body))})
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    warc, _head, payload = _records(tmp_path / "t.warc")[URL]
    assert hashlib.sha256(payload).digest() == hashlib.sha256(body).digest()
    assert "WARC-Truncated" not in warc
    check = recorder.stats.body_check()
    assert check["largest_body_stored_whole"] == len(body)
    assert check["bytes_received_decoded"] == len(body) and check["mismatched"] == []
    assert recorder.stats.streamed == 1 and recorder.stats.truncated == []


@pytest.mark.parametrize("size", [100_000, 9 * MIB])
def test_empty_body_handed_over_for_a_received_one_is_marked_truncated(
        tmp_path: Path, size: int) -> None:
    """What Chromium did past 8 MiB: an empty body, without an error."""

    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path)
        cdp.bodies["1"] = {"body": "", "base64Encoded": True}
        _load(cdp, "1", URL, received=size)
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    warc, _head, payload = _records(tmp_path / "t.warc")[URL]
    assert warc.get("WARC-Truncated") == "unspecified" and payload == b""
    assert [t["url"] for t in recorder.stats.truncated] == [URL]
    assert recorder.stats.mismatched[0]["received"] == size


def test_evicted_body_over_the_browser_limit_is_truncated_length(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rec_mod, "MAX_BODY_BYTES", 2 * MIB)

    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path)
        cdp.bodies["1"] = PlaywrightError("Request content was evicted from inspector cache")
        _load(cdp, "1", URL, received=3 * MIB)
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    assert _records(tmp_path / "t.warc")[URL][0].get("WARC-Truncated") == "length"
    assert "larger than the 2 MiB" in recorder.stats.truncated[0]["reason"]
    _said_in_norwegian(recorder)


def test_response_in_flight_at_stop_is_written_with_headers_truncated_time(
        tmp_path: Path) -> None:
    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path)
        _load(cdp, "1", URL, received=2 * MIB, finish=False, headers={"X-Merke": "ja"})
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    warc, head, payload = _records(tmp_path / "t.warc")[URL]
    assert warc.get("WARC-Truncated") == "time" and payload == b""
    assert b"\r\nX-Merke: ja" in head
    assert "stopped after" in recorder.stats.truncated[0]["reason"]
    assert any(f["url"] == URL for f in recorder.stats.failed)
    _said_in_norwegian(recorder)


def _said_in_norwegian(recorder: NetworkRecorder) -> None:
    """Why a body was lost is a catalogue message: the warning that names it reads in
    bokmål and nynorsk (the browser's own words quoted), its string stays the English."""
    from somecapture.messages import Msg, render
    from tests.english import english_in

    lost = recorder.stats.truncated
    assert lost and all(isinstance(t["reason"], Msg) for t in lost), lost
    warning = Msg("warning.bodies_lost", count=len(lost), more=0, named=[
        Msg("warning.body_lost_item", url=t["url"], reason=t["reason"]) for t in lost])
    for lang in ("nb", "nn"):
        shown = render(warning, lang, "app")
        assert english_in(shown) == [], shown


def test_byte_cap_while_loading_marks_length(tmp_path: Path) -> None:
    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path, max_capture_bytes=MIB)
        _load(cdp, "1", URL, received=3 * MIB, finish=False)
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    assert recorder.budget_exceeded
    assert _records(tmp_path / "t.warc")[URL][0].get("WARC-Truncated") == "length"
    assert len(recorder.stats.truncated) == 1  # listed once, for the cap


def test_status_line_and_header_bytes_from_the_proxy_are_written_verbatim(
        tmp_path: Path) -> None:
    sent = (b"HTTP/1.1 2OO NOT-A-NUMBER\r\nContent-Type: image/png\r\nContent-Length: 3\r\n"
            b"Link: </bilde-\xc3\xb8.png>; rel=preload\r\nX-Gammel: en\r\n to\r\n\r\n")

    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path, heads={URL: sent})
        cdp.bodies["1"] = _b64(b"abc")
        _load(cdp, "1", URL, status=2, text="OO NOT-A-NUMBER", received=3)
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    _warc, head, payload = _records(tmp_path / "t.warc")[URL]
    assert head.split(b"\r\n")[0] == b"HTTP/1.1 2OO NOT-A-NUMBER"
    assert b"\r\nLink: </bilde-\xc3\xb8.png>; rel=preload\r\n" in head
    assert b"\r\nX-Gammel: en to" in head
    assert payload == b"abc"
    assert any(f["url"] == URL and "status" in f["reason"] for f in recorder.stats.failed)
    assert not recorder.main_failed.is_set()  # a sub-resource: the page goes on


def test_a_head_that_is_not_this_responses_is_not_used(tmp_path: Path) -> None:
    """The proxy's oldest head for the URL says 204 (another request), the browser got 200."""

    async def run() -> None:
        recorder, cdp, writer = await _recorder(
            tmp_path, heads={URL: b"HTTP/1.1 204 No Content\r\nX-Annen: ja\r\n\r\n"})
        cdp.bodies["1"] = _b64(b"abc")
        _load(cdp, "1", URL, received=3)
        await _stop(recorder, writer)

    asyncio.run(run())
    head = _records(tmp_path / "t.warc")[URL][1]
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"X-Annen" not in head


def test_non_numeric_status_of_the_page_fails_navigation(tmp_path: Path) -> None:
    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path)
        cdp.bodies["D"] = _b64(b"<p>")
        # without the proxy's head: Chromium's reading of "2OO" is status 2
        _load(cdp, "D", "http://example.test/", status=2, text="OO X", received=3,
              document=True)
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    assert recorder.main_failed.is_set() and "ERR_INVALID_RESPONSE" in recorder.main_failure


def test_extra_info_header_values_are_bytes_as_received(tmp_path: Path) -> None:
    """responseReceivedExtraInfo gives one character per byte: written back as those bytes."""

    async def run() -> None:
        recorder, cdp, writer = await _recorder(tmp_path)
        cdp.bodies["1"] = _b64(b"x")
        cdp.emit("Network.responseReceivedExtraInfo", requestId="1",
                 headers={"Link": "</bilde-\u00c3\u00b8.png>; rel=preload",
                          "X-L1": "caf\u00e9"})
        _load(cdp, "1", URL, received=1)
        await _stop(recorder, writer)

    asyncio.run(run())
    head = _records(tmp_path / "t.warc")[URL][1]
    assert b"Link: </bilde-\xc3\xb8.png>; rel=preload\r\n" in head
    assert b"X-L1: caf\xe9\r\n" in head


def test_parse_head_keeps_bytes_and_unfolds() -> None:
    protocol, line, headers = _parse_head(b"HTTP/1.0 299 Gr\xf8nt\r\nA:  b \r\nC: d\r\n\te\r\n\r\n")
    assert (protocol, line) == ("HTTP/1.0", "299 Gr\xf8nt")
    assert headers == [("A", "b"), ("C", "d e")]


def test_head_bytes_latin1_and_beyond() -> None:
    assert head_bytes("HTTP/1.1", "200 OK", [("X", "caf\xe9"), ("Y", "\u20ac")]) == (
        b"HTTP/1.1 200 OK\r\nX: caf\xe9\r\nY: \xe2\x82\xac\r\n\r\n")


def test_known_secret_in_a_large_text_body_is_redacted_like_in_a_small_one(
        tmp_path: Path) -> None:
    """A body over the stream threshold goes through the spool; a logged-in session's secret
    in it is replaced all the same (it reached the WARC as is before)."""
    secret = "s3ss10n-T0ken-abcdefgh"
    small = b'{"t":"' + secret.encode() + b'"}'
    large = b'{"pad":"' + b"x" * (9 * MIB) + b'","t":"' + secret.encode() + b'"}'

    async def run() -> NetworkRecorder:
        recorder, cdp, writer = await _recorder(tmp_path)
        recorder.redactor = HeaderRedactor(enabled=True, learn_secrets=True)
        recorder.redactor.add_secret(secret)
        for rid, body in (("1", small), ("2", large)):
            cdp.bodies[rid] = {"body": body.decode(), "base64Encoded": False}
            _load(cdp, rid, f"{URL}?{rid}", received=len(body),
                  headers={"Content-Type": "application/json"}, mime="application/json")
        await _stop(recorder, writer)
        return recorder

    recorder = asyncio.run(run())
    records = _records(tmp_path / "t.warc")
    for rid, body in (("1", small), ("2", large)):
        warc, _head, payload = records[f"{URL}?{rid}"]
        assert payload == body.replace(secret.encode(), b"REDACTED-BY-SOMECAPTURE")
        assert "WARC-Truncated" not in warc
    assert recorder.stats.streamed == 1 and recorder.stats.truncated == []
    assert recorder.stats.mismatched == []
