"""Exporting a verified package as a WACZ 1.1.1 (Web Archive Collection Zipped).

A WACZ is the web-archive world's file for sharing one capture: ReplayWeb.page and pywb open
it and replay the page as it was recorded, with no server of ours. It is made only from a
package that passes :func:`~somecapture.package.verify.verify_package`, so what it holds is
what the package's checksums (and its seal, when it has one) vouch for.

Layout (https://specs.webrecorder.net/wacz/1.1.1/)::

    archive/capture.warc        the package's WARC, byte for byte, ZIP 'stored' (random access)
    indexes/index.cdx           CDXJ index of the WARC, sorted (small archives need no ZipNum)
    pages/pages.jsonl           the captured page: url, ts, title
    seal/...                    only for a sealed package: its RFC 3161 tokens and chains, and
                                the two manifests that tie the stamp to the WARC
    datapackage.json            every file above with sha256 and size; title, dates, software
    datapackage-digest.json     the SHA-256 of datapackage.json (and what the seal covers); for
                                a sealed package, RFC 3161 tokens over that SHA-256 made at
                                export (``timestamps``), see below

Stamping the WACZ. When the package is sealed and time-stamp authorities are configured (the
capture's own: ``[timestamp] urls``, ``--timestamp-url``; ``--no-timestamp`` turns it off),
the SHA-256 of ``datapackage.json`` is stamped by each, with the packager's own request and
check (:func:`somecapture.package.seal.request_timestamps`). ``datapackage.json`` lists the
SHA-256 of every other file, so one stamp fixes the whole WACZ as of the stamped time. The
tokens (base64 DER TimeStampResp, with the TSA's chain as PEM) are written *into*
``datapackage-digest.json``, not as files beside it: WACZ 1.1.1 and py-wacz's ``wacz
validate`` require every file other than these two to be listed, with its hash, in
``datapackage.json`` (an unlisted ``signatures/tsa-1.tsr`` fails with "file
signatures/tsa-1.tsr is not listed in the datapackage"), and a token over
``datapackage.json`` cannot be listed in the file it stamps. The key is ``timestamps``, not
the spec's ``signedData`` (a signature by a domain's key, which this is not). An authority
that fails leaves the WACZ written and says why (:attr:`WaczExport.stamp_problems`).

The file is written next to the target under a temporary name and renamed into place, so a
reader never sees half a WACZ and an existing file is only replaced when asked to.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from somecapture._version import __version__
from somecapture.errors import (
    DISK_ERRNOS,
    DiskError,
    InputError,
    OutputDirError,
    VerificationError,
)
from somecapture.messages import Msg
from somecapture.package.layout import METADATA_NAME, WARC_NAME
from somecapture.package.seal import SealConfig, Timestamp, request_timestamps
from somecapture.package.seal_verify import NOT_TRUSTED, PublishedSeal, SealReport
from somecapture.package.verify import verify_package
from somecapture.warc.cdxj import IndexedRecord, cdxj_lines, index_records

WACZ_VERSION = "1.1.1"
ARCHIVE_PATH = f"archive/{WARC_NAME}"
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
SEAL_DIR = "seal"
#: where a sealed package keeps its time-stamp tokens (``tsa-<n>.tsr`` + ``tsa-<n>-chain.pem``)
PACKAGE_SIGNATURES = "signatures"
_TOKEN = re.compile(r"^tsa-(\d+)\.tsr$")
_CHUNK = 1024 * 1024


class NotAPackageError(InputError):
    """The folder given is not a somecapture package (no code of its own: it is ``input``)."""


class TargetExistsError(InputError):
    """The WACZ file already exists and replacing it was not asked for."""


class PackageNotVerifiedError(VerificationError):
    """The package fails verify, so it is not exported (code ``verification``)."""

    def __init__(self, package: Path, problems: list[str]) -> None:
        super().__init__(problems)
        # VerificationError's own message says only that it failed: say what is not done
        # and what to do (each problem in the reader's language, one a line)
        self.args = (Msg("wacz.not_verified", path=str(package), problems=list(problems)),)


@dataclass(frozen=True)
class WaczExport:
    """What :func:`export_wacz` wrote."""

    path: Path
    bytes: int
    sha256: str
    indexed_records: int
    page_url: str
    page_ts: str
    #: the package's time-stamp tokens carried over (``seal/tsa-<n>.tsr``); empty if unsealed
    seal_tokens: tuple[str, ...] = field(default=())
    #: each authority's outcome for the WACZ's own stamp (over datapackage.json)
    stamps: tuple[Timestamp, ...] = field(default=())
    #: why the WACZ itself was not stamped (None when authorities were asked)
    stamp_note: str | None = None

    def stamps_json(self) -> list[dict[str, Any]]:
        """Each authority's outcome for the WACZ's stamp, as plain JSON data."""
        return [{"authority": t.authority, "url": t.url,
                 "status": "granted" if t.ok else "failed", "stamped_file": "datapackage.json",
                 "gen_time": t.info.gen_time.astimezone(UTC).isoformat().replace("+00:00", "Z")
                 if t.info is not None else None, "reason": t.reason} for t in self.stamps]

    @property
    def stamp_problems(self) -> list[str]:
        """One line per authority that gave no token over the WACZ (the export is PARTIAL)."""
        return [Msg("wacz.stamp_not_made", authority=t.authority, url=t.url,
                    reason=t.reason or "") for t in self.stamps if not t.ok]


def _package_problem(package: Path) -> str | None:
    """Why ``package`` is not a somecapture package folder (None when it is one)."""
    what = str(package)
    if not package.exists():
        return Msg("wacz.missing", path=what)
    if not package.is_dir():
        return Msg("wacz.is_file", path=what)
    if not (package / "bagit.txt").is_file():
        return Msg("wacz.no_bagit", path=what)
    meta = package / "data" / METADATA_NAME
    try:
        fmt = json.loads(meta.read_text(encoding="utf-8")).get("format", "")
    except (OSError, ValueError, AttributeError):
        fmt = ""
    if not str(fmt).startswith("somecapture-capture-metadata/"):
        return Msg("wacz.not_ours", path=what, file=METADATA_NAME)
    return None


def _check_target(target: Path, force: bool) -> None:
    """Refuse a target that cannot or may not be written, before any work is done."""
    if target.suffix.lower() != ".wacz":
        raise InputError(Msg("wacz.bad_name", path=str(target)))
    folder = target.parent
    if not folder.is_dir():
        raise OutputDirError(Msg("wacz.no_folder", path=str(folder)))
    if target.is_dir():
        raise InputError(Msg("wacz.target_is_folder", path=str(target)))
    if target.exists() and not force:
        raise TargetExistsError(Msg("wacz.exists", path=str(target)))
    if not os.access(folder, os.W_OK):
        raise OutputDirError(Msg("wacz.read_only", path=str(folder)))


def _metadata(package: Path) -> dict[str, Any]:
    data = json.loads((package / "data" / METADATA_NAME).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _rfc3339(ts14: str) -> str:
    """``20261207052640`` -> ``2026-12-07T05:26:40Z``."""
    return datetime.strptime(ts14, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ")


def _main_page(meta: dict[str, Any], records: list[IndexedRecord]) -> tuple[str, str]:
    """The page's URL and its capture time as the WARC has it (replay finds it by both)."""
    candidates = [u for u in (meta.get("final_url"), meta.get("url"), meta.get("requested_url"))
                  if isinstance(u, str) and u]
    for url in candidates:
        hits = [r for r in records if r.url == url and r.record_type == "response"]
        if hits:
            return url, _rfc3339(min(h.timestamp for h in hits))
    url = candidates[0] if candidates else ""
    # no response for it (an odd capture): the capture's start time, to the second
    started = str(meta.get("captured_at") or "")[:19]
    return url, (started + "Z") if started else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _title(meta: dict[str, Any]) -> str:
    thread = meta.get("thread") if isinstance(meta.get("thread"), dict) else {}
    page = thread.get("page") if isinstance(thread, dict) else None
    registration = meta.get("registration") if isinstance(meta.get("registration"), dict) else {}
    for value in ((registration or {}).get("title"), (page or {}).get("title")):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return str(meta.get("final_url") or meta.get("url") or "somecapture capture")


