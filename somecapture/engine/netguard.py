"""Keeping a captured page away from the archivist's own network.

A page under capture is hostile until proven otherwise: it may try to reach the agency's
intranet, a router's admin page or a cloud metadata service (169.254.169.254) from inside the
archivist's network. Requests to loopback, private, link-local and unique-local addresses (the
rules are in :mod:`~somecapture.engine.addresspolicy`) are therefore refused before they are
sent (as Scoop does), and listed in provenance. Schemes other than http(s), data and blob
(``file:``, ``chrome:``…) are refused too.
``allow_private_network`` lifts the address rule (intranet pages, local test fixtures).

This route check is the first line: it sees the page's requests with their full URLs (for
provenance) and refuses non-web schemes. It does not see redirect hops, and Chromium resolves
names again when it connects; the capture's :mod:`~somecapture.engine.guardproxy` is the
second line, which checks every connection (each hop included) and connects to the very
address it checked.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Route
from playwright.async_api import Error as PlaywrightError

from somecapture.engine.addresspolicy import PRIVATE_REASON, is_private_destination

log = logging.getLogger(__name__)

_ALLOWED_SCHEMES = {"http", "https", "ws", "wss", "data", "blob", "about"}


class NetworkGuard:
    """Installs the request and WebSocket checks on one browser context."""

    def __init__(self, allow_private_network: bool) -> None:
        self.allow_private = allow_private_network
        self.blocked: list[dict[str, str]] = []
        self._cache: dict[str, bool] = {}

    async def install(self, context: BrowserContext) -> None:
        """Route every request (and WebSocket) of ``context`` through the checks."""
        await context.route("**/*", self._on_route)
        if hasattr(context, "route_web_socket"):
            await context.route_web_socket("**/*", self._on_websocket)

    async def _host_is_private(self, host: str) -> bool:
        if host in self._cache:
            return self._cache[host]
        # a local name or a private IP literal is decided without asking the resolver
        private = is_private_destination(host, [host])
        if not private:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None)
            except (socket.gaierror, UnicodeError, OSError):
                # unresolvable here (e.g. only the proxy can resolve it): the browser's own
                # attempt will fail or go through the proxy; nothing private is reached
                infos = []
            private = is_private_destination(host, [str(info[4][0]) for info in infos])
        self._cache[host] = private
        return private

    async def verdict(self, url: str) -> str | None:
        """Why ``url`` must not be requested, or None when it may."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _ALLOWED_SCHEMES:
            return f"{scheme}: URLs are not loaded during a capture"
        if scheme in ("data", "blob", "about") or self.allow_private:
            return None
        host = parts.hostname or ""
        if host and await self._host_is_private(host):
            return PRIVATE_REASON
        return None

    async def _on_route(self, route: Route) -> None:
        url = route.request.url
        reason = await self.verdict(url)
        try:
            if reason is None:
                await route.fallback()
            else:
                self.blocked.append({"url": url[:500], "reason": reason})
                await route.abort("blockedbyclient")
        except PlaywrightError:
            pass  # the page or context closed meanwhile

    async def _on_websocket(self, ws: Any) -> None:
        reason = await self.verdict(ws.url)
        if reason is None:
            ws.connect_to_server()
        else:
            self.blocked.append({"url": ws.url[:500], "reason": f"WebSocket: {reason}"})
            await ws.close(code=1008, reason="blocked by somecapture")
