"""Secrets, closed (issue 16, item 7): a logged-in capture holds no session secret anywhere.

A small "platform" on 127.0.0.1, run by this test, has a login that sets a session cookie and
puts an API token in local storage. Its post page then does what leaked before:

* puts ``ticket`` and ``session_token`` parameters into its own address with
  ``history.replaceState`` and into an ``<img src>``;
* fetches a token mid-capture, sends it as ``Authorization: Bearer``, then puts it into its
  own address (in the path, under no token-like name);
* carries base64 (standard, URL-safe, unpadded, inside a longer base64 text) and hex copies of
  the session cookie in its HTML;
* reads the local storage token and sends it in a header of its own, and shows the name the
  platform answers with only when the token is right.

After each capture (COMPLETE, PARTIAL or FAILED) every output is searched for every secret
the test set, in plain, URL-encoded, base64 (standard and URL-safe, with and without padding)
and hex forms: the WARC (raw, and every record's decoded content), the metadata JSON, the
arkivmelding, bag-info.txt and every other file, every folder and file name, every table and
column of the catalogue, the CLI's stdout and stderr, and the log file.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import sqlite3
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from somecapture.engine.browser import storage_state
from somecapture.engine.login import login
from somecapture.models import CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.profiles import list_profiles
from tests.reliability.helpers import SharedBrowser, assert_clear_error, cli

pytestmark = pytest.mark.browser

PROFILE = "secrets-closed"


def _random(n: int = 25) -> str:
    # 25 characters: their base64 ends in padding, so padded and unpadded forms differ
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(n))


@dataclass
class Platform:
    """The secrets of one platform instance (new random values per instance)."""

    user: str = "kari"
    password: str = field(default_factory=_random)
    session: str = field(default_factory=_random)  # the session cookie
    local_token: str = field(default_factory=_random)  # put in local storage at login
    ticket: str = field(default_factory=_random)  # replaceState ?ticket=
    session_token: str = field(default_factory=_random)  # replaceState ?session_token=
    img_ticket: str = field(default_factory=_random)  # <img src="…?ticket=">
    img_session_token: str = field(default_factory=_random)  # <img src="…&session_token=">
    mid_token: str = field(default_factory=_random)  # fetched during the capture
    #: what the platform saw: the local storage token sent back by the page, per path
    seen_local_token: list[str] = field(default_factory=list)

    def all(self) -> dict[str, str]:
        """Every secret, by name (the password included: it must never be anywhere)."""
        return {k: v for k, v in vars(self).items() if isinstance(v, str) and k != "user"}


def forms(secret: str) -> list[bytes]:
    """The forms a secret must not be found in."""
    raw = secret.encode()
    out = {secret, quote(secret, safe=""), raw.hex(), raw.hex().upper()}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        out |= {encoded.decode(), encoded.decode().rstrip("=")}
    return [f.encode() for f in out]


LINK_NON_ASCII = "</bilde-\xf8.png>; rel=preload"  # "ø", one Latin-1 byte on the wire
_LOGIN = b"""<!doctype html><html><head><title>Logg inn</title></head><body>
<form method="post" action="/login"><input name="user"><input name="password" type="password">
<button type="submit">Logg inn</button></form></body></html>"""

_WELCOME = """<!doctype html><html><head><title>Velkommen</title></head><body>
<p id="state">logging in</p><script>
localStorage.setItem("sc_api_token", "__LOCAL__");
document.body.dataset.state = "ready";
</script></body></html>"""

_POST = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Innlegg – Plattformen</title>
<meta name="sess-b64" content="__B64__">
<meta name="sess-b64url" content="__B64URL__">
<meta name="sess-hex" content="__HEX__">
<script type="application/json" id="boot">{"blob": "__BLOB__"}</script>
</head><body>
<main class="thread" data-state="loading">
 <article class="post" data-post-id="p1"><header><span class="author-name">Plattformen</span>
 <time datetime="2026-11-21T08:00:00Z">21. nov. 2026</time></header>
 <p class="post-text">Et innlegg bare innloggede ser.</p>
 <p id="who">ikke innlogget</p>
 <img src="/pixel.png?ticket=__IMG_TICKET__&amp;session_token=__IMG_SESSION__" alt="piksel">
 </article>
</main>
<script>
(async () => {
  const local = localStorage.getItem("sc_api_token") || "";
  const me = await fetch("/api/me", {headers: {"X-Platform-Auth": local}});
  if (me.ok) document.getElementById("who").textContent = "Innlogget som " + (await me.json()).name;
  const t = await (await fetch("/api/token")).json();
  await (await fetch("/api/feed", {headers: {"Authorization": "Bearer " + t.token}})).text();
  __EXTRA__
  const query = "?ticket=__TICKET__&session_token=__SESSION_TOKEN__";
  history.replaceState(null, "", "/p/" + t.token + query);
  document.querySelector("main").dataset.state = "ready";
})();
</script>
</body></html>"""

