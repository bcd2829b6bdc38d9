"""Instagram adapter: URL matching, and one real capture of the logged-out fixture post.

The fixture (tests/fixtures/site/platforms/instagram/) shows the cookie dialog first, renders
five comments in a fixed-height comment panel that loads the next page when its spinner is
scrolled into view, needs the "+" button for the last page, loads replies behind "Se alle N
svar", opens a login dialog the first time the panel is scrolled and keeps a fixed login bar
at the bottom.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.sites.registry import adapter_by_name, adapter_for_url
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site.server import FixtureSite

pytestmark = pytest.mark.browser

CODE = "DB4kT9sNw2Q"
FIXTURE_PATH = f"/p/instagram/p/{CODE}/"
C = [f"1804150000000000{i}" for i in range(1, 10)]
R1A, R1B, R4A, R7A = ("18041500000000101", "18041500000000102", "18041500000000401",
                      "18041500000000701")

REPLIES = [
    ExpectedReply(C[0], CODE, "kari.nordmann", "blir brøytet om vinteren også"),
    ExpectedReply(R1A, C[0], "oslokommune", "prioritert ved brøyting og strøing hele vinteren"),
    ExpectedReply(R1B, C[0], "kari.nordmann", "det høres betryggende ut"),
    ExpectedReply(C[1], CODE, "sven_i_gbg", "liknande cykelfält i två år"),
    ExpectedReply(C[2], CODE, "mette.jorgensen", "små butikker på Grünerløkka"),
    ExpectedReply(C[3], CODE, "nils.bakke", "fleire sykkelstativ ved Birkelunden"),
    ExpectedReply(R4A, C[3], "oslokommune", "40 nye stativ ved Birkelunden før jul"),
    ExpectedReply(C[4], CODE, "aase.lie", "forseinka kvar morgon no"),
    # loaded when the panel's spinner is scrolled into view
    ExpectedReply(C[5], CODE, "jonas_berg", "livsfarlig å sykle der i rushtida"),
    ExpectedReply(C[6], CODE, "linnea.aberg", "laddplatser för elcyklar"),
    ExpectedReply(R7A, C[6], "oslokommune", "utreder vi nå sammen med Ruter"),
    # loaded by the "+" (Last inn flere kommentarer) button
    ExpectedReply(C[7], CODE, "henrik.moller", "hvilken vej skal man køre på cykel"),
    ExpectedReply(C[8], CODE, "ola.hansen", "egne lyskryss for syklene ved Nordre gate"),
]

INSTAGRAM_URLS = [
    f"https://www.instagram.com/p/{CODE}/",
    "https://instagram.com/p/C0abcDEFghi/?igsh=MWx0eXh6dGZ6",
    "http://www.instagram.com/p/C0abc-DE_fg/?img_index=2",
    "https://www.instagram.com/reel/C1xYzAbCdEf/",
    "https://www.instagram.com/reels/C1xYzAbCdEf/",
    "https://www.instagram.com/tv/B9aBcDeFgHi/",
    "https://www.instagram.com/oslokommune/p/DB4kT9sNw2Q/",
    "https://www.instagram.com/politiet/reel/C1xYzAbCdEf/",
    "https://m.instagram.com/p/C0abcDEFghi/",
]

OTHER_URLS = [
    "https://www.instagram.com/oslokommune/",
    "https://www.instagram.com/explore/tags/oslo/",
    "https://www.instagram.com/accounts/login/?next=%2Fp%2FC0abcDEFghi%2F",
    "https://www.instagram.com/stories/oslokommune/3512345678901234567/",
    "https://www.facebook.com/oslokommune/posts/pfbid02Q8zK4mYtVnRw1Bx7c",
    "https://www.threads.net/@oslokommune/post/C0abcDEFghi",
    "https://www.linkedin.com/posts/oslo-kommune_activity-7134567890123456789-AbCd",
    "https://notinstagram.com/p/C0abcDEFghi/",
]


@pytest.mark.parametrize("url", INSTAGRAM_URLS)
def test_instagram_post_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "instagram", url


@pytest.mark.parametrize("url", OTHER_URLS)
def test_other_urls_do_not_match_instagram(url: str) -> None:
    assert not adapter_by_name("instagram").matches_url(url), url


def test_data_file_has_sources_and_nordic_labels() -> None:
    data = adapter_by_name("instagram").data
    assert data.get("sources") and data.get("not_grounded")
    rejects = [re.compile(p, re.IGNORECASE) for p in data.get("consent_reject_labels")]
    for label in ("Decline optional cookies", "Only allow essential cookies",
                  "Avvis valgfrie informasjonskapsler", "Neka valfria cookies",
                  "Afvis valgfrie cookies"):
        assert any(r.search(label) for r in rejects), label
    clicks = [re.compile(p, re.IGNORECASE) for p in data.get("click_labels")]
    for label in ("View all 5 replies", "View replies (3)", "Se alle 2 svar", "Visa alla 4 svar",
                  "Vis 3 svar", "Sjå alle 2 svar"):
        assert any(r.search(label) for r in clicks), label
    skips = [re.compile(p, re.IGNORECASE) for p in data.get("skip_labels")]
    assert any(s.search("Skjul svar") for s in skips)


@pytest.fixture(scope="module")
def captured(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, float]]:
    out: Path = tmp_path_factory.mktemp("instagram")
    start = time.monotonic()
    result = run_capture(site.url(FIXTURE_PATH), out, site="instagram")
    yield result, time.monotonic() - start


def test_capture_complete_with_every_comment(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    # no step waited out its budget (speed itself is the benchmark's: bench/run.py)
    assert all(s.status.value != "budget" for s in result.steps), result.steps
    assert_thread_captured(
        result,
        root_text="nye sykkelfelt i begge retninger",
        root_author="oslokommune",
        replies=REPLIES,
        reported=13,
    )
    assert len(result.thread["replies"]) == 13
    assert result.completeness["missing"] == []
    assert result.completeness["reported"].get("likes") == 128


def test_root_post_fields(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    root = result.thread["root"]
    assert root["id"] == CODE
    assert root["handle"] == "oslokommune"
    assert root["url"].endswith(f"/p/{CODE}/")
    assert root["published_at"] == "2026-11-20T09:30:00.000Z"
    assert [m["url"].split("/img/")[1] for m in root["media"]] == ["ig-sykkelfelt.png?w=600&h=600"]


def test_reply_fields(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    got = {r["id"]: r for r in result.thread["replies"]}
    assert got[C[0]]["handle"] == "kari.nordmann"
    assert got[C[0]]["published_at"] == "2026-11-20T10:04:00.000Z"
    assert got[R1A]["text"].startswith("@kari.nordmann Ja,")
    assert all(r["media"] == [] for r in got.values())  # avatars are not media


def test_overlays_dismissed_and_recorded(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    overlays = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    assert consent and consent[0]["detail"].startswith("Avvis valgfrie informasjonskapsler")
    assert not any("Tillat alle" in o["detail"] for o in overlays)
    login = [o for o in overlays if o["kind"] == "login"]
    # the login dialog (opened by scrolling the comment panel) was closed
    assert any(o["action"] == "clicked" for o in login), overlays
    assert any(o["action"] == "hidden" and o["detail"] == "bottom login bar" for o in login)
    assert any(o["kind"] == "layout" and o["action"] == "unrolled" for o in overlays)
