"""Bluesky (bsky.app): the reply tree is drawn, not nested, so data alone is not enough.

Thread items are flat siblings in the official web app; a reply that continues the post above
it has a reply line in its first row. ``bluesky.js`` reads the thread with that rule, takes the
root post's identity and time from the page head that bskyweb renders (``at://`` link,
``article:published_time``) and reports "Read N more replies" links, which lead to other pages,
as missing replies. Expansion ("Show more replies", "Show more") is the generic one.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import Page

from somecapture.messages import Msg
from somecapture.sites.base import SiteAdapter, script


class Adapter(SiteAdapter):
    """Bluesky post threads (``bsky.app/profile/<actor>/post/<rkey>``)."""

    async def _bsky(self, page: Page, op: str) -> Any:
        return await page.evaluate(script("bluesky.js"), {"cfg": self._cfg(), "op": op})

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Generic overlay handling, then the fixed Sign up / Sign in bar of narrow windows."""
        done = await super().dismiss_overlays(page)
        return done + list(await self._bsky(page, "nags") or [])

    async def login_wall(self, page: Page) -> str | None:
        """Authors who require sign-in: bskyweb says so in the page's meta description."""
        rule = self.data.get("login_wall_meta") or {}
        selector, pattern = rule.get("selector"), rule.get("regex")
        if selector and pattern:
            content = await page.evaluate(
                "s => { const m = document.querySelector(s); return m ? m.content : null; }",
                selector)
            if content and re.search(pattern, content):
                return Msg("wall.signed_in_only")
        return await super().login_wall(page)

    async def extract(self, page: Page) -> dict[str, Any]:
        """Root post, replies in page order with parents from reply lines, reported count."""
        data: dict[str, Any] = await self._bsky(page, "extract") or {}
        data["platform"] = self.platform
        data["adapter"] = self.name
        return data
