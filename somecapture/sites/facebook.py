"""Facebook: what data alone cannot express.

* Comment ids exist only in each comment's timestamp link (``comment_id`` /
  ``reply_comment_id``) and a reply is a *sibling* of its parent's ``role=article`` (both sit
  in the parent's ``li``), so the tree is rebuilt from the ``li`` nesting before the shared
  extractor runs.
* The comment order "Most relevant" hides comments; it is switched to "All comments" through
  a menu (button, then menu item) once, before the usual expansion clicks.
* A logged-out visitor gets a fixed bottom login bar that is found by structure (a fixed
  bar on the bottom edge holding log-in / sign-up links), not by class names.
* A redirect to ``/login`` or ``/checkpoint`` is a login wall.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import ExpandRound, SiteAdapter


@cache
def script() -> str:
    return read_text("sites", "js", "facebook.js")


class Adapter(SiteAdapter):
    """Facebook posts as a logged-out visitor sees them."""

    async def _run(self, page: Page, op: str) -> Any:
        return await page.evaluate(script(), {"op": op, "cfg": self._cfg()})

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Shared consent/login handling, then hide the bottom login bar."""
        actions = await super().dismiss_overlays(page)
        bars = await self._run(page, "bars")
        return actions + list(bars or [])

    async def expand_round(self, page: Page) -> ExpandRound:
        """Switch to "All comments" once, then the shared click-and-scroll round."""
        sort = await self._run(page, "sort")
        r = await super().expand_round(page)
        sorted_clicks = [str(c) for c in (sort or {}).get("clicked", [])]
        return ExpandRound(clicked=sorted_clicks + r.clicked, height=r.height, items=r.items)

    async def extract(self, page: Page) -> dict[str, Any]:
        """Annotate ids, parents and the comment counter, then the shared extractor."""
        info = await self._run(page, "annotate") or {}
        data = await super().extract(page)
        self.fill_handles(data, info)
        return data
