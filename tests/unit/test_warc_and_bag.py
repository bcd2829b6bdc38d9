"""WARC writer and checker, bag writer and validator, without a browser."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from somecapture.filelock import FileLock
from somecapture.models import Artifact
from somecapture.package import bag
from somecapture.warc.verify import check_warc
from somecapture.warc.writer import CaptureWarcWriter


def _write_sample(path: Path) -> CaptureWarcWriter:
    w = CaptureWarcWriter(path, {"software": "test"})
    now = datetime.now(UTC)
    body = "Hei på deg æøå".encode()
    w.write_exchange(
        url="https://example.com/a?b=1", request_line="GET /a?b=1 HTTP/1.1",
        request_headers=[("Host", "example.com")], request_body=None, request_time=now,
        status_line="200 OK",
        response_headers=[("Content-Type", "text/plain; charset=utf-8"),
                          ("Content-Length", str(len(body)))],
        body=io.BytesIO(body), body_length=len(body), response_time=now,
    )
    w.write_resource("urn:test:shot", "image/png", b"\x89PNG fake", refers_to_uri="https://e/")
    w.write_metadata("urn:test:prov", {"k": "v"})
    w.close()
    return w


def test_written_warc_checks_clean(tmp_path: Path) -> None:
    warc = tmp_path / "t.warc"
    w = _write_sample(warc)
    result = check_warc(warc)
    assert result.ok, result.problems
    assert result.records == 5 == w.record_count
    assert dict(result.counts) == {"warcinfo": 1, "response": 1, "request": 1, "resource": 1,
                                   "metadata": 1}
    assert w.sha256_hex() == bag.sha256_file(warc)
    text = warc.read_bytes()
    assert text.startswith(b"WARC/1.1\r\n")
    assert b"WARC-Payload-Digest: sha256:" in text


def test_corrupt_warc_body_is_reported(tmp_path: Path) -> None:
    warc = tmp_path / "t.warc"
    _write_sample(warc)
    # same length, different bytes: only the digests can tell
    (tmp_path / "bad2.warc").write_bytes(
        warc.read_bytes().replace("æøå".encode(), b"aoaxxx"))
    result = check_warc(tmp_path / "bad2.warc")
    assert not result.ok
    assert any("digest" in p for p in result.problems)


def test_truncated_warc_is_reported(tmp_path: Path) -> None:
    warc = tmp_path / "t.warc"
    _write_sample(warc)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(warc.read_bytes()[:-200])
    assert not check_warc(cut).ok


def test_bag_round_trip(tmp_path: Path) -> None:
    bag_dir = tmp_path / "bag"
    (bag_dir / "data").mkdir(parents=True)
    arts = []
    for name, content in [("a.txt", b"alpha"), ("b c.bin", b"\x00\x01")]:
        p = bag_dir / "data" / name
        p.write_bytes(content)
        arts.append(Artifact(name, bag.sha256_file(p), len(content), "application/octet-stream"))
    bag.write_bag(bag_dir, arts, {"Contact-Name": "Kari Nordmann\nline2"})
    assert bag.validate_bag(bag_dir) == []
    info = (bag_dir / "bag-info.txt").read_text()
    assert "Payload-Oxum: 7.2" in info and "Contact-Name: Kari Nordmann line2" in info
    (bag_dir / "data" / "a.txt").write_bytes(b"alphA")
    problems = bag.validate_bag(bag_dir)
    assert problems and "a.txt" in problems[0]


def test_publish_is_atomic_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "out"
    bag.prepare_out_dir(out)
    first = bag.staging_root(out) / "one"
    (first / "data").mkdir(parents=True)
    published = bag.publish(first, out, "name")
    assert published == out / "name" and not first.exists()
    second = bag.staging_root(out) / "two"
    (second / "data").mkdir(parents=True)
    assert bag.publish(second, out, "name") == out / "name-2"


def _staging(out: Path, name: str) -> Path:
    folder = bag.staging_root(out) / name
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "warc.warc").write_bytes(b"half a capture")
    return folder


def test_stale_staging_of_dead_captures_is_swept_and_live_is_kept(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    bag.prepare_out_dir(out)
    # a capture of another live process: its lock is held (in a child process, as it would be)
    live = _staging(out, "live")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; from pathlib import Path; from somecapture.filelock import FileLock; "
         f"lock = FileLock.try_acquire(Path({str(bag.lock_path(live))!r})); "
         "print('held' if lock else 'busy', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        # a capture whose process died: lock file left, nobody holds it
        dead = _staging(out, "dead")
        bag.lock_path(dead).write_bytes(b"")
        # an old folder without a lock file (older version), and a fresh one (mid-creation)
        old = _staging(out, "old")
        days_ago = time.time() - 2 * 24 * 3600
        os.utime(old, (days_ago, days_ago))
        fresh = _staging(out, "fresh")
        # a lock file whose folder is gone
        orphan = bag.staging_root(out) / "orphan.lock"
        orphan.write_bytes(b"")
        published = out / "2026-11-25-package"
        published.mkdir()

        removed = bag.sweep_stale_staging(out)

        assert sorted(p.name for p in removed) == ["dead", "old"]
        assert not dead.exists() and not bag.lock_path(dead).exists() and not old.exists()
        assert live.exists() and bag.lock_path(live).exists()
        assert fresh.exists()
        assert not orphan.exists()
        assert published.exists()  # nothing under a final name is touched
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    # once the live capture's process is gone, its folder is a leftover too
    assert [p.name for p in bag.sweep_stale_staging(out)] == ["live"]


def test_staging_lock_is_exclusive_until_released(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    first = FileLock.try_acquire(path)
    assert first is not None
    assert FileLock.try_acquire(path) is None  # another open file description
    first.release()
    assert not path.exists()
    again = FileLock.try_acquire(path)
    assert again is not None
    again.release()
    again.release()  # twice is fine


def test_a_file_system_without_locks_neither_stops_work_nor_sweeps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NFS without lockd, some SMB mounts: flock fails with ENOLCK. Captures go on; the sweep
    removes nothing, since a live capture cannot be told from a dead one there."""
    import errno
    import fcntl

    def no_locks(_fd: int, _op: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    lock = FileLock.try_acquire(tmp_path / "x.lock")
    assert lock is not None and lock.supported is False
    lock.release()
    out = tmp_path / "out"
    bag.prepare_out_dir(out)
    other = _staging(out, "someone-elses")
    bag.lock_path(other).write_bytes(b"")
    assert bag.sweep_stale_staging(out) == []
    assert other.exists() and bag.lock_path(other).exists()
