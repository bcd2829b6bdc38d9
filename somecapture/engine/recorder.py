"""Network recording through the browser's own network stack (CDP ``Network`` domain).

The recorder listens to one page's CDP session. Every request the page makes (document,
XHR/fetch, images, CSS, JS, fonts, same-process iframes, redirects) becomes an
:class:`Exchange`; when its body is complete it is written to the WARC at once, so memory holds
at most the exchanges in flight.

Why CDP events and not recording at a proxy: the browser reports exactly what it sent and got
(raw headers included, HTTP/2 and TLS handled by the browser). Bodies come decoded (no
Content-Encoding), so the WARC stores them decoded with a correct Content-Length.

Every connection of a capture does pass through the capture's own guard proxy
(:mod:`~somecapture.engine.guardproxy`), but that proxy checks and relays, it does not record
or intercept: HTTPS goes through it as a ``CONNECT`` tunnel, TLS end to end between browser and
site, so it never sees the content; plain HTTP is forwarded one request per connection, with
only the request line's absolute URL and the hop-by-hop headers (``Connection`` and the like,
both ways) rewritten. Two things the recorder does because the proxy is there: the browser's
``remoteIPAddress`` is the proxy's loopback address, so ``WARC-IP-Address`` is the address the
proxy actually connected to (``address_of``); and headers meant for the proxy
(``Proxy-Authorization``, ``Proxy-Connection``) never reached the site, so they are left out of
the request records.

Every body is accounted for. The browser hands a body over whole (``Network.getResponseBody``)
once it has finished loading; ``Network.streamResourceContent`` is not used: Chromium answered it
with an empty ``bufferedData`` and sent no further chunks, so bodies past the switch were stored
empty. A body over ``stream_threshold_bytes`` is fetched one at a time and decoded to a spool file
in slices, so two large bodies are never held in memory at once. Each stored body is compared with
what the browser reports it received (the ``dataReceived`` lengths, decoded) and with an
identity-encoded ``Content-Length``; a body that cannot be had whole (larger than the browser keeps,
still loading when recording stops, cut off, over the byte cap) is written with ``WARC-Truncated``
(WARC 1.1: ``length``, ``time``, ``disconnect`` or ``unspecified``) and listed in
``stats.truncated``, which makes the capture PARTIAL. The check's figures are in
:meth:`RecorderStats.body_check`.

Heads as sent: for plain HTTP the guard proxy keeps each response head as the site sent it
(``raw_head_of``); the status line and header bytes are recorded from there, verbatim (Chromium
reports ``HTTP/1.1 2OO X`` as status 2). Otherwise the raw headers of
``responseReceivedExtraInfo`` are used, which Chromium gives one character per byte (Latin-1,
the RFC 9110 obs-text view), so they too are written as the bytes received. A status line
without a three-digit code is not a success: the response is recorded as sent and listed as
failed; for the page itself, navigation fails (``main_failed``).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import http
import io
import logging
import re
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from playwright.async_api import CDPSession
from playwright.async_api import Error as PlaywrightError

from somecapture.messages import Msg
from somecapture.redact import HeaderRedactor
from somecapture.warc.writer import CaptureWarcWriter

log = logging.getLogger(__name__)

#: a request still open after this long is long-lived (polling, streaming): not "in flight"
LONG_LIVED_S = 5.0
#: a body Chromium cannot hand over within this time (plus BODY_FETCH_S_PER_MIB for each MiB
#: received) is recorded as unavailable
BODY_FETCH_TIMEOUT_S = 15.0
BODY_FETCH_S_PER_MIB = 0.25
_MIB = 1024 * 1024
#: largest body Chromium is asked to keep for us (``maxResourceBufferSize``); a larger
#: fetch/XHR body is evicted before it can be read, and is recorded as truncated (``length``).
#: Bounded by what one CDP message can carry (base64 of it must stay well under V8's longest
#: string, ~512 M characters, in the Playwright driver)
MAX_BODY_BYTES = 256 * _MIB
#: all bodies Chromium keeps at once (``maxTotalBufferSize``)
MAX_BUFFERED_BYTES = 512 * _MIB
#: base64 characters decoded per slice when spooling a large body (a multiple of 4)
_B64_SLICE = 4 * 1024 * 1024
#: a status code is three digits (RFC 9110 §15)
_STATUS_CODE = re.compile(r"[0-9]{3}")
#: optional whitespace around a header value (RFC 9110 §5.6.3)
_OWS = " \t"

# Headers that describe the transfer, not the (decoded) body we store.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


_PROXY_HOP_HEADERS = frozenset({"proxy-connection", "proxy-authorization"})


@dataclass
class Exchange:
    """One HTTP request and (once known) its response."""

    request_id: str
    url: str
    method: str
    resource_type: str
    request_headers: dict[str, str]
    post_data: bytes | None
    request_time: datetime
    raw_request_headers: dict[str, str] | None = None
    status: int | None = None
    status_text: str = ""
    response_headers: dict[str, str] = field(default_factory=dict)
    raw_response_headers: dict[str, str] | None = None
    protocol: str = ""
    remote_ip: str = ""
    mime_type: str = ""
    response_time: datetime | None = None
    #: decoded body bytes the browser reports received (``dataReceived.dataLength``)
    received_bytes: int = 0
    #: bytes on the wire, head included (``loadingFinished.encodedDataLength``)
    encoded_bytes: int = 0
    #: the head as the site sent it (from the guard proxy; plain HTTP only)
    sent_protocol: str = ""
    sent_status_line: str | None = None
    sent_headers: list[tuple[str, str]] | None = None
    #: the status line has no three-digit status code
    bad_status: bool = False
    truncated: str | None = None
    done: bool = False
    started: float = field(default_factory=time.monotonic)


@dataclass
class RecorderStats:
    """Counts for provenance and completeness."""

    requests: int = 0
    responses_written: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    truncated: list[dict[str, str]] = field(default_factory=list)
    skipped_schemes: int = 0
    body_bytes: int = 0
    #: large bodies (over the threshold) fetched one at a time and spooled to disk
    streamed: int = 0
    #: stored-vs-received check: responses compared, and bytes in all
    checked: int = 0
    received_bytes: int = 0
    encoded_bytes: int = 0
    #: responses whose stored body differs from what the browser received
    mismatched: list[dict[str, Any]] = field(default_factory=list)
    #: largest body stored whole (bytes)
    largest_whole: int = 0

    def body_check(self) -> dict[str, Any]:
        """The figures of the stored-vs-received check, for the provenance."""
        return {
            "responses_checked": self.checked,
            "bytes_received_decoded": self.received_bytes,
            "bytes_on_the_wire": self.encoded_bytes,
            "bytes_stored": self.body_bytes,
            "largest_body_stored_whole": self.largest_whole,
            "mismatched": self.mismatched[:200],
            "truncated": len(self.truncated),
        }


class NetworkRecorder:
    """Records one page's network traffic into a :class:`CaptureWarcWriter`.

    The traffic is read from the page's CDP session; the page itself talks to the capture's
    guard proxy, so ``address_of`` (the proxy's :meth:`GuardProxy.address_of
    <somecapture.engine.guardproxy.GuardProxy.address_of>`) names the site address for
    ``WARC-IP-Address`` (none when the proxy does not know it, e.g. behind an upstream proxy).
    Without ``address_of``, the address the browser reports is used. ``raw_head_of`` (the
    proxy's :meth:`~somecapture.engine.guardproxy.GuardProxy.take_head`, called with URL and
    method) gives a plain-HTTP response's head as the site sent it; without it, heads are
    rebuilt from what the browser reports.
    """

    def __init__(
        self,
        cdp: CDPSession,
        writer: CaptureWarcWriter,
        *,
        max_capture_bytes: int,
        stream_threshold_bytes: int,
        spool_dir: Path,
        redactor: HeaderRedactor,
        address_of: Callable[[str], str | None] | None = None,
        raw_head_of: Callable[[str, str], bytes | None] | None = None,
    ) -> None:
        self.cdp = cdp
        # through the guard proxy the browser reports the proxy's address; the proxy knows
        # the site's (None: unknown, e.g. behind an upstream proxy — then none is written)
        self.address_of = address_of
        self.raw_head_of = raw_head_of
        self.writer = writer
        self.max_capture_bytes = max_capture_bytes
        self.stream_threshold = stream_threshold_bytes
        self.spool_dir = spool_dir
        self.redactor = redactor
        self.stats = RecorderStats()
        self._live: dict[str, Exchange] = {}
        # ExtraInfo events carry the raw headers (what went over the wire); they can arrive
        # before or after their main event, and once per redirect hop, hence queues.
        self._req_extra: dict[str, deque[dict[str, str]]] = {}
        self._resp_extra: dict[str, deque[dict[str, str]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_activity = time.monotonic()
        self._requests_started = 0
        self._started = time.monotonic()
        self._budget_exceeded = False
        # one large body at a time: its base64 text and spool are the recorder's largest use
        # of memory
        self._large = asyncio.Semaphore(1)
        self.main_document: Exchange | None = None
        self.main_request_id: str | None = None
        #: URLs of the page's own request: the first, then each redirect hop
        self.main_chain: list[str] = []
        #: set when the main document's own request fails (not cancelled); see main_failure
        self.main_failed = asyncio.Event()
        self.main_failure = ""
        self._closed = False
        #: (method, URL) of every exchange written, for the fallback recorder
        self.written: set[tuple[str, str]] = set()

    # -- set-up ---------------------------------------------------------------------------
    async def start(self) -> None:
        """Enable the Network domain with the cache and service workers bypassed."""
        handlers = {
            "Network.requestWillBeSent": self._on_request,
            "Network.requestWillBeSentExtraInfo": self._on_request_extra,
            "Network.responseReceived": self._on_response,
            "Network.responseReceivedExtraInfo": self._on_response_extra,
            "Network.dataReceived": self._on_data,
            "Network.loadingFinished": self._on_finished,
            "Network.loadingFailed": self._on_failed,
        }
        for event, handler in handlers.items():
            self.cdp.on(event, handler)
        self._started = time.monotonic()
        await self.cdp.send(
            "Network.enable",
            {
                # Chrome keeps bodies in this buffer until we ask for them; a body larger
                # than maxResourceBufferSize is evicted (fetch/XHR) and cannot be recorded
                "maxTotalBufferSize": MAX_BUFFERED_BYTES,
                "maxResourceBufferSize": MAX_BODY_BYTES,
            },
        )
        # A cached response would never reach the recorder: disable the cache while recording.
        await self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        await self.cdp.send("Network.setBypassServiceWorker", {"bypass": True})

    # -- state for other steps ----------------------------------------------------------
    @property
    def inflight(self) -> int:
        """Requests started and not finished."""
        return len(self._live)

    @property
    def requests_started(self) -> int:
        """Requests the page has started so far (a counter: "did this click start any?")."""
        return self._requests_started

    def idle_for_s(self) -> float:
        """Seconds since the last network event (0 while requests are in flight).

        Requests open for longer than ``LONG_LIVED_S`` (long polling, event streams, media
        streams) do not count as in flight: they would keep a page "busy" for ever.
        """
        now = time.monotonic()
        if any(now - ex.started < LONG_LIVED_S for ex in self._live.values()):
            return 0.0
        return now - self._last_activity

    @property
    def handing_over_large_body(self) -> bool:
        """True while Chromium hands over a large body. ``getResponseBody`` runs on the
        renderer's main thread (measured: ~4 s per 100 MiB of binary, ~15 s per 100 MiB of
        non-ASCII text), so the page does not run script meanwhile: not a hung page."""
        return self._large.locked()

    @property
    def budget_exceeded(self) -> bool:
        """True once ``max_capture_bytes`` was reached and bodies were truncated."""
        return self._budget_exceeded

    # -- event handlers (sync callbacks from Playwright; async work goes into tasks) ------
    def _spawn(self, coro: Any) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # an exception's text may quote a URL with a token in it
            log.warning("recorder task failed: %s", self.redactor.text(repr(task.exception())))

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _on_request(self, params: dict[str, Any]) -> None:
        self._touch()
        self._requests_started += 1
        if self._closed:
            return
        req = params["request"]
        url: str = req["url"]
        request_id: str = params["requestId"]
        redirect = params.get("redirectResponse")
        previous = self._live.pop(request_id, None)
        if redirect is not None and previous is not None:
            # The previous hop ended in a redirect: it has headers and no body of interest.
            self._apply_response(previous, redirect)
            previous.done = True
            self._write(previous, b"")
        if urlsplit(url).scheme not in ("http", "https"):
            self.stats.skipped_schemes += 1
            return
        post: bytes | None = None
        if req.get("postData") is not None:
            post = str(req["postData"]).encode("utf-8")
        elif req.get("postDataEntries"):
            post = b"".join(
                base64.b64decode(e.get("bytes", "")) for e in req["postDataEntries"]
            )
        wall = params.get("wallTime")
        moment = datetime.fromtimestamp(wall, UTC) if wall else datetime.now(UTC)
        ex = Exchange(
            request_id=request_id,
            url=url,
            method=req.get("method", "GET"),
            resource_type=params.get("type", "Other"),
            request_headers=dict(req.get("headers") or {}),
            post_data=post,
            request_time=moment,
        )
        queued = self._req_extra.get(request_id)
        if queued:
            ex.raw_request_headers = queued.popleft()
        self._live[request_id] = ex
        self.stats.requests += 1
        if request_id == self.main_request_id:
            self.main_chain.append(url)  # a redirect hop of the page itself
        if (
            self.main_document is None
            and params.get("type") == "Document"
            and params.get("loaderId") == request_id
        ):
            self.main_document = ex
            self.main_request_id = request_id
            self.main_chain.append(url)

    def _on_request_extra(self, params: dict[str, Any]) -> None:
        headers = dict(params.get("headers") or {})
        ex = self._live.get(params["requestId"])
        if ex is not None and ex.raw_request_headers is None and ex.status is None:
            ex.raw_request_headers = headers
        else:
            self._req_extra.setdefault(params["requestId"], deque()).append(headers)

    def _on_response(self, params: dict[str, Any]) -> None:
        self._touch()
        ex = self._live.get(params["requestId"])
        if ex is None:
            return
        self._apply_response(ex, params["response"])

    def _on_response_extra(self, params: dict[str, Any]) -> None:
        headers = dict(params.get("headers") or {})
        ex = self._live.get(params["requestId"])
        if ex is not None and ex.raw_response_headers is None and ex.status is not None:
            ex.raw_response_headers = headers
        else:
            self._resp_extra.setdefault(params["requestId"], deque()).append(headers)

    def _apply_response(self, ex: Exchange, response: dict[str, Any]) -> None:
        ex.status = int(response.get("status", 0))
        ex.status_text = response.get("statusText") or ""
        ex.response_headers = dict(response.get("headers") or {})
        ex.protocol = response.get("protocol") or ""
        ex.remote_ip = response.get("remoteIPAddress") or ""
        ex.mime_type = response.get("mimeType") or ""
        ex.response_time = datetime.now(UTC)
        queued = self._resp_extra.get(ex.request_id)
        if queued and ex.raw_response_headers is None:
            ex.raw_response_headers = queued.popleft()
        head = self.raw_head_of(ex.url, ex.method) if self.raw_head_of is not None else None
        _read_sent_head(ex, head)
        if ex.bad_status:
            line = ex.sent_status_line or f"{ex.status} {ex.status_text}".strip()
            self.stats.failed.append({
                "url": ex.url,
                "reason": f"no numeric status code in the status line {line[:80]!r}; "
                          "recorded as sent, not counted as a success"})
            if ex.request_id == self.main_request_id and not self.main_failed.is_set():
                # the page itself: not a page that loaded, whatever the browser then shows
                self.main_failure = "ERR_INVALID_RESPONSE"
                self.main_failed.set()

    def _on_data(self, params: dict[str, Any]) -> None:
        ex = self._live.get(params["requestId"])
        if ex is None:
            return
        if time.monotonic() - ex.started < LONG_LIVED_S:
            self._touch()  # a stream's endless trickle must not hold the page "busy"
        ex.received_bytes += int(params.get("dataLength", 0))
        if not ex.truncated and ex.received_bytes > self.max_capture_bytes - self.stats.body_bytes:
            # past the byte cap already while loading (an endless stream never finishes)
            self._cap_reached(ex)

    def _cap_reached(self, ex: Exchange) -> None:
        self._budget_exceeded = True
        ex.truncated = "length"
        self.stats.truncated.append({"url": ex.url, "reason": Msg("body.byte_cap")})

    def _reserve(self, ex: Exchange, size: int) -> int:
        """Count body bytes against the capture cap; returns how many of ``size`` fit.

        Past the cap the body is kept up to the cap and marked ``WARC-Truncated: length``.
        """
        allowed = max(0, min(size, self.max_capture_bytes - self.stats.body_bytes))
        if allowed < size and ex.truncated != "length":
            self._cap_reached(ex)
        self.stats.body_bytes += allowed
        return allowed

    def _on_finished(self, params: dict[str, Any]) -> None:
        self._touch()
        ex = self._live.get(params["requestId"])
        if ex is None:
            return
        ex.done = True
        ex.encoded_bytes = int(params.get("encodedDataLength") or 0)
        # the network is done with it; fetching the body is our work, not the page's
        self._live.pop(ex.request_id, None)
        self._spawn(self._fetch_and_write(ex))

    def _lose(self, ex: Exchange, reason: str, how: str = "unspecified") -> None:
        """The body of ``ex`` cannot be recorded whole: mark it (WARC-Truncated) and list it
        (the capture becomes PARTIAL)."""
        if ex.truncated == "length":
            return  # already listed for the byte cap
        ex.truncated = how
        self.stats.truncated.append({"url": ex.url, "reason": reason})

    async def _fetch_and_write(self, ex: Exchange) -> None:
        spool: BinaryIO | None = None
        length = fetched = 0
        try:
            if ex.method != "HEAD" and ex.status not in (204, 304):
                if ex.received_bytes > self.stream_threshold:
                    async with self._large:
                        spool, fetched = await self._fetch_large(ex)
                        length = _redact_spool(self.redactor, spool, fetched, _ctype(ex))
                else:
                    body = await self._fetch_body(ex)
                    body = body[: self._reserve(ex, len(body))] if body else b""
                    fetched = len(body)
                    # known session secrets (cookie values, tokens) can sit in HTML or JSON
                    body = self.redactor.body(body, _ctype(ex))
                    spool, length = io.BytesIO(body), len(body)
        except (PlaywrightError, TimeoutError) as exc:
            # e.g. evicted (over MAX_BODY_BYTES) or the target closed: keep the headers, say so
            text = str(exc) or "timeout"
            evicted = "evicted" in text and ex.received_bytes > MAX_BODY_BYTES
            self._lose(ex, Msg("body.unavailable", detail=text[:200],
                               evicted="yes" if evicted else "no",
                               mib=MAX_BODY_BYTES // _MIB),
                       "length" if evicted else "unspecified")
        except asyncio.CancelledError:
            # recording stopped while the browser was still handing the body over
            self._lose(ex, Msg("body.handing_over",
                               seconds=round(time.monotonic() - self._started)), "time")
            spool, length = None, 0
        try:
            # the bytes as handed over (redaction may have replaced secrets since)
            self._check(ex, fetched if spool is not None else 0)
            self._write_stream(ex, spool or io.BytesIO(b""), length)
        finally:
            if spool is not None:
                spool.close()

    async def _body_reply(self, ex: Exchange) -> dict[str, Any]:
        return await asyncio.wait_for(
            self.cdp.send("Network.getResponseBody", {"requestId": ex.request_id}),
            BODY_FETCH_TIMEOUT_S + BODY_FETCH_S_PER_MIB * ex.received_bytes / _MIB)

    async def _fetch_body(self, ex: Exchange) -> bytes:
        reply = await self._body_reply(ex)
        raw = reply.get("body", "")
        if reply.get("base64Encoded"):
            return base64.b64decode(raw)
        # Chromium hands text back decoded; encode it with the charset it was decoded from,
        # so a Latin-1 page keeps its original bytes
        return _encode_text(raw, ex.response_headers)

    async def _fetch_large(self, ex: Exchange) -> tuple[BinaryIO, int]:
        """A large body, decoded to a spool file slice by slice; its length (capped)."""
        spool, size = await _spool_body(await self._body_reply(ex), ex, self.spool_dir)
        keep = self._reserve(ex, size)
        spool.truncate(keep)
        spool.seek(0)
        self.stats.streamed += 1
        return spool, keep

    def _check(self, ex: Exchange, stored: int) -> None:
        """The stored-vs-received check of one response (see :func:`_shortfall`)."""
        problem = _shortfall(ex, stored, self.stats)
        if problem is not None:
            self._lose(ex, problem)

    def _on_failed(self, params: dict[str, Any]) -> None:
        self._touch()
        ex = self._live.pop(params["requestId"], None)
        if ex is None:
            return
        reason = params.get("blockedReason") or params.get("errorText") or "failed"
        if params.get("canceled"):
            reason = f"canceled ({reason})"
        elif params["requestId"] == self.main_request_id and not self.main_failed.is_set():
            # the page itself failed (e.g. reset after its headers): navigation need not wait
            # for a load that will never come
            self.main_failure = str(params.get("errorText") or reason)
            self.main_failed.set()
        self.stats.failed.append({"url": ex.url, "reason": str(reason)})
        if ex.status is not None:
            # Headers arrived, the body did not complete: keep what is known, marked truncated.
            if ex.truncated is None:
                ex.truncated = "disconnect"
                if not params.get("canceled"):
                    # the server cut it (reset): a loss; a cancel by the page itself is not
                    self.stats.truncated.append({"url": ex.url, "reason": Msg(
                        "body.cut_off", detail=str(reason))})
            self._write(ex, b"")

    # -- writing --------------------------------------------------------------------------
    def _write(self, ex: Exchange, body: bytes) -> None:
        # known session secrets (cookie values, tokens) can sit in HTML or JSON bodies too
        body = self.redactor.body(body, _ctype(ex))
        self._write_stream(ex, io.BytesIO(body), len(body))

    def _write_stream(self, ex: Exchange, body: BinaryIO, length: int) -> None:
        if self._closed or ex.status is None:
            return
        remote_ip = self.address_of(ex.url) if self.address_of is not None else ex.remote_ip
        self.writer.write_exchange(**_warc_exchange(ex, self.redactor, remote_ip, length),
                                   body=body, body_length=length)
        self.stats.responses_written += 1
        self.written.add((ex.method, ex.url))

    async def record_missed(self, requests: list[Any]) -> int:
        """Write exchanges the page's CDP session did not see (dedicated and shared workers,
        out-of-process frames), from Playwright's own request objects. Returns the count."""
        added = 0
        for request in requests:
            key = (request.method, request.url)
            if key in self.written or urlsplit(request.url).scheme not in ("http", "https"):
                continue
            try:
                response = await request.response()
                if response is None:
                    continue
                body = await response.body()
                req_headers = await request.all_headers()
                resp_headers = await response.all_headers()
            except PlaywrightError as exc:
                log.debug("missed request %s not recordable: %s", request.url, exc)
                continue
            ex = _exchange_of(f"pw-{added}", request, response, req_headers, resp_headers)
            body = body[: self._reserve(ex, len(body))]
            closed, self._closed = self._closed, False
            try:
                self._write(ex, body)
            finally:
                self._closed = closed
            added += 1
        return added

    async def drain(self, timeout_s: float) -> int:
        """Wait for pending body fetches; returns how many requests were still in flight."""
        deadline = time.monotonic() + timeout_s
        while self._tasks and time.monotonic() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.05, deadline - time.monotonic()))
        return len(self._live)

    async def stop(self, timeout_s: float = 10.0) -> None:
        """Finish pending writes and stop recording.

        Nothing with headers is dropped: a body still being handed over, or still loading,
        is written with its headers and ``WARC-Truncated`` (``time``, or ``length`` past the
        byte cap) and listed in ``stats.truncated``; unfinished requests are listed as failed.
        """
        if self._closed:
            return
        await self.drain(timeout_s)
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()  # each writes its record, marked truncated
        if tasks:
            await asyncio.wait(tasks, timeout=5.0)
        stopped_after = time.monotonic() - self._started
        for ex in list(self._live.values()):
            self.stats.failed.append({"url": ex.url, "reason": "still loading when capture ended"})
            if ex.status is None:
                continue  # no response yet: nothing was sent to record
            self._lose(ex, Msg("body.still_loading", seconds=round(stopped_after),
                               received=ex.received_bytes), "time")
            self._check(ex, 0)
            self._write(ex, b"")
        self._live.clear()
        self._closed = True


def _read_sent_head(ex: Exchange, head: bytes | None) -> None:
    """Take the site's own ``head`` for ``ex`` (when it is this response's) and judge its
    status line: ``ex.bad_status`` when it has no three-digit code."""
    if head is not None:
        protocol, line, headers = _parse_head(head)
        # Chromium reads the code's leading digits: a head that disagrees is not this
        # response's (the same URL asked twice at once); the browser's reading is kept
        digits = line[: len(line) - len(line.lstrip("0123456789"))]
        if digits and int(digits) == ex.status:
            ex.sent_protocol, ex.sent_status_line, ex.sent_headers = protocol, line, headers
    if ex.sent_status_line is not None:
        code = ex.sent_status_line.split(" ", 1)[0]
        ex.bad_status = _STATUS_CODE.fullmatch(code) is None
    else:
        # Chromium's reading: a code it could not read whole is not three digits
        ex.bad_status = not 100 <= (ex.status or 0) <= 999


def _shortfall(ex: Exchange, stored: int, stats: RecorderStats) -> str | None:
    """Compare ``stored`` body bytes with what the browser received (decoded) and with an
    identity-encoded Content-Length; returns why they differ, when not accounted for yet."""
    stats.checked += 1
    stats.received_bytes += ex.received_bytes
    stats.encoded_bytes += ex.encoded_bytes
    if ex.method == "HEAD" or ex.status in (204, 304):
        return None
    expected = ex.received_bytes
    declared = _header(ex.raw_response_headers or ex.response_headers, "content-length")
    encoded = _header(ex.raw_response_headers or ex.response_headers, "content-encoding")
    if declared.strip().isdigit() and encoded.strip().lower() in ("", "identity"):
        expected = max(expected, int(declared))
    if ex.truncated is None and stored == expected:
        stats.largest_whole = max(stats.largest_whole, stored)
    if stored == expected or (ex.truncated is not None and stored < expected):
        return None
    if expected == 0 and stored > 0:
        return None  # the browser reported no figure (e.g. no dataReceived): nothing to compare
    stats.mismatched.append({
        "url": ex.url, "stored": stored, "received": ex.received_bytes,
        "content_length": int(declared) if declared.strip().isdigit() else None})
    if stored < expected:
        return Msg("body.stored_less", stored=stored, expected=expected)
    # e.g. text the browser decoded and could not be encoded back to the same bytes
    return Msg("body.stored_other", stored=stored, expected=expected)


async def _spool_body(reply: dict[str, Any], ex: Exchange, spool_dir: Path
                      ) -> tuple[BinaryIO, int]:
    """The body of a ``getResponseBody`` reply in a new spool file (decoded off the event
    loop, slice by slice); the file and its size."""
    spool = tempfile.TemporaryFile(dir=spool_dir)  # noqa: SIM115 - the caller closes it
    try:
        raw = reply.pop("body", "")
        if reply.get("base64Encoded"):
            size = await asyncio.to_thread(_decode_to, raw, spool)
        else:
            text = _encode_text(raw, ex.response_headers)
            size = len(text)
            spool.write(text)
    except BaseException:
        spool.close()
        raise
    return spool, size


def _ctype(ex: Exchange) -> str:
    """The content type the redactor judges ``ex``'s body by."""
    return ex.mime_type or _header(ex.response_headers, "content-type")


def _redact_spool(redactor: HeaderRedactor, spool: BinaryIO, length: int, ctype: str) -> int:
    """Known secrets replaced in a spooled body as in a small one (the spool is rewritten
    only when one was found); returns the body's length after it, the spool at its start.

    Read whole: a large textual body was one string in memory a moment ago (the reply), and
    only one large body is handled at a time (``NetworkRecorder._large``)."""
    if redactor.redacts_body(ctype):
        spool.seek(0)
        data = spool.read()
        redacted = redactor.body(data, ctype)
        if redacted is not data:
            spool.seek(0)
            spool.truncate()
            spool.write(redacted)
            length = len(redacted)
        spool.seek(0)
    return length


def _exchange_of(request_id: str, request: Any, response: Any, req_headers: dict[str, str],
                 resp_headers: dict[str, str]) -> Exchange:
    """An exchange from Playwright's request and response objects (``record_missed``)."""
    return Exchange(
        request_id=request_id, url=request.url, method=request.method,
        resource_type=request.resource_type, request_headers=req_headers,
        post_data=request.post_data_buffer, request_time=datetime.now(UTC),
        status=response.status, status_text=response.status_text,
        response_headers=resp_headers, response_time=datetime.now(UTC),
        mime_type=resp_headers.get("content-type", ""),
    )


def _decode_to(text: str, out: BinaryIO) -> int:
    """Decode base64 ``text`` into ``out`` slice by slice; returns the bytes written."""
    size = 0
    for start in range(0, len(text), _B64_SLICE):
        try:
            chunk = base64.b64decode(text[start:start + _B64_SLICE])
        except binascii.Error as exc:
            raise PlaywrightError(f"the browser sent a body that is not base64: {exc}") from None
        out.write(chunk)
        size += len(chunk)
    return size


def _parse_head(head: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    """Protocol, status line (after the protocol) and headers of a response head, each
    character one byte (Latin-1), values as sent (outer whitespace removed)."""
    lines = head.decode("latin-1").split("\r\n")
    protocol, _, status_line = lines[0].partition(" ")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:  # obsolete line folding: one value
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip(_OWS))
            continue
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(_OWS), value.strip(_OWS)))
    return protocol, status_line, headers


def _encode_text(text: str, headers: dict[str, str]) -> bytes:
    charset = "utf-8"
    ctype = _header(headers, "content-type")
    for part in ctype.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip().strip('"')
    try:
        return text.encode(charset)
    except (LookupError, UnicodeEncodeError):
        return text.encode("utf-8")


def _header(headers: dict[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return target


def _header_pairs(headers: dict[str, str]) -> list[tuple[str, str]]:
    """CDP joins repeated headers with newlines; split them back, drop HTTP/2 pseudo-headers."""
    pairs: list[tuple[str, str]] = []
    for name, value in headers.items():
        if name.startswith(":"):
            continue
        for part in str(value).split("\n"):
            # header values must be single-line; strip stray CR left by some servers
            pairs.append((name, part.replace("\r", "")))
    return pairs


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _wire_protocol(ex: Exchange) -> str:
    """The protocol word of the recorded status line: as sent when known; HTTP/1.1 for
    HTTP/2 and HTTP/3, which have no status line (``WARC-Protocol`` names them)."""
    if ex.sent_protocol:
        return ex.sent_protocol
    return "HTTP/1.0" if ex.protocol.lower() == "http/1.0" else "HTTP/1.1"


def _warc_exchange(ex: Exchange, redactor: HeaderRedactor, remote_ip: str | None,
                   length: int) -> dict[str, Any]:
    """The request and response of ``ex`` as they are written to the WARC (redacted, with
    the decoded body's length), as keyword arguments of ``write_exchange``."""
    assert ex.status is not None
    url = redactor.url(ex.url)
    # headers for the proxy (the browser talks to somecapture's guard proxy) never
    # reached the site: they are not part of the exchange the record stands for
    req_headers = [(k, v) for k, v in _header_pairs(ex.raw_request_headers
                                                    or ex.request_headers)
                   if k.lower() not in _PROXY_HOP_HEADERS]
    if not any(k.lower() == "host" for k, _ in req_headers):
        req_headers.insert(0, ("Host", urlsplit(ex.url).netloc))
    # the head as the site sent it (guard proxy, plain HTTP), else as Chromium received it:
    # ExtraInfo values are one character per byte, as are the head's
    sent = (ex.sent_headers if ex.sent_headers is not None
            else _header_pairs(ex.raw_response_headers or ex.response_headers))
    resp_headers = [(k, v) for k, v in sent if k.lower() not in _TRANSFER_HEADERS]
    resp_headers.append(("Content-Length", str(length)))
    # headers first: a secret learned from them is redacted from the request body too
    req_headers = redactor.request_headers(req_headers)
    resp_headers = redactor.response_headers(resp_headers)
    warc_extra: dict[str, str] = {}
    if remote_ip:
        warc_extra["WARC-IP-Address"] = remote_ip.strip("[]")
    if ex.protocol:
        # WARC 1.1 extension field proposed by IIPC: the protocol actually used (h2, h3…)
        warc_extra["WARC-Protocol"] = ex.protocol.lower()
    if ex.truncated:
        warc_extra["WARC-Truncated"] = ex.truncated
    post = ex.post_data
    if post:
        post = redactor.body(post, _header(ex.request_headers, "content-type")
                             or "application/x-www-form-urlencoded")
    return {
        "url": url,
        "request_line": f"{ex.method} {_request_target(url)} HTTP/1.1",
        "request_headers": req_headers,
        "request_body": post,
        "request_time": ex.request_time,
        "status_line": (ex.sent_status_line if ex.sent_status_line is not None
                        else f"{ex.status} {ex.status_text or _reason(ex.status)}"),
        "response_protocol": _wire_protocol(ex),
        "response_headers": resp_headers,
        "response_time": ex.response_time or ex.request_time,
        "response_warc_headers": warc_extra,
    }
