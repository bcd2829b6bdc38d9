"""What the files of a package say about each other, compared.

A package states the same facts in several places: the capture id, the times, the addresses,
the status, who archived it in which case, and the SHA-256 of every file. A person who changes
one file and recomputes the bag's checksums leaves the others saying something else; each
disagreement is reported naming the file and the field, and what the other file says.

Where each fact is written (see :mod:`somecapture.package.builder`, :mod:`.record`,
:mod:`.noark`, :mod:`somecapture.engine.provenance`):

* ``capture-metadata.json``: ``capture_id``, ``captured_at``/``finished_at``,
  ``requested_url``/``url``/``final_url``, ``status``, ``registration`` (title, kind,
  journalposttype, archivist, case, organisation) and ``files`` (every payload file except
  itself and the arkivmelding, which lists it: one of the two has to leave the other out);
* ``arkivmelding.xml``: the registration's ``systemID`` (the capture id), titles, archivist,
  case, journalposttype, ``sc:fangst`` (capture id, url, final url, capture time, status, and
  ``sc:fil`` with the SHA-256 and size of every other payload file);
* ``bag-info.txt``: ``External-Identifier`` (capture id), ``External-Description`` (address
  and status), ``Contact-Name`` (archivist), ``Bag-Group-Identifier`` (case),
  ``Internal-Sender-Description`` (title), ``Source-Organization``;
* the WARC: ``warcinfo`` (capture id and address), the ``metadata`` record
  ``urn:somecapture:<id>:provenance`` (capture id, start time, requested, normalized and final
  address, main document status), the screenshot as a ``resource`` record, every record's
  ``WARC-Date`` (between the capture's start and end).
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from somecapture.messages import Msg
from somecapture.package import noark
from somecapture.package.layout import (
    ARKIVMELDING_NAME,
    METADATA_NAME,
    SCREENSHOT_NAME,
    WARC_NAME,
)
from somecapture.thread.times import parse_instant

_VSM = f"{{{noark.VSM_NAMESPACE}}}"
_SELF_LISTED = {METADATA_NAME, ARKIVMELDING_NAME}
#: WARC records are written after the capture starts and before the metadata is; the
#: second pass that redacts late-learned secrets keeps every record's date
_CLOCK_SLACK = timedelta(seconds=2)


def _line(value: Any) -> str:
    """A single-line field as every writer stores it (NFC, runs of whitespace as one space)."""
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def _case_text(value: Any) -> str:
    """A case as written in either place: a saksnummer (``2026 / 0123``) as ``2026/123``."""
    text = _line(value)
    match = re.fullmatch(r"(\d{4})\s*/\s*(\d{1,9})", text)
    return f"{match[1]}/{int(match[2])}" if match else text


#: the provenance key the pipeline adds after the WARC's provenance record was written
_ADDED_AFTER_WARC = "seal"


def _first_difference(theirs: Any, ours: Any, path: str = "") -> str | None:
    """The path (``.key``, ``[i]``) of the first value where ``theirs`` and ``ours`` differ;
    None when they are equal."""
    if isinstance(theirs, dict) and isinstance(ours, dict):
        for key in sorted(set(theirs) | set(ours), key=str):
            found = _first_difference(theirs.get(key), ours.get(key), f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(theirs, list) and isinstance(ours, list) and len(theirs) == len(ours):
        for i, (a, b) in enumerate(zip(theirs, ours, strict=True)):
            found = _first_difference(a, b, f"{path}[{i}]")
            if found is not None:
                return found
        return None
    return None if theirs == ours else path


def _pick(value: Any, path: str) -> Any:
    """The value at ``path`` (as :func:`_first_difference` writes it) inside ``value``."""
    for part in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path):
        key, index = part
        if index:
            value = value[int(index)] if isinstance(value, list) else None
        else:
            value = value.get(key) if isinstance(value, dict) else None
    return value


def _compare_copy(check: CrossCheck, where: str, name: str, theirs: Any, other: str,
                  ours: Any) -> None:
    """Name the first nested value where the WARC's copy and the metadata's differ."""
    path = _first_difference(theirs, ours)
    if path is not None:
        check.differ(where, f"{name}{path}", _pick(theirs, path), f"{other}{path}",
                     _pick(ours, path))




@dataclass
class WarcFacts:
    """What the WARC says about the capture (read once, headers and three small records)."""

    warcinfo: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, Any] | None = None
    provenance_uri: str | None = None
    refers_to: set[str] = field(default_factory=set)
    screenshot_sha256: str | None = None
    screenshot_uri: str | None = None
    first_date: datetime | None = None
    last_date: datetime | None = None


def read_warc_facts(path: Path) -> WarcFacts:
    """The warcinfo fields, the provenance record, the screenshot's digest, the date range."""
    facts = WarcFacts()
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            headers = record.rec_headers
            moment = parse_instant(headers.get_header("WARC-Date"))
            if moment is not None:
                facts.first_date = min(facts.first_date or moment, moment)
                facts.last_date = max(facts.last_date or moment, moment)
            kind = record.rec_type
            uri = headers.get_header("WARC-Target-URI") or ""
            if kind == "warcinfo" and not facts.warcinfo:
                text = record.content_stream().read().decode("utf-8", "replace")
                for line in text.splitlines():
                    key, sep, value = line.partition(":")
                    if sep:
                        facts.warcinfo[key.strip()] = value.strip()
            elif kind == "metadata" and uri.endswith(":provenance"):
                facts.provenance_uri = uri
                facts.refers_to.add(headers.get_header("WARC-Refers-To-Target-URI") or "")
                try:
                    facts.provenance = json.loads(record.content_stream().read())
                except ValueError:
                    facts.provenance = None
            elif kind == "resource" and uri.endswith(f":{SCREENSHOT_NAME}"):
                facts.screenshot_uri = uri
                facts.refers_to.add(headers.get_header("WARC-Refers-To-Target-URI") or "")
                digest = headers.get_header("WARC-Payload-Digest") or ""
                facts.screenshot_sha256 = _b32_hex(digest)
    return facts


