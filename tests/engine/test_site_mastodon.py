"""Mastodon adapter: URL shapes, page detection on any instance and real captures.

The fixture (tests/fixtures/site/platforms/mastodon/) reproduces a status page of the legacy
web UI for a logged-out visitor: the server-rendered head (og tags, JSON-LD, #initial-state,
#mastodon holder), status + context API calls, flat depth-first descendants with thread lines,
a reply behind a content warning, a collapsed long reply whose "Read more" opens another page,
remote replies that arrive after an async refresh ("More replies found · Show"), and a reply
to an earlier, non-adjacent post (its parent is not recoverable from the thread lines).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.sites.registry import adapter_by_name, adapter_for_url
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

ROOT = "114200000000000001"
PATH = f"/p/mastodon/@digdir/{ROOT}"
ROOT_TEXT = "Fra 1. april kan du logge inn på offentlige tjenester med den nye ID-porten-appen."
AGENCY = "Digitaliseringsdirektoratet"


def _id(n: int) -> str:
    return f"1142000000000000{n:02d}"


REPLIES = [
    ExpectedReply(_id(11), ROOT, "Ingrid Vik", "Fungerer appen også uten smarttelefon?"),
    ExpectedReply(_id(12), _id(11), AGENCY, "MinID med kode på SMS fungerer fortsatt"),
    ExpectedReply(_id(13), _id(12), "Ingrid Vik", "det beroliger både henne og meg"),
    # remote reply from the async refresh; a reply to 11, not to the post above it
    ExpectedReply(_id(14), _id(11), AGENCY, "en veileder for pårørende"),
    ExpectedReply(_id(21), ROOT, "Per Strand", "Blir appen tilgjengelig på nynorsk og samisk?"),
    ExpectedReply(_id(22), _id(21), AGENCY, "Appen kjem på bokmål, nynorsk og nordsamisk"),
    ExpectedReply(_id(31), ROOT, "Lena Ek", "Kommer svenska e-legitimationer att fungera"),
    # behind a content warning: not rendered until "Show more"
    ExpectedReply(_id(41), ROOT, "Tor Lie", "Sommeren er for kort frist for kommunene."),
    # collapsed (taller than 706 px); its last paragraph is below the fold
    ExpectedReply(_id(51), ROOT, "Anne Dahl", "Det er ikkje det tekniske som er vanskelegast"),
    # remote replies from the async refresh
    ExpectedReply(_id(61), ROOT, "Søren Holm", "Gælder det også for danske statsborgere"),
    ExpectedReply(_id(62), _id(61), AGENCY, "norsk fødselsnummer eller D-nummer"),
]


# -- URL shapes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://mastodon.social/@digdir/114200000000000001",
    "http://mastodon.no/@digdir/114200000000000001",
    "https://snabelen.no/@annedahl@snabelen.no/114200000000000051",
    "https://mastodon.social/users/digdir/statuses/114200000000000001",
    "https://social.vivaldi.net/deck/@digdir/114200000000000001",
    "https://det.social/@digdir/114200000000000001?foo=bar",
])
def test_mastodon_status_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "mastodon", url


@pytest.mark.parametrize("url", [
    "https://mastodon.social/@digdir",
    "https://mastodon.social/explore",
    "https://medium.com/@digdir/id-porten-appen-3f1c2a9b7e11",
    "https://www.tiktok.com/@digdir/video/7341234567890123456",
    "https://www.youtube.com/@digdir/videos",
    "https://x.com/digdir/status/1899000000000000001",
    "https://bsky.app/profile/digdir.no/post/3lkxq2vwsm22a",
])
def test_other_urls_do_not_match_mastodon(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is None or adapter.name != "mastodon", url


def test_fixture_url_is_not_matched_by_host_or_shape() -> None:
    # the fixture runs on 127.0.0.1 under /p/mastodon/: only the page can tell it is Mastodon
    assert adapter_for_url(f"http://127.0.0.1:8000{PATH}") is None


# -- real captures ------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["detected", "forced"])
def captured(request: pytest.FixtureRequest, site: fx.FixtureSite,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CaptureResult, float]]:
    extra = {} if request.param == "detected" else {"site": "mastodon"}
    t0 = time.monotonic()
    result = run_capture(site.url(PATH), tmp_path_factory.mktemp(f"masto-{request.param}"),
                         **extra)
    yield result, time.monotonic() - t0


def test_capture_complete_with_every_reply(captured: tuple[CaptureResult, float]) -> None:
    result, took = captured
    assert result.provenance["adapter"] == "mastodon"
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert took < 15, f"capture took {took:.1f} s"
    assert_thread_captured(result, root_text=ROOT_TEXT, root_author=AGENCY, replies=REPLIES,
                           reported=6)
    thread = result.thread
    assert [r["id"] for r in thread["replies"]] == [r.id for r in REPLIES]
    assert {r["parent_from"] for r in thread["replies"]} == {"context-api"}
    root = thread["root"]
    assert root["id"] == ROOT and root["handle"] == "@digdir"
    assert root["published_at"] == "2026-03-16T07:45:00Z"
    assert root["counts"] == {"comments": 6, "reblogs": 31, "favourites": 58}
    assert [m["alt"] for m in root["media"]] == [
        "Skjermbilde av innloggingen i den nye ID-porten-appen"]
    cw = next(r for r in thread["replies"] if r["id"] == _id(41))
    assert cw["content_warning"] == "Kritikk av tidsfristen"
    first = thread["replies"][0]
    assert first["handle"] == "@ingridvik@mastodon.social"
    assert first["published_at"] == "2026-03-16T08:02:00.000Z"
    assert result.completeness["missing"] == []


def test_read_more_not_followed_and_page_changes_recorded(
    captured: tuple[CaptureResult, float],
) -> None:
    result, _ = captured
    # "Read more" opens another page: it was not clicked, the capture stayed on the status
    assert result.thread["page"]["url"].endswith(PATH)
    overlays = result.provenance["overlays"]
    assert not [o for o in overlays if o["kind"] in ("consent", "login")]  # Mastodon has none
    assert {"kind": "content", "action": "expanded",
            "detail": "1 collapsed post(s) shown in full (max-height lifted; the platform's "
                      "'Read more' opens another page)"} in overlays
    assert {"kind": "overlay", "action": "hidden",
            "detail": "status toast: All replies loaded"} in overlays


def test_thread_lines_fallback_when_context_api_is_closed(site: fx.FixtureSite,
                                                          tmp_path: Path) -> None:
    """Without the context API (instances closed to visitors) parents come from the lines:
    right wherever the lines tell, the focal post where they cannot."""
    async def run() -> dict[str, object]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path="/usr/bin/chromium")
            page = await browser.new_page()
            await page.goto(site.url(PATH))
            await page.wait_for_selector(".notification-bar--active .notification-bar-action")
            await page.click(".notification-bar-action")
            await page.wait_for_selector(f'.status[data-id="{_id(62)}"]')
            # make the re-read fail as it would on an instance that refuses visitors
            await page.evaluate("""() => {
                const orig = window.fetch;
                window.fetch = (u, o) => String(u).includes('/context')
                    ? Promise.resolve(new Response('{"error":"This API requires an '
                        + 'authenticated user"}', {status: 401}))
                    : orig(u, o);
            }""")
            data = await adapter_by_name("mastodon").extract(page)
            await browser.close()
            return data

    data = asyncio.run(run())
    replies = {r["id"]: r for r in data["replies"]}  # type: ignore[union-attr]
    assert {r["parent_from"] for r in replies.values()} == {"thread-lines"}
    for exp in REPLIES:
        if exp.id == _id(14):
            # a reply to an earlier, non-adjacent post: the lines cannot tell; focal post
            assert replies[exp.id]["parent_id"] == ROOT
        else:
            assert replies[exp.id]["parent_id"] == exp.parent_id, exp.id
