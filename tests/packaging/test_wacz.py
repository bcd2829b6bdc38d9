"""WACZ export: a real package exported, checked by py-wacz's ``wacz validate``, by its own
datapackage hashes, and replayed by pywb from the WACZ's own WARC and index; bad inputs are
refused with the right message and exit status, leaving nothing behind.

The capture is made with the fixture site closed before anything is replayed, so a page pywb
serves can only come from the WACZ.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.models import CaptureStatus
from somecapture.warc.cdxj import surt_key
from tests.conftest import run_capture
from tests.fixtures.site import server as fx
from tests.packaging.pywb_replay import _bin, _free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    out = tmp_path_factory.mktemp("wacz-capture")
    with fx.FixtureSite() as live:  # closed before any replay
        url = live.url("/post/1")
        result = run_capture(url, out, catalog_path=out.parent / "wacz-catalog.sqlite")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    yield result.package, url


@pytest.fixture(scope="module")
def exported(package: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wacz-out") / "capture.wacz"
    assert main(["export", str(package[0]), "--wacz", str(target)]) == ExitStatus.OK
    return target


def _wacz_validate(path: Path) -> subprocess.CompletedProcess[str]:
    """py-wacz's own validator, as a user would run it."""
    return subprocess.run([_bin("wacz"), "validate", "-f", str(path)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def _page_body(warc: Path, url: str) -> bytes:
    with open(warc, "rb") as fh:
        for record in ArchiveIterator(fh):
            if (record.rec_type == "response"
                    and record.rec_headers.get_header("WARC-Target-URI") == url):
                return record.content_stream().read()
    raise AssertionError(f"no response for {url}")


def test_wacz_validate_accepts_it(exported: Path) -> None:
    done = _wacz_validate(exported)
    print(done.stdout)  # the validator's words, for the record (pytest -s)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Validation succeeded" in done.stdout


def test_layout_hashes_and_metadata(exported: Path, package: tuple[Path, str]) -> None:
    pkg, url = package
    with zipfile.ZipFile(exported) as zf:
        names = set(zf.namelist())
        assert names == {"archive/capture.warc", "indexes/index.cdx", "pages/pages.jsonl",
                         "datapackage.json", "datapackage-digest.json"}
        # the WARC is stored, byte for byte the package's
        warc_info = zf.getinfo("archive/capture.warc")
        assert warc_info.compress_type == zipfile.ZIP_STORED
        assert zf.read("archive/capture.warc") == (pkg / "data" / "capture.warc").read_bytes()
        dp_bytes = zf.read("datapackage.json")
        dp = json.loads(dp_bytes)
        assert dp["profile"] == "data-package"
        assert dp["wacz_version"] == "1.1.1"
        assert dp["software"].startswith("somecapture ")
        assert dp["created"].endswith("Z") and dp["title"]
        assert dp["mainPageURL"] == url
        listed = {r["path"]: r for r in dp["resources"]}
        assert set(listed) == names - {"datapackage.json", "datapackage-digest.json"}
        for path, res in listed.items():
            data = zf.read(path)
            assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest(), path
            assert res["bytes"] == len(data), path
            assert res["name"] == path.rsplit("/", 1)[-1]
        digest = json.loads(zf.read("datapackage-digest.json"))
        # an unsealed package: no signature of any kind is claimed
        assert digest == {"path": "datapackage.json",
                          "hash": "sha256:" + hashlib.sha256(dp_bytes).hexdigest()}
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").splitlines()]
        assert pages[0]["format"] == "json-pages-1.0"
        assert len(pages) == 2 and pages[1]["url"] == url
        assert pages[1]["ts"] == dp["mainPageDate"] and pages[1]["title"]
        meta = json.loads((pkg / "data" / "capture-metadata.json").read_text(encoding="utf-8"))
        assert pages[1]["id"] == meta["capture_id"]


def test_index_is_what_pywbs_own_indexer_makes(exported: Path) -> None:
    """An independent indexer over the same WARC gives the very same CDXJ lines."""
    from pywb.indexer.cdxindexer import write_cdx_index

    with zipfile.ZipFile(exported) as zf:
        ours = zf.read("indexes/index.cdx").decode("utf-8").splitlines()
        out = io.BytesIO()
        write_cdx_index(out, io.BytesIO(zf.read("archive/capture.warc")), "capture.warc",
                        cdxj=True, sort=True)
    theirs = [line for line in out.getvalue().decode("utf-8").splitlines()
              if line and not line.startswith("!")]
    assert ours == theirs
    assert len(ours) > 20


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/post/1?b=2&A=1#x",
    "https://www.Example.com/A/B/?x=%41%2f",
    "https://bücher.example/ä b",
    "https://m.facebook.com:443/path/",
    "http://example.com/a%20b/c;jsessionid=ABCDEF0123456789ABCDEF0123456789",
    "https://example.com/?",
    "https://example.com/a?b",
    "https://example.com/%7Euser/%zz",
    "https://EXAMPLE.com./x",
    "http://127.1/x",
    "http://2130706433/",
    "https://www2.example.com/./a/../b//c/?z&y=1&x=%2525",
    "https://x.com/a?q=%E2%9C%93&sid=0123456789abcdef0123456789abcdef&b=1",
    "https://user:pw@Example.com:8443/P?Q=R#frag",
    "https://www.facebook.com/oslokommune/posts/pfbid0abc?__cft__[0]=AZX&__tn__=%2CO%2CP-R",
    "https://x.com/i/api/graphql/abc/TweetDetail?variables=%7B%22focalTweetId%22%3A%221%22%7D",
    "urn:somecapture:1234:provenance",
])
def test_surt_keys_agree_with_the_surt_library(url: str) -> None:
    import surt  # pywb's canonicaliser: the keys pywb looks captures up by

    assert surt_key(url) == surt.surt(url)


