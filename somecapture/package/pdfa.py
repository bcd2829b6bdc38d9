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


def check_pdfa_structure(path: Path, *, part: int = 2, conformance: str = "B") -> list[str]:
    """Structural PDF/A checks with pikepdf; an empty list means none failed.

    Checked: no encryption [6.1.3]; trailer ``/ID`` [6.1.3]; an uncompressed XMP metadata
    stream [6.6.2.1] identifying ``pdfaid:part``/``pdfaid:conformance`` [6.6.4]; Info
    Title/Author/Creator/Producer equal to ``dc:title``/``dc:creator``/``xmp:CreatorTool``/
    ``pdf:Producer`` [6.6.3]; an output intent ``/GTS_PDFA1`` with an embedded ICC profile
    [6.2.3]; every font embedded [6.2.11.4]; no JavaScript or additional actions [6.5]; no
    embedded files. This is not a full validator; see :func:`validate_pdfa` for that.
    """
    problems: list[str] = []
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        return ["the file is encrypted with a user password"]
    except pikepdf.PdfError as exc:
        return [f"not a readable PDF: {exc}"]
    with pdf:
        if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
            problems.append("the file is encrypted")
        if "/ID" not in pdf.trailer:
            problems.append("the trailer has no /ID")

        metadata = pdf.Root.get("/Metadata")
        xmp: dict[str, str] = {}
        if not isinstance(metadata, pikepdf.Stream):
            problems.append("no XMP metadata stream in the catalog")
        else:
            if "/Filter" in metadata:
                problems.append("the XMP metadata stream is compressed (has /Filter)")
            try:
                xmp = _xmp_values(metadata.read_bytes())
            except etree.XMLSyntaxError as exc:
                problems.append(f"the XMP metadata is not well-formed: {exc}")
            if xmp.get("pdfaid:part") != str(part):
                problems.append(
                    f"XMP pdfaid:part is {xmp.get('pdfaid:part')!r}, expected {str(part)!r}"
                )
            if (xmp.get("pdfaid:conformance") or "").upper() != conformance.upper():
                problems.append(
                    f"XMP pdfaid:conformance is {xmp.get('pdfaid:conformance')!r}, "
                    f"expected {conformance!r}"
                )
        info = pdf.docinfo
        for info_key, xmp_key in (
            ("/Title", "dc:title"),
            ("/Author", "dc:creator"),
            ("/Creator", "xmp:CreatorTool"),
            ("/Producer", "pdf:Producer"),
        ):
            info_value = str(info[info_key]) if info_key in info else None
            if info_value is not None and info_value != xmp.get(xmp_key):
                problems.append(
                    f"Info {info_key} {info_value!r} differs from XMP {xmp_key} "
                    f"{xmp.get(xmp_key)!r}"
                )

        intents = pdf.Root.get("/OutputIntents")
        pdfa_intents = [
            oi for oi in (intents if isinstance(intents, pikepdf.Array) else [])
            if isinstance(oi, pikepdf.Dictionary) and oi.get("/S") == "/GTS_PDFA1"
        ]
        if not pdfa_intents:
            problems.append("no /GTS_PDFA1 output intent")
        for intent in pdfa_intents:
            profile = intent.get("/DestOutputProfile")
            if not isinstance(profile, pikepdf.Stream):
                problems.append("the PDF/A output intent has no embedded ICC profile")
                continue
            data = profile.read_bytes()
            if len(data) < 128 or data[36:40] != b"acsp":
                problems.append("the output intent's DestOutputProfile is not an ICC profile")
        profiles = [oi.get("/DestOutputProfile") for oi in pdfa_intents]
        if len({p.objgen for p in profiles if isinstance(p, pikepdf.Stream)}) > 1:
            problems.append("PDF/A output intents use different ICC profiles")

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
                problems.append(f"page {page.index + 1} has additional actions (/AA)")
        reported: set[str] = set()
        for name, font in fonts:
            if not _font_embedded(font):
                base = str(font.get("/BaseFont", name))
                if base not in reported:
                    reported.add(base)
                    problems.append(f"font {base} is not embedded")

        names = pdf.Root.get("/Names")
        if isinstance(names, pikepdf.Dictionary):
            if "/JavaScript" in names:
                problems.append("document-level JavaScript (/Names /JavaScript)")
            if "/EmbeddedFiles" in names:
                problems.append("embedded files (/Names /EmbeddedFiles)")
        open_action = pdf.Root.get("/OpenAction")
        if isinstance(open_action, pikepdf.Dictionary) and open_action.get("/S") == "/JavaScript":
            problems.append("JavaScript /OpenAction")
        if "/AA" in pdf.Root:
            problems.append("catalog has additional actions (/AA)")
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
    return [str(f) for f in report.findings] or [report.summary()]
