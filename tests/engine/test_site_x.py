"""X (Twitter) adapter: URL matching and real captures of the X fixture.

The fixture (tests/fixtures/site/platforms/x/) reproduces a logged-out visitor's conversation
page: a virtualised list fed by TweetDetail JSON, infinite scroll, "Show more replies" cells in a
conversation module and at the end, a truncated long post, thread connector lines, a
"Discover more" section, the cookie sheet, the log-in bar and the log-in modal. ``?markup=2026``
renders it without data-testid attributes; ``?guest=1`` ends in the "Continue to X" wall.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.sites.registry import adapter_for_url
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

ROOT = "1899000000000000001"
PATH = f"/p/x/kystverket/status/{ROOT}"
ROOT_TEXT = "Farleden inn til Ålesund stenges for vedlikehold av fyrlykta på Storholmen"


def _id(n: int) -> str:
    return f"18990000000000001{n:02d}"


REPLIES = [
    ExpectedReply(_id(11), ROOT, "Ola Nordmann", "Gjelder stengingen også for fritidsbåter"),
    ExpectedReply(_id(12), _id(11), "Kystverket", "den indre leia ved Valderøya"),
    ExpectedReply(_id(21), ROOT, "Kari Sørli", "Blir det lys i Breisundet om natta"),
    ExpectedReply(_id(31), ROOT, "Sven Åkesson", "Gäller avstängningen även för fiskebåtar"),
    ExpectedReply(_id(32), _id(31), "Kystverket", "Vardø sjøtrafikksentral på kanal 12"),
    # hidden behind the module's "Show more replies" cell
    ExpectedReply(_id(33), _id(32), "Sven Åkesson", "Tack för snabbt svar, då väljer vi"),
    # second page: loaded by infinite scroll
    ExpectedReply(_id(41), ROOT, "Mette Højgaard", "Hvornår åbner farleden igen?"),
    # long post: only complete after "Show more"
    ExpectedReply(_id(51), ROOT, "Nils Bjørnstad", "det er verdt å ta vare på."),
    ExpectedReply(_id(61), ROOT, "Ingrid Læstad", "Lykta har blinket ujevnt hele vinteren"),
    # third page: behind the "Show more replies" cell at the end
    ExpectedReply(_id(71), ROOT, "Jørgen Øvrebø", "Kommer det varsel i Kystinfo-appen"),
    ExpectedReply(_id(72), _id(71), "Kystverket", "navigasjonsvarsel både i appen"),
    ExpectedReply(_id(81), ROOT, "Åsa Lindqvist", "Hälsningar från Göteborg"),
]
DISCOVER_MORE_POST = "1898000000000000077"


# -- URL matching ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://x.com/kystverket/status/1899000000000000001",
    "http://x.com/kystverket/status/1899000000000000001",
    "https://twitter.com/Kystverket/status/1899000000000000001?s=20",
    "https://mobile.twitter.com/kystverket/status/1899000000000000001",
    "https://www.x.com/kystverket/status/1899000000000000001/photo/1",
    "https://x.com/i/web/status/1899000000000000001",
    "https://twitter.com/kystverket/statuses/1899000000000000001",
])
def test_x_post_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "x", url


@pytest.mark.parametrize("url", [
    "https://x.com/kystverket",
    "https://x.com/home",
    "https://xx.com/kystverket/status/1899000000000000001",
    "https://bsky.app/profile/kystverket.no/post/3kabcdefghi2x",
    "https://mastodon.social/@kystverket/112233445566778899",
    "https://www.facebook.com/kystverket/posts/pfbid0123",
    "https://www.reddit.com/r/norge/comments/abc123/farleden/",
    "https://www.instagram.com/p/C0abcdefgh/",
])
def test_other_urls_do_not_match_x(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is None or adapter.name != "x", url


# -- real captures -----------------------------------------------------------------------------

def _capture(site: fx.FixtureSite, out: Path, path: str) -> tuple[CaptureResult, float]:
    t0 = time.monotonic()
    result = run_capture(site.url(path), out, site="x")
    return result, time.monotonic() - t0


@pytest.fixture(scope="module", params=["testids", "markup-2026"])
def captured(request: pytest.FixtureRequest, site: fx.FixtureSite,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CaptureResult, float]]:
    query = "" if request.param == "testids" else "?markup=2026"
    yield _capture(site, tmp_path_factory.mktemp(f"x-{request.param}"), PATH + query)


def test_capture_complete_with_every_reply(captured: tuple[CaptureResult, float]) -> None:
    result, took = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert took < 15, f"capture took {took:.1f} s"
    assert_thread_captured(result, root_text=ROOT_TEXT, root_author="Kystverket",
                           replies=REPLIES, reported=8)
    thread = result.thread
    assert thread["adapter"] == "x"
    ids = [r["id"] for r in thread["replies"]]
    assert ids == [r.id for r in REPLIES]  # nothing more: "Discover more" is not a reply
    assert DISCOVER_MORE_POST not in ids
    root = thread["root"]
    assert root["id"] == ROOT and root["handle"] == "@kystverket"
    assert root["published_at"] == "2026-03-10T09:15:00.000Z"
    assert root["counts"] == {"comments": 8, "reposts": 14, "likes": 52, "views": 12400}
    assert [m["alt"] for m in root["media"]] == ["Fyrlykta på Storholmen i morgenlys"]
    long_post = next(r for r in thread["replies"] if r["id"] == _id(51))
    assert long_post["text"].startswith("Fyrlykta på Storholmen har stått der siden 1908")
    assert "Show more" not in long_post["text"]
    photo = next(r for r in thread["replies"] if r["id"] == _id(61))
    assert [m["type"] for m in photo["media"]] == ["image"]
    assert result.completeness["missing"] == []


def test_overlays_dismissed_and_recorded(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    overlays: list[dict[str, Any]] = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    # the reject choice is preferred over "Accept all cookies"
    assert [o["detail"] for o in consent] == ["Refuse non-essential cookies"], overlays
    # the log-in modal (opened by scrolling) was closed with its Close button
    assert any(o["kind"] in ("login", "dialog") and o["action"] == "clicked"
               for o in overlays), overlays
    # the fixed "Don't miss what's happening" log-in bar was hidden
    assert any(o["action"] == "hidden" and ("bottom-bar" in o["detail"] or "log-in" in o["detail"])
               for o in overlays), overlays


def test_guest_view_ends_at_login_wall(site: fx.FixtureSite, tmp_path: Path) -> None:
    result, took = _capture(site, tmp_path, PATH + "?guest=1")
    assert took < 15
    assert result.status is CaptureStatus.PARTIAL
    assert any("login wall" in w for w in result.warnings), result.warnings
    assert [r["id"] for r in result.thread["replies"]] == [_id(11)]
    missing = result.completeness["missing"]
    assert missing and missing[0]["count"] == 7 and missing[0]["reason"].startswith("login wall")
