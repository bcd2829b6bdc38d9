"""LinkedIn adapter: URL matching and two real captures of the fixture post.

Logged out, LinkedIn serves the guest page: a cookie alert, the first six comments (no
replies), "See more comments" leading to sign-up and a sign-in modal once the visitor scrolls;
the other comments are behind a login wall, which the capture must report as missing.
With a login profile (the li_at session cookie) the member page pages comments with
"Last inn flere kommentarer", shows replies behind "N svar" / "Last inn tidligere svar" and
clamps long texts behind "…mer": every comment must then be captured.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from somecapture.engine.login import login
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.sites.registry import adapter_by_name, adapter_for_url
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site.server import FixtureSite

pytestmark = pytest.mark.browser

ACT = "7398765432109876543"
ROOT_URN = f"urn:li:activity:{ACT}"
FIXTURE_PATH = f"/p/linkedin/posts/oslo-kommune_sykkelfelt-thorvaldmeyersgate-activity-{ACT}-Xk3Q"


def urn(n: int) -> str:
    return f"urn:li:comment:(urn:li:activity:{ACT},73987700000000{n:05d})"


TOP = [
    ExpectedReply(urn(1), ROOT_URN, "Kari Nordmann", "livsfarlig å sykle der om morgenen"),
    ExpectedReply(urn(2), ROOT_URN, "Sven Svensson", "liknande cykelfält i två år"),
    ExpectedReply(urn(3), ROOT_URN, "Mette Jørgensen", "små butikker? Det bliver svært"),
    ExpectedReply(urn(4), ROOT_URN, "Nils Bakke", "fleire sykkelstativ ved Birkelunden"),
    ExpectedReply(urn(5), ROOT_URN, "Linnea Åberg", "bättre gatubelysning längs hela sträckan"),
    ExpectedReply(urn(6), ROOT_URN, "Henrik Møller", "Skiltningen ved Olaf Ryes plass"),
    ExpectedReply(urn(7), ROOT_URN, "Åse Lie", "Bussen min blir forseinka kvar morgon"),
    ExpectedReply(urn(8), ROOT_URN, "Jonas Berg", "glatt som såpe i fjor"),
    ExpectedReply(urn(9), ROOT_URN, "Ingrid Solberg", "Næringsforeningen støtter dette"),
]
R1A = ExpectedReply(urn(101), urn(1), "Oslo kommune", "tryggere for alle som sykler og går")
R1B = ExpectedReply(urn(102), urn(1), "Kari Nordmann", "det høres betryggende ut")
R3A = ExpectedReply(urn(301), urn(3), "Oslo kommune", "egne lommer før kl. 10")
R6A = ExpectedReply(urn(601), urn(6), "Oslo kommune", "tydeligere skilt ved Olaf Ryes plass")
# page order of the member page: replies follow their comment, the oldest first
MEMBER = [TOP[0], R1A, R1B, TOP[1], TOP[2], R3A, TOP[3], TOP[4], TOP[5], R6A,
          TOP[6], TOP[7], TOP[8]]
GUEST = TOP[:6]

LINKEDIN_URLS = [
    f"https://www.linkedin.com/posts/oslo-kommune_sykkelfelt-thorvaldmeyersgate-activity-{ACT}-Xk3Q",
    "https://no.linkedin.com/posts/nav_jobb-activity-7134567890123456789-AbCd/?utm_source=share",
    "http://linkedin.com/posts/skatteetaten_skatt-ugcPost-7134567890123456789-Zz9y",
    f"https://www.linkedin.com/feed/update/urn:li:activity:{ACT}/",
    "https://www.linkedin.com/feed/update/urn:li:share:7398765430001234567",
    "https://www.linkedin.com/feed/update/urn%3Ali%3AugcPost%3A7398765430001234567/",
    f"https://www.linkedin.com/embed/feed/update/urn:li:share:{ACT}",
    "https://www.linkedin.com/pulse/nye-sykkelfelt-pa-grunerlokka-oslo-kommune-abcde",
]

OTHER_URLS = [
    "https://www.linkedin.com/company/oslo-kommune/",
    "https://www.linkedin.com/in/kari-nordmann/",
    "https://www.linkedin.com/feed/",
    "https://www.linkedin.com/jobs/view/3900000000/",
    "https://www.facebook.com/oslokommune/posts/pfbid02Q8zK4mYtVnRw1Bx7c",
    "https://www.instagram.com/p/DB4kT9sNw2Q/",
    "https://notlinkedin.com/posts/x_y-activity-7134567890123456789-AbCd",
]


@pytest.mark.parametrize("url", LINKEDIN_URLS)
def test_linkedin_post_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "linkedin", url


@pytest.mark.parametrize("url", OTHER_URLS)
def test_other_urls_do_not_match_linkedin(url: str) -> None:
    assert not adapter_by_name("linkedin").matches_url(url), url


def test_data_file_has_sources_and_nordic_labels() -> None:
    data = adapter_by_name("linkedin").data
    assert data.get("sources") and data.get("not_grounded")
    clicks = [re.compile(p, re.IGNORECASE) for p in data.get("click_labels")]
    for label in ("Load more comments", "Load previous replies", "Last inn flere kommentarer",
                  "Last inn tidligere svar", "Läs in fler kommentarer",
                  "Indlæs flere kommentarer", "2 svar", "3 replies"):
        assert any(r.search(label) for r in clicks), label
    rejects = [re.compile(p, re.IGNORECASE) for p in data.get("consent_reject_labels")]
    for label in ("Reject", "Avvis", "Neka", "Afvis"):
        assert any(r.search(label) for r in rejects), label


# -- captures ----------------------------------------------------------------------------------


def _timed(url: str, out: Path, **changes: Any) -> tuple[CaptureResult, float]:
    start = time.monotonic()
    result = run_capture(url, out, **changes)
    return result, time.monotonic() - start


@pytest.fixture(scope="module")
def guest(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[CaptureResult, float]]:
    yield _timed(site.url(FIXTURE_PATH), tmp_path_factory.mktemp("linkedin-guest"),
                 site="linkedin")


def _member_profile(name: str, site: FixtureSite) -> None:
    """A login profile holding LinkedIn's session cookie, made through `somecapture login`."""

    async def set_session(page: Any) -> None:
        await page.context.add_cookies([{
            "name": "li_at", "value": "AQEDAfixtureSessionTokenNotARealOne0123456789",
            # LinkedIn's li_at is HttpOnly and the server picks the page; the fixture's
            # static HTML lets its script pick, so the script must be able to read it
            "url": site.base + "/", "expires": time.time() + 86400, "httpOnly": False,
        }])
        await page.context.close()

    asyncio.run(login(name, site.url("/p/linkedin/"), CaptureOptions(), headless=True,
                      on_ready=set_session))


