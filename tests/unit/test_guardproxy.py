"""The guard proxy (``somecapture.engine.guardproxy``), exercised over real loopback sockets.

Every "site", upstream HTTP proxy and SOCKS5 server below is an asyncio server on 127.0.0.1
(port 0). Two autouse fixtures keep the suite off the network whatever the proxy does:

* ``dns`` replaces the event loop's resolver: it answers the few ``*.test`` names of the tests
  and refuses every other name, so no DNS query ever leaves the process;
* ``outgoing`` wraps ``asyncio.open_connection`` (the only way the proxy connects): it records
  every connection the proxy opens and refuses any that is not to a loopback address; a test
  fails if the proxy even tried one. Test clients and fake servers use the original function,
  so ``outgoing.attempts`` holds the proxy's own connections only.

Each scenario runs under ``asyncio.run`` with an overall timeout, and every single wait has its
own shorter timeout, so a bug cannot hang the suite.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events as base_events
import base64
import contextlib
import gc
import hashlib
import ipaddress
import logging
import socket
import ssl
import struct
import time
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pytest

from somecapture.engine import addresspolicy, guardproxy
from somecapture.engine.addresspolicy import PRIVATE_REASON, is_local_name, is_private_address
from somecapture.engine.guardproxy import ConnectionFailure, GuardProxy, Upstream
from tests.reliability.helpers import self_signed_cert

#: longest single wait of a test (reads, connects, closing the proxy)
STEP = 2.0
#: longest whole scenario
LIMIT = 5.0
#: a public address some test names resolve to; nothing may ever connect to it
PUBLIC = "93.184.216.34"

_open_connection = asyncio.open_connection  # the real one, for test clients and fake servers

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(scenario, LIMIT))


@contextlib.contextmanager
def no_unclosed_streams() -> Iterator[None]:
    """Fail if a stream is left for the garbage collector to close (asyncio warns then)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    # the proxy's streams are the ones with its head limit (the tests' use the default)
    marker = f"limit={guardproxy.MAX_HEAD_BYTES}"
    unclosed = [str(w.message) for w in caught
                if issubclass(w.category, ResourceWarning) and "unclosed" in str(w.message)
                and marker in str(w.message)]
    assert unclosed == [], f"connections left open for the garbage collector: {unclosed}"


# -- the network fence -----------------------------------------------------------------------


class FakeDNS:
    """Answers for the loop's resolver; names not listed do not resolve."""

    def __init__(self) -> None:
        self.answers: dict[str, list[str] | Callable[[int], list[str]]] = {
            "site.test": ["127.0.0.1"],
            "intranet.test": ["10.0.0.1"],
            "public.test": [PUBLIC],
            "localhost": ["127.0.0.1"],
            "mixed.test": [PUBLIC, "10.0.0.1"],
            "cgnat.test": ["100.64.1.1"],
            "metadata.test": ["169.254.169.254"],
            "v6private.test": ["fd00::1"],
        }
        #: every name looked up, in order (literal addresses are not recorded)
        self.calls: list[str] = []

    def count(self, name: str) -> int:
        return self.calls.count(name)


def _addrinfo(address: str, port: Any) -> tuple[Any, ...]:
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port or 0, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()

    async def getaddrinfo(self: Any, host: Any, port: Any, *args: Any,
                          **kwargs: Any) -> list[tuple[Any, ...]]:
        name = host.decode() if isinstance(host, bytes) else str(host)
        name = name.lower().rstrip(".")  # as real resolvers do
        try:
            ipaddress.ip_address(name)
        except ValueError:
            pass
        else:
            return [_addrinfo(name, port)]
        fake.calls.append(name)
        answer = fake.answers.get(name)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answer(fake.count(name)) if callable(answer) else answer
        return [_addrinfo(a, port) for a in addresses]

    monkeypatch.setattr(base_events.BaseEventLoop, "getaddrinfo", getaddrinfo)
    return fake


@dataclass
class Outgoing:
    """The proxy's outgoing connection attempts."""

    attempts: list[tuple[str, int]] = field(default_factory=list)
    forbidden: list[tuple[str, int]] = field(default_factory=list)
    #: ports whose connect never completes (to test the connect timeout)
    hang: set[int] = field(default_factory=set)
    #: addresses whose connect never completes (a broken IPv6 route)
    hang_hosts: set[str] = field(default_factory=set)

    def hosts(self) -> list[str]:
        return [host for host, _ in self.attempts]


