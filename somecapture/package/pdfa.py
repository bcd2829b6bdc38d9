"""PDF/A-2b checking of a written PDF: structural checks and full validation.

Used after rendering (:mod:`somecapture.package.pdf`, before a rendition is published) and on
a published package (:mod:`somecapture.package.documents`, by the packager and by
``somecapture verify`` any time later). Checking needs only pikepdf and lxml, not the
renderer's fpdf2, fontTools and Pillow.

* :func:`check_pdfa_structure`: the clauses of ISO 19005-2 this tool's renditions rely on,
  read with pikepdf; always available, not a full validator.
* :func:`validate_pdfa`: the full veraPDF rule set of ``pikepdf.pdfa`` (pikepdf >= 10.18 with
  its ``pdfa`` extra), when installed (see :func:`pikepdf_pdfa`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pikepdf
from lxml import etree

from somecapture.messages import Msg

__all__ = [
    "check_pdfa_structure",
    "pikepdf_pdfa",
    "validate_pdfa",
]


def pikepdf_pdfa() -> Any:
    """``pikepdf.pdfa`` when it and its optional dependencies are installed, else None.

    Rendering uses it to write and validate in one step; :func:`validate_pdfa` to validate.
    """
    try:
        import pikepdf.pdfa as pdfa
    except ImportError:
        return None
    return pdfa


_NS_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NS_PDFAID: Final = "http://www.aiim.org/pdfa/ns/id/"
_NS_DC: Final = "http://purl.org/dc/elements/1.1/"
_NS_XMP: Final = "http://ns.adobe.com/xap/1.0/"
_NS_PDF: Final = "http://ns.adobe.com/pdf/1.3/"


def _xmp_values(xmp: bytes) -> dict[str, str]:
    """Simple XMP properties (attribute or element form), first ``rdf:li`` for arrays."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(xmp, parser)
    wanted = {
        f"{{{_NS_PDFAID}}}part": "pdfaid:part",
        f"{{{_NS_PDFAID}}}conformance": "pdfaid:conformance",
        f"{{{_NS_DC}}}title": "dc:title",
        f"{{{_NS_DC}}}creator": "dc:creator",
        f"{{{_NS_XMP}}}CreatorTool": "xmp:CreatorTool",
        f"{{{_NS_PDF}}}Producer": "pdf:Producer",
    }
    found: dict[str, str] = {}
    for description in root.iter(f"{{{_NS_RDF}}}Description"):
        for attr, value in description.attrib.items():
            if attr in wanted:
                found.setdefault(wanted[attr], value)
        for child in description:
            if child.tag in wanted:
                items = list(child.iter(f"{{{_NS_RDF}}}li"))
                text = items[0].text if items else child.text
                found.setdefault(wanted[child.tag], (text or "").strip())
    return found


def _fonts_in(resources_obj: Any, seen: set[tuple[int, int]],
              out: list[tuple[str, Any]]) -> None:
    """Collect font dictionaries from a resource dictionary, recursing into form XObjects."""
    if not isinstance(resources_obj, pikepdf.Dictionary):
        return
    key = resources_obj.objgen
    if key != (0, 0):
        if key in seen:
            return
        seen.add(key)
    fonts = resources_obj.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for name, font in fonts.items():
            out.append((str(name), font))
            if font.get("/Subtype") == "/Type3":
                _fonts_in(font.get("/Resources"), seen, out)
    xobjects = resources_obj.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for xobject in xobjects.values():
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                _fonts_in(xobject.get("/Resources"), seen, out)


def _font_embedded(font: Any) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True  # glyphs are content streams inside the font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) == 0:
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return False
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _shown(value: str | None) -> str:
    """A value as a finding quotes it (``'2'``; ``none`` when there is none)."""
    return repr(value) if value is not None else "None"


