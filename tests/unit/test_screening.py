"""Screening rules: identity numbers, phone numbers, e-mail, persons, pseudonyms, masks,
offentligTittel — the parts of the screened variant that need no browser."""

from __future__ import annotations

import itertools
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from somecapture.errors import OptionsError
from somecapture.models import Artifact, CaptureResult, CaptureStatus, ScreenshotInfo
from somecapture.options import RecordOptions
from somecapture.package import noark
from somecapture.package.layout import (
    METADATA_NAME,
    PDF_NAME,
    SCREENED_PDF_NAME,
    SCREENSHOT_NAME,
    WARC_NAME,
)
from somecapture.package.record import noark_input, registration_for
from somecapture.package.screened import find_leaks
from somecapture.package.screening import (
    mask_identifiers,
    phone_number,
    plan_screening,
    valid_fodselsnummer,
)
from somecapture.thread.persons import mentions_in, persons_in

# the control digits' definition, written the other way round from the product's code: a
# fødselsnummer is valid when both weighted sums *including* the control digits are
# divisible by 11 (Skatteetaten's description of the algorithm)
_CHECK1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_CHECK2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


def _complete(nine: str) -> str | None:
    """The 11-digit number with control digits for ``nine`` digits, or None (no valid one)."""
    for tail in itertools.product(range(10), repeat=2):
        digits = [int(c) for c in nine] + list(tail)
        if (sum(w * d for w, d in zip(_CHECK1, digits, strict=False)) % 11 == 0
                and sum(w * d for w, d in zip(_CHECK2, digits, strict=True)) % 11 == 0):
            return "".join(map(str, digits))
    return None


def _valid(birth: str) -> str:
    for individual in range(100, 1000):
        number = _complete(birth + str(individual))
        if number:
            return number
    raise AssertionError(f"no valid number for {birth}")


FNR = _valid("311285")          # 31 December 1985
D_NUMBER = _valid("410199")     # D-nummer: day + 40
H_NUMBER = _valid("015099")     # H-nummer: month + 40
SYNTHETIC = _valid("018599")    # synthetic test number: month + 80


@pytest.mark.parametrize("number", [FNR, D_NUMBER, H_NUMBER, SYNTHETIC,
                                    f"{FNR[:6]} {FNR[6:]}"])
def test_valid_identity_numbers_are_recognised(number: str) -> None:
    assert valid_fodselsnummer(number)


def _checksum_valid_with(prefix: str) -> str:
    """An 11-digit number with valid control digits whose first six digits are ``prefix``."""
    for individual in range(100, 1000):
        number = _complete(prefix + str(individual))
        if number:
            return number
    raise AssertionError(prefix)


def test_invalid_identity_numbers_are_not() -> None:
    wrong_control = FNR[:10] + str((int(FNR[10]) + 1) % 10)
    assert not valid_fodselsnummer(wrong_control)
    assert not valid_fodselsnummer(FNR[:10])                 # ten digits
    assert not valid_fodselsnummer(FNR + "0")                # twelve
    assert not valid_fodselsnummer(FNR[:5] + "x" + FNR[6:])  # not digits
    # checksum-valid numbers whose date cannot be: day 32, month 13, day 0
    for impossible in ("320185", "011385", "000185"):
        assert not valid_fodselsnummer(_checksum_valid_with(impossible)), impossible


def test_identifiers_are_masked_in_texts_and_look_alikes_are_left() -> None:
    text = (f"Mitt fnr er {FNR}, ring 912 34 567 eller +47 22 33 44 55 eller 41234567, "
            "skriv til kari.nordmann@example.no. Møtet er 2026-12-07 kl. 10.30, sak 2024/123, "
            f"kontonummer-lignende 1234.56.78901, id 12345678-abcd, nesten-fnr {FNR[:10]}9x.")
    masked = mask_identifiers(text)
    assert FNR not in masked
    assert "912 34 567" not in masked and "22 33 44 55" not in masked
    assert "41234567" not in masked
    assert "kari.nordmann@example.no" not in masked and "[e-post skjermet]" in masked
    assert masked.count("[telefonnummer skjermet]") == 3
    assert masked.count("[fødselsnummer skjermet]") == 1
    for kept in ("2026-12-07", "10.30", "2024/123", "12345678-abcd", "1234.56.78901"):
        assert kept in masked
    assert phone_number("+47 912 34 567") and phone_number("22334455")
    assert not phone_number("12345678")  # Norwegian numbers do not start with 0 or 1


