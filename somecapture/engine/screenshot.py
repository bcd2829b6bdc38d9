"""Full-page screenshots of any height.

Chromium cannot render more than about 16,384 px in one capture (a GPU texture limit): beyond
that, full-page captures come back cut off or with repeated tiles. So the page is captured in
horizontal segments with ``Page.captureScreenshot`` (clip + ``captureBeyondViewport``) and the
segments are pasted into one image with Pillow. Each segment is decoded once and pasted once;
the stitched image is encoded once.

**Time.** A very tall or very heavy page can take minutes to capture, stitch and package (a
200,000 px page: ~40 s of segments, ~10 s to encode, ~15 s to package on a loaded 2-core
machine). With a ``deadline`` the screenshot stops at the last segment that still leaves time
to stitch and encode by then, and whose packaging after it (decoding the PNG again, cutting it
into PDF pages) is expected to end by ``package_deadline``; the cost of both is estimated from
this capture's own segments (decode + paste time, measured), so a slow machine gets a shorter
screenshot rather than a capture past its budget. The caller says it was cut.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import time
from pathlib import Path

from PIL import Image
from playwright.async_api import CDPSession, Page

from somecapture.models import ScreenshotInfo

#: tallest segment captured in one piece; under Chromium's 16,384 px texture limit
SEGMENT_HEIGHT_PX = 16000
#: the first segment when little time is left (under :data:`SHORT_ON_TIME_S` to the deadline):
#: a few viewports, taken in a second or two even on a slow machine, so some screenshot is kept
SHORT_FIRST_SEGMENT_PX = 4000
SHORT_ON_TIME_S = 10.0
#: refuse absurd pages rather than exhaust memory (1280 × 200,000 px RGB ≈ 770 MB)
MAX_HEIGHT_PX = 200_000

__all__ = ["ScreenshotInfo", "full_page_png"]

log = logging.getLogger(__name__)

#: stitching and encoding the image costs about this many times the segments' decode + paste
#: time (measured: 10-12 s to encode after 13 segments decoded in ~7 s); kept generous
ENCODE_COST_FACTOR = 2.0
#: packaging (PDF: decode the PNG, cut and compress its pages) costs about this many times
#: the same (measured 8-12 s against 8-10 s); kept generous
PACKAGE_COST_FACTOR = 2.0

# Pages taller than Pillow's default decompression-bomb guard are expected here.
Image.MAX_IMAGE_PIXELS = None


_PAGE_SIZE_JS = """() => {
  const d = document.documentElement, b = document.body || d;
  return {
    height: Math.max(d.scrollHeight, b.scrollHeight, d.offsetHeight, b.offsetHeight),
    width: Math.max(d.clientWidth, window.innerWidth || 0),
  };
}"""


async def page_size(page: Page) -> tuple[int, int]:
    """The document's (width, height) in CSS pixels."""
    size = await page.evaluate(_PAGE_SIZE_JS)
    return int(size["width"]), int(size["height"])


def _time_for_more(segments_done: int, started: float, processing_s: float,
                   deadline: float | None, package_deadline: float | None) -> bool:
    """Whether one more segment fits: its capture, then stitching and encoding all of them by
    ``deadline``, and their packaging after that by ``package_deadline``."""
    if segments_done == 0:
        return True  # the first segment is always taken: some screenshot beats none
    per_segment = (time.monotonic() - started) / segments_done
    processing = processing_s / segments_done * (segments_done + 1)
    encoded_at = time.monotonic() + per_segment + ENCODE_COST_FACTOR * processing
    if deadline is not None and encoded_at > deadline:
        return False
    return (package_deadline is None
            or encoded_at + PACKAGE_COST_FACTOR * processing <= package_deadline)


async def full_page_png(page: Page, cdp: CDPSession, out_path: Path, viewport_width: int, *,
                        deadline: float | None = None,
                        package_deadline: float | None = None) -> ScreenshotInfo:
    """Capture the whole page into ``out_path`` (PNG), stitching segments when it is tall.

    ``deadline`` and ``package_deadline`` (``time.monotonic()``): see the module text; a
    screenshot cut for time has ``height_px`` under both the page's height and
    :data:`MAX_HEIGHT_PX`.
    """
    started = time.monotonic()
    _, page_height = await page_size(page)
    width = viewport_width
    height = max(1, min(page_height, MAX_HEIGHT_PX))
    segments: list[tuple[int, int]] = []
    y = 0
    short = deadline is not None and deadline - time.monotonic() < SHORT_ON_TIME_S
    while y < height:
        h = min(SHORT_FIRST_SEGMENT_PX if short and y == 0 else SEGMENT_HEIGHT_PX, height - y)
        segments.append((y, h))
        y += h
    canvas: Image.Image | None = None
    processing_s = 0.0
    done = 0
    for top, h in segments:
        if not _time_for_more(done, started, processing_s, deadline, package_deadline):
            break
        reply = await cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "clip": {"x": 0, "y": top, "width": width, "height": h, "scale": 1},
                "captureBeyondViewport": True,
                "fromSurface": True,
            },
        )
        t0 = time.monotonic()
        data = base64.b64decode(reply["data"])
        if len(segments) == 1:
            # one piece: Chromium's PNG is stored as is, never decoded and re-encoded
            out_path.write_bytes(data)
            with Image.open(io.BytesIO(data)) as seg:
                size = seg.size
            return ScreenshotInfo(width_px=size[0], height_px=size[1],
                                  page_height_px=page_height, segments=1,
                                  clipped=page_height > MAX_HEIGHT_PX)
        with Image.open(io.BytesIO(data)) as seg:
            seg_rgb = seg.convert("RGB")
        if canvas is None:
            canvas = Image.new("RGB", (width, height), "white")
        # a segment can come back a pixel short/long after rounding: paste what fits
        canvas.paste(seg_rgb.crop((0, 0, width, min(h, seg_rgb.height))), (0, top))
        del seg_rgb
        processing_s += time.monotonic() - t0
        done += 1
    assert canvas is not None
    if done < len(segments):
        # cut for time: the image ends with the last segment taken
        kept = canvas.crop((0, 0, width, segments[done][0]))
        canvas.close()
        canvas = kept
    # level 1: a fifth of the encoding time of the default for ~20 % more bytes; a 100,000 px
    # page is stored in seconds instead of a minute. Off the event loop (the step's budget and
    # the guard proxy keep running), into a scratch name: cut off by the budget, the thread
    # finishes on its own but never puts a screenshot in place
    scratch = out_path.with_name(out_path.name + ".part")
    t0 = time.monotonic()
    await asyncio.to_thread(canvas.save, scratch, format="PNG", compress_level=1)
    scratch.replace(out_path)
    log.debug("screenshot: %d of %d segments in %.1f s (decode + paste %.1f s, encode %.1f s)",
              done, len(segments), time.monotonic() - started, processing_s,
              time.monotonic() - t0)
    info = ScreenshotInfo(
        width_px=canvas.width,
        height_px=canvas.height,
        page_height_px=page_height,
        segments=done,
        clipped=page_height > MAX_HEIGHT_PX,
    )
    canvas.close()
    return info
