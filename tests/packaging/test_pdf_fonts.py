"""Fonts parsed once per process (somecapture.package.pdffonts): every document still embeds
its own subset, byte for byte what ``FPDF.add_font`` gives, also when two documents are laid
out and written at the same time in two threads; text widths as fpdf2 computes them; no file
left open; a font file replaced on disk is read again. And the capture sheet that runs over
page 1 (rendered again into a new document that takes over the page images) places each page
image once."""

from __future__ import annotations

import gc
import io
import shutil
import subprocess
import sys
import threading
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import TTFFont
from PIL import Image, ImageDraw

from somecapture.package import pdffonts
from somecapture.package.pdf import (
    CaptureSheet,
    ThreadTextEntry,
    find_dejavu_dir,
    render_capture_pdf,
    warm_fonts,
)
from somecapture.package.pdfa import check_pdfa_structure
from somecapture.package.pdffonts import SharedFont, add_shared_font

FONTS = find_dejavu_dir()
FACES = {"": FONTS / "DejaVuSans.ttf", "B": FONTS / "DejaVuSans-Bold.ttf"}
MONO = FONTS / "DejaVuSansMono.ttf"
FIXED = datetime(2024, 5, 17, 12, 0, tzinfo=UTC)

# two texts that need different glyphs (and characters DejaVu lacks: fpdf2 records them)
TEXT_A = ("Blåbærsyltetøy på brødskiva, ÆØÅ æøå. «Sitat» – tankestrek … "
          "Ein lang linje som må brytast fleire gonger fordi ho er lengre enn sida er brei. ") * 6
TEXT_B = ("Quizzical jackdaws vex ŋ ŧ ǂ ∑ √ ∞ 0123456789 {[()]} <&> "
          "Another line, long enough to wrap at least twice on an A4 page with margins. ") * 6


