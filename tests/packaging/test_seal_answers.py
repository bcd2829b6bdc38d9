"""The creation side of the seal against authorities that answer badly (issue 17 review): a
server that is not HTTP, an unexpected failure, a certificate with more purposes than time
stamping, a SHA-1 signature; secrets in an authority's address stay out of everything the
package, the catalogue and the warnings keep; a package's own JSON never leads the catalogue
to read a file outside ``signatures/``."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.catalog import Catalog, _seal_of_package
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions, redact_url_credentials, safe_tsa_url
from somecapture.package import seal as seal_mod
from somecapture.package.seal import (
    NEXT_STEP,
    SealConfig,
    TokenError,
    cleartext_warning,
    request_timestamps,
    seal_bag,
)
from somecapture.redact import MARKER
from tests.fixtures.tsa import LocalTSA
from tests.packaging.test_seal import make_bag, openssl_verify


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with LocalTSA(name="Test TSA Answers") as server:
        yield server


def test_an_authority_that_is_not_http_fails_only_its_stamp(tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    with LocalTSA(mode="non-http") as ssh:
        outcome = seal_bag(package, SealConfig(urls=(ssh.url,), timeout_s=5.0))
        # the WACZ export asks through the same function: it cannot raise either
        [wacz_stamp] = request_timestamps(b"datapackage", SealConfig(urls=(ssh.url,)))
    assert outcome.status == "failed"
    [problem] = outcome.problems()
    assert "the answer is not HTTP (BadStatusLine: SSH-2.0-OpenSSH" in problem, problem
    assert problem.endswith(NEXT_STEP)
    assert not wacz_stamp.ok and "not HTTP" in (wacz_stamp.reason or "")
    assert not (package / "signatures").exists()


def test_any_other_failure_is_a_reason_and_a_redacted_log_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = "https://user:hunter2pass@tsa.example/tsa?apikey=abcdef123456"

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError(f"library bug while asking {url}")

    monkeypatch.setattr(seal_mod, "post_query", broken)
    package = make_bag(tmp_path / "pkg")
    with caplog.at_level(logging.WARNING, logger="somecapture.package.seal"):
        outcome = seal_bag(package, SealConfig(urls=(url,)))
    assert outcome.status == "failed"
    [stamp] = outcome.timestamps
    assert (stamp.reason or "").startswith("unexpected answer: RuntimeError: library bug")
    everything = " ".join([caplog.text, json.dumps(outcome.to_json(tokens=True)),
                           *outcome.problems()])
    assert "unexpected answer" in caplog.text
    assert "hunter2pass" not in everything and "abcdef123456" not in everything


def test_a_certificate_for_more_than_time_stamping_is_refused_at_capture(
        tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    with LocalTSA(name="Test TSA Wide", eku="timeStamping, serverAuth") as wide:
        outcome = seal_bag(package, SealConfig(urls=(wide.url,)))
    assert outcome.status == "failed"
    assert "timeStamping as its only purpose" in outcome.problems()[0], outcome.problems()
    assert not (package / "signatures").exists()


def test_a_sha1_signature_is_refused_for_a_new_token(tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    with LocalTSA(name="Test TSA SHA-1", signer_digest="sha1") as old:
        outcome = seal_bag(package, SealConfig(urls=(old.url,)))
    assert outcome.status == "failed"
    assert "rests on SHA1, too weak" in outcome.problems()[0], outcome.problems()


@pytest.mark.parametrize(("url", "shown"), [
    ("https://tsa.example/?apikey=s3cretvalue", f"https://tsa.example/?apikey={MARKER}"),
    ("https://u:pw@tsa.example:8443/t?token=zz&policy=1",
     f"https://***@tsa.example:8443/t?token={MARKER}&policy=1"),
    ("http://a:b@[::1]:3128/", "http://***@[::1]:3128/"),
    ("https://tsa.example/tsa?policy=1.2.3", "https://tsa.example/tsa?policy=1.2.3"),
    ("http://tsa.example/?code=NO", "http://tsa.example/?code=NO"),
])
def test_an_address_is_stored_without_its_secrets(url: str, shown: str) -> None:
    assert safe_tsa_url(url) == redact_url_credentials(url) == shown


def test_secrets_in_a_tsa_address_stay_out_of_package_catalogue_and_warnings(
        tmp_path: Path, tsa: LocalTSA) -> None:
    secret = "s3cretApiKeyValue42"
    good = f"{tsa.url}?apikey={secret}"
    down = f"http://127.0.0.1:9/tsa?access_token={secret}"
    config = SealConfig(urls=(good, down), timeout_s=3.0)
    package = make_bag(tmp_path / "pkg")
    outcome = seal_bag(package, config)
    assert outcome.status == "partial"
    openssl_verify(package, 1)
    kept = [json.dumps(config.intent()), json.dumps(outcome.to_json(tokens=True)),
            *outcome.problems(),
            (package / "signatures" / "tsa-1.json").read_text("utf-8"),
            json.dumps(CaptureOptions(timestamp_urls=(good,)).for_provenance())]
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.record(CaptureResult(url="https://x.example/", capture_id="c1",
                                 status=CaptureStatus.PARTIAL, package=package,
                                 provenance={"seal": outcome.to_json(tokens=True)}))
    kept.append(json.dumps(catalog.seal("c1")))
    for text in kept:
        assert secret not in text, text
    assert json.loads(kept[3])["url"] == f"{tsa.url}?apikey={MARKER}"


def test_credentials_over_plain_http_are_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cleartext_warning("http://tsa.example/?apikey=k3y") is not None
    assert cleartext_warning("http://u:p@tsa.example/") is not None
    assert cleartext_warning("https://u:p@tsa.example/?apikey=k3y") is None
    assert cleartext_warning("http://tsa.example/tsa") is None
    assert cleartext_warning("http://u:p@127.0.0.1:8/") is None  # never leaves the computer

    def down(*args: object, **kwargs: object) -> bytes:
        raise TokenError("cannot reach the authority (test)")

    monkeypatch.setattr(seal_mod, "post_query", down)
    [stamp] = request_timestamps(b"x", SealConfig(urls=("http://u:p@tsa.example/",)))
    assert stamp.warning and "unencrypted" in stamp.warning
    assert stamp.to_json()["warning"] == stamp.warning


def test_catalogue_reads_tokens_only_from_their_place_and_says_where_a_seal_came_from(
        tmp_path: Path, tsa: LocalTSA) -> None:
    package = make_bag(tmp_path / "pkg")
    seal_bag(package, SealConfig(urls=(tsa.url,)))
    adopted = _seal_of_package(package)
    [stamp] = adopted["timestamps"]
    assert base64.b64decode(stamp["token_der_base64"]) == (
        package / "signatures" / "tsa-1.tsr").read_bytes()
    # a package whose JSON points elsewhere: nothing outside signatures/ is read
    (tmp_path / "outside.tsr").write_bytes(b"not for the catalogue")
    sidecar = package / "signatures" / "tsa-1.json"
    for elsewhere in ("../outside.tsr", "signatures/../../outside.tsr", "signatures/tsa-2.tsr",
                      str(tmp_path / "outside.tsr")):
        data = json.loads(sidecar.read_text("utf-8"))
        data["token_file"] = elsewhere
        sidecar.write_text(json.dumps(data), "utf-8")
        [stamp] = _seal_of_package(package)["timestamps"]
        assert "token_der_base64" not in stamp, elsewhere
    # where each seal came from, for verify to say
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.record(CaptureResult(url="https://x.example/", capture_id="pub", package=package,
                                 status=CaptureStatus.COMPLETE,
                                 provenance={"seal": seal_bag(make_bag(tmp_path / "p2"),
                                             SealConfig(urls=(tsa.url,))).to_json()}))
    assert (catalog.seal("pub") or {})["source"] == "publication"
