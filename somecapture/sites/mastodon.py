"""Mastodon (any instance): detected from the page; data alone is not enough for the tree.

Descendants are rendered flat in depth-first order and the thread lines cannot tell every
parent apart (a reply to an earlier, non-adjacent post has no line). ``mastodon.js`` therefore
re-reads the context API response the page itself requested (same URL) for exact parents and
falls back to the lines. Remote replies arrive after an asynchronous refresh: while its loading
indicator is shown, expansion is not considered finished. Long replies are collapsed behind
"Read more", which opens another page; after expansion the adapter shows them in full instead
(recorded in provenance), and hides the "All replies loaded" toast that would cover a reply.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from playwright.async_api import Page

from somecapture.sites.base import ExpandRound, SiteAdapter, SiteData, script


class Adapter(SiteAdapter):
    """Mastodon status pages (``/@user/<id>``, ``/@user@domain/<id>``) on any instance."""

    def __init__(self, data: SiteData) -> None:
        super().__init__(data)
        self._expanded = False
        self._busy_rounds = 0

    async def _masto(self, page: Page, op: str) -> Any:
        return await page.evaluate(script("mastodon.js"), {"cfg": self._cfg(), "op": op})

    async def _busy(self, page: Page) -> bool:
        selector = (self.data.get("thread") or {}).get("busy")
        if not selector:
            return False
        return bool(await page.evaluate("s => !!document.querySelector(s)", selector))

    async def expand_round(self, page: Page) -> ExpandRound:
        """Generic round (content warnings, "More replies found · Show", scrolling), then wait
        a little while the thread still shows its loading indicator; if it does not clear,
        report the round as changed so expansion goes on (its time budget still applies)."""
        self._expanded = True
        r = await super().expand_round(page)
        wait_s = float((self.data.get("thread") or {}).get("busy_wait_s", 3))
        deadline = time.monotonic() + wait_s
        while await self._busy(page) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        if await self._busy(page):
            self._busy_rounds += 1
            return ExpandRound(clicked=r.clicked, height=r.height,
                               items=r.items + 100_000 * self._busy_rounds)
        return r

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Generic overlay handling; after expansion also show collapsed replies in full and
        hide the column's status toasts."""
        done = await super().dismiss_overlays(page)
        if self._expanded:
            done += list(await self._masto(page, "after_expand") or [])
        return done

    async def extract(self, page: Page) -> dict[str, Any]:
        """Focal status, descendants with parents, counts from the page's JSON-LD."""
        data: dict[str, Any] = await self._masto(page, "extract") or {}
        data["platform"] = self.platform
        data["adapter"] = self.name
        return data
