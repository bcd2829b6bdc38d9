"""Forgeries a careful person makes, and the seal (issue 17).

A real package is captured once; each test changes a copy the way a forger would: edit one
file (still valid against its schema) and recompute every checksum that covers it (its line
in the payload manifest, Payload-Oxum, the tag manifest). ``verify`` must exit non-zero naming
the file and the field. The seal is made here with ``openssl ts -query/-reply`` and a
throwaway CA, in the layout the packager uses (``signatures/tsa-<n>.tsr``, ``-chain.pem``,
``.json``), and cross-checked with ``openssl ts -verify``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.models import CaptureStatus
from somecapture.package.seal_verify import PublishedSeal
from somecapture.package.verify import verify_package
from tests.conftest import run_capture
from tests.fixtures.site import server as fx
from tests.packaging.test_records_package import CASES

pytestmark = pytest.mark.browser

_TSA_EXT = ("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
            "extendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\n"
            "authorityKeyIdentifier=keyid\n")
_TSA_CNF = """[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> bytes:
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, check=False,
                          timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


class Tsa:
    """A throwaway root CA and a time-stamping certificate it issued; stamps with openssl."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        folder.mkdir(parents=True)
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj",
                 f"/CN={name} Root", "-addext", "basicConstraints=critical,CA:TRUE",
                 "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", f"/CN={name}",
                 cwd=folder)
        (folder / "tsa.ext").write_text(_TSA_EXT, "utf-8")
        _openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "3650", "-extfile", "tsa.ext", "-out", "tsa.pem",
                 cwd=folder)
        (folder / "serial").write_text("01\n", "ascii")
        (folder / "tsa.cnf").write_text(_TSA_CNF.format(dir=folder.as_posix()), "utf-8")

    @property
    def ca(self) -> Path:
        return self.folder / "ca.pem"

    def stamp(self, data: Path) -> bytes:
        """A DER TimeStampResp over SHA-256 of ``data``."""
        _openssl("ts", "-query", "-data", str(data), "-sha256", "-cert", "-out", "q.tsq",
                 cwd=self.folder)
        _openssl("ts", "-reply", "-config", "tsa.cnf", "-queryfile", "q.tsq", "-out", "r.tsr",
                 cwd=self.folder)
        return (self.folder / "r.tsr").read_bytes()

    def seal(self, bag: Path, n: int = 1, over: Path | None = None) -> None:
        """Put a token over the bag's tag manifest (or ``over``) in the packager's layout."""
        sig = bag / "signatures"
        sig.mkdir(exist_ok=True)
        token = self.stamp(over or bag / "tagmanifest-sha256.txt")
        (sig / f"tsa-{n}.tsr").write_bytes(token)
        (sig / f"tsa-{n}-chain.pem").write_bytes(
            (self.folder / "tsa.pem").read_bytes() + self.ca.read_bytes())
        (sig / f"tsa-{n}.json").write_text(json.dumps({
            "format": "somecapture-timestamp/1", "authority": n, "url": "http://127.0.0.1/tsa",
            "status": "granted", "stamped_file": "tagmanifest-sha256.txt",
            "token_sha256": hashlib.sha256(token).hexdigest(), "hash_algorithm": "sha256"}),
            "utf-8")


@pytest.fixture(scope="module")
def packages(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Path]:
    found = {}
    for variant in ("eformidling", "fiks"):
        out = tmp_path_factory.mktemp(f"tamper-{variant}")
        result = run_capture(site.url("/post/1"), out, record=CASES[variant],
                             catalog_path=out / "catalog.sqlite")
        assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
        assert result.package is not None
        found[variant] = result.package
    return found


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory) -> Tsa:
    return Tsa(tmp_path_factory.mktemp("tsa") / "ca", "Test TSA")


@pytest.fixture(params=["eformidling"])
def copy(request: pytest.FixtureRequest, packages: dict[str, Path], tmp_path: Path
         ) -> Iterator[Path]:
    target = tmp_path / "pkg"
    shutil.copytree(packages[request.param], target)
    # the packager's own seal, where it made one, is replaced by this test's
    shutil.rmtree(target / "signatures", ignore_errors=True)
    yield target


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rehash(bag: Path) -> None:
    """What a forger does after an edit: every manifest line, Payload-Oxum, the tag manifest."""
    files = sorted(p for p in (bag / "data").rglob("*") if p.is_file())
    (bag / "manifest-sha256.txt").write_text("".join(
        f"{_sha(p)}  {p.relative_to(bag).as_posix()}\n" for p in files), "utf-8")
    info = (bag / "bag-info.txt").read_text("utf-8")
    oxum = f"{sum(p.stat().st_size for p in files)}.{len(files)}"
    (bag / "bag-info.txt").write_text(
        re.sub(r"Payload-Oxum: .*", f"Payload-Oxum: {oxum}", info), "utf-8")
    (bag / "tagmanifest-sha256.txt").write_text("".join(
        f"{_sha(bag / n)}  {n}\n" for n in ("bagit.txt", "bag-info.txt",
                                            "manifest-sha256.txt")), "utf-8")


def _verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["verify", *args])
    return code, capsys.readouterr().out


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), "utf-8")


def _edit_meta(bag: Path, **changes: str) -> None:
    path = bag / "data" / "capture-metadata.json"
    meta = json.loads(path.read_text("utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _assert_caught(capsys: pytest.CaptureFixture[str], bag: Path, *named: str) -> str:
    code, out = _verify(capsys, str(bag))
    assert code == ExitStatus.VERIFY_FAILED, out
    for name in named:
        assert name in out, (name, out)
    return out


# -- untouched ------------------------------------------------------------------------------

def test_untouched_package_passes_and_says_unsealed(
        copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _verify(capsys, str(copy))
    assert code == ExitStatus.OK, out
    assert "unsealed" in out
    code, out = _verify(capsys, "--require-seal", str(copy))
    assert code == ExitStatus.VERIFY_FAILED and "--require-seal" in out, out


def test_untouched_fiks_package_passes(packages: dict[str, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    check = verify_package(packages["fiks"])
    assert check.ok, check.problems


def test_sealed_package_proved_and_time_reported(copy: Path, tsa: Tsa,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    tsa.seal(copy)
    code, out = _verify(capsys, "--trust", str(tsa.ca), "--require-seal", str(copy))
    assert code == ExitStatus.OK, out
    assert re.search(r"seal: sealed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by CN=Test TSA, "
                     r"trusted by CN=Test TSA Root", out), out
    # and independently, with openssl alone, as a third party would
    sig = copy / "signatures"
    done = subprocess.run(["openssl", "ts", "-verify", "-data",
                           str(copy / "tagmanifest-sha256.txt"), "-in", str(sig / "tsa-1.tsr"),
                           "-CAfile", str(sig / "tsa-1-chain.pem")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "OK" in done.stdout, done.stderr


# -- edits with every checksum recomputed -----------------------------------------------------

def test_arkivmelding_journalposttype(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xml = copy / "data" / "arkivmelding.xml"
    _edit(xml, "<journalposttype>Utgående dokument<", "<journalposttype>Inngående dokument<")
    rehash(copy)
    _assert_caught(capsys, copy, "data/arkivmelding.xml", "journalposttype")


@pytest.mark.parametrize("copy", ["eformidling", "fiks"], indirect=True)
def test_arkivmelding_title(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xml = copy / "data" / "arkivmelding.xml"
    text = xml.read_text("utf-8")
    title = re.findall(r"<tittel>([^<]*)</tittel>", text)[-1]
    xml.write_text(text.replace(f"<tittel>{title}<", "<tittel>Et annet innlegg<"), "utf-8")
    rehash(copy)
    _assert_caught(capsys, copy, "data/arkivmelding.xml", "tittel")


def test_metadata_captured_at(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_meta(copy, captured_at="2020-01-01T12:00:00.000Z")
    rehash(copy)
    _assert_caught(capsys, copy, "data/capture.warc", "started_at", "2020-01-01",
                   "data/arkivmelding.xml", "capture-metadata.json sjekksum")


def test_metadata_status(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_meta(copy, status="partial")
    rehash(copy)
    _assert_caught(capsys, copy, "bag-info.txt: External-Description", "sc:fangststatus")


def test_metadata_final_url(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit_meta(copy, final_url="https://example.org/another/post")
    rehash(copy)
    _assert_caught(capsys, copy, "provenance final_url", "https://example.org/another/post")


def test_bag_info_archivist(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(copy / "bag-info.txt", "Contact-Name: Kari Nordmann", "Contact-Name: Ola Forfalsker")
    rehash(copy)
    _assert_caught(capsys, copy, "bag-info.txt: Contact-Name", "Ola Forfalsker")


def test_bag_info_case(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(copy / "bag-info.txt", "Bag-Group-Identifier: 2026/1234",
          "Bag-Group-Identifier: 2026/999")
    rehash(copy)
    _assert_caught(capsys, copy, "bag-info.txt: Bag-Group-Identifier", "2026/999")


# -- shape ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["notes.txt", "manifest-md5.txt", ".hidden"])
def test_extra_top_level_file(copy: Path, name: str, capsys: pytest.CaptureFixture[str]
                              ) -> None:
    (copy / name).write_text("added later\n", "utf-8")
    _assert_caught(capsys, copy, f"{name}: extra file at the package's top level")


@pytest.mark.parametrize("where", ["data/empty", "data/public/deeper"])
def test_empty_folder_in_data(copy: Path, where: str, capsys: pytest.CaptureFixture[str]
                              ) -> None:
    (copy / where).mkdir(parents=True)
    _assert_caught(capsys, copy, f"{where}/: empty folder")


def test_stray_file_in_signatures(copy: Path, tsa: Tsa,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    tsa.seal(copy)
    (copy / "signatures" / "readme.txt").write_text("x", "utf-8")
    _assert_caught(capsys, copy, "signatures/readme.txt: not a file of the seal")


# -- the seal -------------------------------------------------------------------------------

def test_sealed_then_edited_and_rehashed(copy: Path, tsa: Tsa,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    tsa.seal(copy)
    _edit(copy / "bag-info.txt", "Contact-Name: Kari Nordmann", "Contact-Name: Ola Forfalsker")
    rehash(copy)
    out = _assert_caught(capsys, copy, "tagmanifest-sha256.txt: changed since it was stamped",
                         "bag-info.txt")
    assert "seal: sealed" in out and "NOT PROVED" in out


def test_token_over_other_data(copy: Path, tsa: Tsa, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.txt"
    other.write_text("another package's tag manifest\n", "utf-8")
    tsa.seal(copy, over=other)
    _assert_caught(capsys, copy, "tagmanifest-sha256.txt: changed since it was stamped",
                   "signatures/tsa-1.tsr")


def test_token_with_changed_signed_content(copy: Path, tsa: Tsa,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    tsa.seal(copy)
    token = copy / "signatures" / "tsa-1.tsr"
    der = bytearray(token.read_bytes())
    at = bytes(der).index(b"\x30\x03\x02\x01\x01")  # accuracy secs:1, inside the TSTInfo
    der[at + 4] = 2
    token.write_bytes(bytes(der))
    _assert_caught(capsys, copy, "signatures/tsa-1.tsr", "changed after signing")


def test_token_of_an_untrusted_authority(copy: Path, tsa: Tsa, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    forger = Tsa(tmp_path / "forger", "Forger TSA")
    forger.seal(copy)
    code, out = _verify(capsys, str(copy))
    # the token is sound against the chain it carries: only a trust store tells them apart
    assert code == ExitStatus.OK, out
    code, out = _verify(capsys, "--trust", str(tsa.ca), str(copy))
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "not trusted by" in out and "Forger TSA" in out, out


def test_missing_chain_is_named(copy: Path, tsa: Tsa, capsys: pytest.CaptureFixture[str]
                                ) -> None:
    tsa.seal(copy)
    (copy / "signatures" / "tsa-1-chain.pem").unlink()
    _assert_caught(capsys, copy, "signatures/tsa-1-chain.pem: missing")


# -- against the catalogue ------------------------------------------------------------------

def _published(bag: Path) -> PublishedSeal:
    token = (bag / "signatures" / "tsa-1.tsr").read_bytes()
    import base64

    seal = PublishedSeal.from_json({
        "tagmanifest_sha256": _sha(bag / "tagmanifest-sha256.txt"), "status": "sealed",
        "timestamps": [{"authority": 1, "status": "granted",
                        "token_der_base64": base64.b64encode(token).decode()}]})
    assert seal is not None
    return seal


def test_stripped_seal_caught_by_the_catalogue(copy: Path, tsa: Tsa) -> None:
    tsa.seal(copy)
    published = _published(copy)
    assert verify_package(copy, published=published).ok
    shutil.rmtree(copy / "signatures")
    check = verify_package(copy, published=published)
    assert not check.ok
    assert any(p.startswith("signatures/: missing; the catalogue recorded 1 time stamp")
               for p in check.problems), check.problems


def test_rehashed_package_caught_by_the_catalogue_before_any_timestamp(
        copy: Path, tsa: Tsa) -> None:
    tsa.seal(copy)
    published = _published(copy)
    shutil.rmtree(copy / "signatures")
    _edit_meta(copy, status="partial")
    rehash(copy)
    check = verify_package(copy, published=published)
    assert check.problems[0].startswith("tagmanifest-sha256.txt: not the one published"), \
        check.problems


def test_replaced_token_caught_by_the_catalogue(copy: Path, tsa: Tsa) -> None:
    tsa.seal(copy)
    published = _published(copy)
    tsa.seal(copy)  # a second, equally valid token over the same manifest
    check = verify_package(copy, published=published)
    assert "signatures/tsa-1.tsr: not the token published" in " ".join(check.problems)


# -- a package sealed by the packager, and `verify --all` against the catalogue -----------

@pytest.fixture(scope="module")
def sealed(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Path, Path, Path]]:
    from tests.fixtures.tsa import LocalTSA

    out = tmp_path_factory.mktemp("sealed")
    with LocalTSA(out / "tsa") as server:
        result = run_capture(site.url("/post/1"), out / "packages", record=CASES["eformidling"],
                             timestamp_urls=(server.url,), catalog_path=out / "catalog.sqlite")
        assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
        assert result.package is not None
        shutil.copy(server.ca_pem, out / "trust.pem")
    yield result.package, out / "catalog.sqlite", out / "trust.pem"


def test_packager_sealed_package_passes_and_is_trusted(
        sealed: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    package, _, trust = sealed
    code, out = _verify(capsys, "--trust", str(trust), "--require-seal", str(package))
    assert code == ExitStatus.OK, out
    assert "seal: sealed" in out and "trusted by" in out, out


def test_verify_all_catches_stripped_and_rehashed_packages(
        sealed: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from somecapture import catalog as catalog_module

    package, catalog, _ = sealed
    own = tmp_path / "catalog.sqlite"
    shutil.copy(catalog, own)
    monkeypatch.setattr(catalog_module, "default_catalog_path", lambda: own)
    code, out = _verify(capsys, "--all")
    assert code == ExitStatus.OK, out
    # the forger's copy in place of the published package: seal removed, then re-hashed
    forged = tmp_path / "forged"
    shutil.copytree(package, forged)
    with sqlite3.connect(own) as conn:
        conn.execute("UPDATE captures SET package_path = ?", (str(forged),))
    shutil.rmtree(forged / "signatures")
    code, out = _verify(capsys, "--all")
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "signatures/: missing; the catalogue recorded 1 time stamp" in out, out
    _edit(forged / "bag-info.txt", "Contact-Name: Kari Nordmann", "Contact-Name: Ola Forfalsker")
    rehash(forged)
    code, out = _verify(capsys, "--all")
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "tagmanifest-sha256.txt: not the one published" in out, out


def test_verify_of_one_package_consults_the_catalogue_too(
        sealed: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`verify PACKAGE` compares with what the catalogue recorded at publication, as the app
    does (not only `verify --all`): a stripped copy of a published package is caught."""
    from somecapture import catalog as catalog_module

    package, catalog, _ = sealed
    own = tmp_path / "catalog.sqlite"
    shutil.copy(catalog, own)
    monkeypatch.setattr(catalog_module, "default_catalog_path", lambda: own)
    forged = tmp_path / "forged"
    shutil.copytree(package, forged)
    shutil.rmtree(forged / "signatures")
    code, out = _verify(capsys, str(forged))
    assert code == ExitStatus.VERIFY_FAILED, out
    assert "signatures/: missing; the catalogue recorded 1 time stamp" in out, out