def _seal_files(package: Path) -> list[tuple[str, Path]]:
    """The package's tokens, chains and recorded outcomes as (name in the WACZ, file), in
    token order."""
    folder = package / PACKAGE_SIGNATURES
    if not folder.is_dir():
        return []
    tokens = sorted((int(m.group(1)), p) for p in folder.iterdir()
                    if (m := _TOKEN.match(p.name)) and p.is_file())
    out = []
    for n, token in tokens:
        out.append((f"{SEAL_DIR}/tsa-{n}.tsr", token))
        # its certificate chain, and the outcome the capture recorded (time, authority)
        for suffix in ("-chain.pem", ".json"):
            extra = folder / f"tsa-{n}{suffix}"
            if extra.is_file():
                out.append((f"{SEAL_DIR}/tsa-{n}{suffix}", extra))
    return out


class _Writer:
    """Adds entries to the ZIP and remembers each one's path, size and SHA-256."""

    def __init__(self, zf: zipfile.ZipFile, when: tuple[int, int, int, int, int, int]) -> None:
        self.zf = zf
        self.when = when
        self.resources: list[dict[str, Any]] = []

    def _info(self, path: str, compress: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.when)
        info.compress_type = compress
        info.external_attr = 0o644 << 16
        return info

    def add_file(self, path: str, source: Path, *, compress: int) -> None:
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as src, self.zf.open(
                self._info(path, compress), "w", force_zip64=True) as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
        self._remember(path, digest.hexdigest(), size)

    def add_bytes(self, path: str, data: bytes, *, listed: bool = True) -> None:
        self.zf.writestr(self._info(path, zipfile.ZIP_DEFLATED), data)
        if listed:
            self._remember(path, hashlib.sha256(data).hexdigest(), len(data))

    def _remember(self, path: str, sha256: str, size: int) -> None:
        # frictionless wants lower-case names; py-wacz and ReplayWeb.page use the base name
        self.resources.append({"name": path.rsplit("/", 1)[-1].lower(), "path": path,
                               "hash": f"sha256:{sha256}", "bytes": size})


