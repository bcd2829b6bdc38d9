"""The WACZ of a sealed package is stamped too (issue 17): the SHA-256 of ``datapackage.json``
(what ``datapackage-digest.json`` states) is stamped at export by each configured authority,
and the tokens are carried in ``datapackage-digest.json``. Checked independently by ``openssl
ts -verify -digest`` and by py-wacz's ``wacz validate``; an authority that is down leaves the
WACZ written, says why and exits PARTIAL; with no authority the WACZ is not stamped, said once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.models import CaptureStatus
from somecapture.package.seal import check_token
from tests.conftest import run_capture
from tests.fixtures.site import server as fx
from tests.fixtures.tsa import LocalTSA
from tests.packaging.test_seal import refused_url
from tests.packaging.test_wacz import _wacz_validate

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with LocalTSA(name="WACZ Test TSA") as server:
        yield server


@pytest.fixture(scope="module")
def sealed(site: fx.FixtureSite, tsa: LocalTSA, tmp_path_factory: pytest.TempPathFactory
           ) -> Path:
    out = tmp_path_factory.mktemp("wacz-sealed")
    result = run_capture(site.url("/post/1"), out, timestamp_urls=(tsa.url,),
                         catalog_path=out.parent / "wacz-sealed.sqlite")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    assert (result.package / "signatures" / "tsa-1.tsr").is_file()
    return result.package


def _config(folder: Path, *urls: str) -> Path:
    path = folder / "config.toml"
    listed = ", ".join(f'"{u}"' for u in urls)
    path.write_text(f"[timestamp]\nurls = [{listed}]\n" if urls else "", encoding="utf-8")
    return path


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["export", *args])
    return code, capsys.readouterr().err


def _digest(wacz: Path) -> tuple[bytes, dict]:
    with zipfile.ZipFile(wacz) as zf:
        return zf.read("datapackage.json"), json.loads(zf.read("datapackage-digest.json"))


def test_the_wacz_digest_is_stamped_and_checks_with_openssl(
        sealed: Path, tsa: LocalTSA, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "stamped.wacz"
    # the authorities of the config file, as a capture uses them
    code, err = _export(capsys, str(sealed), "--wacz", str(target),
                        "--config", str(_config(tmp_path, tsa.url)))
    assert code == ExitStatus.OK, err
    assert "The WACZ is stamped: 1 of 1" in err, err
    dp_bytes, digest = _digest(target)
    dp_hex = hashlib.sha256(dp_bytes).hexdigest()
    assert digest["hash"] == f"sha256:{dp_hex}"
    stamp = digest["timestamps"]
    assert stamp["stamped"] == "datapackage.json" and stamp["digest"] == dp_hex
    assert "failed" not in stamp and len(stamp["tokens"]) == 1
    assert f"-digest {dp_hex}" in stamp["check"]
    entry = stamp["tokens"][0]
    assert entry["authority"] == 1 and entry["url"] == tsa.url
    token = base64.b64decode(entry["token"])
    assert entry["tokenSha256"] == hashlib.sha256(token).hexdigest()
    # the packager's own check, over the bytes of datapackage.json
    info = check_token(token, dp_bytes, stamped_name="datapackage.json")
    assert entry["genTime"].startswith(info.gen_time.strftime("%Y-%m-%dT%H:%M:%S"))
    # and openssl's, with nothing of ours: the digest as datapackage-digest.json states it
    (tmp_path / "tsa.tsr").write_bytes(token)
    (tmp_path / "tsa-chain.pem").write_text(entry["chain"], encoding="ascii")
    for ca_file in ("tsa-chain.pem", str(tsa.ca_pem)):
        done = subprocess.run(["openssl", "ts", "-verify", "-digest", dp_hex, "-in", "tsa.tsr",
                               "-CAfile", ca_file], cwd=tmp_path, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr
    # another digest does not pass
    done = subprocess.run(["openssl", "ts", "-verify", "-digest", "00" * 32, "-in", "tsa.tsr",
                           "-CAfile", "tsa-chain.pem"], cwd=tmp_path, capture_output=True,
                          check=False)
    assert done.returncode != 0
    # no file beyond what datapackage.json lists: the validator accepts it
    validated = _wacz_validate(target)
    print(validated.stdout)  # the validator's words, for the record (pytest -s)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "Validation succeeded" in validated.stdout
    # the package's own seal is carried as before
    assert digest["packageSeal"]["tokens"][0]["token"] == "seal/tsa-1.tsr"


def test_why_the_tokens_are_not_files_beside_it(sealed: Path, tsa: LocalTSA, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A token as a file of its own (``signatures/tsa-1.tsr``) cannot be listed in the
    datapackage.json it stamps, and py-wacz rejects any file that is not listed."""
    target = tmp_path / "stamped.wacz"
    code, err = _export(capsys, str(sealed), "--wacz", str(target), "--timestamp-url", tsa.url)
    assert code == ExitStatus.OK, err
    _, digest = _digest(target)
    with zipfile.ZipFile(target, "a") as zf:
        zf.writestr("signatures/tsa-1.tsr", base64.b64decode(
            digest["timestamps"]["tokens"][0]["token"]))
    validated = _wacz_validate(target)
    assert validated.returncode != 0
    assert "signatures/tsa-1.tsr is not listed in the datapackage" in validated.stdout


def test_an_authority_down_still_writes_the_wacz_and_is_partial(
        sealed: Path, tsa: LocalTSA, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "partial.wacz"
    down = refused_url()
    code, err = _export(capsys, str(sealed), "--wacz", str(target), "--timestamp-url", tsa.url,
                        "--timestamp-url", down)
    assert code == ExitStatus.PARTIAL, err
    assert target.is_file()
    assert "WACZ time stamp 2" in err and "cannot reach the authority" in err, err
    assert "The WACZ was written without it" in err
    _, digest = _digest(target)
    stamp = digest["timestamps"]
    assert [t["authority"] for t in stamp["tokens"]] == [1]
    assert stamp["failed"][0]["authority"] == 2 and stamp["failed"][0]["url"] == down
    assert _wacz_validate(target).returncode == 0
    # every authority down: still written, still PARTIAL, no token claimed
    only_down = tmp_path / "down.wacz"
    code, err = _export(capsys, str(sealed), "--wacz", str(only_down), "--timestamp-url", down,
                        "--json")
    assert code == ExitStatus.PARTIAL, err
    assert only_down.is_file()
    assert _digest(only_down)[1]["timestamps"]["tokens"] == []


def test_no_authority_no_stamp_said_once(sealed: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plain.wacz"
    code, err = _export(capsys, str(sealed), "--wacz", str(target),
                        "--config", str(_config(tmp_path)))
    assert code == ExitStatus.OK, err
    assert err.count("not stamped") == 1 and "no time-stamp authority" in err, err
    assert "timestamps" not in _digest(target)[1]
    target = tmp_path / "off.wacz"
    code, err = _export(capsys, str(sealed), "--wacz", str(target), "--no-timestamp",
                        "--config", str(_config(tmp_path, "http://127.0.0.1:9/tsa")))
    assert code == ExitStatus.OK, err
    assert err.count("not stamped") == 1 and "--no-timestamp" in err, err
    assert "timestamps" not in _digest(target)[1]
    code, err = _export(capsys, str(sealed), "--wacz", str(tmp_path / "x.wacz"),
                        "--no-timestamp", "--timestamp-url", "http://127.0.0.1:9/tsa")
    assert code == ExitStatus.USAGE and "contradict" in err
