"""PDF/A-2b rendition: structure, validation, capture sheet text, page cuts, text appendix."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw

from somecapture.package.pdf import (
    CaptureSheet,
    ThreadTextEntry,
    completeness_text,
    find_page_cuts,
    render_capture_pdf,
)
from somecapture.package.pdfa import check_pdfa_structure, validate_pdfa

URL = (
    "https://www.facebook.com/ovreasenkommune/posts/pfbid02xYzAbCdEfGhIjKlMnOpQrStUvWxYz"
    "0123456789abcdefghij?__cft__[0]=AZX&__tn__=%2CO%2CP-R"
)
CAPTURE_ID = "0b6f2c1e-5d7a-4c59-9a53-0e4a3a9f1c11"
WARC_SHA = "0123456789abcdef" * 4
SHOT_W, SHOT_H = 1280, 20_000
LINE_H, LINE_GAP, BLOCK_GAP = 18, 12, 40

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) not installed")


def _text_bands(height: int) -> list[tuple[int, int]]:
    """Rows occupied by 'text lines' in the synthetic screenshot: blocks of 4 lines."""
    bands, y = [], 30
    while y + 4 * (LINE_H + LINE_GAP) < height - 30:
        for _ in range(4):
            bands.append((y, y + LINE_H))
            y += LINE_H + LINE_GAP
        y += BLOCK_GAP
    return bands


def _synthetic_screenshot(path: Path, width: int, height: int) -> list[tuple[int, int]]:
    """RGBA page: light background, text-like dark bars, a half-transparent scrollbar."""
    image = Image.new("RGBA", (width, height), (246, 247, 249, 255))
    draw = ImageDraw.Draw(image)
    bands = _text_bands(height)
    for index, (top, bottom) in enumerate(bands):
        length = 400 + (index * 7919) % 700
        for x in range(60, 60 + length, 14):  # "letters" with gaps between them
            draw.rectangle((x, top, x + 9, bottom - 1), fill=(25, 25, 25, 255))
    draw.rectangle((width - 10, 0, width - 1, height - 1), fill=(120, 120, 120, 100))
    image.save(path)
    return bands


def _sheet(**changes: object) -> CaptureSheet:
    values: dict[str, object] = {
        "title": "Innlegg fra Øvre Åsen kommune om «brua» <&>",
        "url": URL,
        "captured_at": datetime(2024, 5, 17, 12, 34, 56, tzinfo=UTC),
        "archivist": "Åse Ærlig",
        "capture_id": CAPTURE_ID,
        "tool_name": "somecapture",
        "tool_version": "0.1.0",
        "warc_sha256": WARC_SHA,
        "status": "complete",
        "platform": "Facebook",
        "post_id": "pfbid02xYzAbCdEf",
        "author": "Øvre Åsen kommune (@ovreasen)",
        "published_at": datetime(2024, 1, 16, 8, 0, tzinfo=UTC),
        "organisation": "Øvre Åsen kommune",
        "case_reference": "2024/123",
        "comments_captured": 14,
        "comments_expected": 14,
        "notes": ("Én kommentar var skjult bak «Vis flere svar».",),
    }
    values.update(changes)
    return CaptureSheet(**values)  # type: ignore[arg-type]


THREAD = [
    ThreadTextEntry("Øvre Åsen kommune", "Brua stenges fra mandag.\nOmkjøring via Fv 123.",
                    0, "ovreasen", datetime(2024, 1, 16, 8, 0, tzinfo=UTC)),
    ThreadTextEntry("Kari Nordmann", "Hvorfor <b>nå</b>? & \x07 Blåbærsyltetøy!", 1, "@kari_n",
                    posted_at_text="2 t"),
    ThreadTextEntry("Per Hansen", "Svar på svar: https://example.com/" + "x" * 150, 2, "per"),
    ThreadTextEntry("Ola Dybdahl", "Dypt nede i tråden 中文 🇳🇴", 9),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int]]]:
    folder = tmp_path_factory.mktemp("pdf")
    shot = folder / "screenshot.png"
    bands = _synthetic_screenshot(shot, SHOT_W, SHOT_H)
    out = folder / "screenshot.pdf"
    render_capture_pdf(shot, _sheet(), THREAD, out)
    return out, bands


def _pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        cmd += ["-f", str(first)]
    if last is not None:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_structure_check_passes(rendered: tuple[Path, object]) -> None:
    assert check_pdfa_structure(rendered[0]) == []


def test_full_pdfa_2b_validation_passes(rendered: tuple[Path, object]) -> None:
    try:
        findings = validate_pdfa(rendered[0])
    except ImportError as exc:
        pytest.skip(str(exc))
    assert findings == []


def test_metadata_info_and_xmp_agree(rendered: tuple[Path, object]) -> None:
    with pikepdf.open(rendered[0]) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Innlegg fra Øvre Åsen kommune om «brua» <&>"
        assert str(info["/Creator"]) == "somecapture 0.1.0"
        assert str(info["/Author"]) == "Åse Ærlig"
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == str(info["/Title"])
        assert meta["xmp:CreatorTool"] == str(info["/Creator"])
        assert not pdf.is_encrypted
        assert "/OpenAction" not in pdf.Root


def test_images_are_opaque_rgb_and_fonts_embedded(rendered: tuple[Path, object]) -> None:
    with pikepdf.open(rendered[0]) as pdf:
        images = 0
        for page in pdf.pages:
            for image in page.get_images().values():
                images += 1
                assert "/SMask" not in image and "/Mask" not in image
                assert image.ColorSpace == "/DeviceRGB"
            for font in page.Resources.get("/Font", {}).values():
                assert font.Subtype == "/Type0"  # embedded CID TrueType subsets, never base-14
                assert "/FontFile2" in font.DescendantFonts[0].FontDescriptor
        assert images >= 2


@needs_pdftotext
def test_capture_sheet_says_what_when_and_who(rendered: tuple[Path, object]) -> None:
    page1 = _pdftotext(rendered[0], 1, 1)
    squeezed = re.sub(r"\s+", "", page1)
    assert re.sub(r"\s+", "", URL) in squeezed  # the URL is wrapped, never shortened
    assert "2024-05-17 12:34:56 UTC" in page1
    assert "2024-05-17 14:34:56 CEST (Europe/Oslo" in page1
    assert "2024-01-16 09:00:00 CET (Europe/Oslo" in page1  # winter time for the post date
    assert "Åse Ærlig" in page1
    assert "somecapture 0.1.0" in page1
    assert "14 av 14 svar" in page1
    assert "Fullstendig" in page1 and "(complete)" not in page1
    # the labels in the målform, with their English names under them; no English-only lines
    assert "Arkivert (dato og tid)" in page1 and "Captured (date and time)" in page1
    assert "this capture sheet" not in page1 and "fang" not in page1.lower()
    assert WARC_SHA in squeezed
    assert CAPTURE_ID in page1
    assert "2024/123" in page1
    assert "«brua» <&>" in page1


def test_tall_screenshot_spans_several_pages(rendered: tuple[Path, list[tuple[int, int]]]) -> None:
    with pikepdf.open(rendered[0]) as pdf:
        screenshot_pages = [p for p in pdf.pages if len(p.get_images()) > 0]
        assert len(screenshot_pages) >= 10
        heights = [next(iter(p.get_images().values())).Height for p in screenshot_pages]
        widths = {next(iter(p.get_images().values())).Width for p in screenshot_pages}
        assert widths == {SHOT_W}  # full width on every page
        assert sum(heights) == SHOT_H  # nothing lost, nothing repeated
        assert len(pdf.pages) == 1 + len(screenshot_pages) + 1


@needs_pdftotext
def test_screenshot_pages_are_captioned(rendered: tuple[Path, object]) -> None:
    page2 = _pdftotext(rendered[0], 2, 2)
    assert "Skjermbilde, del 1 av" in page2
    assert "Side 2 av" in page2


@needs_pdftotext
def test_text_appendix_is_searchable(rendered: tuple[Path, object]) -> None:
    with pikepdf.open(rendered[0]) as pdf:
        last = len(pdf.pages)
    text = _pdftotext(rendered[0], last, last)
    assert "Tekstvedlegg" in text
    assert "Brua stenges fra mandag." in text
    assert "Kari Nordmann" in text and "@kari_n" in text
    assert "Hvorfor <b>nå</b>? & Blåbærsyltetøy!" in text  # markup kept literally, BEL gone
    assert "«2 t» (som vist)" in text
    assert "2024-01-16 09:00 CET" in text
    assert "Per Hansen" in text and "@per" in text
    assert "[U+4E2D][U+6587]" in text  # no embedded font has CJK: visible placeholder
    assert "[flagg NO]" in text
    assert "x" * 40 in re.sub(r"\s+", "", text)


def test_cuts_avoid_lines_of_text(rendered: tuple[Path, list[tuple[int, int]]]) -> None:
    _, bands = rendered
    with pikepdf.open(rendered[0]) as pdf:
        images = [p.get_images() for p in pdf.pages]
        heights = [next(iter(i.values())).Height for i in images if len(i)]
    cuts = [sum(heights[: i + 1]) for i in range(len(heights) - 1)]
    for cut in cuts:
        assert not any(top < cut < bottom for top, bottom in bands), cut


def test_find_page_cuts_covers_image_and_prefers_gaps() -> None:
    image = Image.new("L", (300, 5000), 255)
    draw = ImageDraw.Draw(image)
    bands = _text_bands(5000)
    for top, bottom in bands:
        draw.rectangle((20, top, 250, bottom - 1), fill=0)
    segments = find_page_cuts(image, 700)
    assert segments[0][0] == 0 and segments[-1][1] == 5000
    for (_, bottom), (top, _) in zip(segments, segments[1:], strict=False):
        assert bottom == top
    for top, bottom in segments:
        assert 0 < bottom - top <= 700
    for _, cut in segments[:-1]:
        assert not any(t < cut < b for t, b in bands)
        assert cut > 700 * 0.8  # not a tiny segment: the search window is 15 % of a page


def test_find_page_cuts_without_gaps_still_fits() -> None:
    noise = Image.effect_noise((200, 3000), 80)
    segments = find_page_cuts(noise, 512)
    assert segments[-1][1] == 3000
    assert all(0 < b - t <= 512 for t, b in segments)


def test_find_page_cuts_short_image_is_one_segment() -> None:
    assert find_page_cuts(Image.new("RGB", (10, 10)), 500) == [(0, 10)]
    with pytest.raises(ValueError):
        find_page_cuts(Image.new("RGB", (10, 10)), 0)


def test_small_palette_screenshot_and_empty_thread(tmp_path: Path) -> None:
    # A mobile-width screenshot is scaled to the full page width too: 390 x 844 px becomes
    # about 411 mm high, i.e. two screenshot pages.
    shot = tmp_path / "small.png"
    Image.new("P", (390, 844), 3).save(shot, transparency=3)
    out = tmp_path / "out" / "small.pdf"
    render_capture_pdf(shot, _sheet(published_at=None, notes=(), comments_expected=None,
                                    status="partial"), [], out)
    assert check_pdfa_structure(out) == []
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 4  # sheet, two screenshot pages, appendix
    if shutil.which("pdftotext"):
        text = _pdftotext(out)
        assert "Ingen tekst ble hentet ut" in text
        assert "14 svar, det totale antallet er ukjent" in text
        assert "Delvis" in text and "(partial)" not in text
        assert "Fra side 4: tekstvedlegg (ingen tekst ble hentet ut)." in " ".join(text.split())
        # two screenshot pages: "Side 2–3"; one page would be "Side 2" (not "Side 2–2")
        assert "Side 2–3: skjermbilde av hele siden" in " ".join(text.split())
        assert "delt i 2 deler" in " ".join(text.split())


def test_check_pdfa_structure_reports_problems(tmp_path: Path) -> None:
    plain = FPDF()
    plain.add_page()
    plain.set_font("helvetica", size=12)
    plain.cell(text="Hello")
    path = tmp_path / "plain.pdf"
    plain.output(str(path))
    problems = check_pdfa_structure(path)
    assert any("not embedded" in p for p in problems)
    assert any("GTS_PDFA1" in p for p in problems)
    assert any("XMP" in p for p in problems)

    encrypted = tmp_path / "encrypted.pdf"
    with pikepdf.open(path) as pdf:
        pdf.save(encrypted, encryption=pikepdf.Encryption(owner="o", user=""))
    assert any("encrypted" in p for p in check_pdfa_structure(encrypted))


def test_completeness_text() -> None:
    assert completeness_text(14, 14) == "14 av 14 svar"
    assert completeness_text(1, 1, "en") == "1 of 1 reply"
    assert completeness_text(14, 14, "en") == "14 of 14 replies"
    assert completeness_text(0, None).startswith("0 svar, det totale antallet er ukjent")
    assert completeness_text(0, None, "nn") == "0 svar, det totale talet er ukjent"
    assert completeness_text(None, 5) == "Ikke talt"
    assert completeness_text(None, 5, "nn") == "Ikkje talt"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        _sheet(captured_at=datetime(2024, 5, 17, 12, 0))
    with pytest.raises(ValueError):
        ThreadTextEntry("a", "b", posted_at=datetime(2024, 5, 17, 12, 0))


def test_capture_id_type_is_text() -> None:
    # The sheet takes the id as text so a UUID or any other id scheme can be shown as is.
    assert _sheet(capture_id=str(uuid.UUID(int=1))).capture_id.endswith("0001")


def _image_pages(path: Path) -> list[int]:
    """Page of each embedded image, from poppler's ``pdfimages -list``."""
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    return [int(line.split()[0]) for line in listing[2:] if line.strip()]


