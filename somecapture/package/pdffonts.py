"""TrueType fonts parsed once per process and shared by the PDF documents made in it.

fpdf2's ``FPDF.add_font`` parses the font file again for every document (``TTFFont``: the
cmap, every glyph's width and id, the ``glyf`` table to check for ``.notdef``): about 60 ms
for the three DejaVu faces, paid by each of the two renditions of a capture (and once more
by each scratch document). The parse does not depend on the document, so it is done once per
font file (:func:`add_shared_font`); each document gets its own :class:`SharedFont`, which
shares what fpdf2 only reads (the cmap, glyph ids, widths, names, metrics) and owns what it
changes: the subset of glyphs the document uses, the width table fpdf2 fills in for
characters the font lacks, the font descriptor (a PDF object numbered when the document is
written), and the fontTools font the subset is cut from (``fontTools.subset`` cuts it in
place), opened from the file only when the document is written and closed by fpdf2 right
after (a file replaced since it was parsed is read again for the next document, and refused
for one laid out with the old one). So every document embeds its own subset, exactly as with
``add_font``, and two documents may be laid out and written at the same time in two threads.

Text widths: :meth:`SharedFont.get_text_width` sums the advance widths from a table keyed by
character (one lookup per character instead of ``ord`` and a generator step), the same
integers in the same order as fpdf2's, so the same line breaks.

Fonts fpdf2 treats specially (colour fonts drawn as Type 3, WOFF files, CID-keyed CFF fonts)
are added with ``add_font`` as before.
"""

from __future__ import annotations

import copy
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import PDFFontDescriptor, SubsetMap, TTFFont

__all__ = ["SharedFont", "add_shared_font", "parse_font"]

#: TTFFont attributes that belong to one document; every other attribute fpdf2 sets in
#: ``TTFFont.__init__`` is read-only after it and shared
_PER_DOCUMENT = frozenset({"i", "fontkey", "emphasis", "desc", "cw", "subset",
                           "missing_glyphs", "biggest_size_pt", "_hbfont", "color_font",
                           "ttfont"})


class _Widths(dict[str, float]):
    """Advance widths (1/1000 em) by character; the font's default width for the others,
    without storing them (read by several threads at once, never written after it is
    built)."""

    def __init__(self, widths: dict[str, float], default: float) -> None:
        super().__init__(widths)
        self.default = default

    def __missing__(self, key: str) -> float:
        return self.default


@dataclass(frozen=True)
class _Parsed:
    """What fpdf2 read from one font file, for any number of documents."""

    stamp: tuple[int, int, int]  # size, mtime (ns), inode: a font replaced on disk is read again
    shared: dict[str, Any]  # TTFFont attributes shared as they are
    desc: PDFFontDescriptor  # copied for each document (numbered when it is written)
    cw: dict[int, float]  # fpdf2's width table (a defaultdict), copied for each document
    widths: _Widths  # the same widths by character, for get_text_width


_lock = threading.Lock()
#: font file → its parse, or None when fpdf2 treats the font specially (see module docstring)
_parsed: dict[tuple[Path, int], _Parsed | None] = {}


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


def _parse(path: Path, collection_font_number: int) -> _Parsed | None:
    stamp = _stamp(path)
    font = TTFFont(FPDF(), path, "shared", "", collection_font_number=collection_font_number)
    try:
        # fonts fpdf2 treats apart are left to add_font: colour fonts, compressed ones,
        # CID-keyed ones, and a TrueType font whose glyph 0 is not .notdef (fpdf2 draws one
        # into the document's own fontTools font, which a shared parse does not have)
        if font.color_font is not None or font.is_compressed or font.is_cid_keyed or (
                "glyf" in font.ttfont and font.ttfont.getGlyphOrder()[0] != ".notdef"):
            return None
        shared = {}
        for name in TTFFont.__slots__:
            if name not in _PER_DOCUMENT and hasattr(font, name):
                shared[name] = getattr(font, name)
        # the widths and the default exactly as fpdf2 holds them (integers, as it rounds them)
        factory = font.cw.default_factory if isinstance(font.cw, defaultdict) else None
        default = factory() if factory is not None else 0
        widths = _Widths({chr(code): w for code, w in font.cw.items()}, default)
        return _Parsed(stamp, shared, font.desc, font.cw, widths)
    finally:
        font.close()


