"""From a capture to what the records system and the PDF say about it.

Maps the captured thread and the archivist's :class:`RecordOptions` to the registration
(title, public title, journalposttype, sender, case) and from there to the arkivmelding input
(:mod:`somecapture.package.noark`) and the PDF capture sheet (:mod:`somecapture.package.pdf`).
"""

from __future__ import annotations

import getpass
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from somecapture._version import __version__
from somecapture.messages import Msg, missing_reason, render
from somecapture.models import Artifact, CaptureResult
from somecapture.options import RecordOptions
from somecapture.package import noark
from somecapture.package.layout import (
    METADATA_NAME,
    METADATA_SCHEMA_NAME,
    PDF_NAME,
    PUBLIC_SCREENSHOT_NAME,
    PUBLIC_WARC_NAME,
    SCREENED_PDF_NAME,
    SCREENSHOT_NAME,
    WARC_NAME,
)
from somecapture.package.pdf import CaptureSheet, ThreadTextEntry
from somecapture.package.screening import (
    is_own_person,
    kind_word,
    mask_identifiers,
    private_names,
)
from somecapture.thread.diff import change_lines, change_summary, previous_version
from somecapture.thread.persons import Person
from somecapture.thread.times import BASIS_RELATIVE, parse_instant, shown_date

#: PRONOM identifiers of the package's formats (The National Archives' registry)
PRONOM = {
    PDF_NAME: ("fmt/477", "PDF/A-2b"),
    SCREENSHOT_NAME: ("fmt/13", "Portable Network Graphics 1.2"),
    WARC_NAME: ("fmt/1355", "WARC 1.1"),
    METADATA_NAME: ("fmt/817", "JSON"),
    METADATA_SCHEMA_NAME: ("fmt/817", "JSON (JSON Schema)"),
}
_TITLE_WORDS = 10
_TITLE_MAX = 120
#: the administrative unit an arkivmelding names when no organisation is configured (bokmål;
#: :func:`unknown_organisation` gives it in the agency's målform)
UNKNOWN_ORGANISATION = "Virksomhet ikke oppgitt"


def _doc(code: str, lang: str, **params: Any) -> str:
    """A package text in the agency's målform (``lang``)."""
    return render(Msg(code, **params), lang, "doc")


def unknown_organisation(lang: str) -> str:
    """"Virksomhet ikke oppgitt" in the målform ``lang``."""
    return _doc("noark.unknown_organisation", lang)
#: @handles in text (also Mastodon's @name@instance)
_MENTION_RE = re.compile(r"@[\w.\-]+(?:@[\w.\-]+)?")


@dataclass(frozen=True)
class Registration:
    """What is registered about one capture (shown in the app, stored in metadata)."""

    title: str
    public_title: str
    kind: str  # journalpost | arkivnotat
    journalposttype: str | None
    archivist: str
    organisation: str
    case: str | None
    sender_name: str | None
    sender_handle: str | None
    sender_is_private: bool
    screening: str | None
    access_code: str | None
    #: private persons' names and handles, masked in every ``offentligTittel`` (not stored:
    #: the thread in the metadata has them)
    masked_names: tuple[str, ...] = field(default=(), repr=False)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {k: v for k, v in self.__dict__.items() if k != "masked_names"}


def _first_words(text: str, words: int = _TITLE_WORDS) -> str:
    parts = text.split()
    short = " ".join(parts[:words])
    if len(parts) > words:
        short += " …"
    return short


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time from page data as an aware datetime, or None."""
    return parse_instant(value)


def shown_time(post: dict[str, Any]) -> str | None:
    """A post's time as the page showed it, for people: the stamp as shown, and what it was
    read as (the wall-clock date without a zone, or an age counted from the capture); a
    catalogue message where words are added (the PDF shows it in the målform)."""
    text = (post.get("published_text") or "").strip() or None
    local = post.get("published_local")
    span = post.get("published_range")
    if not isinstance(span, dict):
        span = {}
    read_as: Msg | None
    if local:
        read_as = Msg("sheet.time.no_zone", local=str(local))
    elif span.get("basis") == BASIS_RELATIVE:
        read_as = Msg("sheet.time.relative", earliest=str(span.get("earliest")),
                      latest=str(span.get("latest")))
    else:
        read_as = None
    if text and read_as:
        return Msg("sheet.time.shown_as", text=text, read_as=read_as)
    return text or read_as or (post.get("published_at") or None)


def default_archivist() -> str:
    """The logged-in user's name, when neither option nor config names the archivist."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "ukjent"