# the failing variant: the session cookie in a body the redactor cannot rewrite (binary)
_BINARY_FETCH = 'await (await fetch("/blob.bin")).arrayBuffer();'

_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *_: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8",
              headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers or []:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _logged_in(self) -> bool:
        cookies = dict(part.strip().split("=", 1) for part in
                       (self.headers.get("Cookie") or "").split(";") if "=" in part)
        return cookies.get("sc_session") == self.server.platform.session

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        p = self.server.platform
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if form.get("user") == [p.user] and form.get("password") == [p.password]:
            self._send(303, b"", headers=[
                ("Location", "/welcome"),
                ("Set-Cookie", f"sc_session={p.session}; Path=/; HttpOnly; Max-Age=86400")])
        else:
            self._send(403, _LOGIN)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        p = self.server.platform
        path = urlsplit(self.path).path
        if path == "/login":
            self._send(200, _LOGIN)
        elif path == "/welcome":
            self._send(200, _WELCOME.replace("__LOCAL__", p.local_token).encode())
        elif path in ("/post", "/post-fail"):
            if not self._logged_in():
                self._send(200, _LOGIN)
                return
            raw = p.session.encode()
            page = (_POST
                    .replace("__B64__", base64.b64encode(raw).decode())
                    .replace("__B64URL__", base64.urlsafe_b64encode(raw).decode().rstrip("="))
                    .replace("__HEX__", raw.hex())
                    .replace("__BLOB__", base64.b64encode(
                        b"uid=42;sid=" + raw + b";exp=1893456000").decode())
                    .replace("__IMG_TICKET__", p.img_ticket)
                    .replace("__IMG_SESSION__", p.img_session_token)
                    .replace("__TICKET__", p.ticket)
                    .replace("__SESSION_TOKEN__", p.session_token)
                    .replace("__EXTRA__", _BINARY_FETCH if path == "/post-fail" else ""))
            # a header value with a byte beyond ASCII (sent as Latin-1): the second
            # redaction pass over the WARC must keep it as sent (it once failed the capture)
            self._send(200, page.encode(), headers=[("Link", LINK_NON_ASCII)])
        elif path == "/gone":
            self._send(500, b"<h1>Serverfeil</h1>")
        elif path == "/pixel.png":
            self._send(200, _PNG, "image/png")
        elif path == "/api/me":
            token = self.headers.get("X-Platform-Auth") or ""
            p.seen_local_token.append(token)
            if self._logged_in() and token == p.local_token:
                self._send(200, b'{"name": "Kari Nordmann"}', "application/json")
            else:
                self._send(401, b'{"error": "no token"}', "application/json")
        elif path == "/api/token" and self._logged_in():
            self._send(200, json.dumps({"token": p.mid_token}).encode(), "application/json")
        elif path == "/api/feed":
            ok = self.headers.get("Authorization") == f"Bearer {p.mid_token}"
            self._send(200 if ok else 401, b'{"items": []}', "application/json")
        elif path == "/blob.bin" and self._logged_in():
            self._send(200, b"\x00\x01binary " + p.session.encode() + b" \x02",
                       "application/octet-stream")
        else:
            self._send(404, b"not found", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, platform: Platform) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.platform = platform

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture(scope="module")
def platform() -> Iterator[_Server]:
    server = _Server(Platform())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def profile(platform: _Server) -> str:
    """A login profile made through the same code path as `somecapture login`."""
    p = platform.platform

    async def fill(page: Any) -> None:
        await page.fill("input[name=user]", p.user)
        await page.fill("input[name=password]", p.password)
        await page.click("button[type=submit]")
        await page.wait_for_selector("body[data-state=ready]", timeout=15_000)
        await page.context.close()

    asyncio.run(login(PROFILE, platform.url("/login"), CaptureOptions(), headless=True,
                      on_ready=fill))
    return PROFILE