@needs_pdftotext
@pytest.mark.skipif(shutil.which("pdfimages") is None, reason="pdfimages not installed")
def test_contents_field_names_the_right_pages_when_the_sheet_overflows(
        tmp_path: Path) -> None:
    shot = tmp_path / "screenshot.png"
    _synthetic_screenshot(shot, SHOT_W, 6_000)
    notes = tuple(f"Merknad nummer {n}: en lang merknad om fangsten som tar plass."
                  for n in range(40))
    changes = tuple(f"Nytt svar {n} fra Kari Nordmann" for n in range(60))
    out = tmp_path / "long.pdf"
    render_capture_pdf(shot, _sheet(notes=notes, changes=changes), THREAD, out)

    image_pages = sorted(set(_image_pages(out)))
    first_shot, last_shot = image_pages[0], image_pages[-1]
    assert first_shot > 2  # the sheet really ran over two pages or more
    text = _pdftotext(out)
    sheet_text = _pdftotext(out, 1, first_shot - 1)
    flat = " ".join(sheet_text.split())
    assert f"Side 1–{first_shot - 1}: dette arket med opplysninger om arkiveringen." in flat
    assert f"Side {first_shot}–{last_shot}: skjermbilde" in flat
    assert f"Fra side {last_shot + 1}: tekstvedlegg" in flat
    appendix = _pdftotext(out, last_shot + 1, last_shot + 1)
    assert "Brua stenges fra mandag." in appendix
    assert "Brua stenges fra mandag." not in _pdftotext(out, last_shot, last_shot)
    assert text.count("Merknad nummer 39") == 1


