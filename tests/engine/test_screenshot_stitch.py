"""A page captured in many segments (the segment height set low) and streamed into one PNG:
pixel for pixel what Chromium renders when asked for the whole page in one piece; cut off by
the step's budget, nothing is left behind."""

from __future__ import annotations

import asyncio
import base64
import io
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image
from playwright.async_api import async_playwright

from somecapture.engine import screenshot
from somecapture.engine.browser import launch_args, running_as_root

pytestmark = pytest.mark.browser

#: a page of coloured rows of different heights, text with anti-aliasing, gradients, borders
PAGE = "<!doctype html><html><body style='margin:0;font:15px sans-serif'>" + "".join(
    f"<div style='height:{37 + i % 50}px;background:hsl({i * 37 % 360},60%,{40 + i % 30}%);"
    f"border-bottom:1px solid #000'>Svar {i} <b>æøå</b> <span style='display:inline-block;"
    f"width:{100 + i * 13 % 600}px;height:10px;background:linear-gradient(90deg,red,blue)'>"
    "</span></div>" for i in range(120)) + "</body></html>"


async def _capture(out: Path, *, cancel_after_s: float | None = None
                   ) -> tuple[screenshot.ScreenshotInfo | None, Image.Image]:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium") or None,
                                          args=launch_args(),
                                          chromium_sandbox=not running_as_root())
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            await page.set_content(PAGE)
            cdp = await context.new_cdp_session(page)
            info = None
            if cancel_after_s is None:
                info = await screenshot.full_page_png(page, cdp, out, 1280)
            else:
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(screenshot.full_page_png(page, cdp, out, 1280),
                                           cancel_after_s)
            _, height = await screenshot.page_size(page)
            # the reference: Chromium's own capture of the whole page in one piece
            reply = await cdp.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True, "fromSurface": True,
                "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}})
            whole = Image.open(io.BytesIO(base64.b64decode(reply["data"]))).convert("RGB")
        finally:
            await browser.close()
    return info, whole


def test_segments_stream_into_the_same_pixels_as_one_capture(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screenshot, "SEGMENT_HEIGHT_PX", 700)
    out = tmp_path / "screenshot.png"
    info, whole = asyncio.run(_capture(out))
    assert info is not None
    assert info.segments == -(-whole.height // 700) >= 8
    assert (info.width_px, info.height_px) == whole.size
    with Image.open(out) as stitched:
        assert stitched.size == whole.size
        assert stitched.convert("RGB").tobytes() == whole.tobytes()
    assert not out.with_name(out.name + ".part").exists()


def test_cut_off_by_the_budget_leaves_no_file(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screenshot, "SEGMENT_HEIGHT_PX", 200)
    slow_stitch = screenshot._stitch

    def slow(*args: object) -> float:
        time.sleep(0.2)  # the worker is busy when the step is cancelled
        return slow_stitch(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(screenshot, "_stitch", slow)
    out = tmp_path / "screenshot.png"
    asyncio.run(_capture(out, cancel_after_s=1.0))
    # the worker finished the segment in hand, then removed its scratch file
    for _ in range(50):
        if not out.with_name(out.name + ".part").exists():
            break
        time.sleep(0.1)
    assert not out.exists()
    assert not out.with_name(out.name + ".part").exists()
