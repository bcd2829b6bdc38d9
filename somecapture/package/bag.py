"""BagIt 1.0 (RFC 8493) writing, validation, and atomic publication.

The bag is written by this module (we already hold every payload file's SHA-256 from writing
it, so nothing is hashed twice) and validated by bagit-python, an independent implementation,
before it is published. bagit-python itself writes BagIt 0.97 and changes the process's working
directory while doing so, which is why it is used here only to validate.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import bagit

from somecapture.errors import OutputDirError, PackageError, VerificationError
from somecapture.filelock import FileLock
from somecapture.messages import Msg
from somecapture.models import Artifact

BAGIT_VERSION = "1.0"
_TAG_FILES = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of a file, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def _encode_path(path: str) -> str:
    # RFC 8493 §2.1.3: CR, LF and % in file names are percent-encoded in manifests
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":
        return  # directories cannot be opened for fsync on Windows
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_tag(path: Path, text: str) -> str:
    data = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return hashlib.sha256(data).hexdigest()


def write_bag(bag_dir: Path, artifacts: Iterable[Artifact], info: dict[str, str]) -> None:
    """Write the tag files of a bag whose payload already sits in ``bag_dir/data``."""
    items = sorted(artifacts, key=lambda a: a.path)
    octets = sum(a.size_bytes for a in items)
    manifest = "".join(f"{a.sha256}  {_encode_path('data/' + a.path)}\n" for a in items)
    bag_info = {
        "Bagging-Date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "Payload-Oxum": f"{octets}.{len(items)}",
        **info,
    }
    info_text = "".join(f"{k}: {_one_line(v)}\n" for k, v in bag_info.items() if v)
    digests = {
        "bagit.txt": _write_tag(
            bag_dir / "bagit.txt",
            f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n",
        ),
        "bag-info.txt": _write_tag(bag_dir / "bag-info.txt", info_text),
        "manifest-sha256.txt": _write_tag(bag_dir / "manifest-sha256.txt", manifest),
    }
    tagmanifest = "".join(f"{digests[name]}  {name}\n" for name in _TAG_FILES)
    _write_tag(bag_dir / "tagmanifest-sha256.txt", tagmanifest)


def _one_line(value: str) -> str:
    # bag-info values may be folded, but one line per field is easiest for every reader
    return " ".join(str(value).split())


def _completeness(bag_dir: Path) -> list[str]:
    """Files missing from or extra to the payload manifest, by name.

    bagit-python checks Payload-Oxum first and then reports only totals; this names the files.
    """
    manifest = bag_dir / "manifest-sha256.txt"
    if not manifest.is_file():
        return [Msg("verify.problem.missing", file="manifest-sha256.txt")]
    listed: set[str] = set()
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rel = line.split(maxsplit=1)[1].strip()
            listed.add(rel.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%"))
    present = {
        p.relative_to(bag_dir).as_posix() for p in (bag_dir / "data").rglob("*") if p.is_file()
    } if (bag_dir / "data").is_dir() else set()
    problems: list[str] = [Msg("verify.problem.missing", file=p)
                           for p in sorted(listed - present)]
    problems += [Msg("bag.not_in_manifest", file=p) for p in sorted(present - listed)]
    return problems


def _changed_files(bag_dir: Path) -> list[str]:
    """Payload files whose SHA-256 differs from the manifest."""
    problems: list[str] = []
    manifest = bag_dir / "manifest-sha256.txt"
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        digest, rel = line.split(maxsplit=1)
        path = bag_dir / rel.strip()
        if path.is_file() and sha256_file(path) != digest.lower():
            problems.append(Msg("check.checksum_changed", file=rel.strip()))
    return problems


def validate_bag(bag_dir: Path) -> list[str]:
    """Validate with bagit-python (manifests, tag manifests, Payload-Oxum, completeness).

    Returns the problems found, each naming the file; empty when the bag is valid.
    """
    named = _completeness(bag_dir)
    if named:
        return named
    try:
        bag = bagit.Bag(str(bag_dir.resolve()))
        bag.validate(processes=1)
    except bagit.BagValidationError as exc:
        problems = []
        for detail in getattr(exc, "details", None) or []:
            problems.append(_describe_bag_detail(detail))
        # bagit-python stops at a Payload-Oxum mismatch without naming files: name them
        return problems or _changed_files(bag_dir) or [Msg("bag.invalid", detail=str(exc))]
    except bagit.BagError as exc:
        return [Msg("bag.invalid", detail=str(exc))]
    version = ".".join(str(n) for n in bag.version_info)
    if version != BAGIT_VERSION:
        return [Msg("bag.version", version=version, expected=BAGIT_VERSION)]
    return []


def _describe_bag_detail(detail: object) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return Msg("check.checksum_changed", file=str(detail.path))
    if isinstance(detail, bagit.FileMissing):
        return Msg("verify.problem.missing", file=str(detail.path))
    if isinstance(detail, bagit.UnexpectedFile):
        return Msg("bag.not_in_manifest", file=str(detail.path))
    # bagit-python's own words (a detail it has no kind for), named as such
    return Msg("bag.invalid", detail=str(detail))


def staging_root(out_dir: Path) -> Path:
    """Staging area on the same volume as ``out_dir`` (so publication is a rename)."""
    return out_dir / ".somecapture-staging"


def lock_path(staging_dir: Path) -> Path:
    """The lock file next to a staging folder (outside it: the folder becomes the package)."""
    return staging_dir.with_name(staging_dir.name + ".lock")


#: a staging folder without a lock file is a leftover of a version before the locks; removed
#: only when this old (longer than any capture budget, 2 h at most, can run)
_UNLOCKED_STAGING_AGE_S = 24 * 3600.0


#: a staging folder of one computer's captures into a shared folder: ``host-<machine id>``
HOST_STAGING_PREFIX = "host-"


def host_staging_root(out_dir: Path, machine: str) -> Path:
    """The staging folder of one computer's captures (a distributed batch's workers share the
    output folder; each sweeps only its own computer's folder: on a share whose locks are
    the client's own, a lock held on another computer cannot be seen)."""
    return staging_root(out_dir) / f"{HOST_STAGING_PREFIX}{machine}"


