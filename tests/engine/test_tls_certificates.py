"""Origin certificates (issue 17): the chain each HTTPS origin presented is in the WARC, the
provenance and the capture sheet.

The HTTPS fixture site is served with a throwaway CA and a leaf it issued (the server presents
both, leaf first). The browser does not trust the CA, so the capture runs with
``ignore_https_errors`` and the summary must say the certificate was not accepted.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import ipaddress
import json
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from playwright.async_api import Error as PlaywrightError
from warcio.archiveiterator import ArchiveIterator

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.engine.tls import CHAIN_CONTENT_TYPE, OriginCertificates, origin_of
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.package.layout import METADATA_NAME, PDF_NAME, WARC_NAME
from somecapture.package.record import certificates_text
from somecapture.warc.verify import check_warc
from tests.conftest import run_capture
from tests.fixtures.site import server as fx
from tests.reliability.helpers import TlsFixtureSite

LEAF_CN = "somecapture tls test leaf"
CA_CN = "somecapture throwaway test CA"


@dataclass
class Pki:
    chain_pem: Path
    key: Path
    leaf_der: bytes
    ca_der: bytes


def _make_pki(folder: Path) -> Pki:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_CN)])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=3))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LEAF_CN)]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([
                x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
            .sign(ca_key, hashes.SHA256()))
    chain = folder / "chain.pem"
    chain.write_bytes(leaf.public_bytes(serialization.Encoding.PEM)
                      + ca.public_bytes(serialization.Encoding.PEM))
    key_path = folder / "key.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return Pki(chain, key_path, leaf.public_bytes(serialization.Encoding.DER),
                   ca.public_bytes(serialization.Encoding.DER))


def _records(warc: Path) -> list[tuple[str, dict[str, str], bytes]]:
    """(type, WARC headers, content) of every record, read with digests checked."""
    out = []
    with open(warc, "rb") as fh:
        for record in ArchiveIterator(fh, check_digests=True):
            body = record.content_stream().read()
            assert record.digest_checker.passed is not False, record.digest_checker.problems
            out.append((record.rec_type, dict(record.rec_headers.headers), body))
    return out


def _chain_records(warc: Path) -> list[tuple[str, dict[str, str], bytes]]:
    return [r for r in _records(warc)
            if ":tls-certificate-chain:" in r[1].get("WARC-Target-URI", "")]


# -- a real capture over HTTPS ------------------------------------------------------------


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return _make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def https_capture(pki: Pki, tmp_path_factory: pytest.TempPathFactory
                  ) -> Iterator[tuple[CaptureResult, str]]:
    with TlsFixtureSite(pki.chain_pem, pki.key) as tls:
        out = tmp_path_factory.mktemp("tls-out")
        result = run_capture(tls.url("/gzip/page"), out, ignore_https_errors=True)
        yield result, tls.base


@pytest.mark.browser
def test_https_capture_records_the_chain_the_origin_presented(
        https_capture: tuple[CaptureResult, str], pki: Pki) -> None:
    result, origin = https_capture
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    warc = result.package / "data" / WARC_NAME
    [(kind, headers, body)] = _chain_records(warc)
    assert kind == "resource"
    assert headers["WARC-Target-URI"] == (
        f"urn:somecapture:{result.capture_id}:tls-certificate-chain:{origin}")
    assert headers["WARC-Refers-To-Target-URI"] == origin + "/"
    assert headers["Content-Type"] == CHAIN_CONTENT_TYPE
    certs = x509.load_pem_x509_certificates(body)
    # the chain as presented: the leaf, then the CA, byte for byte
    assert [c.public_bytes(serialization.Encoding.DER) for c in certs] == [pki.leaf_der,
                                                                           pki.ca_der]
    assert certs[0].fingerprint(hashes.SHA256()).hex() == hashlib.sha256(pki.leaf_der).hexdigest()
    assert check_warc(warc).ok, check_warc(warc).problems


@pytest.mark.browser
def test_https_capture_summarises_the_certificate(
        https_capture: tuple[CaptureResult, str], pki: Pki) -> None:
    result, origin = https_capture
    assert result.package is not None
    leaf = x509.load_der_x509_certificate(pki.leaf_der)
    fingerprint = hashlib.sha256(pki.leaf_der).hexdigest()
    meta = json.loads((result.package / "data" / METADATA_NAME).read_text("utf-8"))
    tls = meta["provenance"]["tls"]
    assert tls == result.provenance["tls"]
    assert tls["origins_total"] == 1 and tls["chains_recorded"] == 1
    assert tls["ignore_https_errors"] is True and tls["not_accepted"] == [origin]
    [entry] = tls["origins"]
    assert entry["origin"] == origin
    assert entry["subject"] == f"CN={LEAF_CN}" and entry["issuer"] == f"CN={CA_CN}"
    valid_from = leaf.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    valid_to = leaf.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (entry["valid_from"], entry["valid_to"]) == (valid_from, valid_to)
    assert entry["sha256"] == fingerprint
    assert entry["san"] == ["127.0.0.1", "localhost"]
    assert entry["protocol"].startswith("TLS")
    assert entry["chain_length"] == 2
    assert entry["issuers_presented"][0]["subject"] == f"CN={CA_CN}"
    assert entry["accepted_by_browser"] is False
    assert "ERR_CERT_AUTHORITY_INVALID" in entry["certificate_error"]
    assert "--ignore-https-errors" in entry["certificate_error"]
    # the provenance record in the WARC says the same
    [prov] = [json.loads(b) for k, h, b in _records(result.package / "data" / WARC_NAME)
              if k == "metadata" and h["WARC-Target-URI"].endswith(":provenance")]
    assert prov["tls"] == tls
    # the capture sheet (page 1 of the PDF)
    page1 = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1",
                            str(result.package / "data" / PDF_NAME), "-"],
                           capture_output=True, check=True, text=True).stdout
    squeezed = re.sub(r"\s+", "", page1)
    assert "Sertifikater" in page1
    for text in (f"CN={LEAF_CN}", f"CN={CA_CN}", valid_from, valid_to, fingerprint,
                 "IKKEGODTATT", "ERR_CERT_AUTHORITY_INVALID"):
        assert re.sub(r"\s+", "", text) in squeezed, text


@pytest.mark.browser
def test_https_package_verifies(https_capture: tuple[CaptureResult, str]) -> None:
    result, _ = https_capture
    assert result.package is not None
    assert main(["verify", str(result.package)]) == ExitStatus.OK


@pytest.mark.browser
def test_plain_http_capture_has_no_tls_record(site: fx.FixtureSite, tmp_path: Path) -> None:
    result = run_capture(site.url("/gzip/page"), tmp_path / "out")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    assert _chain_records(result.package / "data" / WARC_NAME) == []
    tls = result.provenance["tls"]
    assert tls["origins_total"] == 0 and tls["origins"] == []
    assert main(["verify", str(result.package)]) == ExitStatus.OK


# -- without a browser ------------------------------------------------------------------------


class _FakeCdp:
    """Just enough of a CDP session: handlers by event, canned getCertificate answers."""

    def __init__(self, chains: dict[str, list[bytes]]) -> None:
        self.chains = chains
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {}
        self.asked: list[str] = []

    def on(self, event: str, handler: Callable[[dict[str, Any]], None]) -> None:
        self.handlers[event] = handler

    async def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        if method == "Network.getCertificate":
            assert params is not None
            self.asked.append(params["origin"])
            if params["origin"] not in self.chains:
                raise PlaywrightError("no certificate")
            return {"tableNames": [base64.b64encode(d).decode()
                                   for d in self.chains[params["origin"]]]}
        return {}


def test_origin_of() -> None:
    assert origin_of("https://Example.com:443/a?b") == "https://example.com"
    assert origin_of("https://user@example.com:8443/") == "https://example.com:8443"
    assert origin_of("https://[::1]:8443/x") == "https://[::1]:8443"
    assert origin_of("http://example.com/") is None


def test_each_origin_asked_once_and_summarised(tmp_path: Path) -> None:
    pki = _make_pki(tmp_path)

    async def run() -> dict[str, Any]:
        cdp = _FakeCdp({"https://a.test": [pki.leaf_der, pki.ca_der]})
        certs = OriginCertificates(cdp, ignore_https_errors=False)  # type: ignore[arg-type]
        await certs.start()
        on_response = cdp.handlers["Network.responseReceived"]
        details = {"protocol": "TLS 1.3", "subjectName": LEAF_CN, "issuer": CA_CN,
                   "validFrom": 0, "validTo": 86400, "sanList": ["a.test"]}
        for path in ("/", "/x.js", "/y.css"):
            on_response({"response": {"url": f"https://a.test{path}", "securityState": "secure",
                                      "securityDetails": details}})
        on_response({"response": {"url": "http://plain.test/", "securityState": "insecure"}})
        on_response({"response": {"url": "https://b.test/", "securityState": "secure",
                                  "securityDetails": details}})
        # a redirect's response arrives with the next hop's request
        cdp.handlers["Network.requestWillBeSent"]({"request": {"url": "https://a.test/"},
                                                  "redirectResponse": {
                                                      "url": "https://r.test/go",
                                                      "securityState": "secure",
                                                      "securityDetails": details}})
        certs.add_origins(["https://a.test/worker.js", "https://c.test/w"])
        await certs.finish(2.0)
        assert cdp.asked == ["https://a.test", "https://b.test", "https://r.test",
                             "https://c.test"]
        return certs.summary()

    summary = asyncio.run(run())
    assert summary["origins_total"] == 4 and summary["not_accepted"] == []
    a, b, r, c = summary["origins"]
    assert r["origin"] == "https://r.test" and r["protocol"] == "TLS 1.3"
    assert a["sha256"] == hashlib.sha256(pki.leaf_der).hexdigest()
    assert a["accepted_by_browser"] is True and a["chain_length"] == 2
    # no chain: what the response said, no fingerprint, and the reason
    assert b["subject"] == LEAF_CN and b["sha256"] is None and b["valid_to"] == (
        "1970-01-02T00:00:00Z")
    assert "did not hand over" in b["problem"]
    assert c["accepted_by_browser"] is None and c["chain_length"] == 0
    text = certificates_text(summary, "https://a.test/page")
    assert text is not None
    assert f"CN={LEAF_CN}" in text and "3 andre HTTPS-opphav" in text
    assert "IKKE GODTATT" not in text
    fp = hashlib.sha256(pki.leaf_der).hexdigest()
    assert fp in text.replace(" ", "")


def test_sheet_text_for_plain_http_and_old_captures() -> None:
    assert certificates_text(None, "https://a.test/") is None
    empty = {"origins_total": 0, "origins": [], "not_accepted": []}
    # in the agency's målform (bokmål unless told)
    assert certificates_text(empty, "http://a.test/") == "Siden ble hentet uten TLS"
    assert certificates_text(empty, "http://a.test/", "nn") == "Sida vart henta utan TLS"