THREAD = {
    "platform": "Mastodon", "adapter": "mastodon",
    "root": {"id": "1", "author": "Etaten", "handle": "etaten@social.example",
             "text": "Vi stenger veien i morgen. Spørsmål? Svar her.", "shown_on_page": True},
    "replies": [
        {"id": "2", "author": "Kari Nordmann", "handle": "kari@social.example",
         "author_url": "https://social.example/@kari", "parent_id": "1",
         "text": f"Hvorfor? Ring meg på 912 34 567. Mitt fnr er {FNR}.", "shown_on_page": True,
         "screenshot_box": {"x": 10, "y": 300, "width": 600, "height": 120}},
        {"id": "3", "author": "Ola Hansen", "handle": "ola@other.example", "parent_id": "2",
         "text": "Enig med Kari! @kari har rett. Skriv til ola@example.com",
         "shown_on_page": True,
         "screenshot_box": {"x": 40, "y": 440, "width": 560, "height": 120}},
        {"id": "4", "author": "Etaten", "handle": "etaten@social.example", "parent_id": "3",
         "text": "Hei Ola Hansen og @kari, veien åpner kl. 18.", "shown_on_page": True},
    ],
}
OWN = RecordOptions(own_accounts={"mastodon": ("etaten",)})
SHOT = ScreenshotInfo(width_px=1280, height_px=2000, page_height_px=2000, segments=1,
                      clipped=False)


def _hits() -> dict:
    return {"page_height": 2000, "page_width": 1280, "hits": [
        {"key": "kari@social.example", "kind": "name", "boxes": [[20, 310, 120, 18]]},
        {"key": "kari@social.example", "kind": "handle", "boxes": [[150, 310, 90, 18]]},
        {"key": "kari@social.example", "kind": "avatar", "boxes": [[-5, 305, 40, 40]]},
        {"key": "ola@other.example", "kind": "name", "boxes": [[60, 450, 100, 18]]},
        {"key": "etaten@social.example", "kind": "name", "boxes": [[20, 20, 80, 18]]},
        {"key": None, "kind": "digits", "match": FNR, "boxes": [[300, 360, 110, 18]]},
        {"key": None, "kind": "digits", "match": "2026", "boxes": [[300, 380, 40, 18]]},
        {"key": None, "kind": "digits", "match": "912 34 567", "boxes": [[100, 360, 90, 18]]},
        {"key": None, "kind": "email", "match": "ola@example.com", "boxes": [[80, 500, 120, 18]]},
        {"key": "kari@social.example", "kind": "text", "boxes": [[20, 340, 500, 40]]},
    ], "needles_not_found": []}


def test_persons_are_found_by_handle_and_mention() -> None:
    persons = persons_in(THREAD)
    assert [p.key for p in persons] == ["etaten@social.example", "kari@social.example",
                                        "ola@other.example"]
    assert mentions_in("mail kari@example.no, @ola og @kari@social.example.") == [
        "ola", "kari@social.example"]