@needs_pdftotext
def test_the_sheet_in_nynorsk_with_one_screenshot_page(tmp_path: Path) -> None:
    """The agency's målform is nynorsk: the sheet, the notes (catalogue messages) and the
    appendix are in nynorsk; one screenshot page is "Side 2", in one part."""
    from somecapture.messages import Msg

    shot = tmp_path / "one.png"
    _synthetic_screenshot(shot, SHOT_W, 600)
    out = tmp_path / "nn.pdf"
    notes = (Msg("warning.login_wall", wall="login wall"),
             Msg("sheet.missing_note", count="3",
                 reason=Msg("missing.not_shown")))
    render_capture_pdf(shot, _sheet(language="nn", notes=notes, comments_expected=None,
                                    case_reference=None), THREAD[:1], out)
    assert check_pdfa_structure(out) == []
    flat = " ".join(_pdftotext(out).split())
    for text in ("ARKIVUTSKRIFT AV INNLEGG I SOSIALE MEDIUM", "Forfattar", "Arkivert av",
                 "Inga saksreferanse oppgitt", "Status for arkiveringa", "Fullstendig",
                 "14 svar, det totale talet er ukjent",
                 "Side 1: dette arket med opplysningar om arkiveringa.",
                 "Side 2: skjermbilete av heile sida", "i éin del.",
                 "Frå side 3: tekstvedlegg med innlegget (søkbar tekst).",
                 "Merknader frå arkiveringa",
                 "Plattforma viser login wall; svar bak han vart ikkje arkiverte.",
                 "Manglar 3: ikkje vist på sida (skjult, sletta eller filtrert av plattforma)",
                 "Skjermbilete, del 1 av 1", "Tekstvedlegg: innlegget og svara",
                 "Teksten er henta ut frå sida under arkiveringa", "Side 1 av 3"):
        assert text in flat, text
    # no bokmål where nynorsk has its own words, no "Side 2–2", no "fangst"
    for wrong in ("Side 2–2", "ikke", "fangst", "Fangst", "kommentar", "Fanget"):
        assert wrong not in flat, wrong
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.Lang) == "nn"