# -- searching every output -----------------------------------------------------------------


def _warc_blobs(path: Path) -> list[tuple[str, bytes]]:
    """The raw WARC and every record's decoded content (content-encoding undone)."""
    blobs = [(path.name, path.read_bytes())]
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            blobs.append((f"{path.name} record {uri}", uri.encode()
                          + str(record.rec_headers).encode() + str(record.http_headers).encode()
                          + record.content_stream().read()))
    return blobs


def _catalog_blobs(path: Path) -> list[tuple[str, bytes]]:
    """Every value of every column of every table (and the raw files)."""
    blobs = [(p.name, p.read_bytes()) for p in path.parent.glob(path.name + "*") if p.is_file()]
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - own names
                blobs.append((f"catalogue table {table}",
                              " ".join(str(v) for v in row).encode()))
    finally:
        conn.close()
    return blobs


def outputs(*roots: Path, texts: dict[str, str] | None = None) -> list[tuple[str, bytes]]:
    """Everything under ``roots`` (file contents, WARCs decoded, catalogues read, names) and
    ``texts`` (stdout, stderr, …), as (where, bytes)."""
    found: list[tuple[str, bytes]] = [(k, v.encode()) for k, v in (texts or {}).items()]
    for root in roots:
        if root.is_file():
            paths = [root]
        elif root.is_dir():
            paths = sorted(root.rglob("*"))
        else:
            continue
        for path in paths:
            found.append((f"name {path}", str(path.relative_to(root.parent)).encode()))
            if not path.is_file():
                continue
            if path.suffix == ".warc":
                found += _warc_blobs(path)
            elif path.suffix == ".sqlite":
                found += _catalog_blobs(path)
            else:
                found.append((str(path), path.read_bytes()))
    return found


def assert_no_secret(blobs: list[tuple[str, bytes]], platform: Platform) -> None:
    leaks = [f"{name} ({form.decode()[:12]}…) in {where}"
             for where, blob in blobs
             for name, secret in platform.all().items()
             for form in forms(secret) if form in blob]
    assert leaks == []


# -- the cases ------------------------------------------------------------------------------


def test_profile_carries_local_storage(platform: _Server, profile: str) -> None:
    """The profile's local storage is read (it was ``origins: []`` before)."""
    state = asyncio.run(storage_state(profile, CaptureOptions()))
    origin = platform.url("")
    items = {item["name"]: item["value"] for o in state["origins"] if o["origin"] == origin
             for item in o["localStorage"]}
    assert items == {"sc_api_token": platform.platform.local_token}
    info = next(p for p in list_profiles() if p.name == profile)
    assert info.origins == (origin,)


def test_logged_in_capture_holds_no_secret(platform: _Server, profile: str,
                                           browser: SharedBrowser, tmp_path: Path) -> None:
    p = platform.platform
    p.seen_local_token.clear()
    out = tmp_path / "out"
    outcome = browser.capture(platform.url("/post"), out, profile=profile)
    result = outcome.result
    # the page moved itself to another address (replaceState): PARTIAL with that warning
    assert result.status is CaptureStatus.PARTIAL, (result.error, result.warnings)
    assert result.package is not None
    # the local storage token reached the page: the platform got it back and the page
    # showed the name it answered with
    assert p.local_token in p.seen_local_token
    warc = (result.package / "data" / "capture.warc").read_bytes()
    assert b"Kari Nordmann" in warc
    # through the second redaction pass, the header as the server sent it
    assert b"Link: </bilde-\xf8.png>; rel=preload\r\n" in warc
    # the page's new address is stored, with the secrets replaced
    assert result.final_url == platform.url(
        "/p/REDACTED-BY-SOMECAPTURE?ticket=REDACTED-BY-SOMECAPTURE"
        "&session_token=REDACTED-BY-SOMECAPTURE")
    catalog = out.parent / f"{out.name}-catalog.sqlite"
    assert catalog.is_file()
    assert_no_secret(outputs(out, catalog), p)
    red = result.provenance["redaction"]["redacted"]
    assert red.get("query:ticket") and red.get("query:session_token")
    assert red.get("request:x-platform-auth") and red.get("body")


