"""YouTube adapter: URL matching, comment-id handling and one real capture of the fixture.

The fixture (tests/fixtures/site/platforms/youtube/) reproduces a watch page for a logged-out
visitor: light-DOM ytd-* elements, the comment section loading youtubei "next" JSON when it
scrolls into view (a second page from the continuation item at its end), replies behind
"N replies" and "Show more replies", a long comment clamped behind "Read more", the
description behind "...more", the consent lightbox and the sign-in mealbar.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.sites.registry import adapter_by_name, adapter_for_url
from somecapture.sites.youtube import apply_comment_tree, comment_id_from_url
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

VIDEO = "Xy7dQ2nB4aE"
WATCH_PATH = f"/p/youtube/watch?v={VIDEO}"
OWNER = "@statensvegvesen"
C1 = "UgzQ8v3Xk2Lm9Np4Rt9bW2e4AaABAg"
C2 = "UgzTa5Gr8Wn3Cx6Mu1Kv7Ls4AaABAg"
C3 = "UgzHk7Ps2Vd5Yw1Ez6Nq3Jo4AaABAg"

REPLIES = [
    ExpectedReply(C1, VIDEO, "@snoskuffe_nord", "mønsterdybden på vinterdekkene"),
    # behind "3 replies"
    ExpectedReply(f"{C1}.9xYzAbCdEfGhIjKlMnOpQr", C1, OWNER, "Minstekravet er 3 mm"),
    ExpectedReply(f"{C1}.9xYzAbCdEfGhIjKlMnOpQs", C1, "@snoskuffe_nord", "da vet jeg det"),
    # behind "Show more replies"
    ExpectedReply(f"{C1}.9xYzAbCdEfGhIjKlMnOpQt", C1, "@bilfrida", "uten oblat"),
    # clamped behind "Read more"
    ExpectedReply(C2, VIDEO, "@vinterlars", "Slutt på den lange kommentaren om vinterkjøring."),
    ExpectedReply(C3, VIDEO, "@stockholmsbilist", "krav på vinterdäck från 1 december"),
    ExpectedReply(f"{C3}.9wVuTsRqPoNmLkJiHgFeDc", C3, OWNER, "Piggdekk kan brukes fra 1. november"),
    # second page of the comment section (continuation item at the end of the first)
    ExpectedReply("UgzBj4Fo9Ri2Ut7Yw5Xq8Ze4AaABAg", VIDEO, "@koebenhavner_kim",
                  "skal vi have snekæder med"),
    ExpectedReply("UgzNc6Dl1Sg4Hp8Jm2Ov9Ak4AaABAg", VIDEO, "@elbil_astrid",
                  "lading på fjellovergangene"),
    ExpectedReply("UgzWr3Ey7Tu1Io5Pa9Sd2Fg4AaABAg", VIDEO, "@nynorsk_noreg",
                  "nyttar begge målformene"),
]

# -- URL matching ---------------------------------------------------------------------------

YOUTUBE_URLS = [
    "https://www.youtube.com/watch?v=Xy7dQ2nB4aE",
    "https://www.youtube.com/watch?v=Xy7dQ2nB4aE&lc=UgzQ8v3Xk2Lm9Np4Rt9bW2e4AaABAg",
    "https://youtube.com/watch?feature=shared&v=Xy7dQ2nB4aE&t=42s",
    "http://m.youtube.com/watch?v=Xy7dQ2nB4aE",
    "https://youtu.be/Xy7dQ2nB4aE?si=AbCdEf123",
    "https://www.youtube.com/shorts/Xy7dQ2nB4aE",
    "https://www.youtube.com/live/Xy7dQ2nB4aE?feature=share",
    "https://www.youtube.com/post/UgkxAbCdEfGhIjKlMnOpQrStUvWxYz012345",
    "https://www.youtube.com/@statensvegvesen/community?lb=UgkxAbCdEfGhIjKlMnOpQrSt",
]

OTHER_URLS = [
    "https://www.youtube.com/@statensvegvesen",
    "https://www.youtube.com/results?search_query=vinterf%C3%B8re",
    "https://www.youtube.com/embed/Xy7dQ2nB4aE",
    "https://www.youtube.com/watch?list=PL0123456789",
    "https://www.reddit.com/r/norge/comments/1gq7xk2/",
    "https://www.tiktok.com/@nrk/video/7301234567890123456",
    "https://x.com/vegvesen/status/1859000000000000000",
    "https://example.org/watch?v=Xy7dQ2nB4aE",
    "https://notyoutube.com/watch?v=Xy7dQ2nB4aE",
]


@pytest.mark.parametrize("url", YOUTUBE_URLS)
def test_youtube_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "youtube", url


@pytest.mark.parametrize("url", OTHER_URLS)
def test_other_urls_do_not_match_youtube(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is None or adapter.name != "youtube", url
    assert not adapter_by_name("youtube").matches_url(url)


def test_comment_id_from_permalink() -> None:
    assert comment_id_from_url(f"http://h/watch?v={VIDEO}&lc={C1}") == C1
    assert comment_id_from_url(f"http://h/watch?v={VIDEO}&lc={C1}.9x") == f"{C1}.9x"
    assert comment_id_from_url(f"https://www.youtube.com/watch?v={VIDEO}#lc={C1}") == C1
    assert comment_id_from_url("http://h/watch?v=x") is None
    assert comment_id_from_url(None) is None


def test_reply_tree_from_ids_and_threads() -> None:
    top = f"http://h/watch?v={VIDEO}&lc={C1}"
    reply = f"http://h/watch?v={VIDEO}&lc={C1}.9x"
    odd = f"http://h/watch?v={VIDEO}&lc=NoDotReply"  # a reply whose id has no parent prefix
    replies: list[dict[str, Any]] = [
        {"id": top, "parent_id": VIDEO}, {"id": reply, "parent_id": VIDEO},
        {"id": odd, "parent_id": VIDEO}, {"id": "reply-4", "parent_id": VIDEO}]
    data: dict[str, Any] = {"root": {"id": VIDEO}, "replies": replies}
    tree: dict[str, Any] = {top: {"reply": False, "thread_top": None},
                            reply: {"reply": True, "thread_top": top},
                            odd: {"reply": True, "thread_top": top}}
    apply_comment_tree(data, tree)
    got = [(r["id"], r["parent_id"]) for r in replies]
    assert got == [(C1, VIDEO), (f"{C1}.9x", C1), ("NoDotReply", C1), ("reply-4", VIDEO)]


# -- a real capture ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def captured(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, float]]:
    out: Path = tmp_path_factory.mktemp("youtube")
    t0 = time.monotonic()
    result = run_capture(site.url(WATCH_PATH), out, site="youtube")
    yield result, time.monotonic() - t0


def test_capture_is_complete_with_every_comment(captured: tuple[CaptureResult, float]) -> None:
    result, seconds = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert seconds < 20, seconds
    assert_thread_captured(result, root_text="Glatte veier, snø og mørke krever mer av deg",
                           root_author="Statens vegvesen", replies=REPLIES, reported=10)
    root = result.thread["root"]
    assert root["id"] == VIDEO
    # the description was behind "...more": its end is captured
    assert root["text"].endswith("som var med i opptaket.")
    assert result.completeness["captured_replies"] == 10
    assert result.completeness["missing"] == []


def test_expansion_opened_replies_and_long_text(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    expand = next(s for s in result.steps if s.name == "expand-thread")
    for label in ("3 replies", "1 reply", "Show more replies", "Read more", "...more"):
        assert label in expand.message, expand.message


def test_consent_rejected_and_mealbar_dismissed(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    overlays = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    assert consent and consent[0]["detail"].endswith("Reject all"), overlays
    assert any(o["kind"] == "login" and o["action"] == "clicked" for o in overlays), overlays
