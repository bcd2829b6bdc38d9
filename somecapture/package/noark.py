"""Arkivmelding (Noark 5 submission message) for a captured social-media post.

Two dialects are produced from one input, :class:`NoarkRecordInput`:

``"eformidling"``
    Digdir's ``arkivmelding.xsd`` (namespace ``http://www.arkivverket.no/standarder/noark5/
    arkivmelding``, Noark 5 v3.1 metadata catalogue). Code values are written as their Noark
    text ("Inngående dokument"). eFormidling requires a ``saksmappe`` that contains a
    ``journalpost`` (see ``resources/schemas/eformidling-arkivmelding/README.md``), so the
    journalpost is nested in a saksmappe and ``arkivertDato``/``arkivertAv`` are always set.
    ``dokumentobjekt`` has no format, checksum or size in this dialect: fixity travels in the
    BagIt manifest, and is repeated per file in ``virksomhetsspesifikkeMetadata``.

``"fiks"``
    KS Fiks Arkiv V1 ``arkivmelding`` (opprett). Code values are ``kode`` + ``beskrivelse``
    pairs whose children live in the *metadatakatalog* namespace, so two namespaces are used.
    ``mappe`` and ``registrering`` are siblings; the registrering points at its parent through
    ``referanseForelderMappe``. ``dokumentobjekt`` carries ``format`` (PRONOM PUID),
    ``mimeType``, ``sjekksum`` (SHA-256) and ``filstoerrelse``.

Case handling (never invent numbers: saksår/sekvensnummer and journal numbers are assigned by
the records system, M011-M015 "Registreres automatisk"):

* a :class:`NoarkCaseReference` with ``saksaar`` + ``sakssekvensnummer`` / ``mappe_id`` /
  ``system_id`` points at an existing case: eFormidling repeats those identifiers in its
  mandatory saksmappe, Fiks sends no mappe and references the case from the registrering;
* no case: both dialects send a *new* saksmappe without any number (systemID only, derived
  from the capture id) and the journalpost/arkivnotat is placed in it. The records system
  gives it its number on receipt; a records manager can later merge it into the right case.

All systemIDs are deterministic: the registrering uses the capture id, every other object a
UUIDv5 derived from it, so building the same record twice gives the same XML.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Final, Literal, NoReturn
from zoneinfo import ZoneInfo

from lxml import etree

from somecapture.errors import ArkivmeldingInvalidError
from somecapture.messages import Msg
from somecapture.resources import resource_path

__all__ = [
    "MASKED_NAME",
    "VSM_NAMESPACE",
    "ArkivmeldingInvalidError",
    "CaptureMetadata",
    "DocumentRole",
    "JournalpostType",
    "Journalstatus",
    "NoarkCaseReference",
    "NoarkDocument",
    "NoarkDocumentFile",
    "NoarkRecordInput",
    "NoarkScreening",
    "NoarkSender",
    "RegistrationKind",
    "Variant",
    "VariantFormat",
    "build_arkivmelding",
    "mask_names",
    "new_case_system_id",
    "schema_dir",
    "schema_path",
    "validate_arkivmelding",
]

Variant = Literal["eformidling", "fiks"]
"""Which arkivmelding dialect to write or validate."""

RegistrationKind = Literal["journalpost", "arkivnotat"]
"""Noark registration type. ``arkivnotat`` exists only in Fiks; see :class:`NoarkRecordInput`."""

JournalpostType = Literal["I", "U", "N", "X", "S"]
"""M082 journalposttype code (I inngående, U utgående, N/X organinternt, S saksframlegg)."""

Journalstatus = Literal["J", "F", "G", "E", "A", "U", "M", "S", "R"]
"""M053 journalstatus code. M, S and R exist only in the Fiks code list."""

DocumentRole = Literal["Hoveddokument", "Vedlegg"]
"""M217 tilknyttetRegistreringSom."""

VariantFormat = Literal[
    "Produksjonsformat", "Arkivformat", "Dokument hvor deler av innholdet er skjermet"
]
"""M700 variantformat."""

MASKED_NAME: Final = "*****"
"""Replacement for a screened word in ``offentligTittel`` (M025)."""

VSM_NAMESPACE: Final = "urn:somecapture:virksomhetsspesifikke-metadata:1"
"""Namespace of somecapture's children of ``virksomhetsspesifikkeMetadata`` (xs:anyType)."""

_NS_EFORMIDLING: Final = "http://www.arkivverket.no/standarder/noark5/arkivmelding"
_NS_FIKS: Final = (
    "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1"
)
_NS_FIKS_MDK: Final = (
    "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1"
)
_NS_XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"

_SCHEMA_FILES: Final[dict[str, tuple[str, str]]] = {
    "eformidling": ("eformidling-arkivmelding", "arkivmelding.xsd"),
    "fiks": ("fiks-arkiv-v1", "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"),
}

# Dates (xs:date: journaldato, dokumentetsDato, saksdato) are the Norwegian calendar date.
_OSLO: Final = ZoneInfo("Europe/Oslo")

# Code lists. Fiks descriptions follow resources/schemas/fiks-arkiv-v1/kodelister/*.json; the
# eFormidling text values are the enumerations of its Noark 5 v3.1 metadatakatalog.xsd.
_JOURNALPOSTTYPE: Final[dict[str, str]] = {
    "I": "Inngående dokument",
    "U": "Utgående dokument",
    "N": "Organinternt dokument for oppfølging",
    "X": "Organinternt dokument uten oppfølging",
    "S": "Saksframlegg",
}
_JOURNALSTATUS_FIKS: Final[dict[str, str]] = {
    "J": "Journalført",
    "F": "Ferdigstilt av saksbehandler",
    "G": "Godkjent av leder",
    "E": "Ekspedert",
    "A": "Arkivert",
    "U": "Utgår",
    "M": "Midlertidig registrering av innkommende dokument",
    "S": "Saksbehandler har registrert innkommende dokument",
    "R": "Reservert dokument",
}
_JOURNALSTATUS_EFORMIDLING: Final[dict[str, str]] = {
    "J": "Journalført",
    "F": "Ferdigstilt fra saksbehandler",
    "G": "Godkjent av leder",
    "E": "Ekspedert",
    "A": "Arkivert",
    "U": "Utgår",
}
_TILKNYTTET_CODE: Final[dict[str, str]] = {"Hoveddokument": "H", "Vedlegg": "V"}
_VARIANT_CODE: Final[dict[str, str]] = {
    "Produksjonsformat": "P",
    "Arkivformat": "A",
    "Dokument hvor deler av innholdet er skjermet": "O",
}
_DOKUMENTSTATUS: Final = ("F", "Dokumentet er ferdigstilt")
_SAKSSTATUS: Final = ("B", "Under behandling")
_AVSENDER: Final = ("EA", "Avsender")
_SKJERMING_HELE_DOKUMENTET: Final = "Skjerming av hele dokumentet"
_SKJERMING_NAVN_AVSENDER: Final = "Skjerming navn avsender"
# M706: Noark 5 names the algorithm "SHA-256".
_SHA256_NAME: Final = "SHA-256"
_XS_INT_MAX: Final = 2**31 - 1  # Fiks filstoerrelse is xs:int

