"""The login window: a visible browser on a login profile, where the archivist logs in by hand.

The profile itself (its folder, name and info file) belongs to :mod:`somecapture.profiles`;
this module only drives the browser on it. somecapture never sees the password: it waits until
the archivist closes the window.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import BrowserContext, async_playwright

from somecapture.engine.browser import (
    BrowserChoice,
    launch_args,
    launch_first,
    proxy_settings,
    running_as_root,
)
from somecapture.options import CaptureOptions
from somecapture.profiles import (
    ProfileInfo,
    list_profiles,
    origin_of,
    prepare_for_login,
    remember_origins,
)


async def login(
    name: str,
    url: str | None,
    options: CaptureOptions,
    *,
    headless: bool = False,
    on_ready: Callable[[Any], Awaitable[None]] | None = None,
) -> ProfileInfo:
    """Open a browser on profile ``name`` at ``url`` and wait until its window is closed.

    ``on_ready(page)`` runs once the page is open (tests use it to log in by script, with
    ``headless=True``; it must close the context when done). Raises
    :class:`~somecapture.errors.ProfileError` when the profile is open elsewhere and
    :class:`~somecapture.errors.BrowserNotFoundError` when no browser starts.
    """
    path = prepare_for_login(name, url)
    async with async_playwright() as pw:

        async def open_window(choice: BrowserChoice) -> BrowserContext:
            return await pw.chromium.launch_persistent_context(
                str(path), executable_path=choice.executable, channel=choice.channel,
                headless=headless, args=launch_args(),
                chromium_sandbox=not running_as_root(), viewport=None,
                locale=options.locale, timezone_id=options.timezone_id,
                # the archivist logs in over the agency's network, like any browsing
                proxy=proxy_settings(options.proxy),
            )

        context, _choice = await launch_first(
            options, pw, open_window, catch=(Exception,),
            profile_locked=f"Profile {name!r} is open in another window or capture. Close it "
                           "and try again.")
        # the sites the archivist opens while logging in: a capture reads the profile's local
        # storage from these (a browser keeps no list of the origins it stored data for
        # that Playwright could read without opening each of them)
        origins: list[str] = []

        def note_origin(frame: Any) -> None:
            origin = origin_of(getattr(frame, "url", None))
            if origin and origin not in origins and frame.parent_frame is None:
                origins.append(origin)

        def watch(page: Any) -> None:
            page.on("framenavigated", note_origin)

        context.on("page", watch)
        for open_page in context.pages:
            watch(open_page)
        page = context.pages[0] if context.pages else await context.new_page()
        try:
            if url:
                await page.goto(url)
            if on_ready is not None:
                await on_ready(page)
            else:
                await context.wait_for_event("close", timeout=0)
            try:
                await context.close()
            except Exception:  # noqa: BLE001 - already closed by the user
                pass
        finally:
            remember_origins(name, origins)
    return next(p for p in list_profiles() if p.name == name)
