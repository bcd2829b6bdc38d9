"""Reddit adapter: what the shared scripts cannot reach on Reddit's "shreddit" web app.

* The cookie banner (``<reddit-cookie-banner>``) renders its buttons in an open shadow root,
  which ``overlays.js`` (``document.querySelectorAll``) does not see. Playwright's CSS engine
  pierces open shadow roots, so the ``shadow_consent`` entries of ``reddit.json`` are clicked
  from here, preferring "reject optional cookies".
* Ids, authors, times and parents are attributes of the custom elements (``thingid``,
  ``author``, ``created``, ``parentid``); they fill whatever the selector-based extract left
  empty, so a change in the slotted markup does not lose them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from somecapture.resources import read_text
from somecapture.sites.base import SiteAdapter


@cache
def _script() -> str:
    return read_text("sites", "js", "reddit.js")


async def click_shadow_consent(page: Page, entries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Click a consent button inside an open shadow root; reject is preferred over accept.

    Each entry names the shadow ``host`` and CSS selectors for its ``reject`` and ``accept``
    buttons. Returns provenance records like those of ``overlays.js``.
    """
    done: list[dict[str, Any]] = []
    for entry in entries:
        host = entry.get("host", "")
        for choice in ("reject", "accept"):
            selector = entry.get(choice)
            if not host or not selector:
                continue
            button = page.locator(f"{host} {selector}").first
            try:
                if not await button.is_visible():
                    continue
                label = " ".join((await button.inner_text(timeout=2000)).split())
                await button.click(timeout=3000)
            except PlaywrightError:
                continue
            done.append({"kind": "consent", "action": "clicked",
                         "detail": label[:80] or selector, "container": f"{host} (shadow root)",
                         "choice": choice})
            break
    return done


class Adapter(SiteAdapter):
    """Reddit post pages (www/old/new/sh.reddit.com, redd.it links)."""

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Shadow-DOM cookie banner first, then the shared overlay handling."""
        done = await click_shadow_consent(page, list(self.data.get("shadow_consent", [])))
        return done + await super().dismiss_overlays(page)

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
