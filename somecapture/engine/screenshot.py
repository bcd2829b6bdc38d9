"""Full-page screenshots of any height.

Chromium cannot render more than about 16,384 px in one capture (a GPU texture limit): beyond
that, full-page captures come back cut off or with repeated tiles. So the page is captured in
horizontal segments with ``Page.captureScreenshot`` (clip + ``captureBeyondViewport``) and the
segments are pasted into one image with Pillow. Each segment is decoded once and pasted once;
the stitched image is encoded once.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image
from playwright.async_api import CDPSession, Page

from somecapture.models import ScreenshotInfo

#: tallest segment captured in one piece; under Chromium's 16,384 px texture limit
SEGMENT_HEIGHT_PX = 16000
#: refuse absurd pages rather than exhaust memory (1280 × 200,000 px RGB ≈ 770 MB)
MAX_HEIGHT_PX = 200_000

__all__ = ["ScreenshotInfo", "full_page_png"]

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


async def full_page_png(page: Page, cdp: CDPSession, out_path: Path, viewport_width: int
                        ) -> ScreenshotInfo:
    """Capture the whole page into ``out_path`` (PNG), stitching segments when it is tall."""
    _, page_height = await page_size(page)
    width = viewport_width
    height = max(1, min(page_height, MAX_HEIGHT_PX))
    segments: list[tuple[int, int]] = []
    y = 0
    while y < height:
        h = min(SEGMENT_HEIGHT_PX, height - y)
        segments.append((y, h))
        y += h
    canvas: Image.Image | None = None
    for top, h in segments:
        reply = await cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "clip": {"x": 0, "y": top, "width": width, "height": h, "scale": 1},
                "captureBeyondViewport": True,
                "fromSurface": True,
            },
        )
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
    assert canvas is not None
    # level 1: a fifth of the encoding time of the default for ~20 % more bytes; a 100,000 px
    # page is stored in seconds instead of a minute
    canvas.save(out_path, format="PNG", compress_level=1)
    info = ScreenshotInfo(
        width_px=canvas.width,
        height_px=canvas.height,
        page_height_px=page_height,
        segments=len(segments),
        clipped=page_height > MAX_HEIGHT_PX,
    )
    canvas.close()
    return info
