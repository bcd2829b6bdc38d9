"""The evidence seal on a bag (no browser): RFC 3161 tokens from local TSAs over the tag
manifest, checked by the tool and independently by ``openssl ts -verify``; every way a TSA can
fail leaves the bag valid and says why; the catalogue keeps the seal."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest
from jsonschema import Draft202012Validator

from somecapture.catalog import SCHEMA_VERSION, Catalog
from somecapture.models import Artifact, CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.package import bag
from somecapture.package.seal import (
    STAMPED_FILE,
    SealConfig,
    check_token,
    seal_bag,
)
from somecapture.resources import resource_path
from tests.fixtures.tsa import LocalTSA


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with LocalTSA(name="Test TSA One") as server:
        yield server


@pytest.fixture(scope="module")
def tsa2() -> Iterator[LocalTSA]:
    with LocalTSA(name="Test TSA Two") as server:
        yield server


@pytest.fixture(autouse=True)
def _well_behaved(tsa: LocalTSA) -> Iterator[None]:
    yield
    tsa.mode = "ok"


def make_bag(folder: Path) -> Path:
    """A small valid BagIt 1.0 bag written by the tool's own writer."""
    data = folder / "data"
    data.mkdir(parents=True)
    artifacts = []
    for name, content in (("capture.warc", b"WARC/1.1\r\n" * 50), ("note.txt", b"hello\n")):
        (data / name).write_bytes(content)
        artifacts.append(Artifact(path=name, sha256=hashlib.sha256(content).hexdigest(),
                                  size_bytes=len(content), media_type="text/plain"))
    bag.write_bag(folder, artifacts, {"External-Identifier": "urn:uuid:test"})
    assert bag.validate_bag(folder) == []
    return folder