def _b32_hex(digest: str) -> str | None:
    algo, _, value = digest.partition(":")
    if algo.lower() != "sha256":
        return None
    try:
        return base64.b32decode(value.upper()).hex()
    except ValueError:
        return None


def read_bag_info(path: Path) -> dict[str, str]:
    """``bag-info.txt`` as a dict (first value of each label; folded lines joined)."""
    info: dict[str, str] = {}
    last = None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return info
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and last:
            info[last] += " " + line.strip()
            continue
        key, sep, value = line.partition(":")
        if sep:
            last = key.strip()
            info.setdefault(last, value.strip())
    return info


def read_manifest(path: Path) -> dict[str, str]:
    """``manifest-sha256.txt``: payload path (under ``data/``) -> SHA-256."""
    listed: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return listed
    for line in lines:
        parts = line.split(maxsplit=1)
        if len(parts) == 2 and parts[1].startswith("data/"):
            rel = parts[1].strip()[5:]
            listed[rel.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")] = \
                parts[0].lower()
    return listed


class CrossCheck:
    """Compares what the package's files say about the capture; collects the disagreements."""

    def __init__(self, bag_dir: Path, meta: dict[str, Any]) -> None:
        self.bag = bag_dir
        self.data = bag_dir / "data"
        self.meta = meta
        self.problems: list[str] = []
        self.manifest = read_manifest(bag_dir / "manifest-sha256.txt")
        self.info = read_bag_info(bag_dir / "bag-info.txt")
        self.reg: dict[str, Any] = meta.get("registration") or {}
        if not isinstance(self.reg, dict):
            self.reg = {}

    def differ(self, where: str, field_name: str, found: Any, other: str, expected: Any
               ) -> None:
        """Record that ``where``'s ``field_name`` says ``found`` where ``other`` says
        ``expected`` (a catalogue message; the values as Python writes them)."""
        self.problems.append(Msg("check.differ", where=where, field=field_name,
                                 found=repr(found), other=other, expected=repr(expected)))

    def run(self) -> list[str]:
        """Every comparison; the problems found."""
        self.files()
        self.bag_info()
        warc = self.data / WARC_NAME
        if warc.is_file():
            try:
                facts = read_warc_facts(warc)
            except Exception as exc:  # noqa: BLE001 - the WARC check names the damage
                self.problems.append(Msg("check.warc_unreadable", file=f"data/{WARC_NAME}",
                                         detail=str(exc)))
            else:
                self.warc(facts)
        xml = self.data / ARKIVMELDING_NAME
        if xml.is_file():
            self.arkivmelding(xml)
        elif self.reg.get("arkivmelding") not in (None, "none"):
            self.problems.append(Msg("check.arkivmelding_missing",
                                     file=f"data/{ARKIVMELDING_NAME}", meta=METADATA_NAME,
                                     variant=str(self.reg.get("arkivmelding"))))
        return self.problems

    # -- the metadata's file list and the bag manifest ----------------------------------
    def files(self) -> None:
        """Every payload file but two is in the metadata's list, with the manifest's digest."""
        listed = {str(f.get("path")): f for f in self.meta.get("files") or []
                  if isinstance(f, dict)}
        where = f"data/{METADATA_NAME}"
        for rel, digest in sorted(self.manifest.items()):
            if rel in _SELF_LISTED:
                continue
            entry = listed.get(rel)
            if entry is None:
                self.problems.append(Msg("check.not_listed", where=where,
                                         file=f"data/{rel}"))
            elif entry.get("sha256") != digest:
                self.differ(where, f"files[{rel}].sha256", entry.get("sha256"),
                            "manifest-sha256.txt", digest)
        for rel in sorted(set(listed) - set(self.manifest)):
            self.problems.append(Msg("check.listed_not_in_manifest", where=where,
                                     file=f"data/{rel}"))

    # -- bag-info.txt ---------------------------------------------------------------------
    def bag_info(self) -> None:
        """bag-info.txt against the metadata."""
        where, meta = "bag-info.txt", f"{METADATA_NAME}"
        info, reg = self.info, self.reg
        status = self.meta.get("status")
        address = self.meta.get("final_url") or self.meta.get("url")
        described = f"Capture of {_line(address)} ({status})"
        if info.get("External-Description", described) != described:
            self.differ(where, "External-Description", info.get("External-Description"),
                        meta, described)
        pairs = (("Contact-Name", reg.get("archivist"), "registration.archivist"),
                 ("Bag-Group-Identifier", reg.get("case"), "registration.case"),
                 ("Internal-Sender-Description", reg.get("title"), "registration.title"),
                 ("Source-Organization", (self.meta.get("record") or {}).get("organisation"),
                  "record.organisation"))
        for label, expected, name in pairs:
            same = (_case_text(info.get(label)) == _case_text(expected) if label ==
                    "Bag-Group-Identifier" else _line(info.get(label)) == _line(expected))
            if not same:
                self.differ(where, label, info.get(label), f"{meta} {name}", expected)
        captured = parse_instant(self.meta.get("captured_at"))
        bagged = info.get("Bagging-Date")
        if captured and bagged and bagged < captured.date().isoformat():
            self.differ(where, "Bagging-Date", bagged, f"{meta} captured_at",
                        self.meta.get("captured_at"))

    # -- the WARC -----------------------------------------------------------------------
    def warc(self, facts: WarcFacts) -> None:
        """The WARC's own records against the metadata."""
        where, meta, cid = f"data/{WARC_NAME}", METADATA_NAME, self.meta.get("capture_id")
        description = facts.warcinfo.get("description", "")
        url = self.meta.get("url")
        expected = f"somecapture capture {cid} of {url}"
        if description != expected:
            self.differ(where, "warcinfo description", description, meta, expected)
        prov = facts.provenance
        if prov is None:
            self.problems.append(Msg("check.no_provenance", where=where))
        else:
            for key, theirs, name in (
                    ("capture_id", "capture_id", "capture_id"),
                    ("started_at", "captured_at", "captured_at"),
                    ("requested_url", "requested_url", "requested_url"),
                    ("normalized_url", "url", "url"),
                    ("final_url", "final_url", "final_url")):
                if prov.get(key) != self.meta.get(theirs):
                    self.differ(where, f"provenance {key}", prov.get(key), meta,
                                self.meta.get(name))
            self._provenance(prov)
        if facts.provenance_uri and facts.provenance_uri != f"urn:somecapture:{cid}:provenance":
            self.differ(where, "provenance record URI", facts.provenance_uri, meta,
                        f"urn:somecapture:{cid}:provenance")
        page = self.meta.get("final_url") or url
        for refers in sorted(facts.refers_to - {page}):
            self.differ(where, "WARC-Refers-To-Target-URI", refers, f"{meta} final_url",
                        page)
        shot = self.manifest.get(SCREENSHOT_NAME)
        if facts.screenshot_sha256 and shot and facts.screenshot_sha256 != shot:
            self.problems.append(Msg("check.screenshot_other", file=f"data/{SCREENSHOT_NAME}",
                                     ours=shot[:16], theirs=facts.screenshot_sha256[:16]))
        self._warc_dates(facts)

    def _provenance(self, prov: dict[str, Any]) -> None:
        """The metadata's provenance (and its ``browser``, ``environment``, ``options``) is a
        copy of the WARC's provenance record, key by key and to the last nested value (e.g.
        ``tls[*].accepted_by_browser``). The one key added after the WARC was written
        (``seal``, the stamping's outcome) is in neither."""
        where, meta = f"data/{WARC_NAME}", METADATA_NAME
        ours = self.meta.get("provenance")
        copied: dict[str, Any] = dict(ours) if isinstance(ours, dict) else {}
        copied.pop(_ADDED_AFTER_WARC, None)
        for key in sorted(copied):
            _compare_copy(self, where, f"provenance {key}", prov.get(key),
                          f"{meta} provenance.{key}", copied[key])
        for key in ("browser", "environment", "options"):
            if key in self.meta:
                _compare_copy(self, where, f"provenance {key}", prov.get(key),
                              f"{meta} {key}", self.meta[key])

    def _warc_dates(self, facts: WarcFacts) -> None:
        where = f"data/{WARC_NAME}"
        start = parse_instant(self.meta.get("captured_at"))
        end = parse_instant(self.meta.get("finished_at"))
        if start and end and end < start:
            self.differ(f"data/{METADATA_NAME}", "finished_at", self.meta.get("finished_at"),
                        "captured_at", self.meta.get("captured_at"))
        if start and facts.first_date and facts.first_date < start - _CLOCK_SLACK:
            self.problems.append(Msg("check.records_before", where=where,
                                     date=facts.first_date.isoformat(), meta=METADATA_NAME,
                                     captured=str(self.meta.get("captured_at"))))
        if end and facts.last_date and facts.last_date > end + _CLOCK_SLACK:
            self.problems.append(Msg("check.records_after", where=where,
                                     date=facts.last_date.isoformat(), meta=METADATA_NAME,
                                     finished=str(self.meta.get("finished_at"))))

    # -- arkivmelding.xml ---------------------------------------------------------------
    def arkivmelding(self, path: Path) -> None:
        """The arkivmelding against the metadata, bag-info and the manifest."""
        try:
            root = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                          no_network=True)).getroot()
        except (OSError, etree.XMLSyntaxError):
            return  # the XSD check reports an unreadable arkivmelding
        ns = etree.QName(root).namespace or ""
        read = _Reader(root, ns)
        where, meta, cid = f"data/{ARKIVMELDING_NAME}", METADATA_NAME, self.meta.get("capture_id")
        reg = read.registration()
        if reg is None:
            self.problems.append(Msg("check.no_registration", where=where))
            return
        if read.text(reg, "systemID") != cid:
            self.differ(where, "systemID", read.text(reg, "systemID"), f"{meta} capture_id", cid)
        title = self.reg.get("title")
        if read.text(reg, "tittel") != _line(title):
            self.differ(where, "tittel", read.text(reg, "tittel"),
                        f"{meta} registration.title", _line(title))
        archivist = _line(self.reg.get("archivist"))
        for tag in ("arkivertAv", "opprettetAv"):
            if read.text(reg, tag) != archivist:
                self.differ(where, tag, read.text(reg, tag),
                            f"{meta} registration.archivist", archivist)
        self._journalposttype(read, reg, where)
        self._case(read, where)
        self._fangst(read, reg, where)

    def _journalposttype(self, read: _Reader, reg: etree._Element, where: str) -> None:
        kind = self.reg.get("kind")
        code = self.reg.get("journalposttype")
        if kind == "journalpost":
            expected: str | None = code or "I"
        else:
            expected = None if read.variant == "fiks" else (code or "X")
        found = read.journalposttype(reg)
        if found != expected:
            self.differ(where, "journalposttype", found,
                        f"{METADATA_NAME} registration.journalposttype", expected)
        # eFormidling files an arkivnotat as an internal journalpost: only Fiks tells them apart
        registered = read.registration_kind(reg)
        if read.variant == "fiks" and registered and kind and registered != kind:
            self.differ(where, "registration type", registered,
                        f"{METADATA_NAME} registration.kind", kind)

    def _case(self, read: _Reader, where: str) -> None:
        case = self.reg.get("case")
        found = read.case()
        if _case_text(found) != _case_text(case):
            self.differ(where, "case (saksnummer/mappeID)", found,
                        f"{METADATA_NAME} registration.case", case)

    def _fangst(self, read: _Reader, reg: etree._Element, where: str) -> None:
        fangst = reg.find(f"{read.q('virksomhetsspesifikkeMetadata')}/{_VSM}fangst")
        if fangst is None:
            # the element's name is the schema's (an identifier, not a word of the text)
            self.problems.append(Msg("check.no_business_metadata", where=where,
                                     element="sc:fangst"))
            return

        def vsm(name: str) -> str | None:
            el = fangst.find(f"{_VSM}{name}")
            return el.text if el is not None else None

        meta = METADATA_NAME
        requested = self.meta.get("requested_url")
        final = self.meta.get("final_url")
        captured = parse_instant(self.meta.get("captured_at"))
        expected: dict[str, Any] = {
            "fangstID": self.meta.get("capture_id"),
            "url": _line(requested),
            "endeligUrl": _line(final) if final and final != requested else None,
            "fangststatus": self.meta.get("status"),
            "fangetDato": captured.replace(microsecond=0).isoformat().replace("+00:00", "Z")
            if captured else None,
            "warcSjekksum": self.manifest.get(WARC_NAME),
        }
        for name, value in expected.items():
            if vsm(name) != value:
                other = "manifest-sha256.txt" if name == "warcSjekksum" else meta
                self.differ(where, f"sc:{name}", vsm(name), other, value)
        # a later version of a watched thread names the capture it was compared with
        props = {el.get("navn"): el.text for el in fangst.findall(f"{_VSM}egenskap")}
        if props.get("forrigeFangstID") != self.meta.get("previous_capture"):
            self.differ(where, "sc:egenskap forrigeFangstID", props.get("forrigeFangstID"),
                        f"{meta} previous_capture", self.meta.get("previous_capture"))
        stated = {el.get("referanseDokumentfil"): el for el in fangst.findall(f"{_VSM}fil")}
        for rel, digest in sorted(self.manifest.items()):
            if rel == ARKIVMELDING_NAME:
                continue
            el = stated.get(rel)
            if el is None:
                self.problems.append(Msg("check.fil_not_listed", where=where,
                                         element="sc:fil", file=f"data/{rel}"))
                continue
            if el.get("sjekksum") != digest:
                self.differ(where, f"sc:fil {rel} sjekksum", el.get("sjekksum"),
                            "manifest-sha256.txt", digest)
            size = (self.data / rel).stat().st_size if (self.data / rel).is_file() else None
            if size is not None and el.get("filstoerrelse") != str(size):
                self.differ(where, f"sc:fil {rel} filstoerrelse", el.get("filstoerrelse"),
                            Msg("check.size_of", file=f"data/{rel}"), str(size))
        for rel in sorted(set(stated) - set(self.manifest)):
            self.problems.append(Msg("check.fil_extra", where=where, element="sc:fil",
                                     file=rel))


