"""The screenshot cut into PDF page images while it is read a band at a time: the pages put
together are the whole image, and masks that cross a page cut or a band of the reader are
drawn on both sides as if drawn into the whole image; nothing under a mask reaches a page
image in the PDF (read back with pikepdf, which decodes the image streams itself)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw, ImageFont

from somecapture.package.pdf import CaptureSheet, find_dejavu_dir, render_capture_pdf
from somecapture.package.shotpages import find_page_cuts, screenshot_pages
from somecapture.pngstream import BAND_ROWS, PngBandReader, open_bands

SECRET = (230, 0, 0)  # the colour of the private text under the masks
FILL = (40, 40, 40)
WIDTH, HEIGHT = 1280, 9000
#: rows per PDF page at full width (the renderer's A4 geometry: 265 mm at 190 mm / 1280 px)
PAGE_ROWS = 1785


def _screenshot(path: Path) -> Image.Image:
    """An RGBA page (transparency flattened by the reader): lines of grey 'text', every tenth
    one in the secret colour, and a translucent scrollbar."""
    image = Image.new("RGBA", (WIDTH, HEIGHT), (250, 250, 250, 255))
    draw = ImageDraw.Draw(image)
    for k, y in enumerate(range(20, HEIGHT - 30, 31)):
        colour = SECRET + (255,) if k % 10 == 0 else (30, 30, 30, 255)
        for x in range(60, 60 + 300 + (k * 7919) % 800, 13):
            draw.rectangle((x, y, x + 8, y + 15), fill=colour)
    draw.rectangle((WIDTH - 10, 0, WIDTH - 1, HEIGHT - 1), fill=(120, 120, 120, 100))
    image.save(path)
    flat = Image.new("RGB", image.size, (255, 255, 255))
    flat.paste(image, mask=image.getchannel("A"))
    return flat


#: a full-width box over the whole search window of the first cut (rows 1518–1785), its
#: one-letter label in the middle: every row there is quiet (the letter is under 1.5 % of a
#: row), so the first page is cut in the window's middle, row 1651, through the label
LABEL_CUT = (0, 1400, WIDTH, 502, "I")
FIRST_CUT = 1651


def _masks() -> list[tuple[int, int, int, int, str | None]]:
    """Every secret line covered (the name of a private person), labelled; a box whose label
    the first page cut runs through; one box 3,000 rows high crossing pages and the reader's
    bands; small labelled boxes in a column down the page."""
    masks: list[tuple[int, int, int, int, str | None]] = [LABEL_CUT]
    free = range(LABEL_CUT[1] - 40, LABEL_CUT[1] + LABEL_CUT[3] + 40)
    for k, y in enumerate(range(20, HEIGHT - 30, 31)):
        if k % 10 == 0 and y not in free:
            masks.append((56, y - 4, 1150, 24, f"Innbygger {k // 10 + 1}"))
    masks.append((700, 2000, 400, 3000, "Innbygger 99"))
    masks += [(1180, y, 90, 30, "Inn 7") for y in range(0, HEIGHT, 29) if y not in free]
    return masks


def _drawn_whole(flat: Image.Image, masks: list[tuple[int, int, int, int, str | None]]
                 ) -> Image.Image:
    """The masks drawn into the whole image, by the renderer's rule (boxes, then labels in
    the largest bold size up to 80 % of the box and 28 px that fits, centred)."""
    out = flat.copy()
    draw = ImageDraw.Draw(out)
    bold = find_dejavu_dir() / "DejaVuSans-Bold.ttf"
    for x, y, w, h, _ in masks:
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=FILL)
    for x, y, w, h, label in masks:
        size = int(min(h * 0.8, 28))
        while label and size >= 8:
            font = ImageFont.truetype(str(bold), size)
            left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
            if right - left <= w - 2:
                draw.text((x + 1 + (w - 2 - (right - left)) / 2 - left,
                           y + (h - (bottom - top)) / 2 - top), label, font=font,
                          fill=(255, 255, 255))
                break
            size -= 1
    return out


def _no_secret_under(page: Image.Image, top: int,
                     masks: list[tuple[int, int, int, int, str | None]]) -> None:
    """Every pixel under a mask is the fill or its white label blended on it: a neutral grey
    from 40 up, never a trace of what was under it."""
    for x, y, w, h, _ in masks:
        box = (x, max(0, y - top), x + w, min(page.height, y + h - top))
        if box[1] >= box[3]:
            continue
        for _, (red, green, blue) in page.crop(box).getcolors(1 << 20) or []:
            assert red == green == blue >= 40, ((red, green, blue), box, top)


def _label_on_both_sides(image: Image.Image, cut: int) -> None:
    for row in (cut - 1, cut):
        colours = image.crop((0, row, WIDTH, row + 1)).getcolors(1 << 16) or []
        assert any(c == (255, 255, 255) for _, c in colours), row


def test_streamed_pages_put_together_are_the_whole_image(tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    flat = _screenshot(path)
    source = open_bands(path)
    assert isinstance(source, PngBandReader)  # read a band at a time, not decoded whole
    pages = list(screenshot_pages(source, PAGE_ROWS))
    source.close()
    assert [(t, b) for t, b, _ in pages] == find_page_cuts(flat, PAGE_ROWS)
    assert len(pages) >= 5
    assert all(image.size == (WIDTH, b - t) and image.mode == "RGB" for t, b, image in pages)
    joined = Image.new("RGB", (WIDTH, HEIGHT))
    for top, _, image in pages:
        joined.paste(image, (0, top))
    assert joined.tobytes() == flat.tobytes()


def test_masks_across_page_cuts_and_bands_are_drawn_as_in_the_whole_image(
        tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    flat = _screenshot(path)
    masks = _masks()
    expected = _drawn_whole(flat, masks)
    source = open_bands(path)
    bold = find_dejavu_dir() / "DejaVuSans-Bold.ttf"
    pages = list(screenshot_pages(source, PAGE_ROWS, masks, bold))
    source.close()
    cuts = [b for _, b, _ in pages[:-1]]
    # the check is not vacuous: the first cut runs through a label (white on both sides of
    # it in the whole image), and the tall box crosses pages and the reader's bands
    assert cuts[0] == FIRST_CUT
    _label_on_both_sides(expected, FIRST_CUT)
    assert any(2000 < cut < 5000 for cut in cuts)
    assert any(2000 < k * BAND_ROWS < 5000 for k in range(1, 9))
    for top, bottom, image in pages:
        assert image.tobytes() == expected.crop((0, top, WIDTH, bottom)).tobytes(), (top, bottom)
        _no_secret_under(image, top, masks)


def test_no_masked_pixel_reaches_the_pdf(tmp_path: Path) -> None:
    path = tmp_path / "shot.png"
    flat = _screenshot(path)
    masks = _masks()
    sheet = CaptureSheet(title="Skjermet", url="https://x.example/1",
                         captured_at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
                         archivist="Arkivar", capture_id="0" * 8, tool_name="somecapture",
                         tool_version="test", warc_sha256="a" * 64, status="complete")
    out = tmp_path / "screened.pdf"
    render_capture_pdf(path, sheet, [], out, masks=masks)
    expected = _drawn_whole(flat, masks)
    with pikepdf.open(out) as pdf:
        images = [pikepdf.PdfImage(image).as_pil_image().convert("RGB")
                  for page in pdf.pages for image in page.get_images().values()]
    assert sum(image.height for image in images) == HEIGHT and len(images) >= 5
    assert images[0].height == FIRST_CUT  # the page boundary runs through a label
    _label_on_both_sides(expected, FIRST_CUT)
    top = 0
    for image in images:
        assert image.tobytes() == expected.crop((0, top, WIDTH, top + image.height)).tobytes()
        _no_secret_under(image, top, masks)
        top += image.height
    # and without masks the secret lines are there: the check above can fail
    plain = tmp_path / "plain.pdf"
    render_capture_pdf(path, sheet, [], plain)
    with pikepdf.open(plain) as pdf:
        first = next(iter(pdf.pages[1].get_images().values()))
        colours = pikepdf.PdfImage(first).as_pil_image().convert("RGB").getcolors(1 << 20)
    assert colours and any(c == SECRET for _, c in colours)


def test_row_windows_move_down_and_equal_crops_of_the_whole_image(tmp_path: Path) -> None:
    from somecapture.package.shotpages import _Rows

    image = Image.effect_noise((64, 5000), 60).convert("RGB")
    path = tmp_path / "noise.png"
    image.save(path)
    source = open_bands(path)
    rows = _Rows(source)
    # overlapping, jumping past rows never asked for, across the reader's bands, to the end
    for top, bottom in [(0, 10), (5, 2000), (1500, 1600), (4000, 4100), (4099, 4101),
                        (4999, 5000)]:
        assert rows.window(top, bottom).tobytes() == image.crop((0, top, 64, bottom)).tobytes()
    source.close()
