"""Exactly one package per batch item, however often its job is delivered.

A distributed batch hands each list line to a task queue; the queue delivers it *at least*
once (a worker that seems dead has its job handed to another, and a worker that was only slow
goes on too). Two deliveries of one item may therefore both capture it; only the first to
reach publication may publish. The item's **idempotency key** (batch id, line, URL hash) is
claimed in the output folder right before the atomic rename that publishes the package.

The claim is a small JSON file ``<out>/.somecapture-claims/<sha256 of key>.json``, created
with ``O_CREAT | O_EXCL``: of two publishers exactly one creates it, also on a shared network
folder (SMB and NFSv3+ both create exclusively). No file lock is relied on across machines
(SMB and some NFS mounts lock only on the client, so a lock taken on one machine does not
stop another). The file says which capture claimed the key, under which name it is being
published, and, once the rename happened, the published folder's name.

A publisher that finds the claim:

* the claimed package is there (the folder named in the claim, or a folder ``<name>``,
  ``<name>-2``… whose ``bag-info.txt`` carries the claiming capture's id): the item is
  published, :class:`~somecapture.errors.AlreadyPublishedError`;
* the claim names a published package (``package``) that is no longer there: it was moved
  away (an ingest took it out of the drop folder); the item stays published,
  :class:`~somecapture.errors.AlreadyPublishedError` naming it (a package is never published
  twice because its first one was moved);
* it is not there yet: the claimer is between claim and rename (milliseconds) or died there.
  On the same computer (its machine id, :mod:`somecapture.package.machine`) a claimer's lock
  (released by the operating system when its process dies) tells at once; otherwise the
  claim is taken over only after it has not changed for :data:`STALE_CLAIM_S` (measured on
  this computer's own clock, so skewed clocks on a shared folder do not matter; a worker's
  ``--stale-claim-after``). Taking over renames the stale claim to a name made from its
  contents' hash and checks the renamed file still holds what was judged stale: a taker
  that came late (another took over meanwhile, and claimed afresh) puts the fresh claim
  back and takes nothing over. A publisher checks right before its rename that the claim
  is still its own (its process id, a random id per process): a publisher that stalled
  longer than the stale time and was taken over publishes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somecapture.errors import AlreadyPublishedError, PackageError
from somecapture.filelock import FileLock
from somecapture.messages import Msg
from somecapture.package import bag
from somecapture.package.machine import PROCESS_ID, machine_id

CLAIMS_DIR = ".somecapture-claims"
#: a claim naming no published package, unchanged this long, belongs to a publisher that died
#: between claim and rename (a rename takes milliseconds, also on a network share)
STALE_CLAIM_S = 120.0
_POLL_S = 0.25


def claims_dir(out_dir: Path) -> Path:
    """Where the claims of an output folder live (hidden: never taken for a package)."""
    return out_dir / CLAIMS_DIR


def _claim_path(out_dir: Path, key: str) -> Path:
    return claims_dir(out_dir) / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}.json"


@dataclass(frozen=True)
class Claim:
    """What a claim file says."""

    key: str
    capture_id: str
    #: the name the package is published under (or its stem, before the rename)
    name: str
    #: the published folder's name, once the rename happened
    package: str | None
    #: the claiming computer's machine id (not its host name: two computers may share one)
    host: str
    pid: int
    #: the claiming process (random per process: pids are reused)
    process: str = ""

    @classmethod
    def read(cls, path: Path) -> Claim | None:
        """The claim at ``path``; None when there is none, or it is still being written."""
        try:
            return cls.parse(path.read_text("utf-8"))
        except OSError:
            return None

    @classmethod
    def parse(cls, text: str | None) -> Claim | None:
        """The claim a claim file's ``text`` says (None: not a whole claim)."""
        try:
            data = json.loads(text or "")
            return cls(key=str(data["key"]), capture_id=str(data["capture_id"]),
                       name=str(data["name"]), package=data.get("package"),
                       host=str(data.get("host", "")), pid=int(data.get("pid", 0)),
                       process=str(data.get("process", "")))
        except (ValueError, KeyError, TypeError):
            return None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (the file's contents)."""
        return {"key": self.key, "capture_id": self.capture_id, "name": self.name,
                "package": self.package, "host": self.host, "pid": self.pid,
                "process": self.process, "at": datetime.now(UTC).isoformat(timespec="seconds")}

    def same_claimer(self, other: Claim) -> bool:
        """Whether ``other`` is this claimer's claim (the same process and capture)."""
        return (self.process, self.capture_id, self.key) == (
            other.process, other.capture_id, other.key)


def published_package(out_dir: Path, key: str) -> Path | None:
    """The package published for ``key`` in ``out_dir``, if any (a cheap look before
    capturing: a redelivered job whose item is published need not be captured again)."""
    claim = Claim.read(_claim_path(out_dir, key))
    return _claimed_package(out_dir, claim) if claim is not None else None


def _claimed_package(out_dir: Path, claim: Claim) -> Path | None:
    """The folder the claim's capture published: the one the claim names (published for
    good, also when it has been moved away since), else a folder found by the name's stem
    and the capture's id (published, the claim not updated yet)."""
    if claim.package:
        return out_dir / claim.package
    # before the claim was updated with the final name: publish() may have added -2, -3…
    return bag.find_package(out_dir, claim.capture_id, stem=claim.name)


def _write_new(path: Path, claim: Claim) -> bool:
    """Create the claim file exclusively; False when another publisher has it."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(claim.to_json(), fh)
        fh.flush()
        os.fsync(fh.fileno())
    return True


def _rewrite(path: Path, claim: Claim) -> None:
    """Replace the claim's contents atomically (a reader sees the old or the new)."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(claim.to_json(), fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _lock(path: Path) -> FileLock:
    """The claim's lock, waited for: held by others only from claim to rename (milliseconds)
    or while they look at the claim."""
    while True:
        lock = FileLock.try_acquire(path.with_suffix(".lock"))
        if lock is not None:
            return lock
        time.sleep(0.05)


def publish_once(staging_bag: Path, out_dir: Path, name: str, key: str,
                 capture_id: str) -> Path:
    """Publish ``staging_bag`` as :func:`somecapture.package.bag.publish` does, unless the
    item ``key`` is already published: then :class:`AlreadyPublishedError` and nothing is
    renamed (the caller discards its staging folder)."""
    claims_dir(out_dir).mkdir(exist_ok=True)
    path = _claim_path(out_dir, key)
    here = machine_id()
    mine = Claim(key=key, capture_id=capture_id, name=name, package=None, host=here,
                 pid=os.getpid(), process=PROCESS_ID)

    def still_mine() -> None:
        now = Claim.read(path)
        if now is None or not mine.same_claimer(now):
            raise PackageError(Msg("package.claim_taken", seconds=round(STALE_CLAIM_S)))
    seen: tuple[str | None, float] | None = None  # (claim text, since when unchanged)
    while True:
        # held from claim to rename: a publisher on this computer that gets the lock while a
        # claim of this computer names no package knows its claimer died in between
        lock = _lock(path)
        wait = False
        try:
            if _write_new(path, mine):
                try:
                    final = bag.publish(staging_bag, out_dir, name, before_rename=still_mine)
                except PackageError:
                    if _claim_is(path, mine):
                        path.unlink(missing_ok=True)  # nothing was published: the key is free
                    raise
                except BaseException:
                    if _claim_is(path, mine):
                        path.unlink(missing_ok=True)
                    raise
                # published: a failure to record the final name (a sharing violation on
                # Windows) changes nothing, the package is found by its stem and capture id
                with contextlib.suppress(OSError):
                    _rewrite(path, replace(mine, package=final.name))
                return final
            claim = Claim.read(path)
            if claim is not None:
                found = _claimed_package(out_dir, claim)
                if found is not None:
                    raise AlreadyPublishedError(found)
            text, now = _text(path), time.monotonic()
            if seen is None or seen[0] != text:
                seen = (text, now)
            dead = claim is not None and claim.host == here and lock.supported
            if text is not None and not dead and now - seen[1] < STALE_CLAIM_S:
                wait = True  # another computer's publisher, perhaps renaming right now
            else:
                # the claimer died between claim and rename: move its claim aside (one
                # taker wins; the others find the new claim on their next round), claim anew
                _take_over(path, text)
                seen = None
        finally:
            lock.release(remove=False)  # kept: removing it could let two processes lock it
        if wait:
            time.sleep(_POLL_S)


def _claim_is(path: Path, mine: Claim) -> bool:
    """Whether the claim file at ``path`` is still ``mine``."""
    now = Claim.read(path)
    return now is not None and mine.same_claimer(now)


def _take_over(path: Path, stale_text: str | None) -> bool:
    """Move the stale claim ``stale_text`` at ``path`` aside, under a name made from its
    contents' hash; True when it was moved. A taker that came late (another took the claim
    over and claimed afresh) moved the fresh claim instead: it is put back."""
    digest = hashlib.sha256((stale_text or "").encode("utf-8")).hexdigest()[:16]
    aside = path.with_name(f"{path.name}.stale-{digest}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return False
    if _text(aside) == stale_text:
        return True
    # not the claim judged stale: another taker's fresh one; back under its name, unless a
    # newer claim is there already (then the fresh one's owner finds it is no longer its own)
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    except OSError:  # no hard links (some shares): a rename, which may replace
        with contextlib.suppress(OSError):
            if not path.exists():
                os.rename(aside, path)
                return False
    with contextlib.suppress(OSError):
        aside.unlink()
    return False


def _text(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except OSError:
        return None
