"""Helpers of the reliability suite: budgets, process accounting, a canary listener, a fake
resolver, a TLS fixture site and the CLI runner.

Everything here stays on loopback. Captures that must show a request is *not* sent either
use canary listeners on loopback addresses or go through the fixture site acting as an HTTP
proxy (Playwright sends even loopback traffic through a configured proxy), so a failing guard
reaches the fixture, never the network.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from somecapture.engine.browser import BrowserSession
from somecapture.models import CaptureResult
from somecapture.options import CaptureOptions
from somecapture.pipeline import CapturePipeline
from tests.fixtures.site.server import HOST, FixtureSite, _Server

#: environment variable set for the whole session; every process the suite starts (CLI
#: subprocesses, Playwright drivers, browsers, their helpers) inherits it, so leftovers are
#: found even after they were re-parented away from the test process
MARKER_ENV = "SOMECAPTURE_RELIABILITY_RUN"

#: how long a capture may run past ``capture_timeout_s`` (packaging, closing the context)
BUDGET_MARGIN_S = 8.0

#: text that must never reach the archivist (a Python traceback or repr of one)
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "Error: Traceback")


def fast_options(out_dir: Path, **changes: Any) -> CaptureOptions:
    """Short budgets for fault captures (the fixture site answers in milliseconds)."""
    base: dict[str, Any] = {
        "out_dir": out_dir,
        "settle_timeout_s": 2.0,
        "network_idle_ms": 200,
        "expand_timeout_s": 4.0,
        "lazy_media_timeout_s": 2.0,
        "load_timeout_s": 5.0,
        "capture_timeout_s": 30.0,
        "allow_private_network": True,
        "catalog_path": out_dir.parent / f"{out_dir.name}-catalog.sqlite",
    }
    base.update(changes)
    return CaptureOptions(**base)


@dataclass
class Outcome:
    """A capture's result and how long it took."""

    result: CaptureResult
    elapsed_s: float
    budget_s: float
    out_dir: Path

    @property
    def provenance(self) -> dict[str, Any]:
        return self.result.provenance or {}

    @property
    def network(self) -> dict[str, Any]:
        return dict(self.provenance.get("network") or {})


class BudgetOverrun(AssertionError):
    """The capture ran past its budget plus margin (it was cancelled)."""


