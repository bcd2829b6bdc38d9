"""A local forwarding proxy that every byte of a capture passes through.

Why a proxy and not only request interception: Playwright's routes (and CDP's Fetch domain as
Playwright uses it) see the first request of a redirect chain, not its hops, so a public URL
that answers ``302 Location: http://10.0.0.1/`` would be followed unchecked; and a host name
checked by the tool may resolve differently when the browser connects (DNS rebinding). A proxy
sees every connection the browser opens — each redirect hop, workers, WebSockets, prefetches —
and connects itself, to the very address it checked. Scoop (Harvard LIL) records through an
intercepting proxy for the same reasons.

Two roles:

* the **capture proxy** of one browser context: resolves, checks (private and local networks
  refused unless allowed; the rules are in :mod:`~somecapture.engine.addresspolicy`),
  connects to the checked address (or through the configured upstream proxy) and relays. It
  never answers in the name of a site: a refused plain-HTTP request is closed without a
  response, a refused tunnel gets the proxy's own ``403`` to ``CONNECT``; either way the
  browser reports a network error and the reason is kept here.
* the **sink** of the browser as a whole: Chromium's own background traffic (sign-in account
  checks, component updates) uses the browser-wide proxy, not a context's; the sink refuses
  all of it, so nothing but the pages' own traffic leaves the machine.

TLS is relayed end to end inside ``CONNECT`` tunnels (the browser checks certificates itself);
plain HTTP is forwarded one request per connection (``Connection: close``), which keeps the
relay simple and exact.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import ipaddress
import logging
import socket
import ssl
import struct
import time
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from somecapture.engine.addresspolicy import (
    PRIVATE_REASON,
    is_local_name,
    is_loopback_address,
    is_private_destination,
)
from somecapture.messages import Msg

log = logging.getLogger(__name__)

#: longest request or response head accepted (a browser's are a few KiB; Chromium's own limit
#: for response heads is the same 256 KiB)
MAX_HEAD_BYTES = 256 * 1024
#: the proxy's own codes in :attr:`GuardProxy.failures` for a head over :data:`MAX_HEAD_BYTES`:
#: a limit of this tool, not a fault of the site or the network (the browser only sees the
#: connection close, "empty response"); see ``LOCAL_LIMITS`` in
#: :mod:`~somecapture.engine.navigation`
RESPONSE_HEAD_LIMIT = "SOMECAPTURE_RESPONSE_HEAD_LIMIT"
REQUEST_HEAD_LIMIT = "SOMECAPTURE_REQUEST_HEAD_LIMIT"
#: how long a TCP connect to a site (or the upstream proxy) may take
CONNECT_TIMEOUT_S = 30.0
#: RFC 8305's "connection attempt delay": the next address is tried after this long
HAPPY_EYEBALLS_DELAY_S = 0.25
#: most failures, refusals and blocked requests kept per proxy
MAX_RECORDED = 1000
#: response heads of plain-HTTP responses kept for the recorder, bytes in all (beyond it the
#: recorder falls back to the browser's reading of the head)
MAX_KEPT_HEAD_BYTES = 8 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass
class ConnectionFailure:
    """Why the proxy could not (or would not) connect somewhere, as a Chromium error code."""

    host: str
    port: int
    net_error: str  # e.g. ERR_NAME_NOT_RESOLVED, ERR_BLOCKED_BY_CLIENT
    detail: str
    at: float = field(default_factory=time.monotonic)


class _HeadTooLarge(ValueError):
    """A head over :data:`MAX_HEAD_BYTES` (a ValueError: the connection is cut)."""


class _Refused(Exception):
    def __init__(self, net_error: str, detail: str) -> None:
        super().__init__(detail)
        self.net_error = net_error
        self.detail = detail


@dataclass(frozen=True)
class Upstream:
    """A configured proxy that all traffic must go through (agency networks)."""

    scheme: str  # http, https (TLS to the proxy) or socks5
    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str) -> Upstream:
        """From ``http://user:pw@proxy:8080``, ``https://…`` or ``socks5://…``."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise ValueError(f"unsupported proxy {scheme}://{parts.hostname}")
        return cls(scheme, parts.hostname, parts.port or _DEFAULT_PORTS[scheme],
                   unquote(parts.username) if parts.username is not None else None,
                   unquote(parts.password) if parts.password is not None else None)

    @property
    def speaks_http(self) -> bool:
        """An HTTP proxy (CONNECT for tunnels, absolute URLs for plain requests)."""
        return self.scheme in ("http", "https")

    @property
    def authorization(self) -> str | None:
        """``Proxy-Authorization`` value for an HTTP proxy with credentials."""
        if self.username is None:
            return None
        raw = f"{self.username}:{self.password or ''}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")