def refused_url() -> str:
    """An address on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"


def openssl_verify(package: Path, n: int, ca_file: Path | None = None) -> None:
    """The third party's check, with openssl alone (raises with openssl's words): with the
    stored chain as trust, or (as the README says) a root the reader trusts with the stored
    chain as untrusted intermediates."""
    chain = package / "signatures" / f"tsa-{n}-chain.pem"
    trust = ["-CAfile", str(chain)] if ca_file is None else [
        "-CAfile", str(ca_file), "-untrusted", str(chain)]
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(package / STAMPED_FILE),
         "-in", str(package / "signatures" / f"tsa-{n}.tsr"), *trust],
        capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr


def test_one_tsa_seals_the_bag(tmp_path: Path, tsa: LocalTSA) -> None:
    package = make_bag(tmp_path / "pkg")
    outcome = seal_bag(package, SealConfig(urls=(tsa.url,)))
    assert outcome.status == "sealed" and outcome.problems() == []
    stamped = (package / STAMPED_FILE).read_bytes()
    assert outcome.tagmanifest_sha256 == hashlib.sha256(stamped).hexdigest()
    names = sorted(p.name for p in (package / "signatures").iterdir())
    assert names == ["tsa-1-chain.pem", "tsa-1.json", "tsa-1.tsr"]
    # the tool's own check of what it stored
    info = check_token((package / "signatures" / "tsa-1.tsr").read_bytes(), stamped)
    assert info.hash_algorithm == "sha256"
    assert info.hashed_message == hashlib.sha256(stamped).digest()
    assert info.tsa_subject == "CN=Test TSA One,O=somecapture tests"
    # the chain as received: the TSA's certificate, then the root it includes
    pem = (package / "signatures" / "tsa-1-chain.pem").read_text("ascii")
    assert pem.count("BEGIN CERTIFICATE") == 2
    assert pem.split("-----END CERTIFICATE-----")[1].strip() in tsa.ca_pem.read_text()
    sidecar = json.loads((package / "signatures" / "tsa-1.json").read_text("utf-8"))
    assert sidecar["url"] == tsa.url and sidecar["status"] == "granted"
    assert sidecar["policy"] == "1.3.6.1.4.1.99999.1" and sidecar["hash_algorithm"] == "sha256"
    assert sidecar["serial"] == str(info.serial)
    assert sidecar["gen_time"].endswith("Z") and sidecar["tsa_subject"] == info.tsa_subject
    assert sidecar["token_sha256"] == hashlib.sha256(
        (package / "signatures" / "tsa-1.tsr").read_bytes()).hexdigest()
    # independently: openssl, with the stored chain, and with only the agency's trust store
    openssl_verify(package, 1)
    openssl_verify(package, 1, tsa.ca_pem)
    # the signature files sit outside the tag manifest they stamp, and the bag stays valid
    assert "signatures" not in stamped.decode()
    assert bag.validate_bag(package) == []
    bagit.Bag(str(package)).validate()


def test_two_tsas_each_stamp_independently(tmp_path: Path, tsa: LocalTSA,
                                           tsa2: LocalTSA) -> None:
    package = make_bag(tmp_path / "pkg")
    outcome = seal_bag(package, SealConfig(urls=(tsa.url, tsa2.url)))
    assert outcome.status == "sealed" and len(outcome.timestamps) == 2
    for n, server in ((1, tsa), (2, tsa2)):
        openssl_verify(package, n)
        openssl_verify(package, n, server.ca_pem)
        said = json.loads((package / "signatures" / f"tsa-{n}.json").read_text("utf-8"))
        assert said["authority"] == n and said["url"] == server.url
    # each chain is its own authority's: TSA one's root does not vouch for TSA two
    with pytest.raises(AssertionError):
        openssl_verify(package, 2, tsa.ca_pem)
    bagit.Bag(str(package)).validate()


def test_a_changed_package_no_longer_matches_its_token(tmp_path: Path, tsa: LocalTSA) -> None:
    package = make_bag(tmp_path / "pkg")
    seal_bag(package, SealConfig(urls=(tsa.url,)))
    # a forger edits a payload file and recomputes every manifest: bagit is satisfied…
    (package / "data" / "note.txt").write_bytes(b"forged\n")
    (package / "bagit.txt").unlink()
    for name in ("bag-info.txt", "manifest-sha256.txt", STAMPED_FILE):
        (package / name).unlink()
    bag.write_bag(package, [
        Artifact(path="capture.warc", sha256=bag.sha256_file(package / "data" / "capture.warc"),
                 size_bytes=(package / "data" / "capture.warc").stat().st_size,
                 media_type="text/plain"),
        Artifact(path="note.txt", sha256=bag.sha256_file(package / "data" / "note.txt"),
                 size_bytes=7, media_type="text/plain")], {"External-Identifier": "urn:uuid:x"})
    assert bag.validate_bag(package) == []
    # …the token is not
    with pytest.raises(AssertionError):
        openssl_verify(package, 1)
    with pytest.raises(Exception, match="stamps other data"):
        check_token((package / "signatures" / "tsa-1.tsr").read_bytes(),
                    (package / STAMPED_FILE).read_bytes())


def test_tsa_down_leaves_a_valid_unsigned_bag_and_the_reason(tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    outcome = seal_bag(package, SealConfig(urls=(refused_url(),)))
    assert outcome.status == "failed"
    [problem] = outcome.problems()
    assert "Time stamp 1" in problem and "cannot reach the authority" in problem
    assert not (package / "signatures").exists()
    assert bag.validate_bag(package) == []


@pytest.mark.parametrize(("mode", "reason"), [
    ("http500", "answered HTTP 500"),
    ("garbage", "not a time-stamp response"),
    ("other-data", "stamps other data"),
    ("wrong-nonce", "nonce mismatch"),
    ("tampered", "changed after signing"),
    ("bad-signature", "signature does not verify"),
    ("rejection", "refused: rejection"),
])
def test_a_bad_answer_is_refused_with_its_reason(tmp_path: Path, tsa: LocalTSA, mode: str,
                                                 reason: str) -> None:
    package = make_bag(tmp_path / "pkg")
    tsa.mode = mode
    outcome = seal_bag(package, SealConfig(urls=(tsa.url,)))
    assert outcome.status == "failed"
    assert reason in outcome.problems()[0], outcome.problems()
    assert not (package / "signatures").exists()


def test_a_slow_tsa_costs_its_timeout_once(tmp_path: Path, tsa: LocalTSA,
                                           tsa2: LocalTSA) -> None:
    package = make_bag(tmp_path / "pkg")
    tsa.mode, tsa.delay_s = "slow", 4.0
    outcome = seal_bag(package, SealConfig(urls=(tsa.url, tsa2.url), timeout_s=1.0))
    assert outcome.status == "partial"
    assert "no answer within 1 s" in outcome.problems()[0]
    assert outcome.seconds < 3.5  # asked at the same time, bounded by the timeout
    # authority 2's files keep its number: the gap shows the authority that failed
    assert sorted(p.name for p in (package / "signatures").iterdir()) == [
        "tsa-2-chain.pem", "tsa-2.json", "tsa-2.tsr"]
    openssl_verify(package, 2)
    bagit.Bag(str(package)).validate()


def test_no_tsa_is_unsealed_and_says_why(tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    outcome = seal_bag(package, SealConfig())
    assert outcome.status == "unsealed" and "no time-stamp authority" in (outcome.reason or "")
    assert not (package / "signatures").exists()
    off = SealConfig.from_options(CaptureOptions(timestamp_urls=("http://tsa.example/",),
                                                 timestamp=False))
    assert not off.active and "--no-timestamp" in off.unsealed_reason()


def test_metadata_schema_takes_the_seal_intent(tsa: LocalTSA) -> None:
    schema = json.loads(resource_path("schemas", "capture-metadata",
                                      "capture-metadata.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema["properties"]["seal"])
    for config in (SealConfig(), SealConfig(urls=("http://u:pw@tsa.example/x", tsa.url)),
                   SealConfig(urls=(tsa.url,), disabled_reason="off")):
        intent = config.intent()
        assert list(validator.iter_errors(intent)) == []
        assert "pw" not in json.dumps(intent)
    assert list(validator.iter_errors({"status": "sealed"}))  # the outcome is not in there


_V1_CAPTURES = """
CREATE TABLE captures (
    capture_id TEXT PRIMARY KEY, url TEXT NOT NULL, final_url TEXT, platform TEXT,
    author TEXT, handle TEXT, title TEXT, case_ref TEXT, archivist TEXT, status TEXT NOT NULL,
    captured_at TEXT NOT NULL, recorded_at TEXT NOT NULL, post_date TEXT, package_path TEXT,
    warc_sha256 TEXT, files_json TEXT NOT NULL DEFAULT '[]',
    warnings_json TEXT NOT NULL DEFAULT '[]', error TEXT, batch_id TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO captures (capture_id, url, status, captured_at, recorded_at, package_path)
VALUES ('old-1', 'https://old.example/', 'complete', '2025-01-01T00:00:00Z',
        '2025-01-01T00:00:00Z', '/somewhere/old');
"""


def test_catalogue_keeps_the_seal_and_migrates_an_old_catalogue(tmp_path: Path,
                                                                 tsa: LocalTSA) -> None:
    path = tmp_path / "catalog.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(_V1_CAPTURES)
    conn.close()
    catalog = Catalog(path)
    [old] = catalog.entries()
    assert old.capture_id == "old-1" and old.tagmanifest_sha256 is None
    assert catalog.seal("old-1") is None
    with catalog.connect() as c:
        version = c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
    assert version == str(SCHEMA_VERSION) == "8"

    package = make_bag(tmp_path / "pkg")
    outcome = seal_bag(package, SealConfig(urls=(tsa.url, refused_url())))
    result = CaptureResult(url="https://new.example/", capture_id="new-1",
                           status=CaptureStatus.PARTIAL, package=package,
                           provenance={"seal": outcome.to_json(tokens=True)})
    catalog.record(result)
    entry = next(e for e in catalog.entries() if e.capture_id == "new-1")
    assert entry.seal_status == "partial"
    assert entry.tagmanifest_sha256 == hashlib.sha256(
        (package / STAMPED_FILE).read_bytes()).hexdigest()
    seal = catalog.seal("new-1")
    assert seal is not None and seal["tagmanifest_sha256"] == entry.tagmanifest_sha256
    first, second = seal["timestamps"]
    assert base64.b64decode(first["token_der_base64"]) == (
        package / "signatures" / "tsa-1.tsr").read_bytes()
    assert second["status"] == "failed" and "cannot reach" in second["reason"]
    # a catalogue opened again (another process) is not migrated twice
    assert len(Catalog(path).entries()) == 2
