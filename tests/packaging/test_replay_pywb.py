"""Record, then replay: the produced WARC, loaded into pywb (an independent replay system),
shows the post text and a reply in a real browser, with the original site gone.

The fixture site is shut down before replay and the replay browser may only talk to pywb, so
nothing can come from the live site.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Route, sync_playwright

from somecapture.engine.browser import launch_args, running_as_root
from somecapture.models import CaptureStatus
from tests.conftest import run_capture
from tests.fixtures.site import server as fx
from tests.packaging.pywb_replay import pywb_serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    out = tmp_path_factory.mktemp("replay-capture")
    with fx.FixtureSite() as live:  # its own site instance: closed before replay
        url = live.url("/post/1")
        result = run_capture(url, out)
    assert result.status is CaptureStatus.COMPLETE, result.error
    assert result.package is not None
    yield result.package / "data" / "capture.warc", url


@pytest.fixture(scope="module")
def pywb(recorded: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[str]:
    warc, _ = recorded
    with pywb_serving(warc, tmp_path_factory.mktemp("pywb")) as base:
        yield base


def test_replay_shows_post_and_replies(recorded: tuple[Path, str], pywb: str) -> None:
    _, url = recorded
    replay_url = f"{pywb}/somecapture/{url}"
    outside: list[str] = []

    def only_pywb(route: Route) -> None:
        if route.request.url.startswith(pywb):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or None,
                                    args=launch_args(), chromium_sandbox=not running_as_root())
        try:
            page = browser.new_page()
            page.route("**/*", only_pywb)
            page.goto(replay_url, wait_until="load", timeout=60_000)
            frame = page.frame_locator("iframe#replay_iframe")
            frame.locator("article[data-post-id]").wait_for(timeout=30_000)
            post_text = frame.locator(".post-text").inner_text(timeout=10_000)
            assert fx.ROOT_TEXT in post_text
            first_reply = frame.locator("li.reply[data-reply-id='r1'] .reply-text")
            assert "Svar nummer 1" in first_reply.inner_text(timeout=20_000)
        finally:
            browser.close()
    # replay must not have reached for the (closed) live site
    assert not [u for u in outside if u.startswith(url.split("/post/")[0])], outside