def test_plan_masks_private_persons_only_and_labels_them_in_order() -> None:
    plan = plan_screening(THREAD, _hits(), SHOT, OWN)
    assert plan.problems == []
    assert plan.pseudonyms == {"kari@social.example": "Innbygger 1",
                               "ola@other.example": "Innbygger 2"}
    kinds = sorted(m.kind for m in plan.masks)
    # the agency's own name is never masked; "2026" is neither a phone nor an identity number;
    # the reply's text is kept unless screen_text
    assert kinds == ["avatar", "email", "fnr", "handle", "name", "name", "phone"]
    labels = {(m.kind, m.label) for m in plan.masks if m.label}
    assert labels == {("name", "Innbygger 1"), ("handle", "Innbygger 1"),
                      ("name", "Innbygger 2")}
    avatar = next(m for m in plan.masks if m.kind == "avatar")
    assert (avatar.x, avatar.w) == (0, 35)  # clipped to the image
    with_text = plan_screening(THREAD, _hits(), SHOT, OWN, screen_text=True)
    assert sum(m.kind == "text" for m in with_text.masks) == 1


def test_screened_text_uses_the_same_pseudonyms_and_keeps_the_agency_readable() -> None:
    plan = plan_screening(THREAD, _hits(), SHOT, OWN)
    screened = plan.screened_thread(THREAD)
    root, kari, ola, reply = [screened["root"], *screened["replies"]]
    assert root["author"] == "Etaten" and root["text"] == THREAD["root"]["text"]
    assert kari["author"] == "Innbygger 1" and kari["handle"] is None
    assert kari["author_url"] is None
    assert FNR not in kari["text"] and "912 34 567" not in kari["text"]
    assert ola["text"].startswith("Enig med Innbygger 1! Innbygger 1 har rett.")
    assert "ola@example.com" not in ola["text"]
    assert reply["author"] == "Etaten"
    assert reply["text"] == "Hei Innbygger 2 og Innbygger 1, veien åpner kl. 18."
    withheld = plan_screening(THREAD, _hits(), SHOT, OWN, screen_text=True)
    texts = [r["text"] for r in withheld.screened_thread(THREAD)["replies"]]
    assert texts[:2] == ["[tekst skjermet]", "[tekst skjermet]"]
    assert texts[2].startswith("Hei Innbygger 2")
    for name in ("Kari", "Nordmann", "Ola", "Hansen", "kari@social.example"):
        assert not re.search(rf"\b{re.escape(name)}\b", str(screened["replies"]))


def test_without_own_accounts_every_person_is_private() -> None:
    plan = plan_screening(THREAD, _hits(), SHOT, RecordOptions())
    assert list(plan.pseudonyms.values()) == ["Innbygger 1", "Innbygger 2", "Innbygger 3"]
    assert plan.screened_thread(THREAD)["root"]["author"] == "Innbygger 1"


def test_what_cannot_be_screened_stops_the_variant() -> None:
    moved = {**_hits(), "page_height": 2400}
    assert "layout changed" in plan_screening(THREAD, moved, SHOT, OWN).problems[0]
    failed = plan_screening(THREAD, {"error": "timeout"}, SHOT, OWN)
    assert "could not be searched" in failed.problems[0]
    assert plan_screening(THREAD, {}, SHOT, OWN).problems  # never searched
    assert "no screenshot" in plan_screening(THREAD, _hits(), None, OWN).problems[0]
    # a person whose name was not found: their post's box is masked whole …
    missing = {**_hits(), "needles_not_found": ["ola@other.example"]}
    plan = plan_screening(THREAD, missing, SHOT, OWN)
    assert plan.problems == []
    post = [m for m in plan.masks if m.kind == "post"]
    assert [(m.y, m.h, m.label) for m in post] == [(440, 120, "Innbygger 2")]
    # … and without a box, nothing can be trusted
    boxless = {**THREAD, "replies": [{**r, "screenshot_box": None} for r in THREAD["replies"]]}
    assert "could not be found" in plan_screening(boxless, missing, SHOT, OWN).problems[0]


def _files() -> dict[str, Artifact]:
    def art(name: str, digit: str, media: str) -> Artifact:
        return Artifact(path=name, sha256=digit * 64, size_bytes=1000, media_type=media)
    return {WARC_NAME: art(WARC_NAME, "a", "application/warc"),
            SCREENSHOT_NAME: art(SCREENSHOT_NAME, "b", "image/png"),
            PDF_NAME: art(PDF_NAME, "c", "application/pdf"),
            SCREENED_PDF_NAME: art(SCREENED_PDF_NAME, "d", "application/pdf"),
            METADATA_NAME: art(METADATA_NAME, "e", "application/json")}