_SHA256_RE: Final = re.compile(r"[0-9a-f]{64}")
_ORGNR_RE: Final = re.compile(r"[0-9]{9}")

# XML 1.0 §2.2 Char excludes C0 controls other than TAB/LF/CR, surrogates and U+FFFE/U+FFFF;
# C1 controls (U+007F-U+009F) are allowed but "discouraged" (§2.2 note) and never meaningful
# in a title, so they go too -- except NEL (U+0085), which is a line break.
_XML_UNSAFE_RE: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)

# Name particles that are ordinary words too: never masked on their own (see mask_names).
_NAME_PARTICLES: Final = frozenset(
    {"af", "av", "da", "de", "del", "der", "di", "du", "la", "le", "og", "van", "von", "zu"}
)


# --------------------------------------------------------------------------------------------
# Input model
# --------------------------------------------------------------------------------------------


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (got naive {value.isoformat()})")


@dataclass(frozen=True)
class NoarkDocumentFile:
    """One file of a document: becomes one ``dokumentobjekt``.

    Attributes:
        filename: Name of the file inside the message, relative, ``/``-separated
            (``referanseDokumentfil``, M218). ``antallFiler`` counts these.
        sha256: Lowercase hex SHA-256 of the file (Fiks ``sjekksum``, M705; the eFormidling
            dialect has no checksum element).
        size_bytes: File size (Fiks ``filstoerrelse``, M707; omitted above 2^31-1 because the
            Fiks schema types it ``xs:int``).
        mime_type: Media type (Fiks ``mimeType``).
        variant_format: M700 ``variantformat``: the screenshot PNG is the
            ``Produksjonsformat``, its PDF/A rendition the ``Arkivformat``.
        pronom: PRONOM PUID, e.g. ``fmt/477`` for PDF/A-2b, ``fmt/13`` for PNG 1.2 (Fiks
            ``format``/``kode``, M701). Omitted when unknown.
        format_name: Human name of the format, e.g. ``PDF/A-2b`` (Fiks ``format``/
            ``beskrivelse``).
        original_filename: Display name (Fiks ``filnavn``); defaults to the last path segment
            of ``filename``.
        created_at: When the file was made (``dokumentobjekt/opprettetDato``, M600); defaults
            to the record's ``captured_at``.
    """

    filename: str
    sha256: str
    size_bytes: int
    mime_type: str
    variant_format: VariantFormat = "Produksjonsformat"
    pronom: str | None = None
    format_name: str | None = None
    original_filename: str | None = None
    created_at: datetime | None = None

    def __post_init__(self) -> None:
        name = self.filename
        if (
            not name
            or name.startswith("/")
            or "\\" in name
            or any(part in ("", ".", "..") for part in name.split("/"))
            or _XML_UNSAFE_RE.search(name)
        ):
            raise ValueError(f"filename must be a plain relative path inside the message: {name!r}")
        if not _SHA256_RE.fullmatch(self.sha256):
            raise ValueError(f"sha256 must be 64 lowercase hex digits: {self.sha256!r}")
        if self.size_bytes < 0:
            raise ValueError(f"size_bytes must be >= 0: {self.size_bytes}")
        if self.variant_format not in _VARIANT_CODE:
            raise ValueError(f"unknown variant_format: {self.variant_format!r}")
        if self.created_at is not None:
            _require_aware(self.created_at, "created_at")

    @property
    def display_name(self) -> str:
        """``original_filename``, or the last segment of ``filename``."""
        return self.original_filename or self.filename.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class NoarkDocument:
    """One document (``dokumentbeskrivelse``) with its files (``dokumentobjekt``).

    A capture normally has one Hoveddokument holding two variants of the same content
    (``screenshot.pdf`` Arkivformat + ``screenshot.png`` Produksjonsformat) and Vedlegg for
    the WARC and the metadata.

    Attributes:
        title: ``dokumentbeskrivelse/tittel`` (M020).
        role: ``tilknyttetRegistreringSom`` (M217).
        files: The variants/formats of the document, at least one.
        document_type_code: Fiks ``dokumenttype``/``kode`` (M083). The code list is the
            archive's; ``KORR`` is in the Fiks example list.
        document_type_name: ``dokumenttype`` text; the eFormidling dialect writes only this.
    """

    title: str
    role: DocumentRole
    files: tuple[NoarkDocumentFile, ...]
    document_type_code: str = "KORR"
    document_type_name: str = "Korrespondanse"

    def __post_init__(self) -> None:
        if self.role not in _TILKNYTTET_CODE:
            raise ValueError(f"role must be Hoveddokument or Vedlegg: {self.role!r}")
        if not self.files:
            raise ValueError(f"document {self.title!r} has no files")


@dataclass(frozen=True)
class NoarkSender:
    """The author of the captured post: ``korrespondansepart`` of type Avsender (M087).

    Attributes:
        name: Display name on the platform. Becomes ``korrespondansepartNavn`` (M400)
            together with the handle: ``"Kari Nordmann (@kari)"``.
        handle: Platform handle, with or without ``@``.
        is_private_person: True for a private individual. The name and handle are then
            masked in every ``offentligTittel`` automatically, and Fiks gets
            ``erPersonnavn=true``.
    """

    name: str | None = None
    handle: str | None = None
    is_private_person: bool = True

    def __post_init__(self) -> None:
        if not (self.name and self.name.strip()) and not (self.handle and self.handle.strip()):
            raise ValueError("a sender needs a name or a handle")

    @property
    def handle_text(self) -> str | None:
        """The handle with exactly one leading ``@``, or None."""
        if not self.handle or not self.handle.strip():
            return None
        return "@" + self.handle.strip().lstrip("@")

    @property
    def display(self) -> str:
        """``Name (@handle)``, ``Name`` or ``@handle``."""
        name = (self.name or "").strip()
        handle = self.handle_text
        if name and handle:
            return f"{name} ({handle})"
        return name or handle or ""