def _document(text: str, shared: bool) -> FPDF:
    """A two-page document in the renderer's fonts, laid out with line breaking."""
    doc = FPDF(unit="mm", format="A4")
    doc.creation_date = FIXED  # the only thing that differs between two runs
    for style, path in FACES.items():
        if shared:
            add_shared_font(doc, "sans", style, path)
        else:
            doc.add_font("sans", style, str(path))
    if shared:
        add_shared_font(doc, "mono", "", MONO)
    else:
        doc.add_font("mono", "", str(MONO))
    for size in (9.5, 13):
        doc.add_page()
        doc.set_font("sans", "B", size + 2)
        doc.multi_cell(0, 6, text[:60], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_font("sans", "", size)
        doc.multi_cell(120, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        doc.set_font("mono", "", size - 1)
        doc.multi_cell(0, 5, text[::-1][:300], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return doc


def _close(doc: FPDF) -> None:
    for font in doc.fonts.values():
        if isinstance(font, TTFFont):
            font.close()


def _embedded(pdf_bytes: bytes) -> dict[str, bytes]:
    """The embedded font programs by base font name (subset prefix included)."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        out = {}
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                out[str(font.BaseFont)] = descriptor.FontFile2.read_bytes()
        return out


def test_shared_fonts_give_what_add_font_gives_in_two_threads_at_once() -> None:
    """Two threads lay out and write documents with the shared fonts at the same time (the
    interpreter switching threads every few microseconds); each document is byte for byte the
    one add_font gives, written alone: its own subset, the same text and widths."""
    expected = {}
    for name, text in (("a", TEXT_A), ("b", TEXT_B)):
        doc = _document(text, shared=False)
        expected[name] = bytes(doc.output())
    assert _embedded(expected["a"]) != _embedded(expected["b"])  # the texts need other glyphs

    results: dict[str, list[bytes]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def build(name: str, text: str) -> None:
        try:
            start.wait()
            for _ in range(4):
                doc = _document(text, shared=True)
                assert all(isinstance(f, SharedFont) for f in doc.fonts.values())
                results[name].append(bytes(doc.output()))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        threads = [threading.Thread(target=build, args=("a", TEXT_A)),
                   threading.Thread(target=build, args=("b", TEXT_B))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    for name in ("a", "b"):
        assert len(results[name]) == 4
        for made in results[name]:
            assert made == expected[name]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_text_extraction_is_the_same(tmp_path: Path) -> None:
    texts = {}
    for shared in (False, True):
        path = tmp_path / f"{shared}.pdf"
        path.write_bytes(bytes(_document(TEXT_A, shared).output()))
        texts[shared] = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                       capture_output=True, check=True, text=True).stdout
    assert "Blåbærsyltetøy på brødskiva, ÆØÅ æøå." in texts[True]
    assert texts[True] == texts[False]


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The font files fpdf2 parses from now on, as it parses them."""
    parses: list[Path] = []
    original = TTFFont.__init__

    def counting(self: TTFFont, fpdf: FPDF, path: Path, *args: object, **kw: object) -> None:
        parses.append(Path(path))
        original(self, fpdf, path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(TTFFont, "__init__", counting)
    return parses


def test_the_file_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three documents: fpdf2 parses each font file at most once (not at all when an earlier
    test parsed it); each document has its own font objects and subsets."""
    parses = _count_parses(monkeypatch)
    docs = [_document(TEXT_A, shared=True) for _ in range(3)]
    assert len(parses) == len(set(parses)) <= 3
    first, second = docs[0].fonts["sans"], docs[1].fonts["sans"]
    assert first is not second and first.subset is not second.subset
    assert first.desc is not second.desc  # numbered when its document is written
    for doc in docs:
        _close(doc)


def test_warmed_fonts_are_not_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """warm_fonts (run in a thread while the browser works) parses the renderer's fonts; the
    PDF rendered after it parses none."""
    pdffonts._parsed.clear()
    warmer = threading.Thread(target=warm_fonts)
    warmer.start()
    warmer.join()
    parses = _count_parses(monkeypatch)
    doc = _document(TEXT_A, shared=True)
    assert bytes(doc.output())
    assert parses == []


def test_text_width_is_fpdf2s() -> None:
    """Same (characters, width) as fpdf2's own TTFFont, also for characters the font lacks
    and at sizes whose products are not exact in binary."""
    doc = FPDF()
    add_shared_font(doc, "sans", "", FACES[""])
    shared = doc.fonts["sans"]
    plain = TTFFont(FPDF(), FACES[""], "sans", "")
    try:
        for text in ("", "a", " ", "Blåbærsyltetøy", TEXT_B, "中文 🇳🇴 \U0010ffff", "\ufffe"):
            for size in (7, 7.5, 8.5, 9.5, 13, 15, 0.1):
                assert shared.get_text_width(text, size, None) == plain.get_text_width(
                    text, size, None)
        assert shared.biggest_size_pt == 15
    finally:
        plain.close()
        _close(doc)


def test_no_font_file_is_left_open(tmp_path: Path) -> None:
    """Documents laid out and dropped unwritten open no font file; written ones close what
    they opened (a ResourceWarning during PDF/A validation counts as a violation)."""
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            dropped = _document(TEXT_A, shared=True)
            del dropped
        written = _document(TEXT_B, shared=True)
        (tmp_path / "b.pdf").write_bytes(bytes(written.output()))
        del written
        gc.collect()
    leaks = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == [], [str(w.message) for w in leaks]


def test_a_font_file_replaced_on_disk_is_read_again(tmp_path: Path) -> None:
    font = tmp_path / "face.ttf"
    shutil.copyfile(FACES[""], font)

    def width(path: Path) -> float:
        doc = FPDF()
        add_shared_font(doc, "face", "", path)
        doc.set_font("face", "", 10)
        value = doc.get_string_width("mmmm iiii")
        _close(doc)
        return value

    proportional = width(font)
    laid_out = FPDF()
    add_shared_font(laid_out, "face", "", font)
    laid_out.add_page()
    laid_out.set_font("face", "", 10)
    laid_out.cell(0, 5, "mmmm iiii")
    font.unlink()
    shutil.copyfile(MONO, font)  # another file (size, inode) at the same path
    plain = FPDF()
    plain.add_font("mono", "", str(MONO))
    plain.set_font("mono", "", 10)
    assert width(font) == plain.get_string_width("mmmm iiii") != proportional
    _close(plain)
    # a document laid out with the old file is not written with the new one's glyphs
    with pytest.raises(OSError, match="changed on disk"):
        laid_out.output()
    _close(laid_out)
    pdffonts._parsed.clear()  # the parse of the deleted file is of no use to other tests


def _screenshot(path: Path, height: int) -> None:
    image = Image.new("RGB", (1280, height), (246, 247, 249))
    draw = ImageDraw.Draw(image)
    for y in range(40, height - 40, 30):
        draw.rectangle((60, y, 60 + (y * 7919) % 900, y + 16), fill=(25, 25, 25))
    image.save(path)


@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages not installed")
def test_a_sheet_over_several_pages_places_each_page_image_once(tmp_path: Path) -> None:
    """The sheet is rendered into the document saying it takes one page; when it takes
    more, a new document takes over the page images: each is in the file once, on its page,
    and the file is PDF/A as always."""
    shot = tmp_path / "shot.png"
    _screenshot(shot, 5_000)
    sheet = CaptureSheet(
        title="Tråd", url="https://example.org/t/1", captured_at=FIXED, archivist="Åse",
        capture_id="0b6f2c1e-5d7a-4c59-9a53-0e4a3a9f1c11", tool_name="somecapture",
        tool_version="0.1.0", warc_sha256="0" * 64, status="complete",
        notes=tuple(f"Merknad {n}: en merknad lang nok til å ta en hel linje på arket."
                    for n in range(70)))
    out = tmp_path / "long.pdf"
    render_capture_pdf(shot, sheet, [ThreadTextEntry(author="Kari", text="Hei")], out)
    assert check_pdfa_structure(out) == []
    listing = subprocess.run(["pdfimages", "-list", str(out)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    image_pages = [int(line.split()[0]) for line in listing if line.strip()]
    with pikepdf.open(out) as pdf:
        objects = {x.objgen for page in pdf.pages for x in page.get_images().values()}
        streams = [o for o in pdf.objects
                   if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
    assert image_pages[0] >= 3  # the sheet took two pages or more
    assert image_pages == list(range(image_pages[0], image_pages[0] + len(image_pages)))
    assert len(objects) == len(streams) == len(image_pages)


def test_the_subset_is_the_document_s_own_font_program() -> None:
    """The embedded program of a shared font is a valid TrueType subset holding the
    document's glyphs (read back with fontTools)."""
    doc = _document("Åse Ærlig", shared=True)
    programs = _embedded(bytes(doc.output()))
    sans = next(data for name, data in programs.items() if name.endswith("DejaVuSansBook"))
    font = TTFont(io.BytesIO(sans))
    try:
        names = set(font.getGlyphOrder())
        assert {"Aring", "AE", "s", "e", "r", "l", "i", "g"} <= names
        assert "Q" not in names and len(names) < 40
    finally:
        font.close()


def _font_without_notdef(path: Path) -> Path:
    """A small TrueType font whose glyph 0 is 'A': no .notdef glyph (fpdf2 draws one in)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((500, 700))
    pen.lineTo((0, 700))
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(["A", "space"])
    builder.setupCharacterMap({0x41: "A", 0x20: "space"})
    builder.setupGlyf({"A": pen.glyph(), "space": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({"A": (600, 0), "space": (300, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "UtenNotdef", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


def test_a_font_without_notdef_is_left_to_add_font(tmp_path: Path) -> None:
    """fpdf2 draws a .notdef into such a font's own parse; the shared path hands it to
    add_font, so the document is written as with add_font."""
    path = _font_without_notdef(tmp_path / "uten-notdef.ttf")
    out: dict[bool, bytes] = {}
    for shared in (False, True):
        doc = FPDF()
        doc.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
        if shared:
            add_shared_font(doc, "x", "", path)
        else:
            doc.add_font("x", "", str(path))
        doc.add_page()
        doc.set_font("x", "", 12)
        doc.cell(0, 10, "A A")
        out[shared] = bytes(doc.output())
        assert not isinstance(doc.fonts["x"], SharedFont)
        _close(doc)
    assert out[True] == out[False]