@pytest.mark.parametrize("variant", ["eformidling", "fiks"])
@pytest.mark.parametrize("own", [True, False])
def test_arkivmelding_registers_the_screened_variant_and_masks_every_public_title(
        variant: str, own: bool) -> None:
    # the title (first words of the root) names a citizen, and holds an identity number
    thread = {**THREAD, "root": {**THREAD["root"], "text": f"Svar til @kari: {FNR} er feil"}}\
        if own else {**THREAD, "root": {
            **THREAD["root"], "author": "Per Borger", "handle": "per@social.example",
            "text": f"Hei @kari, mitt nummer er {FNR}"}}
    record = RecordOptions(own_accounts=OWN.own_accounts if own else {},
                           arkivmelding=variant)  # type: ignore[arg-type]
    result = CaptureResult(url="https://social.example/@etaten/1",
                           capture_id=str(uuid.uuid4()), status=CaptureStatus.COMPLETE,
                           thread=thread)
    reg = registration_for(result, record)
    facts = {"file": SCREENED_PDF_NAME, "private_persons": 2, "pseudonyms": "Innbygger 1–2",
             "screen_text": False, "masks": {"name": 3}, "masked_in_text": {"fnr": 1},
             "problems": [], "cannot_catch": "Tekst i bilder", "read_back": "pdftotext"}
    xml = noark.build_arkivmelding(noark_input(result, record, reg, _files(),
                                               datetime.now(UTC), facts), variant)
    noark.validate_arkivmelding(xml, variant)  # type: ignore[arg-type]
    root = etree.fromstring(xml)
    variants = [e.text for e in root.iter() if etree.QName(e).localname == "variantformat"
                or (etree.QName(e).localname == "beskrivelse"
                    and etree.QName(e.getparent()).localname == "variantformat")]
    assert any(v and "skjermet" in v for v in variants)
    screened_obj = [e for e in root.iter() if etree.QName(e).localname == "referanseDokumentfil"
                    and e.text == SCREENED_PDF_NAME]
    assert len(screened_obj) == 1
    public = [e.text or "" for e in root.iter()
              if etree.QName(e).localname == "offentligTittel"]
    assert len(public) >= 2  # the registration's and the case folder's
    doc_titles = [e.text or "" for e in root.iter() if etree.QName(e).localname == "tittel"
                  and etree.QName(e.getparent()).localname == "dokumentbeskrivelse"]
    names = ["Kari", "Nordmann", "kari", "Ola", "Hansen"] + ([] if own else ["Per", "Borger"])
    for text in public + doc_titles:
        for name in names:
            assert not re.search(rf"(?<!\w){name}(?!\w)", text), (name, text)
        assert FNR not in text
    # the agency's own account keeps its name (the sender is the agency's)
    assert all(("Etaten" in t) == own for t in public)
    vsm = xml.decode()
    assert "skjermetVariant.privatpersoner" in vsm and "Innbygger 1–2" in vsm


def test_fediverse_handles_are_persons_not_e_mail_addresses() -> None:
    plan = plan_screening(THREAD, _hits(), SHOT, OWN)
    assert plan.text("Hei @kari@social.example!") == "Hei Innbygger 1!"
    assert plan.text("skriv til kari@example.no") == "skriv til [e-post skjermet]"
    # the agency's own fediverse handle, printed in the appendix, is no leak
    assert find_leaks("Etaten @etaten@social.example · 2026-11-30", plan) == []
    assert mask_identifiers("@etaten@social.example") == "@etaten@social.example"