@dataclass(frozen=True)
class NoarkCaseReference:
    """An existing case (saksmappe) in the records system that the registration belongs to.

    Give ``saksaar`` + ``sakssekvensnummer`` (M011/M012, "2024/123"), or a ``mappe_id``
    (M003) as the records system writes it, or the case's ``system_id`` (M001) if known --
    or several of them. Nothing here is ever invented by this module.

    Attributes:
        saksaar: Case year.
        sakssekvensnummer: Case sequence number within the year.
        mappe_id: Free case reference (``mappeID``).
        system_id: The case's systemID in the records system.
        title: Case title, if known (eFormidling requires a saksmappe ``tittel``; the record
            title is used when this is None).
        external_key: The key this system gave the case when an earlier arkivmelding asked
            for it as a new case (Fiks ``referanseEksternNoekkel/noekkel``, with
            ``system_name`` as ``fagsystem``); written in Fiks' ``referanseForelderMappe``
            only (eFormidling's saksmappe has no such element).
    """

    saksaar: int | None = None
    sakssekvensnummer: int | None = None
    mappe_id: str | None = None
    system_id: uuid.UUID | None = None
    title: str | None = None
    external_key: str | None = None

    def __post_init__(self) -> None:
        if (self.saksaar is None) != (self.sakssekvensnummer is None):
            raise ValueError("give both saksaar and sakssekvensnummer, or neither")
        if self.saksaar is not None and not 1000 <= self.saksaar <= 9999:
            raise ValueError(f"saksaar must be a four-digit year: {self.saksaar}")
        if self.sakssekvensnummer is not None and not 1 <= self.sakssekvensnummer <= _XS_INT_MAX:
            raise ValueError(f"sakssekvensnummer out of range: {self.sakssekvensnummer}")
        if self.mappe_id is not None and not _clean_line(self.mappe_id):
            raise ValueError("mappe_id is empty")
        if self.saksaar is None and self.mappe_id is None and self.system_id is None:
            raise ValueError(
                "a case reference needs saksaar/sakssekvensnummer, mappe_id or system_id"
            )

    @classmethod
    def from_saksnummer(cls, text: str, title: str | None = None) -> NoarkCaseReference:
        """Parse a saksnummer ``"2024/123"`` (four-digit year, slash, sequence number)."""
        match = re.fullmatch(r"\s*(\d{4})\s*/\s*(\d{1,9})\s*", text)
        if not match:
            raise ValueError(f"not a saksnummer of the form YYYY/N: {text!r}")
        return cls(saksaar=int(match.group(1)), sakssekvensnummer=int(match.group(2)), title=title)

    @property
    def label(self) -> str:
        """Human text: ``2024/123``, the mappe_id or the systemID."""
        if self.saksaar is not None:
            return f"{self.saksaar}/{self.sakssekvensnummer}"
        if self.mappe_id is not None:
            return _clean_line(self.mappe_id)
        return str(self.system_id)


@dataclass(frozen=True)
class NoarkScreening:
    """Skjerming (M500-M505) of the registration and, optionally, its documents.

    Attributes:
        tilgangsrestriksjon: Access code as the records system knows it, e.g. ``"13"``
            (M500; Fiks ``kode``).
        skjermingshjemmel: Legal basis, e.g. ``"Offl. § 13, jf. fvl. § 13 første ledd nr. 1"``
            (M501).
        tilgangsrestriksjon_beskrivelse: Optional text for the code (Fiks ``beskrivelse``).
        skjerming_metadata: Which metadata are screened (M502, Noark 5 values). Only the
            eFormidling dialect has this element; in Fiks, ``"Skjerming navn avsender"``
            becomes ``korrespondansepart/erSkjermet``.
        screen_documents: Also screen every document (``dokumentbeskrivelse/skjerming`` with
            ``skjermingDokument = "Skjerming av hele dokumentet"``, M503).
        skjerming_opphoerer_dato: When the screening ends (M505).
    """

    tilgangsrestriksjon: str
    skjermingshjemmel: str
    tilgangsrestriksjon_beskrivelse: str | None = None
    skjerming_metadata: tuple[str, ...] = (
        "Skjerming tittel registrering - utvalgte ord",
        _SKJERMING_NAVN_AVSENDER,
    )
    screen_documents: bool = True
    skjerming_opphoerer_dato: date | None = None

    def __post_init__(self) -> None:
        if not _clean_line(self.tilgangsrestriksjon):
            raise ValueError("tilgangsrestriksjon is empty")
        if not _clean_line(self.skjermingshjemmel):
            raise ValueError("skjermingshjemmel is empty")
        if not [m for m in self.skjerming_metadata if _clean_line(m)]:
            raise ValueError("skjerming_metadata needs at least one value (M502)")


@dataclass(frozen=True)
class CaptureMetadata:
    """Capture facts for ``virksomhetsspesifikkeMetadata`` (business-specific metadata).

    Written under :data:`VSM_NAMESPACE`; both schemas type the element ``xs:anyType``, so
    receiving systems keep it without having to understand it.

    Attributes:
        platform: E.g. ``"Facebook"``.
        url: The captured URL.
        captured_at: Capture start (UTC is written).
        tool_name: Capturing tool, e.g. ``"somecapture"``.
        tool_version: Its version.
        warc_sha256: SHA-256 of the WARC file.
        post_id: The platform's id of the post.
        final_url: URL after redirects, if different.
        capture_status: E.g. ``"complete"`` / ``"partial"``.
        comments_captured: Number of comments captured.
        comments_expected: Number of comments the page said it had.
        extra: More key/value pairs (``<egenskap navn="...">``).
    """

    platform: str
    url: str
    captured_at: datetime
    tool_name: str
    tool_version: str
    warc_sha256: str
    post_id: str | None = None
    final_url: str | None = None
    capture_status: str | None = None
    comments_captured: int | None = None
    comments_expected: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require_aware(self.captured_at, "captured_at")
        if not _SHA256_RE.fullmatch(self.warc_sha256):
            raise ValueError(f"warc_sha256 must be 64 lowercase hex digits: {self.warc_sha256!r}")


