"""Choosing the adapter for a URL or page.

An adapter is the data file ``resources/sites/<name>.json`` plus, where data is not enough, a
module ``somecapture/sites/<name>.py`` defining ``class Adapter(SiteAdapter)``.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from urllib.parse import urlsplit

from playwright.async_api import Page

from somecapture.sites.base import SiteAdapter, available_sites, load_site_data


@cache
def _adapter_class(name: str) -> type[SiteAdapter]:
    try:
        module = importlib.import_module(f"somecapture.sites.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"somecapture.sites.{name}":
            raise
        return SiteAdapter
    cls = getattr(module, "Adapter", SiteAdapter)
    assert issubclass(cls, SiteAdapter)
    return cls


def adapter_by_name(name: str) -> SiteAdapter:
    """The adapter called ``name`` (a data file stem)."""
    return _adapter_class(name)(load_site_data(name))


def adapters() -> list[SiteAdapter]:
    """All adapters in matching order (generic last)."""
    return [adapter_by_name(name) for name in available_sites()]


def adapter_for_url(url: str) -> SiteAdapter | None:
    """First adapter whose URL patterns match, or None."""
    for adapter in adapters():
        if adapter.name != "generic" and adapter.matches_url(url):
            return adapter
    return None


#: the host part of a URL pattern (``^https?://<host>/…``)
_PATTERN_HOST = re.compile(r"\^https\?://(.+?)/")


def adapter_for_site(url: str) -> SiteAdapter | None:
    """The adapter of the platform ``url`` is on, for any page of it (an account's page, a
    login page), not only a post: the first whose URL patterns name its host. Platforms
    that run on anyone's host (Mastodon) are found by their pages only."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    for adapter in adapters():
        if adapter.name == "generic":
            continue
        for pattern in adapter.data.url_patterns:
            match = _PATTERN_HOST.match(pattern.pattern)
            if match is None or "[^" in match.group(1):
                continue
            try:
                if re.fullmatch(match.group(1), host, re.IGNORECASE):
                    return adapter
            except re.error:
                continue
    return None


async def adapter_for_page(url: str, page: Page, forced: str | None = None) -> SiteAdapter:
    """``forced`` if given, else URL match, then page detection, then the generic adapter."""
    if forced:
        return adapter_by_name(forced)
    by_url = adapter_for_url(url) or adapter_for_url(page.url)
    if by_url is not None:
        return by_url
    for adapter in adapters():
        if adapter.name != "generic" and await adapter.matches_page(page):
            return adapter
    return adapter_by_name("generic")