_DEFAULT_PORTS = {"http": 8080, "https": 443, "socks5": 1080}


def system_proxy() -> tuple[str | None, Callable[[str], bool], Msg | None]:
    """The proxy this computer is set up with (environment, Windows registry, macOS
    settings), its bypass rule, and why a configured one cannot be used (or None).

    PAC scripts and NTLM/Negotiate proxy logins are not supported: configure ``proxy`` (with
    credentials if needed) for such networks.
    """
    problem = None
    found = urllib.request.getproxies()
    url = found.get("https") or found.get("http") or found.get("all")
    if url and "://" not in url:
        url = f"http://{url}"  # "proxy:3128", as curl and browsers read it
    if url and url.lower().startswith("socks5h://"):
        url = "socks5://" + url[len("socks5h://"):]  # names go to the SOCKS proxy anyway
    if url:
        try:
            Upstream.parse(url)
        except ValueError:
            # (the proxy's address without its login; the advice names where the archivist
            # is: the app's setting or the command line's option)
            problem = Msg("note.system_proxy_unusable", proxy=url.split("@")[-1])
            log.warning("%s", problem)
            url = None

    def bypass(host: str) -> bool:
        try:
            return bool(urllib.request.proxy_bypass(host))
        except (OSError, ValueError):
            return False

    return url, bypass, problem