@dataclass(frozen=True)
class NoarkRecordInput:
    """Everything needed to register one capture in a Noark 5 records system.

    Attributes:
        system_id: The capture UUID; becomes the registrering's ``systemID`` (M001) and the
            seed of every other systemID.
        title: ``tittel`` (M020) of the registration, may contain names.
        archivist: The person who captured and archived the post: ``arkivertAv`` (M605),
            ``opprettetAv`` (M601), ``saksbehandler`` (M307) and, for a new case,
            ``saksansvarlig`` (M306).
        organisation_name: The archiving organisation; fallback for ``administrativEnhet``.
        captured_at: When the capture was made (``dokumentbeskrivelse/opprettetDato``;
            ``mottattDato`` M104 for an incoming document).
        archived_at: When the package was sealed: ``arkivertDato`` (M604), ``opprettetDato``
            of the registration, the message time and, as a date, ``journaldato`` (M101).
        documents: The documents; exactly one must be the Hoveddokument.
        public_title: ``offentligTittel`` (M025); defaults to ``title``. Names in
            ``names_to_mask`` (and a private sender's name/handle) are always masked.
        names_to_mask: Names of private persons that must not appear in ``offentligTittel``.
        document_date: Publication time/date of the post: ``dokumentetsDato`` (M103),
            and ``sendtDato`` (M105) for an outgoing post.
        kind: ``journalpost`` or ``arkivnotat``. eFormidling has no arkivnotat and requires a
            journalpost, so there an arkivnotat is sent as a journalpost of type X
            (organinternt dokument uten oppfølging, the Noark 4 "X-notat") or N.
        journalposttype: M082 code. Default ``I`` for a journalpost, ``X`` for an arkivnotat
            in eFormidling; ignored for an arkivnotat in Fiks (the type has no such element).
        journalstatus: M053 code, default ``J`` (Journalført). Not written for a Fiks arkivnotat.
        sender: Author of the post (``korrespondansepart`` Avsender).
        organisation_number: Nine-digit organisation number (business metadata only: the
            arkivmelding addresses no organisation, the envelope does).
        administrative_unit: ``administrativEnhet`` (M305); defaults to ``organisation_name``.
        arkivdel: Arkivdel (series) for a *new* case (eFormidling ``referanseArkivdel`` M208,
            Fiks ``arkivdel``). For an existing case the case's own arkivdel applies.
        case: The existing case, or None for a new, unnumbered case.
        screening: Skjerming, or None for an open registration.
        capture_metadata: Capture facts for ``virksomhetsspesifikkeMetadata``.
        description: ``beskrivelse`` (M021).
        keywords: ``noekkelord`` (M022).
        system_name: ``arkivmelding/system`` and the ``fagsystem`` of Fiks'
            ``referanseEksternNoekkel``.
        message_id: eFormidling ``meldingId``; default a UUIDv5 of the capture id, so a
            re-sent package is recognisable as the same message.
        previous_registration: The registrering this one is a later version of (a watched
            thread captured again): ``kryssreferanse/referanseTilRegistrering`` (M212) with
            its systemID (in Fiks also its ``referanseEksternNoekkel``).
        remark: ``merknad/merknadstekst`` (M310), dated and signed like the registration
            (what changed since the previous version).
    """

    system_id: uuid.UUID
    title: str
    archivist: str
    organisation_name: str
    captured_at: datetime
    archived_at: datetime
    documents: tuple[NoarkDocument, ...]
    public_title: str | None = None
    names_to_mask: tuple[str, ...] = ()
    document_date: date | datetime | None = None
    kind: RegistrationKind = "journalpost"
    journalposttype: JournalpostType | None = None
    journalstatus: Journalstatus = "J"
    sender: NoarkSender | None = None
    organisation_number: str | None = None
    administrative_unit: str | None = None
    arkivdel: str | None = None
    case: NoarkCaseReference | None = None
    screening: NoarkScreening | None = None
    capture_metadata: CaptureMetadata | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    system_name: str = "somecapture"
    message_id: uuid.UUID | None = None
    previous_registration: uuid.UUID | None = None
    remark: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.captured_at, "captured_at")
        _require_aware(self.archived_at, "archived_at")
        if isinstance(self.document_date, datetime):
            _require_aware(self.document_date, "document_date")
        for name, value in (
            ("title", self.title),
            ("archivist", self.archivist),
            ("organisation_name", self.organisation_name),
            ("system_name", self.system_name),
        ):
            if not _clean_line(value):
                raise ValueError(f"{name} is empty (after removing control characters)")
        if self.kind not in ("journalpost", "arkivnotat"):
            raise ValueError(f"kind must be journalpost or arkivnotat: {self.kind!r}")
        if self.journalposttype is not None and self.journalposttype not in _JOURNALPOSTTYPE:
            raise ValueError(f"unknown journalposttype: {self.journalposttype!r}")
        if self.journalstatus not in _JOURNALSTATUS_FIKS:
            raise ValueError(f"unknown journalstatus: {self.journalstatus!r}")
        if self.organisation_number is not None and not _ORGNR_RE.fullmatch(
            self.organisation_number
        ):
            raise ValueError(
                f"organisation_number must be nine digits: {self.organisation_number!r}"
            )
        if self.documents:
            main = [d for d in self.documents if d.role == "Hoveddokument"]
            if len(main) != 1:
                raise ValueError(f"exactly one Hoveddokument is required, got {len(main)}")
        names = [f.filename for d in self.documents for f in d.files]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"a file may be referenced once only: {', '.join(duplicates)}")


# --------------------------------------------------------------------------------------------
# Text hygiene
# --------------------------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    """NFC, XML 1.0-safe, CR/CRLF/NEL as LF, trimmed. Keeps inner line breaks."""
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    return _XML_UNSAFE_RE.sub("", value).strip()


def _clean_line(value: str) -> str:
    """Like :func:`_clean_text`, and every run of whitespace (also newlines) becomes one space.

    Titles and names are single-line fields in every Noark user interface and journal report.
    """
    return " ".join(_clean_text(value).split())


def mask_names(title: str, names: Iterable[str], mask: str = MASKED_NAME) -> str:
    """Replace names of private persons in ``title`` by ``mask`` (for ``offentligTittel``).

    Matching is case-insensitive, Unicode-aware (æ/ø/å), on whole words, tolerant of any
    whitespace between name parts, and also takes the Norwegian genitive (``Karis``,
    ``Kari's``) and a leading ``@`` (``@kari`` for the name ``kari``). Each full name is
    masked first (one mask per full name), then every part of a multi-word name on its own,
    so ``"Svar til Nordmann"`` is masked for the name ``"Kari Nordmann"`` too. Parts of one
    letter and particles that are also ordinary words (``de``, ``av``, ``van`` ...) are not
    masked on their own.

    Args:
        title: The title to mask.
        names: Names and handles to hide.
        mask: Replacement text.

    Returns:
        The masked title (NFC-normalised; otherwise unchanged).
    """
    text = unicodedata.normalize("NFC", title)
    candidates: set[str] = set()
    for raw in names:
        name = " ".join(unicodedata.normalize("NFC", raw).split())
        if not name or not name.strip("@"):
            continue
        candidates.add(name)
        parts = name.split(" ")
        if len(parts) > 1:
            for part in parts:
                core = part.strip(".,;:!?()[]{}\"'")
                if len(core.lstrip("@")) >= 2 and core.lower() not in _NAME_PARTICLES:
                    candidates.add(core)
    if not candidates:
        return text
    alternatives = [
        r"\s+".join(re.escape(p) for p in name.lstrip("@").split(" "))
        for name in sorted(candidates, key=len, reverse=True)
    ]
    # Whole words only ((?<![\w@]) ... (?!\w)), so "Karin" is left alone for "Kari" (but the
    # "kari" of kari@example.no is masked: over-masking is the safe side in a public title);
    # a leading @ (handle) and a genitive -s / 's / ' are masked with the name.
    pattern = re.compile(
        r"(?<![\w@])@?(?:" + "|".join(alternatives) + r")(?:['’]s|s|['’])?(?!\w)",
        re.IGNORECASE,
    )
    return pattern.sub(lambda _m: mask, text)