def _manifest_hash(manifest: Path, name: str) -> str | None:
    """The SHA-256 a bag manifest lists for ``name`` (None if it does not list it)."""
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, listed = line.strip().partition(" ")
        if listed.strip() == name:
            return digest.lower()
    return None


def _token_entry(token: str, names: set[str]) -> dict[str, str]:
    """One token and, where the package has them, its chain and recorded outcome."""
    entry = {"token": token}
    stem = token.removesuffix(".tsr")
    for key, suffix in (("chain", "-chain.pem"), ("outcome", ".json")):
        if stem + suffix in names:
            entry[key] = stem + suffix
    return entry


def _seal_statement(package: Path, writer: _Writer, seal: list[tuple[str, Path]]
                    ) -> dict[str, Any]:
    """Add the seal's files and say how they relate to this WACZ (for datapackage-digest)."""
    tag = package / "tagmanifest-sha256.txt"
    manifest = package / "manifest-sha256.txt"
    warc_hash = next(r["hash"] for r in writer.resources if r["path"] == ARCHIVE_PATH)
    # verify has checked these; checked again here because the statement below asserts them
    if (_manifest_hash(manifest, f"data/{WARC_NAME}") != warc_hash.removeprefix("sha256:")
            or _manifest_hash(tag, "manifest-sha256.txt") is None):
        raise VerificationError([Msg("wacz.manifest_mismatch", manifest=manifest.name,
                                     file=f"data/{WARC_NAME}", tag=tag.name)])
    for name, source in [(f"{SEAL_DIR}/{tag.name}", tag),
                         (f"{SEAL_DIR}/{manifest.name}", manifest), *seal]:
        writer.add_file(name, source, compress=zipfile.ZIP_DEFLATED)
    tokens = [n for n, _ in seal if n.endswith(".tsr")]
    stamped = f"{SEAL_DIR}/{tag.name}"
    return {
        "description": (
            "RFC 3161 time-stamp tokens of the somecapture package this WACZ was exported "
            f"from. They stamp the package's tag manifest ({stamped}), not this WACZ: the tag "
            f"manifest lists the SHA-256 of the payload manifest ({SEAL_DIR}/{manifest.name}), "
            f"which lists the SHA-256 of data/{WARC_NAME}, the same bytes as {ARCHIVE_PATH}. "
            "The index, the page list and datapackage.json were made at export and are not "
            "covered by the stamp."),
        "stamped": stamped,
        "stampedHash": f"sha256:{hashlib.sha256(tag.read_bytes()).hexdigest()}",
        "tokens": [_token_entry(t, {n for n, _ in seal}) for t in tokens],
        "warc": {"path": ARCHIVE_PATH, "packagePath": f"data/{WARC_NAME}", "hash": warc_hash},
        "check": (f"openssl ts -verify -data {stamped} -in {tokens[0]} -CAfile "
                  f"{tokens[0].removesuffix('.tsr')}-chain.pem") if tokens else "",
    }