def test_pywb_replays_the_page_from_the_wacz(exported: Path, package: tuple[Path, str],
                                             tmp_path: Path) -> None:
    """pywb takes the WACZ's WARC and *its index* (``--unpack-wacz`` does not re-index) and
    serves the captured page: the original body, byte for byte."""
    pkg, url = package
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run([_bin("wb-manager"), "init", "somecapture"], cwd=tmp_path, check=True,
                   env=env, capture_output=True)
    subprocess.run([_bin("wb-manager"), "add", "--unpack-wacz", "somecapture", str(exported)],
                   cwd=tmp_path, check=True, env=env, capture_output=True)
    index = tmp_path / "collections" / "somecapture" / "indexes" / "index.cdxj"
    assert index.is_file(), "pywb took no index from the WACZ"
    with zipfile.ZipFile(exported) as zf:
        ts = json.loads(zf.read("datapackage.json"))["mainPageDate"]
    ts14 = "".join(c for c in ts if c.isdigit())[:14]
    port = _free_port()
    proc = subprocess.Popen([_bin("wayback"), "-p", str(port), "-b", "127.0.0.1", "-t", "4"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        replay = f"http://127.0.0.1:{port}/somecapture/{ts14}id_/{url}"
        body = None
        for _ in range(120):
            try:
                body = urllib.request.urlopen(replay, timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("pywb stopped")
                import time

                time.sleep(0.5)
        assert body is not None, "pywb did not answer"
    finally:
        proc.terminate()
        proc.wait(10)
    assert body == _page_body(pkg / "data" / "capture.warc", url)
    assert "<title>Oslo kommune på Somesite</title>".encode() in body


# -- refusals ----------------------------------------------------------------------------------


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["export", *args])
    err = capsys.readouterr().err
    return code, err


def _no_leftovers(folder: Path) -> None:
    if folder.is_dir():
        assert [p.name for p in folder.iterdir() if p.name.endswith(".part")] == []


def test_not_a_package(capsys, tmp_path: Path) -> None:
    target = tmp_path / "x.wacz"
    (tmp_path / "plain").mkdir()
    for given, words in [(tmp_path / "plain", "is not a somecapture package"),
                         (tmp_path / "missing", "does not exist"),
                         (target.with_name("file.txt"), "is a file")]:
        if given.name == "file.txt":
            given.write_text("x")
        code, err = _export(capsys, str(given), "--wacz", str(target))
        assert code == ExitStatus.USAGE, err
        assert words in err and str(given) in err, err
    assert not target.exists()


def test_unverified_package_is_not_exported(capsys, package, tmp_path: Path) -> None:
    copy = tmp_path / "tampered"
    shutil.copytree(package[0], copy)
    png = copy / "data" / "screenshot.png"
    png.write_bytes(png.read_bytes() + b"x")
    target = tmp_path / "t.wacz"
    code, err = _export(capsys, str(copy), "--wacz", str(target))
    assert code == ExitStatus.VERIFY_FAILED, err
    assert "does not pass verify" in err and "screenshot.png" in err, err
    assert "somecapture verify" in err
    assert not target.exists()
    _no_leftovers(tmp_path)


def test_existing_file_is_kept_unless_forced(capsys, package, tmp_path: Path) -> None:
    target = tmp_path / "exists.wacz"
    target.write_bytes(b"precious")
    code, err = _export(capsys, str(package[0]), "--wacz", str(target))
    assert code == ExitStatus.USAGE, err
    assert "already exists" in err and "--force" in err and str(target) in err
    assert target.read_bytes() == b"precious"
    code, err = _export(capsys, str(package[0]), "--wacz", str(target), "--force")
    assert code == ExitStatus.OK, err
    assert zipfile.is_zipfile(target)
    _no_leftovers(tmp_path)


def test_bad_target_names_and_folders(capsys, package, tmp_path: Path) -> None:
    code, err = _export(capsys, str(package[0]), "--wacz", str(tmp_path / "no" / "x.wacz"))
    assert code == ExitStatus.ENVIRONMENT and "does not exist" in err, err
    code, err = _export(capsys, str(package[0]), "--wacz", str(tmp_path / "x.zip"))
    assert code == ExitStatus.USAGE and ".wacz" in err, err


def _read_only_folder(tmp_path: Path) -> Iterator[Path]:
    ro = tmp_path / "ro"
    ro.mkdir()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # chmod does not stop root: a read-only tmpfs does, else /proc (nothing can be made)
        if shutil.which("mount") and subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)],
                capture_output=True).returncode == 0:
            try:
                yield ro
            finally:
                subprocess.run(["umount", "-l", str(ro)], capture_output=True)
            return
        yield Path("/proc")
        return
    ro.chmod(0o555)
    try:
        yield ro
    finally:
        ro.chmod(0o755)