class GuardProxy:
    """One listening proxy on 127.0.0.1; see the module text for its two roles.

    ``upstream``: a proxy all connections go through, except hosts ``bypass`` names and
    this computer's own loopback addresses (intranet addresses do go to the upstream).
    """

    def __init__(self, *, allow_private: bool = False, upstream: str | None = None,
                 refuse_all: bool = False, bypass: Callable[[str], bool] | None = None,
                 login: tuple[str, str] | None = None) -> None:
        self.allow_private = allow_private
        # a listener on 127.0.0.1 is open to every user of the computer (terminal servers):
        # with a login, only the capture's own browser context can use it
        self._expected_auth = (
            "Basic " + base64.b64encode(f"{login[0]}:{login[1]}".encode()).decode("ascii")
            if login else None)
        self.upstream = Upstream.parse(upstream) if upstream else None
        self.bypass = bypass
        self.refuse_all = refuse_all
        #: requests refused for the private-network rule: {"url", "reason"} like NetworkGuard
        self.blocked: list[dict[str, str]] = []
        #: every connection that failed or was refused, oldest first
        self.failures: list[ConnectionFailure] = []
        #: what the sink refused (host:port), for the log and the tests
        self.refused_background: list[str] = []
        #: blocked requests beyond MAX_RECORDED (counted, not listed)
        self.blocked_dropped = 0
        #: "host:port" → the address actually connected to (WARC-IP-Address)
        self.addresses: dict[str, str] = {}
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._tls: ssl.SSLContext | None = None
        self._bypassed: dict[str, bool] = {}
        self._resolved: dict[str, list[str]] = {}
        # absolute URL → final response heads of plain-HTTP responses, oldest first
        self._heads: dict[str, deque[bytes]] = {}
        self._heads_bytes = 0

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` once started."""
        assert self._server is not None, "start() first"
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def start(self) -> str:
        """Listen on a free loopback port; returns :attr:`url`."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0,
                                                  limit=MAX_HEAD_BYTES)
        return self.url

    async def close(self) -> None:
        """Stop listening and cut every relayed connection."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def address_of(self, url: str) -> str | None:
        """The IP address the proxy connected to for ``url``'s host and port, if it did."""
        key = _url_key(url)
        return self.addresses.get(key) if key else None

    def take_head(self, url: str, method: str = "GET") -> bytes | None:
        """The head (status line and header lines as the site sent them, CRLF line ends) of
        the oldest plain-HTTP response to ``method url`` not taken yet.

        Chromium normalises what it reports of a head (``2OO`` becomes status ``2``, header
        bytes are decoded); the recorder keeps the site's own bytes from here. None for
        HTTPS (the tunnel carries TLS end to end) and for heads not kept.
        """
        key = f"{method.upper()} {url}"
        queue = self._heads.get(key)
        if not queue:
            return None
        head = queue.popleft()
        if not queue:
            del self._heads[key]
        self._heads_bytes -= len(head)
        return head

    def _keep_head(self, method: str, url: str, head: bytes) -> None:
        if self._heads_bytes + len(head) > MAX_KEPT_HEAD_BYTES:
            return  # heads nobody took (e.g. workers' requests): bounded, not leaked
        # by method too: a CORS preflight (OPTIONS) to the same URL is another response
        self._heads.setdefault(f"{method.upper()} {url}", deque()).append(head)
        self._heads_bytes += len(head)

    def first_failure_since(self, moment: float, urls: list[str] | None = None
                            ) -> ConnectionFailure | None:
        """The earliest connection failure at or after ``moment`` (``time.monotonic()``),
        only for the hosts and ports of ``urls`` when given."""
        wanted = None if urls is None else {_url_key(url) for url in urls}
        return next((f for f in self.failures if f.at >= moment
                     and (wanted is None or _key(f.host, f.port) in wanted)), None)

    # -- serving --------------------------------------------------------------------------
    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await self._handle(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                OSError, ValueError):
            _abort(writer)  # one broken connection; the browser sees it fail
        except asyncio.CancelledError:
            # close() cuts the connection; not re-raised: asyncio's server would log the
            # cancelled callback task as an error
            _abort(writer)
        else:
            writer.close()  # a clean end: FIN, so the last bytes are not lost to a reset
        finally:
            if task is not None:
                self._tasks.discard(task)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            # the browser's request head (its cookies, a very long address) is over this
            # tool's limit: named for the capture, then the connection is cut
            await self._request_head_too_large(reader)
            raise
        request_line, _, rest = head.partition(b"\r\n")
        method, target, version = request_line.decode("latin-1").split(" ", 2)
        if self._expected_auth is not None and not self._authorized(rest):
            writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                         b'Proxy-Authenticate: Basic realm="somecapture"\r\n'
                         b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return
        if method.upper() == "CONNECT":
            host, port = _split_authority(target)
            if self.refuse_all:
                return await self._refuse_background(writer, f"{host}:{port}", tunnel=True)
            await self._tunnel(reader, writer, host, port)
            return
        parts = urlsplit(target)
        if parts.scheme.lower() != "http" or not parts.hostname:
            # only absolute http:// URLs reach an HTTP proxy; anything else is not ours
            return
        port = parts.port or 80  # ValueError for a bad port: closed without an answer
        if not 1 <= port <= 65535:
            return
        if self.refuse_all:
            return await self._refuse_background(writer, f"{parts.hostname}:{port}",
                                                 tunnel=False)
        await self._forward(reader, writer, method, target, version, rest, parts.hostname, port)

    async def _request_head_too_large(self, reader: asyncio.StreamReader) -> None:
        """Record a :data:`REQUEST_HEAD_LIMIT` failure for the request's host, read from the
        start of the head (still in the reader's buffer)."""
        prefix = await reader.read(8192)
        method, _, rest = prefix.partition(b" ")
        target = rest.split(b" ", 1)[0].decode("latin-1")
        try:
            if method.upper() == b"CONNECT":
                host, port = _split_authority(target)
            else:
                parts = urlsplit(target)
                host, port = parts.hostname or "", parts.port or 80
        except ValueError:
            return  # not even a request line: nothing to name
        if host:
            self._fail(host, port, REQUEST_HEAD_LIMIT,
                       f"{host}:{port}: request head over {MAX_HEAD_BYTES // 1024} KiB")

    def _authorized(self, header_block: bytes) -> bool:
        given = [v for k, v in _parse_headers(header_block) if k.lower() == "proxy-authorization"]
        return bool(given) and hmac.compare_digest(given[0].encode(),
                                                   (self._expected_auth or "").encode())

    async def _refuse_background(self, writer: asyncio.StreamWriter, where: str, *,
                                 tunnel: bool) -> None:
        if len(self.refused_background) < MAX_RECORDED:
            self.refused_background.append(where)
        log.debug("browser background request refused: %s", where)
        if tunnel:
            await _forbid_tunnel(writer)

    async def _tunnel(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      host: str, port: int) -> None:
        # a refusal is the proxy's own 403 to CONNECT: the browser reports
        # ERR_TUNNEL_CONNECTION_FAILED and the capture reads the real reason from `failures`
        try:
            up_reader, up_writer, up = await self._open(host, port, f"{host}:{port}")
        except _Refused:
            return await _forbid_tunnel(writer)
        try:
            try:
                if up is not None and up.speaks_http:
                    await self._upstream_connect(up_reader, up_writer, host, port, up)
            except _Refused:
                return await _forbid_tunnel(writer)
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await _relay(reader, writer, up_reader, up_writer)
        finally:
            _abort(up_writer)

    async def _forward(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       method: str, target: str, version: str, header_block: bytes,
                       host: str, port: int) -> None:
        try:
            up_reader, up_writer, up = await self._open(host, port, target)
        except _Refused:
            return  # closed without an answer: the browser reports a network error
        try:
            headers = _parse_headers(header_block)
            upgrade = any(k.lower() == "upgrade" for k, _ in headers)
            kept = [(k, v) for k, v in headers if k.lower() not in _HOP_HEADERS
                    or (upgrade and k.lower() in ("connection", "upgrade"))]
            if not upgrade:
                # one request per connection: the next request may be for another site
                kept.append(("Connection", "close"))
            if up is not None and up.speaks_http:
                line_target = target  # absolute form for the upstream proxy
                if up.authorization:
                    kept.append(("Proxy-Authorization", up.authorization))
            else:
                parts = urlsplit(target)
                line_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                # the site sees the host that was checked and connected to (RFC 9112 §3.2.2)
                kept = [(k, v) for k, v in kept if k.lower() != "host"]
                kept.insert(0, ("Host", parts.netloc.rpartition("@")[2]))
            up_writer.write(_head(f"{method} {line_target} {version}", kept))
            await up_writer.drain()
            if upgrade:
                await _relay(reader, writer, up_reader, up_writer)
                return
            to_site = asyncio.ensure_future(_pipe(reader, up_writer, half_close=False))
            try:
                await _relay_response(up_reader, writer,
                                      lambda head: self._keep_head(method, target, head))
            except _HeadTooLarge:
                # the browser sees only the connection cut ("empty response"): the capture
                # reads the real reason, a limit of this tool, from `failures`
                self._fail(host, port, RESPONSE_HEAD_LIMIT,
                           f"{host}:{port}: response head over {MAX_HEAD_BYTES // 1024} KiB")
                raise
            finally:
                to_site.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await to_site
        finally:
            _abort(up_writer)

    # -- connecting ------------------------------------------------------------------------
    async def _open(self, host: str, port: int, what: str
                    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, Upstream | None]:
        """Check ``host`` and connect (directly to a checked address, or to the upstream,
        which is returned too)."""
        addresses = await self._check(host, port, what)
        if self.bypass is not None and host.lower() not in self._bypassed:
            # the system's bypass rule may do DNS lookups (Windows, macOS): not on the loop
            self._bypassed[host.lower()] = await asyncio.to_thread(self.bypass, host)
        up = self._upstream_for(host, addresses)
        try:
            if up is None:
                if not addresses:
                    raise _Refused("ERR_NAME_NOT_RESOLVED", f"{host}: not found by this "
                                   "computer's resolver (and bypasses the proxy)")
                return (*await self._connect(addresses, port, host, port, upstream=False), None)
            streams = await self._connect([up.host], up.port, host, port, upstream=True)
            if up.scheme == "socks5":
                try:
                    await _socks5_connect(*streams, host, port, up)
                except (OSError, asyncio.IncompleteReadError) as exc:
                    _abort(streams[1])
                    raise _Refused("ERR_SOCKS_CONNECTION_FAILED",
                                   f"the SOCKS proxy hung up ({exc})") from None
                except BaseException:  # refused, or cancelled: the socket goes too
                    _abort(streams[1])
                    raise
            return (*streams, up)
        except _Refused as exc:
            self._fail(host, port, exc.net_error, exc.detail)
            raise

    def _upstream_for(self, host: str, addresses: list[str]) -> Upstream | None:
        """The upstream proxy for ``host``, or None to connect directly (this computer's own
        loopback addresses, which no proxy can reach, and the bypass list)."""
        if self.upstream is None:
            return None
        if addresses and all(is_loopback_address(a) for a in addresses):
            return None
        if self.bypass is not None:
            # answered off the loop by _open beforehand; asked here only when called directly
            bypassed = self._bypassed.get(host.lower())
            if bypassed if bypassed is not None else self.bypass(host):
                return None
        return self.upstream

    async def _check(self, host: str, port: int, what: str) -> list[str]:
        """The addresses ``host`` may be reached at; refuses private ones unless allowed."""
        try:
            addresses = await self._resolve(host)
        except _Refused as exc:
            if self.upstream is None:
                self._fail(host, port, exc.net_error, exc.detail)
                raise
            addresses = []  # only the upstream proxy can resolve it: it connects by name
        if not self.allow_private and is_private_destination(host, addresses):
            if len(self.blocked) < MAX_RECORDED:
                self.blocked.append({"url": _describe(what, port)[:500],
                                     "reason": PRIVATE_REASON})
            else:
                self.blocked_dropped += 1
            self._fail(host, port, "ERR_BLOCKED_BY_CLIENT", PRIVATE_REASON)
            raise _Refused("ERR_BLOCKED_BY_CLIENT", PRIVATE_REASON)
        return addresses

    async def _resolve(self, host: str) -> list[str]:
        bare = host.strip("[]")
        try:
            return [str(ipaddress.ip_address(bare))]
        except ValueError:
            pass
        if bare in self._resolved:
            return self._resolved[bare]
        if is_local_name(bare):
            # RFC 6761: the browser answers these itself (IDN ones included); resolvers may not
            return ["127.0.0.1", "::1"]
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                bare, None, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise _Refused("ERR_NAME_NOT_RESOLVED", f"{bare}: {exc}") from None
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if not addresses:
            raise _Refused("ERR_NAME_NOT_RESOLVED", f"{bare}: no address")
        self._resolved[bare] = addresses
        return addresses

    async def _connect(self, addresses: list[str], port: int, host: str, site_port: int, *,
                       upstream: bool) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Connect to the first of ``addresses`` that answers.

        Happy eyeballs (RFC 8305), as the browser would: the next address (IPv6 and IPv4
        alternating) is tried :data:`HAPPY_EYEBALLS_DELAY_S` after the previous one unless it
        answered, so a network with broken IPv6 costs a quarter second, not a timeout.
        """
        tls = upstream and self.upstream is not None and self.upstream.scheme == "https"
        if tls and self._tls is None:
            self._tls = ssl.create_default_context()  # loads the CA store once
        context = self._tls if tls else None

        async def attempt(address: str
                          ) -> tuple[str, asyncio.StreamReader, asyncio.StreamWriter]:
            reader, writer = await asyncio.open_connection(address, port, limit=MAX_HEAD_BYTES,
                                                           ssl=context)
            return address, reader, writer

        order = _interleave(addresses)
        pending: set[asyncio.Task[tuple[str, asyncio.StreamReader, asyncio.StreamWriter]]] = set()
        started: dict[asyncio.Task[Any], str] = {}
        errors: list[_Refused] = []
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        winner: tuple[str, asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while winner is None and (order or pending):
                if order:
                    task = asyncio.ensure_future(attempt(order[0]))
                    started[task] = order.pop(0)
                    pending.add(task)
                wait_s = deadline - time.monotonic()
                if wait_s <= 0:
                    break
                done, pending = await asyncio.wait(
                    pending, return_when=asyncio.FIRST_COMPLETED,
                    timeout=min(wait_s, HAPPY_EYEBALLS_DELAY_S) if order else wait_s)
                for task in done:
                    exc = task.exception()
                    if exc is None and winner is None:
                        winner = task.result()
                    elif exc is None:
                        _abort(task.result()[2])  # a second success: not needed
                    else:
                        errors.append(_connect_error(exc, started[task], port, upstream))
        finally:
            for task in pending:
                # a loser that connects after all is closed by its callback; nothing here
                # waits on it, so a cancellation of this task is never swallowed
                task.add_done_callback(_abort_if_connected)
                task.cancel()
        if winner is None:
            if pending or not errors:
                raise _Refused("ERR_PROXY_CONNECTION_FAILED" if upstream
                               else "ERR_CONNECTION_TIMED_OUT",
                               f"{', '.join(addresses)} port {port}: timed out")
            raise errors[-1]
        address, reader, writer = winner
        if not upstream:
            peer = writer.get_extra_info("peername")
            self.addresses[_key(host, site_port)] = str(peer[0]) if peer else address
        return reader, writer

    async def _upstream_connect(self, reader: asyncio.StreamReader,
                                writer: asyncio.StreamWriter, host: str, port: int,
                                up: Upstream) -> None:
        authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        headers = [("Host", authority)]
        if up.authorization:
            headers.append(("Proxy-Authorization", up.authorization))
        try:
            writer.write(_head(f"CONNECT {authority} HTTP/1.1", headers))
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            detail = (f"the proxy's answer to CONNECT is larger than this tool's "
                      f"{MAX_HEAD_BYTES // 1024} KiB limit")
            self._fail(host, port, "ERR_TUNNEL_CONNECTION_FAILED", detail)
            raise _Refused("ERR_TUNNEL_CONNECTION_FAILED", detail) from None
        except (OSError, asyncio.IncompleteReadError) as exc:
            detail = f"the proxy hung up before answering CONNECT ({type(exc).__name__})"
            self._fail(host, port, "ERR_TUNNEL_CONNECTION_FAILED", detail)
            raise _Refused("ERR_TUNNEL_CONNECTION_FAILED", detail) from None
        status_line = head.split(b"\r\n", 1)[0]
        if status_line.split(b" ", 2)[1:2] != [b"200"]:
            detail = f"the proxy answered {status_line.decode('latin-1')}"
            if status_line.split(b" ", 2)[1:2] == [b"407"]:
                detail += (" (it wants a login: give it in the proxy setting as "
                           "http://user:password@host:port; NTLM/Negotiate logins are not "
                           "supported)")
            self._fail(host, port, "ERR_TUNNEL_CONNECTION_FAILED", detail)
            raise _Refused("ERR_TUNNEL_CONNECTION_FAILED", detail)

    def _fail(self, host: str, port: int, net_error: str, detail: str) -> None:
        if len(self.failures) < MAX_RECORDED:  # a looping hostile page cannot fill memory
            self.failures.append(ConnectionFailure(host.strip("[]"), port, net_error, detail))


# -- relaying ------------------------------------------------------------------------------
_HOP_HEADERS = frozenset({"connection", "proxy-connection", "keep-alive", "proxy-authorization",
                          "proxy-authenticate", "te", "trailer", "upgrade"})


async def _forbid_tunnel(writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    await writer.drain()


async def _relay(a_reader: asyncio.StreamReader, a_writer: asyncio.StreamWriter,
                 b_reader: asyncio.StreamReader, b_writer: asyncio.StreamWriter) -> None:
    """Copy both ways until both sides are done (an abrupt end is passed on abruptly)."""
    await asyncio.gather(_pipe(a_reader, b_writer), _pipe(b_reader, a_writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                half_close: bool = True) -> None:
    try:
        while chunk := await reader.read(_CHUNK):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError):
        # a reset on one side must reach the other as a reset, never as a clean end: a body
        # cut short would otherwise look complete to the browser (and the browser names it
        # as the site's reset)
        _reset(writer)
        raise
    if half_close and writer.can_write_eof():
        with contextlib.suppress(OSError, RuntimeError):
            writer.write_eof()


async def _relay_response(up_reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                          on_final_head: Callable[[bytes], None] | None = None) -> None:
    """Pass the site's response on with ``Connection: close`` (interim 1xx heads included);
    ``on_final_head`` gets the final head as the site sent it."""
    while True:
        head = await _read_head(up_reader)
        status_line, _, block = head.partition(b"\r\n")
        headers = [(k, v) for k, v in _parse_headers(block)
                   if k.lower() not in ("connection", "keep-alive", "proxy-connection")]
        code = (status_line.split(b" ", 2) + [b""])[1]
        final = not code.startswith(b"1")
        if final:
            if on_final_head is not None:
                on_final_head(head)
            headers.append(("Connection", "close"))
        writer.write(_head(status_line.decode("latin-1"), headers))
        await writer.drain()
        if final:
            break
    await _pipe(up_reader, writer, half_close=False)


async def _read_head(reader: asyncio.StreamReader) -> bytes:
    """A response head up to its blank line, with CRLF line ends (browsers also accept heads
    with bare LF; so must a relay)."""
    lines: list[bytes] = []
    size = 0
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.LimitOverrunError:
            raise _HeadTooLarge("response head too large") from None  # one line over it
        size += len(line)
        if size > MAX_HEAD_BYTES:
            raise _HeadTooLarge("response head too large")
        line = line.rstrip(b"\r\n")
        if not line:
            if not lines:
                continue  # stray blank lines before a status line are skipped
            return b"\r\n".join(lines) + b"\r\n\r\n"
        lines.append(line)


async def _socks5_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                          host: str, port: int, up: Upstream) -> None:
    """RFC 1928 CONNECT by name (the SOCKS server resolves), with RFC 1929 user/password."""
    methods = b"\x00\x02" if up.username is not None else b"\x00"
    writer.write(b"\x05" + bytes([len(methods)]) + methods)
    await writer.drain()
    version, method = await reader.readexactly(2)
    if version != 5 or method not in methods:
        raise _Refused("ERR_SOCKS_CONNECTION_FAILED", "the SOCKS proxy refused our methods")
    if method == 2:
        user = (up.username or "").encode()[:255]
        password = (up.password or "").encode()[:255]
        writer.write(b"\x01" + bytes([len(user)]) + user + bytes([len(password)]) + password)
        await writer.drain()
        if (await reader.readexactly(2))[1] != 0:
            raise _Refused("ERR_PROXY_AUTH_UNSUPPORTED", "the SOCKS proxy refused the login")
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:  # an address is sent as one (ATYP 1 or 4), not as a name
        address = (b"\x01" if literal.version == 4 else b"\x04") + literal.packed
    else:
        try:
            name = host.encode("idna")[:255]
        except UnicodeError:
            name = host.encode("ascii", "replace")[:255]
        address = b"\x03" + bytes([len(name)]) + name
    writer.write(b"\x05\x01\x00" + address + struct.pack("!H", port))
    await writer.drain()
    reply = await reader.readexactly(4)
    if reply[1] != 0:
        raise _Refused("ERR_SOCKS_CONNECTION_FAILED",
                       f"the SOCKS proxy could not connect (code {reply[1]})")
    skip = {1: 4, 4: 16}.get(reply[3])
    if skip is None:
        skip = (await reader.readexactly(1))[0]
    await reader.readexactly(skip + 2)


def _parse_headers(block: bytes) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for line in block.decode("latin-1").split("\r\n"):
        if not line:
            continue
        if line[0] in " \t" and headers:  # obsolete line folding
            k, v = headers[-1]
            headers[-1] = (k, f"{v} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return headers


def _head(first_line: str, headers: list[tuple[str, str]]) -> bytes:
    lines = [first_line, *(f"{k}: {v}" for k, v in headers), "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _interleave(addresses: list[str]) -> list[str]:
    """IPv6 and IPv4 addresses alternating, each family in the resolver's order."""
    v6 = [a for a in addresses if ":" in a]
    v4 = [a for a in addresses if ":" not in a]
    first, second = (v6, v4) if addresses and ":" in addresses[0] else (v4, v6)
    mixed: list[str] = []
    for i in range(max(len(first), len(second))):
        mixed += first[i:i + 1] + second[i:i + 1]
    return mixed


def _abort_if_connected(task: asyncio.Task[tuple[str, asyncio.StreamReader,
                                                  asyncio.StreamWriter]]) -> None:
    if not task.cancelled() and task.exception() is None:
        _abort(task.result()[2])


def _connect_error(exc: BaseException, address: str, port: int, upstream: bool) -> _Refused:
    """A failed connect as the Chromium error the browser would have shown."""
    where = f"{address}:{port}"
    if upstream:
        return _Refused("ERR_PROXY_CONNECTION_FAILED", f"{where}: {exc}")
    if isinstance(exc, ConnectionRefusedError):
        return _Refused("ERR_CONNECTION_REFUSED", f"{where}: refused")
    if isinstance(exc, TimeoutError):
        return _Refused("ERR_CONNECTION_TIMED_OUT", f"{where}: timed out")
    if isinstance(exc, socket.gaierror):
        return _Refused("ERR_NAME_NOT_RESOLVED", f"{where}: {exc}")
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return _Refused("ERR_ADDRESS_UNREACHABLE", f"{where}: {detail}")


def _split_authority(target: str) -> tuple[str, int]:
    host, sep, port = target.rpartition(":")
    if not sep or not port.isdigit() or not 1 <= int(port) <= 65535 or not host:
        raise ValueError(f"bad CONNECT target {target!r}")
    return host.strip("[]"), int(port)


def _key(host: str, port: int) -> str:
    return f"{host.strip('[]').lower()}:{port}"


def _url_key(url: str) -> str | None:
    """``_key`` of a URL's host and port (default port by scheme); None without a host or
    with a bad port."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
    except ValueError:
        return None
    return _key(parts.hostname, port) if parts.hostname else None


def _describe(what: str, port: int) -> str:
    """A URL for the provenance list (a tunnel only shows host and port)."""
    if "://" in what:
        return what
    scheme = "https" if port == 443 else "tunnel"
    host = what.rpartition(":")[0] or what
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address in URL form
    return f"{scheme}://{host}:{port}"


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (``SO_LINGER`` 0), as the site did."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _abort(writer)


def _abort(writer: asyncio.StreamWriter) -> None:
    transport = writer.transport
    if not transport.is_closing():
        transport.abort()
