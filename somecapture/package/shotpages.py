"""The full-page screenshot cut into page images, read from the top a band at a time.

The PDF renditions show the screenshot at its full width, one A4-high piece per page
(:func:`screenshot_pages`). The screenshot is read with :func:`~somecapture.pngstream.open_bands`
(a 1,000-reply thread is 1280 × 141,000 px: 720 MB decoded whole), so what is held is one
window of rows: the next page and the rows below it that the cut search looks at. Transparency
is flattened onto white as each band is read (a per-pixel operation, so the same as flattening
the whole image).

Masks (the screened variant) are drawn into each window's pixels before the cut is searched
and before the page image is made, exactly as if drawn into the whole image first: a box
crossing a page boundary is drawn on both pages, its label where it falls; nothing under a
mask reaches a page image. The unmasked rows stay in the window, so rows shared by two
windows are masked once each, never twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont

from somecapture.pngstream import BAND_ROWS, BandSource, WholeImage

__all__ = ["Mask", "find_page_cuts", "screenshot_pages"]

#: a box ``(x, y, width, height, label)`` in screenshot pixels, drawn opaque
Mask = tuple[int, int, int, int, str | None]

# Cut search (find_page_cuts): look this far above the ideal cut, in page heights ...
_CUT_SEARCH_FRACTION: Final = 0.15
# ... for rows where at least this share of pixels is within _QUIET_TOLERANCE grey levels of
# the row's most common value (tolerates a scrollbar, a border line or anti-aliasing) ...
_QUIET_SHARE: Final = 0.985
_QUIET_TOLERANCE: Final = 6
# ... preferably forming a band at least this many rows high (the gap between two lines).
_MIN_BAND: Final = 4

_MASK_FILL: Final = (40, 40, 40)
_MASK_TEXT: Final = (255, 255, 255)
#: smallest label that is still legible (px); a box too small for it stays unlabelled
_MASK_MIN_FONT: Final = 8
#: largest label (px)
_MASK_MAX_FONT: Final = 28
#: a mask this close to a window (px) has its label placed to see whether it reaches the
#: window (a label is at most 28 px high; one that overflows its box does so by less)
_MASK_REACH: Final = 2 * _MASK_MAX_FONT
#: rows a label's anti-aliased pixels may reach past its text box
_LABEL_BLEED: Final = 2


def _flatten(image: Image.Image) -> Image.Image:
    """RGB copy of ``image`` with any transparency composited onto white."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if image.mode != "RGB":
        return image.convert("RGB")
    return image


def _row_quietness(strip: Image.Image) -> list[float]:
    """Per row of an ``L`` image: share of pixels close to the row's dominant grey level."""
    width = strip.width
    scores = []
    for y in range(strip.height):
        hist = strip.crop((0, y, width, y + 1)).histogram()
        mode = max(range(256), key=hist.__getitem__)
        lo, hi = max(0, mode - _QUIET_TOLERANCE), min(255, mode + _QUIET_TOLERANCE)
        scores.append(sum(hist[lo : hi + 1]) / width)
    return scores


def _best_cut(image: Image.Image, lo: int, ideal: int) -> int:
    """Row in ``(lo, ideal]`` to cut at; ``ideal`` when nothing better is found."""
    strip = _flatten(image.crop((0, lo, image.width, ideal))).convert("L")
    scores = _row_quietness(strip)
    # Bands of consecutive quiet rows, as (first, last) offsets into the strip.
    bands: list[tuple[int, int]] = []
    start: int | None = None
    for offset, score in enumerate(scores + [0.0]):
        if score >= _QUIET_SHARE and start is None:
            start = offset
        elif score < _QUIET_SHARE and start is not None:
            bands.append((start, offset - 1))
            start = None
    wide = [b for b in bands if b[1] - b[0] + 1 >= _MIN_BAND]
    chosen = (wide or bands)[-1] if (wide or bands) else None
    if chosen is not None:
        # Cut in the middle of the gap: both pages keep a little white space.
        cut = lo + (chosen[0] + chosen[1] + 1) // 2
    else:
        # No clean gap: cut through the row with the least ink, the lowest one on ties.
        best = max(range(len(scores)), key=lambda i: (scores[i], i))
        cut = lo + best
    return min(max(cut, lo + 1), ideal)


