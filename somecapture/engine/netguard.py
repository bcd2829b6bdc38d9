"""Keeping a captured page away from the archivist's own network.

A page under capture is hostile until proven otherwise: it may try to reach the agency's
intranet, a router's admin page or a cloud metadata service (169.254.169.254) from inside the
archivist's network. Requests to loopback, private, link-local and unique-local addresses are
therefore refused before they are sent (as Scoop does), and listed in provenance. Schemes other
than http(s), data and blob (``file:``, ``chrome:``…) are refused too.
``allow_private_network`` lifts the address rule (intranet pages, local test fixtures).

The check resolves host names itself; a name that resolves to a private address is refused.
Chromium resolves the name again when it connects, so a DNS-rebinding attacker with a very
short TTL could still race it; the browser's own Private Network Access checks are the second
line there.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Route
from playwright.async_api import Error as PlaywrightError

log = logging.getLogger(__name__)

_ALLOWED_SCHEMES = {"http", "https", "ws", "wss", "data", "blob", "about"}


def is_private_address(address: str) -> bool:
    """Loopback, private (RFC 1918, fc00::/7), link-local, unspecified or reserved."""
    try:
        ip = ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified
                or ip.is_reserved or ip.is_multicast)


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
        if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(
                ".localhost"):
            private = True
        elif is_private_address(host):
            private = True
        else:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None)
            except (socket.gaierror, UnicodeError, OSError):
                # unresolvable here (e.g. only the proxy can resolve it): the browser's own
                # attempt will fail or go through the proxy; nothing private is reached
                infos = []
            private = any(is_private_address(str(info[4][0])) for info in infos)
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
            return ("private or local network address (blocked; use --allow-private-network "
                    "for intranet pages)")
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
