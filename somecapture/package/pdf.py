"""PDF/A-2b rendition of a capture: capture sheet, full-page screenshot, searchable thread text.

Library choice. The document is laid out with **fpdf2** and finished with **pikepdf**:

* fpdf2 does text layout (wrapping, also of URLs without spaces), embeds TrueType fonts as
  subsets with a ToUnicode map (so the text is searchable and copyable), places raster images
  and has a PDF/A mode (``enforce_compliance="PDF/A-2B"``) that refuses the non-embedded
  standard-14 fonts and encryption outright.
* pikepdf (qpdf) then sets the document information, the XMP packet and removes the
  ``/OpenAction`` fpdf2 writes. Where available (pikepdf >= 10.18 with its ``pdfa`` extra),
  ``pikepdf.pdfa.save`` writes the file and *validates the written bytes* against
  PDF/A-2b (veraPDF's rule set, allowlist style), so a non-conforming file is never published.
  Without it, the file is written by pikepdf and checked with
  :func:`~somecapture.package.pdfa.check_pdfa_structure`.
* img2pdf was not used: it embeds images losslessly without re-encoding, but it cannot set
  text, and every screenshot segment is a new crop anyway.

Document structure (ISO 19005-2 clauses in brackets):

1. Page 1, the capture sheet: what was captured (title, URL, platform, author), when (UTC and
   Europe/Oslo), by whom, with which tool, how complete, and the WARC fixity.
2. The full-page screenshot at its full width, cut into A4-high segments (see
   :func:`find_page_cuts`). Alpha is flattened onto white: the images are plain DeviceRGB,
   covered by the sRGB output intent [6.2.4.3].
3. A text appendix with the thread (author, handle, time, text, indented by reply depth).

All fonts are DejaVu (embedded subsets) [6.2.11.4], each font file parsed once per process
and each document embedding its own subset (:mod:`somecapture.package.pdffonts`: the parse
took 60 ms per document); characters no embedded font can draw are replaced by a visible
placeholder *before* layout, because fpdf2 would otherwise drop them and a reference to
``.notdef`` is forbidden [6.2.11.8]. The output intent is the ICC's own sRGB
v2 profile (``sRGB2014.icc``, shipped with fpdf2) with ``/S /GTS_PDFA1`` [6.2.3]. The XMP
packet declares ``pdfaid:part=2``/``pdfaid:conformance=B`` [6.6.4] and agrees with the Info
dictionary [6.6.3]. No encryption [6.1.3], no JavaScript or other actions [6.5], no
transparency groups.

Memory: the screenshot is read from the top a band of rows at a time and cut into page images
as it is read (:mod:`somecapture.package.shotpages`); each page image goes into fpdf2's image
cache at once (compressed) and its pixels are let go, before the capture sheet is laid out.
What is held is about one page of pixels and the compressed document, whatever the height (a
1,000-reply thread, 1280 × 141,000 px, was 720 MB decoded whole).
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import pikepdf
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import OutputIntentSubType, WrapMode, XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.image_parsing import preload_image
from fpdf.output import PDFICCProfile

from somecapture.errors import PdfRenditionError
from somecapture.messages import Msg, render
from somecapture.package.pdfa import check_pdfa_structure, pikepdf_pdfa
from somecapture.package.pdffonts import add_shared_font, parse_font
from somecapture.package.shotpages import Mask, find_page_cuts, screenshot_pages
from somecapture.pngstream import BandSource, open_bands
from somecapture.resources import resources_dir

__all__ = [
    "CaptureSheet",
    "PdfRenditionError",
    "ThreadTextEntry",
    "completeness_text",
    "find_dejavu_dir",
    "find_page_cuts",
    "render_capture_pdf",
    "warm_fonts",
]

OSLO: Final = ZoneInfo("Europe/Oslo")

# Page geometry, millimetres (A4 portrait).
_PAGE_W: Final = 210.0
_PAGE_H: Final = 297.0
_MARGIN_X: Final = 10.0
_MARGIN_TOP: Final = 10.0
_FOOTER_H: Final = 12.0  # bottom band reserved for the page footer
_SHOT_HEADER_H: Final = 8.0  # caption line above each screenshot segment
_CONTENT_W: Final = _PAGE_W - 2 * _MARGIN_X

_FONT_FILES: Final = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "mono": "DejaVuSansMono.ttf",
}
_SANS: Final = "dejavusans"
_MONO: Final = "dejavumono"

_GREY: Final = (100, 100, 100)
_RULE: Final = (190, 190, 190)
_BLACK: Final = (0, 0, 0)


# C0/C1 controls other than TAB/LF/CR; and characters that have no business in a PDF text
# string (surrogates, non-characters).
_FLAG_RE: Final = re.compile("[\U0001F1E6-\U0001F1FF]{2}")
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {value.isoformat()})")


@dataclass(frozen=True)
class CaptureSheet:
    """What page 1 says about the capture.

    Attributes:
        title: Title of the captured post/page.
        url: The captured URL (wrapped on the sheet, never shortened).
        captured_at: Capture time (timezone-aware; shown in UTC and Europe/Oslo).
        archivist: Who captured it.
        capture_id: The capture UUID.
        tool_name: E.g. ``"somecapture"``.
        tool_version: Tool version.
        warc_sha256: SHA-256 of the WARC file.
        status: ``complete`` / ``partial`` / ``failed`` (shown in Norwegian and English) or a
            free text.
        platform: E.g. ``"Facebook"``.
        post_id: The platform's id of the post.
        author: Author of the post, e.g. ``"Kari Nordmann (@kari)"``.
        published_at: Publication time of the post (timezone-aware).
        published_shown: The post's time as the page showed it, when no exact time is known
            (e.g. ``«5 t» som vist …``); shown instead of ``published_at``.
        organisation: The archiving organisation.
        case_reference: Case number/reference in the records system, if known.
        comments_captured: Comments captured.
        comments_expected: Comments the page said it had.
        final_url: URL after redirects, when different.
        screenshot_sha256: SHA-256 of the screenshot PNG.
        certificates: The TLS certificate of the page's own origin (subject, issuer, validity,
            SHA-256 fingerprint) and a count of the other HTTPS origins, as text.
        notes: Warnings and remarks from the capture, one line each.
        screening: For the screened variant ("dokument hvor deler av innholdet er
            skjermet"): what was masked and what cannot be; printed under the title.
        changes: A later version of a watched thread: what changed since the previous
            capture, one line each (empty for a first capture).
        language: The agency's målform (``nb`` bokmål, ``nn`` nynorsk; ``en`` English): the
            document is written in it, each field's label with its English name under it.
            Notes and changes that are catalogue messages are shown in it too.
    """

    title: str
    url: str
    captured_at: datetime
    archivist: str
    capture_id: str
    tool_name: str
    tool_version: str
    warc_sha256: str
    status: str
    platform: str | None = None
    post_id: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    published_shown: str | None = None
    organisation: str | None = None
    case_reference: str | None = None
    comments_captured: int | None = None
    comments_expected: int | None = None
    final_url: str | None = None
    screenshot_sha256: str | None = None
    certificates: str | None = None
    notes: tuple[str, ...] = ()
    #: for the screened variant: what was screened and what could not be (shown first)
    screening: str | None = None
    changes: tuple[str, ...] = ()
    language: str = "nb"

    def __post_init__(self) -> None:
        _require_aware(self.captured_at, "captured_at")
        if self.published_at is not None:
            _require_aware(self.published_at, "published_at")


@dataclass(frozen=True)
class ThreadTextEntry:
    """One post or comment of the thread, for the text appendix.

    Attributes:
        author: Display name.
        text: The text as extracted from the page.
        depth: 0 for the post itself, 1 for a comment, 2 for a reply to it, ...
        handle: Platform handle, with or without ``@``.
        posted_at: Exact time, if known (timezone-aware).
        posted_at_text: The time as the page showed it (``"2 t"``), when no exact time is known.
    """

    author: str
    text: str
    depth: int = 0
    handle: str | None = None
    posted_at: datetime | None = None
    posted_at_text: str | None = None

    def __post_init__(self) -> None:
        if self.depth < 0:
            raise ValueError(f"depth must be >= 0: {self.depth}")
        if self.posted_at is not None:
            _require_aware(self.posted_at, "posted_at")


def completeness_text(captured: int | None, expected: int | None, lang: str = "nb") -> str:
    """``"14 av 14 svar"`` (``14 of 14 replies``) in ``lang``, and the variants for unknown
    counts."""
    if captured is None:
        return render(Msg("sheet.completeness.not_counted"), lang, "doc")
    if expected is None:
        return render(Msg("sheet.completeness.total_unknown", captured=captured), lang, "doc")
    return render(Msg("sheet.completeness.of", captured=captured, expected=expected), lang,
                  "doc")


# --------------------------------------------------------------------------------------------
# Fonts and text
# --------------------------------------------------------------------------------------------


def find_dejavu_dir() -> Path:
    """Directory with the DejaVu TrueType fonts.

    Looks in ``resources/fonts/dejavu`` of the checkout (for bundles that ship the fonts),
    then in the usual system locations (Debian ``fonts-dejavu-core``, Fedora, macOS).
    """
    candidates = [
        resources_dir() / "fonts" / "dejavu",
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu-sans-fonts"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/local/share/fonts"),
        Path.home() / "Library" / "Fonts",
        Path("/Library/Fonts"),
    ]
    for candidate in candidates:
        if all((candidate / name).is_file() for name in _FONT_FILES.values()):
            return candidate
    raise FileNotFoundError(
        "DejaVu fonts not found (need "
        + ", ".join(_FONT_FILES.values())
        + "; looked in "
        + ", ".join(str(c) for c in candidates)
        + "). On Debian/Ubuntu: apt-get install fonts-dejavu-core."
    )


def warm_fonts(font_dir: Path | None = None) -> None:
    """Parse the DejaVu fonts now (once per process), so the first PDF does not wait for it:
    for a thread started while the browser works. Errors are left for the rendering to
    raise."""
    try:
        fonts_at = font_dir or find_dejavu_dir()
        for name in _FONT_FILES.values():
            parse_font(fonts_at / name)
        _cmap(fonts_at / _FONT_FILES["regular"])
    except Exception:  # noqa: BLE001 - an optimisation: the rendering raises it where handled
        return


@cache
def _cmap(path: Path) -> frozenset[int]:
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def _placeholder(char: str) -> str:
    """What to print instead of a character no embedded font has."""
    category = unicodedata.category(char)
    code = ord(char)
    # Invisible helpers of emoji sequences and combining marks: drop them. (ZWJ, variation
    # selectors, skin-tone modifiers, tag characters.)
    if category in ("Cf", "Mn", "Me") or 0x1F3FB <= code <= 0x1F3FF:
        return ""
    name = unicodedata.name(char, "")
    if category == "So" and name:
        return f"[{name.lower()}]"
    return f"[U+{code:04X}]"


class _TextPolicy:
    """Makes strings printable with the embedded fonts (see module docstring, 6.2.11.8)."""

    def __init__(self, covered: frozenset[int]) -> None:
        self.covered = covered

    def _flag(self, match: re.Match[str]) -> str:
        # A pair of regional indicator symbols is a country flag (🇳🇴 = N + O).
        pair = match.group(0)
        if all(ord(c) in self.covered for c in pair):
            return pair
        return "[flagg " + "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in pair) + "]"

    def clean(self, value: str, *, single_line: bool = False) -> str:
        value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
        value = value.replace("\t", "    ")
        value = _CONTROL_RE.sub("", value)
        if single_line:
            value = " ".join(value.split())
        value = _FLAG_RE.sub(self._flag, value)
        out = []
        for char in value:
            if char == "\n" or ord(char) in self.covered:
                out.append(char)
            else:
                out.append(_placeholder(char))
        return "".join(out).strip()


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _oslo_text(value: datetime) -> str:
    local = value.astimezone(OSLO)
    offset = local.strftime("%z")
    return (
        local.strftime("%Y-%m-%d %H:%M:%S ")
        + f"{local.tzname()} (Europe/Oslo, UTC{offset[:3]}:{offset[3:]})"
    )


def _thousands(value: int) -> str:
    # Norwegian digit grouping with a (narrow) no-break space.
    return f"{value:,}".replace(",", "\u202f")


class _CaptureDocument(FPDF):
    """fpdf2 document with the footer and the building blocks of the rendition."""

    def __init__(self, sheet: CaptureSheet, text: _TextPolicy) -> None:
        super().__init__(orientation="P", unit="mm", format="A4",
                         enforce_compliance="PDF/A-2B")
        self.sheet = sheet
        self.policy = text
        self.lang = sheet.language if sheet.language in ("nb", "nn", "en") else "nb"

    def t(self, code: str, **params: Any) -> str:
        """The catalogue's text in the document's målform."""
        return render(Msg(code, **params), self.lang, "doc")

    def show(self, value: object) -> str:
        """A message (a warning, a change) in the document's målform; a text as it is."""
        return render(value, self.lang, "doc")

    def label(self, code: str) -> tuple[str, str]:
        """A field's label in the målform, and in English under it (none in English)."""
        return self.t(code), ("" if self.lang == "en" else render(Msg(code), "en", "doc"))
        self.set_margins(_MARGIN_X, _MARGIN_TOP, _MARGIN_X)
        self.set_auto_page_break(True, margin=_FOOTER_H + 4)

    # fpdf2 calls footer() on every page.
    def footer(self) -> None:
        self.set_y(-_FOOTER_H)
        self.set_draw_color(*_RULE)
        self.line(_MARGIN_X, self.get_y(), _PAGE_W - _MARGIN_X, self.get_y())
        self.set_font(_SANS, "", 7.5)
        self.set_text_color(*_GREY)
        left = self.policy.clean(
            self.t("sheet.footer_id", tool=f"{self.sheet.tool_name} {self.sheet.tool_version}",
                   id=self.sheet.capture_id),
            single_line=True,
        )
        self.set_y(-_FOOTER_H + 1.5)
        self.cell(_CONTENT_W * 0.75, 5, left, align="L")
        # "{nb}" is fpdf2's alias for the page count, filled in when the document is done
        self.cell(_CONTENT_W * 0.25, 5, self.t("sheet.footer_page", page=self.page_no(),
                                              total="{nb}"), align="R")
        self.set_text_color(*_BLACK)

    def para(self, text: str, size: float, *, style: str = "", family: str = _SANS,
             color: tuple[int, int, int] = _BLACK, line: float | None = None,
             wrap: WrapMode = WrapMode.WORD, width: float = 0) -> None:
        self.set_font(family, style, size)
        self.set_text_color(*color)
        self.multi_cell(width, line or size * 0.48, text, wrapmode=wrap, align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_BLACK)

    def rule(self, gap: float = 2.0) -> None:
        self.ln(gap)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y(), _PAGE_W - self.r_margin, self.get_y())
        self.ln(gap)

    def field(self, code: str, value: str, *, mono: bool = False,
              wrap: WrapMode = WrapMode.WORD) -> None:
        """One row of the capture sheet: the label (``sheet.label.<code>``) in the målform
        with its English name under it on the left, the value on the right."""
        label_nb, label_en = self.label(f"sheet.label.{code}")
        label_w = 52.0
        value_w = _CONTENT_W - label_w
        value_text = self.policy.clean(value) or "–"
        family = _MONO if mono else _SANS
        # Keep a row together: measure it first, break the page if it does not fit.
        self.set_font(family, "", 9.5)
        lines = self.multi_cell(value_w, 4.6, value_text, wrapmode=wrap, align="L",
                                dry_run=True, output="LINES")
        assert isinstance(lines, list)
        needed = max(len(lines) * 4.6, 8.0) + 2.5
        if self.get_y() + needed > self.page_break_trigger:
            self.add_page()
        top = self.get_y()
        self.set_xy(_MARGIN_X, top)
        self.set_font(_SANS, "B", 9)
        self.cell(label_w, 4.4, label_nb, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(_SANS, "", 7)
        self.set_text_color(*_GREY)
        self.cell(label_w, 3.4, label_en)
        self.set_text_color(*_BLACK)
        self.set_xy(_MARGIN_X + label_w, top)
        self.set_font(family, "", 9.5)
        self.multi_cell(value_w, 4.6, value_text, wrapmode=wrap, align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = max(self.get_y(), top + 8.0)
        self.set_y(bottom + 1.0)
        self.set_draw_color(225, 225, 225)
        self.line(_MARGIN_X, self.get_y(), _PAGE_W - _MARGIN_X, self.get_y())
        self.ln(1.5)


def _status_text(status: str, lang: str) -> str:
    key = status.strip().lower()
    if key in ("complete", "partial", "failed"):
        return render(Msg(f"sheet.status.{key}"), lang, "doc")
    return status


def _render_sheet(doc: _CaptureDocument, segments: Sequence[tuple[int, int]],
                  image_size: tuple[int, int], entries: int, sheet_pages: int = 1) -> None:
    """Render the capture sheet; ``sheet_pages`` is how many pages the sheet itself takes
    (1, unless rendering it showed otherwise: see :func:`render_capture_pdf`), so "Innhold"
    states the right pages when the notes or the list of changes run over page 1."""
    sheet = doc.sheet
    clean = doc.policy.clean
    doc.add_page()
    heading, heading_en = doc.label("sheet.heading")
    doc.para(heading.upper(), 8.5, style="B", color=_GREY, line=4)
    if heading_en:
        doc.para(heading_en, 7.5, color=_GREY, line=3.6)
    doc.ln(2)
    doc.para(clean(sheet.title, single_line=True) or doc.t("sheet.untitled"), 15,
             style="B", line=6.6)
    byline = " · ".join(
        clean(part, single_line=True) for part in (sheet.platform, sheet.author) if part
    )
    if byline:
        doc.para(byline, 10, color=_GREY, line=5)
    if sheet.screening:
        doc.ln(1)
        doc.para(doc.t("sheet.screened_heading"), 9.5, style="B", line=4.8)
        doc.para(clean(sheet.screening), 8.5, line=4.2)
    doc.rule(2.5)

    doc.field("url", sheet.url, wrap=WrapMode.CHAR)
    if sheet.final_url and sheet.final_url != sheet.url:
        doc.field("final_url", sheet.final_url, wrap=WrapMode.CHAR)
    if sheet.platform:
        doc.field("platform", sheet.platform)
    if sheet.post_id:
        doc.field("post_id", sheet.post_id, mono=True, wrap=WrapMode.CHAR)
    if sheet.author:
        doc.field("author", sheet.author)
    if sheet.published_at:
        doc.field("published",
                  f"{_oslo_text(sheet.published_at)}\n{_utc_text(sheet.published_at)}")
    elif sheet.published_shown:
        doc.field("published_shown", doc.show(sheet.published_shown))
    doc.field("captured", f"{_oslo_text(sheet.captured_at)}\n{_utc_text(sheet.captured_at)}")
    doc.field("archivist", sheet.archivist)
    if sheet.organisation:
        doc.field("organisation", sheet.organisation)
    doc.field("case", sheet.case_reference or doc.t("sheet.no_case"))
    doc.field("status", _status_text(sheet.status, doc.lang))
    doc.field("completeness",
              completeness_text(sheet.comments_captured, sheet.comments_expected, doc.lang))
    doc.field("tool", f"{sheet.tool_name} {sheet.tool_version}")
    doc.field("capture_id", sheet.capture_id, mono=True)
    doc.field("warc", sheet.warc_sha256, mono=True, wrap=WrapMode.CHAR)
    if sheet.screenshot_sha256:
        doc.field("screenshot", sheet.screenshot_sha256, mono=True, wrap=WrapMode.CHAR)
    if sheet.certificates:
        doc.field("certificates", doc.show(sheet.certificates))

    first_shot, last_shot = sheet_pages + 1, sheet_pages + len(segments)
    width, height = image_size

    def pages(first: int, last: int) -> Msg:
        return Msg("sheet.pages", first=first, last="same" if first == last else last)

    lines = [
        doc.t("sheet.contents.sheet", pages=pages(1, sheet_pages)),
        doc.t("sheet.contents.screenshot", pages=pages(first_shot, last_shot),
              width=_thousands(width), height=_thousands(height), parts=len(segments)),
        doc.t("sheet.contents.appendix", page=last_shot + 1, entries=entries,
              replies=max(0, entries - 1)) if entries else
        doc.t("sheet.contents.appendix_empty", page=last_shot + 1),
    ]
    doc.field("contents", "\n".join(lines))
    if sheet.notes:
        doc.ln(1)
        doc.para(doc.t("sheet.notes_heading"), 9, style="B", line=4.6)
        for note in sheet.notes:
            doc.para("• " + clean(doc.show(note), single_line=True), 9, line=4.4)
    if sheet.changes:
        doc.ln(1)
        doc.para(doc.t("sheet.changes_heading"), 9, style="B", line=4.6)
        for change in sheet.changes:
            doc.para("• " + clean(doc.show(change), single_line=True), 9, line=4.4)


@dataclass(frozen=True)
class _ShotPage:
    """One page of the screenshot: its rows and its image, already in the document's cache."""

    top: int
    bottom: int
    image: str  # the name fpdf2 knows the image by


def _load_screenshot(doc: _CaptureDocument, source: BandSource, max_rows: int,
                     masks: Sequence[Mask], font_path: Path) -> list[_ShotPage]:
    """Cut the screenshot into page images, read a band at a time, and hand each to fpdf2's
    image cache as soon as it is made (compressed there; its pixels let go): the pages are
    placed after the capture sheet, which must know how many there are."""
    pages = []
    for top, bottom, image in screenshot_pages(source, max_rows, masks, font_path):
        name, _, _ = preload_image(doc.image_cache, image)
        pages.append(_ShotPage(top, bottom, name))
        del image
    return pages


def _render_screenshot(doc: _CaptureDocument, pages: Sequence[_ShotPage], height: int,
                       scale: float) -> None:
    total = len(pages)
    for index, page in enumerate(pages, start=1):
        doc.add_page()
        doc.set_xy(_MARGIN_X, _MARGIN_TOP)
        caption = doc.t("sheet.screenshot_caption", index=index, total=total,
                        top=_thousands(page.top), bottom=_thousands(page.bottom),
                        height=_thousands(height))
        doc.set_font(_SANS, "", 7.5)
        doc.set_text_color(*_GREY)
        doc.cell(_CONTENT_W, 5, caption)
        doc.set_text_color(*_BLACK)
        y = _MARGIN_TOP + _SHOT_HEADER_H - 2
        rows_mm = (page.bottom - page.top) * scale
        doc.image(page.image, x=_MARGIN_X, y=y, w=_CONTENT_W, h=rows_mm)
        # Hairline frame: shows where the captured page ends on white backgrounds.
        doc.set_draw_color(*_RULE)
        doc.rect(_MARGIN_X, y, _CONTENT_W, rows_mm)


def _render_appendix(doc: _CaptureDocument, entries: Sequence[ThreadTextEntry]) -> None:
    clean = doc.policy.clean
    doc.add_page()
    heading, heading_en = doc.label("appendix.heading")
    doc.para(heading, 13, style="B", line=6)
    if heading_en:
        doc.para(heading_en, 8.5, color=_GREY, line=4.2)
    doc.ln(1)
    doc.para(doc.t("appendix.explanation"), 8.5, color=_GREY, line=4.2)
    doc.rule(2)
    if not entries:
        doc.para(doc.t("appendix.no_text_extracted"), 10, line=5)
        return
    indent_step, max_levels = 7.0, 6
    for number, entry in enumerate(entries, start=1):
        indent = min(entry.depth, max_levels) * indent_step
        doc.set_left_margin(_MARGIN_X + indent)
        doc.set_x(_MARGIN_X + indent)
        if doc.get_y() + 14 > doc.page_break_trigger:
            doc.add_page()
            doc.set_x(_MARGIN_X + indent)
        head = f"#{number} " + ("↳ " if entry.depth > 0 else "")
        doc.set_font(_SANS, "", 8)
        doc.set_text_color(*_GREY)
        doc.write(4.6, head)
        doc.set_text_color(*_BLACK)
        doc.set_font(_SANS, "B", 9.5)
        doc.write(4.6, clean(entry.author, single_line=True) or doc.t("appendix.unknown_author"))
        details = []
        if entry.handle and entry.handle.strip():
            details.append("@" + clean(entry.handle, single_line=True).lstrip("@"))
        if entry.posted_at is not None:
            local = entry.posted_at.astimezone(OSLO)
            details.append(
                local.strftime("%Y-%m-%d %H:%M ") + f"{local.tzname()} · "
                + entry.posted_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
            )
        elif entry.posted_at_text:
            details.append(doc.t("appendix.as_shown",
                                 text=clean(doc.show(entry.posted_at_text), single_line=True)))
        if details:
            doc.set_font(_SANS, "", 8)
            doc.set_text_color(*_GREY)
            doc.write(4.6, "  " + " · ".join(details))
            doc.set_text_color(*_BLACK)
        doc.ln(5.2)
        doc.set_x(_MARGIN_X + indent)
        body = clean(entry.text) or doc.t("appendix.no_text")
        doc.para(body, 9.5, line=4.7)
        doc.ln(2.5)
    doc.set_left_margin(_MARGIN_X)


# --------------------------------------------------------------------------------------------
# PDF/A finishing
# --------------------------------------------------------------------------------------------


def _srgb_profile() -> bytes:
    # The ICC's sRGB v2 profile as shipped by fpdf2: version 2 is accepted by every PDF/A part.
    return (resources.files("fpdf.data.color_profiles") / "sRGB2014.icc").read_bytes()


def _set_metadata(pdf: pikepdf.Pdf, sheet: CaptureSheet, policy: _TextPolicy) -> None:
    lang = sheet.language if sheet.language in ("nb", "nn", "en") else "nb"
    title = policy.clean(sheet.title, single_line=True) or render(Msg("sheet.pdf_title"), lang)
    creator_tool = policy.clean(f"{sheet.tool_name} {sheet.tool_version}", single_line=True)
    subject = policy.clean(render(Msg("sheet.pdf_subject", url=sheet.url), lang),
                           single_line=True)
    keywords = policy.clean(
        ", ".join(p for p in (sheet.platform, render(Msg("sheet.pdf_keyword_id",
                                                         id=sheet.capture_id), lang)) if p),
        single_line=True,
    )
    # [6.6.3] Info entries and their XMP equivalents must agree: set both from one source.
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
        meta["dc:title"] = title
        meta["dc:creator"] = [policy.clean(sheet.archivist, single_line=True)
                              or render(Msg("sheet.unknown"), lang)]
        meta["dc:description"] = subject
        meta["pdf:Keywords"] = keywords
        meta["xmp:CreatorTool"] = creator_tool
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"


def _finish(raw: bytes, out_path: Path, sheet: CaptureSheet, policy: _TextPolicy) -> None:
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        # fpdf2 writes a zoom /OpenAction; PDF/A-2 allows it, but it is a viewer setting an
        # archive copy does not need, and the pikepdf validator's allowlist rejects it.
        if "/OpenAction" in pdf.Root:
            del pdf.Root.OpenAction
        _set_metadata(pdf, sheet, policy)
        pdfa = pikepdf_pdfa()
        out_path.parent.mkdir(parents=True, exist_ok=True)
        if pdfa is not None:
            try:
                # Keeps our sRGB output intent (output_intent=None), writes atomically and
                # validates the written bytes; a failure leaves no file behind.
                pdfa.save(pdf, out_path, "2b", output_intent=None)
            except pdfa.PdfaError as exc:
                # the validator's own rule texts, each introduced in the reader's language
                # (as validate_pdfa does)
                raise PdfRenditionError(
                    [Msg("pdfa.finding", detail=str(f)) for f in exc.report.findings]
                    or [Msg("pdfa.finding", detail=str(exc.report.summary()))]
                ) from exc
            return
        fd, tmp_name = tempfile.mkstemp(prefix=".pdfa-", suffix=".pdf", dir=out_path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            pdf.save(tmp, fix_metadata_version=True)
            problems = check_pdfa_structure(tmp)
            if problems:
                raise PdfRenditionError(problems)
            os.replace(tmp, out_path)
        finally:
            tmp.unlink(missing_ok=True)


def render_capture_pdf(
    screenshot_png: Path,
    sheet: CaptureSheet,
    thread_text: Sequence[ThreadTextEntry],
    out_path: Path,
    *,
    fallback_fonts: Sequence[Path] = (),
    font_dir: Path | None = None,
    masks: Sequence[Mask] = (),
) -> None:
    """Write the PDF/A-2b rendition of a capture to ``out_path``.

    Args:
        screenshot_png: The full-page screenshot (any Pillow-readable raster; transparency is
            flattened onto white).
        sheet: Facts for the capture sheet on page 1.
        thread_text: The post and its comments, in reading order, for the text appendix.
        out_path: Destination; written atomically, never left half-written.
        fallback_fonts: Extra TrueType/OpenType outline fonts (e.g. a Noto CJK font) tried for
            characters DejaVu lacks; characters no font has are shown as a placeholder like
            ``[U+4E2D]`` or ``[grinning face]``.
        font_dir: Directory with the DejaVu fonts; found with :func:`find_dejavu_dir` if None.
        masks: Boxes ``(x, y, width, height, label)`` in screenshot pixels, drawn opaque into
            the image's pixels before any page image is made (the screened variant): nothing
            under a mask reaches the PDF. ``label`` (a pseudonym) is written in the box when
            it fits.

    Raises:
        PdfRenditionError: If the result does not conform to PDF/A-2b.
        FileNotFoundError: If the screenshot or the fonts are missing.
        PIL.Image.DecompressionBombError: For a screenshot other than an 8-bit PNG (those
            are read a band at a time) above Pillow's hard pixel limit (about 179 Mpx).
        OSError: For a damaged screenshot.
    """
    fonts_at = font_dir or find_dejavu_dir()
    font_paths = {key: fonts_at / name for key, name in _FONT_FILES.items()}
    # Text in the bold or mono face falls back to the regular face (and the extras) for glyphs
    # it lacks, so what every style can print is what the regular face and the extras cover.
    covered = frozenset().union(*(_cmap(p) for p in [font_paths["regular"], *fallback_fonts]))
    policy = _TextPolicy(covered)

    def new_document() -> _CaptureDocument:
        return _new_document(sheet, policy, font_paths, fallback_fonts)

    doc = new_document()
    _describe(doc, sheet, policy)

    source = open_bands(screenshot_png)
    try:
        width, height = source.width, source.height
        scale = _CONTENT_W / width  # mm per pixel: full width on the page
        usable_mm = _PAGE_H - _MARGIN_TOP - _SHOT_HEADER_H - _FOOTER_H - 2
        max_rows = max(1, math.floor(usable_mm / scale))
        pages = _load_screenshot(doc, source, max_rows, masks, font_paths["bold"])
    finally:
        source.close()
    segments = [(page.top, page.bottom) for page in pages]
    # The sheet may run over page 1 (many notes, a long list of changes), and the "Innhold"
    # field must name the pages the screenshot and the appendix really start on. The sheet is
    # rendered saying it takes one page; when it does, that is the document's sheet. When it
    # does not, it is rendered into scratch documents until its page count is stable, and
    # then into a new document, which takes over the page images already made.
    sheet_pages = 1
    _render_sheet(doc, segments, (width, height), len(thread_text), sheet_pages)
    counted = doc.page_no()
    if counted != sheet_pages:
        sheet_pages = counted
        for _ in range(3):
            scratch = new_document()
            _render_sheet(scratch, segments, (width, height), len(thread_text), sheet_pages)
            counted = scratch.page_no()
            _close_fonts(scratch)
            del scratch
            if counted == sheet_pages:
                break
            sheet_pages = counted
        images = doc.image_cache
        _close_fonts(doc)
        doc = new_document()
        _describe(doc, sheet, policy)
        doc.image_cache = images
        _render_sheet(doc, segments, (width, height), len(thread_text), sheet_pages)
    _render_screenshot(doc, pages, height, scale)
    _render_appendix(doc, thread_text)
    raw = bytes(doc.output())
    _close_fonts(doc)
    del doc
    _finish(raw, Path(out_path), sheet, policy)


def _close_fonts(doc: FPDF) -> None:
    """Close the font files fpdf2 leaves open (fontTools, lazy). Left to the garbage
    collector they go with a ResourceWarning at some later moment — which the PDF/A
    validator, if it runs then, records as a violation of the document it checks."""
    for font in doc.fonts.values():
        if isinstance(font, TTFFont):
            font.close()  # a SharedFont closes its file only if it was opened


def _describe(doc: FPDF, sheet: CaptureSheet, policy: _TextPolicy) -> None:
    """The document's title, author, creator and language."""
    title = policy.clean(sheet.title, single_line=True) or render(Msg("sheet.pdf_title"),
                                                                  sheet.language)
    doc.set_title(title)
    doc.set_author(policy.clean(sheet.archivist, single_line=True)
                   or render(Msg("sheet.unknown"), sheet.language))
    doc.set_creator(policy.clean(f"{sheet.tool_name} {sheet.tool_version}", single_line=True))
    # the document's language (screen readers, PDF/A): the målform it is written in
    doc.set_lang(sheet.language if sheet.language in ("nb", "nn", "en") else "nb")


def _new_document(sheet: CaptureSheet, policy: _TextPolicy, font_paths: dict[str, Path],
                  fallback_fonts: Sequence[Path]) -> _CaptureDocument:
    """A document with the fonts and the PDF/A output intent set up, nothing rendered."""
    doc = _CaptureDocument(sheet, policy)
    # each font file is parsed once per process, each document embeds its own subset
    add_shared_font(doc, _SANS, "", font_paths["regular"])
    add_shared_font(doc, _SANS, "B", font_paths["bold"])
    add_shared_font(doc, _MONO, "", font_paths["mono"])
    fallback_names = [_SANS]
    for number, path in enumerate(fallback_fonts):
        name = f"fallback{number}"
        add_shared_font(doc, name, "", Path(path))
        fallback_names.append(name)
    # Characters missing in the bold or mono face come from the regular face (or the extras).
    doc.set_fallback_fonts(fallback_names, exact_match=False)
    # [6.2.3] PDF/A output intent: sRGB, since all colour is DeviceRGB.
    doc.add_output_intent(
        OutputIntentSubType.PDFA,
        output_condition_identifier="sRGB IEC61966-2.1",
        output_condition="sRGB IEC61966-2.1",
        registry_name="http://www.color.org",
        dest_output_profile=PDFICCProfile(contents=_srgb_profile(), n=3,
                                          alternate="DeviceRGB"),
        info="sRGB IEC61966-2.1",
    )
    return doc
