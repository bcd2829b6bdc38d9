"""Pages that are not a normal thread: each capture must end with a clear status and message.

Fixtures under tests/fixtures/site/platforms/odd/ (served at /p/odd/<file>):

* ``no-thread.html`` – an article with no comment section at all;
* ``empty-thread.html`` – a post whose thread is empty and says "0 comments";
* ``deleted.html`` – a deleted post: HTTP 200 with "This post is no longer available";
* ``login-wall.html`` – 3 of "23 comments" shown, the rest behind a full-screen login wall;
* ``youtube-bot-wall.html`` – a YouTube watch page behind "Sign in to confirm you're not a
  bot", which the YouTube adapter's ``login_wall_selectors`` recognise.

The first four are captured with the generic adapter; each asserts the status, the message and
the completeness entry an archivist needs to understand what happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from tests.conftest import run_capture
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser


def _capture(site: fx.FixtureSite, factory: pytest.TempPathFactory, name: str,
             adapter: str = "generic") -> CaptureResult:
    out: Path = factory.mktemp(name.replace(".", "-"))
    return run_capture(site.url(f"/p/odd/{name}"), out, site=adapter)


def _step(result: CaptureResult, name: str) -> str:
    return next(s.message for s in result.steps if s.name == name)


# -- no thread at all ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def no_thread(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[CaptureResult]:
    yield _capture(site, tmp_path_factory, "no-thread.html")


def test_no_thread_is_a_complete_capture_with_nothing_missing(no_thread: CaptureResult) -> None:
    r = no_thread
    assert r.status is CaptureStatus.COMPLETE, (r.error, r.warnings)
    assert r.package is not None and not r.warnings
    assert r.thread["replies"] == []
    assert r.thread["source"] == "meta"  # no post markup: page metadata only
    # nothing shown on the page, so nothing unread (issue 15's verdict counts)
    # the page shows no time for its post
    assert r.completeness == {"reported": {}, "captured_replies": 0, "missing": [],
                              "visible_replies": 0, "readable_replies": 0,
                              "post_times": {"exact": 0, "shown": 0, "conflict": 0, "none": 1}}


def test_no_thread_is_said_in_the_extract_message(no_thread: CaptureResult) -> None:
    assert "no comment thread" in _step(no_thread, "extract-thread")


# -- an empty thread ("0 comments") -------------------------------------------------------------

@pytest.fixture(scope="module")
def empty_thread(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[CaptureResult]:
    yield _capture(site, tmp_path_factory, "empty-thread.html")


def test_empty_thread_reports_zero_of_zero(empty_thread: CaptureResult) -> None:
    r = empty_thread
    assert r.status is CaptureStatus.COMPLETE, (r.error, r.warnings)
    assert not r.warnings
    assert r.thread["root"]["id"] == "post-4711"
    assert "lagt ut på høring" in r.thread["root"]["text"]
    assert r.thread["replies"] == []
    # the post's <time datetime="…Z">: one exact time
    assert r.completeness == {"reported": {"comments": 0}, "captured_replies": 0, "missing": [],
                              "visible_replies": 0, "readable_replies": 0,
                              "post_times": {"exact": 1, "shown": 0, "conflict": 0, "none": 0}}


def test_empty_thread_message_names_the_zero(empty_thread: CaptureResult) -> None:
    assert "page reports 0" in _step(empty_thread, "extract-thread")


# -- a deleted post that answers 200 ------------------------------------------------------------

@pytest.fixture(scope="module")
def deleted(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[CaptureResult]:
    yield _capture(site, tmp_path_factory, "deleted.html")


def test_deleted_post_is_still_packaged(deleted: CaptureResult) -> None:
    # the page as it was shown is evidence too: it must be packaged, not dropped
    assert deleted.package is not None
    assert deleted.thread["replies"] == []


def test_deleted_post_is_reported_unavailable(deleted: CaptureResult) -> None:
    r = deleted
    assert r.status is CaptureStatus.PARTIAL
    assert any("no longer available" in w for w in r.warnings), r.warnings
    reasons = [m["reason"] for m in r.completeness["missing"]]
    assert any(reason.startswith("post unavailable") for reason in reasons), reasons
    assert r.thread["root"] is None


# -- replies behind a login wall (generic adapter) -----------------------------------------------

@pytest.fixture(scope="module")
def login_wall(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[CaptureResult]:
    yield _capture(site, tmp_path_factory, "login-wall.html")


def test_login_wall_page_counts_what_is_missing(login_wall: CaptureResult) -> None:
    r = login_wall
    assert r.package is not None
    assert [x["id"] for x in r.thread["replies"]] == ["c1", "c2", "c3"]
    assert r.completeness["reported"] == {"comments": 23}
    assert r.completeness["captured_replies"] == 3
    assert [m["count"] for m in r.completeness["missing"]] == [20]
    # the wall covered the page: it was hidden (and the scroll lock removed) for the screenshot
    overlays = r.provenance["overlays"]
    assert any(o["action"] == "hidden" and "login-wall" in o["detail"] for o in overlays)


def test_login_wall_is_named(login_wall: CaptureResult) -> None:
    r = login_wall
    assert r.status is CaptureStatus.PARTIAL
    assert any("login wall" in w for w in r.warnings), r.warnings
    assert r.completeness["missing"][0]["reason"].startswith("login wall")
    _said_in_norwegian(r)


def _said_in_norwegian(r: CaptureResult) -> None:
    """The wall, the warnings and why replies are missing, as the archivist reads them in
    bokmål and nynorsk: from the catalogue (the adapter's wall too), no English."""
    from somecapture.messages import Msg, missing_reason, render
    from tests.english import english_in

    walls = [w.params["wall"] for w in r.warnings
             if isinstance(w, Msg) and w.code == "warning.login_wall"]
    assert walls and all(isinstance(wall, Msg) and wall.code.startswith("wall.")
                         for wall in walls), r.warnings
    for lang in ("nb", "nn"):
        for text in [*r.warnings, *(missing_reason(m) for m in r.completeness["missing"])]:
            shown = render(text, lang, "app")
            assert english_in(shown) == [], (lang, shown)


# -- replies behind a login wall a platform adapter recognises -------------------------------

@pytest.fixture(scope="module")
def bot_wall(site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
             ) -> Iterator[CaptureResult]:
    yield _capture(site, tmp_path_factory, "youtube-bot-wall.html", adapter="youtube")


def test_youtube_bot_wall_is_partial_with_the_wall_named(bot_wall: CaptureResult) -> None:
    r = bot_wall
    assert r.status is CaptureStatus.PARTIAL, (r.error, r.warnings)
    assert r.package is not None
    walls = [w for w in r.warnings if "login wall" in w]
    assert walls and "not a bot" in walls[0], r.warnings
    assert r.thread["root"]["id"] == "Xy7dQ2nB4aE"
    assert r.thread["replies"] == []
    assert r.completeness["reported"] == {"comments": 23}
    missing = r.completeness["missing"]
    assert len(missing) == 1 and missing[0]["count"] == 23
    assert "login wall" in missing[0]["reason"]
    _said_in_norwegian(r)