def _parsed_font(path: Path, collection_font_number: int) -> _Parsed | None:
    key = (path.resolve(), collection_font_number)
    with _lock:  # one parse per file, also when two documents start at the same time
        parsed = _parsed.get(key)
        if key not in _parsed or (parsed is not None and parsed.stamp != _stamp(key[0])):
            parsed = _parsed[key] = _parse(key[0], collection_font_number)
        return parsed


class SharedFont(TTFFont):
    """A document's font built from a shared parse (see the module docstring)."""

    __slots__ = ("_own_ttfont", "_stamp", "_widths")

    def __init__(self, doc: FPDF, parsed: _Parsed, fontkey: str, style: str) -> None:
        # TTFFont.__init__ is not called: it would parse the file again
        for name, value in parsed.shared.items():
            setattr(self, name, value)
        self.i = len(doc.fonts) + 1
        self.fontkey = fontkey
        self.emphasis = TextEmphasis.coerce(style)
        self.desc = copy.copy(parsed.desc)
        self.cw = copy.copy(parsed.cw)  # fpdf2 adds the characters the font lacks to it
        self.missing_glyphs = []
        self.biggest_size_pt = 0
        self._hbfont = None
        self.color_font = None
        self._own_ttfont: TTFont | None = None
        self._stamp = parsed.stamp
        self._widths = parsed.widths
        self.subset = SubsetMap(self)

    @property
    def ttfont(self) -> TTFont:
        """This document's fontTools font: opened (lazily: the table directory only) when
        first asked for, which is when the document is written and its subset cut.

        Raises:
            OSError: If the file is not the one parsed (replaced since): its glyphs may not be
                the ones the document was laid out with.
        """
        if self._own_ttfont is None:
            if _stamp(Path(self.ttffile)) != self._stamp:
                raise OSError(f"{self.ttffile} changed on disk while a PDF was made with it")
            self._own_ttfont = TTFont(self.ttffile, recalcTimestamp=False,
                                      fontNumber=self.collection_font_number, lazy=True)
        return self._own_ttfont

    @ttfont.setter
    def ttfont(self, value: TTFont) -> None:
        self._own_ttfont = value

    def close(self) -> None:
        """Close the font file, if it was opened (fpdf2 calls this after writing)."""
        if self._own_ttfont is not None:
            self._own_ttfont.close()
        self._hbfont = None

    def get_text_width(self, text: str, font_size_pt: float,
                       text_shaping_params: dict[str, Any] | None) -> tuple[int, float]:
        """(characters, width in points) of ``text``, as fpdf2's own method computes it."""
        if text_shaping_params or self.is_symbol:
            return super().get_text_width(text, font_size_pt, text_shaping_params)
        if font_size_pt > self.biggest_size_pt:
            self.biggest_size_pt = font_size_pt
        return len(text), sum(map(self._widths.__getitem__, text)) * font_size_pt * 0.001


def parse_font(path: Path, collection_font_number: int = 0) -> None:
    """Parse ``path`` now, if it is not yet (ahead of the first document that uses it)."""
    _parsed_font(Path(path), collection_font_number)


def add_shared_font(doc: FPDF, family: str, style: str, path: Path,
                    collection_font_number: int = 0) -> None:
    """``doc.add_font(family, style, path)``, the file parsed once per process."""
    parsed = _parsed_font(Path(path), collection_font_number)
    style = "".join(sorted(style.upper()))
    fontkey = f"{family.lower()}{style}"
    if parsed is None or fontkey in doc.fonts:
        doc.add_font(family, style, str(path), collection_font_number=collection_font_number)
        return
    doc.fonts[fontkey] = SharedFont(doc, parsed, fontkey, style)