def registration_notes(record: RecordOptions) -> list[str]:
    """What the archivist should know about the registration before capturing: details the
    arkivmelding will lack because nothing was configured or given (not capture warnings:
    the capture itself is not affected). Catalogue messages (``note.no_*``), with advice
    for the command line and for the app."""
    if record.arkivmelding == "none":
        return []
    notes: list[str] = []
    if not (record.organisation or "").strip():
        notes.append(Msg("note.no_organisation",
                         unknown=unknown_organisation(record.maalform)))
    if not record.own_accounts and record.screened_variant:
        notes.append(Msg("note.no_own_accounts"))
    if not (record.case or "").strip():
        notes.append(Msg("note.no_case"))
    return notes


def registration_for(result: CaptureResult, record: RecordOptions) -> Registration:
    """Title, public title, journalposttype and sender for ``result``."""
    thread = result.thread or {}
    root = thread.get("root") or {}
    platform = str(thread.get("platform") or "Web")
    adapter = str(thread.get("adapter") or "generic")
    author = (root.get("author") or "").strip() or None
    handle = (root.get("handle") or "").strip() or None
    # the same rule as the screened variant's (by handle or profile address, never by name)
    own = is_own_person(Person("root", names=[author] if author else [],
                               handles=[handle] if handle else [],
                               urls=[root["author_url"]] if root.get("author_url") else []),
                        record, (adapter.lower(), platform.lower()))
    text = (root.get("text") or root.get("title") or "").strip()
    if record.title and record.title.strip():
        title = record.title.strip()
    else:
        who = author or handle or _doc("noark.unknown_sender", record.maalform)
        if not (author or handle) and root.get("source") == "page-metadata" and text:
            # the root stands for the page (a comments-only embed, a later page of a forum):
            # no post, so no sender to be unknown
            title = f"{platform}: {_first_words(text)}"
        else:
            title = f"{platform}: {who} – {_first_words(text)}" if text else f"{platform}: {who}"
        if len(title) > _TITLE_MAX:
            title = title[: _TITLE_MAX - 1].rstrip() + "…"
    # offentligTittel goes to public journals (eInnsyn): no private person's name in it —
    # not the author's (unless it is the agency's own account), not a replier's, not any
    # @mention in the post's first words
    names: list[str] = [] if own else [n for n in (author, handle) if n]
    # the same persons and forms the screened variant masks (screening.private_names)
    names += private_names(thread, record)
    names += [m for m in _MENTION_RE.findall(title) if not record.is_own_account(adapter, m)]
    # identity numbers, phone numbers and e-mail addresses go first: the screened variant's
    # rule, for a title that goes to public journals
    public = mask_identifiers(title)
    public = noark.mask_names(public, names) if names else public
    if record.arkivnotat:
        jp_type: str | None = None
    else:
        jp_type = record.journalposttype or ("U" if own else "I")
    return Registration(
        title=title,
        public_title=public,
        kind="arkivnotat" if record.arkivnotat else "journalpost",
        journalposttype=jp_type,
        archivist=(record.archivist or "").strip() or default_archivist(),
        organisation=(record.organisation or "").strip()
        or unknown_organisation(record.maalform),
        case=record.case.strip() if record.case else None,
        sender_name=author,
        sender_handle=handle,
        sender_is_private=not own,
        screening=record.screening,
        access_code=record.effective_access_code(),
        masked_names=tuple(dict.fromkeys(names)),
    )


def _noark_file(a: Artifact, variant: noark.VariantFormat, created: datetime
                ) -> noark.NoarkDocumentFile:
    puid, name = PRONOM.get(a.path.rsplit("/", 1)[-1], (None, None))
    return noark.NoarkDocumentFile(
        filename=a.path, sha256=a.sha256, size_bytes=a.size_bytes, mime_type=a.media_type,
        variant_format=variant, pronom=puid, format_name=name, created_at=created,
    )


def _case_reference(case: str | None, title: str) -> noark.NoarkCaseReference | None:
    if not case:
        return None
    if re.fullmatch(r"\s*\d{4}\s*/\s*\d{1,9}\s*", case):
        return noark.NoarkCaseReference.from_saksnummer(case)
    return noark.NoarkCaseReference(mappe_id=case)


