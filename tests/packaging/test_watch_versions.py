"""A later version of a watched thread in the records system and on paper: the arkivmelding
files it in the first capture's case (both dialects, XSD-valid, no number made up) and points
at the previous registrering; the PDF's capture sheet lists the changes."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from somecapture.models import Artifact, CaptureResult, CaptureStatus
from somecapture.options import RecordOptions
from somecapture.package.layout import (
    METADATA_NAME,
    PDF_NAME,
    SCREENSHOT_NAME,
    WARC_NAME,
)
from somecapture.package.noark import build_arkivmelding, validate_arkivmelding
from somecapture.package.pdf import render_capture_pdf
from somecapture.package.record import (
    capture_sheet,
    noark_input,
    registration_for,
    thread_text,
)

FIRST = "0b6f2c1e-5d7a-4c59-9a53-0e4a3a9f1c11"
SECOND = "7d1c9e22-0f3b-4a8e-9d54-6b2e1f0c3a99"
STARTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NS = {"e": "http://www.arkivverket.no/standarder/noark5/arkivmelding",
      "f": "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v1",
      "m": "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v1",
      "sc": "urn:somecapture:virksomhetsspesifikke-metadata:1"}

THREAD = {
    "platform": "Web",
    "root": {"id": "1", "author": "Bydel Vestvik", "handle": "@vestvik",
             "published_at": "2026-03-02T08:00:00Z", "text": "Storgata stenges."},
    "replies": [{"id": "c4", "author": "Anne Lie", "handle": "@annel", "parent_id": "1",
                 "published_at": "2026-03-02T08:50:00Z", "text": "Og syklene?"}],
}
CHANGES = {
    "previous_capture": FIRST, "previous_captured_at": "2026-03-02T08:20:00Z",
    "first_capture": FIRST, "version": 2,
    "counts": {"new_replies": 1, "edited_replies": 1, "no_longer_observed": 1},
    "root_edited": False,
    "new_replies": [{"id": "c4", "url": None, "author": "Anne Lie", "handle": "@annel",
                     "published_at": "2026-03-02T08:50:00Z", "text": "Og syklene?"}],
    "edited_replies": [{"id": "c2", "url": None, "author": "Ola Hansen", "handle": "@olah",
                        "published_at": "2026-03-02T08:20:00Z", "text": "Ny tekst",
                        "text_before": "Gammel tekst"}],
    "no_longer_observed": [{"id": "c3", "url": None, "author": "Per Berg",
                            "handle": "@perb", "published_at": None, "text": "Borte"}],
    "notes": [],
}


def _files() -> dict[str, Artifact]:
    return {name: Artifact(path=name, sha256=digit * 64, size_bytes=1000, media_type=media)
            for name, digit, media in ((PDF_NAME, "a", "application/pdf"),
                                       (SCREENSHOT_NAME, "b", "image/png"),
                                       (WARC_NAME, "c", "application/warc"),
                                       (METADATA_NAME, "d", "application/json"))}


def _result(capture_id: str, changes: dict[str, Any] | None) -> CaptureResult:
    result = CaptureResult(url="https://forum.example/t/1", capture_id=capture_id,
                           status=CaptureStatus.COMPLETE, final_url="https://forum.example/t/1")
    result.thread = THREAD
    result.completeness = {"captured_replies": 1}
    if changes is not None:
        result.previous_capture, result.changes = changes["previous_capture"], changes
    return result


def _xml(capture_id: str, changes: dict[str, Any] | None, variant: str,
         case: str | None = None) -> etree._Element:
    record = RecordOptions(archivist="Åse Ærlig", organisation="Bydel Vestvik", case=case,
                           arkivmelding=variant)  # type: ignore[arg-type]
    result = _result(capture_id, changes)
    reg = registration_for(result, record)
    xml = build_arkivmelding(noark_input(result, record, reg, _files(), STARTED), variant)
    validate_arkivmelding(xml, variant)  # type: ignore[arg-type]
    return etree.fromstring(xml)


def _one(root: etree._Element, path: str) -> str:
    (value,) = root.xpath(path, namespaces=NS)
    return str(value)


def _no_numbers(root: etree._Element) -> None:
    # journal and case numbers are the records system's to give: never in a message
    for name in ("journalaar", "journalsekvensnummer", "journalpostnummer",
                 "registreringsID", "saksaar", "sakssekvensnummer"):
        assert root.xpath(f"//*[local-name()='{name}']") == []


def test_eformidling_version_goes_into_the_first_captures_new_case() -> None:
    first = _xml(FIRST, None, "eformidling")
    second = _xml(SECOND, CHANGES, "eformidling")
    # the saksmappe the first message asked for, named by the same systemID
    assert _one(second, "/e:arkivmelding/e:mappe/e:systemID/text()") == \
        _one(first, "/e:arkivmelding/e:mappe/e:systemID/text()")
    post = "/e:arkivmelding/e:mappe/e:basisregistrering"
    assert _one(second, f"{post}/e:systemID/text()") == SECOND
    assert _one(second, f"{post}/e:kryssreferanse/e:referanseTilRegistrering/text()") == FIRST
    remark = _one(second, f"{post}/e:merknad/e:merknadstekst/text()")
    assert FIRST in remark and "1 nytt svar" in remark and "1 endret svar" in remark
    assert remark.startswith(f"Versjon 2 av arkiveringen av samme tråd. Endret siden versjon "
                             f"1 (arkivering {FIRST}): ")
    props = {e.get("navn"): e.text for e in second.iterfind(".//sc:egenskap", NS)}
    assert props["forrigeFangstID"] == FIRST and props["foersteFangstID"] == FIRST
    assert props["svarIkkeLengerObservert"] == "1"
    # a first capture has none of it
    assert first.xpath("//e:kryssreferanse | //e:merknad", namespaces=NS) == []
    _no_numbers(second)


def test_fiks_version_names_the_first_captures_case_by_its_keys() -> None:
    first = _xml(FIRST, None, "fiks")
    second = _xml(SECOND, CHANGES, "fiks")
    # Fiks sends no mappe for an existing case: the registrering points at it
    assert second.xpath("/f:arkivmelding/f:mappe", namespaces=NS) == []
    ref = "/f:arkivmelding/f:registrering/f:referanseForelderMappe"
    folder = "/f:arkivmelding/f:mappe"
    assert _one(second, f"{ref}/m:systemID/text()") == _one(first, f"{folder}/f:systemID/text()")
    assert _one(second, f"{ref}/m:referanseEksternNoekkel/m:noekkel/text()") == \
        _one(first, f"{folder}/f:referanseEksternNoekkel/m:noekkel/text()")
    cross = "/f:arkivmelding/f:registrering/f:kryssreferanse/f:referanseTilRegistrering"
    assert _one(second, f"{cross}/m:systemID/text()") == FIRST
    # the key the first registrering was sent with
    assert _one(second, f"{cross}/m:referanseEksternNoekkel/m:noekkel/text()") == _one(
        first, "/f:arkivmelding/f:registrering/f:referanseEksternNoekkel/m:noekkel/text()")
    _no_numbers(second)


@pytest.mark.parametrize("variant", ["eformidling", "fiks"])
def test_a_version_of_a_capture_with_a_case_stays_in_that_case(variant: str) -> None:
    # the pipeline gives a later version the first capture's case; here it is 2024/123
    second = _xml(SECOND, CHANGES, variant, case="2024/123")
    years = second.xpath("//*[local-name()='saksaar']/text()")
    assert years == ["2024"]
    assert second.xpath("//*[local-name()='kryssreferanse']") != []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_the_capture_sheet_lists_the_changes(tmp_path: Path) -> None:
    shot = tmp_path / "screenshot.png"
    Image.new("RGB", (800, 600), "white").save(shot)
    record = RecordOptions(archivist="Åse Ærlig")
    result = _result(SECOND, CHANGES)
    sheet = capture_sheet(result, registration_for(result, record), record, "c" * 64, "b" * 64,
                          STARTED)
    out = tmp_path / "screenshot.pdf"
    render_capture_pdf(shot, sheet, thread_text(result), out)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", str(out), "-"],
                          check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Endringer siden forrige arkivering" in flat
    assert f"Versjon 2 av tråden; sammenlignet med versjon 1, arkivering {FIRST}" in flat
    assert "Nytt svar: Anne Lie (@annel): «Og syklene?»" in flat
    assert "«Gammel tekst» → «Ny tekst»" in flat
    assert "Ikke lenger observert: Per Berg (@perb): «Borte»" in flat


def test_a_first_capture_sheet_has_no_changes_block(tmp_path: Path) -> None:
    record = RecordOptions(archivist="Åse Ærlig")
    result = _result(str(uuid.uuid4()), None)
    sheet = capture_sheet(result, registration_for(result, record), record, "c" * 64, None,
                          STARTED)
    assert sheet.changes == ()


GONE = {
    **CHANGES, "counts": {"new_replies": 0, "edited_replies": 0, "no_longer_observed": 1,
                          "not_read": 0},
    "new_replies": [], "edited_replies": [], "root_no_longer_observed": True,
    "post_unavailable": "Dette innholdet er ikke tilgjengelig akkurat nå",
}


@pytest.mark.parametrize("variant", ["eformidling", "fiks"])
def test_a_version_whose_post_is_gone_says_so_in_the_arkivmelding(variant: str) -> None:
    second = _xml(SECOND, GONE, variant)
    remark = second.xpath("//*[local-name()='merknadstekst']/text()")[0]
    assert "selve innlegget ikke lenger observert" in remark
    assert "slettet" not in remark.lower()
    props = {e.get("navn"): e.text for e in second.iterfind(".//sc:egenskap", NS)}
    assert props["innleggIkkeLengerObservert"] == "true"
    assert props["innleggUtilgjengelig"] == "Dette innholdet er ikke tilgjengelig akkurat nå"
    assert props["svarIkkeLest"] == "0"
    _no_numbers(second)


def test_the_changes_a_diff_gives_are_valid_against_the_metadata_schema() -> None:
    import json

    import jsonschema

    from somecapture.package.documents import metadata_schema_path
    from somecapture.thread.diff import diff_threads, not_compared

    schema = json.loads(metadata_schema_path().read_text("utf-8"))
    changes_schema = {"$defs": schema["$defs"], **schema["properties"]["changes"]}
    validator = jsonschema.Draft202012Validator(changes_schema)
    before = {"root": THREAD["root"], "replies": [
        {"id": "c1", "author": "Kari", "handle": "@kari", "text": "Hei",
         "published_at": "2026-03-02T08:10:00Z"}]}
    head = {"previous_capture": FIRST, "first_capture": FIRST, "version": 2,
            "previous_captured_at": "2026-03-02T08:20:00Z"}
    gone = diff_threads(before, {"root": None, "replies": []}, post_unavailable="Borte")
    partial = diff_threads(before, {"root": THREAD["root"], "replies": [
        {"id": "c0", "author": "Liv", "handle": "@liv", "text": "Tidlig",
         "published_at": "2026-03-02T08:00:00Z"}]}, incomplete=True,
        previous_captured_at="2026-03-02T08:20:00Z")
    for body in (gone.to_json(), partial.to_json(), not_compared("its package is gone")):
        data = {**head, **body}
        assert list(validator.iter_errors(data)) == []
        # the schema names every key the diff writes (nothing undocumented)
        assert set(data) <= set(changes_schema["properties"])
        for key in ("new_replies", "no_longer_observed", "not_read", "edited_replies"):
            for item in data[key]:
                assert set(item) <= set(schema["$defs"]["changed_reply"]["properties"])
    assert partial.to_json()["not_read"][0]["id"] == "c1"
    assert partial.to_json()["new_replies"][0]["not_read_then"] is True


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_the_capture_sheet_says_the_post_is_no_longer_observed(tmp_path: Path) -> None:
    shot = tmp_path / "screenshot.png"
    Image.new("RGB", (800, 600), "white").save(shot)
    record = RecordOptions(archivist="Åse Ærlig")
    result = _result(SECOND, GONE)
    sheet = capture_sheet(result, registration_for(result, record), record, "c" * 64, "b" * 64,
                          STARTED)
    out = tmp_path / "screenshot.pdf"
    render_capture_pdf(shot, sheet, thread_text(result), out)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", "1", str(out), "-"],
                          check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert ("Innlegget er ikke lenger observert; siden sier: «Dette innholdet er ikke "
            "tilgjengelig akkurat nå»") in flat
