"""X (Twitter): a virtualised conversation list, so data alone is not enough.

X keeps only the cells near the viewport in the DOM. Scrolling straight to the bottom (what the
generic expansion does) would skip the middle of the thread: its "Show more replies" controls
would never be in the DOM and its posts never seen. This adapter therefore

* sweeps the page a viewport at a time in every expansion round, clicking "more" controls at
  each stop and remembering every post it sees (``x.js`` ``collect``);
* renders the whole list before the screenshot by making the viewport as tall as the list (a
  window that tall shows every cell, so the screenshot and the extract see the whole thread);
* reads the reply tree from X's connector lines and hides the fixed log-in bar.

Selectors, labels and limits come from ``resources/sites/x.json``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import Page

from somecapture.sites.base import ExpandRound, ExpandVerdict, SiteAdapter, SiteData, script


class Adapter(SiteAdapter):
    """X/Twitter permalinks (``x.com/<user>/status/<id>``)."""

    def __init__(self, data: SiteData) -> None:
        super().__init__(data)
        self._expanded = False
        self._pending: list[dict[str, Any]] = []

    def _opt(self, key: str, default: float) -> float:
        value = (self.data.get("render_all") or {}).get(key, default)
        return float(value)

    async def _x(self, page: Page, op: str) -> Any:
        return await page.evaluate(script("x.js"), {"cfg": self._cfg(), "op": op})

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Consent sheet and log-in modal (generic rules with X's labels), the fixed log-in bar
        and, once the thread has been expanded, the tall viewport for the screenshot."""
        done, self._pending = self._pending, []
        done += await super().dismiss_overlays(page)
        done += list(await self._x(page, "nags") or [])
        if self._expanded:
            # the last overlay pass runs after expansion and before the screenshot
            await self.before_screenshot(page)
        return done

    async def expand_round(self, page: Page) -> ExpandRound:
        """Sweep the page top to bottom, clicking "more" controls and collecting posts at each
        stop, then let the generic round scroll to the bottom (which loads the next page)."""
        self._expanded = True
        # the log-in modal opens on the first scroll and locks scrolling: close it at once
        # (recorded in provenance by the next dismiss_overlays call)
        self._pending += await super().dismiss_overlays(page)
        self._pending += list(await self._x(page, "nags") or [])
        pause = self._opt("sweep_pause_s", 0.1)
        cfg = dict(self._cfg(), scroll=False)
        clicked: list[str] = []
        y = 0
        for _ in range(200):
            await page.evaluate("y => window.scrollTo(0, y)", y)
            await asyncio.sleep(pause)
            r = await page.evaluate(script("expand.js"), cfg)
            clicked += list(r.get("clicked", []))
            await self._x(page, "collect")
            height = int(await page.evaluate("document.scrollingElement.scrollHeight"))
            view = int(await page.evaluate("innerHeight"))
            if y + view >= height:
                break
            y += max(200, int(view * 0.8))
        last = await super().expand_round(page)
        await self._x(page, "collect")
        seen = int(await self._x(page, "count") or 0)
        return ExpandRound(clicked=clicked + last.clicked, height=last.height, items=seen)

    async def expand_verdict(self, page: Page, network_busy: bool) -> ExpandVerdict:
        """The shared verdict, with the thread's items counted as a round counts them: the
        posts collected so far (the list is virtualised; its cells in the DOM are a window)."""
        verdict = await super().expand_verdict(page, network_busy)
        verdict.items = int(await self._x(page, "count") or 0)
        return verdict

    async def before_screenshot(self, page: Page) -> None:
        """Make the viewport as tall as the conversation list (up to a cap) so the virtualised
        list renders every cell; repeat while measured cell heights change the list's length."""
        cap = int(self._opt("max_viewport_height_px", 24000))
        pause = self._opt("sweep_pause_s", 0.1)
        size = page.viewport_size or {"width": 1280, "height": 900}
        width, height = size["width"], size["height"]
        for _ in range(6):
            await page.evaluate("window.scrollTo(0, 0)")
            info = await self._x(page, "bottom")
            target = min(cap, max(int(info["bottom"]) + 120, height))
            if abs(target - height) < 8:
                break
            height = target
            await page.set_viewport_size({"width": width, "height": height})
            await asyncio.sleep(pause * 3)
        await self._x(page, "collect")

    async def extract(self, page: Page) -> dict[str, Any]:
        """Root post, replies in page order with parents from connector lines, reported count."""
        data: dict[str, Any] = await self._x(page, "extract") or {}
        data["platform"] = self.platform
        data["adapter"] = self.name
        return data