def test_read_only_folder(capsys, package, tmp_path: Path) -> None:
    for folder in _read_only_folder(tmp_path):
        target = folder / "x.wacz"
        code, err = _export(capsys, str(package[0]), "--wacz", str(target))
        assert code == ExitStatus.ENVIRONMENT, err
        assert str(folder) in err and "Choose a folder you can write to" in err, err
        assert not target.exists()


# -- a sealed package --------------------------------------------------------------------------

_TSA_CNF = """\
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/serial
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _stamp(data: Path, folder: Path) -> tuple[bytes, bytes]:
    """A real RFC 3161 token over ``data`` from a throwaway CA and TSA (openssl), and the
    chain that checks it."""
    folder.mkdir()
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Test CA",
             cwd=folder)
    _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=Test TSA", cwd=folder)
    (folder / "ext.cnf").write_text("extendedKeyUsage = critical,timeStamping\n")
    _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "tsa.pem", "-days", "2", "-extfile", "ext.cnf",
             cwd=folder)
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(_TSA_CNF.format(dir=folder.as_posix()))
    _openssl("ts", "-query", "-data", str(data), "-sha256", "-cert", "-out", "q.tsq",
             cwd=folder)
    _openssl("ts", "-reply", "-config", "tsa.cnf", "-queryfile", "q.tsq", "-out", "token.tsr",
             cwd=folder)
    return (folder / "token.tsr").read_bytes(), (folder / "ca.pem").read_bytes()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
def test_a_sealed_package_carries_its_tokens(capsys, package, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """What export does with a seal. Whether the seal itself is sound is verify's question
    (tested with verify); this hand-made one lacks the outcome file a capture records, so
    verify is stood in for by one that passes: the export must still call it."""
    from somecapture.package import wacz
    from somecapture.package.verify import PackageCheck

    verified: list[Path] = []

    def passes(path: Path, **how: object) -> PackageCheck:
        # verified as verify does: with the config's trust store and the catalogue's record
        assert set(how) == {"trust", "published"}
        verified.append(path)
        return PackageCheck(path=path)

    monkeypatch.setattr(wacz, "verify_package", passes)
    sealed = tmp_path / "sealed"
    shutil.copytree(package[0], sealed)
    token, chain = _stamp(sealed / "tagmanifest-sha256.txt", tmp_path / "ca")
    (sealed / "signatures").mkdir()
    (sealed / "signatures" / "tsa-1.tsr").write_bytes(token)
    (sealed / "signatures" / "tsa-1-chain.pem").write_bytes(chain)
    target = tmp_path / "sealed.wacz"
    code, err = _export(capsys, str(sealed), "--wacz", str(target))
    assert code == ExitStatus.OK, err
    assert verified == [sealed]
    assert _wacz_validate(target).returncode == 0
    out = tmp_path / "unpacked"
    with zipfile.ZipFile(target) as zf:
        zf.extractall(out)
        digest = json.loads(zf.read("datapackage-digest.json"))
    assert "signedData" not in digest  # not a WACZ signature: the package's own stamp
    seal = digest["packageSeal"]
    assert seal["stamped"] == "seal/tagmanifest-sha256.txt"
    assert seal["tokens"] == [{"token": "seal/tsa-1.tsr", "chain": "seal/tsa-1-chain.pem"}]
    assert (out / "seal" / "tsa-1.tsr").read_bytes() == token
    # the token checks against the file in the WACZ, with openssl alone
    subprocess.run(["openssl", "ts", "-verify", "-data", "seal/tagmanifest-sha256.txt",
                    "-in", "seal/tsa-1.tsr", "-CAfile", "seal/tsa-1-chain.pem"],
                   cwd=out, check=True, capture_output=True)
    # ... and the chain reaches the WARC: tag manifest -> manifest -> archive/capture.warc
    warc_sha = hashlib.sha256((out / "archive" / "capture.warc").read_bytes()).hexdigest()
    manifest = (out / "seal" / "manifest-sha256.txt").read_text()
    assert f"{warc_sha}  data/capture.warc" in manifest
    manifest_sha = hashlib.sha256((out / "seal" / "manifest-sha256.txt").read_bytes()).hexdigest()
    assert f"{manifest_sha}  manifest-sha256.txt" in (out / seal["stamped"]).read_text()
    assert seal["warc"]["hash"] == f"sha256:{warc_sha}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-s"]))
