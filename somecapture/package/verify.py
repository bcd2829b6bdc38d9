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

from somecapture.messages import Msg
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
        return self.seal.summary() if self.seal is not None else Msg("verify.seal_not_checked")

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
        problems.append(Msg("verify.problem.extra_top", name=entry.name,
                            kind="folder" if entry.is_dir() else "file"))
    data = path / "data"
    if data.is_dir():
        for folder in sorted(p for p in data.rglob("*") if p.is_dir()):
            if not any(folder.iterdir()):
                problems.append(Msg("verify.problem.empty_payload_folder",
                                    name=folder.relative_to(path).as_posix()))
    signatures = path / SIGNATURES_DIR
    if signatures.is_dir():
        entries = sorted(signatures.iterdir())
        if not entries:
            problems.append(Msg("verify.problem.empty_signatures", name=SIGNATURES_DIR))
        for entry in entries:
            if not (entry.is_file() and SEAL_FILE_RE.fullmatch(entry.name)):
                problems.append(Msg("verify.problem.not_seal_file",
                                    name=f"{SIGNATURES_DIR}/{entry.name}"))
    return problems


def verify_package(path: Path, *, trust: Sequence[Path] = (), require_seal: bool = False,
                   published: PublishedSeal | None = None) -> PackageCheck:
    """Every check of a package; ``trust`` are PEM trust stores for the seal's chains,
    ``published`` what the catalogue recorded when the package was published."""
    result = PackageCheck(path=path)
    if not path.is_dir():
        result.problems.append(Msg("verify.problem.not_a_folder", path=str(path)))
        return result
    if not (path / "bagit.txt").is_file():
        result.problems.append(Msg("verify.problem.no_bagit", path=str(path)))
        return result
    result.problems += layout_problems(path)
    result.checked.append(Msg("verify.checked.layout"))
    if published is not None:
        # before any timestamp: re-hashing or removing the seal shows against the catalogue
        result.problems += compare_published(path, published)
        result.checked.append(Msg("verify.checked.published"))
        note = published.note()
        if note:
            result.notes.append(note)
    if not (path / STAMPED_NAME).is_file():
        # without it, bag-info.txt and the manifest itself could be changed unnoticed
        result.problems.append(Msg("verify.problem.missing", file=STAMPED_NAME))
    result.problems += bag.validate_bag(path)
    result.checked.append(Msg("verify.checked.bag"))
    data = path / "data"
    warc = data / WARC_NAME
    if warc.is_file():
        check = check_warc(warc, f"data/{WARC_NAME}")
        result.problems += check.problems
        result.checked.append(Msg("verify.checked.warc", records=check.records))
    else:
        result.problems.append(Msg("verify.problem.missing", file=f"data/{WARC_NAME}"))
    meta = _read_metadata(data, result)
    if meta is not None:
        _check_file_list(path, data, meta, result)
        result.problems += CrossCheck(path, meta).run()
        result.checked.append(Msg("verify.checked.crossref"))
    result.problems += check_documents(data)
    result.checked.append(Msg("verify.checked.documents"))
    _check_seal(path, meta, trust, require_seal, result, published)
    return result


def _read_metadata(data: Path, result: PackageCheck) -> dict[str, Any] | None:
    try:
        meta = json.loads((data / METADATA_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        result.problems.append(Msg("verify.problem.missing", file=f"data/{METADATA_NAME}"))
        return None
    except (OSError, ValueError) as exc:
        result.problems.append(Msg("verify.problem.unreadable", file=f"data/{METADATA_NAME}",
                                   detail=str(exc)))
        return None
    if not isinstance(meta, dict):
        result.problems.append(Msg("verify.problem.not_object", file=f"data/{METADATA_NAME}"))
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
        result.problems.append(Msg("verify.problem.identifier", file=METADATA_NAME))
    listed = {f["path"]: f for f in meta.get("files", []) if isinstance(f, dict)
              and _inside_data(str(f.get("path", "")))}
    for name, entry in listed.items():
        file = data / name
        if not file.is_file():
            result.problems.append(Msg("verify.problem.missing_listed", file=f"data/{name}",
                                       list=METADATA_NAME))
        elif bag.sha256_file(file) != entry.get("sha256"):
            result.problems.append(Msg("verify.problem.checksum", file=f"data/{name}",
                                       list=METADATA_NAME))
    result.checked.append(Msg("verify.checked.file_list", file=METADATA_NAME,
                              count=len(listed)))


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
        asked = len(intent.get("authorities") or [])
        if published is not None and published.tokens:
            pass  # compare_published named the missing signatures/ folder
        elif published is not None and published.status == "failed":
            report.notes.append(Msg("verify.note.asked_none_gave", file=METADATA_NAME,
                                    asked=asked))
        else:
            report.notes.append(Msg("verify.note.asked_no_token", file=METADATA_NAME,
                                    asked=asked))
    if report.sealed:
        result.problems += stamp_time_problems(report.stamps, meta)
        if any(p.startswith(f"{STAMPED_NAME}: changed since") for p in result.problems):
            result.problems += _changed_after(path, report)
        result.checked.append(Msg("verify.checked.seal", count=len(report.stamps)))
        if require_seal and report.ok and not report.trusted:
            result.problems.append(Msg("verify.problem.not_trusted_required",
                                       name=SIGNATURES_DIR))
    elif require_seal:
        result.problems.append(Msg("verify.problem.unsealed_required", name=SIGNATURES_DIR))


#: how long after the capture finished a stamp may be made (packaging, then each authority's
#: timeout, with room to spare): a later stamp vouches for the files as of then
STAMP_GRACE = timedelta(minutes=10)


def stamp_time_problems(stamps: Sequence[StampCheck], meta: dict[str, Any] | None
                        ) -> list[str]:
    """Each stamp made before the capture started (a token of another package) or more than
    :data:`STAMP_GRACE` after it finished (the package was changed and stamped again later:
    the seal vouches for the files as of the stamp, not as captured)."""
    problems: list[str] = []
    captured = parse_instant((meta or {}).get("captured_at"))
    finished = parse_instant((meta or {}).get("finished_at"))
    for stamp in stamps:
        if stamp.gen_time is None:
            continue
        if captured and stamp.gen_time < captured:
            problems.append(Msg("seal.before_capture", name=stamp.name,
                                when=stamp.gen_time.isoformat()))
        elif finished and stamp.gen_time > finished + STAMP_GRACE:
            problems.append(Msg("seal.stamped_late", name=stamp.name,
                                late=_duration(stamp.gen_time - finished), meta=METADATA_NAME,
                                finished=finished.isoformat(),
                                when=stamp.gen_time.isoformat()))
    return problems


def _duration(delta: timedelta) -> Msg:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return Msg("seal.duration", n=minutes, unit="minutes")
    hours = minutes // 60
    return (Msg("seal.duration", n=hours, unit="hours") if hours < 48
            else Msg("seal.duration", n=hours // 24, unit="days"))




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
    return [Msg("seal.modified_after", name=name) for name in names if name != STAMPED_NAME]
