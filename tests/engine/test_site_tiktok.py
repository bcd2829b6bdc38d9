"""TikTok adapter: URL matching, id/handle post-processing and one real capture of the fixture.

The fixture (tests/fixtures/site/platforms/tiktok/) reproduces the desktop video page for a
logged-out visitor: styled-components class names and data-e2e attributes, comments from
/api/comment/list/ in a fixed-height inner scroll container that loads the next page when
scrolled to its end, replies behind "View N replies" / "View N more", the description clamped
behind "more", the cookie banner in a shadow root and the login modal that locks scrolling.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.sites.registry import adapter_by_name, adapter_for_url
from somecapture.sites.tiktok import comment_id, complete_thread
from tests.conftest import run_capture
from tests.engine.site_checks import ExpectedReply, assert_thread_captured
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser

VIDEO = "7438519203746512134"
VIDEO_PATH = f"/p/tiktok/@politiet/video/{VIDEO}"
FIXTURE = fx.PLATFORM_DIR / "tiktok"


def _load(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURE / path).read_text("utf-8"))
    return data


def expected_replies() -> list[ExpectedReply]:
    """Every comment and reply of the fixture's API pages, in page order, with the ids the
    adapter derives (the page itself shows no ids)."""
    out: list[ExpectedReply] = []
    for page in ("api/comment/list/0.json", "api/comment/list/20.json"):
        for c in _load(page)["comments"]:
            cid = comment_id("@" + c["user"]["unique_id"], c["text"])
            out.append(ExpectedReply(cid, VIDEO, c["user"]["nickname"], c["text"]))
            cursor = 0
            while c["reply_comment_total"]:
                part = _load(f"api/comment/list/reply/{c['cid']}-{cursor}.json")
                for r in part["comments"]:
                    assert r["reply_id"] == c["cid"]
                    out.append(ExpectedReply(comment_id("@" + r["user"]["unique_id"], r["text"]),
                                             cid, r["user"]["nickname"], r["text"]))
                cursor = part["cursor"]
                if not part["has_more"]:
                    break
    return out


# -- URL matching ---------------------------------------------------------------------------

TIKTOK_URLS = [
    "https://www.tiktok.com/@politiet/video/7438519203746512134",
    "https://www.tiktok.com/@nrk.no/video/7301234567890123456?is_from_webapp=1&sender_device=pc",
    "https://tiktok.com/@skatteetaten/video/7301234567890123456",
    "http://m.tiktok.com/@politiet/video/7438519203746512134",
    "https://www.tiktok.com/@politiet/photo/7438519203746512134",
    "https://www.tiktok.com/embed/v2/7438519203746512134",
    "https://vm.tiktok.com/ZMhvqjqjq/",
    "https://vt.tiktok.com/ZSabc123/",
    "https://www.tiktok.com/t/ZT8abcDEF/",
]

OTHER_URLS = [
    "https://www.tiktok.com/@politiet",
    "https://www.tiktok.com/tag/svindel",
    "https://www.tiktok.com/foryou",
    "https://www.youtube.com/watch?v=Xy7dQ2nB4aE",
    "https://www.reddit.com/r/norge/comments/1gq7xk2/",
    "https://www.instagram.com/p/C1a2b3c4d5e/",
    "https://example.org/@politiet/video/7438519203746512134",
    "https://nottiktok.com/@politiet/video/7438519203746512134",
]


@pytest.mark.parametrize("url", TIKTOK_URLS)
def test_tiktok_urls_match(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is not None and adapter.name == "tiktok", url


@pytest.mark.parametrize("url", OTHER_URLS)
def test_other_urls_do_not_match_tiktok(url: str) -> None:
    adapter = adapter_for_url(url)
    assert adapter is None or adapter.name != "tiktok", url
    assert not adapter_by_name("tiktok").matches_url(url)


def test_ids_are_stable_hashes_of_handle_and_text() -> None:
    a = comment_id("@politiet", "Godt at du la på!")
    assert a == comment_id("@politiet", "Godt at du la på!")
    assert a.startswith("tiktok-") and len(a) == len("tiktok-") + 16
    assert a != comment_id("@politiet", "Godt at du la på")
    assert a != comment_id("@kari", "Godt at du la på!")


def test_complete_thread_renames_parents_and_fills_root() -> None:
    replies: list[dict[str, Any]] = [
        {"id": "reply-1", "parent_id": None, "text": "Hei"},
        {"id": "reply-2", "parent_id": "reply-1", "text": "Hallo"},
        {"id": "reply-3", "parent_id": None, "text": "Hei"},  # same person, same text
    ]
    data: dict[str, Any] = {"root": {"id": None, "author": None, "text": "Kort"},
                            "replies": replies, "reported": {"comments": 12}}
    extra = {"handles": ["@a", "@b", "@a"],
             "item": {"id": "123", "desc": "Kort tekst, hele", "create_time": 1763629200,
                      "unique_id": "politiet", "nickname": "Politiet", "comment_count": 1234}}
    complete_thread(data, extra, "https://www.tiktok.com/@politiet/video/123")
    root = data["root"]
    assert (root["id"], root["author"], root["handle"]) == ("123", "Politiet", "@politiet")
    assert root["published_at"] == "2025-11-20T09:00:00Z"
    assert root["text"] == "Kort tekst, hele"
    first = comment_id("@a", "Hei")
    assert [r["id"] for r in replies] == [first, comment_id("@b", "Hallo"), first + "-2"]
    assert [r["parent_id"] for r in replies] == ["123", first, "123"]
    assert data["reported"]["comments"] == 1234  # "1.2K" on the page, misread: JSON wins


# -- a real capture ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def captured(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[tuple[CaptureResult, float]]:
    out: Path = tmp_path_factory.mktemp("tiktok")
    t0 = time.monotonic()
    result = run_capture(site.url(VIDEO_PATH), out, site="tiktok")
    yield result, time.monotonic() - t0


def test_capture_is_complete_with_every_comment(captured: tuple[CaptureResult, float]) -> None:
    result, seconds = captured
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert seconds < 20, seconds
    replies = expected_replies()
    assert len(replies) == 16
    assert_thread_captured(result, root_text="Banken ber deg aldri om BankID-koder",
                           root_author="Politiet", replies=replies, reported=16)
    root = result.thread["root"]
    assert (root["id"], root["handle"]) == (VIDEO, "@politiet")
    assert root["published_at"] == "2025-11-20T09:00:00Z"
    handles = {r["handle"] for r in result.thread["replies"]}
    assert {"@politiet", "@kari.fra.bergen", "@goteborgs_gunnar", "@kbh_kasper"} <= handles
    assert result.completeness["captured_replies"] == 16
    assert result.completeness["missing"] == []


def test_expansion_and_unclipping(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    expand = next(s for s in result.steps if s.name == "expand-thread")
    for label in ("View 3 replies", "View 1 more", "View 1 reply", "'more'"):
        assert label in expand.message, expand.message
    assert "Hide" not in expand.message  # a fully opened thread is not collapsed again
    layout = [o for o in result.provenance["overlays"] if o["kind"] == "layout"]
    assert any("DivCommentListContainer" in o["detail"] for o in layout), layout


def test_consent_declined_and_login_modal_closed(captured: tuple[CaptureResult, float]) -> None:
    result, _ = captured
    overlays = result.provenance["overlays"]
    consent = [o for o in overlays if o["kind"] == "consent"]
    assert consent and consent[0]["detail"] == "Decline optional cookies", overlays
    login = [o for o in overlays if o["kind"] == "login"]
    assert login and login[0]["action"] == "clicked", overlays  # modal-close-inner-button
