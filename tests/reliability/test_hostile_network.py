"""A captured page must not reach the archivist's own network.

Requests from the page to loopback, private, link-local and unique-local addresses are refused
before they are sent and listed in the provenance; ``--allow-private-network`` lifts that.

How "not sent" is proven without sending anything anywhere: the page is served as
``http://public.somecapture.test/`` through the fixture site acting as the browser's HTTP proxy
(Playwright sends *all* traffic, loopback included, through a configured proxy), and the
suite's resolver says that name is public. A request the guard let through would arrive at
the proxy — on loopback — and be seen there; loopback listeners (the canary) catch anything
sent directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import quote, urlsplit

import pytest

from somecapture.cli.status import ExitStatus
from somecapture.engine import browser as browser_mod
from somecapture.engine.guardproxy import GuardProxy
from somecapture.models import CaptureStatus
from tests.fixtures.site.server import (
    FAULT_LOOPBACK_TARGETS,
    FAULT_PRIVATE_TARGETS,
    FixtureSite,
    RecordedRequest,
)
from tests.reliability.helpers import (
    Canary,
    Outcome,
    SharedBrowser,
    assert_clear_error,
    cli,
    fake_dns,
    fast_options,
    final_names,
    run_own_session,
)

pytestmark = pytest.mark.browser

PUBLIC = "public.somecapture.test"


@dataclass
class ProxiedCapture:
    outcome: Outcome
    seen: list[RecordedRequest]  # what reached the proxy
    canary_hits: list[tuple[str, bytes]]
    blocked: list[dict[str, str]]  # as written into the package
    background_refused: list[str]  # what the browser's own sink proxy refused (host:port)


def _leak_id(target: str) -> str:
    """The path that identifies a target in every form (URLs are canonicalised on the way)."""
    if target.startswith("/fault/redirect-to"):
        return "/leak/via-redirect"
    return urlsplit(target).path


_DIRECT = [t for t in FAULT_LOOPBACK_TARGETS + FAULT_PRIVATE_TARGETS
           if t.startswith(("http", "ws"))]
_REDIRECTS = [t for t in FAULT_PRIVATE_TARGETS if t.startswith("/fault/redirect-to")]


def _proxied_capture(tmp: Path, path: str, canary: Canary) -> ProxiedCapture:
    sinks: list[GuardProxy] = []

    class RecordingGuardProxy(GuardProxy):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self.refuse_all:
                sinks.append(self)

    with FixtureSite() as proxy, fake_dns(), \
            mock.patch.object(browser_mod, "GuardProxy", RecordingGuardProxy):
        url = f"http://{PUBLIC}{path}"
        options = fast_options(tmp / "out", proxy=proxy.base, allow_private_network=False)
        outcome = run_own_session(url, options)
        seen = proxy.requests
    blocked: list[dict[str, str]] = []
    if outcome.result.package is not None:
        meta = json.loads((outcome.result.package / "data" / "capture-metadata.json")
                          .read_text("utf-8"))
        blocked = meta["provenance"]["network"]["blocked"]
    assert len(sinks) == 1, "the browser was not started with the sink as its proxy"
    return ProxiedCapture(outcome, seen, list(canary.hits), blocked,
                          list(sinks[0].refused_background))


@pytest.fixture(scope="module")
def module_canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, module_canary: Canary) -> ProxiedCapture:
    """The page trying every private target, captured with blocking on (the default)."""
    return _proxied_capture(tmp_path_factory.mktemp("hostile"),
                            f"/fault/private-fetch?set=all&port={module_canary.port}",
                            module_canary)


def _reached_proxy(seen: list[RecordedRequest], leak: str) -> list[str]:
    return [f"{r.method} {r.path}" for r in seen if leak in r.path]


def _reached_host(seen: list[RecordedRequest], host: str) -> list[str]:
    """Requests the proxy got *for* ``host`` (absolute URL or CONNECT authority)."""
    return [f"{r.method} {r.path}" for r in seen
            if urlsplit(r.path).hostname == host or r.path.split(":")[0] == host]


def test_hostile_page_itself_is_captured(hostile: ProxiedCapture) -> None:
    r = hostile.outcome.result
    assert r.status in (CaptureStatus.COMPLETE, CaptureStatus.PARTIAL), (r.error, r.warnings)
    assert r.package is not None and r.package.parent == hostile.outcome.out_dir
    assert hostile.outcome.provenance["options"]["allow_private_network"] is False
    assert hostile.outcome.network["blocked_total"] == len(hostile.blocked) > 0


@pytest.mark.parametrize("target", _DIRECT, ids=[[s for s in _leak_id(t).split("/") if s][-1]
                                                  for t in _DIRECT])
def test_private_target_is_blocked_before_it_is_sent_and_listed(
        hostile: ProxiedCapture, target: str) -> None:
    leak = _leak_id(target)
    assert _reached_proxy(hostile.seen, leak) == [], "the request was sent"
    assert not [h for h in hostile.canary_hits if leak.encode() in h[1]], "the request was sent"
    listed = [b for b in hostile.blocked if leak in b["url"]]
    assert listed, f"{target} not listed as blocked in the package's provenance"
    assert all("private or local network" in b["reason"] for b in listed), listed
    if target.startswith("ws"):
        assert all(b["reason"].startswith("WebSocket") for b in listed), listed


def test_nothing_reached_the_loopback_canary(hostile: ProxiedCapture) -> None:
    assert hostile.canary_hits == []


@pytest.mark.parametrize("target", _REDIRECTS, ids=["to-127.0.0.2", "to-10.0.0.1"])
def test_private_target_behind_a_redirect_is_blocked(hostile: ProxiedCapture,
                                                     target: str) -> None:
    host = "127.0.0.2" if "127.0.0.2" in target else "10.0.0.1"
    sent = [p for p in _reached_proxy(hostile.seen, "/leak/via-redirect") if host in p]
    assert sent == [], f"sent through the redirect: {sent}"


def test_page_redirecting_to_a_private_address_is_refused(
        tmp_path: Path, module_canary: Canary) -> None:
    target = f"http://127.0.0.2:{module_canary.port}/gzip/page"
    got = _proxied_capture(tmp_path, f"/fault/redirect-to?url={quote(target, safe='')}",
                           module_canary)
    sent = _reached_host(got.seen, "127.0.0.2")
    assert sent == [], f"the private page was requested: {sent}"
    assert got.outcome.result.status is CaptureStatus.FAILED
    error = got.outcome.result.error or ""
    assert "private or local network" in error
    # the browser itself only saw an empty answer: the cause is the guard proxy's record
    assert "net::ERR_BLOCKED_BY_CLIENT" in error and " — " in error, error
    assert final_names(got.outcome.out_dir) == []


def test_browser_sends_nothing_but_the_page_traffic(hostile: ProxiedCapture) -> None:
    # (the page's own attempts on private addresses are the other tests' business)
    others = sorted({f"{r.method} {r.path}"[:120] for r in hostile.seen
                     if urlsplit(r.path).hostname != PUBLIC and "/leak/" not in r.path})
    assert others == [], others
    # and the browser's own traffic went to the sink (refused on loopback), not straight
    # out: Chromium tries at least its account check or update ping within a capture
    assert hostile.background_refused, "no background request reached the sink"
    assert not [h for h in hostile.background_refused if h.startswith(PUBLIC)], (
        hostile.background_refused)


def test_webrtc_cannot_send_udp_to_the_local_network(tmp_path: Path,
                                                    module_canary: Canary) -> None:
    """STUN/TURN over UDP does not use the HTTP proxy: WebRTC is held to proxied traffic, so a
    page cannot probe the intranet by UDP (TURN over TCP meets the guard like any connection)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.2", 0))
        udp.settimeout(0.5)
        port = udp.getsockname()[1]
        got = _proxied_capture(tmp_path, f"/fault/webrtc?host=127.0.0.2&port={port}",
                               module_canary)
        datagrams = []
        try:
            while True:
                datagrams.append(udp.recvfrom(2048))
        except TimeoutError:
            pass
    assert got.outcome.result.status in (CaptureStatus.COMPLETE, CaptureStatus.PARTIAL)
    assert datagrams == [], f"{len(datagrams)} UDP datagram(s) reached 127.0.0.2:{port}"
    assert _reached_host(got.seen, "127.0.0.2") == []