def noark_input(
    result: CaptureResult,
    record: RecordOptions,
    reg: Registration,
    files: dict[str, Artifact],
    started: datetime,
    screened: dict[str, Any] | None = None,
) -> noark.NoarkRecordInput:
    """The arkivmelding input for a capture whose files are ``files`` (by package path);
    ``screened`` is the screened variant's facts (metadata ``screening``), if any."""
    thread = result.thread or {}
    root = thread.get("root") or {}
    now = datetime.now(UTC)
    lang = record.maalform
    main_files = [_noark_file(files[PDF_NAME], "Arkivformat", now)]
    if SCREENSHOT_NAME in files:
        main_files.append(_noark_file(files[SCREENSHOT_NAME], "Produksjonsformat", started))
    if SCREENED_PDF_NAME in files:
        # the same document with private persons' identities masked (Noark variant "O")
        main_files.append(_noark_file(files[SCREENED_PDF_NAME],
                                      "Dokument hvor deler av innholdet er skjermet", now))
    documents = [
        # dokumentbeskrivelse has no offentligTittel in either schema, and public journals
        # show document titles: the masked title, so no private person's name is in it
        # the titles in the agency's målform; the variant formats and roles are Noark's own
        # code values, which have one spelling
        noark.NoarkDocument(title=_doc("noark.doc.screenshot", lang, title=reg.public_title),
                            role="Hoveddokument", files=tuple(main_files)),
        noark.NoarkDocument(title=_doc("noark.doc.warc", lang), role="Vedlegg",
                            files=(_noark_file(files[WARC_NAME], "Produksjonsformat",
                                               started),)),
        noark.NoarkDocument(title=_doc("noark.doc.metadata", lang), role="Vedlegg",
                            files=(_noark_file(files[METADATA_NAME], "Produksjonsformat",
                                               now),)),
    ]
    for name, title in ((PUBLIC_SCREENSHOT_NAME, _doc("noark.doc.public_screenshot", lang)),
                        (PUBLIC_WARC_NAME, _doc("noark.doc.public_warc", lang))):
        if name in files:
            documents.append(noark.NoarkDocument(
                title=title, role="Vedlegg",
                files=(_noark_file(files[name], "Produksjonsformat", started),)))
    if METADATA_SCHEMA_NAME in files:
        documents.append(noark.NoarkDocument(
            title=_doc("noark.doc.schema", lang), role="Vedlegg",
            files=(_noark_file(files[METADATA_SCHEMA_NAME], "Produksjonsformat", now),)))
    comp = result.completeness or {}
    reported = comp.get("reported") or {}
    expected = reported.get("comments", reported.get("replies"))
    screening = None
    if reg.screening and reg.access_code:
        screening = noark.NoarkScreening(tilgangsrestriksjon=reg.access_code,
                                         skjermingshjemmel=reg.screening)
    sender = None
    if reg.sender_name or reg.sender_handle:
        sender = noark.NoarkSender(name=reg.sender_name, handle=reg.sender_handle,
                                   is_private_person=reg.sender_is_private)
    case = _case_reference(reg.case, reg.title)
    version = _version_links(result, case, lang)
    return noark.NoarkRecordInput(
        system_id=uuid.UUID(result.capture_id),
        title=reg.title,
        public_title=reg.public_title,
        names_to_mask=reg.masked_names,
        archivist=reg.archivist,
        organisation_name=reg.organisation,
        organisation_number=record.organisation_number,
        arkivdel=record.arkivdel,
        captured_at=started,
        archived_at=now,
        documents=tuple(documents),
        # the post's own date whenever the page shows one (also a date without a zone)
        document_date=parse_time(root.get("published_at")) or shown_date(root) or started,
        kind="arkivnotat" if reg.kind == "arkivnotat" else "journalpost",
        journalposttype=reg.journalposttype,  # type: ignore[arg-type]  # checked I/U
        sender=sender,
        case=version.case,
        screening=screening,
        description=record.note,
        previous_registration=version.previous,
        remark=version.remark,
        capture_metadata=noark.CaptureMetadata(
            platform=str(thread.get("platform") or "Web"),
            url=result.url,
            final_url=result.final_url,
            captured_at=started,
            tool_name="somecapture",
            tool_version=__version__,
            warc_sha256=files[WARC_NAME].sha256,
            post_id=str(root["id"]) if root.get("id") else None,
            capture_status=result.status.value,
            comments_captured=comp.get("captured_replies"),
            comments_expected=expected if isinstance(expected, int) else None,
            extra={**version.extra, **_screening_properties(screened, lang)},
        ),
    )