# --------------------------------------------------------------------------------------------
# Schema location and validation
# --------------------------------------------------------------------------------------------


def schema_dir() -> Path:
    """Directory holding the vendored XSDs (``resources/schemas``)."""
    return resource_path("schemas")


def schema_path(variant: Variant) -> Path:
    """Path of the top-level XSD of ``variant``."""
    if variant not in _SCHEMA_FILES:
        raise ValueError(f"unknown arkivmelding variant: {variant!r}")
    folder, name = _SCHEMA_FILES[variant]
    return schema_dir() / folder / name


@cache
def _schema(variant: Variant) -> etree.XMLSchema:
    path = schema_path(variant)
    if not path.is_file():
        raise FileNotFoundError(f"arkivmelding schema not found: {path}")
    # Parsing from the file keeps its base URL, so xs:import schemaLocation resolves locally.
    return etree.XMLSchema(etree.parse(str(path), _safe_parser()))


# lxml does not promise that one XMLSchema object validates safely in several threads at once.
_VALIDATION_LOCK: Final = threading.Lock()


def _safe_parser() -> etree.XMLParser:
    # No DTD loading, no entity expansion, no network: the input may come from anywhere.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )


def validate_arkivmelding(xml: bytes, variant: Variant) -> None:
    """Validate ``xml`` against the ``variant`` XSD and the dialect's extra rules.

    The extra rules are those the XSD cannot express: eFormidling wants a saksmappe holding a
    journalpost with ``arkivertDato`` and ``arkivertAv`` (this also makes the instance valid
    against the stricter integrasjonspunkt copy of the schema); Fiks wants a registrering sent
    with a mappe to point at it; both count ``antallFiler`` as the files referenced.

    Raises:
        ArkivmeldingInvalidError: On the first problem (``errors`` lists all XSD errors).
        ValueError: If ``variant`` is unknown.
    """
    schema = _schema(variant)
    try:
        doc = etree.fromstring(xml, _safe_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        raise ArkivmeldingInvalidError(variant, Msg("noark.not_well_formed", detail=exc.msg),
                                       line) from exc
    if doc.docinfo.doctype or doc.docinfo.internalDTD is not None:
        # An arkivmelding has no DTD; a DOCTYPE can only smuggle in entities.
        raise ArkivmeldingInvalidError(variant, Msg("noark.doctype"), 1)
    with _VALIDATION_LOCK:
        try:
            valid = schema.validate(doc)
        except etree.XMLSchemaValidateError as exc:
            raise ArkivmeldingInvalidError(variant, Msg("noark.schema_failed",
                                                        detail=str(exc))) from exc
        log = list(schema.error_log)
    if not valid:
        first = log[0]
        # each line in the catalogue's words; the problem itself as the XSD validator
        # (libxml2) words it, in English
        lines = tuple(
            Msg("noark.error_line", line=e.line, path=str(_readable_path(doc, e.path)),
                message=e.message) for e in log
        )
        raise ArkivmeldingInvalidError(
            variant, first.message, first.line or None, _readable_path(doc, first.path), lines
        )
    _check_profile(doc, variant)


def _element_path(element: etree._Element) -> str:
    """``/arkivmelding/mappe/basisregistrering[2]/tittel``: local names, positions if needed."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


def _readable_path(doc: etree._ElementTree, path: str | None) -> str | None:
    # libxml2 reports default-namespace elements as "/*/*[5]/*[7]"; resolve and rename them.
    if not path:
        return None
    try:
        found = doc.xpath(path)
    except etree.XPathError:
        return path
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return _element_path(found[0])
    return path


def _check_profile(doc: etree._ElementTree, variant: Variant) -> None:
    root = doc.getroot()
    ns = _NS_EFORMIDLING if variant == "eformidling" else _NS_FIKS

    def fail(message: Msg, element: etree._Element) -> NoReturn:
        raise ArkivmeldingInvalidError(variant, message, element.sourceline,
                                       _element_path(element))

    def xsi_type(element: etree._Element) -> str | None:
        value = element.get(f"{{{_NS_XSI}}}type")
        if value is None:
            return None
        prefix, _, local = value.rpartition(":")
        namespace = element.nsmap.get(prefix or None)
        return local if namespace == ns else f"{{{namespace}}}{local}"

    declared = root.find(f"{{{ns}}}antallFiler")
    references = root.findall(f".//{{{ns}}}referanseDokumentfil")
    if declared is not None and int(declared.text or "-1") != len({r.text for r in references}):
        fail(Msg("noark.file_count", declared=str(declared.text),
                 count=len({r.text for r in references})), declared)
    if variant == "eformidling":
        folders = root.findall(f"{{{ns}}}mappe")
        if len(folders) != 1 or xsi_type(folders[0]) != "saksmappe":
            fail(Msg("noark.ef_one_saksmappe"), root)
        journalposts = [
            r for r in folders[0].findall(f"{{{ns}}}basisregistrering")
            if xsi_type(r) == "journalpost"
        ]
        if not journalposts:
            fail(Msg("noark.ef_journalpost"), folders[0])
        for post in journalposts:
            for required in ("arkivertDato", "arkivertAv"):
                if post.find(f"{{{ns}}}{required}") is None:
                    fail(Msg("noark.ef_lacks", element=required), post)
    else:
        folder = root.find(f"{{{ns}}}mappe")
        registration = root.find(f"{{{ns}}}registrering")
        if (
            folder is not None
            and registration is not None
            and registration.find(f"{{{ns}}}referanseForelderMappe") is None
        ):
            fail(Msg("noark.fiks_reference"), registration)


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def _xs_datetime(value: datetime) -> str:
    """xs:dateTime in UTC, whole seconds, ``Z`` suffix."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _xs_date(value: date | datetime) -> str:
    """xs:date; a datetime is taken as its calendar date in Europe/Oslo."""
    if isinstance(value, datetime):
        return value.astimezone(_OSLO).date().isoformat()
    return value.isoformat()


class _Writer:
    """Element helpers that hide the dialect differences (namespaces, code values)."""

    def __init__(self, variant: Variant) -> None:
        self.variant = variant
        self.ns = _NS_EFORMIDLING if variant == "eformidling" else _NS_FIKS
        nsmap: dict[str | None, str] = {None: self.ns, "xsi": _NS_XSI}
        if variant == "fiks":
            nsmap["n5mdk"] = _NS_FIKS_MDK
        self.root = etree.Element(f"{{{self.ns}}}arkivmelding", nsmap=nsmap)

    def el(self, parent: etree._Element, name: str, text: str | None = None,
           *, mdk: bool = False) -> etree._Element:
        namespace = _NS_FIKS_MDK if mdk else self.ns
        child = etree.SubElement(parent, f"{{{namespace}}}{name}")
        if text is not None:
            child.text = text
        return child

    def typed(self, parent: etree._Element, name: str, xsi_type: str) -> etree._Element:
        child = self.el(parent, name)
        # The type QName resolves through the default namespace, which is the arkivmelding's.
        child.set(f"{{{_NS_XSI}}}type", xsi_type)
        return child

    def line(self, parent: etree._Element, name: str, value: str | None) -> None:
        """Single-line text element; omitted when empty after cleaning."""
        if value is None:
            return
        cleaned = _clean_line(value)
        if cleaned:
            self.el(parent, name, cleaned)

    def text(self, parent: etree._Element, name: str, value: str | None) -> None:
        """Multi-line text element; omitted when empty after cleaning."""
        if value is None:
            return
        cleaned = _clean_text(value)
        if cleaned:
            self.el(parent, name, cleaned)

    def code(self, parent: etree._Element, name: str, code: str, text: str | None,
             *, efm_text: str | None = None) -> None:
        """A code value: Noark text in eFormidling, ``kode``/``beskrivelse`` in Fiks (M800)."""
        if self.variant == "eformidling":
            self.el(parent, name, _clean_line(efm_text or text or code))
            return
        holder = self.el(parent, name)
        self.el(holder, "kode", _clean_line(code), mdk=True)
        if text and _clean_line(text):
            self.el(holder, "beskrivelse", _clean_line(text), mdk=True)

    def person(self, parent: etree._Element, name: str, who: str) -> None:
        """A person/unit: plain text in eFormidling, ``identifikatorer``/``navn`` in Fiks (M801)."""
        if self.variant == "eformidling":
            self.line(parent, name, who)
        else:
            holder = self.el(parent, name)
            self.el(holder, "navn", _clean_line(who), mdk=True)


def _derived_id(record: NoarkRecordInput, what: str) -> uuid.UUID:
    return uuid.uuid5(record.system_id, what)


def new_case_system_id(system_id: uuid.UUID) -> uuid.UUID:
    """The systemID of the new saksmappe a registration without a case asks for (both
    dialects; in Fiks also its ``referanseEksternNoekkel/noekkel``): derived from the
    registration's own systemID, so a later registration can name the same case."""
    return uuid.uuid5(system_id, "saksmappe")


def _ordered_documents(record: NoarkRecordInput) -> list[NoarkDocument]:
    # M007: the dokumentnummer decides display order; the Hoveddokument comes first.
    main = [d for d in record.documents if d.role == "Hoveddokument"]
    return main + [d for d in record.documents if d.role != "Hoveddokument"]


def _public_title(record: NoarkRecordInput, title: str | None = None) -> str:
    names = list(record.names_to_mask)
    if record.sender is not None and record.sender.is_private_person:
        names += [n for n in (record.sender.name, record.sender.handle_text) if n]
    base = title if title is not None else (record.public_title or record.title)
    if title is not None and record.public_title and _clean_line(title) == _clean_line(
            record.title):
        # the case folder named after the registration: the same public title (which may
        # have more masked than names: identity numbers, phone numbers, e-mail addresses)
        base = record.public_title
    return mask_names(_clean_line(base), names)


def _effective_journalposttype(record: NoarkRecordInput, variant: Variant) -> str | None:
    if record.kind == "journalpost":
        return record.journalposttype or "I"
    if variant == "fiks":
        return None  # an arkivnotat has no journalposttype
    chosen = record.journalposttype or "X"
    if chosen not in ("N", "X"):
        raise ValueError(
            "an arkivnotat is sent to eFormidling as an internal journalpost: journalposttype "
            f"must be N or X, not {chosen!r}"
        )
    return chosen


def _screening_block(w: _Writer, parent: etree._Element, screening: NoarkScreening,
                     *, document: bool) -> None:
    block = w.el(parent, "skjerming")
    w.code(block, "tilgangsrestriksjon", screening.tilgangsrestriksjon,
           screening.tilgangsrestriksjon_beskrivelse, efm_text=screening.tilgangsrestriksjon)
    w.line(block, "skjermingshjemmel", screening.skjermingshjemmel)
    if w.variant == "eformidling":
        # M502 is mandatory (1..n) in the eFormidling skjerming type.
        for value in screening.skjerming_metadata:
            w.line(block, "skjermingMetadata", value)
        if document:
            w.el(block, "skjermingDokument", _SKJERMING_HELE_DOKUMENTET)
    if screening.skjerming_opphoerer_dato is not None:
        w.el(block, "skjermingOpphoererDato", _xs_date(screening.skjerming_opphoerer_dato))


def _documents(w: _Writer, parent: etree._Element, record: NoarkRecordInput) -> None:
    for number, document in enumerate(_ordered_documents(record), start=1):
        desc = w.el(parent, "dokumentbeskrivelse")
        w.el(desc, "systemID", str(_derived_id(record, f"dokumentbeskrivelse/{number}")))
        w.code(desc, "dokumenttype", document.document_type_code, document.document_type_name)
        w.code(desc, "dokumentstatus", _DOKUMENTSTATUS[0], _DOKUMENTSTATUS[1])
        title = _clean_line(document.title)
        if not title:
            raise ValueError(f"document {number} has an empty title")
        w.el(desc, "tittel", title)
        w.el(desc, "opprettetDato", _xs_datetime(record.captured_at))
        w.line(desc, "opprettetAv", record.archivist)
        w.code(desc, "tilknyttetRegistreringSom", _TILKNYTTET_CODE[document.role], document.role)
        w.el(desc, "dokumentnummer", str(number))
        w.el(desc, "tilknyttetDato", _xs_datetime(record.archived_at))
        w.line(desc, "tilknyttetAv", record.archivist)
        if record.screening is not None and record.screening.screen_documents:
            _screening_block(w, desc, record.screening, document=True)
        for index, item in enumerate(document.files, start=1):
            obj = w.el(desc, "dokumentobjekt")
            if w.variant == "fiks":
                w.el(obj, "systemID", str(_derived_id(record, f"dokumentobjekt/{number}/{index}")))
            # M005: all variants of this first archived version share version number 1.
            w.el(obj, "versjonsnummer", "1")
            w.code(obj, "variantformat", _VARIANT_CODE[item.variant_format], item.variant_format)
            if w.variant == "fiks":
                if item.pronom and _clean_line(item.pronom):
                    w.code(obj, "format", item.pronom, item.format_name)
                w.line(obj, "mimeType", item.mime_type)
            w.el(obj, "opprettetDato", _xs_datetime(item.created_at or record.captured_at))
            w.line(obj, "opprettetAv", record.archivist)
            if w.variant == "fiks":
                w.line(obj, "filnavn", item.display_name)
            w.el(obj, "referanseDokumentfil", item.filename)
            if w.variant == "fiks":
                w.el(obj, "sjekksum", item.sha256)
                w.el(obj, "sjekksumAlgoritme", _SHA256_NAME)
                if item.size_bytes <= _XS_INT_MAX:
                    w.el(obj, "filstoerrelse", str(item.size_bytes))


def _business_metadata(w: _Writer, parent: etree._Element, record: NoarkRecordInput) -> None:
    holder = w.el(parent, "virksomhetsspesifikkeMetadata")
    vsm = etree.SubElement(holder, f"{{{VSM_NAMESPACE}}}fangst", nsmap={"sc": VSM_NAMESPACE})
    vsm.set("versjon", "1")

    def put(name: str, value: str | int | None) -> None:
        if value is None:
            return
        text = _clean_line(str(value))
        if text:
            etree.SubElement(vsm, f"{{{VSM_NAMESPACE}}}{name}").text = text

    put("fangstID", str(record.system_id))
    meta = record.capture_metadata
    if meta is not None:
        put("plattform", meta.platform)
        put("url", meta.url)
        put("endeligUrl", meta.final_url if meta.final_url != meta.url else None)
        put("innleggID", meta.post_id)
        put("fangetDato", _xs_datetime(meta.captured_at))
        put("verktoey", meta.tool_name)
        put("verktoeyVersjon", meta.tool_version)
        put("warcSjekksum", meta.warc_sha256)
        put("warcSjekksumAlgoritme", _SHA256_NAME)
        put("fangststatus", meta.capture_status)
        put("antallKommentarerFanget", meta.comments_captured)
        put("antallKommentarerOppgitt", meta.comments_expected)
    put("virksomhet", record.organisation_name)
    put("organisasjonsnummer", record.organisation_number)
    # Fixity of every file: the eFormidling dialect has no sjekksum/filstoerrelse at all, and
    # Fiks' filstoerrelse (xs:int) cannot hold files of 2 GiB or more.
    for document in record.documents:
        for item in document.files:
            fixity = etree.SubElement(vsm, f"{{{VSM_NAMESPACE}}}fil")
            fixity.set("referanseDokumentfil", item.filename)
            fixity.set("sjekksum", item.sha256)
            fixity.set("sjekksumAlgoritme", _SHA256_NAME)
            fixity.set("filstoerrelse", str(item.size_bytes))
    if meta is not None:
        for key, value in meta.extra.items():
            key_text, value_text = _clean_line(key), _clean_text(value)
            if key_text and value_text:
                extra = etree.SubElement(vsm, f"{{{VSM_NAMESPACE}}}egenskap")
                extra.set("navn", key_text)
                extra.text = value_text


def _sender(w: _Writer, parent: etree._Element, record: NoarkRecordInput) -> None:
    sender = record.sender
    if sender is None:
        return
    part = w.el(parent, "korrespondansepart")
    w.code(part, "korrespondanseparttype", _AVSENDER[0], _AVSENDER[1])
    if w.variant == "fiks":
        w.el(part, "erBehandlingsansvarlig", "false")
    w.el(part, "korrespondansepartNavn", _clean_line(sender.display))
    # Noark 5 v3.1 keeps the internal case officer on the korrespondansepart (M305/M307).
    w.person(part, "administrativEnhet", record.administrative_unit or record.organisation_name)
    w.person(part, "saksbehandler", record.archivist)
    if w.variant == "fiks":
        screened = (
            record.screening is not None
            and _SKJERMING_NAVN_AVSENDER in record.screening.skjerming_metadata
        )
        if screened:
            w.el(part, "erSkjermet", "true")
        w.el(part, "erPersonnavn", "true" if sender.is_private_person else "false")


def _registration_core(w: _Writer, reg: etree._Element, record: NoarkRecordInput,
                       parent_ref: uuid.UUID | None) -> None:
    w.el(reg, "systemID", str(record.system_id))
    w.el(reg, "opprettetDato", _xs_datetime(record.archived_at))
    w.line(reg, "opprettetAv", record.archivist)
    w.el(reg, "arkivertDato", _xs_datetime(record.archived_at))
    w.line(reg, "arkivertAv", record.archivist)
    if w.variant == "eformidling":
        assert parent_ref is not None
        w.el(reg, "referanseForelderMappe", str(parent_ref))
    else:
        ref = w.el(reg, "referanseForelderMappe")
        case = record.case
        if case is None:
            assert parent_ref is not None
            w.el(ref, "systemID", str(parent_ref), mdk=True)
        else:
            if case.system_id is not None:
                w.el(ref, "systemID", str(case.system_id), mdk=True)
            if case.mappe_id is not None:
                w.el(ref, "mappeID", _clean_line(case.mappe_id), mdk=True)
            if case.saksaar is not None:
                number = w.el(ref, "saksnummer", mdk=True)
                w.el(number, "saksaar", str(case.saksaar), mdk=True)
                w.el(number, "sakssekvensnummer", str(case.sakssekvensnummer), mdk=True)
            if case.external_key is not None and _clean_line(case.external_key):
                _external_key(w, ref, record, case.external_key)
    if record.screening is not None:
        _screening_block(w, reg, record.screening, document=False)
    _documents(w, reg, record)
    w.el(reg, "tittel", _clean_line(record.title))
    w.el(reg, "offentligTittel", _public_title(record))
    w.text(reg, "beskrivelse", record.description)
    for word in record.keywords:
        w.line(reg, "noekkelord", word)
    _business_metadata(w, reg, record)
    _versions(w, reg, record)


def _external_key(w: _Writer, parent: etree._Element, record: NoarkRecordInput,
                  key: str) -> None:
    """Fiks ``referanseEksternNoekkel`` (M803): this system's own key of an object."""
    holder = w.el(parent, "referanseEksternNoekkel", mdk=True)
    w.el(holder, "fagsystem", _clean_line(record.system_name), mdk=True)
    w.el(holder, "noekkel", _clean_line(key), mdk=True)


def _versions(w: _Writer, reg: etree._Element, record: NoarkRecordInput) -> None:
    """A later version of a capture: a merknad saying what changed, and a cross-reference
    to the registration of the previous version (both dialects allow them here, after
    virksomhetsspesifikkeMetadata)."""
    if record.remark is not None and _clean_text(record.remark):
        note = w.el(reg, "merknad")
        w.el(note, "merknadstekst", _clean_text(record.remark))
        w.el(note, "merknadsdato", _xs_datetime(record.archived_at))
        w.line(note, "merknadRegistrertAv", record.archivist)
    previous = record.previous_registration
    if previous is None:
        return
    cross = w.el(reg, "kryssreferanse")
    if w.variant == "eformidling":
        w.el(cross, "referanseTilRegistrering", str(previous))
        return
    target = w.el(cross, "referanseTilRegistrering")
    w.el(target, "systemID", str(previous), mdk=True)
    # the key this system gave the earlier registrering (its referanseEksternNoekkel)
    _external_key(w, target, record, str(previous))


def _registration_tail(w: _Writer, reg: etree._Element, record: NoarkRecordInput,
                       jp_type: str | None) -> None:
    if jp_type is not None:
        w.code(reg, "journalposttype", jp_type, _JOURNALPOSTTYPE[jp_type])
        if w.variant == "eformidling":
            status = _JOURNALSTATUS_EFORMIDLING.get(record.journalstatus)
            if status is None:
                raise ValueError(
                    f"journalstatus {record.journalstatus!r} does not exist in eFormidling "
                    "(Noark 5 v3.1); use J, F, G, E, A or U"
                )
            w.el(reg, "journalstatus", status)
        else:
            w.code(reg, "journalstatus", record.journalstatus,
                   _JOURNALSTATUS_FIKS[record.journalstatus])
        w.el(reg, "journaldato", _xs_date(record.archived_at))
    if record.document_date is not None:
        w.el(reg, "dokumentetsDato", _xs_date(record.document_date))
    if jp_type == "I":
        w.el(reg, "mottattDato", _xs_datetime(record.captured_at))
    if jp_type == "U" and isinstance(record.document_date, datetime):
        w.el(reg, "sendtDato", _xs_datetime(record.document_date))
    attachments = sum(1 for d in record.documents if d.role == "Vedlegg")
    w.el(reg, "antallVedlegg", str(attachments))


def _build_eformidling(record: NoarkRecordInput) -> etree._Element:
    w = _Writer("eformidling")
    root = w.root
    w.line(root, "system", record.system_name)
    w.el(root, "meldingId", str(record.message_id or _derived_id(record, "melding/eformidling")))
    w.el(root, "tidspunkt", _xs_datetime(record.archived_at))
    w.el(root, "antallFiler", str(_file_count(record)))

    case = record.case
    folder = w.typed(root, "mappe", "saksmappe")
    folder_id = (case.system_id if case and case.system_id else None) or new_case_system_id(
        record.system_id)
    w.el(folder, "systemID", str(folder_id))
    if case is not None:
        # M003: mappeID continues "saksår/sekvensnummer"; only ever repeated, never made up.
        w.line(folder, "mappeID", case.mappe_id or (case.label if case.saksaar else None))
    case_title = (case.title if case and case.title else None) or record.title
    w.el(folder, "tittel", _clean_line(case_title))
    w.el(folder, "offentligTittel", _public_title(record, case_title))
    w.el(folder, "opprettetDato", _xs_datetime(record.archived_at))
    w.line(folder, "opprettetAv", record.archivist)
    if case is None:
        w.line(folder, "referanseArkivdel", record.arkivdel)

    post = w.typed(folder, "basisregistrering", "journalpost")
    jp_type = _effective_journalposttype(record, "eformidling")
    _registration_core(w, post, record, folder_id)
    _registration_tail(w, post, record, jp_type)
    _sender(w, post, record)

    # saksmappe's own elements follow the inherited mappe sequence (xs:extension).
    if case is not None and case.saksaar is not None:
        w.el(folder, "saksaar", str(case.saksaar))
        w.el(folder, "sakssekvensnummer", str(case.sakssekvensnummer))
    w.el(folder, "saksdato", _xs_date(record.archived_at))
    w.line(folder, "administrativEnhet", record.administrative_unit or record.organisation_name)
    w.line(folder, "saksansvarlig", record.archivist)
    w.el(folder, "saksstatus", _SAKSSTATUS[1])
    return root


def _build_fiks(record: NoarkRecordInput) -> etree._Element:
    w = _Writer("fiks")
    root = w.root
    w.line(root, "system", record.system_name)
    w.el(root, "antallFiler", str(_file_count(record)))

    folder_id: uuid.UUID | None = None
    if record.case is None:
        folder_id = new_case_system_id(record.system_id)
        folder = w.typed(root, "mappe", "saksmappe")
        w.el(folder, "systemID", str(folder_id))
        w.el(folder, "tittel", _clean_line(record.title))
        w.el(folder, "offentligTittel", _public_title(record))
        w.el(folder, "opprettetDato", _xs_datetime(record.archived_at))
        w.line(folder, "opprettetAv", record.archivist)
        if record.arkivdel and _clean_line(record.arkivdel):
            w.code(folder, "arkivdel", record.arkivdel, None)
        key = w.el(folder, "referanseEksternNoekkel")
        w.el(key, "fagsystem", _clean_line(record.system_name), mdk=True)
        w.el(key, "noekkel", str(folder_id), mdk=True)
        w.el(folder, "saksdato", _xs_date(record.archived_at))
        w.person(folder, "administrativEnhet",
                 record.administrative_unit or record.organisation_name)
        w.person(folder, "saksansvarlig", record.archivist)
        w.code(folder, "saksstatus", _SAKSSTATUS[0], _SAKSSTATUS[1])

    jp_type = _effective_journalposttype(record, "fiks")
    reg = w.typed(root, "registrering", record.kind)
    _registration_core(w, reg, record, folder_id)
    _sender(w, reg, record)
    key = w.el(reg, "referanseEksternNoekkel")
    w.el(key, "fagsystem", _clean_line(record.system_name), mdk=True)
    w.el(key, "noekkel", str(record.system_id), mdk=True)
    _registration_tail(w, reg, record, jp_type)
    return root


def _file_count(record: NoarkRecordInput) -> int:
    # antallFiler: attached files, not counting arkivmelding.xml itself.
    return len({f.filename for d in record.documents for f in d.files})


def build_arkivmelding(record: NoarkRecordInput, variant: Variant) -> bytes:
    """Serialise ``record`` as an arkivmelding of the given dialect.

    The result is UTF-8 with an XML declaration. It is not validated here; call
    :func:`validate_arkivmelding` (the package builder does).

    Raises:
        ValueError: If ``variant`` is unknown, or the record asks for something the dialect
            cannot express (e.g. journalstatus ``M`` in eFormidling).
    """
    if variant == "eformidling":
        root = _build_eformidling(record)
    elif variant == "fiks":
        root = _build_fiks(record)
    else:
        raise ValueError(f"unknown arkivmelding variant: {variant!r}")
    body: bytes = etree.tostring(root, encoding="UTF-8", pretty_print=True, xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