class _Rows:
    """The screenshot's rows from the top, flattened to RGB, as windows ``[top, bottom)``
    whose ``top`` never goes back: rows above the last window's top are let go."""

    def __init__(self, source: BandSource) -> None:
        self._source = source
        self.width, self.height = source.width, source.height
        self._top = 0
        self._held: Image.Image | None = None  # rows [_top, _top + _held.height)

    def window(self, top: int, bottom: int) -> Image.Image:
        """Rows ``[top, bottom)`` (``bottom`` at most the height); never masked: callers that
        draw on it draw on a copy (:func:`_masked`)."""
        if top < self._top or not top < bottom <= self.height:
            raise ValueError(f"rows {top}–{bottom} are not ahead of row {self._top}")
        held = self._held
        read_to = self._top + (held.height if held is not None else 0)
        if held is not None and top > self._top:
            skip = top - self._top
            held = held.crop((0, skip, self.width, held.height)) if skip < held.height else None
        while read_to < top:  # rows never asked for (not so when cutting pages)
            read_to += self._source.read(min(top - read_to, BAND_ROWS)).height
        self._top = top
        have = top + (held.height if held is not None else 0)
        if have < bottom:
            parts = [] if held is None else [held]
            while have < bottom:
                band = _flatten(self._source.read(max(bottom - have, BAND_ROWS)))
                parts.append(band)
                have += band.height
            held = parts[0] if len(parts) == 1 else _stacked(parts, self.width)
            del parts
        assert held is not None
        self._held = held
        if held.height == bottom - top:
            return held
        return held.crop((0, 0, self.width, bottom - top))


def _stacked(parts: Sequence[Image.Image], width: int) -> Image.Image:
    out = Image.new("RGB", (width, sum(p.height for p in parts)))
    y = 0
    for part in parts:
        out.paste(part, (0, y))
        y += part.height
    return out


@dataclass(frozen=True)
class _Label:
    """Where a mask's label is drawn, in screenshot coordinates (as in the whole image)."""

    text: str
    font: ImageFont.FreeTypeFont
    x: float
    y: float
    #: the rows its pixels may cover (the text's box, a little widened for anti-aliasing)
    first: int
    last: int


class _LabelFonts:
    """The label font in the sizes used, loaded once per rendition; each label placed once."""

    def __init__(self, font_path: Path) -> None:
        self._path = font_path
        self._fonts: dict[int, ImageFont.FreeTypeFont] = {}
        self._placed: dict[Mask, _Label | None] = {}
        self._measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))

    def place(self, mask: Mask) -> _Label | None:
        """The label in white, centred in the box, in the largest size up to 80 % of its
        height (and 28 px) that fits its width; none when even the smallest does not."""
        if mask in self._placed:
            return self._placed[mask]
        x, y, w, h, label = mask
        placed = None
        size = int(min(h * 0.8, _MASK_MAX_FONT))
        while label and size >= _MASK_MIN_FONT:
            font = self._fonts.get(size) or self._fonts.setdefault(
                size, ImageFont.truetype(str(self._path), size))
            left, top, right, bottom = self._measure.textbbox((0, 0), label, font=font)
            if right - left <= w - 2:
                text_y = y + (h - (bottom - top)) / 2 - top
                placed = _Label(label, font, x + 1 + (w - 2 - (right - left)) / 2 - left, text_y,
                                math.floor(min(text_y, text_y + top)) - _LABEL_BLEED,
                                math.ceil(text_y + bottom) + _LABEL_BLEED)
                break
            size -= 1
        self._placed[mask] = placed
        return placed


