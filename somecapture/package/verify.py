"""Re-checking a published package: is it still exactly what was captured?

In order: the package's shape (nothing extra at the top, no empty folders), what the catalogue
recorded at publication (before any timestamp is consulted), the bag's manifests, the WARC's
digests, the metadata's own file list, what the files say about each other
(:mod:`somecapture.package.crossref`), the documents' validators, and the seal
(:mod:`somecapture.package.seal_verify`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from somecapture.package import bag
from somecapture.package.crossref import CrossCheck
from somecapture.package.documents import check_documents
from somecapture.package.layout import METADATA_NAME, WARC_NAME
from somecapture.package.seal_verify import (
    SEAL_FILE_RE,
    SIGNATURES_DIR,
    STAMPED_NAME,
    PublishedSeal,
    SealReport,
    StampCheck,
    check_seal,
    compare_published,
)
from somecapture.thread.times import parse_instant
from somecapture.warc.verify import check_warc

#: the tag files this tool writes at the bag's top level (RFC 8493 §2.2); with ``data/`` and
#: ``signatures/`` nothing else belongs there
TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", STAMPED_NAME)
_TOP_FOLDERS = ("data", SIGNATURES_DIR)


@dataclass
class PackageCheck:
    """Outcome of :func:`verify_package`; ``problems`` names each failing file."""

    path: Path
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    #: the seal as proved (None when the package could not be read that far)
    seal: SealReport | None = None
    #: information that is no problem (e.g. where the catalogue's seal record came from)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is changed, missing or extra."""
        return not self.problems

    @property
    def seal_summary(self) -> str:
        """The seal in words: when and by whom it was stamped, or that it is unsealed."""
        return self.seal.summary() if self.seal is not None else "seal not checked"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (the CLI's ``--json``)."""
        return {"package": str(self.path), "ok": self.ok, "problems": list(self.problems),
                "checked": list(self.checked), "notes": list(self.notes),
                "seal": self.seal.to_json() if self.seal is not None else None}


def _inside_data(rel: str) -> bool:
    """A metadata file path that stays inside data/ (no absolute paths, no ..)."""
    return bool(rel) and not rel.startswith(("/", "\\")) and ".." not in rel.split("/")


def layout_problems(path: Path) -> list[str]:
    """Anything at the top that is not a tag file, ``data/`` or ``signatures/``; empty folders
    in ``data/``; anything in ``signatures/`` that is not an authority's stamp file."""
    problems: list[str] = []
    for entry in sorted(path.iterdir()):
        if entry.name in TAG_FILES and entry.is_file():
            continue
        if entry.name in _TOP_FOLDERS and entry.is_dir() and not entry.is_symlink():
            continue
        kind = "folder" if entry.is_dir() else "file"
        problems.append(f"{entry.name}: extra {kind} at the package's top level (not part of "
                        "the package as published; remove it, or it was put there later)")
    data = path / "data"
    if data.is_dir():
        for folder in sorted(p for p in data.rglob("*") if p.is_dir()):
            if not any(folder.iterdir()):
                problems.append(f"{folder.relative_to(path).as_posix()}/: empty folder in "
                                "the payload (not part of the package as published)")
    signatures = path / SIGNATURES_DIR
    if signatures.is_dir():
        entries = sorted(signatures.iterdir())
        if not entries:
            problems.append(f"{SIGNATURES_DIR}/: empty folder (a seal's files were removed, "
                            "or the folder was added later)")
        for entry in entries:
            if not (entry.is_file() and SEAL_FILE_RE.fullmatch(entry.name)):
                problems.append(f"{SIGNATURES_DIR}/{entry.name}: not a file of the seal "
                                "(tsa-<n>.tsr, tsa-<n>-chain.pem, tsa-<n>.json)")
    return problems


def verify_package(path: Path, *, trust: Sequence[Path] = (), require_seal: bool = False,
                   published: PublishedSeal | None = None) -> PackageCheck:
    """Every check of a package; ``trust`` are PEM trust stores for the seal's chains,
    ``published`` what the catalogue recorded when the package was published."""
    result = PackageCheck(path=path)
    if not path.is_dir():
        result.problems.append(f"{path}: not a folder (give the package folder)")
        return result
    if not (path / "bagit.txt").is_file():
        result.problems.append(f"{path}: bagit.txt missing: not a somecapture package")
        return result
    result.problems += layout_problems(path)
    result.checked.append("package layout (top-level files, empty folders, signatures/)")
    if published is not None:
        # before any timestamp: re-hashing or removing the seal shows against the catalogue
        result.problems += compare_published(path, published)
        result.checked.append("tag manifest and tokens as the catalogue recorded them")
        note = published.note()
        if note:
            result.notes.append(note)
    if not (path / STAMPED_NAME).is_file():
        # without it, bag-info.txt and the manifest itself could be changed unnoticed
        result.problems.append(f"{STAMPED_NAME}: missing")
    result.problems += bag.validate_bag(path)
    result.checked.append("bag manifests (bagit-python)")
    data = path / "data"
    warc = data / WARC_NAME
    if warc.is_file():
        check = check_warc(warc)
        result.problems += [f"data/{p}" for p in check.problems]
        result.checked.append(f"WARC digests ({check.records} records)")
    else:
        result.problems.append(f"data/{WARC_NAME}: missing")
    meta = _read_metadata(data, result)
    if meta is not None:
        _check_file_list(path, data, meta, result)
        result.problems += CrossCheck(path, meta).run()
        result.checked.append("cross-references: metadata, arkivmelding, bag-info, WARC")
    result.problems += check_documents(data)
    result.checked.append("metadata schema, arkivmelding XSD, PDF/A structure")
    _check_seal(path, meta, trust, require_seal, result, published)
    return result


def _read_metadata(data: Path, result: PackageCheck) -> dict[str, Any] | None:
    try:
        meta = json.loads((data / METADATA_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        result.problems.append(f"data/{METADATA_NAME}: missing")
        return None
    except (OSError, ValueError) as exc:
        result.problems.append(f"data/{METADATA_NAME}: unreadable ({exc})")
        return None
    if not isinstance(meta, dict):
        result.problems.append(f"data/{METADATA_NAME}: not a JSON object")
        return None
    return meta


def _check_file_list(path: Path, data: Path, meta: dict[str, Any], result: PackageCheck
                     ) -> None:
    capture_id = meta.get("capture_id")
    try:
        info = (path / "bag-info.txt").read_text(encoding="utf-8")
    except OSError:
        info = ""
    if capture_id and f"External-Identifier: urn:uuid:{capture_id}" not in info:
        result.problems.append("bag-info.txt: External-Identifier does not match the capture id "
                               f"in {METADATA_NAME}")
    listed = {f["path"]: f for f in meta.get("files", []) if isinstance(f, dict)
              and _inside_data(str(f.get("path", "")))}
    for name, entry in listed.items():
        file = data / name
        if not file.is_file():
            result.problems.append(f"data/{name}: missing (listed in {METADATA_NAME})")
        elif bag.sha256_file(file) != entry.get("sha256"):
            result.problems.append(f"data/{name}: does not match the checksum in {METADATA_NAME}")
    result.checked.append(f"{METADATA_NAME} file list ({len(listed)} files)")


def _check_seal(path: Path, meta: dict[str, Any] | None, trust: Sequence[Path],
                require_seal: bool, result: PackageCheck,
                published: PublishedSeal | None = None) -> None:
    report = check_seal(path, trust)
    result.seal = report
    result.problems += report.problems
    for stamp in report.stamps:
        result.problems += stamp.problems
    intent = (meta or {}).get("seal") or {}
    if (isinstance(intent, dict) and intent.get("status") == "requested"
            and not (path / SIGNATURES_DIR).is_dir()):
        # only the catalogue can say a seal was removed (compare_published does, when it
        # recorded tokens); the package alone cannot tell a removed seal from authorities
        # that all failed at capture time (the capture was published PARTIAL)
        asked = len(intent.get("authorities") or []) or "some"
        if published is not None and published.tokens:
            pass  # compare_published named the missing signatures/ folder
        elif published is not None and published.status == "failed":
            report.notes.append(f"{METADATA_NAME} says {asked} time-stamp authorit(ies) were "
                                "asked; the catalogue recorded that none gave a token")
        else:
            report.notes.append(f"{METADATA_NAME} says {asked} time-stamp authorit(ies) were "
                                "asked; this package carries no token (they failed at "
                                "capture time, or the seal was removed)")
    if report.sealed:
        result.problems += stamp_time_problems(report.stamps, meta)
        if any(p.startswith(f"{STAMPED_NAME}: changed since") for p in result.problems):
            result.problems += _changed_after(path, report)
        result.checked.append(f"seal: {len(report.stamps)} time-stamp token(s)")
        if require_seal and report.ok and not report.trusted:
            result.problems.append(f"{SIGNATURES_DIR}/: the seal is not trusted (no trust "
                                   "store proved its chain: give --trust or set [timestamp] "
                                   "trust), and a trusted seal is required (--require-seal)")
    elif require_seal:
        result.problems.append(f"{SIGNATURES_DIR}/: the package is unsealed (no time-stamp "
                               "token), and a seal is required (--require-seal)")


#: how long after the capture finished a stamp may be made (packaging, then each authority's
#: timeout, with room to spare): a later stamp vouches for the files as of then
STAMP_GRACE = timedelta(minutes=10)


def stamp_time_problems(stamps: Sequence[StampCheck], meta: dict[str, Any] | None
                        ) -> list[str]:
    """Each stamp made before the capture started (a token of another package) or more than
    :data:`STAMP_GRACE` after it finished (the package was changed and stamped again later:
    the seal vouches for the files as of the stamp, not as captured)."""
    problems = []
    captured = parse_instant((meta or {}).get("captured_at"))
    finished = parse_instant((meta or {}).get("finished_at"))
    for stamp in stamps:
        if stamp.gen_time is None:
            continue
        if captured and stamp.gen_time < captured:
            problems.append(f"{stamp.name}: stamped at {stamp.gen_time.isoformat()}, before "
                            "the capture started: a token of another package")
        elif finished and stamp.gen_time > finished + STAMP_GRACE:
            late = _duration(stamp.gen_time - finished)
            problems.append(f"{stamp.name}: stamped {late} after the capture finished "
                            f"({METADATA_NAME} finished_at {finished.isoformat()}, stamp "
                            f"{stamp.gen_time.isoformat()}): the seal vouches for the files "
                            "as of then, not as captured")
    return problems


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} minutes"
    hours = minutes // 60
    return f"{hours} hours" if hours < 48 else f"{hours // 24} days"




def _changed_after(path: Path, report: SealReport) -> list[str]:
    """A hint naming the files written after the stamp (by their modification time, which a
    careful forger can also set: the proof is the stamp, this only says where to look)."""
    stamped = min((s.gen_time for s in report.stamps if s.gen_time), default=None)
    if stamped is None:
        return []
    later = stamped + timedelta(seconds=2)
    names = []
    for file in [*(path / n for n in TAG_FILES), *sorted((path / "data").rglob("*"))]:
        if file.is_file() and datetime.fromtimestamp(file.stat().st_mtime, UTC) > later:
            names.append(file.relative_to(path).as_posix())
    if not names:
        return []
    return [f"{name}: modified after the seal's time (file time; a hint where the change is)"
            for name in names if name != STAMPED_NAME]