def _is_loopback(host: Any) -> bool:
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def outgoing(monkeypatch: pytest.MonkeyPatch) -> Iterator[Outgoing]:
    log = Outgoing()

    async def guarded(host: Any = None, port: Any = None, **kwargs: Any
                      ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        log.attempts.append((str(host), int(port)))
        if not _is_loopback(host):
            log.forbidden.append((str(host), int(port)))
            raise ConnectionRefusedError(f"test fence: {host}:{port} is not a loopback address")
        if port in log.hang or str(host) in log.hang_hosts:
            await asyncio.sleep(3600)
        return await _open_connection(host, port, **kwargs)

    monkeypatch.setattr(asyncio, "open_connection", guarded)
    yield log
    assert log.forbidden == [], f"the proxy tried to connect off loopback: {log.forbidden}"


# -- loopback servers ------------------------------------------------------------------------


class Server:
    """A TCP server on 127.0.0.1 running ``handler`` for each connection."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.port = 0
        self.connections = 0
        self.errors: list[BaseException] = []
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            await self.handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            self.errors.append(exc)
        finally:
            if not writer.transport.is_closing():
                writer.close()


@dataclass
class Request:
    line: str
    headers: list[tuple[str, str]]
    body: bytes

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def names(self) -> set[str]:
        return {k.lower() for k, _ in self.headers}


def _parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    first, *lines = head.decode("latin-1").rstrip("\r\n").split("\r\n")
    headers = []
    for line in lines:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return first, headers


async def read_head(reader: asyncio.StreamReader) -> tuple[str, list[tuple[str, str]]]:
    return _parse_head(await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), STEP))


async def read_body(reader: asyncio.StreamReader, headers: list[tuple[str, str]]) -> bytes:
    values = {k.lower(): v for k, v in headers}
    if values.get("transfer-encoding", "").lower() == "chunked":
        body = bytearray()
        while True:
            size = int((await asyncio.wait_for(reader.readline(), STEP)).split(b";")[0], 16)
            if size == 0:
                await asyncio.wait_for(reader.readuntil(b"\r\n"), STEP)  # no trailers
                return bytes(body)
            body += await asyncio.wait_for(reader.readexactly(size + 2), STEP)
            del body[-2:]
    return await asyncio.wait_for(
        reader.readexactly(int(values.get("content-length", "0"))), STEP)


async def read_request(reader: asyncio.StreamReader) -> Request:
    line, headers = await read_head(reader)
    return Request(line, headers, await read_body(reader, headers))


def response(body: bytes, *extra: str, status: str = "200 OK") -> bytes:
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", *extra, "", ""]
    return "\r\n".join(head).encode("latin-1") + body


class HttpSite(Server):
    """Answers each request with ``respond(request)`` and closes; keeps the requests."""

    def __init__(self, respond: bytes | Callable[[Request], bytes] | None = None) -> None:
        super().__init__(self._answer)
        self.respond = response(b"hello") if respond is None else respond
        self.requests: list[Request] = []

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        self.requests.append(request)
        writer.write(self.respond(request) if callable(self.respond) else self.respond)
        await writer.drain()


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await asyncio.wait_for(reader.read(65536), STEP):
        writer.write(data)
        await writer.drain()


def reset(writer: asyncio.StreamWriter) -> None:
    """End a connection with a TCP RST (SO_LINGER 0), the way a crashing server does."""
    writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.transport.abort()


async def splice(a: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 b: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
    await asyncio.gather(_copy(a[0], b[1]), _copy(b[0], a[1]))
    b[1].close()


class FakeHttpProxy(Server):
    """An upstream HTTP proxy: CONNECT is answered with ``connect_status`` and then the tunnel
    echoes; absolute-form requests get a small response. Keeps every request head."""

    def __init__(self, connect_status: str = "200 Connection established", *,
                 answer: bool = True) -> None:
        super().__init__(self._proxy)
        self.connect_status = connect_status
        self.answer = answer
        self.requests: list[Request] = []
        #: set once the guard closed a connection this proxy refused
        self.closed_by_guard = asyncio.Event()

    async def _proxy(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await read_request(reader)
        self.requests.append(request)
        if not self.answer:
            return  # close without a word
        if request.line.startswith("CONNECT "):
            if not self.connect_status.startswith("200"):
                writer.write(response(b"", "Proxy-Authenticate: Basic realm=\"test\"",
                                      status=self.connect_status))
                await writer.drain()
                # a keep-alive proxy waits for the client's next move; the guard must hang up
                with contextlib.suppress(ConnectionError, TimeoutError):
                    await asyncio.wait_for(reader.read(), 1.0)
                    self.closed_by_guard.set()
                return
            writer.write(f"HTTP/1.1 {self.connect_status}\r\n\r\n".encode())
            await writer.drain()
            await echo(reader, writer)
            return
        writer.write(response(b"via upstream"))
        await writer.drain()


class FakeSocks5(Server):
    """RFC 1928 (no auth or RFC 1929 user/password) relaying every CONNECT to ``target_port``
    on 127.0.0.1 whatever name was asked for; keeps what the client sent."""

    def __init__(self, target_port: int, *, credentials: tuple[str, str] | None = None,
                 reply_code: int = 0, reply_atyp: int = 1, hang_up: bool = False) -> None:
        super().__init__(self._socks)
        self.hang_up = hang_up
        self.target_port = target_port
        self.credentials = credentials
        self.reply_code = reply_code
        self.reply_atyp = reply_atyp
        self.methods: list[bytes] = []
        self.logins: list[tuple[str, str]] = []
        self.requests: list[tuple[int, int, str, int]] = []  # cmd, atyp, host, port
        self.closed_by_guard = asyncio.Event()

    async def _socks(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def take(n: int) -> bytes:
            return await asyncio.wait_for(reader.readexactly(n), STEP)

        version, count = await take(2)
        assert version == 5
        methods = await take(count)
        self.methods.append(methods)
        if self.hang_up:
            return
        wanted = 2 if self.credentials is not None else 0
        if wanted not in methods:
            writer.write(b"\x05\xff")
            await writer.drain()
            return
        writer.write(bytes([5, wanted]))
        await writer.drain()
        if wanted == 2:
            assert (await take(1)) == b"\x01"
            user = (await take((await take(1))[0])).decode()
            password = (await take((await take(1))[0])).decode()
            self.logins.append((user, password))
            ok = (user, password) == self.credentials
            writer.write(b"\x01\x00" if ok else b"\x01\x01")
            await writer.drain()
            if not ok:
                return
        _, cmd, _, atyp = await take(4)
        if atyp == 1:
            host = socket.inet_ntoa(await take(4))
        elif atyp == 4:
            host = socket.inet_ntop(socket.AF_INET6, await take(16))
        else:
            host = (await take((await take(1))[0])).decode("ascii")
        (port,) = struct.unpack("!H", await take(2))
        self.requests.append((cmd, atyp, host, port))
        if self.reply_code:
            writer.write(bytes([5, self.reply_code, 0, 1]) + bytes(6))
            await writer.drain()
            with contextlib.suppress(ConnectionError, TimeoutError):
                await asyncio.wait_for(reader.read(), 1.0)
                self.closed_by_guard.set()
            return
        bound = {1: b"\x01" + socket.inet_aton("127.0.0.1"),
                 3: b"\x03\x0abound.test",
                 4: b"\x04" + socket.inet_pton(socket.AF_INET6, "::1")}[self.reply_atyp]
        writer.write(b"\x05\x00\x00" + bound + struct.pack("!H", 4321))
        await writer.drain()
        site = await _open_connection("127.0.0.1", self.target_port)
        await splice((reader, writer), site)


# -- the proxy and its clients ---------------------------------------------------------------


@asynccontextmanager
async def guard(**options: Any) -> AsyncIterator[tuple[GuardProxy, int]]:
    proxy = GuardProxy(**options)
    url = await asyncio.wait_for(proxy.start(), STEP)
    assert url.startswith("http://127.0.0.1:")
    try:
        yield proxy, int(url.rsplit(":", 1)[1])
    finally:
        await asyncio.wait_for(proxy.close(), STEP)


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.wait_for(_open_connection("127.0.0.1", port), STEP)


async def read_to_end(reader: asyncio.StreamReader, timeout: float = STEP
                      ) -> tuple[bytes, BaseException | None]:
    """Everything until the end, and how it ended: None for a clean EOF, else the error."""
    data = bytearray()
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), timeout):
            data += chunk
    except (ConnectionError, OSError) as exc:
        return bytes(data), exc
    return bytes(data), None


async def exchange(port: int, request: bytes) -> bytes:
    """Send ``request`` to the proxy and read until it closes (cleanly)."""
    reader, writer = await connect(port)
    try:
        writer.write(request)
        await writer.drain()
        data, error = await read_to_end(reader)
        assert error is None, f"connection ended by {error!r} after {data[:200]!r}"
        return data
    finally:
        writer.close()


def get(url: str, *headers: str, method: str = "GET", body: bytes = b"") -> bytes:
    host = url.split("/")[2]
    lines = [f"{method} {url} HTTP/1.1", f"Host: {host}", *headers, "", ""]
    return "\r\n".join(lines).encode("latin-1") + body


async def open_tunnel(port: int, authority: str
                      ) -> tuple[str, asyncio.StreamReader, asyncio.StreamWriter]:
    """CONNECT through the proxy: its status line, and the streams."""
    reader, writer = await connect(port)
    writer.write(f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), STEP)
    return head.split(b"\r\n", 1)[0].decode("latin-1"), reader, writer


async def tunnel_status(port: int, authority: str) -> tuple[str, bytes]:
    """CONNECT that is expected to be refused: the status line and what followed."""
    status, reader, writer = await open_tunnel(port, authority)
    try:
        rest, error = await read_to_end(reader)
        assert error is None, f"a refused CONNECT must end cleanly, got {error!r}"
        return status, rest
    finally:
        writer.close()


def split_response(data: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
    head, sep, body = data.partition(b"\r\n\r\n")
    assert sep, f"no complete response head in {data[:200]!r}"
    status, headers = _parse_head(head)
    return status, headers, body


def header_values(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [v for k, v in headers if k.lower() == name.lower()]


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# == pure functions ==========================================================================


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("10.0.0.1", True),
        ("172.16.5.4", True),
        ("192.168.1.1", True),
        ("127.0.0.1", True),
        ("127.255.255.254", True),
        ("169.254.169.254", True),  # link-local (cloud metadata)
        ("100.64.0.1", True),  # RFC 6598 shared space: first…
        ("100.64.1.1", True),
        ("100.127.255.255", True),  # …and last address
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("240.0.0.1", True),
        ("255.255.255.255", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fe80::1%eth0", True),
        ("[fe80::1]", True),
        ("fc00::1", True),
        ("fd12:3456::1", True),
        ("ff02::1", True),
        ("::ffff:10.0.0.1", True),
        ("[::ffff:127.0.0.1]", True),
        ("::ffff:100.64.1.1", True),  # mapped shared space
        ("::ffff:169.254.1.1", True),
        ("100.63.255.255", False),  # just outside 100.64.0.0/10
        ("100.128.0.0", False),
        ("93.184.216.34", False),
        ("8.8.8.8", False),
        ("1.1.1.1", False),
        ("2606:4700::1111", False),
        ("[2606:4700::1111]", False),
        ("::ffff:93.184.216.34", False),  # mapped public address is public
        ("example.com", False),
        ("localhost", False),  # a name, not an address (see is_local_name)
        ("", False),
        ("10.0.0", False),
    ],
)
def test_is_private_address(address: str, private: bool) -> None:
    assert is_private_address(address) is private


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LOCALHOST", True),
        ("localhost.", True),
        ("localhost.localdomain", True),
        ("Localhost.LocalDomain.", True),
        ("app.localhost", True),
        ("a.b.localhost", True),
        ("a.b.localhost.", True),
        ("localhost.example", False),
        ("mylocalhost", False),
        ("notlocalhost.com", False),
        ("localhostx", False),
        ("example.com", False),
        ("127.0.0.1", False),
        ("", False),
    ],
)
def test_is_local_name(host: str, local: bool) -> None:
    assert is_local_name(host) is local


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://proxy.example", Upstream("http", "proxy.example", 8080)),
        ("https://proxy.example", Upstream("https", "proxy.example", 443)),
        ("socks5://proxy.example", Upstream("socks5", "proxy.example", 1080)),
        ("HTTP://Proxy.EXAMPLE:3128", Upstream("http", "proxy.example", 3128)),
        ("socks5://10.1.2.3:9050", Upstream("socks5", "10.1.2.3", 9050)),
        ("http://[::1]:3128", Upstream("http", "::1", 3128)),
        ("http://user:p%40ss@proxy.example:8000",
         Upstream("http", "proxy.example", 8000, "user", "p@ss")),
        ("socks5://us%3Aer:pw%2F%20x@proxy.example",
         Upstream("socks5", "proxy.example", 1080, "us:er", "pw/ x")),
        ("https://%C3%A6%C3%B8%C3%A5:s%C3%B8k@proxy.example",
         Upstream("https", "proxy.example", 443, "æøå", "søk")),
        ("http://user@proxy.example", Upstream("http", "proxy.example", 8080, "user", None)),
        ("http://user:@proxy.example", Upstream("http", "proxy.example", 8080, "user", "")),
    ],
)
def test_upstream_parse(url: str, expected: Upstream) -> None:
    assert Upstream.parse(url) == expected


@pytest.mark.parametrize(
    "url",
    ["socks4://proxy.example:1080", "socks5h://proxy.example", "ftp://proxy.example",
     "proxy.example:8080", "http://", "http:///path", "", "http://proxy.example:99999"],
)
def test_upstream_parse_rejects(url: str) -> None:
    with pytest.raises(ValueError):
        Upstream.parse(url)


def test_upstream_authorization_and_kind() -> None:
    with_login = Upstream.parse("http://user:p%40ss@proxy.example")
    assert with_login.authorization == basic("user", "p@ss")
    assert Upstream.parse("http://user@proxy.example").authorization == basic("user", "")
    assert Upstream.parse("http://proxy.example").authorization is None
    assert Upstream.parse("http://x").speaks_http
    assert Upstream.parse("https://x").speaks_http
    assert not Upstream.parse("socks5://x").speaks_http


def test_guardproxy_rejects_unsupported_upstream() -> None:
    with pytest.raises(ValueError):
        GuardProxy(upstream="socks4://127.0.0.1:1080")
    assert GuardProxy(upstream="").upstream is None
    assert GuardProxy(upstream="socks5://u:p@127.0.0.1:1").upstream == Upstream(
        "socks5", "127.0.0.1", 1, "u", "p")


def test_address_of_uses_the_default_ports_and_ignores_bad_urls() -> None:
    proxy = GuardProxy()
    proxy.addresses.update({"site.test:80": "192.0.2.80", "site.test:443": "192.0.2.43",
                            "site.test:8080": "192.0.2.88", "::1:8443": "::1"})
    assert proxy.address_of("http://site.test/") == "192.0.2.80"
    assert proxy.address_of("ws://site.test/socket") == "192.0.2.80"
    assert proxy.address_of("https://site.test/a?b") == "192.0.2.43"
    assert proxy.address_of("wss://site.test/") == "192.0.2.43"
    assert proxy.address_of("http://SITE.test:8080/x") == "192.0.2.88"
    assert proxy.address_of("https://[::1]:8443/") == "::1"
    assert proxy.address_of("http://other.test/") is None
    assert proxy.address_of("http://site.test:99999/") is None
    assert proxy.address_of("not a url") is None
    assert proxy.address_of("") is None


def test_first_failure_since_returns_the_earliest_at_or_after_the_moment() -> None:
    proxy = GuardProxy()
    first = ConnectionFailure("a.test", 443, "ERR_NAME_NOT_RESOLVED", "a", at=10.0)
    second = ConnectionFailure("b.test", 443, "ERR_CONNECTION_REFUSED", "b", at=20.0)
    third = ConnectionFailure("c.test", 80, "ERR_BLOCKED_BY_CLIENT", "c", at=30.0)
    proxy.failures.extend([first, second, third])
    assert proxy.first_failure_since(0.0) is first
    assert proxy.first_failure_since(10.0) is first  # at or after
    assert proxy.first_failure_since(10.5) is second
    assert proxy.first_failure_since(20.0) is second
    assert proxy.first_failure_since(29.999) is third
    assert proxy.first_failure_since(30.0001) is None
    assert GuardProxy().first_failure_since(0.0) is None


def test_first_failure_since_with_real_failures() -> None:
    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            await tunnel_status(port, "10.0.0.1:443")
            moment = time.monotonic()
            await tunnel_status(port, "nowhere.test:443")
            await tunnel_status(port, "intranet.test:443")
            found = proxy.first_failure_since(moment)
            assert found is proxy.failures[1]
            assert (found.host, found.port, found.net_error) == (
                "nowhere.test", 443, "ERR_NAME_NOT_RESOLVED")
            assert proxy.first_failure_since(time.monotonic() + 1) is None
            assert proxy.failures[0].at <= moment <= found.at <= proxy.failures[2].at

    run(scenario())


# == forwarding plain HTTP ===================================================================


def test_plain_get_is_forwarded_in_origin_form_with_connection_close(
        outgoing: Outgoing, dns: FakeDNS) -> None:
    async def scenario() -> None:
        async with HttpSite(response(b"hello", "Connection: keep-alive",
                                     "Keep-Alive: timeout=5", "Set-Cookie: a=1",
                                     "Set-Cookie: b=2", "X-Site: yes")) as site, \
                guard(allow_private=True) as (proxy, port):
            url = f"http://site.test:{site.port}/path/a%20b?q=1&r=%2F"
            data = await exchange(port, get(url, "User-Agent: test-agent",
                                            "Proxy-Connection: keep-alive",
                                            "Connection: keep-alive", "Keep-Alive: 300",
                                            "Proxy-Authorization: Basic c2VjcmV0",
                                            "Accept: */*"))
            status, headers, body = split_response(data)
            assert status == "HTTP/1.1 200 OK"
            assert body == b"hello"
            assert header_values(headers, "Connection") == ["close"]
            assert header_values(headers, "Keep-Alive") == []
            assert header_values(headers, "Set-Cookie") == ["a=1", "b=2"]
            assert header_values(headers, "X-Site") == ["yes"]
            assert header_values(headers, "Content-Length") == ["5"]

            (request,) = site.requests
            assert request.line == "GET /path/a%20b?q=1&r=%2F HTTP/1.1"
            assert request.values("Host") == [f"site.test:{site.port}"]
            assert request.values("Connection") == ["close"]
            assert request.values("User-Agent") == ["test-agent"]
            assert request.values("Accept") == ["*/*"]
            assert {"proxy-connection", "keep-alive", "proxy-authorization"} \
                .isdisjoint(request.names())

            assert proxy.address_of(f"http://site.test:{site.port}/") == "127.0.0.1"
            assert proxy.addresses == {f"site.test:{site.port}": "127.0.0.1"}
            assert proxy.failures == [] and proxy.blocked == []
            # the proxy connected to the address it resolved, not to the name
            assert outgoing.attempts == [("127.0.0.1", site.port)]
            assert dns.count("site.test") == 1

    run(scenario())


def test_plain_get_without_path_and_http10_version() -> None:
    async def scenario() -> None:
        async with HttpSite() as site, guard(allow_private=True) as (_, port):
            request = (f"GET http://127.0.0.1:{site.port} HTTP/1.0\r\n"
                       f"Host: 127.0.0.1:{site.port}\r\n\r\n").encode()
            status, _, body = split_response(await exchange(port, request))
            assert (status, body) == ("HTTP/1.1 200 OK", b"hello")
            assert site.requests[0].line == "GET / HTTP/1.0"

    run(scenario())


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_post_body_is_relayed_intact(chunked: bool) -> None:
    payload = bytes(range(256)) * 1200 + b"\r\n\r\nGET http://10.0.0.1/ HTTP/1.1\r\n\r\n"

    def digest(request: Request) -> bytes:
        return response(hashlib.sha256(request.body).hexdigest().encode(), status="201 Created")

    async def scenario() -> None:
        async with HttpSite(digest) as site, guard(allow_private=True) as (_, port):
            url = f"http://site.test:{site.port}/upload"
            if chunked:
                body = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                                for part in (payload[:1000], payload[1000:]))
                body += b"0\r\n\r\n"
                framing = "Transfer-Encoding: chunked"
            else:
                body = payload
                framing = f"Content-Length: {len(payload)}"
            data = await exchange(port, get(url, "Content-Type: application/octet-stream",
                                            framing, method="POST", body=body))
            status, headers, answer = split_response(data)
            assert status == "HTTP/1.1 201 Created"
            assert answer == hashlib.sha256(payload).hexdigest().encode()
            assert header_values(headers, "Connection") == ["close"]
            (request,) = site.requests
            assert request.line == "POST /upload HTTP/1.1"
            assert request.body == payload

    run(scenario())


def test_chunked_response_is_relayed_byte_for_byte() -> None:
    raw_body = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    answer = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
              b"Content-Type: text/plain\r\n\r\n" + raw_body)

    async def scenario() -> None:
        async with HttpSite(answer) as site, guard(allow_private=True) as (_, port):
            status, headers, body = split_response(
                await exchange(port, get(f"http://site.test:{site.port}/")))
            assert status == "HTTP/1.1 200 OK"
            assert header_values(headers, "Transfer-Encoding") == ["chunked"]
            assert header_values(headers, "Connection") == ["close"]
            assert body == raw_body

    run(scenario())


def test_concurrent_requests_each_get_their_own_answer() -> None:
    def by_path(request: Request) -> bytes:
        return response(request.line.split(" ")[1].encode())

    async def scenario() -> None:
        async with HttpSite(by_path) as site, guard(allow_private=True) as (_, port):
            answers = await asyncio.gather(*(
                exchange(port, get(f"http://site.test:{site.port}/n/{i}")) for i in range(20)))
            assert [split_response(a)[2] for a in answers] == [
                f"/n/{i}".encode() for i in range(20)]
            assert site.connections == 20

    run(scenario())


def test_interim_100_continue_then_final_response() -> None:
    async def site_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _, headers = await read_head(reader)
        assert header_values(headers, "Expect") == ["100-continue"]
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
        body = await read_body(reader, headers)
        writer.write(response(body[::-1], "Connection: keep-alive"))
        await writer.drain()

    async def scenario() -> None:
        async with Server(site_handler) as site, guard(allow_private=True) as (_, port):
            reader, writer = await connect(port)
            writer.write(get(f"http://site.test:{site.port}/upload", "Content-Length: 6",
                             "Expect: 100-continue", method="POST"))
            await writer.drain()
            interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), STEP)
            assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
            writer.write(b"abcdef")
            await writer.drain()
            data, error = await read_to_end(reader)
            writer.close()
            assert error is None
            status, headers, body = split_response(data)
            assert status == "HTTP/1.1 200 OK"
            assert header_values(headers, "Connection") == ["close"]
            assert body == b"fedcba"

    run(scenario())


def test_early_hints_then_final_response() -> None:
    answer = (b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
              + response(b"page", "Connection: keep-alive"))

    async def scenario() -> None:
        async with HttpSite(answer) as site, guard(allow_private=True) as (_, port):
            data = await exchange(port, get(f"http://site.test:{site.port}/"))
            interim, _, final = data.partition(b"\r\n\r\n")
            assert interim == (
                b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style")
            status, headers, body = split_response(final)
            assert status == "HTTP/1.1 200 OK"
            assert header_values(headers, "Connection") == ["close"]
            assert body == b"page"

    run(scenario())


def test_websocket_upgrade_reaches_the_site_with_its_upgrade_header() -> None:
    """A ws:// handshake is relayed as is: the site must see ``Upgrade: websocket`` and
    ``Connection: Upgrade``, and after its 101 the bytes flow both ways."""

    async def ws_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        line, headers = await read_head(reader)
        seen.append(Request(line, headers, b""))
        if header_values(headers, "Upgrade") != ["websocket"]:
            writer.write(response(b"missing Upgrade header", status="400 Bad Request"))
            await writer.drain()
            return
        writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\n\r\n")
        await writer.drain()
        await echo(reader, writer)

    seen: list[Request] = []

    async def scenario() -> None:
        async with Server(ws_site) as site, guard(allow_private=True) as (_, port):
            reader, writer = await connect(port)
            writer.write(get(f"http://site.test:{site.port}/socket", "Connection: Upgrade",
                             "Upgrade: websocket", "Sec-WebSocket-Version: 13",
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="))
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), STEP)
            (request,) = seen
            assert request.line == "GET /socket HTTP/1.1"
            assert request.values("Connection") == ["Upgrade"]
            assert request.values("Upgrade") == ["websocket"]
            assert head.startswith(b"HTTP/1.1 101 ")
            frame = b"\x81\x85\x00\x00\x00\x00hello"  # any bytes: the site echoes them
            writer.write(frame)
            await writer.drain()
            assert await asyncio.wait_for(reader.readexactly(len(frame)), STEP) == frame
            writer.close()

    run(scenario())


@pytest.mark.parametrize(
    "request_bytes",
    [b"GET /origin-form HTTP/1.1\r\nHost: site.test\r\n\r\n",
     b"GET https://site.test/ HTTP/1.1\r\nHost: site.test\r\n\r\n",
     b"GET ftp://site.test/ HTTP/1.1\r\n\r\n",
     b"GET http:///nohost HTTP/1.1\r\n\r\n"],
    ids=["origin-form", "https-absolute", "ftp", "no-host"],
)
def test_requests_not_for_a_proxy_are_closed_without_answer(
        request_bytes: bytes, outgoing: Outgoing, dns: FakeDNS) -> None:
    async def scenario() -> None:
        async with guard(allow_private=True) as (proxy, port):
            assert await exchange(port, request_bytes) == b""
            assert proxy.failures == [] and proxy.blocked == []
        assert outgoing.attempts == [] and dns.calls == []

    run(scenario())


@pytest.mark.parametrize(
    "request_bytes",
    [b"CONNECT site.test HTTP/1.1\r\n\r\n", b"CONNECT site.test:https HTTP/1.1\r\n\r\n",
     b"NONSENSE\r\n\r\n"],
    ids=["no-port", "named-port", "bad-request-line"],
)
def test_malformed_requests_get_no_answer(request_bytes: bytes, outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with guard(allow_private=True) as (_, port):
            reader, writer = await connect(port)
            writer.write(request_bytes)
            await writer.drain()
            data, _ = await read_to_end(reader)
            writer.close()
            assert data == b""
        assert outgoing.attempts == []

    run(scenario())


def test_oversized_request_head_is_refused(outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with guard(allow_private=True) as (_, port):
            reader, writer = await connect(port)
            writer.write(b"GET http://site.test/ HTTP/1.1\r\nX-Big: "
                         + b"a" * (guardproxy.MAX_HEAD_BYTES + 10))
            with contextlib.suppress(ConnectionError):
                await asyncio.wait_for(writer.drain(), STEP)
            data, _ = await read_to_end(reader)
            writer.close()
            assert data == b""
        assert outgoing.attempts == []

    run(scenario())


# == CONNECT tunnels =========================================================================


def test_connect_tunnel_relays_bytes_both_ways(outgoing: Outgoing) -> None:
    payload = bytes(range(256)) * 800  # 200 KiB, every byte value

    async def scenario() -> None:
        async with Server(echo) as site, guard(allow_private=True) as (proxy, port):
            status, reader, writer = await open_tunnel(port, f"site.test:{site.port}")
            assert status == "HTTP/1.1 200 Connection established"
            first_flight = b"\x16\x03\x01\x00\x05hello"
            writer.write(first_flight)
            await writer.drain()
            assert await asyncio.wait_for(reader.readexactly(len(first_flight)), STEP) == (
                first_flight)
            writer.write(payload)
            await writer.drain()
            assert await asyncio.wait_for(reader.readexactly(len(payload)), STEP) == payload
            writer.write_eof()  # half-close: the site sees the end and closes in turn
            data, error = await read_to_end(reader)
            writer.close()
            assert (data, error) == (b"", None)
            assert proxy.address_of(f"https://site.test:{site.port}/") == "127.0.0.1"
            assert outgoing.attempts == [("127.0.0.1", site.port)]
            assert proxy.failures == []

    run(scenario())


def test_connect_to_an_ipv4_literal_and_bytes_sent_early() -> None:
    """Bytes the client sends right behind the CONNECT head (before the 200) still arrive."""

    async def scenario() -> None:
        async with Server(echo) as site, guard(allow_private=True) as (proxy, port):
            reader, writer = await connect(port)
            writer.write(f"CONNECT 127.0.0.1:{site.port} HTTP/1.1\r\n\r\nearly".encode())
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), STEP)
            assert head == b"HTTP/1.1 200 Connection established\r\n\r\n"
            assert await asyncio.wait_for(reader.readexactly(5), STEP) == b"early"
            writer.close()
            assert proxy.address_of(f"https://127.0.0.1:{site.port}/") == "127.0.0.1"

    run(scenario())


# == the private-network rule ================================================================


@pytest.mark.parametrize(
    ("authority", "host"),
    [
        ("10.0.0.1:443", "10.0.0.1"),
        ("intranet.test:443", "intranet.test"),
        ("localhost:443", "localhost"),
        ("LocalHost.:8443", "LocalHost."),
        ("100.64.1.1:443", "100.64.1.1"),
        ("cgnat.test:443", "cgnat.test"),
        ("[::ffff:10.0.0.1]:443", "::ffff:10.0.0.1"),
        ("[::1]:443", "::1"),
        ("[fd00::1]:443", "fd00::1"),
        ("v6private.test:443", "v6private.test"),
        ("127.0.0.1:8080", "127.0.0.1"),
        ("169.254.169.254:80", "169.254.169.254"),
        ("metadata.test:80", "metadata.test"),
        ("mixed.test:443", "mixed.test"),  # one public and one private answer: refused
        ("0.0.0.0:443", "0.0.0.0"),
    ],
)
def test_private_connect_is_refused_with_403(authority: str, host: str,
                                             outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            status, rest = await tunnel_status(port, authority)
            assert status == "HTTP/1.1 403 Forbidden"
            assert rest == b""
            assert len(proxy.blocked) == 1
            assert proxy.blocked[0]["reason"] == PRIVATE_REASON
            assert host.strip("[]") in proxy.blocked[0]["url"]
            (failure,) = proxy.failures
            assert failure.net_error == "ERR_BLOCKED_BY_CLIENT"
            assert failure.detail == PRIVATE_REASON
            assert (failure.host, failure.port) == (host, int(authority.rsplit(":", 1)[1]))
            assert proxy.addresses == {}
        assert outgoing.attempts == [], "a refused host must not be connected to"

    run(scenario())


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/x", "http://intranet.test/x", "http://localhost:8080/",
     "http://100.64.1.1/", "http://[::ffff:10.0.0.1]/", "http://[::1]:8080/a",
     "http://169.254.169.254/latest/meta-data/", "http://mixed.test/"],
)
def test_private_plain_request_is_closed_without_response(url: str, outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            assert await exchange(port, get(url, "Accept: */*")) == b""
            assert proxy.blocked == [{"url": url, "reason": PRIVATE_REASON}]
            assert [f.net_error for f in proxy.failures] == ["ERR_BLOCKED_BY_CLIENT"]
            assert proxy.address_of(url) is None
        assert outgoing.attempts == []

    run(scenario())


def test_blocked_entries_describe_what_was_refused() -> None:
    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            await tunnel_status(port, "10.0.0.1:443")
            await tunnel_status(port, "intranet.test:8443")
            long_url = "http://10.0.0.1/" + "a" * 1000
            assert await exchange(port, get(long_url)) == b""
            assert [b["url"] for b in proxy.blocked] == [
                "https://10.0.0.1:443", "tunnel://intranet.test:8443", long_url[:500]]
            assert [(f.host, f.port) for f in proxy.failures] == [
                ("10.0.0.1", 443), ("intranet.test", 8443), ("10.0.0.1", 80)]

    run(scenario())


def test_localhost_subdomain_is_blocked_without_asking_dns(dns: FakeDNS,
                                                          outgoing: Outgoing) -> None:
    """``*.localhost`` is always loopback (RFC 6761): refused as a local name whether or not
    a resolver knows it, and never sent to DNS."""

    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            status, _ = await tunnel_status(port, "app.localhost:443")
            assert status == "HTTP/1.1 403 Forbidden"
            assert [f.net_error for f in proxy.failures] == ["ERR_BLOCKED_BY_CLIENT"]
            assert proxy.blocked == [{"url": "https://app.localhost:443",
                                      "reason": PRIVATE_REASON}]
        assert outgoing.attempts == []
        assert dns.count("app.localhost") == 0

    run(scenario())


def test_allow_private_reaches_loopback_names(outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with HttpSite() as site, guard(allow_private=True) as (proxy, port):
            data = await exchange(port, get(f"http://localhost:{site.port}/"))
            assert split_response(data)[2] == b"hello"
            assert proxy.blocked == [] and proxy.failures == []
            assert proxy.address_of(f"http://localhost:{site.port}/") == "127.0.0.1"

    run(scenario())


# == resolving once, failures ================================================================


def test_a_name_is_resolved_once_and_the_checked_address_is_used(
        dns: FakeDNS, outgoing: Outgoing) -> None:
    # first answer loopback (where the site is); any later answer would point elsewhere
    dns.answers["rebind.test"] = lambda n: ["127.0.0.1"] if n == 1 else ["127.0.0.2"]

    async def scenario() -> None:
        async with HttpSite() as site, Server(echo) as echo_site, \
                guard(allow_private=True) as (proxy, port):
            for _ in range(2):
                data = await exchange(port, get(f"http://rebind.test:{site.port}/"))
                assert split_response(data)[2] == b"hello"
            status, reader, writer = await open_tunnel(port, f"rebind.test:{echo_site.port}")
            assert status == "HTTP/1.1 200 Connection established"
            writer.close()
            assert dns.count("rebind.test") == 1
            assert outgoing.hosts() == ["127.0.0.1"] * 3
            assert len(site.requests) == 2
            assert proxy.address_of(f"http://rebind.test:{site.port}/") == "127.0.0.1"

    run(scenario())


def test_the_private_check_and_the_connection_use_the_same_answer(
        dns: FakeDNS, outgoing: Outgoing) -> None:
    """DNS rebinding: a name first resolving to a private address stays refused even if a
    second lookup would give a public one (and the reverse never reaches the private one)."""
    dns.answers["flip.test"] = lambda n: ["10.0.0.1"] if n == 1 else [PUBLIC]

    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            for _ in range(2):
                status, _ = await tunnel_status(port, "flip.test:443")
                assert status == "HTTP/1.1 403 Forbidden"
            assert dns.count("flip.test") == 1
            assert [f.net_error for f in proxy.failures] == ["ERR_BLOCKED_BY_CLIENT"] * 2
        assert outgoing.attempts == []

    run(scenario())


def test_unresolvable_name(outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with guard(allow_private=False) as (proxy, port):
            status, rest = await tunnel_status(port, "nowhere.test:443")
            assert (status, rest) == ("HTTP/1.1 403 Forbidden", b"")
            assert await exchange(port, get("http://nowhere.test/page")) == b""
            assert [(f.host, f.port, f.net_error) for f in proxy.failures] == [
                ("nowhere.test", 443, "ERR_NAME_NOT_RESOLVED"),
                ("nowhere.test", 80, "ERR_NAME_NOT_RESOLVED")]
            assert "nowhere.test" in proxy.failures[0].detail
            assert proxy.blocked == []  # not a private-network refusal
        assert outgoing.attempts == []

    run(scenario())


def test_refused_port() -> None:
    closed = free_port()

    async def scenario() -> None:
        async with guard(allow_private=True) as (proxy, port):
            status, _ = await tunnel_status(port, f"site.test:{closed}")
            assert status == "HTTP/1.1 403 Forbidden"
            assert await exchange(port, get(f"http://127.0.0.1:{closed}/")) == b""
            assert [(f.host, f.port, f.net_error) for f in proxy.failures] == [
                ("site.test", closed, "ERR_CONNECTION_REFUSED"),
                ("127.0.0.1", closed, "ERR_CONNECTION_REFUSED")]
            assert proxy.addresses == {} and proxy.blocked == []

    run(scenario())


def test_next_address_is_tried_when_the_first_refuses(dns: FakeDNS,
                                                      outgoing: Outgoing) -> None:
    dns.answers["multi.test"] = ["127.0.0.2", "127.0.0.1"]

    async def scenario() -> None:
        async with HttpSite() as site, guard(allow_private=True) as (proxy, port):
            data = await exchange(port, get(f"http://multi.test:{site.port}/"))
            assert split_response(data)[2] == b"hello"
            assert outgoing.hosts() == ["127.0.0.2", "127.0.0.1"]
            assert proxy.address_of(f"http://multi.test:{site.port}/") == "127.0.0.1"
            assert proxy.failures == []

    run(scenario())


def test_a_silent_ipv6_address_costs_a_quarter_second_not_a_timeout(
        dns: FakeDNS, outgoing: Outgoing) -> None:
    dns.answers["dual.test"] = ["::1", "127.0.0.1"]
    outgoing.hang_hosts.add("::1")

    async def scenario() -> None:
        async with HttpSite() as site, guard(allow_private=True) as (proxy, port):
            t0 = time.monotonic()
            data = await exchange(port, get(f"http://dual.test:{site.port}/"))
            elapsed = time.monotonic() - t0
            assert split_response(data)[2] == b"hello"
            assert outgoing.hosts() == ["::1", "127.0.0.1"]
            assert 0.2 <= elapsed < 1.5, elapsed
            assert proxy.address_of(f"http://dual.test:{site.port}/") == "127.0.0.1"

    run(scenario())


def test_addresses_alternate_between_ipv6_and_ipv4() -> None:
    assert guardproxy._interleave(["2001:db8::1", "2001:db8::2", "192.0.2.1", "192.0.2.2"]) \
        == ["2001:db8::1", "192.0.2.1", "2001:db8::2", "192.0.2.2"]
    assert guardproxy._interleave(["192.0.2.1", "2001:db8::1", "192.0.2.2"]) \
        == ["192.0.2.1", "2001:db8::1", "192.0.2.2"]
    assert guardproxy._interleave([]) == []


def test_connect_timeout(monkeypatch: pytest.MonkeyPatch, outgoing: Outgoing) -> None:
    monkeypatch.setattr(guardproxy, "CONNECT_TIMEOUT_S", 0.1)

    async def scenario() -> None:
        async with Server(echo) as site, guard(allow_private=True) as (proxy, port):
            outgoing.hang.add(site.port)
            status, _ = await tunnel_status(port, f"site.test:{site.port}")
            assert status == "HTTP/1.1 403 Forbidden"
            assert [f.net_error for f in proxy.failures] == ["ERR_CONNECTION_TIMED_OUT"]

    run(scenario())


# == the sink ================================================================================


def test_sink_refuses_everything(outgoing: Outgoing, dns: FakeDNS) -> None:
    async def scenario() -> None:
        async with HttpSite() as site, \
                guard(refuse_all=True, allow_private=True) as (proxy, port):
            status, rest = await tunnel_status(port, "accounts.google.com:443")
            assert (status, rest) == ("HTTP/1.1 403 Forbidden", b"")
            assert await exchange(port, get("http://update.googleapis.com/service")) == b""
            assert await exchange(port, get(f"http://127.0.0.1:{site.port}/")) == b""
            status, _ = await tunnel_status(port, f"site.test:{site.port}")
            assert status == "HTTP/1.1 403 Forbidden"
            assert proxy.refused_background == [
                "accounts.google.com:443", "update.googleapis.com:80",
                f"127.0.0.1:{site.port}", f"site.test:{site.port}"]
            assert site.connections == 0
            assert proxy.addresses == {}
        assert outgoing.attempts == [] and dns.calls == []

    run(scenario())


# == chaining to an upstream HTTP proxy ======================================================


def test_upstream_http_proxy_chains_connect_with_credentials(outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with FakeHttpProxy() as upstream, guard(
                allow_private=False,
                upstream=f"http://user:p%40ss@127.0.0.1:{upstream.port}") as (proxy, port):
            status, reader, writer = await open_tunnel(port, "public.test:443")
            assert status == "HTTP/1.1 200 Connection established"
            writer.write(b"through the chain")
            await writer.drain()
            assert await asyncio.wait_for(reader.readexactly(17), STEP) == b"through the chain"
            writer.close()
            (request,) = upstream.requests
            assert request.line == "CONNECT public.test:443 HTTP/1.1"
            assert request.values("Host") == ["public.test:443"]
            assert request.values("Proxy-Authorization") == [basic("user", "p@ss")]
            assert proxy.failures == []
            # the address of the site is the upstream's business
            assert proxy.address_of("https://public.test/") is None
        assert outgoing.attempts == [("127.0.0.1", upstream.port)]

    run(scenario())


def test_upstream_http_proxy_gets_plain_requests_in_absolute_form(outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with FakeHttpProxy() as upstream, guard(
                allow_private=False,
                upstream=f"http://user:p%40ss@127.0.0.1:{upstream.port}") as (_, port):
            data = await exchange(port, get("http://public.test/a?b=c",
                                            "Proxy-Connection: keep-alive",
                                            "Proxy-Authorization: Basic YnJvd3Nlcg=="))
            status, headers, body = split_response(data)
            assert (status, body) == ("HTTP/1.1 200 OK", b"via upstream")
            assert header_values(headers, "Connection") == ["close"]
            (request,) = upstream.requests
            assert request.line == "GET http://public.test/a?b=c HTTP/1.1"
            assert request.values("Host") == ["public.test"]
            assert request.values("Connection") == ["close"]
            # the browser's own Proxy-Authorization is not passed on; ours is
            assert request.values("Proxy-Authorization") == [basic("user", "p@ss")]
            assert "proxy-connection" not in request.names()
        assert outgoing.attempts == [("127.0.0.1", upstream.port)]

    run(scenario())


def test_upstream_http_proxy_without_credentials_sends_no_authorization() -> None:
    async def scenario() -> None:
        async with FakeHttpProxy() as upstream, guard(
                upstream=f"http://127.0.0.1:{upstream.port}") as (_, port):
            await exchange(port, get("http://public.test/"))
            status, _, writer = await open_tunnel(port, "public.test:443")
            writer.close()
            assert status == "HTTP/1.1 200 Connection established"
            assert [r.values("Proxy-Authorization") for r in upstream.requests] == [[], []]

    run(scenario())


@pytest.mark.parametrize("answer", ["407 Proxy Authentication Required", "502 Bad Gateway"])
def test_upstream_refusing_connect_gives_403(answer: str) -> None:
    async def scenario() -> None:
        async with FakeHttpProxy(answer) as upstream, guard(
                upstream=f"http://user:pw@127.0.0.1:{upstream.port}") as (proxy, port):
            status, rest = await tunnel_status(port, "public.test:443")
            assert (status, rest) == ("HTTP/1.1 403 Forbidden", b"")
            (failure,) = proxy.failures
            assert (failure.host, failure.port) == ("public.test", 443)
            assert failure.net_error == "ERR_TUNNEL_CONNECTION_FAILED"
            assert answer in failure.detail
            assert proxy.blocked == []

    run(scenario())


@pytest.mark.parametrize("kind", ["http-407", "socks-refusal"])
def test_upstream_connection_is_closed_after_a_refused_tunnel(kind: str) -> None:
    """The upstream connection of a refused tunnel is hung up by the proxy, not left open
    (or left for the garbage collector to close)."""

    async def scenario() -> None:
        upstream: FakeHttpProxy | FakeSocks5
        if kind == "http-407":
            upstream = FakeHttpProxy("407 Proxy Authentication Required")
            scheme = "http"
        else:
            upstream = FakeSocks5(free_port(), reply_code=5)
            scheme = "socks5"
        async with upstream, guard(upstream=f"{scheme}://127.0.0.1:{upstream.port}") \
                as (_, port):
            status, _ = await tunnel_status(port, "public.test:443")
            assert status == "HTTP/1.1 403 Forbidden"
            await asyncio.wait_for(upstream.closed_by_guard.wait(), 1.5)

    with no_unclosed_streams():
        run(scenario())


@pytest.mark.parametrize(("scheme", "request_kind"),
                         [("http", "connect"), ("socks5", "connect"), ("socks5", "get")])
def test_upstream_hanging_up_is_recorded(scheme: str, request_kind: str) -> None:
    """An upstream that closes instead of answering (CONNECT to an HTTP proxy, the greeting
    to a SOCKS proxy): the client gets the proxy's own refusal (403 to CONNECT, a close
    without answer to a plain request) and the reason is kept in ``failures``."""

    async def scenario() -> None:
        upstream: FakeHttpProxy | FakeSocks5
        if scheme == "http":
            upstream = FakeHttpProxy(answer=False)
        else:
            upstream = FakeSocks5(free_port(), hang_up=True)
        async with upstream, guard(upstream=f"{scheme}://127.0.0.1:{upstream.port}") \
                as (proxy, port):
            reader, writer = await connect(port)
            if request_kind == "connect":
                writer.write(b"CONNECT public.test:443 HTTP/1.1\r\n"
                             b"Host: public.test:443\r\n\r\n")
            else:
                writer.write(get("http://public.test/"))
            await writer.drain()
            data, error = await read_to_end(reader)
            writer.close()
            assert upstream.connections == 1
            assert [(f.host, f.net_error) for f in proxy.failures] in (
                [("public.test", "ERR_TUNNEL_CONNECTION_FAILED")],
                [("public.test", "ERR_SOCKS_CONNECTION_FAILED")],
                [("public.test", "ERR_PROXY_CONNECTION_FAILED")]), (
                f"failures={proxy.failures}; the client got {data!r} ending with {error!r}")
            if request_kind == "connect":
                assert data.startswith(b"HTTP/1.1 403 Forbidden\r\n")
            else:
                assert data == b""

    run(scenario())


def test_upstream_forwards_names_that_do_not_resolve_locally(dns: FakeDNS) -> None:
    async def scenario() -> None:
        async with FakeHttpProxy() as upstream, guard(
                allow_private=False, upstream=f"http://127.0.0.1:{upstream.port}") as (proxy,
                                                                                      port):
            status, _, writer = await open_tunnel(port, "intranet-only.corp:443")
            writer.close()
            assert status == "HTTP/1.1 200 Connection established"
            data = await exchange(port, get("http://intranet-only.corp/x"))
            assert split_response(data)[2] == b"via upstream"
            assert [r.line for r in upstream.requests] == [
                "CONNECT intranet-only.corp:443 HTTP/1.1",
                "GET http://intranet-only.corp/x HTTP/1.1"]
            assert proxy.failures == [] and proxy.blocked == []
            assert dns.count("intranet-only.corp") >= 1  # it was tried locally first

    run(scenario())


def test_upstream_does_not_lift_the_private_rule(outgoing: Outgoing) -> None:
    async def scenario() -> None:
        async with FakeHttpProxy() as upstream, guard(
                allow_private=False, upstream=f"http://127.0.0.1:{upstream.port}") as (proxy,
                                                                                      port):
            status, _ = await tunnel_status(port, "intranet.test:443")
            assert status == "HTTP/1.1 403 Forbidden"
            assert await exchange(port, get("http://10.0.0.1/")) == b""
            status, _ = await tunnel_status(port, "app.localhost:443")  # unresolvable too
            assert status == "HTTP/1.1 403 Forbidden"
            assert [f.net_error for f in proxy.failures] == ["ERR_BLOCKED_BY_CLIENT"] * 3
            assert len(proxy.blocked) == 3
            assert upstream.connections == 0
        assert outgoing.attempts == []

    run(scenario())


def test_upstream_connect_to_an_ipv6_literal_is_bracketed() -> None:
    async def scenario() -> None:
        async with FakeHttpProxy() as upstream, guard(
                upstream=f"http://127.0.0.1:{upstream.port}") as (_, port):
            status, _, writer = await open_tunnel(port, "[2606:4700::1111]:443")
            writer.close()
            assert status == "HTTP/1.1 200 Connection established"
            (request,) = upstream.requests
            assert request.line == "CONNECT [2606:4700::1111]:443 HTTP/1.1"
            assert request.values("Host") == ["[2606:4700::1111]:443"]

    run(scenario())


def test_unreachable_upstream() -> None:
    closed = free_port()

    async def scenario() -> None:
        async with guard(upstream=f"http://127.0.0.1:{closed}") as (proxy, port):
            status, _ = await tunnel_status(port, "public.test:443")
            assert status == "HTTP/1.1 403 Forbidden"
            assert await exchange(port, get("http://public.test/")) == b""
            assert [(f.host, f.net_error) for f in proxy.failures] == [
                ("public.test", "ERR_PROXY_CONNECTION_FAILED")] * 2

    run(scenario())


@pytest.mark.parametrize("trusted", [True, False], ids=["trusted", "untrusted"])
def test_https_upstream_speaks_tls_to_the_proxy(trusted: bool, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed_cert(tmp_path)  # cryptography, else openssl
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    if trusted:
        default_context = ssl.create_default_context
        monkeypatch.setattr(ssl, "create_default_context",
                            lambda *a, **k: default_context(cafile=str(cert)))
    upstream = FakeHttpProxy()

    async def scenario() -> None:
        server = await asyncio.start_server(upstream._serve, "127.0.0.1", 0, ssl=server_tls)
        upstream_port = server.sockets[0].getsockname()[1]
        try:
            async with guard(upstream=f"https://u:pw@127.0.0.1:{upstream_port}") as (proxy,
                                                                                    port):
                status, reader, writer = await open_tunnel(port, "public.test:443")
                if not trusted:
                    writer.close()
                    assert status == "HTTP/1.1 403 Forbidden"
                    assert [f.net_error for f in proxy.failures] == [
                        "ERR_PROXY_CONNECTION_FAILED"]
                    assert upstream.requests == []
                    return
                assert status == "HTTP/1.1 200 Connection established"
                writer.write(b"over tls")
                await writer.drain()
                assert await asyncio.wait_for(reader.readexactly(8), STEP) == b"over tls"
                writer.close()
                assert upstream.requests[0].line == "CONNECT public.test:443 HTTP/1.1"
                assert upstream.requests[0].values("Proxy-Authorization") == [basic("u", "pw")]
        finally:
            server.close()

    run(scenario())


# == chaining to an upstream SOCKS5 proxy ====================================================


@pytest.mark.parametrize("reply_atyp", [1, 3, 4], ids=["bound-ipv4", "bound-name", "bound-ipv6"])
def test_socks5_upstream_with_login_connects_by_name(reply_atyp: int,
                                                     outgoing: Outgoing) -> None:
    payload = bytes(range(256)) * 64

    async def scenario() -> None:
        async with Server(echo) as site, FakeSocks5(
                site.port, credentials=("user", "p@ss"), reply_atyp=reply_atyp) as socks, \
                guard(allow_private=False,
                      upstream=f"socks5://user:p%40ss@127.0.0.1:{socks.port}") as (proxy, port):
            status, reader, writer = await open_tunnel(port, "public.test:443")
            assert status == "HTTP/1.1 200 Connection established"
            writer.write(payload)
            await writer.drain()
            # nothing of the SOCKS reply may leak into the tunnel
            assert await asyncio.wait_for(reader.readexactly(len(payload)), STEP) == payload
            writer.close()
            assert socks.methods == [b"\x00\x02"]
            assert socks.logins == [("user", "p@ss")]
            assert socks.requests == [(1, 3, "public.test", 443)]
            assert proxy.failures == []
        assert outgoing.attempts == [("127.0.0.1", socks.port)]

    run(scenario())


def test_socks5_upstream_carries_plain_requests_in_origin_form() -> None:
    async def scenario() -> None:
        async with HttpSite() as site, FakeSocks5(site.port) as socks, \
                guard(upstream=f"socks5://127.0.0.1:{socks.port}") as (proxy, port):
            data = await exchange(port, get("http://public.test:8000/p?q", "Proxy-Connection: x"))
            status, headers, body = split_response(data)
            assert (status, body) == ("HTTP/1.1 200 OK", b"hello")
            assert header_values(headers, "Connection") == ["close"]
            assert socks.methods == [b"\x00"]  # no login offered without credentials
            assert socks.requests == [(1, 3, "public.test", 8000)]
            (request,) = site.requests
            assert request.line == "GET /p?q HTTP/1.1"
            assert request.values("Connection") == ["close"]
            assert "proxy-connection" not in request.names()
            assert proxy.failures == []

    run(scenario())


def test_socks5_upstream_gets_unresolvable_names_by_name() -> None:
    async def scenario() -> None:
        async with Server(echo) as site, FakeSocks5(site.port) as socks, \
                guard(upstream=f"socks5://127.0.0.1:{socks.port}") as (proxy, port):
            status, _, writer = await open_tunnel(port, "hidden.onion:443")
            writer.close()
            assert status == "HTTP/1.1 200 Connection established"
            assert socks.requests == [(1, 3, "hidden.onion", 443)]
            assert proxy.failures == []

    run(scenario())


@pytest.mark.parametrize(
    ("configured", "server_login", "reply_code", "net_error"),
    [
        (("user", "wrong"), ("user", "right"), 0, "ERR_PROXY_AUTH_UNSUPPORTED"),
        (None, ("user", "right"), 0, "ERR_SOCKS_CONNECTION_FAILED"),  # login required
        (None, None, 5, "ERR_SOCKS_CONNECTION_FAILED"),  # connection refused by the target
        (("user", "right"), ("user", "right"), 4, "ERR_SOCKS_CONNECTION_FAILED"),
    ],
    ids=["wrong-password", "login-required", "refused", "host-unreachable"],
)
def test_socks5_upstream_refusals_give_403(configured: tuple[str, str] | None,
                                           server_login: tuple[str, str] | None,
                                           reply_code: int, net_error: str) -> None:
    async def scenario() -> None:
        async with FakeSocks5(free_port(), credentials=server_login,
                              reply_code=reply_code) as socks:
            login = f"{configured[0]}:{configured[1]}@" if configured else ""
            async with guard(upstream=f"socks5://{login}127.0.0.1:{socks.port}") as (proxy,
                                                                                    port):
                status, _ = await tunnel_status(port, "public.test:443")
                assert status == "HTTP/1.1 403 Forbidden"
                assert [(f.host, f.port, f.net_error) for f in proxy.failures] == [
                    ("public.test", 443, net_error)]
                assert await exchange(port, get("http://public.test/")) == b""
                assert len(proxy.failures) == 2

    run(scenario())


# == resets must stay resets =================================================================


def test_the_fake_sites_reset_is_seen_as_a_reset_without_the_proxy() -> None:
    """The harness itself: ``reset`` does reach a direct client as ConnectionResetError."""

    async def site_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"partial")
        await writer.drain()
        await asyncio.sleep(0.05)
        reset(writer)

    async def scenario() -> None:
        async with Server(site_handler) as site:
            reader, writer = await connect(site.port)
            data, error = await read_to_end(reader)
            writer.close()
            assert data == b"partial"
            assert isinstance(error, ConnectionResetError)

    run(scenario())


def test_reset_mid_body_with_content_length_is_not_a_complete_response() -> None:
    async def site_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000)
        await writer.drain()
        await asyncio.sleep(0.05)
        reset(writer)

    async def scenario() -> None:
        async with Server(site_handler) as site, guard(allow_private=True) as (_, port):
            reader, writer = await connect(port)
            writer.write(get(f"http://site.test:{site.port}/big"))
            await writer.drain()
            data, error = await read_to_end(reader)
            writer.close()
            _, _, body = data.partition(b"\r\n\r\n")
            assert error is not None or len(body) < 100000, "a cut body looked complete"
            assert len(body) <= 1000

    run(scenario())


def test_reset_mid_close_delimited_body_reaches_the_client_as_a_reset() -> None:
    """Without Content-Length the end of the connection is the end of the body: a clean FIN
    from the proxy would make a truncated page look complete."""

    async def site_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>part")
        await writer.drain()
        await asyncio.sleep(0.05)
        reset(writer)

    async def scenario() -> None:
        async with Server(site_handler) as site, guard(allow_private=True) as (_, port):
            reader, writer = await connect(port)
            writer.write(get(f"http://site.test:{site.port}/page"))
            await writer.drain()
            data, error = await read_to_end(reader)
            writer.close()
            assert isinstance(error, ConnectionResetError), (
                f"the site's reset reached the client as {error!r} after {data!r}")

    run(scenario())


def test_reset_inside_a_tunnel_reaches_the_client_as_a_reset() -> None:
    async def site_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.wait_for(reader.readexactly(5), STEP)
        writer.write(b"partial record")
        await writer.drain()
        await asyncio.sleep(0.05)
        reset(writer)

    async def scenario() -> None:
        async with Server(site_handler) as site, guard(allow_private=True) as (_, port):
            status, reader, writer = await open_tunnel(port, f"site.test:{site.port}")
            assert status == "HTTP/1.1 200 Connection established"
            writer.write(b"hello")
            await writer.drain()
            data, error = await read_to_end(reader)
            writer.close()
            assert isinstance(error, ConnectionResetError), (
                f"the site's reset reached the client as {error!r} after {data!r}")

    run(scenario())


def test_client_reset_inside_a_tunnel_reaches_the_site_as_a_reset() -> None:
    ended: asyncio.Future[BaseException | None]

    async def site_handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        _, error = await read_to_end(reader)
        ended.set_result(error)

    async def scenario() -> None:
        nonlocal ended
        ended = asyncio.get_running_loop().create_future()
        async with Server(site_handler) as site, guard(allow_private=True) as (_, port):
            status, _, writer = await open_tunnel(port, f"site.test:{site.port}")
            assert status == "HTTP/1.1 200 Connection established"
            writer.write(b"some bytes")
            await writer.drain()
            await asyncio.sleep(0.05)
            reset(writer)
            error = await asyncio.wait_for(ended, STEP)
            assert isinstance(error, ConnectionResetError), (
                f"the client's reset reached the site as {error!r}")

    run(scenario())


# == closing =================================================================================


def test_close_cuts_open_tunnels_and_stops_listening() -> None:
    async def scenario() -> None:
        site_done = asyncio.Event()

        async def site_handler(reader: asyncio.StreamReader,
                               writer: asyncio.StreamWriter) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            finally:
                site_done.set()

        async with Server(site_handler) as site:
            proxy = GuardProxy(allow_private=True)
            port = int((await proxy.start()).rsplit(":", 1)[1])
            tunnels = [await open_tunnel(port, f"site.test:{site.port}") for _ in range(3)]
            for status, reader, writer in tunnels:
                assert status == "HTTP/1.1 200 Connection established"
                writer.write(b"ping")
                await writer.drain()
                assert await asyncio.wait_for(reader.readexactly(4), STEP) == b"ping"
            started = time.monotonic()
            await asyncio.wait_for(proxy.close(), STEP)
            for _, reader, writer in tunnels:
                data, _ = await read_to_end(reader, timeout=1.0)
                writer.close()
                assert data == b""
            assert time.monotonic() - started < 1.5
            await asyncio.wait_for(site_done.wait(), 1.0)  # the site's side is cut as well
            with pytest.raises(ConnectionRefusedError):
                await connect(port)
            await asyncio.wait_for(proxy.close(), STEP)  # twice is fine

    run(scenario())


def test_close_cuts_a_pending_plain_request() -> None:
    async def silent_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        await asyncio.sleep(10)

    async def scenario() -> None:
        async with Server(silent_site) as site:
            proxy = GuardProxy(allow_private=True)
            port = int((await proxy.start()).rsplit(":", 1)[1])
            reader, writer = await connect(port)
            writer.write(get(f"http://site.test:{site.port}/slow"))
            await writer.drain()
            await asyncio.sleep(0.1)
            await asyncio.wait_for(proxy.close(), STEP)
            data, _ = await read_to_end(reader, timeout=1.0)
            writer.close()
            assert data == b""

    run(scenario())


def test_close_logs_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Cutting connections is what close() is for: it must not log errors (or tracebacks)."""

    async def scenario() -> None:
        async with Server(echo) as site:
            proxy = GuardProxy(allow_private=True)
            port = int((await proxy.start()).rsplit(":", 1)[1])
            status, reader, writer = await open_tunnel(port, f"site.test:{site.port}")
            assert status == "HTTP/1.1 200 Connection established"
            await asyncio.wait_for(proxy.close(), STEP)
            await read_to_end(reader, timeout=1.0)
            writer.close()
            await asyncio.sleep(0.05)  # let the loop run the tasks' done callbacks

    with caplog.at_level(logging.WARNING):
        run(scenario())
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records
              if r.levelno >= logging.ERROR]
    assert errors == []