def _masked(window: Image.Image, top: int, masks: Sequence[Mask],
            fonts: _LabelFonts | None) -> Image.Image:
    """``window`` (rows from ``top``) with every mask that reaches it drawn opaque into a copy
    of its pixels, as :class:`~PIL.ImageDraw.ImageDraw` draws them into the whole image: every
    box first, then the labels over them.

    A label that starts above the window is drawn on a canvas reaching up to it (white rows,
    cut off again), so it is rasterised at the same sub-pixel position as in the whole image
    (its coordinates shifted by whole rows, never negative)."""
    bottom = top + window.height
    boxes = [m for m in masks if m[2] > 0 and m[3] > 0 and m[1] < bottom and m[1] + m[3] > top]
    labels: list[_Label] = []
    if fonts is not None:
        for mask in masks:
            if (mask[4] and mask[2] > 0 and mask[3] > 0 and mask[1] < bottom + _MASK_REACH
                    and mask[1] + mask[3] > top - _MASK_REACH):
                label = fonts.place(mask)
                if label is not None and label.first < bottom and label.last >= top:
                    labels.append(label)
    if not boxes and not labels:
        return window
    origin = min([top] + [label.first for label in labels])  # the canvas's first row
    canvas = Image.new("RGB", (window.width, bottom - origin), (255, 255, 255))
    canvas.paste(window, (0, top - origin))
    draw = ImageDraw.Draw(canvas)
    for x, y, w, h, _ in boxes:
        draw.rectangle((x, y - origin, x + w - 1, y - origin + h - 1), fill=_MASK_FILL)
    for label in labels:
        draw.text((label.x, label.y - origin), label.text, font=label.font,
                  fill=_MASK_TEXT)
    if origin < top:
        return canvas.crop((0, top - origin, canvas.width, canvas.height))
    return canvas


def screenshot_pages(source: BandSource, max_height: int, masks: Sequence[Mask] = (),
                     font_path: Path | None = None
                     ) -> Iterator[tuple[int, int, Image.Image]]:
    """The screenshot in ``source`` cut into pages of at most ``max_height`` rows, top to
    bottom: ``(top, bottom, image)`` with ``bottom`` exclusive and ``image`` the page's RGB
    pixels with ``masks`` drawn in (labels in the font at ``font_path``).

    Cuts: see :func:`find_page_cuts` (the masked pixels are what the cut search looks at).
    """
    if max_height < 1:
        raise ValueError(f"max_height must be >= 1: {max_height}")
    rows = _Rows(source)
    fonts = _LabelFonts(font_path) if font_path is not None and masks else None
    height = rows.height
    search = max(1, int(max_height * _CUT_SEARCH_FRACTION))
    top = 0
    while top < height:
        if height - top > max_height:
            ideal = top + max_height
            lo = max(top + 1, ideal - search)
            view = _masked(rows.window(top, ideal), top, masks, fonts)
            cut = top + _best_cut(view, lo - top, ideal - top) if ideal - lo > 1 else ideal
        else:
            cut = height
            view = _masked(rows.window(top, height), top, masks, fonts)
        yield top, cut, (view if view.height == cut - top
                         else view.crop((0, 0, view.width, cut - top)))
        del view
        top = cut


def find_page_cuts(image: Image.Image, max_height: int) -> list[tuple[int, int]]:
    """Split ``image`` into horizontal segments of at most ``max_height`` rows.

    Algorithm: from the top, the ideal cut is ``max_height`` rows further down. Rows in the
    window above it (15 % of a page) are scored by how uniform they are: the share of pixels
    within a few grey levels of the row's most common value, after flattening alpha. Runs of
    rows scoring at least 98.5 % are gaps between lines of text or between boxes. The run of
    at least four rows nearest to the ideal cut wins (else any quiet run); the cut goes through
    its middle. Without any quiet row, the cut goes through the row with the least ink; a cut is
    never placed below the ideal position, so every segment fits on a page and is at least 85 %
    of a page high (except the last).

    Returns:
        ``[(top, bottom), ...]`` with ``bottom`` exclusive, covering ``0 .. image.height``.
    """
    return [(top, bottom) for top, bottom, _ in
            screenshot_pages(WholeImage(image), max_height)]
