"""Facebook adapter: URL matching, and one real capture of the logged-out fixture post.

The fixture (tests/fixtures/site/platforms/facebook/) shows the cookie dialog first, hides one
comment until the order is switched from "Mest relevante" to "Alle kommentarer", pages
comments with "Vis flere kommentarer", loads replies behind "Vis 1 svar" / "<navn> svarte ·
1 svar" (one reply to a reply), cuts a long comment with "Se mer", opens the "Se mer på
Facebook" login dialog once the page is scrolled and keeps a fixed login bar at the bottom.
"""

from __future__ import annotations

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

POST_ID = "pfbid02Q8zK4mYtVnRw1Bx7cHsLpJ3dEfGhUaN5oTqWvXyZ9s6kbrD3Mjl"
FIXTURE_PATH = f"/p/facebook/oslokommune/posts/{POST_ID}"

C1, C2, C3, C4 = "1187342995521031", "1187360412186955", "1187377218851941", "1187401558849507"
C5, C6, C7, C8 = "1187433682179628", "1187450418844621", "1187468055509524", "1187489878840675"
C9 = "1187502168839446"
R1A, R4A, R4B, R7A = "1187351128853550", "1187412735515056", "1187420945514235", "1187475312175465"

REPLIES = [
    ExpectedReply(C1, POST_ID, "Kari Nordmann", "livsfarlig å sykle der om morgenen"),
    ExpectedReply(R1A, C1, "Oslo kommune", "tryggere for alle som sykler og går"),
    # cut at ~200 characters behind "Se mer": the end is only there after the click
    ExpectedReply(C2, POST_ID, "Ola Hansen", "gitt beskjed på forhånd i postkassene"),
    ExpectedReply(C3, POST_ID, "Sven Svensson", "liknande cykelfält i två år"),
    ExpectedReply(C4, POST_ID, "Mette Jørgensen", "svært for de små forretninger på Grünerløkka"),
    ExpectedReply(R4A, C4, "Oslo kommune", "Varelevering blir tillatt i egne lommer"),
    # a reply to a reply: its link names only the top comment; the tree keeps R4A as parent
    ExpectedReply(R4B, R4A, "Mette Jørgensen", "at skiltene bliver tydelige"),
    ExpectedReply(C5, POST_ID, "Nils Bakke", "fleire sykkelstativ ved Birkelunden"),
    # hidden while the order is "Mest relevante"
    ExpectedReply(C6, POST_ID, "Åse Lie", "Bussen min blir forseinka kvar dag"),
    ExpectedReply(C7, POST_ID, "Jonas Berg", "glatt som såpe i fjor"),
    ExpectedReply(R7A, C7, "Oslo kommune", "prioritert ved brøyting og strøing"),
    ExpectedReply(C8, POST_ID, "Linnea Åberg", "laddplatser för elcyklar"),
    ExpectedReply(C9, POST_ID, "Henrik Møller", "skiltningen ved Olaf Ryes plass"),
]


# -- URL matching ---------------------------------------------------------------------------

FACEBOOK_URLS = [
    "https://www.facebook.com/oslokommune/posts/pfbid02Q8zK4mYtVnRw1Bx7cHsLpJ3dEfGhUaN5oTqWvXyZ9s6kbrD3Mjl",
    "https://www.facebook.com/politiet/posts/1234567890123456",
    "http://facebook.com/NAVnorge/posts/pfbid0abc?locale=nb_NO",
    "https://m.facebook.com/oslokommune/posts/pfbid02Q8zK4mYtVnRw1Bx7c/",
    "https://web.facebook.com/skatteetaten/posts/987654321",
    "https://www.facebook.com/permalink.php?story_fbid=pfbid0xyz&id=100064555555555",
    "https://www.facebook.com/story.php?story_fbid=1187123456789&id=100064555555555",
    "https://www.facebook.com/groups/1234567890/posts/9876543210/",
    "https://www.facebook.com/groups/grunerlokka/permalink/9876543210/",
    "https://www.facebook.com/photo/?fbid=1187123398987622&set=a.1187100000000000",
    "https://www.facebook.com/photo.php?fbid=1187123398987622",
    "https://www.facebook.com/oslokommune/videos/1187555555555555/",
    "https://www.facebook.com/oslokommune/photos/a.118710/1187123398987622/",
    "https://www.facebook.com/reel/1187666666666666",
    "https://www.facebook.com/watch/?v=1187777777777777",
    "https://www.facebook.com/share/p/1AbCdEfGhI/",
    "https://fb.watch/abCDef12/",
]