def test_failed_capture_holds_no_secret(platform: _Server, profile: str,
                                        browser: SharedBrowser, tmp_path: Path) -> None:
    """A session cookie in a binary body fails the secret scan; the failure path (result,
    catalogue) is as clean as a published package."""
    p = platform.platform
    out = tmp_path / "out"
    outcome = browser.capture(platform.url("/post-fail"), out, profile=profile)
    result = outcome.result
    assert result.status is CaptureStatus.FAILED
    assert "session secret" in (result.error or "")
    assert result.final_url is not None and "/p/REDACTED-BY-SOMECAPTURE" in result.final_url
    catalog = out.parent / f"{out.name}-catalog.sqlite"
    assert catalog.is_file()
    blobs = outputs(out, catalog, texts={"result": json.dumps(result.to_json())})
    assert_no_secret(blobs, p)


def test_http_error_with_a_ticket_in_the_address(platform: _Server, profile: str,
                                                 browser: SharedBrowser, tmp_path: Path) -> None:
    """The address asked for carries a ticket and the server fails: the error message quotes
    the address, without the ticket."""
    p = platform.platform
    out = tmp_path / "out"
    outcome = browser.capture(platform.url(f"/gone?ticket={p.ticket}"), out, profile=profile)
    result = outcome.result
    assert result.status is CaptureStatus.FAILED
    assert "500" in (result.error or "")
    assert "ticket=REDACTED-BY-SOMECAPTURE" in (result.error or "")
    catalog = out.parent / f"{out.name}-catalog.sqlite"
    assert catalog.is_file()
    blobs = outputs(out, catalog, texts={"result": json.dumps(result.to_json())})
    assert_no_secret(blobs, p)


@pytest.mark.parametrize("path", ["/post", "/post-fail", "/gone?ticket={ticket}"])
def test_cli_output_and_log_hold_no_secret(platform: _Server, profile: str, tmp_path: Path,
                                           path: str) -> None:
    """The real CLI: stdout (JSON results), stderr (progress, which echoes the requested
    address: here with a ticket in it), the log file, the catalogue and the package."""
    p = platform.platform
    out = tmp_path / "out"
    state = tmp_path / "state"  # the log file goes to <XDG_STATE_HOME>/somecapture/log
    path = path.format(ticket=p.ticket)
    run = cli("capture", platform.url(path), "--out", str(out), "--profile", profile,
              "--allow-private-network", "--json", "--timeout", "60",
              env={"XDG_STATE_HOME": str(state)}, timeout=150)
    results = run.json()["results"]
    assert len(results) == 1
    if path == "/post":
        assert results[0]["status"] == "partial", run.stderr
        assert Path(results[0]["package"]).is_dir()
    elif path.startswith("/gone"):
        assert results[0]["status"] == "failed", run.stderr
        assert_clear_error(run.stderr)
        # the progress line names the address as it is stored
        assert "ticket=REDACTED-BY-SOMECAPTURE" in run.stderr
    else:
        assert results[0]["status"] == "failed", run.stderr
        assert_clear_error(run.stderr)
    assert "REDACTED-BY-SOMECAPTURE" in results[0]["final_url"]
    logs = [f for f in state.rglob("*") if f.is_file()]
    assert logs and all(f.stat().st_size for f in logs)
    catalog = Path(os.environ["XDG_DATA_HOME"]) / "somecapture" / "catalog.sqlite"
    blobs = outputs(out, catalog, *logs, texts={"stdout": run.stdout, "stderr": run.stderr})
    assert_no_secret(blobs, p)