def _screening_properties(screening: dict[str, Any] | None, lang: str = "nb"
                          ) -> dict[str, str]:
    """The screened variant's provenance as ``egenskap`` entries (counts, never a name), in
    the målform ``lang`` (the names of the properties are the schema's own)."""
    if not screening:
        return {}
    masks = screening.get("masks") or {}
    in_text = screening.get("masked_in_text") or {}
    out = {
        "skjermetVariant.fil": screening.get("file") or _doc("screen.none", lang),
        "skjermetVariant.privatpersoner": str(screening.get("private_persons", 0)),
        "skjermetVariant.pseudonymer": screening.get("pseudonyms") or "",
        "skjermetVariant.tekstSkjermet": _doc("screen.yes_no", lang, value="yes"
                                              if screening.get("screen_text") else "no"),
        "skjermetVariant.maskerISkjermbilde": ", ".join(
            f"{kind_word(k, lang)}: {v}" for k, v in sorted(masks.items())) or "0",
        "skjermetVariant.skjermetITekst": ", ".join(
            f"{kind_word(k, lang)}: {v}" for k, v in sorted(in_text.items())) or "0",
        "skjermetVariant.kontroll": render(screening.get("read_back"), lang, "doc"),
        "skjermetVariant.problemer": "; ".join(
            render(p, lang, "doc") for p in screening.get("problems") or []),
        "skjermetVariant.kanIkkeSkjermes": screening.get("cannot_catch") or "",
    }
    return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class _VersionLinks:
    """How a later version of a watched thread is tied to the earlier ones in Noark."""

    case: noark.NoarkCaseReference | None
    previous: uuid.UUID | None = None
    remark: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _version_links(result: CaptureResult, case: noark.NoarkCaseReference | None,
                   lang: str = "nb") -> _VersionLinks:
    """A first capture: its case as given. A later version (``result.changes``): the first
    capture's case -- as given then (the pipeline passed it on), or else the new case folder
    the first capture asked for, named by the systemID (and, in Fiks, the external key) that
    first arkivmelding gave it -- a merknad saying what changed, a cross-reference to the
    previous version's registrering, and both captures' ids in the business metadata.
    Nothing here is a journal or case number: those stay the records system's."""
    changes = result.changes
    if not changes:
        return _VersionLinks(case)
    first = uuid.UUID(str(changes["first_capture"]))
    previous = uuid.UUID(str(changes["previous_capture"]))
    if case is None:
        folder = noark.new_case_system_id(first)
        case = noark.NoarkCaseReference(system_id=folder, external_key=str(folder))
    counts = changes.get("counts") or {}
    version = changes.get("version")
    earlier = previous_version(changes)
    summary = change_summary(changes, lang)
    remark = (_doc("noark.remark.version", lang, version=str(version), earlier=str(earlier),
                   previous=str(previous), summary=summary, first=str(first)) if earlier else
              _doc("noark.remark.new_version", lang, previous=str(previous), summary=summary,
                   first=str(first)))
    extra = {
        "forrigeFangstID": str(previous),
        "foersteFangstID": str(first),
        "versjon": str(version or ""),
        "nyeSvar": str(int(counts.get("new_replies") or 0)),
        "endredeSvar": str(int(counts.get("edited_replies") or 0)),
        "svarIkkeLengerObservert": str(int(counts.get("no_longer_observed") or 0)),
        "innleggEndret": "true" if changes.get("root_edited") else "false",
        "svarIkkeLest": str(int(counts.get("not_read") or 0)),
        "innleggIkkeLengerObservert": "true" if changes.get("root_no_longer_observed")
        else "false",
        "innleggUtilgjengelig": str(changes.get("post_unavailable") or ""),
        "ikkeSammenlignet": "true" if changes.get("not_compared") else "",
    }
    return _VersionLinks(case, previous, remark, {k: v for k, v in extra.items() if v})


def capture_sheet(result: CaptureResult, reg: Registration, record: RecordOptions,
                  warc_sha256: str, screenshot_sha256: str | None, started: datetime
                  ) -> CaptureSheet:
    """Page 1 of the PDF rendition."""
    thread = result.thread or {}
    root = thread.get("root") or {}
    comp = result.completeness or {}
    reported = comp.get("reported") or {}
    expected = reported.get("comments", reported.get("replies"))
    author = None
    if reg.sender_name or reg.sender_handle:
        author = " ".join(x for x in (reg.sender_name, f"({reg.sender_handle})"
                                      if reg.sender_handle else None) if x)
    notes: list[str] = list(result.warnings)
    for miss in comp.get("missing", []):
        notes.append(Msg("sheet.missing_note", count=str(miss.get("count") or "?"),
                         reason=missing_reason(miss)))
    return CaptureSheet(
        title=reg.title,
        url=result.url,
        final_url=result.final_url if result.final_url != result.url else None,
        captured_at=started,
        archivist=reg.archivist,
        capture_id=result.capture_id,
        tool_name="somecapture",
        tool_version=__version__,
        warc_sha256=warc_sha256,
        screenshot_sha256=screenshot_sha256,
        certificates=certificates_text(result.provenance.get("tls"),
                                       result.final_url or result.url, record.maalform),
        status=result.status.value,
        platform=str(thread.get("platform") or "Web"),
        post_id=str(root["id"]) if root.get("id") else None,
        author=author,
        published_at=parse_time(root.get("published_at")),
        published_shown=None if parse_time(root.get("published_at")) else shown_time(root),
        organisation=record.organisation,
        case_reference=reg.case,
        comments_captured=comp.get("captured_replies"),
        comments_expected=expected if isinstance(expected, int) else None,
        notes=tuple(notes),
        changes=tuple(change_lines(result.changes, record.maalform)) if result.changes
        else (),
        language=record.maalform,
    )


