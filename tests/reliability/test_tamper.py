"""Tamper evidence beyond one changed byte (tests/engine/test_verify_tamper.py covers that):
a modified WARC record, also when the bag's checksums were recomputed to hide it; a removed
record; changed, missing and extra tag files. ``verify`` must name what is wrong (exit 5).

A forger who recomputes *every* checksum (WARC digests, the metadata's file list and the bag
manifests) is not detectable from the package alone; docs/reliability.md says so.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.models import CaptureStatus
from tests.fixtures.site.server import FixtureSite
from tests.reliability.helpers import SharedBrowser

pytestmark = pytest.mark.browser

PAGE_TEXT = b"Denne siden ble sendt med gzip."


@pytest.fixture(scope="module")
def package(browser: SharedBrowser, fault_site: FixtureSite,
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    o = browser.capture(fault_site.url("/gzip/page"), tmp_path_factory.mktemp("tamper") / "out")
    assert o.result.status is CaptureStatus.COMPLETE, (o.result.error, o.result.warnings)
    assert o.result.package is not None
    return o.result.package


@pytest.fixture()
def copy(package: Path, tmp_path: Path) -> Path:
    target = tmp_path / package.name
    shutil.copytree(package, target)
    return target


def _verify(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["verify", str(path)])
    return code, capsys.readouterr().out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rehash_bag(bag: Path) -> None:
    """What a forger does to hide a change from the bag: recompute both manifests."""
    lines = []
    for line in (bag / "manifest-sha256.txt").read_text("utf-8").splitlines():
        _digest, rel = line.split(maxsplit=1)
        lines.append(f"{_sha256(bag / rel)}  {rel}")
    (bag / "manifest-sha256.txt").write_text("\n".join(lines) + "\n", "utf-8")
    tags = []
    for line in (bag / "tagmanifest-sha256.txt").read_text("utf-8").splitlines():
        _digest, rel = line.split(maxsplit=1)
        tags.append(f"{_sha256(bag / rel)}  {rel}")
    (bag / "tagmanifest-sha256.txt").write_text("\n".join(tags) + "\n", "utf-8")
    # Payload-Oxum: total size stays right when only bytes (not lengths) change


def _page_record(warc: Path) -> tuple[int, int]:
    """(offset, length) of the page's response record in the WARC."""
    with open(warc, "rb") as fh:
        it = ArchiveIterator(fh)
        for rec in it:
            if rec.rec_type == "response" and "/gzip/page" in (
                    rec.rec_headers.get_header("WARC-Target-URI") or ""):
                rec.content_stream().read()
                start = it.get_record_offset()
                it.read_to_end(rec)
                return start, it.get_record_length()
    raise AssertionError("page record not found")


def _b32(data: bytes) -> str:
    return "sha256:" + base64.b32encode(hashlib.sha256(data).digest()).decode()


def _tamper_page_record(warc: Path, *, fix_digests: bool) -> None:
    """Change the page text inside its response record (same length); optionally recompute the
    record's WARC-Block-Digest and WARC-Payload-Digest as a careful forger would."""
    data = bytearray(warc.read_bytes())
    start, length = _page_record(warc)
    record = bytes(data[start:start + length])
    at = record.index(PAGE_TEXT)
    forged = record[:at] + PAGE_TEXT.replace(b"gzip", b"GZIP") + record[at + len(PAGE_TEXT):]
    if fix_digests:
        head, block = forged.split(b"\r\n\r\n", 1)
        block = block[: len(block) - 4] if block.endswith(b"\r\n\r\n") else block
        payload = block.split(b"\r\n\r\n", 1)[1]
        old_head = head.decode()
        new_head = []
        for line in old_head.split("\r\n"):
            if line.startswith("WARC-Block-Digest:"):
                line = f"WARC-Block-Digest: {_b32(block)}"
            elif line.startswith("WARC-Payload-Digest:"):
                line = f"WARC-Payload-Digest: {_b32(payload)}"
            new_head.append(line)
        rebuilt = "\r\n".join(new_head).encode()
        assert len(rebuilt) == len(head)
        forged = rebuilt + forged[len(head):]
    assert len(forged) == len(record)
    data[start:start + length] = forged
    warc.write_bytes(bytes(data))


def test_modified_warc_record_is_named(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper_page_record(copy / "data" / "capture.warc", fix_digests=False)
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED
    assert "data/capture.warc" in out and "FAILED" in out


def test_modified_warc_record_is_caught_after_the_bag_was_rehashed(
        copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper_page_record(copy / "data" / "capture.warc", fix_digests=False)
    _rehash_bag(copy)
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out
    # the record's own digest no longer matches: verify names the WARC (and the record)
    assert "capture.warc" in out and "digest" in out.lower(), out


def test_modified_warc_record_with_forged_digests_is_caught_by_the_metadata(
        copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tamper_page_record(copy / "data" / "capture.warc", fix_digests=True)
    _rehash_bag(copy)
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "capture.warc" in out, out


def test_removed_warc_record_is_caught(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = copy / "data" / "capture.warc"
    start, length = _page_record(warc)
    data = warc.read_bytes()
    warc.write_bytes(data[:start] + data[start + length:])
    _rehash_bag(copy)
    # the forger also has to fix the size total, or bagit catches that first
    info = (copy / "bag-info.txt").read_text("utf-8")
    lines = []
    for line in info.splitlines():
        if line.startswith("Payload-Oxum:"):
            octets, count = line.split(":", 1)[1].strip().split(".")
            line = f"Payload-Oxum: {int(octets) - length}.{count}"
        lines.append(line)
    (copy / "bag-info.txt").write_text("\n".join(lines) + "\n", "utf-8")
    _rehash_bag(copy)
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "capture.warc" in out, out


@pytest.mark.parametrize("name", ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"])
def test_changed_tag_file_is_named(copy: Path, name: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = copy / name
    path.write_bytes(path.read_bytes() + b"X-Forged: yes\n" if name == "bag-info.txt"
                     else path.read_bytes().replace(b"1", b"2", 1))
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out
    assert name in out or "not a valid bag" in out, out


@pytest.mark.parametrize("name", ["bag-info.txt", "tagmanifest-sha256.txt",
                                  "manifest-sha256.txt", "bagit.txt"])
def test_missing_tag_file_is_caught(copy: Path, name: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (copy / name).unlink()
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out


def test_changed_bag_info_without_its_tag_manifest_is_caught(
        copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (copy / "tagmanifest-sha256.txt").unlink()
    info = copy / "bag-info.txt"
    info.write_text(info.read_text("utf-8").replace("External-Identifier: urn:uuid:",
                                                    "External-Identifier: urn:uuid:0"), "utf-8")
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out


def test_missing_data_folder_is_caught(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(copy / "data")
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out


@pytest.mark.parametrize("where", ["data/extra.warc", "data/sub/notes.txt"])
def test_extra_payload_file_is_named(copy: Path, where: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    target = copy / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"WARC/1.1\r\n")
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out
    assert where in out, out


def test_replaced_screenshot_is_named(copy: Path, package: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from PIL import Image

    shot = copy / "data" / "screenshot.png"
    with Image.open(shot) as img:
        img.convert("RGB").transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(shot)
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "data/screenshot.png" in out, out


def test_intact_copy_verifies(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(copy, capsys)
    assert code == ExitStatus.OK, out