def sweep_stale_staging(out_dir: Path, root: Path | None = None) -> list[Path]:
    """Remove staging folders of captures whose process died (``kill -9``, crash).

    Nothing under a final name is touched: a staging folder is never a package. Folders of
    live captures (their lock is held) are left alone. ``root``: the staging folder to sweep
    (default: the output folder's own; the per-computer folders in it are never swept from
    there, only by their own computer). Returns what was removed.
    """
    root = staging_root(out_dir) if root is None else root
    removed: list[Path] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    now = datetime.now(UTC).timestamp()
    for entry in entries:
        if entry.suffix == ".lock" or not entry.is_dir():
            continue
        if entry.name.startswith(HOST_STAGING_PREFIX) and entry.parent == staging_root(out_dir):
            continue  # another computer's (or this one's distributed) captures
        lock_file = lock_path(entry)
        if not lock_file.exists():
            with contextlib.suppress(OSError):
                if now - entry.stat().st_mtime > _UNLOCKED_STAGING_AGE_S:
                    discard(entry)
                    removed.append(entry)
            continue
        try:
            lock = FileLock.try_acquire(lock_file)
        except OSError:
            continue
        if lock is None:
            continue  # a live capture
        if not lock.supported:
            lock.release()  # no locks on this file system: a live capture cannot be told
            break  # from a dead one, so nothing is swept
        try:
            discard(entry)
            removed.append(entry)
        finally:
            lock.release()
    for orphan in root.glob("*.lock"):
        # a lock file whose folder is gone (the process died between the two)
        if orphan.with_suffix("").exists():
            continue
        with contextlib.suppress(OSError):
            lock = FileLock.try_acquire(orphan)
            if lock is not None:
                lock.release()
    return removed


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` (and staging) and check it is writable, with a clear error."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging_root(out_dir).mkdir(exist_ok=True)
        probe = staging_root(out_dir) / f".write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        # the common reasons in the archivist's language (the system's words are English),
        # each with its own advice; others quote the system
        raise OutputDirError(Msg("error.out_dir", path=str(out_dir),
                                 why=_OUT_DIR_WHY.get(exc.errno or 0, "other"),
                                 detail=exc.strerror or str(exc))) from None


#: why an output folder cannot be used, by the error number (``error.out_dir``'s ``why``)
_OUT_DIR_WHY = {errno.EACCES: "access", errno.EPERM: "access", errno.EROFS: "readonly",
                errno.ENOSPC: "full", errno.EDQUOT: "full", errno.ENOTDIR: "notdir",
                errno.EEXIST: "notdir"}


def publish(staging_bag: Path, out_dir: Path, name: str,
            before_rename: Callable[[], None] | None = None) -> Path:
    """Move the verified bag into place atomically under ``name`` (``-2``, ``-3``… on clash).

    ``os.rename`` of a directory is atomic on one volume: the package appears complete or not
    at all. An existing folder is never replaced. ``before_rename``: called right before each
    rename (it raises to stop the publication: a claim that is no longer this publisher's).
    """
    _fsync_dir(staging_bag / "data")
    _fsync_dir(staging_bag)
    for attempt in range(1, 1000):
        final = out_dir / (name if attempt == 1 else f"{name}-{attempt}")
        if final.exists():
            continue
        if before_rename is not None:
            before_rename()
        try:
            os.rename(staging_bag, final)
        except FileExistsError:
            continue
        except OSError as exc:
            if final.exists():
                continue  # lost a race with another capture: try the next name
            raise PackageError(Msg("package.publish_failed", path=str(final),
                                   detail=exc.strerror or str(exc))) from None
        _fsync_dir(out_dir)
        return final
    raise PackageError(Msg("package.no_free_name", name=name, folder=str(out_dir)))


def find_package(out_dir: Path, capture_id: str, *, stem: str | None = None,
                 strict: bool = False) -> Path | None:
    """A published package of ``capture_id`` in ``out_dir`` (its bag-info's
    External-Identifier): the one place that looks for a package by its capture.

    ``stem``: only folders named ``stem``, ``stem-2``, ``stem-3``… (a publisher's names).
    ``strict``: when it is not found and the folder, or a package's bag-info.txt, could not
    be read, :class:`OSError` is raised: None would say "not published" where it cannot be
    told (a crash recovery would capture a second time)."""
    needle = f"External-Identifier: urn:uuid:{capture_id}"
    try:
        candidates = sorted(
            p for p in out_dir.iterdir() if not p.name.startswith(".")
            and (stem is None or p.name == stem or p.name.startswith(stem + "-"))
            and p.is_dir())
    except OSError:
        if strict:
            raise
        return None
    unreadable: OSError | None = None
    for path in candidates:
        try:
            if needle in (path / "bag-info.txt").read_text(encoding="utf-8"):
                return path
        except FileNotFoundError:
            continue  # no bag: not a package
        except (OSError, UnicodeDecodeError) as exc:
            unreadable = exc if isinstance(exc, OSError) else OSError(str(exc))
            continue
    if strict and unreadable is not None:
        raise unreadable
    return None


def discard(path: Path) -> None:
    """Remove a staging directory, ignoring errors (best effort after a failure)."""
    with contextlib.suppress(OSError):
        shutil.rmtree(path)


def check_bag_or_raise(bag_dir: Path) -> None:
    """Validate and raise :class:`VerificationError` listing problems."""
    problems = validate_bag(bag_dir)
    if problems:
        raise VerificationError(problems)
