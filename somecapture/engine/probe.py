"""A quick look at pages without recording them (issue 19: the watch's cheap check and an
account's posts).

:class:`PageProbe` opens pages in one fresh browser context behind the same two network
guards as a capture (the request check and the capture's own guard proxy, with the agency's
proxy behind it), so a look goes nowhere a capture could not. It loads a page without
expanding, scrolling or screenshotting it, and without images, media and fonts, and hands
back the rendered HTML (and, asked for, whether the page shows that a login profile is no
longer logged in); or the raw bytes of a feed. Nothing is written: the watch decides from
what it sees whether to capture (which the pipeline then does, whole).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from playwright.async_api import BrowserContext, Page, Route
from playwright.async_api import Error as PlaywrightError

from somecapture.engine.browser import BrowserSession
from somecapture.engine.guardproxy import GuardProxy, system_proxy
from somecapture.engine.netguard import NetworkGuard
from somecapture.messages import Msg
from somecapture.sites.registry import adapter_for_page, adapter_for_site

log = logging.getLogger(__name__)

#: resource types a look does not need (the rendered DOM and its links do not depend on them)
_SKIPPED = frozenset({"image", "media", "font"})
#: a feed or outbox larger than this is not read (it is no list of an account's posts)
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


class ProbeError(Exception):
    """A page could not be looked at (the message says why, for the ledger: a catalogue
    message, ``probe.*``)."""


@dataclass(frozen=True)
class ProbedPage:
    """What a look at a page saw."""

    url: str
    final_url: str
    status: int
    #: the rendered DOM, serialised
    html: str
    #: asked for (``login_check``): what shows the page is seen logged out (a login wall, a
    #: login form), by the platform's adapter; None when nothing does
    logged_out: str | None = None


class PageProbe:
    """Looks at pages in one guarded browser context; use as ``async with``.

    ``storage_state``: a login profile's cookies (an account page seen logged in).
    """

    def __init__(self, session: BrowserSession, *, allow_private_network: bool,
                 proxy: str | None = None, storage_state: dict[str, Any] | None = None,
                 timeout_s: float = 20.0) -> None:
        self.session = session
        self.allow_private = allow_private_network
        self.proxy_setting = proxy
        self.storage_state = storage_state
        self.timeout_s = timeout_s
        self._proxy: GuardProxy | None = None
        self._context: BrowserContext | None = None

    async def __aenter__(self) -> PageProbe:
        upstream: str | None
        bypass: Callable[[str], bool] | None
        if self.proxy_setting:
            upstream, bypass = self.proxy_setting, None
        else:
            upstream, bypass, _problem = system_proxy()
        login = ("somecapture", secrets.token_urlsafe(18))
        self._proxy = GuardProxy(allow_private=self.allow_private, upstream=upstream,
                                 bypass=bypass, login=login)
        await self._proxy.start()
        try:
            await self.session.ensure_connected()
            self._context = await self.session.new_context(
                self._proxy.url, login, storage_state=self.storage_state)
            await NetworkGuard(self.allow_private).install(self._context)
            # registered after the guard, so asked first: what a look skips never leaves
            await self._context.route("**/*", _skip_heavy)
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the context and the guard proxy (safe to call twice)."""
        try:
            if self._context is not None:
                try:
                    await self._context.close()
                except PlaywrightError:
                    pass
                self._context = None
        finally:
            if self._proxy is not None:
                await self._proxy.close()
                self._proxy = None

    async def _open(self, url: str, headers: dict[str, str] | None = None
                    ) -> tuple[Page, Any]:
        assert self._context is not None, "use PageProbe as async with"
        page = await self._context.new_page()
        if headers:
            await page.set_extra_http_headers(headers)
        try:
            response = await page.goto(url, wait_until="domcontentloaded",
                                       timeout=self.timeout_s * 1000)
        except PlaywrightError as exc:
            await _close_quietly(page)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ProbeError(Msg("probe.cannot_open", url=url, detail=first)) from None
        if response is None:
            await _close_quietly(page)
            raise ProbeError(Msg("probe.no_response", url=url))
        if response.status >= 400:
            await _close_quietly(page)
            said = (response.status_text or "").strip()
            raise ProbeError(Msg("probe.http_status", url=url, status=str(response.status),
                                 reason=f" {said}" if said else ""))
        return page, response

    async def look(self, url: str, *, login_check: bool = False) -> ProbedPage:
        """Load ``url`` (its scripts run; no expansion) and read the rendered page.
        ``login_check`` (a look with a login profile): also ask the platform's adapter
        whether the page shows it is seen logged out, as a capture does."""
        page, response = await self._open(url)
        try:
            # scripts that render before the load event are in the DOM; a look waits no
            # longer (no network-idle wait: that alone costs half a second a page)
            try:
                await page.wait_for_load_state("load", timeout=3000)
            except PlaywrightError:
                pass
            content = await page.content()
            wall = await _logged_out(page, url) if login_check else None
            return ProbedPage(url=url, final_url=page.url, status=response.status,
                              html=content, logged_out=wall)
        except PlaywrightError as exc:
            raise ProbeError(Msg("probe.cannot_read", url=url,
                                 detail=str(exc).splitlines()[0])) from None
        finally:
            await _close_quietly(page)

    async def fetch(self, url: str, accept: str | None = None) -> bytes:
        """The body of ``url`` as the server sent it (a feed, an outbox)."""
        page, response = await self._open(url, {"Accept": accept} if accept else None)
        try:
            length = int(response.headers.get("content-length") or 0)
            if length > MAX_DOCUMENT_BYTES:
                raise ProbeError(Msg("probe.too_large", url=url, size=length, has_size="yes"))
            body: bytes = await asyncio.wait_for(response.body(), self.timeout_s)
            if len(body) > MAX_DOCUMENT_BYTES:
                raise ProbeError(Msg("probe.too_large", url=url, size=len(body), has_size="no"))
            return body
        except (PlaywrightError, TimeoutError) as exc:
            raise ProbeError(Msg("probe.cannot_read", url=url, detail=str(exc))) from None
        finally:
            await _close_quietly(page)


async def _logged_out(page: Page, url: str) -> str | None:
    """The platform's own sign of a logged-out view (its login wall, or a login form) on any
    page of it: the adapter of the platform the page (or the address asked for) is on, else
    the one the page itself is recognised by, else the generic one."""
    adapter = adapter_for_site(page.url) or adapter_for_site(url) or \
        await adapter_for_page(page.url, page)
    return await adapter.logged_out(page)


async def _skip_heavy(route: Route) -> None:
    if route.request.resource_type in _SKIPPED:
        await route.abort("blockedbyclient")
    else:
        await route.fallback()


async def _close_quietly(page: Page) -> None:
    try:
        await page.close()
    except PlaywrightError:
        pass
