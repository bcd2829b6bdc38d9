"""Agency config file, record options and the mapping to a registration."""

from __future__ import annotations

from pathlib import Path

import pytest

from somecapture.config import load_config
from somecapture.errors import OptionsError
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import RecordOptions
from somecapture.package.record import registration_for, thread_text

GOOD = """
[organisation]
name = "Oslo kommune"
number = "958935420"
arkivdel = "Sosiale medier"

[defaults]
archivist = "Kari Nordmann"
arkivmelding = "fiks"
out_dir = "~/arkiv"

[own_accounts]
facebook = ["oslokommune"]
"*" = "oslo"
"""


def test_config_file_gives_record_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD, "utf-8")
    cfg = load_config(path)
    rec = cfg.record_defaults()
    assert rec.organisation == "Oslo kommune" and rec.organisation_number == "958935420"
    assert rec.archivist == "Kari Nordmann" and rec.arkivmelding == "fiks"
    assert cfg.out_dir == Path("~/arkiv").expanduser()
    assert rec.is_own_account("facebook", "@OsloKommune")
    assert rec.is_own_account("x", "oslo") and not rec.is_own_account("x", "oslokommune")


def test_missing_default_config_is_fine() -> None:
    assert load_config().record_defaults() == RecordOptions()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[organisation\nname='x'", "not valid TOML"),
        ("[orgs]\nname='x'", "unknown section [orgs]"),
        ("[organisation]\nnavn='x'", "unknown key 'navn'"),
        ("[organisation]\nnumber='12'", "nine digits"),
        ("[defaults]\narkivmelding='noark4'", "arkivmelding “noark4”"),
        ("[own_accounts]\nfacebook=3", "list of handles"),
        ("[defaults]\narchivist=3", "must be a text"),
    ],
)
def test_broken_config_gives_clear_error(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(OptionsError) as info:
        load_config(path)
    assert fragment in str(info.value) and str(path) in str(info.value)


def test_record_option_rules() -> None:
    assert RecordOptions(screening="Offl. § 13 jf. fvl. § 13").effective_access_code() == "13"
    with pytest.raises(OptionsError, match="access code"):
        RecordOptions(screening="personvern")
    assert RecordOptions(screening="personvern", access_code="P").effective_access_code() == "P"
    with pytest.raises(OptionsError, match="arkivnotat has no journalposttype"):
        RecordOptions(arkivnotat=True, journalposttype="I")
    with pytest.raises(OptionsError, match="I \\(inngående\\)"):
        RecordOptions(journalposttype="X")
    assert RecordOptions(case="2024/12").case_is_saksnummer()
    assert not RecordOptions(case="Sak om Tøyen").case_is_saksnummer()


def _result(author: str, handle: str, text: str) -> CaptureResult:
    r = CaptureResult(url="https://www.facebook.com/x/posts/1", capture_id="x",
                      status=CaptureStatus.COMPLETE)
    r.thread = {
        "platform": "Facebook", "adapter": "facebook",
        "root": {"id": "1", "author": author, "handle": handle, "text": text},
        "replies": [
            {"id": "a", "parent_id": "1", "author": "A", "text": "first"},
            {"id": "b", "parent_id": "a", "author": "B", "text": "nested"},
            {"id": "c", "parent_id": "b", "author": "C", "text": "deeper"},
        ],
    }
    return r


def test_title_and_public_title_for_a_citizen() -> None:
    reg = registration_for(_result("Kari Nordmann", "@kari", "Når åpner biblioteket på "
                                   "Tøyen igjen etter ombyggingen i sommer, spør Kari"),
                           RecordOptions())
    assert reg.title.startswith("Facebook: Kari Nordmann – Når åpner biblioteket")
    assert reg.title.endswith("…")
    assert "Kari" not in reg.public_title and "*****" in reg.public_title
    assert reg.journalposttype == "I" and reg.sender_is_private


def test_agency_own_post_is_outgoing() -> None:
    rec = RecordOptions(own_accounts={"facebook": ("oslokommune",)})
    reg = registration_for(_result("Oslo kommune", "@oslokommune", "Velkommen"), rec)
    assert reg.journalposttype == "U" and reg.public_title == reg.title


def test_thread_text_depths() -> None:
    entries = thread_text(_result("Kari", "@kari", "root"))
    assert [(e.author, e.depth) for e in entries] == [("Kari", 0), ("A", 1), ("B", 2),
                                                      ("C", 3)]


def test_public_title_masks_mentions_and_repliers_also_in_own_posts() -> None:
    rec = RecordOptions(own_accounts={"facebook": ("oslokommune",)})
    r = _result("Oslo kommune", "@oslokommune", "Svar til @kari_hansen og Per Hansen om brua")
    r.thread["replies"] = [{"id": "a", "parent_id": "1", "author": "Per Hansen",
                            "handle": "@perh", "text": "takk"}]
    reg = registration_for(r, rec)
    assert reg.title == "Facebook: Oslo kommune – Svar til @kari_hansen og Per Hansen om brua"
    assert reg.public_title == "Facebook: Oslo kommune – Svar til ***** og ***** om brua"
    citizen = registration_for(_result("Kari Hansen", "@kari", "Hei @oslokommune, når?"), rec)
    assert citizen.public_title == "Facebook: ***** – Hei @oslokommune, når?"


def test_a_root_standing_for_the_page_has_no_unknown_sender() -> None:
    r = _result("", "", "")
    r.thread["root"] = {"id": "https://forum.example/t/1?page=34", "author": None,
                        "source": "page-metadata", "text": "Linje 25 endres fra mandag"}
    reg = registration_for(r, RecordOptions())
    assert reg.title == "Facebook: Linje 25 endres fra mandag"
    assert "ukjent" not in reg.title


def test_maalform_from_the_config_names_the_unknown_in_nynorsk(tmp_path: Path) -> None:
    """The agency's målform ([archive] maalform) decides the words the registration adds,
    not the archivist's screen language."""
    path = tmp_path / "config.toml"
    path.write_text('[archive]\nmaalform = "nn"\n', "utf-8")
    rec = load_config(path).record_defaults()
    assert rec.maalform == "nn"
    reg = registration_for(_result("", "", "Brua er stengd"), rec)
    assert reg.title == "Facebook: ukjend avsendar – Brua er stengd"
    assert reg.organisation == "Verksemd ikkje oppgitt"
    bokmal = registration_for(_result("", "", "Brua er stengt"), RecordOptions())
    assert bokmal.title == "Facebook: ukjent avsender – Brua er stengt"
    assert bokmal.organisation == "Virksomhet ikke oppgitt"
    path.write_text('[archive]\nmaalform = "sv"\n', "utf-8")
    with pytest.raises(OptionsError, match="målform “sv” is not known"):
        load_config(path)


def test_registration_notes_advise_where_the_archivist_is() -> None:
    from somecapture.messages import render
    from somecapture.package.record import registration_notes

    organisation, own, case = registration_notes(RecordOptions(maalform="nn"))
    # the command line names the config file and --case; the app its settings
    assert "[organisation]" in render(organisation, "nb", "cli")
    assert "Verksemd ikkje oppgitt" in render(organisation, "nn", "app")
    assert "Innstillingar → Standardverdiane til verksemda" in render(organisation, "nn", "app")
    assert "--case" in render(case, "en", "cli") and "--case" not in render(case, "nb", "app")
    assert "Innstillinger → Virksomhetens standardverdier" in render(own, "nb", "app")
