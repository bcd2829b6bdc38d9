"""``somecapture verify`` catches a one-byte change in any payload file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.models import CaptureStatus
from tests.conftest import run_capture
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def package(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("verify")
    result = run_capture(site.url("/post/1?noconsent=1"), out, expand_timeout_s=10)
    assert result.status is CaptureStatus.COMPLETE, result.error
    assert result.package is not None
    return result.package


def test_intact_package_verifies(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(package)]) == ExitStatus.OK
    assert "OK" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["capture.warc", "screenshot.png", "capture-metadata.json",
                                  "screenshot.pdf", "arkivmelding.xml",
                                  "capture-metadata.schema.json"])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_one_byte_change_is_caught(package: Path, tmp_path: Path, name: str, where: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / package.name
    shutil.copytree(package, copy)
    target = copy / "data" / name
    data = bytearray(target.read_bytes())
    index = {"start": 0, "middle": len(data) // 2, "end": len(data) - 1}[where]
    data[index] ^= 0x01
    target.write_bytes(bytes(data))
    assert main(["verify", str(copy)]) == ExitStatus.VERIFY_FAILED
    out = capsys.readouterr().out
    assert "FAILED" in out and f"data/{name}" in out


def test_missing_and_extra_files_are_caught(package: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing"
    shutil.copytree(package, missing)
    (missing / "data" / "screenshot.png").unlink()
    assert main(["verify", str(missing)]) == ExitStatus.VERIFY_FAILED
    assert "data/screenshot.png" in capsys.readouterr().out
    extra = tmp_path / "extra"
    shutil.copytree(package, extra)
    (extra / "data" / "notes.txt").write_text("added later")
    assert main(["verify", str(extra)]) == ExitStatus.VERIFY_FAILED
    assert "notes.txt" in capsys.readouterr().out


def test_verify_not_a_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a folder with none of a package's files is a wrong folder: a usage error (issue 22)
    assert main(["verify", str(tmp_path)]) == ExitStatus.USAGE
    assert "is a folder, but not a package" in capsys.readouterr().err
    # one with some of them but no declaration is a damaged package
    (tmp_path / "data").mkdir()
    assert main(["verify", str(tmp_path)]) == ExitStatus.VERIFY_FAILED
    assert "not a somecapture package" in capsys.readouterr().out


def test_tag_file_tampering_is_caught(package: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "tag"
    shutil.copytree(package, copy)
    (copy / "tagmanifest-sha256.txt").unlink()
    info = copy / "bag-info.txt"
    info.write_text(info.read_text().replace("(complete)", "(partial)"))
    assert main(["verify", str(copy)]) == ExitStatus.VERIFY_FAILED
    assert "tagmanifest-sha256.txt: missing" in capsys.readouterr().out
    other = tmp_path / "id"
    shutil.copytree(package, other)
    info = other / "bag-info.txt"
    info.write_text(info.read_text().replace("External-Identifier: urn:uuid:",
                                             "External-Identifier: urn:uuid:0"))
    assert main(["verify", str(other)]) == ExitStatus.VERIFY_FAILED
    out = capsys.readouterr().out
    assert "bag-info.txt" in out
