"""The verification side of the seal, at unit level (issue 17 review; no browser).

A small bag written by the tool's own writer, sealed by a local TSA (``openssl ts -reply``),
then the checks ``verify`` makes: a seal no trust store proved is said NOT TRUSTED and fails
``--require-seal``; an authority that sends no root passes with the trust store; a lone
``.json`` is a removed token; a capture whose authorities all failed is not "a removed
seal" without the catalogue; a stamp made long after the capture finished fails; the
catalogue's per-file SHA-256 names what a consistent re-hash changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from somecapture.messages import render
from somecapture.package.seal import SealConfig, seal_bag
from somecapture.package.seal_verify import (
    NOT_TRUSTED,
    PublishedSeal,
    StampCheck,
    check_seal,
    compare_published,
)
from somecapture.package.verify import PackageCheck, _check_seal, stamp_time_problems
from somecapture.package.wacz import _trust_note
from tests.fixtures.tsa import LocalTSA
from tests.packaging.test_seal import make_bag


@pytest.fixture(scope="module")
def tsa() -> Iterator[LocalTSA]:
    with LocalTSA(name="Self Rooted TSA") as server:
        yield server


@pytest.fixture(scope="module")
def leaf_only() -> Iterator[LocalTSA]:
    """An authority that sends only its own certificate (as most real ones do): its config
    without the ``certs`` line, so the root is not in the token."""
    with LocalTSA(name="Leaf Only TSA") as server:
        cnf = server.folder / "tsa.cnf"
        cnf.write_text(re.sub(r"(?m)^certs = .*\n", "", cnf.read_text("utf-8")), "utf-8")
        yield server


def _sealed(folder: Path, server: LocalTSA) -> Path:
    package = make_bag(folder)
    outcome = seal_bag(package, SealConfig(urls=(server.url,)))
    assert outcome.status == "sealed", outcome.problems()
    return package


def test_a_self_rooted_seal_without_trust_store_is_said_not_trusted(
        tmp_path: Path, tsa: LocalTSA) -> None:
    package = _sealed(tmp_path / "pkg", tsa)
    report = check_seal(package)
    assert report.ok and report.sealed and not report.trusted
    assert report.summary().startswith(NOT_TRUSTED)
    assert "anyone can make such a token" in report.summary()
    assert "give --trust or set [timestamp] trust" in report.summary()
    # --require-seal wants a trusted seal
    result = PackageCheck(path=package)
    _check_seal(package, {}, (), True, result)
    assert any("the seal is not trusted" in p and "--require-seal" in p
               for p in result.problems), result.problems
    # with the trust store: trusted, no caveat, --require-seal satisfied
    trusted = check_seal(package, [tsa.ca_pem])
    assert trusted.trusted and "NOT TRUSTED" not in trusted.summary()
    assert "trusted by" in trusted.summary()
    result = PackageCheck(path=package)
    _check_seal(package, {}, [tsa.ca_pem], True, result)
    assert result.problems == []


def test_an_authority_that_sends_no_root_passes_with_the_trust_store(
        tmp_path: Path, leaf_only: LocalTSA) -> None:
    package = _sealed(tmp_path / "pkg", leaf_only)
    chain = (package / "signatures" / "tsa-1-chain.pem").read_text("ascii")
    assert chain.count("BEGIN CERTIFICATE") == 1  # the leaf alone
    report = check_seal(package, [leaf_only.ca_pem])
    assert report.ok and report.trusted, [s.problems for s in report.stamps]
    # without a trust store it cannot be proved, and says how
    bare = check_seal(package)
    problems = [p for s in bare.stamps for p in s.problems]
    assert any("cannot be proved without a trust store (--trust or [timestamp] trust)" in p
               for p in problems), problems


def test_a_lone_json_saying_failed_is_a_removed_token(tmp_path: Path, tsa: LocalTSA) -> None:
    package = _sealed(tmp_path / "pkg", tsa)
    sig = package / "signatures"
    (sig / "tsa-1.tsr").unlink()
    (sig / "tsa-1-chain.pem").unlink()
    (sig / "tsa-1.json").write_text(json.dumps({"status": "failed", "reason": "TSA down"}))
    report = check_seal(package)
    problems = [p for s in report.stamps for p in s.problems]
    assert any(p.startswith("signatures/tsa-1.json: without its token") for p in problems)
    assert not report.ok


def _requested(n: int = 2) -> dict[str, object]:
    return {"seal": {"status": "requested",
                     "authorities": [f"http://tsa{i}.example/" for i in range(n)]}}


def test_all_authorities_failed_is_unsealed_not_a_removed_seal(tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    result = PackageCheck(path=package)
    _check_seal(package, _requested(), (), False, result)
    assert result.problems == []
    assert result.seal is not None and not result.seal.sealed
    summary = result.seal.summary()
    assert "says 2 time-stamp authorities were asked; this package carries no token" in summary
    from somecapture.messages import render
    assert "sier at 2 tidsstempeltjenester ble spurt; denne pakken har ikke noe tidsstempel" \
        in render(summary, "nb", "app")
    assert "they failed at capture time, or the seal was removed" in summary
    # unsealed fails only with --require-seal
    strict = PackageCheck(path=package)
    _check_seal(package, _requested(), (), True, strict)
    assert any("--require-seal" in p for p in strict.problems)


def test_a_removed_seal_fails_with_the_catalogue_record(tmp_path: Path, tsa: LocalTSA) -> None:
    package = _sealed(tmp_path / "pkg", tsa)
    import base64
    import hashlib
    token = (package / "signatures" / "tsa-1.tsr").read_bytes()
    published = PublishedSeal.from_json({
        "tagmanifest_sha256": hashlib.sha256(
            (package / "tagmanifest-sha256.txt").read_bytes()).hexdigest(),
        "status": "sealed",
        "timestamps": [{"authority": 1, "token_der_base64": base64.b64encode(token).decode()}],
    })
    assert published is not None
    for path in (package / "signatures").iterdir():
        path.unlink()
    (package / "signatures").rmdir()
    problems = compare_published(package, published)
    assert any("signatures/: missing; the catalogue recorded 1 time stamp" in p
               for p in problems), problems
    result = PackageCheck(path=package)
    _check_seal(package, _requested(1), (), False, result, published)
    assert result.seal is not None and result.seal.notes == []


def test_a_record_adopted_from_the_package_is_said_so() -> None:
    adopted = PublishedSeal.from_json({"tagmanifest_sha256": "ab" * 32, "source": "package"})
    assert adopted is not None and adopted.from_package
    assert "recorded from the package itself when adopted, not at publication" in (
        adopted.note() or "")
    recorded = PublishedSeal.from_json({"tagmanifest_sha256": "ab" * 32})
    assert recorded is not None and recorded.note() is None


def test_a_stamp_long_after_the_capture_finished_fails() -> None:
    finished = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    meta = {"captured_at": "2026-05-01T08:59:00Z", "finished_at": "2026-05-01T09:00:00Z"}
    soon = StampCheck(name="signatures/tsa-1.tsr", gen_time=finished + timedelta(seconds=30))
    assert stamp_time_problems([soon], meta) == []
    late = StampCheck(name="signatures/tsa-2.tsr", gen_time=finished + timedelta(days=3))
    problems = stamp_time_problems([late], meta)
    assert len(problems) == 1
    assert problems[0].startswith("signatures/tsa-2.tsr: stamped 3 days after the capture "
                                  "finished")
    assert "the seal vouches for the files as of then, not as captured" in problems[0]
    early = StampCheck(name="signatures/tsa-3.tsr", gen_time=finished - timedelta(hours=1))
    assert "before the capture started" in stamp_time_problems([early], meta)[0]


def test_the_catalogue_names_the_payload_file_a_rehash_changed(tmp_path: Path) -> None:
    package = make_bag(tmp_path / "pkg")
    import hashlib
    manifest = (package / "manifest-sha256.txt").read_text("utf-8")
    warc = hashlib.sha256((package / "data" / "capture.warc").read_bytes()).hexdigest()
    published = PublishedSeal.from_json(
        {"tagmanifest_sha256": "00" * 32},
        [{"path": "capture.warc", "sha256": warc}, {"path": "note.txt", "sha256": "11" * 32}])
    assert published is not None
    problems = compare_published(package, published)
    assert any(p.startswith("tagmanifest-sha256.txt: not the one published") for p in problems)
    assert any(p.startswith("data/note.txt: changed after publication") for p in problems)
    assert not any(p.startswith("data/capture.warc") for p in problems), manifest


def test_the_wacz_says_whether_the_seal_was_trusted(tmp_path: Path, tsa: LocalTSA) -> None:
    package = _sealed(tmp_path / "pkg", tsa)
    assert _trust_note(check_seal(package)).startswith(NOT_TRUSTED)
    assert "trusted by" in _trust_note(check_seal(package, [tsa.ca_pem]))
    assert _trust_note(check_seal(make_bag(tmp_path / "bare"))) == ""


def test_the_whole_provenance_is_compared_with_the_warcs_copy(tmp_path: Path) -> None:
    from somecapture.package.crossref import CrossCheck

    package = make_bag(tmp_path / "pkg")
    warc_copy = {"capture_id": "c", "main_document_status": 200,
                 "tls": [{"host": "example.org", "accepted_by_browser": False}],
                 "browser": {"version": "1"}, "options": {"timeout": 60}}
    meta = {"provenance": {"main_document_status": 200, "seal": {"status": "sealed"},
                           "tls": [{"host": "example.org", "accepted_by_browser": False}]},
            "browser": {"version": "1"}, "options": {"timeout": 60}}
    check = CrossCheck(package, meta)
    check._provenance(warc_copy)
    assert check.problems == []  # seal: added after the WARC was written, not compared
    meta["provenance"]["tls"][0]["accepted_by_browser"] = True  # type: ignore[index]
    meta["options"] = {"timeout": 90}
    check = CrossCheck(package, meta)
    check._provenance(warc_copy)
    assert check.problems == [
        "data/capture.warc: provenance tls[0].accepted_by_browser says False, but "
        "capture-metadata.json provenance.tls[0].accepted_by_browser says True",
        "data/capture.warc: provenance options.timeout says 60, but capture-metadata.json "
        "options.timeout says 90"]


def test_the_seals_problems_are_said_in_the_archivists_language(tmp_path: Path) -> None:
    """What verify finds wrong with a seal is a catalogue message: said in bokmål or
    nynorsk where the archivist reads it, in English in the JSON and the log."""
    finished = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    meta = {"captured_at": "2026-05-01T08:59:00Z", "finished_at": "2026-05-01T09:00:00Z"}
    late = StampCheck(name="signatures/tsa-2.tsr", gen_time=finished + timedelta(days=3))
    [problem] = stamp_time_problems([late], meta)
    assert render(problem, "nn").startswith(
        "signatures/tsa-2.tsr: stempla 3 døgn etter at arkiveringa var ferdig")
    assert render(problem, "nb").endswith(
        "forseglingen går god for filene slik de var da, ikke slik de ble arkivert")
    package = make_bag(tmp_path / "pkg")
    published = PublishedSeal.from_json({"tagmanifest_sha256": "00" * 32})
    assert published is not None
    [rehashed] = compare_published(package, published)
    assert render(rehashed, "nb").startswith(
        "tagmanifest-sha256.txt: ikke den som ble publisert (SHA-256 i katalogen "
        "0000000000000000…")
    (package / "signatures").mkdir()
    (package / "signatures" / "tsa-1.json").write_text("{}", "utf-8")
    said = [render(p, "nn") for s in check_seal(package).stamps for p in s.problems]
    assert "signatures/tsa-1.tsr: manglar (forseglinga er ufullstendig)" in said
