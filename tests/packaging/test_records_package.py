"""A package from the fixture thread passes every validator, for each arkivmelding variant."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import bagit
import pikepdf
import pytest
import xmlschema
from jsonschema import Draft202012Validator
from lxml import etree
from warcio.archiveiterator import ArchiveIterator

from somecapture.catalog import Catalog
from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import RecordOptions
from somecapture.package.pdfa import check_pdfa_structure
from somecapture.resources import resource_path
from tests.conftest import run_capture
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

XSD = {
    "eformidling": resource_path("schemas", "eformidling-arkivmelding", "arkivmelding.xsd"),
    "fiks": resource_path("schemas", "fiks-arkiv-v1",
                          "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"),
}

CASES = {
    "eformidling": RecordOptions(
        case="2026/1234", archivist="Kari Nordmann", organisation="Oslo kommune",
        organisation_number="958935420", arkivdel="Sosiale medier",
        own_accounts={"*": ("oslokommune",)}, arkivmelding="eformidling"),
    "fiks": RecordOptions(
        title='Innlegg <om> "Tøyen" & bibliotek', archivist="Ola Nordmann",
        organisation="Oslo kommune", arkivnotat=True, screening="Offl. § 13 jf. fvl. § 13",
        arkivmelding="fiks"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def captured(request: pytest.FixtureRequest, site: fx.FixtureSite,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, CaptureResult]]:
    variant = request.param
    out = tmp_path_factory.mktemp(f"records-{variant}")
    result = run_capture(site.url("/post/1"), out, record=CASES[variant],
                         catalog_path=out.parent / f"catalog-{variant}.sqlite")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    yield variant, result


def test_every_file_present(captured: tuple[str, CaptureResult]) -> None:
    _, result = captured
    assert result.package is not None
    names = sorted(p.name for p in (result.package / "data").iterdir())
    assert names == ["arkivmelding.xml", "capture-metadata.json", "capture-metadata.schema.json",
                     "capture.warc", "screened", "screenshot.pdf", "screenshot.png"]
    bagit.Bag(str(result.package)).validate()


def test_arkivmelding_validates_with_two_independent_validators(
    captured: tuple[str, CaptureResult],
) -> None:
    variant, result = captured
    assert result.package is not None
    xml_path = result.package / "data" / "arkivmelding.xml"
    schema = etree.XMLSchema(etree.parse(str(XSD[variant])))
    doc = etree.parse(str(xml_path))
    assert schema.validate(doc), schema.error_log
    xmlschema.XMLSchema(str(XSD[variant])).validate(str(xml_path))
    text = xml_path.read_text("utf-8")
    # never invent numbers the records system assigns
    assert "<journalpostnummer>" not in text and "<journalsekvensnummer>" not in text


def test_arkivmelding_mapping(captured: tuple[str, CaptureResult]) -> None:
    variant, result = captured
    assert result.package is not None
    text = (result.package / "data" / "arkivmelding.xml").read_text("utf-8")
    meta = json.loads((result.package / "data" / "capture-metadata.json").read_text("utf-8"))
    reg = meta["registration"]
    if variant == "eformidling":
        # the agency's own account: outgoing, and its name may stand in the public title
        assert reg["journalposttype"] == "U" and reg["kind"] == "journalpost"
        assert "<saksaar>2026</saksaar>" in text and "<sakssekvensnummer>1234<" in text
        assert reg["title"].startswith("Web: Oslo kommune – Vi åpner nytt bibliotek")
        assert "Oslo kommune" in reg["public_title"]
        assert "<arkivertAv>Kari Nordmann</arkivertAv>" in text
    else:
        assert reg["kind"] == "arkivnotat" and reg["journalposttype"] is None
        assert reg["title"] == 'Innlegg <om> "Tøyen" & bibliotek'
        assert "&lt;om&gt;" in text and "&amp; bibliotek" in text
        assert "<skjermingshjemmel>Offl. § 13 jf. fvl. § 13</skjermingshjemmel>" in text
        # fixity travels in the Fiks variant
        sha = next(a.sha256 for a in result.artifacts if a.path == "capture.warc")
        assert sha in text
    assert "screenshot.pdf" in text and "capture.warc" in text
    assert "capture-metadata.json" in text


def test_pdf_is_pdfa_2b_with_searchable_text(captured: tuple[str, CaptureResult]) -> None:
    _, result = captured
    assert result.package is not None
    pdf_path = result.package / "data" / "screenshot.pdf"
    assert check_pdfa_structure(pdf_path) == []
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert len(pdf.pages) >= 3
    import subprocess

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert result.url in text.replace("\n", "")
    assert "Europe/Oslo" in text and "UTC" in text
    assert fx.ROOT_TEXT.split()[0] in text and "Svar nummer 12" in text


def test_metadata_validates_against_shipped_schema(captured: tuple[str, CaptureResult]) -> None:
    _, result = captured
    assert result.package is not None
    data = result.package / "data"
    schema = json.loads((data / "capture-metadata.schema.json").read_text("utf-8"))
    meta = json.loads((data / "capture-metadata.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(meta))
    assert errors == []
    assert {f["path"] for f in meta["files"]} == {
        "capture.warc", "screenshot.png", "screenshot.pdf", "screened/screenshot.pdf",
        "capture-metadata.schema.json"}


def test_catalogue_records_the_capture(captured: tuple[str, CaptureResult]) -> None:
    variant, result = captured
    assert result.package is not None
    catalog = Catalog(result.package.parent.parent / f"catalog-{variant}.sqlite")
    entries = catalog.entries()
    assert [e.capture_id for e in entries] == [result.capture_id]
    e = entries[0]
    assert e.status == "complete" and e.package_path == str(result.package)
    assert e.author == fx.ROOT_AUTHOR_NAME and e.warc_sha256
    assert catalog.entries(search="Tøyen") and not catalog.entries(search="no-such-thing")


def test_lost_catalogue_row_is_rebuilt_from_the_package(
        captured: tuple[str, CaptureResult], tmp_path: Path) -> None:
    """A package the catalogue lost (published, then the process was killed) is adopted from
    its own metadata with the same row a recorded capture gets; odd folders are passed by."""
    variant, result = captured
    assert result.package is not None
    recorded = Catalog(result.package.parent.parent / f"catalog-{variant}.sqlite").entries()[0]
    out = result.package.parent
    (out / "not-a-package").mkdir(exist_ok=True)
    broken = out / "broken-package"
    (broken / "data").mkdir(parents=True, exist_ok=True)
    (broken / "bagit.txt").write_text("BagIt-Version: 1.0\n")
    (broken / "data" / "capture-metadata.json").write_text("{not json")
    fresh = Catalog(tmp_path / "fresh.sqlite")
    try:
        assert fresh.adopt_packages(out) == [result.capture_id]
        assert fresh.adopt_packages(out) == []  # known now: not read again
    finally:
        shutil.rmtree(broken)
        (out / "not-a-package").rmdir()
    adopted = fresh.entries()[0].to_json()
    expected = recorded.to_json()
    for volatile in ("recorded_at", "error", "batch_id"):
        adopted.pop(volatile, None)
        expected.pop(volatile, None)
    assert adopted == expected


def test_warc_names_the_sites_address_not_the_guard_proxys(tmp_path: Path) -> None:
    """Traffic goes through the local guard proxy (on 127.0.0.1), yet WARC-IP-Address is the
    address the proxy connected to for the site: here a site listening on 127.0.0.2."""
    with fx.FixtureSite(host="127.0.0.2") as site:
        result = run_capture(site.url("/gzip/page"), tmp_path / "out")
    assert result.package is not None, result.error
    addresses = []
    proxy_headers = []
    with open(result.package / "data" / "capture.warc", "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                addresses.append(record.rec_headers.get_header("WARC-IP-Address"))
            elif record.rec_type == "request":
                # what went to the site: the browser's headers for the proxy never did
                proxy_headers += [k for k, _v in record.http_headers.headers
                                  if k.lower().startswith("proxy-")]
    assert addresses and set(addresses) == {"127.0.0.2"}, addresses
    assert proxy_headers == []


def test_verify_names_changed_xml_and_metadata(captured: tuple[str, CaptureResult],
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    _, result = captured
    assert result.package is not None
    copy = tmp_path / "pkg"
    shutil.copytree(result.package, copy)
    xml = copy / "data" / "arkivmelding.xml"
    xml.write_text(xml.read_text("utf-8").replace("<tittel>", "<tittel>X", 1), "utf-8")
    assert main(["verify", str(copy)]) == ExitStatus.VERIFY_FAILED
    assert "data/arkivmelding.xml" in capsys.readouterr().out