OTHER_URLS = [
    "https://www.facebook.com/oslokommune",
    "https://www.facebook.com/login/?next=%2Foslokommune",
    "https://www.instagram.com/p/C0abcDEFghi/",
    "https://www.linkedin.com/posts/oslo-kommune_sykkel-activity-7134567890123456789-AbCd",
    "https://x.com/oslokommune/status/1729000000000000000",
    "https://mastodon.social/@oslokommune/111111111111111111",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.reddit.com/r/norge/comments/abc123/sykkelfelt/",
    "https://notfacebook.com/oslokommune/posts/123",
]


@pytest.mark.parametrize("url", FACEBOOK_URLS)
def test_facebook_post_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "facebook", url


@pytest.mark.parametrize("url", OTHER_URLS)
def test_other_urls_do_not_match_facebook(url: str) -> None:
    assert not adapter_by_name("facebook").matches_url(url), url


def test_data_file_has_sources_and_nordic_labels() -> None:
    data = adapter_by_name("facebook").data
    assert data.get("sources") and data.get("not_grounded")
    import re

    rejects = [re.compile(p, re.IGNORECASE) for p in data.get("consent_reject_labels")]
    for label in ("Decline optional cookies", "Avvis valgfrie informasjonskapsler",
                  "Neka valfria cookies", "Afvis valgfrie cookies"):
        assert any(r.search(label) for r in rejects), label
    clicks = [re.compile(p, re.IGNORECASE) for p in data.get("click_labels")]
    for label in ("View more comments", "View all 5 replies", "Vis flere kommentarer",
                  "Vis 3 svar", "Visa fler kommentarer", "Vis flere svar", "Se mere", "Se mer",
                  "Mohammad Al Amin replied · 1 Reply", "Vis fleire kommentarar"):
        assert any(r.search(label) for r in clicks), label


# -- one real capture -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def captured(site: FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, float]]:
    out: Path = tmp_path_factory.mktemp("facebook")
    start = time.monotonic()
    result = run_capture(site.url(FIXTURE_PATH), out, site="facebook")
    yield result, time.monotonic() - start


def test_capture_complete_with_every_comment(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    # no step waited out its budget (speed itself is the benchmark's: bench/run.py)
    assert all(s.status.value != "budget" for s in result.steps), result.steps
    assert_thread_captured(
        result,
        root_text="nye sykkelfelt i begge retninger",
        root_author="Oslo kommune",
        replies=REPLIES,
        reported=13,
    )
    assert len(result.thread["replies"]) == 13
    assert result.completeness["missing"] == []


def test_root_post_fields(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    root = result.thread["root"]
    assert root["id"] == POST_ID
    assert root["handle"] == "oslokommune"
    assert root["url"].endswith(FIXTURE_PATH)
    assert root["published_at"] == "20. november kl. 09:30"
    assert [m["url"].split("/img/")[1] for m in root["media"]] == ["fb-sykkelfelt.png?w=680&h=380"]
    assert result.thread["adapter"] == "facebook"


def test_reply_fields(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    got = {r["id"]: r for r in result.thread["replies"]}
    assert got[C1]["handle"] == "kari.nordmann"
    assert got[C5]["handle"] == "100012345678901"  # profile.php?id=…
    assert got[C1]["published_at"] == "3 t"
    assert "Se mer" not in got[C2]["text"]
    assert [m["url"].split("/img/")[1] for m in got[C9]["media"]] == ["fb-skilt.png?w=320&h=200"]


def test_overlays_dismissed_and_recorded(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    overlays = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    # optional cookies declined, never "allow all"
    assert consent and consent[0]["action"] == "clicked"
    assert consent[0]["detail"].startswith("Avvis valgfrie informasjonskapsler")
    assert not any("Tillat alle" in o["detail"] for o in overlays)
    login = [o for o in overlays if o["kind"] == "login"]
    # the "Se mer på Facebook" dialog (opened by scrolling) was closed with its close button
    assert any(o["action"] == "clicked" for o in login), overlays
    assert any(o["action"] == "hidden" and o["detail"] == "bottom login bar" for o in login)


def test_sort_switched_to_all_comments(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    expand = next(s for s in result.steps if s.name == "expand-thread")
    assert "Alle kommentarer" in (expand.message or "")