class SharedBrowser:
    """One browser on its own event loop, shared by the in-process fault captures.

    ``capture`` runs one capture with ``fast_options`` and cancels it (raising
    :class:`BudgetOverrun`) if it runs past ``capture_timeout_s + BUDGET_MARGIN_S``.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.session = BrowserSession(CaptureOptions())
        before = {p.pid for p in _children()}
        self.loop.run_until_complete(self.session.__aenter__())
        #: the driver (and whatever else the session started): its tree is "ours"
        self.roots = {p.pid for p in _children()} - before
        self.initial = {p.pid for p in marked_processes()}

    def owns(self, proc: psutil.Process) -> bool:
        """Whether ``proc`` belongs to this shared browser (alive since before, or below it)."""
        if proc.pid in self.initial or proc.pid in self.roots:
            return True
        try:
            return any(parent.pid in self.roots for parent in proc.parents())
        except psutil.Error:
            return False

    def capture(self, url: str, out_dir: Path, **changes: Any) -> Outcome:
        options = fast_options(out_dir, **changes)
        budget = options.capture_timeout_s
        capturer = CapturePipeline(self.session, options)

        async def run() -> CaptureResult:
            return await asyncio.wait_for(capturer.capture(url), budget + BUDGET_MARGIN_S)

        t0 = time.monotonic()
        try:
            result = self.loop.run_until_complete(run())
        except TimeoutError:
            elapsed = time.monotonic() - t0
            raise BudgetOverrun(
                f"capture of {url} still running after {elapsed:.1f} s (budget {budget:.0f} s "
                f"+ {BUDGET_MARGIN_S:.0f} s margin); cancelled") from None
        elapsed = time.monotonic() - t0
        contexts = self.session.browser.contexts if self.session.browser else []
        assert not contexts, f"{len(contexts)} browser context(s) left open after the capture"
        left = self.renderers(wait_s=5.0)
        assert left == [], f"renderer process(es) left after the capture: {left}"
        return Outcome(result, elapsed, budget, out_dir)

    def renderers(self, wait_s: float = 0.0) -> list[int]:
        """Renderer processes of the shared browser (each capture's go with its context),
        waiting up to ``wait_s`` for them to exit."""
        deadline = time.monotonic() + wait_s
        while True:
            found = []
            for proc in _children():
                try:
                    if (proc.status() != psutil.STATUS_ZOMBIE
                            and "--type=renderer" in " ".join(proc.cmdline())):
                        found.append(proc.pid)
                except psutil.Error:
                    continue
            if not found or time.monotonic() >= deadline:
                return found
            time.sleep(0.1)

    def close(self) -> None:
        self.loop.run_until_complete(self.session.close())
        self.loop.close()


def run_own_session(url: str, options: CaptureOptions) -> Outcome:
    """A capture with its own browser (for options that belong to the browser: proxy, TLS)."""
    from somecapture.pipeline import capture_url

    budget = options.capture_timeout_s

    async def run() -> CaptureResult:
        return await asyncio.wait_for(capture_url(url, options), budget + BUDGET_MARGIN_S + 10)

    t0 = time.monotonic()
    result = asyncio.run(run())
    return Outcome(result, time.monotonic() - t0, budget, options.out_dir or Path("."))


# -- processes ------------------------------------------------------------------------------


def _children() -> list[psutil.Process]:
    try:
        return psutil.Process().children(recursive=True)
    except psutil.Error:
        return []


def marked_processes() -> list[psutil.Process]:
    """Live (non-zombie) processes other than this one that carry this session's marker."""
    marker = os.environ.get(MARKER_ENV)
    found = []
    me = os.getpid()
    for proc in psutil.process_iter(["pid", "status"]):
        if proc.pid == me or proc.info.get("status") == psutil.STATUS_ZOMBIE:
            continue
        try:
            if marker and proc.environ().get(MARKER_ENV) == marker:
                found.append(proc)
        except psutil.Error:
            continue
    # children whose environment cannot be read (another user, a race) still count
    known = {p.pid for p in found}
    for proc in _children():
        try:
            if proc.pid not in known and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def leftover_processes(exclude: Callable[[psutil.Process], bool] | None = None,
                       wait_s: float = 8.0) -> list[str]:
    """Browser/driver/CLI processes of this session still alive after ``wait_s`` seconds
    (closing browsers get that long to exit), as ``pid name cmdline`` strings."""
    deadline = time.monotonic() + wait_s
    while True:
        alive = []
        for proc in marked_processes():
            if exclude is not None and exclude(proc):
                continue
            try:
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(proc)
            except psutil.Error:
                continue
        if not alive or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    out = []
    for proc in alive:
        try:
            out.append(f"{proc.pid} {proc.name()} {' '.join(proc.cmdline())[:160]}")
        except psutil.Error:
            continue
    return out


# -- the CLI ---------------------------------------------------------------------------------


@dataclass
class CliRun:
    """One ``python -m somecapture`` run."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    elapsed_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
        cwd: Path | None = None) -> CliRun:
    """Run the CLI in a subprocess (as an archivist would) and collect everything."""
    full_env = {**os.environ, **(env or {})}
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "somecapture", *args], capture_output=True,
                          text=True, timeout=timeout, env=full_env, cwd=cwd)
    return CliRun(list(args), proc.returncode, proc.stdout, proc.stderr,
                  time.monotonic() - t0)


def assert_clear_error(text: str) -> None:
    """An error the archivist can read: an ``Error:`` line and no traceback."""
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"traceback text {marker!r} in output:\n{text}"
    assert "Error:" in text or "error:" in text, f"no error line in output:\n{text}"


# -- the file system -------------------------------------------------------------------------


def final_names(out_dir: Path) -> list[Path]:
    """Everything under a final name in ``out_dir`` (all but the staging folder)."""
    if not out_dir.exists():
        return []
    return sorted(p for p in out_dir.iterdir() if p.name != ".somecapture-staging")


def staging_leftovers(out_dir: Path) -> list[Path]:
    staging = out_dir / ".somecapture-staging"
    return sorted(staging.iterdir()) if staging.is_dir() else []


# -- a canary: loopback listeners that record every connection -------------------------------


class Canary:
    """Listens on one port at 127.0.0.1, 127.0.0.2 and [::1] and records every connection.

    Used as the target port of pages that try to reach private addresses: any hit proves a
    request was sent.
    """

    def __init__(self) -> None:
        self.hits: list[tuple[str, bytes]] = []
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        for _ in range(100):
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = int(probe.getsockname()[1])
            socks: list[socket.socket] = []
            try:
                for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET, "127.0.0.2"),
                                     (socket.AF_INET6, "::1")):
                    s = socket.socket(family)
                    socks.append(s)
                    s.bind((addr, port))
                    s.listen(64)
            except OSError:
                for s in socks:
                    s.close()
                continue
            self.port = port
            self._socks = socks
            break
        else:
            raise RuntimeError("no port free on 127.0.0.1, 127.0.0.2 and ::1")
        for s in self._socks:
            threading.Thread(target=self._accept, args=(s,), daemon=True,
                             name=f"canary-{port}").start()

    def _accept(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, _addr = sock.accept()
            except OSError:
                return
            conn.settimeout(1.0)
            try:
                data = conn.recv(4096)
            except OSError:
                data = b""
            with self._lock:
                self.hits.append((str(sock.getsockname()[0]), data[:200]))
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 28"
                             b"\r\nConnection: close\r\n\r\n<h1>canary: you got in</h1>")
            except OSError:
                pass
            conn.close()

    def close(self) -> None:
        for s in self._socks:
            s.close()


# -- a resolver for names that are not in any DNS ------------------------------------------

#: names the suite's resolver knows, and the address each stands for
FAKE_DNS = {
    "public.somecapture.test": "93.184.215.14",  # stands for any public address
    "intranet.somecapture.test": "10.1.2.3",     # a name that resolves to a private address
}


@contextmanager
def fake_dns() -> Iterator[None]:
    """Answer ``FAKE_DNS`` names in this process's asyncio resolver (the guard resolves host
    names itself; the browser never resolves them, it sends everything to the proxy)."""
    import asyncio.base_events as base_events

    original = base_events.BaseEventLoop.getaddrinfo

    async def getaddrinfo(self: Any, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name in FAKE_DNS:
            addr = FAKE_DNS[name]
            family = socket.AF_INET6 if ":" in addr else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (addr, port or 0))]
        return await original(self, host, port, *args, **kwargs)

    base_events.BaseEventLoop.getaddrinfo = getaddrinfo  # type: ignore[method-assign]
    try:
        yield
    finally:
        base_events.BaseEventLoop.getaddrinfo = original  # type: ignore[method-assign]


# -- TLS ---------------------------------------------------------------------------------------


def self_signed_cert(directory: Path) -> tuple[Path, Path]:
    """A fresh self-signed certificate for 127.0.0.1 / localhost (cryptography, else openssl)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key),
                        "-out", str(cert)], check=True, capture_output=True)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "somecapture test 127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False)
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return cert, key


class TlsFixtureSite(FixtureSite):
    """The fixture site over HTTPS with a self-signed (untrusted) certificate."""

    def __init__(self, cert: Path, key: Path) -> None:
        super().__init__()
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.load_cert_chain(cert, key)

    def start(self) -> TlsFixtureSite:
        if self._server is not None:
            raise RuntimeError("TlsFixtureSite already started")
        self.stopping.clear()
        server = _Server(self, (HOST, self._requested_port))
        # the handshake runs in the connection's own thread (on first read), not in accept()
        server.socket = self._tls.wrap_socket(server.socket, server_side=True,
                                              do_handshake_on_connect=False)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="fixture-site-tls", daemon=True)
        self._thread.start()
        return self

    @property
    def base(self) -> str:
        return f"https://{HOST}:{self.port}"
