"""Bluesky adapter: URL matching and real captures of the Bluesky fixture.

The fixture (tests/fixtures/site/platforms/bluesky/) reproduces bsky.app's linear thread view
for a logged-out visitor: skeletons, one getPostThreadV2 call, reply lines, a 25-line post
clamped behind "Show more", a branch cut off by a "Read 2 more replies" link to another page,
hidden replies behind "Show more replies", posts that navigate when clicked, the head bskyweb
renders (at:// link, article:published_time) and the logged-out sign-up prompts (no cookie
banner: Bluesky has none).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.sites.registry import adapter_for_url
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

PATH = "/p/bluesky/profile/nve.no/post/3lkxq2vwsm22a"
ROOT_TEXT = "Flomvarsel: Oransje farenivå for Gudbrandsdalen og Østerdalen fra fredag."


def _id(handle: str, rkey: str) -> str:
    return f"at://{handle}/app.bsky.feed.post/{rkey}"


ROOT = _id("nve.no", "3lkxq2vwsm22a")
R1 = _id("astridbakken.bsky.social", "3lkxq4a2b7c2b")
R1A = _id("nve.no", "3lkxq5d3k2x2c")
R2 = _id("larsoien.bsky.social", "3lkxq7g5n4z2e")
R8 = _id("jonalstad.bsky.social", "3lkxqd5v5g2dl")

REPLIES = [
    ExpectedReply(R1, ROOT, "Astrid Bakken", "Gjelder varselet også for Lågen ved Otta?"),
    ExpectedReply(R1A, R1, "NVE", "flytt verdier opp fra kjelleren"),
    ExpectedReply(_id("astridbakken.bsky.social", "3lkxq6f4m3y2d"), R1A, "Astrid Bakken",
                  "vi har allerede begynt å bære opp"),
    ExpectedReply(R2, ROOT, "Lars Øien", "Hvor ofte oppdateres prognosene"),
    ExpectedReply(_id("nve.no", "3lkxq7h6p5a2f"), R2, "NVE", "minst to ganger i døgnet"),
    ExpectedReply(_id("ebbasjoberg.bsky.social", "3lkxq8j7q6b2g"), ROOT, "Ebba Sjöberg",
                  "gäller varningen även där?"),
    ExpectedReply(_id("madskjaergaard.dk", "3lkxq9k2r7c2h"), ROOT, "Mads Kjærgaard",
                  "Vi holder øje med vandstanden"),
    # 26 lines: clamped at 25 until "Show more"
    ExpectedReply(_id("sigridhaugen.bsky.social", "3lkxqa2s2d2ai"), ROOT, "Sigrid Haugen",
                  "25. Hugs å sjekke naboen òg – det er verdt det."),
    ExpectedReply(_id("oysteinholm.bsky.social", "3lkxqb3t3e2bj"), ROOT, "Øystein Holm",
                  "Slik ser det ut ved Kongsvinger no i kveld."),
    ExpectedReply(_id("karinordrum.bsky.social", "3lkxqc4u4f2ck"), ROOT, "Kari Nordrum",
                  "Det ga oss tid til å sikre båtene"),
    # hidden replies: behind "Show more replies" (getPostThreadHiddenV2)
    ExpectedReply(R8, ROOT, "Jon Ålstad", "Synes varselet kom litt sent for oss i Stor-Elvdal"),
    ExpectedReply(_id("bodilasheim.bsky.social", "3lkxqe6w6h2em"), R8, "Bodil Åsheim",
                  "gikk varselet ut på SMS allerede torsdag"),
]


# -- URL matching ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://bsky.app/profile/nve.no/post/3lkxq2vwsm22a",
    "http://bsky.app/profile/nve.no/post/3lkxq2vwsm22a",
    "https://bsky.app/profile/did:plc:2ochzvyitlozlg32jhv7bouw/post/3lkxq2vwsm22a",
    "https://bsky.app/profile/nve.no/post/3lkxq2vwsm22a/quotes",
    "https://staging.bsky.app/profile/nve.no/post/3lkxq2vwsm22a?ref=share",
])
def test_bluesky_post_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "bluesky", url


@pytest.mark.parametrize("url", [
    "https://bsky.app/profile/nve.no",
    "https://bsky.app/",
    "https://notbsky.app/profile/nve.no/post/3lkxq2vwsm22a",
    "https://x.com/nve/status/1899000000000000001",
    "https://mastodon.social/@nve/112233445566778899",
    "https://www.facebook.com/nve/posts/pfbid0123",
])
def test_other_urls_do_not_match_bluesky(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is None or adapter.name != "bluesky", url


# -- real captures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def captured(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, float]]:
    t0 = time.monotonic()
    result = run_capture(site.url(PATH), tmp_path_factory.mktemp("bsky"), site="bluesky")
    yield result, time.monotonic() - t0


def _partial_only_for_read_more(result: CaptureResult) -> None:
    # two replies live on another page ("Read 2 more replies", not followed): every reply on
    # this page is captured, and the capture honestly says the thread is not whole
    assert result.status is CaptureStatus.PARTIAL, (result.error, result.warnings)
    assert len(result.warnings) == 1 and "Read 2 more replies" in result.warnings[0]


def test_capture_has_every_reply_on_the_page(captured: tuple[CaptureResult, float]) -> None:
    result, took = captured
    _partial_only_for_read_more(result)
    assert took < 15, f"capture took {took:.1f} s"
    assert_thread_captured(result, root_text=ROOT_TEXT, root_author="NVE", replies=REPLIES,
                           reported=8)
    thread = result.thread
    assert thread["adapter"] == "bluesky"
    assert [r["id"] for r in thread["replies"]] == [r.id for r in REPLIES]
    root = thread["root"]
    assert root["id"] == ROOT and root["handle"] == "@nve.no"
    assert root["at_uri"] == "at://did:plc:2ochzvyitlozlg32jhv7bouw/app.bsky.feed.post/3lkxq2vwsm22a"
    assert root["published_at"] == "2026-03-12T08:30:00.000Z"
    assert root["counts"] == {"comments": 8, "reposts": 21, "quotes": 3, "likes": 64}
    assert [m["alt"] for m in root["media"]] == ["Glomma ved Elverum med høy vannstand"]
    first = thread["replies"][0]
    assert first["handle"] == "@astridbakken.bsky.social"
    assert first["published_at"] == "2026-03-12T08:41:00.000Z"
    assert first["url"].endswith("/profile/astridbakken.bsky.social/post/3lkxq4a2b7c2b")


def test_read_more_link_is_accounted_as_missing(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    missing = result.completeness["missing"]
    assert missing == [{
        "count": 2,
        "reason": "the thread continues on another page (a 'read more replies' link); "
                  "not followed",
        "reason_code": "other_page",
        "where": "Read 2 more replies",
    }]
    # in the archivist's language by its code (the page's own label quoted)
    from somecapture.messages import missing_reason, render
    from tests.english import english_in

    for lang in ("nb", "nn"):
        shown = render(missing_reason(missing[0]), lang, "app")
        assert "«Read 2 more replies»" in shown and english_in(shown) == [], shown
    # the link was not followed: the capture stayed on the post
    assert result.final_url is not None and result.final_url.endswith(PATH)
    assert result.thread["page"]["url"].endswith(PATH)


def test_no_overlays_on_desktop(captured: tuple[CaptureResult, float]) -> None:
    # bsky.app has no cookie banner and no log-in modal for a reader; the sign-up prompts are
    # part of the page (left column / above the post) and stay
    result, _ = captured
    assert result.provenance["overlays"] == []


def test_detected_from_page_without_site_option(site: fx.FixtureSite, tmp_path: Path) -> None:
    result = run_capture(site.url(PATH), tmp_path)
    assert result.provenance["adapter"] == "bluesky"
    _partial_only_for_read_more(result)
    assert len(result.thread["replies"]) == len(REPLIES)


def test_narrow_window_hides_sign_in_bar(site: fx.FixtureSite, tmp_path: Path) -> None:
    result = run_capture(site.url(PATH), tmp_path, site="bluesky", viewport_width_px=700)
    _partial_only_for_read_more(result)
    overlays = result.provenance["overlays"]
    assert {"kind": "login", "action": "hidden",
            "detail": "fixed bottom bar with Sign up / Sign in buttons"} in overlays
    assert_thread_captured(result, root_text=ROOT_TEXT, root_author="NVE", replies=REPLIES,
                           reported=8)
