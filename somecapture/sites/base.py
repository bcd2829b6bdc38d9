"""Site adapters: what to click, what to hide and how to read a thread, per platform.

Site knowledge is data (``resources/sites/<name>.json`` + shared injected scripts in
``resources/sites/js/``) so a platform's markup change is a data change. An adapter is chosen by
URL pattern (first match wins), then by page detection (e.g. Mastodon on any instance), with
the generic adapter as fallback. Platform modules subclass :class:`SiteAdapter` only where data
is not enough.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from playwright.async_api import Page

from somecapture.messages import Msg
from somecapture.resources import read_text, site_names


@dataclass(frozen=True)
class SiteData:
    """One platform's data file, merged over the generic defaults."""

    name: str
    platform: str
    raw: dict[str, Any] = field(repr=False)
    url_patterns: tuple[re.Pattern[str], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the data file."""
        return self.raw.get(key, default)


@cache
def script(name: str) -> str:
    """An injected script from ``resources/sites/js/`` (cached)."""
    return read_text("sites", "js", name)



@cache
def load_site_data(name: str) -> SiteData:
    """Load ``resources/sites/<name>.json``; lists in it extend the generic ones."""
    generic = json.loads(read_text("sites", "generic.json"))
    data = generic if name == "generic" else json.loads(read_text("sites", f"{name}.json"))
    merged: dict[str, Any] = dict(generic)
    for key, value in data.items():
        if key in ("click_labels", "consent_reject_labels", "consent_accept_labels",
                   "close_labels", "consent_containers", "skip_labels") and name != "generic":
            # platform labels first: they are more specific than the generic ones
            merged[key] = list(value) + [v for v in generic.get(key, []) if v not in value]
        else:
            merged[key] = value
    patterns = tuple(re.compile(p, re.IGNORECASE) for p in merged.get("url_patterns", []))
    return SiteData(name=name, platform=merged.get("platform", name), raw=merged,
                    url_patterns=patterns)


# the adapter names are the data files' names; options check them without importing the
# adapters, so the listing lives in resources (this name stays for the registry)
available_sites = site_names


@dataclass
class ExpandRound:
    """What one expansion round did."""

    clicked: list[str]
    height: int
    items: int


@dataclass
class ExpandVerdict:
    """What the controls clicked since the last verdict achieved, judged once the network is
    quiet (see ``expand.js``): ``grew`` when the page, its thread items or an inner scroll area
    grew since the round began; ``controls`` lists each control clicked (``key``, ``label``,
    ``clicks`` so far, ``state``: ``productive`` or ``dead``, never clicked again)."""

    grew: bool
    controls: list[dict[str, Any]] = field(default_factory=list)
    #: the page's height and thread items when judged (None when the adapter did not say)
    height: int | None = None
    items: int | None = None


class SiteAdapter:
    """Default behaviour for a platform described by :class:`SiteData`."""

    def __init__(self, data: SiteData) -> None:
        self.data = data

    @property
    def name(self) -> str:
        """Adapter name (the data file's stem)."""
        return self.data.name

    @property
    def platform(self) -> str:
        """Human platform name, e.g. ``Mastodon``."""
        return self.data.platform

    def matches_url(self, url: str) -> bool:
        """True when one of the data file's URL patterns matches."""
        return any(p.search(url) for p in self.data.url_patterns)

    async def matches_page(self, page: Page) -> bool:
        """Page-based detection (``page_detect`` selector), for self-hosted platforms."""
        selector = self.data.get("page_detect")
        if not selector:
            return False
        try:
            return bool(await page.locator(selector).count())
        except Exception:  # noqa: BLE001 - an invalid selector in data must not break a capture
            return False

    def _cfg(self) -> dict[str, Any]:
        return self.data.raw

    async def dismiss_overlays(self, page: Page) -> list[dict[str, Any]]:
        """Click consent/close buttons and hide blockers; returns what was done."""
        done = await self._shadow_consent(page)
        result = await page.evaluate(script("overlays.js"), self._cfg())
        return done + list(result or [])

    async def _shadow_consent(self, page: Page) -> list[dict[str, Any]]:
        """Consent buttons inside open shadow roots (``shadow_consent``: host, reject, accept),
        which overlays.js cannot see; Playwright selectors pierce open shadow roots."""
        done: list[dict[str, Any]] = []
        for entry in self.data.get("shadow_consent", []):
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
                except Exception:  # noqa: BLE001 - a stale banner must not break a capture
                    continue
                done.append({"kind": "consent", "action": "clicked",
                             "detail": label[:80] or selector,
                             "container": f"{host} (shadow root)", "choice": choice})
                break
        return done

    async def expand_round(self, page: Page) -> ExpandRound:
        """One round of clicking "more" controls and scrolling.

        Controls that loaded nothing when clicked before (see :meth:`expand_verdict`), links
        to other pages, sort/filter menus and count-only headers ("100 comments") are not
        clicked; the site data's ``click_selectors`` and ``expander_labels`` vouch for menus
        and count labels that do expand on that site."""
        r = await page.evaluate(script("expand.js"), self._cfg())
        return ExpandRound(clicked=list(r.get("clicked", [])), height=int(r.get("height", 0)),
                           items=int(r.get("items", 0)))

    async def expand_verdict(self, page: Page, network_busy: bool) -> ExpandVerdict:
        """Judge the controls clicked since the last verdict, after the round's wait: each
        one that produced no growth while the network was quiet is never clicked again.
        Call once after every :meth:`expand_round`."""
        cfg = dict(self._cfg(), op="judge", network_busy=network_busy)
        r = await page.evaluate(script("expand.js"), cfg)
        height, items = r.get("height"), r.get("items")
        return ExpandVerdict(grew=bool(r.get("grew")), controls=list(r.get("controls") or []),
                             height=int(height) if isinstance(height, int | float) else None,
                             items=int(items) if isinstance(items, int | float) else None)

    async def expand_grew(self, page: Page) -> bool:
        """Whether the page, its thread items or an inner scroll area has grown since the
        round began (a look without a verdict: nothing is judged or remembered)."""
        r = await page.evaluate(script("expand.js"), dict(self._cfg(), op="peek"))
        return bool(r.get("grew"))

    async def login_wall(self, page: Page) -> str | None:
        """A description of a login wall hiding the thread (a catalogue message, ``wall.*``:
        the messages that name it are read in every language), or None: a redirect to a
        login page (``login_wall_url`` pattern), or a visible wall (``login_wall_selectors``)."""
        pattern = self.data.get("login_wall_url")
        if pattern and re.search(pattern, page.url, re.IGNORECASE):
            return Msg("wall.redirected", url=page.url)
        for selector in self.data.get("login_wall_selectors", []):
            try:
                wall = page.locator(selector).first
                if not await wall.count():
                    continue
                # a wall overlays.js had to hide (no way to close it) is still a wall; a nag
                # closed with its own button is gone from the page
                if await wall.is_visible() or await wall.evaluate(
                        "el => !!el.closest('[data-somecapture-hidden]')"):
                    return Msg("wall.selector", selector=selector)
            except Exception:  # noqa: BLE001
                continue
        return None

    async def unavailable(self, page: Page) -> str | None:
        """The page's own notice that the post is gone (deleted, removed, private), or None."""
        for selector in self.data.get("unavailable_selectors", []):
            try:
                notice = page.locator(selector).first
                if await notice.is_visible():
                    text = " ".join((await notice.inner_text(timeout=2000)).split())
                    return text[:200] or selector
            except Exception:  # noqa: BLE001 - an invalid selector in data must not break a capture
                continue
        return None

    async def before_screenshot(self, page: Page) -> None:
        """Last changes before the screenshot (e.g. render a virtualised list in full, hide a
        toast). Nothing by default."""
        return None

    async def hide_covering_layers(self, page: Page, viewport_height: int
                                   ) -> list[dict[str, Any]]:
        """Hide fixed and sticky layers that cover the thread, found by position and size
        (``geometry.js``): bottom sheets, login bars, corner chat widgets, full-screen
        backdrops. Run after :meth:`before_screenshot`, with the page scrolled to the top;
        ``viewport_height`` is the ordinary viewport's (an adapter may have made the window
        taller). Returns what was hidden, for provenance."""
        result = await page.evaluate(script("geometry.js"), {
            "cfg": self._cfg(), "viewport": {"height": viewport_height}})
        return list(result or [])

    async def logged_out(self, page: Page) -> str | None:
        """For logged-in captures: a login wall, or a visible password field on the page."""
        wall = await self.login_wall(page)
        if wall:
            return wall
        try:
            if await page.locator("input[type=password]:visible").count():
                return Msg("wall.form")
        except Exception:  # noqa: BLE001
            return None
        return None

    @staticmethod
    def fill_handles(data: dict[str, Any], info: dict[str, Any]) -> None:
        """Fill missing handles from an adapter script's ``root_handle``/``handles`` (by id)."""
        root = data.get("root")
        if isinstance(root, dict) and not root.get("handle"):
            root["handle"] = info.get("root_handle")
        handles: dict[str, Any] = info.get("handles") or {}
        for reply in data.get("replies") or []:
            if not reply.get("handle"):
                reply["handle"] = handles.get(str(reply.get("id")))

    async def extract(self, page: Page) -> dict[str, Any]:
        """Structured thread: root post, replies in page order, counts the page reports."""
        data: dict[str, Any] = await page.evaluate(script("extract.js"), self._cfg())
        data["platform"] = self.platform
        data["adapter"] = self.name
        return data