class _Reader:
    """Reads the fields the cross-check needs from either arkivmelding dialect."""

    def __init__(self, root: etree._Element, ns: str) -> None:
        self.root = root
        self.ns = ns
        self.variant = "fiks" if "fiks" in ns else "eformidling"

    def q(self, name: str) -> str:
        """The qualified tag ``name`` in the arkivmelding's namespace."""
        return f"{{{self.ns}}}{name}"

    def text(self, parent: etree._Element, name: str) -> str | None:
        """Text of the direct child ``name``, whitespace folded (None when absent)."""
        el = parent.find(self.q(name))
        return _line(el.text) if el is not None and el.text is not None else None

    def registration(self) -> etree._Element | None:
        """The journalpost/arkivnotat element."""
        if self.variant == "eformidling":
            return self.root.find(f"{self.q('mappe')}/{self.q('basisregistrering')}")
        return self.root.find(self.q("registrering"))

    def registration_kind(self, reg: etree._Element) -> str | None:
        """``journalpost`` or ``arkivnotat`` from xsi:type."""
        kind = reg.get("{http://www.w3.org/2001/XMLSchema-instance}type")
        return kind.rsplit(":", 1)[-1] if kind else None

    def journalposttype(self, reg: etree._Element) -> str | None:
        """The M082 code (eFormidling writes the code's name, Fiks the code)."""
        el = reg.find(self.q("journalposttype"))
        if el is None:
            return None
        if self.variant == "fiks":
            code = el.find("{*}kode")
            return _line(code.text) if code is not None else None
        name = _line(el.text)
        by_name = {v: k for k, v in noark._JOURNALPOSTTYPE.items()}
        return by_name.get(name, name)

    def case(self) -> str | None:
        """The case the registration is filed in, as the archivist gave it, or None."""
        if self.variant == "eformidling":
            folder = self.root.find(self.q("mappe"))
            if folder is None:
                return None
            return self.text(folder, "mappeID")
        ref = self.root.find(f"{self.q('registrering')}/{self.q('referanseForelderMappe')}")
        if ref is None:
            return None
        mappe = ref.find("{*}mappeID")
        if mappe is not None:
            return _line(mappe.text)
        year, number = ref.find("{*}saksnummer/{*}saksaar"), ref.find(
            "{*}saksnummer/{*}sakssekvensnummer")
        if year is not None and number is not None:
            return f"{_line(year.text)}/{_line(number.text)}"
        return None
