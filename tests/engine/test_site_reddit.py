"""Reddit adapter: URL matching and one real capture of the shreddit fixture.

The fixture (tests/fixtures/site/platforms/reddit/) reproduces Reddit's current web app for a
logged-out visitor: shreddit-post / shreddit-comment custom elements with slotted light-DOM
content, nested replies as slot="children", a faceplate-partial that loads the next comment
batch when scrolled into view, a "View more comments" partial, a collapsed "2 more replies"
partial, a lazy image in a comment, the cookie banner in a shadow root and the "Log in to view
the conversation" sheet that appears after "View more comments".
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
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

POST_PATH = "/p/reddit/r/norge/comments/1gq7xk2/vi_er_skatteetaten_spor_oss_om_skattemeldingen/"
ROOT_ID = "t3_1gq7xk2"
ROOT_TEXT = "Skattemeldingen for 2026 er nå tilgjengelig"
ROOT_AUTHOR = "Skatteetaten_offisiell"
OFFICIAL = ROOT_AUTHOR

REPLIES = [
    ExpectedReply("t1_lx1a01", ROOT_ID, "fjellgeit_93", "pendler mellom Bodø og Trondheim"),
    ExpectedReply("t1_lx1a02", "t1_lx1a01", OFFICIAL, "føres i post 3.2.8 i skattemeldingen"),
    ExpectedReply("t1_lx1a03", "t1_lx1a02", "fjellgeit_93", "så lite i fjor 😅"),
    ExpectedReply("t1_lx1b01", ROOT_ID, "svensk_i_oslo", "äger en sommarstuga i Värmland"),
    # behind "2 more replies"
    ExpectedReply("t1_lx1b02", "t1_lx1b01", OFFICIAL, "Skatt du har betalt i Sverige"),
    ExpectedReply("t1_lx1b03", "t1_lx1b01", "dansk_pendler", "et sommerhus på Fanø"),
    ExpectedReply("t1_lx1c01", ROOT_ID, "kryptokaare", "gevinst på krypto"),
    # loaded when the lazy faceplate-partial scrolls into view
    ExpectedReply("t1_lx1d01", ROOT_ID, "nordlys_student", "Svar gjerne på nynorsk"),
    ExpectedReply("t1_lx1d02", "t1_lx1d01", OFFICIAL, "Du treng ikkje gjere noko sjølv"),
    ExpectedReply("t1_lx1e01", ROOT_ID, "bergensregn", "er det svindel?"),
    # behind "View more comments"
    ExpectedReply("t1_lx1f01", ROOT_ID, "aerlig_talt", "Ærlig talt bedre enn å sitte i telefonkø"),
    ExpectedReply("t1_lx1g01", ROOT_ID, "malmo_mamma", "när räknas vi som utflyttade"),
]


# -- URL matching ---------------------------------------------------------------------------

REDDIT_URLS = [
    "https://www.reddit.com/r/norge/comments/1gq7xk2/vi_er_skatteetaten_spor_oss_om/",
    "https://www.reddit.com/r/norge/comments/1gq7xk2/vi_er_skatteetaten_spor_oss_om/lx1a01/",
    "https://www.reddit.com/r/norge/comments/1gq7xk2/comment/lx1a01/?context=3",
    "https://reddit.com/r/sweden/comments/1ab2cd3/",
    "http://old.reddit.com/r/Denmark/comments/18xyz9q/trafikken_paa_storebaelt/",
    "https://new.reddit.com/r/oslo/comments/1c3d4e5/t/",
    "https://sh.reddit.com/r/norge/comments/1gq7xk2/",
    "https://np.reddit.com/r/norge/comments/1gq7xk2/",
    "https://www.reddit.com/user/Skatteetaten_offisiell/comments/1h2k3l4/vi_svarer/",
    "https://www.reddit.com/comments/1gq7xk2",
    "https://www.reddit.com/r/norge/s/AbC123xYz9",
    "https://redd.it/1gq7xk2",
]

OTHER_URLS = [
    "https://www.reddit.com/r/norge/",
    "https://www.reddit.com/user/Skatteetaten_offisiell/",
    "https://x.com/NAV_no/status/1859000000000000000",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.tiktok.com/@nrk/video/7301234567890123456",
    "https://www.facebook.com/oslokommune/posts/pfbid02abc",
    "https://mastodon.social/@nrk/113500000000000000",
    "https://example.org/r/norge/comments/1gq7xk2/",
    "https://notreddit.com/r/norge/comments/1gq7xk2/",
]


@pytest.mark.parametrize("url", REDDIT_URLS)
def test_reddit_post_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "reddit", url


@pytest.mark.parametrize("url", OTHER_URLS)
def test_other_urls_do_not_match_reddit(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is None or adapter.name != "reddit", url
    assert not adapter_by_name("reddit").matches_url(url)


def test_data_file_lists_sources_and_gaps() -> None:
    data = adapter_by_name("reddit").data
    assert data.platform == "Reddit"
    assert data.get("sources") and data.get("not_grounded")
    # platform labels come before the generic ones
    assert data.get("click_labels")[0] == "^view more comments$"


# -- a real capture ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def captured(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, float]]:
    out: Path = tmp_path_factory.mktemp("reddit")
    t0 = time.monotonic()
    result = run_capture(site.url(POST_PATH), out, site="reddit")
    yield result, time.monotonic() - t0


def test_capture_is_complete_with_every_reply(captured: tuple[CaptureResult, float]) -> None:
    result, seconds = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert seconds < 20, seconds
    assert_thread_captured(result, root_text=ROOT_TEXT, root_author=ROOT_AUTHOR,
                           replies=REPLIES, reported=12)
    assert result.thread["adapter"] == "reddit"
    assert result.thread["root"]["id"] == ROOT_ID
    assert result.completeness["captured_replies"] == 12
    assert result.completeness["missing"] == []


def test_times_and_media(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    replies = {r["id"]: r for r in result.thread["replies"]}
    assert replies["t1_lx1a01"]["published_at"] == "2026-11-20T09:12:00.000Z"
    assert result.thread["root"]["published_at"] == "2026-11-20T09:00:00.000Z"
    media = replies["t1_lx1e01"]["media"]
    assert [m["type"] for m in media] == ["image"] and "reddit-svindel-epost" in media[0]["url"]
    assert replies["t1_lx1a01"]["media"] == []  # avatars are not media


def test_consent_rejected_and_login_sheet_hidden(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    overlays = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    assert consent and consent[0]["detail"] == "Reject optional cookies", overlays
    assert "shadow root" in consent[0]["container"]
    assert any(o["action"] == "hidden" and "login-sheet" in o["detail"] for o in overlays), overlays


def test_expansion_clicked_the_loaders(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    expand = next(s for s in result.steps if s.name == "expand-thread")
    assert "2 more replies" in expand.message and "View more comments" in expand.message
