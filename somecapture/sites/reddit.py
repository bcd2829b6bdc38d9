"""Reddit adapter: what the shared scripts cannot reach on Reddit's "shreddit" web app.

* The cookie banner (``<reddit-cookie-banner>``) renders its buttons in an open shadow root;
  the ``shadow_consent`` entries of ``reddit.json`` are clicked by the shared
  ``SiteAdapter.dismiss_overlays``, preferring "reject optional cookies".
* Ids, authors, times and parents are attributes of the custom elements (``thingid``,
  ``author``, ``created``, ``parentid``); they fill whatever the selector-based extract left
  empty, so a change in the slotted markup does not lose them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import SiteAdapter


@cache
def _script() -> str:
    return read_text("sites", "js", "reddit.js")


class Adapter(SiteAdapter):
    """Reddit post pages (www/old/new/sh.reddit.com, redd.it links)."""

    async def extract(self, page: Page) -> dict[str, Any]:
        """Selector-based extract, completed from the custom elements' attributes."""
        data = await super().extract(page)
        attrs: dict[str, Any] = await page.evaluate(_script())
        fill_from_attributes(data, attrs)
        return data


def fill_from_attributes(data: dict[str, Any], attrs: dict[str, Any]) -> None:
    """Fill empty root/reply fields of ``data`` from the attribute snapshot of reddit.js."""
    root_attrs = attrs.get("root") or {}
    root = data.get("root")
    if root is not None and root_attrs:
        for key in ("id", "author", "published_at", "url"):
            if not root.get(key) and root_attrs.get(key):
                root[key] = root_attrs[key]
        if root_attrs.get("title"):
            root["title"] = root_attrs["title"]
    comments = attrs.get("comments") or {}
    for reply in data.get("replies") or []:
        found = comments.get(reply.get("id"))
        if not found:
            continue
        for key in ("author", "published_at", "parent_id"):
            if not reply.get(key) and found.get(key):
                reply[key] = found[key]
        if found.get("url"):
            reply.setdefault("url", found["url"])