def test_close_before_start_is_harmless() -> None:
    async def scenario() -> None:
        await asyncio.wait_for(GuardProxy().close(), STEP)

    run(scenario())


def test_upstream_is_skipped_for_loopback_and_the_bypass_list() -> None:
    proxy = guardproxy.GuardProxy(upstream="http://proxy.agency.test:8080",
                                  bypass=lambda host: host.endswith(".intra.test"))
    assert proxy._upstream_for("www.example.test", ["93.184.216.34"]) is proxy.upstream
    assert proxy._upstream_for("saker.intra.test", ["93.184.216.34"]) is None
    assert proxy._upstream_for("me.test", ["127.0.0.1", "::1"]) is None
    assert proxy._upstream_for("mixed.test", ["127.0.0.1", "93.184.216.34"]) is proxy.upstream
    # an intranet address is for the agency's proxy (or its bypass list) to reach
    assert proxy._upstream_for("fil.test", ["10.1.2.3"]) is proxy.upstream
    assert guardproxy.GuardProxy()._upstream_for("x.test", ["93.184.216.34"]) is None


def test_system_proxy_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("https_proxy", "http://proxy.agency.test:3128")
    monkeypatch.setenv("no_proxy", "intra.test")
    url, bypass, problem = guardproxy.system_proxy()
    assert url == "http://proxy.agency.test:3128" and problem is None
    assert bypass("saker.intra.test") and not bypass("www.example.test")
    monkeypatch.setenv("https_proxy", "proxy.agency.test:8080")  # no scheme: http
    assert guardproxy.system_proxy()[0] == "http://proxy.agency.test:8080"
    monkeypatch.setenv("https_proxy", "socks4://user:pw@not-usable.test:1080")
    monkeypatch.delenv("http_proxy", raising=False)
    url, _bypass, problem = guardproxy.system_proxy()
    assert url is None  # unusable: direct, and the archivist is told why
    assert problem and "not-usable.test:1080" in problem and "pw" not in problem
    # a catalogue message whose advice names where the archivist is: the command line's
    # option there, the app's setting in the app (never the option), in their language
    from somecapture.messages import render
    from tests.english import english_in

    assert problem.code == "note.system_proxy_unusable"
    for lang in ("nb", "nn"):
        cli, app = render(problem, lang, "cli"), render(problem, lang, "app")
        assert "--proxy" in cli and "--proxy" not in app and "Nettverk" in app
        assert "not-usable.test:1080" in cli and "not-usable.test:1080" in app
        assert english_in(cli) == [] and english_in(app) == [], (cli, app)