def test_own_accounts_are_known_by_handle_or_address_never_by_name() -> None:
    thread = {"platform": "Facebook", "adapter": "facebook",
              "root": {"id": "1", "author": "Nav", "handle": None,
                       "author_url": "https://www.facebook.com/nav", "text": "Info"},
              "replies": [{"id": "2", "author": "Nav", "handle": "nav.fan.1990",
                           "author_url": "https://www.facebook.com/nav.fan.1990",
                           "text": "Jeg heter også Nav"}]}
    record = RecordOptions(own_accounts={"facebook": ("nav",)})
    plan = plan_screening(thread, {"page_height": 2000, "hits": []}, SHOT, record)
    # the page's own account (by its address) stays; the citizen called "Nav" does not
    assert list(plan.pseudonyms.values()) == ["Innbygger 1"]
    assert plan.person_of(thread["replies"][0]) == "nav.fan.1990"
    assert plan.person_of(thread["root"]) is None


def test_posts_above_the_root_and_a_versions_changes_are_screened() -> None:
    thread = {**THREAD, "ancestors": [{"id": "0", "author": "Siri Dal", "handle": "siri",
                                       "text": "Når stenger veien?"}]}
    changes = {"no_longer_observed": [{"id": "9", "author": "Per Berg", "handle": "perb",
                                       "published_at": None, "text": "Ring meg"}],
               "edited_replies": [{"id": "2", "author": "Kari Nordmann",
                                   "handle": "kari@social.example", "published_at": None,
                                   "text": "ny", "text_before": "Spør @ivar om det"}]}
    plan = plan_screening(thread, _hits(), SHOT, OWN, changes=changes)
    line = plan.text("Ikke lenger observert: Per Berg (@perb): «Ring meg på 91234567»; "
                     "Siri Dal spurte; før: Spør @ivar om det")
    for name in ("Per", "Berg", "perb", "Siri", "Dal", "ivar", "91234567"):
        assert not re.search(rf"(?<!\w){name}(?!\w)", line), (name, line)
    assert plan.screened_thread(thread)["ancestors"][0]["author"].startswith("Innbygger")


def test_replies_a_partial_re_capture_did_not_read_are_screened_on_its_list() -> None:
    # a later version lists the previous capture's replies this partial one did not read
    changes = {"not_read": [{"id": "9", "author": "Per Berg", "handle": "perb",
                             "published_at": None, "text": "Ring meg"}]}
    plan = plan_screening(THREAD, _hits(), SHOT, OWN, changes=changes)
    line = plan.text("Ikke lest, delvis fangst (not read, capture partial): Per Berg (@perb): "
                     "«Ring meg»")
    for name in ("Per", "Berg", "perb"):
        assert not re.search(rf"(?<!\w){name}(?!\w)", line), (name, line)


def test_leak_check_finds_names_and_numbers_but_not_hashes_or_the_template() -> None:
    plan = plan_screening(THREAD, _hits(), SHOT, OWN)
    assert find_leaks("Svar fra Kari Nordmann", plan) == [
        "1 name(s) or handle(s) of private persons"]
    assert find_leaks("svar fra NORDMANN og @kari", plan) == [
        "2 name(s) or handle(s) of private persons"]
    assert find_leaks(f"nummer {FNR}", plan) == ["an identity number"]
    # a certificate's fingerprint printed in groups of eight is no phone number
    fingerprint = "SHA-256: 29384756 a1b2c3d4 51234567 ffee0011 90817263 abcdef01 23456789 9"
    assert find_leaks(fingerprint, plan) == []
    # a handle that is also a word the renderer prints ("Adresse (URL)") is not flagged
    # where the template prints it
    url_plan = plan_screening({**THREAD, "replies": [{**THREAD["replies"][0],
                                                      "handle": "url"}]}, _hits(), SHOT, OWN)
    assert find_leaks("Adresse (URL)", url_plan, template=frozenset({"url", "adresse"})) == []
    assert find_leaks("Adresse (URL)", url_plan) != []