def certificates_text(tls: Any, page_url: str, lang: str = "nb") -> str | None:
    """The capture sheet's certificate field: the page's own origin's certificate (subject,
    issuer, validity, SHA-256 of the leaf) and a count of the other HTTPS origins, whose
    chains are in the WARC. None when the provenance has no ``tls`` (older captures)."""
    if not isinstance(tls, dict):
        return None
    origins = [o for o in tls.get("origins") or [] if isinstance(o, dict)]
    total = int(tls.get("origins_total") or len(origins))
    page = page_url.lower()
    own = next((o for o in origins if page == str(o.get("origin", "")).lower()
                or page.startswith(str(o.get("origin", "")).lower() + "/")), None)
    lines: list[str] = []
    if own is not None:
        lines.append(f"{own.get('origin')} ({own.get('protocol') or 'TLS'})")
        lines.append(_doc("cert.subject", lang, value=str(own.get("subject") or "?")))
        lines.append(_doc("cert.issuer", lang, value=str(own.get("issuer") or "?")))
        lines.append(_doc("cert.valid", lang, **{"from": str(own.get("valid_from") or "?"),
                                                 "to": str(own.get("valid_to") or "?")}))
        fingerprint = str(own.get("sha256") or "")
        lines.append("SHA-256: " + (" ".join(fingerprint[i:i + 8] for i in
                                             range(0, len(fingerprint), 8))
                                    or _doc("cert.not_available", lang)))
        if own.get("accepted_by_browser") is False:
            lines.append(_doc("cert.not_accepted", lang,
                              error=str(own.get("certificate_error"))))
        others = total - 1
    elif page.startswith("https:"):
        lines.append(_doc("cert.not_recorded", lang))
        others = total
    else:
        lines.append(_doc("cert.no_tls", lang))
        others = total
    if others > 0:
        refused = len(tls.get("not_accepted") or []) - (
            1 if own is not None and own.get("accepted_by_browser") is False else 0)
        lines.append(_doc("cert.others", lang, count=others, refused=max(0, refused)))
    elif own is not None:
        lines.append(_doc("cert.chain_in_warc", lang))
    return "\n".join(lines)


def thread_text(result: CaptureResult, lang: str = "nb") -> list[ThreadTextEntry]:
    """The thread as text entries for the PDF appendix, indented by reply depth (``lang``:
    the målform of the words the appendix adds, "ukjent")."""
    thread = result.thread or {}
    root = thread.get("root") or {}
    entries: list[ThreadTextEntry] = []
    unknown = _doc("sheet.unknown", lang)
    if root.get("text") or root.get("author"):
        entries.append(ThreadTextEntry(
            author=root.get("author") or root.get("handle") or unknown,
            handle=root.get("handle"), text=root.get("text") or "", depth=0,
            posted_at=parse_time(root.get("published_at")),
            posted_at_text=None if parse_time(root.get("published_at")) else shown_time(root),
        ))
    replies = thread.get("replies") or []
    parents = {r.get("id"): r.get("parent_id") for r in replies}
    root_id = root.get("id")

    def depth(reply_id: Any) -> int:
        d, seen = 1, {reply_id}
        parent = parents.get(reply_id)
        while parent is not None and parent != root_id and parent in parents \
                and parent not in seen and d < 50:
            seen.add(parent)
            d += 1
            parent = parents.get(parent)
        return d

    for r in replies:
        when = parse_time(r.get("published_at"))
        entries.append(ThreadTextEntry(
            author=r.get("author") or r.get("handle") or unknown, handle=r.get("handle"),
            text=r.get("text") or "", depth=depth(r.get("id")), posted_at=when,
            posted_at_text=None if when else shown_time(r),
        ))
    return entries