def _stamp_statement(dp_hex: str, stamps: list[Timestamp]) -> dict[str, Any]:
    """The WACZ's own tokens, for datapackage-digest.json (``timestamps``)."""
    tokens = []
    for t in stamps:
        if t.info is None or t.response is None:
            continue
        tokens.append({
            "authority": t.authority, "url": t.url,
            "genTime": t.info.gen_time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "serial": str(t.info.serial), "policy": t.info.policy, "tsa": t.info.tsa_subject,
            "tokenSha256": hashlib.sha256(t.response).hexdigest(),
            # the TimeStampResp as the authority sent it, and the certificates it carries
            "token": base64.b64encode(t.response).decode("ascii"),
            "chain": t.info.chain_pem().decode("ascii"),
        })
    statement: dict[str, Any] = {
        "description": (
            "RFC 3161 time-stamp tokens over the SHA-256 of datapackage.json, made when this "
            "WACZ was exported. datapackage.json lists the SHA-256 of every other file in the "
            "WACZ, so a token fixes all of them as of its genTime. Each token is the "
            "authority's DER TimeStampResp in base64 ('token'), with the certificates it "
            "carries as PEM ('chain'). They are in this file because every other file of a "
            "WACZ must be listed in datapackage.json, which cannot list a token over itself."),
        "stamped": "datapackage.json",
        "hashAlgorithm": "sha256",
        "digest": dp_hex,
        "tokens": tokens,
        "check": (
            "jq -r '.timestamps.tokens[0].token' datapackage-digest.json | base64 -d > tsa.tsr; "
            "jq -r '.timestamps.tokens[0].chain' datapackage-digest.json > tsa-chain.pem; "
            f"openssl ts -verify -digest {dp_hex} -in tsa.tsr -CAfile tsa-chain.pem "
            "(use the agency's trusted roots as -CAfile to check trust, not only integrity; "
            "sha256sum datapackage.json must print the same digest)"),
    }
    failed = [{"authority": t.authority, "url": t.url, "reason": t.reason}
              for t in stamps if not t.ok]
    if failed:
        statement["failed"] = failed
    return statement


@dataclass(frozen=True)
class _Written:
    indexed_records: int
    page_url: str
    page_ts: str
    seal_tokens: tuple[str, ...]
    stamps: tuple[Timestamp, ...] = ()
    stamp_note: str | None = None


def _stamp_plan(sealed: bool, seal: SealConfig | None) -> str | None:
    """Why the WACZ will not be stamped (None: ask the authorities)."""
    if not sealed:
        return "the package is not sealed, so its WACZ is not stamped either"
    if seal is None or not seal.active:
        reason = (seal or SealConfig()).unsealed_reason()
        return f"the WACZ itself is not stamped: {reason}"
    return None


def _write(package: Path, out: IO[bytes], seal_config: SealConfig | None,
           trust_note: str = "") -> _Written:
    """Write the WACZ to ``out``, stamping it when the package is sealed and ``seal_config``
    names active authorities."""
    meta = _metadata(package)
    warc = package / "data" / WARC_NAME
    records = index_records(warc)
    page_url, page_ts = _main_page(meta, records)
    now = datetime.now(UTC).replace(microsecond=0)
    seal = _seal_files(package)
    stamp_note = _stamp_plan(bool(seal), seal_config)
    stamps: list[Timestamp] = []
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        writer = _Writer(zf, now.timetuple()[:6])
        # stored, not deflated: replay tools read WARC records at their offsets in the ZIP
        writer.add_file(ARCHIVE_PATH, warc, compress=zipfile.ZIP_STORED)
        index = "".join(line + "\n" for line in cdxj_lines(records, WARC_NAME))
        writer.add_bytes(INDEX_PATH, index.encode("utf-8"))
        pages = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"},
                 {"id": str(meta.get("capture_id") or "page"), "url": page_url,
                  "ts": page_ts, "title": _title(meta)}]
        writer.add_bytes(PAGES_PATH, "".join(
            json.dumps(p, ensure_ascii=False) + "\n" for p in pages).encode("utf-8"))
        seal_statement = _seal_statement(package, writer, seal) if seal else None
        if seal_statement is not None and trust_note:
            seal_statement["trust"] = trust_note
        datapackage = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": _title(meta),
            "description": (f"Capture of {page_url} by somecapture, exported from the "
                            f"verified package {package.name}."),
            "created": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "software": f"somecapture {__version__}",
            # py-wacz and ReplayWeb.page spell it mainPageURL, the 1.1.1 text mainPageUrl
            "mainPageURL": page_url,
            "mainPageUrl": page_url,
            "mainPageDate": page_ts,
            "resources": writer.resources,
        }
        dp_bytes = json.dumps(datapackage, indent=2, ensure_ascii=False).encode("utf-8")
        writer.add_bytes("datapackage.json", dp_bytes, listed=False)
        dp_hex = hashlib.sha256(dp_bytes).hexdigest()
        digest: dict[str, Any] = {"path": "datapackage.json", "hash": f"sha256:{dp_hex}"}
        if seal_statement is not None:
            # not 'signedData' (WACZ signing by a domain certificate): these are the
            # package's own stamps, described for what they are
            digest["packageSeal"] = seal_statement
        if stamp_note is None and seal_config is not None:
            stamps = request_timestamps(dp_bytes, seal_config, stamped_name="datapackage.json")
            digest["timestamps"] = _stamp_statement(dp_hex, stamps)
        writer.add_bytes("datapackage-digest.json",
                         json.dumps(digest, indent=2, ensure_ascii=False).encode("utf-8"),
                         listed=False)
    return _Written(indexed_records=len(records), page_url=page_url, page_ts=page_ts,
                    seal_tokens=tuple(n for n, _ in seal if n.endswith(".tsr")),
                    stamps=tuple(stamps), stamp_note=stamp_note)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _publish(tmp: Path, target: Path, force: bool) -> None:
    """Move the finished file into place: replacing only with ``force``, atomically."""
    if force:
        os.replace(tmp, target)
        return
    try:
        # a hard link fails if the name was taken meanwhile (no check-then-write race)
        os.link(tmp, target)
    except FileExistsError:
        raise TargetExistsError(Msg("wacz.appeared", path=str(target))) from None
    except OSError:
        # file systems without hard links (FAT, some network shares): checked just before
        if target.exists():
            raise TargetExistsError(Msg("wacz.exists", path=str(target))) from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def _disk_full(exc: OSError) -> DiskError:
    return DiskError(Msg("wacz.disk_full", detail=exc.strerror or str(exc)))