def test_with_a_login_only_the_capture_context_may_use_the_proxy(outgoing: Outgoing) -> None:
    """Another user of the computer (a terminal server) finds the port but not the login."""
    good = "Proxy-Authorization: Basic " + base64.b64encode(b"somecapture:s3cret").decode()
    bad = "Proxy-Authorization: Basic " + base64.b64encode(b"somecapture:guess").decode()

    async def scenario() -> None:
        async with HttpSite() as site, \
                guard(allow_private=True, login=("somecapture", "s3cret")) as (proxy, port):
            url = f"http://site.test:{site.port}/"
            for headers in ((), (bad,)):
                data = await exchange(port, get(url, *headers))
                assert data.startswith(b"HTTP/1.1 407 "), data[:80]
                assert b'Proxy-Authenticate: Basic realm="somecapture"' in data
                status, _rest = await tunnel_status(port, f"site.test:{site.port}")
                assert status.startswith("HTTP/1.1 407"), status
            assert outgoing.attempts == []  # nothing was relayed
            data = await exchange(port, get(url, good))
            assert split_response(data)[2] == b"hello"
            # the login stops at the proxy: the site never sees it
            assert [r for r in site.requests if "proxy-authorization" in r.names()] == []

    run(scenario())


def test_first_failure_since_only_for_the_urls_given() -> None:
    """The page's own request chain is matched by host and port; a subresource that failed
    first is not blamed for the page."""
    proxy = guardproxy.GuardProxy()
    t0 = time.monotonic()
    proxy._fail("img.example.test", 80, "ERR_CONNECTION_REFUSED", "img: refused")
    proxy._fail("10.0.0.1", 80, "ERR_BLOCKED_BY_CLIENT", addresspolicy.PRIVATE_REASON)
    chain = ["http://www.example.test/post", "http://10.0.0.1/after-redirect"]
    found = proxy.first_failure_since(t0, chain)
    assert found is not None and found.net_error == "ERR_BLOCKED_BY_CLIENT"
    assert proxy.first_failure_since(t0, ["https://www.example.test/"]) is None
    assert proxy.first_failure_since(t0, ["http://img.example.test:8080/"]) is None
    assert proxy.first_failure_since(t0, ["http://[::1]/"]) is None
    assert proxy.first_failure_since(t0).host == "img.example.test"  # type: ignore[union-attr]


