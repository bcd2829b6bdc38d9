"""TikTok adapter: what data alone cannot do on TikTok's video pages.

* The cookie banner (``<tiktok-cookie-banner>``) is in an open shadow root: its
  ``shadow_consent`` entry is clicked with Playwright (which pierces open shadow roots).
* The comment panel is an inner scroll container that loads the next page when it is scrolled
  to its end. Once expansion has run (the panel is fully loaded), the next overlay pass
  un-clips it (``unclip_selectors``) so the page grows and the full-page screenshot holds the
  whole thread. Recorded in provenance.
* The DOM has no comment ids. Each comment gets ``tiktok-<sha256(handle, text)[:16]>``, stable
  across captures; the handle comes from the comment's ``/@handle`` link.
* The root post is completed from ``__UNIVERSAL_DATA_FOR_REHYDRATION__`` (video id, creation
  time, author), and the shown comment count (abbreviated from 1000 on: "1.2K") by the exact
  ``commentCount`` of the same JSON.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import ExpandRound, SiteAdapter, SiteData


@cache
def _script() -> str:
    return read_text("sites", "js", "tiktok.js")


def comment_id(handle: str | None, text: str | None) -> str:
    """Stable id for a TikTok comment, whose page shows none: hash of handle and text."""
    digest = hashlib.sha256(f"{handle or ''}\n{text or ''}".encode()).hexdigest()
    return f"tiktok-{digest[:16]}"


class Adapter(SiteAdapter):
    """TikTok video (and photo) pages."""

    def __init__(self, data: SiteData) -> None:
        super().__init__(data)
        self._expanded = False

    async def _unclip(self, page: Page) -> list[str]:
        selectors = list(self.data.get("unclip_selectors", []))
        if not selectors:
            return []
        changed = await page.evaluate(_script(), {"mode": "unclip", "selectors": selectors})
        return [str(c) for c in changed or []]

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Shadow-DOM cookie banner, shared overlay handling; after expansion, un-clip the
        comment panel (earlier, its own scrolling is what loads further comments)."""
        done = await super().dismiss_overlays(page)  # shadow-root consent banner included
        if self._expanded:
            done += [{"kind": "layout", "action": "unclipped", "detail": d}
                     for d in await self._unclip(page)]
        return done

    async def expand_round(self, page: Page) -> ExpandRound:
        """One shared expansion round (which also scrolls the inner comment panel)."""
        self._expanded = True
        return await super().expand_round(page)

    async def extract(self, page: Page) -> dict[str, Any]:
        """Selector-based extract with handles, ids, parents and root data added."""
        data = await super().extract(page)
        item = self.data.get("extract", {}).get("reply", {}).get("item")
        extra: dict[str, Any] = await page.evaluate(_script(), {"mode": "extract", "item": item})
        complete_thread(data, extra, page.url)
        return data


def complete_thread(data: dict[str, Any], extra: dict[str, Any], url: str) -> None:
    """Set reply handles and ids (remapping parents), and fill the root from the page JSON."""
    root = data.get("root")
    item = extra.get("item") or {}
    video_id = item.get("id")
    if not video_id:
        m = re.search(r"/(?:video|photo)/(\d+)", url)
        video_id = m.group(1) if m else None
    if root is not None:
        if not root.get("id"):
            root["id"] = video_id
        if item.get("nickname") and not root.get("author"):
            root["author"] = item["nickname"]
        if item.get("unique_id"):
            root["handle"] = "@" + str(item["unique_id"])
        if item.get("create_time"):
            root["published_at"] = datetime.fromtimestamp(
                int(item["create_time"]), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if item.get("desc") and len(str(item["desc"])) > len(root.get("text") or ""):
            root["text"] = item["desc"]
    replies = data.get("replies") or []
    handles = extra.get("handles") or []
    renamed: dict[str, str] = {}
    seen: dict[str, int] = {}
    for i, reply in enumerate(replies):
        if len(handles) == len(replies) and handles[i]:
            reply["handle"] = handles[i]
        new_id = comment_id(reply.get("handle"), reply.get("text"))
        seen[new_id] = seen.get(new_id, 0) + 1
        if seen[new_id] > 1:  # the same person posting the same text twice
            new_id = f"{new_id}-{seen[new_id]}"
        renamed[str(reply.get("id"))] = new_id
        reply["id"] = new_id
    root_id = root.get("id") if root else video_id
    for reply in replies:
        parent = reply.get("parent_id")
        reply["parent_id"] = renamed.get(str(parent), parent) if parent else root_id
    exact = item.get("comment_count")
    if isinstance(exact, int):
        # the page shows large counts abbreviated ("1.2K"); its own JSON has the exact one
        data.setdefault("reported", {})["comments"] = exact