@pytest.fixture(scope="module")
def member(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[CaptureResult, float]]:
    _member_profile("linkedin-fixture", site)
    yield _timed(site.url(FIXTURE_PATH), tmp_path_factory.mktemp("linkedin-member"),
                 site="linkedin", profile="linkedin-fixture")


def test_guest_capture_reports_login_wall(guest: tuple[CaptureResult, float]) -> None:
    result, _ = guest
    # no step waited out its budget (speed itself is the benchmark's: bench/run.py)
    assert all(s.status.value != "budget" for s in result.steps), result.steps
    # the comments behind "See more comments" need a login: partial, with the reason
    assert result.status is CaptureStatus.PARTIAL, (result.error, result.warnings)
    assert any("login wall" in w for w in result.warnings), result.warnings
    assert_thread_captured(result, root_text="nye sykkelfelt i begge retninger",
                           root_author="Oslo kommune", replies=GUEST, reported=13)
    assert len(result.thread["replies"]) == 6
    missing = result.completeness["missing"]
    assert missing[0]["count"] == 7 and missing[0]["reason"].startswith("login wall"), missing


def test_guest_root_post_fields(guest: tuple[CaptureResult, float]) -> None:
    result, _ = guest
    root = result.thread["root"]
    assert root["id"] == ROOT_URN
    assert root["handle"] == "oslo-kommune"
    assert root["published_at"] == "2026-11-20T09:30:00.000Z"  # from the page's JSON-LD
    assert [m["url"].split("/img/")[1] for m in root["media"]] == ["li-sykkelfelt.png?w=552&h=310"]
    got = {r["id"]: r for r in result.thread["replies"]}
    assert got[urn(1)]["handle"] == "kari-nordmann"
    assert got[urn(1)]["published_at"] == "3 t"


def test_guest_overlays_dismissed_and_recorded(guest: tuple[CaptureResult, float]) -> None:
    result, _ = guest
    overlays = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    assert consent and consent[0]["detail"] == "Avvis", overlays  # reject, never accept
    assert not any(o["detail"] == "Godta" for o in overlays)
    # the sign-in modal (opened by scrolling) was closed with its dismiss button
    assert any(o["kind"] == "login" and o["action"] == "clicked" for o in overlays), overlays


def test_member_capture_complete_with_every_reply(member: tuple[CaptureResult, float]) -> None:
    result, _ = member
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    # no step waited out its budget (speed itself is the benchmark's: bench/run.py)
    assert all(s.status.value != "budget" for s in result.steps), result.steps
    assert result.provenance["session"]["logged_in"] is True
    assert_thread_captured(result, root_text="nye sykkelfelt i begge retninger",
                           root_author="Oslo kommune", replies=MEMBER, reported=13)
    assert len(result.thread["replies"]) == 13
    assert result.completeness["missing"] == []
    assert result.completeness["reported"]["reactions"] == 128
    consent = [o for o in result.provenance["overlays"] if o["kind"] == "consent"]
    assert consent and consent[0]["detail"] == "Avvis"


def test_member_expansion_clicked_every_kind_of_control(
    member: tuple[CaptureResult, float],
) -> None:
    result, _ = member
    expand = next(s for s in result.steps if s.name == "expand-thread")
    # the "…mer" toggle is named by its aria-label ("se mer, visuelt avslører …")
    for label in ("Last inn flere kommentarer", "2 svar", "Last inn tidligere svar", "se mer"):
        assert label in expand.message, expand.message
