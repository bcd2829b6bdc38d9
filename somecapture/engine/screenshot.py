"""Full-page screenshots of any height, stitched without holding the whole image.

Chromium cannot render more than about 16,384 px in one capture (a GPU texture limit): beyond
that, full-page captures come back cut off or with repeated tiles. So the page is captured in
horizontal segments with ``Page.captureScreenshot`` (clip + ``captureBeyondViewport``), and
the segments are written one after the other into one PNG by
:class:`~somecapture.pngstream.PngBandWriter`, a band of rows at a time: the tool holds one
decoded segment (1280 × 16,000 px: 80 MB) and the next segment's compressed bytes, never the
whole image (a 1,000-reply thread is 141,000 px: 720 MB as one Pillow image). A segment is
stitched in a worker thread while Chromium renders the next one. The pixels are those the
stitching onto one canvas gave: each segment's rows, cut to the announced height (a segment
that comes back short is filled with white rows, one that is narrow is padded black, as the
canvas paste did).

**Time.** A very tall or very heavy page can take minutes to capture and package. With a
``deadline`` the screenshot stops at the last segment that still leaves time to stitch the
ones in hand by then, and whose packaging after it (reading the PNG back, cutting it into PDF
pages) is expected to end by ``package_deadline``; the cost of both is estimated from this
capture's own segments (stitching time, measured), so a slow machine gets a shorter screenshot
rather than a capture past its budget. The caller says it was cut.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image
from playwright.async_api import CDPSession, Page

from somecapture.models import ScreenshotInfo
from somecapture.pngstream import BAND_ROWS, PngBandWriter

#: tallest segment captured in one piece; under Chromium's 16,384 px texture limit
SEGMENT_HEIGHT_PX = 16000
#: the first segment when little time is left (under :data:`SHORT_ON_TIME_S` to the deadline):
#: a few viewports, taken in a second or two even on a slow machine, so some screenshot is kept
SHORT_FIRST_SEGMENT_PX = 4000
SHORT_ON_TIME_S = 10.0
#: refuse absurd pages (a 200,000 px screenshot takes a minute to capture and package)
MAX_HEIGHT_PX = 200_000

__all__ = ["ScreenshotInfo", "full_page_png"]

log = logging.getLogger(__name__)

#: what is left after the last segment is taken: stitching it (and the one before, still in
#: the worker) — counted this many times one segment's measured stitching time, generously
ENCODE_COST_FACTOR = 2.0
#: packaging (each PDF reads the PNG back, cuts and compresses its pages; the screened variant
#: is a second one) costs about this many times the segments' stitching time (measured on a
#: 1,000-reply thread: both PDFs 5.1–5.6×, the main one alone 2–3×); kept generous
PACKAGE_COST_FACTOR = 6.0

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


def _time_for_more(segments_done: int, started: float, stitch_s: float,
                   deadline: float | None, package_deadline: float | None) -> bool:
    """Whether one more segment fits: its capture, then the stitching still to do by
    ``deadline``, and the packaging of all of them after that by ``package_deadline``.

    ``stitch_s``: one segment's stitching time as measured so far."""
    if segments_done == 0:
        return True  # the first segment is always taken: some screenshot beats none
    per_segment = (time.monotonic() - started) / segments_done
    encoded_at = time.monotonic() + per_segment + ENCODE_COST_FACTOR * stitch_s
    if deadline is not None and encoded_at > deadline:
        return False
    return (package_deadline is None
            or encoded_at + PACKAGE_COST_FACTOR * stitch_s * (segments_done + 1)
            <= package_deadline)


def _stitch(writer: PngBandWriter, data: bytes, height: int) -> float:
    """Write one segment's PNG ``data`` as the next ``height`` rows; returns the seconds it
    took. Runs in the worker thread."""
    t0 = time.monotonic()
    width = writer.width
    with Image.open(io.BytesIO(data)) as segment:
        segment.load()
        taken = min(height, segment.height)
        for top in range(0, taken, BAND_ROWS):
            # a segment can come back a pixel short/long after rounding: what fits is used,
            # a narrow one padded black (as a crop past its edge gives), a short one white
            band = segment.crop((0, top, width, min(taken, top + BAND_ROWS)))
            writer.write(band if band.mode == "RGB" else band.convert("RGB"))
            del band
    writer.write_blank(height - taken)
    return time.monotonic() - t0


async def _capture_segment(cdp: CDPSession, top: int, width: int, height: int, *,
                           fast: bool) -> bytes:
    """One segment as PNG bytes. ``fast``: Chromium compresses it less (it is decoded and
    written again anyway): a segment comes back in about half the time, lossless still."""
    reply = await cdp.send(
        "Page.captureScreenshot",
        {
            "format": "png",
            "clip": {"x": 0, "y": top, "width": width, "height": height, "scale": 1},
            "captureBeyondViewport": True,
            "fromSurface": True,
            "optimizeForSpeed": fast,
        },
    )
    return base64.b64decode(reply.pop("data"))


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
    if len(segments) == 1:
        # one piece: Chromium's PNG is stored as is, never decoded and re-encoded
        data = await _capture_segment(cdp, 0, width, height, fast=False)
        out_path.write_bytes(data)
        with Image.open(io.BytesIO(data)) as seg:
            size = seg.size
        return ScreenshotInfo(width_px=size[0], height_px=size[1], page_height_px=page_height,
                              segments=1, clipped=page_height > MAX_HEIGHT_PX)
    # Into a scratch name, by one worker thread in order (the event loop, the step's budget and
    # the guard proxy keep running): cut off by the budget, the worker finishes the segment in
    # hand, then removes the scratch file; a screenshot is never put in place half-written.
    scratch = out_path.with_name(out_path.name + ".part")
    writer = PngBandWriter(scratch, width, height)
    loop = asyncio.get_running_loop()
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="screenshot-stitch")
    stitching: asyncio.Future[float] | None = None
    stitch_s, stitched, done = 0.0, 0, 0
    finished = False
    try:
        for top, h in segments:
            if (stitching is not None and stitched == 0
                    and (deadline is not None or package_deadline is not None)):
                # the first estimate needs one segment's measured stitching time
                stitch_s += await stitching
                stitched, stitching = 1, None
            if not _time_for_more(done, started, stitch_s / max(stitched, 1), deadline,
                                  package_deadline):
                break
            data = await _capture_segment(cdp, top, width, h, fast=True)
            if stitching is not None:
                stitch_s += await stitching
                stitched += 1
            stitching = loop.run_in_executor(worker, _stitch, writer, data, h)
            del data
            done += 1
        if stitching is not None:
            stitch_s += await stitching
            stitched += 1
            stitching = None
        t0 = time.monotonic()
        # cut for time: the header says the rows written (the segments taken)
        rows = await loop.run_in_executor(worker, writer.finish)
        scratch.replace(out_path)
        finished = True
    finally:
        if not finished:
            worker.submit(writer.abort)
        worker.shutdown(wait=False)
    log.debug("screenshot: %d of %d segments in %.1f s (stitching %.1f s, finishing %.1f s)",
              done, len(segments), time.monotonic() - started, stitch_s,
              time.monotonic() - t0)
    return ScreenshotInfo(width_px=width, height_px=rows, page_height_px=page_height,
                          segments=done, clipped=page_height > MAX_HEIGHT_PX)
