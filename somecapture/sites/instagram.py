"""Instagram: what data alone cannot express.

* Comments have no id attributes and no role: the id is in each comment's timestamp link
  (``/p/<code>/c/<id>/``, replies ``…/c/<parent>/r/<id>/``) and a comment's own "row" is
  found by structure (the largest box holding only its own timestamp link), so rows are
  marked before the shared extractor runs.
* The comment count is only in ``meta[name=description]`` ("128 likes, 13 comments - …"),
  next to the caption; it is copied out so the caption's words cannot disturb the number.
* The comment panel is a fixed-height inner scroll area: after expansion it is let out to its
  full height so every comment is on the full-page screenshot.
* A logged-out visitor gets a fixed login bar at the bottom, found by its links.
* A redirect to ``/accounts/login/`` (or a challenge) is a login wall.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import ExpandRound, SiteAdapter, SiteData


@cache
def script() -> str:
    return read_text("sites", "js", "instagram.js")


class Adapter(SiteAdapter):
    """Instagram posts and reels as a logged-out visitor sees them."""

    def __init__(self, data: SiteData) -> None:
        super().__init__(data)
        self._expanded = False

    async def _run(self, page: Page, op: str) -> Any:
        return await page.evaluate(script(), {"op": op, "cfg": self._cfg()})

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Shared consent/login handling, the bottom login bar, and (once the thread has
        been expanded) the comment panel let out to full height."""
        actions = await super().dismiss_overlays(page)
        actions += list(await self._run(page, "bars") or [])
        if self._expanded:
            actions += list(await self._run(page, "unroll") or [])
        return actions

    async def expand_round(self, page: Page) -> ExpandRound:
        """The shared click-and-scroll round (it also scrolls the comment panel itself)."""
        self._expanded = True
        return await super().expand_round(page)

    async def extract(self, page: Page) -> dict[str, Any]:
        """Mark comment rows, ids, parents and the count, then the shared extractor."""
        await self._run(page, "annotate")
        data = await super().extract(page)
        root = data.get("root")
        if isinstance(root, dict) and not root.get("handle") and root.get("author"):
            root["handle"] = root["author"]  # Instagram shows the username only
        return data