def test_cli_flags_and_config_reach_the_record_options(tmp_path: Path) -> None:
    from somecapture.cli.main import build_parser, options_from_args

    config = tmp_path / "config.toml"
    config.write_text("[personvern]\nscreen_text = true\n", encoding="utf-8")

    def record(*flags: str) -> RecordOptions:
        args = build_parser().parse_args(
            ["capture", "https://example.org/p/1", "--config", str(config), *flags])
        return options_from_args(args).record

    assert record().screened_variant is True and record().screen_text is True  # config
    assert record("--no-screened-variant").screened_variant is False
    config.write_text("", encoding="utf-8")
    assert record().screen_text is False and record("--screen-text").screen_text is True
    config.write_text("[personvern]\nscreened_variant = \"ja\"\n", encoding="utf-8")
    with pytest.raises(OptionsError, match=r"\[personvern\] screened_variant must be true or"):
        record()


def test_addresses_naming_a_private_person_are_masked() -> None:
    thread = {"platform": "Bluesky", "adapter": "bluesky",
              "root": {"id": "1", "author": "NVE", "handle": "nve.no", "text": "Flomvarsel"},
              "replies": [{"id": "2", "author": "Kari", "handle": "kari.bsky.social",
                           "author_url": "https://bsky.app/profile/did:plc:abc123",
                           "text": "Takk"}]}
    plan = plan_screening(thread, {"page_height": 2000, "hits": []}, SHOT,
                          RecordOptions(own_accounts={"bluesky": ("nve.no",)}))
    assert plan.url("at://kari.bsky.social/app.bsky.feed.post/3k") == \
        "at://[skjermet]/app.bsky.feed.post/3k"
    assert plan.url("https://bsky.app/profile/did:plc:abc123/post/3k") == \
        "https://bsky.app/profile/[skjermet]/post/3k"
    # the agency's own addresses, and numbers in them, stay as they are
    assert plan.url("at://nve.no/app.bsky.feed.post/3k") == "at://nve.no/app.bsky.feed.post/3k"
    assert plan.url("https://forum.example/t/22334455") == "https://forum.example/t/22334455"


def test_a_name_the_agency_and_a_citizen_share_is_masked() -> None:
    """The page search reports a shared text once, with every key it stands for; a citizen
    "Kari Oslo" beside the agency "Oslo kommune": "Oslo" is masked (the citizen's), while the
    agency's own full name stays."""
    thread = {"platform": "Facebook", "adapter": "facebook",
              "root": {"id": "1", "author": "Oslo kommune", "handle": "oslokommune",
                       "text": "Velkommen"},
              "replies": [{"id": "2", "author": "Kari Oslo", "handle": "kario", "text": "Ja"}]}
    hits = {"page_height": 2000, "hits": [
        {"key": "oslokommune", "kind": "name", "keys": ["oslokommune", "kario"],
         "boxes": [[10, 500, 40, 16]]},
        {"key": "oslokommune", "kind": "name", "boxes": [[10, 10, 120, 16]]}]}
    plan = plan_screening(thread, hits, SHOT, RecordOptions(own_accounts={"*": ("oslokommune",)}))
    assert [(m.y, m.label) for m in plan.masks] == [(500, "Innbygger 1")]


def test_a_part_of_a_name_needs_its_capital_in_a_text() -> None:
    thread = {"platform": "Web", "adapter": "generic",
              "root": {"id": "1", "author": "Etaten", "handle": "etaten", "text": "Pris?"},
              "replies": [{"id": "2", "author": "Per Berg", "handle": "perb",
                           "text": "50 kroner per time"},
                          {"id": "3", "author": "kari nordmann", "handle": "kn",
                           "text": "Enig med Per"}]}
    plan = plan_screening(thread, {"page_height": 2000, "hits": []}, SHOT,
                          RecordOptions(own_accounts={"*": ("etaten",)}))
    assert plan.text("50 kroner per time, takk Per!") == "50 kroner per time, takk Innbygger 1!"
    assert plan.text("PER BERG svarte") == "Innbygger 1 svarte"
    # a name written in lower case by its owner: its parts in any case
    assert plan.text("Takk kari og Kari") == "Takk Innbygger 2 og Innbygger 2"
    assert find_leaks("50 kroner per time", plan) == []
    assert find_leaks("takk Per", plan) != []


