"""Choosing the adapter for a URL or page."""

from __future__ import annotations

from playwright.async_api import Page

from somecapture.sites.base import SiteAdapter, available_sites, load_site_data


def adapters() -> list[SiteAdapter]:
    """All adapters in matching order (generic last)."""
    return [SiteAdapter(load_site_data(name)) for name in available_sites()]


def adapter_for_url(url: str) -> SiteAdapter | None:
    """First adapter whose URL patterns match, or None."""
    for adapter in adapters():
        if adapter.name != "generic" and adapter.matches_url(url):
            return adapter
    return None


async def adapter_for_page(url: str, page: Page) -> SiteAdapter:
    """URL match first, then page detection, then the generic adapter."""
    by_url = adapter_for_url(url) or adapter_for_url(page.url)
    if by_url is not None:
        return by_url
    for adapter in adapters():
        if adapter.name != "generic" and await adapter.matches_page(page):
            return adapter
    return SiteAdapter(load_site_data("generic"))
