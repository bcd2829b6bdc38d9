"""WARC writer and checker, bag writer and validator, without a browser."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

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