def test_a_shown_post_naming_someone_only_the_changes_know_is_masked_whole() -> None:
    """Kari's reply is gone in this version; Lise's reply, still on the page, says "Kari vet
    hva jeg mener": the page was never searched for Kari, so Lise's post is masked whole."""
    thread = {"platform": "Web", "adapter": "generic",
              "root": {"id": "1", "author": "Etaten", "handle": "etaten", "text": "Innspill?"},
              "replies": [{"id": "5", "author": "Lise Lund", "handle": "lise",
                           "text": "Kari vet hva jeg mener.", "shown_on_page": True,
                           "screenshot_box": {"x": 20, "y": 700, "width": 500, "height": 90}}]}
    changes = {"no_longer_observed": [{"id": "2", "author": "Kari Nordmann", "handle": "kari",
                                       "published_at": None, "text": "Nei"}]}
    hits = {"page_height": 2000, "hits": [
        {"key": "lise", "kind": "name", "boxes": [[30, 705, 80, 16]]}]}
    plan = plan_screening(thread, hits, SHOT, RecordOptions(own_accounts={"*": ("etaten",)}),
                          changes=changes)
    assert plan.problems == []
    whole = [m for m in plan.masks if m.kind == "post"]
    assert [(m.y, m.h) for m in whole] == [(700, 90)]
    assert "Kari" not in plan.screened_thread(thread)["replies"][0]["text"]
    boxless = {**thread, "replies": [{**thread["replies"][0], "screenshot_box": None}]}
    assert plan_screening(boxless, hits, SHOT, RecordOptions(own_accounts={"*": ("etaten",)}),
                          changes=changes).problems


def test_a_lower_case_name_shares_no_common_words() -> None:
    """A display name written all in lower case matches in any case, so its ordinary words
    ("living with cats") are not taken on their own; its full name and other parts are."""
    thread = {"platform": "Bluesky", "adapter": "bluesky",
              "root": {"id": "1", "author": "Etaten", "handle": "etaten", "text": "Hei"},
              "replies": [{"id": "2", "author": "living with cats", "handle": "cats.example",
                           "text": "ja"}]}
    plan = plan_screening(thread, {"page_height": 2000, "hits": []}, SHOT,
                          RecordOptions(own_accounts={"*": ("etaten",)}))
    assert plan.text("I was living with cats") == "I was Innbygger 1"
    assert plan.text("the page was fetched with care") == "the page was fetched with care"
    assert plan.text("Cats are great") == "Innbygger 1 are great"
    assert find_leaks("the page was fetched without TLS, with care", plan) == []


def test_a_citizen_named_like_a_pseudonym_keeps_the_labels_apart() -> None:
    """Citizens who call themselves "Innbygger 1" and "Innbygger 3": no pseudonym equals
    either name, and the pseudonyms in use (which hold the first name "Innbygger") are no leak,
    while the names themselves still are."""
    thread = {"root": {"id": "p", "author": "Etaten", "handle": "etaten", "text": "Innlegget."},
              "replies": [{"id": "r1", "author": "Innbygger 1", "text": "Hei"},
                          {"id": "r2", "author": "Kari Nordmann", "text": "Ja"},
                          {"id": "r3", "author": "Innbygger 3", "text": "Nei"}]}
    plan = plan_screening(thread, {"page_height": 2000, "hits": []}, SHOT, RecordOptions())
    labels = list(plan.pseudonyms.values())
    assert len(labels) == 4 and len(set(labels)) == 4
    assert not {"Innbygger 1", "Innbygger 3"} & set(labels)
    assert plan.to_json()["pseudonyms"] == f"{labels[0]}–{labels[-1].split()[-1]}"
    assert find_leaks(" · ".join(labels), plan) == []
    assert find_leaks("svar fra Innbygger 3", plan) != []
    assert find_leaks("svar fra Kari", plan) != []