def _trust_note(report: SealReport | None) -> str:
    """What ``packageSeal`` says of the trust in the package's seal."""
    if report is None or not report.sealed:
        return ""
    if report.trusted:
        names = "; ".join(s.trusted_by or "" for s in report.stamps)
        return f"verified at export against the agency's trust store: trusted by {names}"
    return (f"{NOT_TRUSTED}. Verified at export without a trust store: the tokens match the "
            "package, but nothing proved who made them")


def export_wacz(package: Path, target: Path, *, force: bool = False,
                seal: SealConfig | None = None, trust: Sequence[Path] = (),
                published: PublishedSeal | None = None) -> WaczExport:
    """Export the package folder ``package`` as the WACZ file ``target``.

    ``seal``: the time-stamp authorities that stamp the WACZ when the package is sealed (None:
    not stamped). An authority's failure does not raise: the WACZ is written and
    :attr:`WaczExport.stamp_problems` says why. ``trust`` (the agency's trust store) and
    ``published`` (what the catalogue recorded at publication) are what the package is
    verified against, as ``verify`` does: with a trust store, a seal it does not prove is
    refused; without one, ``packageSeal`` says the seal was not checked against any.

    Raises :class:`NotAPackageError` or :class:`InputError` (not a package, a bad name),
    :class:`TargetExistsError` (exists, no ``force``), :class:`OutputDirError` (the folder is
    missing or read-only), :class:`PackageNotVerifiedError` (verify found a problem) or
    :class:`DiskError`; nothing is left behind in any of these cases.
    """
    package = Path(package)
    target = Path(target)
    problem = _package_problem(package)
    if problem:
        raise NotAPackageError(problem)
    _check_target(target, force)
    check = verify_package(package, trust=trust, published=published)
    if not check.ok:
        raise PackageNotVerifiedError(package, check.problems)
    trust_note = _trust_note(check.seal)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        if exc.errno in DISK_ERRNOS and exc.errno != errno.EROFS:
            raise _disk_full(exc) from None
        raise OutputDirError(Msg("wacz.cannot_write", path=str(target.parent),
                                 detail=exc.strerror or str(exc))) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w+b") as out:
            result = _write(package, out, seal, trust_note)
            out.flush()
            os.fsync(out.fileno())
        _publish(tmp, target, force)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, FileExistsError):
            raise _disk_full(exc) from None
        raise
    return WaczExport(path=target, bytes=target.stat().st_size, sha256=_sha256_file(target),
                      indexed_records=result.indexed_records, page_url=result.page_url,
                      page_ts=result.page_ts, seal_tokens=result.seal_tokens,
                      stamps=result.stamps, stamp_note=result.stamp_note)


__all__ = ["DiskError", "NotAPackageError", "PackageNotVerifiedError", "TargetExistsError",
           "WaczExport", "export_wacz"]