def check_pdfa_structure(path: Path, *, part: int = 2, conformance: str = "B") -> list[str]:
    """Structural PDF/A checks with pikepdf; an empty list means none failed.

    Checked: no encryption [6.1.3]; trailer ``/ID`` [6.1.3]; an uncompressed XMP metadata
    stream [6.6.2.1] identifying ``pdfaid:part``/``pdfaid:conformance`` [6.6.4]; Info
    Title/Author/Creator/Producer equal to ``dc:title``/``dc:creator``/``xmp:CreatorTool``/
    ``pdf:Producer`` [6.6.3]; an output intent ``/GTS_PDFA1`` with an embedded ICC profile
    [6.2.3]; every font embedded [6.2.11.4]; no JavaScript or additional actions [6.5]; no
    embedded files. This is not a full validator; see :func:`validate_pdfa` for that.
    Each problem is a catalogue message (``pdfa.*``; its string is the English text).
    """
    problems: list[str] = []
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return [Msg("pdfa.password")]
    except pikepdf.PdfError as exc:
        return [Msg("pdfa.unreadable", detail=str(exc))]
    with pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            problems.append(Msg("pdfa.encrypted"))
        if "/ID" not in pdf.trailer:
            problems.append(Msg("pdfa.no_id"))

        metadata = pdf.Root.get("/Metadata")
        xmp: dict[str, str] = {}
        if not isinstance(metadata, pikepdf.Stream):
            problems.append(Msg("pdfa.no_xmp"))
        else:
            if "/Filter" in metadata:
                problems.append(Msg("pdfa.xmp_compressed"))
            try:
                xmp = _xmp_values(metadata.read_bytes())
            except etree.XMLSyntaxError as exc:
                problems.append(Msg("pdfa.xmp_malformed", detail=str(exc)))
            if xmp.get("pdfaid:part") != str(part):
                problems.append(Msg("pdfa.xmp_value", key="pdfaid:part",
                                    found=_shown(xmp.get("pdfaid:part")),
                                    expected=_shown(str(part))))
            if (xmp.get("pdfaid:conformance") or "").upper() != conformance.upper():
                problems.append(Msg("pdfa.xmp_value", key="pdfaid:conformance",
                                    found=_shown(xmp.get("pdfaid:conformance")),
                                    expected=_shown(conformance)))
        info = pdf.docinfo
        for info_key, xmp_key in (
            ("/Title", "dc:title"),
            ("/Author", "dc:creator"),
            ("/Creator", "xmp:CreatorTool"),
            ("/Producer", "pdf:Producer"),
        ):
            info_value = str(info[info_key]) if info_key in info else None
            if info_value is not None and info_value != xmp.get(xmp_key):
                problems.append(Msg("pdfa.info_differs", key=info_key, value=_shown(info_value),
                                    xmp_key=xmp_key, xmp_value=_shown(xmp.get(xmp_key))))

        intents = pdf.Root.get("/OutputIntents")
        pdfa_intents = [
            oi for oi in (intents if isinstance(intents, pikepdf.Array) else [])
            if isinstance(oi, pikepdf.Dictionary) and oi.get("/S") == "/GTS_PDFA1"
        ]
        if not pdfa_intents:
            problems.append(Msg("pdfa.no_output_intent"))
        for intent in pdfa_intents:
            profile = intent.get("/DestOutputProfile")
            if not isinstance(profile, pikepdf.Stream):
                problems.append(Msg("pdfa.no_icc"))
                continue
            data = profile.read_bytes()
            if len(data) < 128 or data[36:40] != b"acsp":
                problems.append(Msg("pdfa.not_icc"))
        profiles = [oi.get("/DestOutputProfile") for oi in pdfa_intents]
        if len({p.objgen for p in profiles if isinstance(p, pikepdf.Stream)}) > 1:
            problems.append(Msg("pdfa.icc_differ"))

        fonts: list[tuple[str, Any]] = []
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            _fonts_in(page.obj.get("/Resources"), seen, fonts)
            for annot in page.obj.get("/Annots") or []:
                appearance = annot.get("/AP")
                if isinstance(appearance, pikepdf.Dictionary):
                    normal = appearance.get("/N")
                    if isinstance(normal, pikepdf.Stream):
                        _fonts_in(normal.get("/Resources"), seen, fonts)
            if "/AA" in page.obj:
                problems.append(Msg("pdfa.page_actions", page=page.index + 1))
        reported: set[str] = set()
        for name, font in fonts:
            if not _font_embedded(font):
                base = str(font.get("/BaseFont", name))
                if base not in reported:
                    reported.add(base)
                    problems.append(Msg("pdfa.font_not_embedded", font=base))

        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            if "/JavaScript" in names:
                problems.append(Msg("pdfa.javascript"))
            if "/EmbeddedFiles" in names:
                problems.append(Msg("pdfa.embedded_files"))
        open_action = pdf.Root.get("/OpenAction")
        if isinstance(open_action, pikepdf.Dictionary) and open_action.get("/S") == "/JavaScript":
            problems.append(Msg("pdfa.open_action_js"))
        if "/AA" in pdf.Root:
            problems.append(Msg("pdfa.catalog_actions"))
    return problems


def validate_pdfa(path: Path, flavour: str = "2b") -> list[str]:
    """Full PDF/A validation of a written file with ``pikepdf.pdfa`` (veraPDF rule set).

    Returns:
        One line per finding; empty when the file is approved.

    Raises:
        ImportError: If ``pikepdf.pdfa`` is not available (pikepdf < 10.18 or its ``pdfa``
            extra is missing).
    """
    pdfa = pikepdf_pdfa()
    if pdfa is None:
        raise ImportError("pikepdf.pdfa is not available: pip install 'pikepdf[pdfa]>=10.18'")
    report = pdfa.validate_written(Path(path), flavour)
    if report.passed:
        return []
    # the validator's rule texts are its own (English, as veraPDF words them): each is
    # introduced in the reader's language
    return [Msg("pdfa.finding", detail=str(f)) for f in report.findings] or [
        Msg("pdfa.finding", detail=str(report.summary()))]