def test_the_computers_own_proxy_is_used_when_none_is_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the guard proxy, the browser used the system proxy by itself; captures on
    networks that only reach the internet through one must keep working."""
    with FixtureSite() as proxy, fake_dns():
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(var, proxy.base)
        for var in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(var, raising=False)
        options = fast_options(tmp_path / "out", allow_private_network=False)
        assert options.proxy is None
        outcome = run_own_session(f"http://{PUBLIC}/gzip/page", options)
        seen = proxy.requests
        proxy_url = proxy.base
    assert outcome.result.status is CaptureStatus.COMPLETE, outcome.result.error
    assert [r for r in seen if r.path == f"http://{PUBLIC}/gzip/page"], seen
    assert outcome.network["upstream_proxy"] == proxy_url


def test_allow_private_network_lets_the_page_reach_loopback(
        browser: SharedBrowser, fault_site: FixtureSite, tmp_path: Path,
        canary: Canary) -> None:
    # blocking off: only loopback targets are in the page (nothing else may ever be sent)
    o = browser.capture(fault_site.url(f"/fault/private-fetch?port={canary.port}"),
                        tmp_path / "out", allow_private_network=True)
    assert o.result.status is CaptureStatus.COMPLETE, (o.result.error, o.result.warnings)
    assert o.network["blocked"] == [] and o.network["blocked_total"] == 0
    assert o.provenance["options"]["allow_private_network"] is True
    reached = {addr for addr, _data in canary.hits}
    assert {"127.0.0.2", "::1"} <= reached, canary.hits
    assert any(b"/leak/ws-loopback" in data for _a, data in canary.hits), canary.hits


def test_loopback_page_is_refused_by_default_on_the_command_line(
        fault_site: FixtureSite, tmp_path: Path) -> None:
    run = cli("capture", fault_site.url("/gzip/page"), "--out", str(tmp_path / "out"))
    assert run.returncode == ExitStatus.FAILED, run.stderr
    assert_clear_error(run.stderr)
    assert "private or local network" in run.stderr and "--allow-private-network" in run.stderr
    assert final_names(tmp_path / "out") == []