def test_socks5_upstream_gets_an_ip_literal_as_an_address() -> None:
    """RFC 1928: an address goes as ATYP 1 (IPv4) or 4 (IPv6), not as a name."""
    async def scenario() -> None:
        async with Server(echo) as site, FakeSocks5(site.port) as socks, \
                guard(upstream=f"socks5://127.0.0.1:{socks.port}") as (_proxy, port):
            for authority in ("93.184.216.34:443", "[2606:4700::1111]:443"):
                status, _reader, writer = await open_tunnel(port, authority)
                assert status == "HTTP/1.1 200 Connection established"
                writer.close()
            assert socks.requests == [(1, 1, "93.184.216.34", 443),
                                      (1, 4, "2606:4700::1111", 443)]

    run(scenario())


@pytest.mark.parametrize("address", ["fec0::1", "2002:0a00:0001::1", "2002:c0a8:0101::5"])
def test_ipv6_forms_of_local_addresses_are_private(address: str) -> None:
    # site-local, and 6to4 around 10.0.0.1 and 192.168.1.1
    assert addresspolicy.is_private_address(address)


def test_6to4_around_a_public_address_is_public() -> None:
    assert not addresspolicy.is_private_address("2002:5db8:d822::1")  # 93.184.216.34


def test_a_response_head_with_bare_lf_line_ends_is_relayed() -> None:
    async def lf_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 5\n\nhello")
        await writer.drain()
        writer.close()

    async def scenario() -> None:
        async with Server(lf_site) as site, guard(allow_private=True) as (_proxy, port):
            data = await asyncio.wait_for(
                exchange(port, get(f"http://site.test:{site.port}/")), STEP)
            status, headers, body = split_response(data)
            assert (status, body) == ("HTTP/1.1 200 OK", b"hello")
            assert header_values(headers, "Connection") == ["close"]
            assert header_values(headers, "Content-Type") == ["text/plain"]

    run(scenario())
