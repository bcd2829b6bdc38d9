"""A watch round's bookkeeping, with the browser and the capture pipeline stood in for (the
real ones run in tests/engine/test_watch.py): an expired login profile is reported and does
not stop the rest, and a round killed after publishing is finished without capturing twice."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from somecapture.catalog import Catalog
from somecapture.engine.probe import ProbedPage, ProbeError
from somecapture.errors import ProfileLoggedOutError
from somecapture.messages import Msg, render
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.watch import cheap as cheap_module
from somecapture.watch import runner as runner_module
from somecapture.watch.runner import WatchNote, WatchRunner
from somecapture.watch.store import WatchStore, iso, watch_url

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
EXPIRED = ("Profile 'fb-vestvik' is not logged in on this site any more (the page shows a "
           "login form). Log in again with `somecapture login fb-vestvik`, then capture again.")


class FakeSession:
    """Stands in for BrowserSession: no browser."""

    def __init__(self, options: CaptureOptions) -> None:
        self.options = options

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def ensure_connected(self) -> None:
        return None

    async def profile_state(self, name: str) -> dict[str, Any]:
        return {"cookies": [], "origins": []}


class FakePipeline:
    """Stands in for CapturePipeline: each URL's result is what the test scripted."""

    calls: list[tuple[str, str | None]] = []
    #: the previous capture each capture was given
    previous: list[Any] = []
    script: dict[str, Any] = {}
    #: the capture options each capture was given, by URL
    options_seen: dict[str, list[CaptureOptions]] = {}

    def __init__(self, session: Any, options: CaptureOptions, listener: Any = None, *,
                 record_catalog: bool = True) -> None:
        self.options = options

    async def capture(self, url: str, *, capture_id: str | None = None, record: Any = None,
                      previous: Any = None) -> CaptureResult:
        FakePipeline.calls.append((url, self.options.profile))
        FakePipeline.previous.append(previous)
        FakePipeline.options_seen.setdefault(url, []).append(self.options)
        return FakePipeline.script[url](url, capture_id)


def published(out: Path) -> Any:
    def make(url: str, capture_id: str) -> CaptureResult:
        package = out / f"pkg-{capture_id}"
        package.mkdir(parents=True)
        result = CaptureResult(url=url, capture_id=capture_id, status=CaptureStatus.COMPLETE,
                               package=package)
        result.thread = {"root": {"id": "1", "text": "Innlegg",
                                  "published_at": iso(NOW - timedelta(minutes=30))},
                         "replies": []}
        return result
    return make


def logged_out(url: str, capture_id: str) -> CaptureResult:
    return CaptureResult(url=url, capture_id=capture_id, status=CaptureStatus.FAILED,
                         error=EXPIRED, error_code=ProfileLoggedOutError.code)


# -- stand-ins for the page probe ----------------------------------------------------------------
class FakeProbe:
    """Stands in for PageProbe: each URL's page is what the test put in ``pages`` (HTML, or
    ``(HTML, what shows it is logged out)``, or a function giving one)."""

    pages: dict[str, Any] = {}
    looks: list[tuple[str, bool]] = []

    def __init__(self, session: Any, *, allow_private_network: bool, proxy: str | None = None,
                 storage_state: Any = None, timeout_s: float = 20.0) -> None:
        self.storage_state = storage_state

    async def __aenter__(self) -> FakeProbe:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def look(self, url: str, *, login_check: bool = False) -> ProbedPage:
        FakeProbe.looks.append((url, login_check))
        page = FakeProbe.pages.get(url, ProbeError(f"could not open {url}: no such page"))
        if isinstance(page, Exception):
            raise page
        page = page() if callable(page) else page
        html, wall = page if isinstance(page, tuple) else (page, None)
        seen = {"logged_out": wall} if login_check and wall else {}
        return ProbedPage(url=url, final_url=url, status=200, html=html, **seen)

    async def fetch(self, url: str, accept: str | None = None) -> bytes:
        raise ProbeError(f"no feed at {url}")


@pytest.fixture()
def probe(fakes: type[FakePipeline]) -> type[FakeProbe]:
    """The pages the probe sees (the ``fakes`` fixture puts it in place)."""
    return FakeProbe


@pytest.fixture()
def fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> type[FakePipeline]:
    monkeypatch.setattr(runner_module, "BrowserSession", FakeSession)
    monkeypatch.setattr(runner_module, "CapturePipeline", FakePipeline)
    monkeypatch.setattr(runner_module, "PageProbe", FakeProbe)
    monkeypatch.setattr(cheap_module, "PageProbe", FakeProbe)
    FakeProbe.pages, FakeProbe.looks = {}, []
    # the login profiles the tests name exist (watch add refuses one that does not)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "data" / "somecapture" / "profiles" / "fb-vestvik").mkdir(parents=True)
    FakePipeline.calls = []
    FakePipeline.previous = []
    FakePipeline.script = {}
    FakePipeline.options_seen = {}
    return FakePipeline


def _runner(tmp_path: Path) -> WatchRunner:
    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    return WatchRunner(options, clock=lambda: NOW)


def test_an_expired_login_is_reported_and_the_rest_goes_on(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)
    a, b, c = ("https://www.facebook.com/vestvik/posts/1",
               "https://www.facebook.com/vestvik/posts/2", "https://forum.example/t/3")
    for url, profile in ((a, "fb-vestvik"), (b, "fb-vestvik"), (c, None)):
        watch_url(runner.store, url, profile=profile, now=NOW - timedelta(minutes=5))
    fakes.script = {a: logged_out, b: logged_out, c: published(tmp_path / "out")}
    done = asyncio.run(runner.run_round())
    # the profile found logged out is not tried again for the next item of the round
    assert sorted(fakes.calls, key=str) == sorted([(a, "fb-vestvik"), (c, None)], key=str)
    assert [(f.url, f.code) for f in done.failed] == [
        (a, "profile_logged_out"), (b, "profile_logged_out")]
    assert all("somecapture login fb-vestvik" in f.error for f in done.failed)
    assert [p.url for p in done.published] == [c]
    items = {i.url: i for i in runner.store.items()}
    assert items[a].status == items[b].status == "login-expired"
    assert items[a].last_error == EXPIRED
    # tried again, not forgotten: at its next scheduled time (+1 h after it was added, its
    # publication being unknown), which comes before the retry an hour after the failure
    assert items[a].next_check == "2026-03-02T12:55:00Z"
    assert items[c].status == "watching" and items[c].versions == 1
    # published 30 minutes ago: the next check is at +1 h after publication
    assert items[c].next_check == "2026-03-02T12:30:00Z"


def _package(out: Path, capture_id: str, url: str) -> Path:
    folder = out / f"20260302T115900Z-forum-example-{capture_id[:4]}"
    (folder / "data").mkdir(parents=True)
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\n", "utf-8")
    (folder / "bag-info.txt").write_text(f"External-Identifier: urn:uuid:{capture_id}\n",
                                         "utf-8")
    meta = {"capture_id": capture_id, "requested_url": url, "url": url, "status": "complete",
            "captured_at": "2026-03-02T11:59:00Z",
            "thread": {"root": {"id": "1", "text": "Innlegg"}, "replies": [{"id": "c1"}]}}
    (folder / "data" / "capture-metadata.json").write_text(json.dumps(meta), "utf-8")
    return folder


def test_a_round_killed_after_publishing_is_finished_without_capturing_twice(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)
    out = tmp_path / "out"
    done_url, lost_url = "https://forum.example/t/1", "https://forum.example/t/2"
    for url in (done_url, lost_url):
        watch_url(runner.store, url, now=NOW - timedelta(minutes=10))
    # the killed round had noted both captures; only the first got to publish
    package = _package(out, "11111111-1111-4111-8111-111111111111", done_url)
    runner.store.update(done_url, running_capture="11111111-1111-4111-8111-111111111111",
                        running_out=str(out))
    runner.store.update(lost_url, running_capture="22222222-2222-4222-8222-222222222222",
                        running_out=str(out))
    fakes.script = {lost_url: published(out)}
    done = asyncio.run(runner.run_round())
    assert fakes.calls == [(lost_url, None)]  # the published one is not captured again
    items = {i.url: i for i in runner.store.items()}
    assert items[done_url].last_capture == "11111111-1111-4111-8111-111111111111"
    assert items[done_url].last_package == str(package)
    assert items[done_url].versions == 1 and items[done_url].running_capture is None
    assert items[lost_url].versions == 1 and items[lost_url].running_capture is None
    # reported by this round (the killed one printed nothing), and published once
    assert [p.url for p in done.published] == [done_url, lost_url]
    # the package the killed round published is in the catalogue, once
    entries = Catalog(tmp_path / "c.sqlite").entries()
    assert [e.capture_id for e in entries if e.url == done_url] == [
        "11111111-1111-4111-8111-111111111111"]
    ledger = WatchStore(runner.catalog).ledger(done_url)
    assert [(e.outcome, "interrupted" in (e.detail or "")) for e in ledger] == [
        ("published", True)]


class Clock:
    """The round's time, moved on by the test."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def counted(count: int) -> str:
    """A thread page stating its reply count in schema.org markup (what the cheap check
    reads)."""
    data = json.dumps({"@context": "https://schema.org", "@type": "DiscussionForumPosting",
                       "headline": "Storgata", "commentCount": count})
    return (f'<html><head><script type="application/ld+json">{data}</script></head>'
            "<body><p>Storgata</p></body></html>")


def with_metadata(out: Path, *, status: str = "complete", reported: int | None = None,
                  replies: list[dict[str, Any]] | None = None,
                  published_at: datetime | None = None) -> Any:
    """A pipeline result whose package holds its capture-metadata.json."""
    def make(url: str, capture_id: str) -> CaptureResult:
        result = published(out)(url, capture_id)
        result.status = CaptureStatus(status)
        if published_at is not None:
            result.thread["root"]["published_at"] = iso(published_at)
        result.thread["replies"] = list(replies or [])
        result.completeness = {"reported": {"comments": reported} if reported is not None
                               else {}, "captured_replies": len(replies or [])}
        assert result.package is not None
        (result.package / "data").mkdir()
        (result.package / "data" / "capture-metadata.json").write_text(json.dumps({
            "capture_id": capture_id, "status": status, "captured_at": iso(NOW),
            "thread": result.thread}), "utf-8")
        return result
    return make


def unchanged(**completeness: Any) -> Any:
    def make(url: str, capture_id: str) -> CaptureResult:
        result = CaptureResult(url=url, capture_id=capture_id, status=CaptureStatus.COMPLETE)
        result.unchanged = True
        result.completeness = dict(completeness)
        result.thread = {"root": {"id": "1", "text": "Innlegg"}, "replies": []}
        return result
    return make


THREAD_URL = "https://forum.example/t/1"


def test_the_cheap_check_compares_its_own_counts_and_never_triggers_twice_on_one(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe]) -> None:
    clock = Clock(NOW)
    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    runner = WatchRunner(options, clock=clock)
    watch_url(runner.store, THREAD_URL, schedule="1h,6h,1d", now=NOW)
    # the capture reads 5 from the adapter's counter ("5 svar"); the page's markup says 7
    # (it counts replies the platform hides): two sources that differ for good
    # published now: its first scheduled re-capture is in an hour, cheap checks every 10 min
    fakes.script = {THREAD_URL: with_metadata(tmp_path / "out", reported=5, published_at=NOW)}
    probe.pages[THREAD_URL] = counted(7)
    asyncio.run(runner.run_round())
    assert len(probe.looks) == 1  # right after the capture: the cheap check's own baseline
    fakes.script = {THREAD_URL: unchanged(reported={"comments": 5})}
    for _ in range(2):  # every 11 minutes: cheap checks, both 7
        clock.moment += timedelta(minutes=11)
        asyncio.run(runner.run_round())
    assert len(fakes.calls) == 1 and len(probe.looks) == 3
    # a reply more: one capture, then that count is the baseline
    probe.pages[THREAD_URL] = counted(8)
    for _ in range(2):
        clock.moment += timedelta(minutes=11)
        asyncio.run(runner.run_round())
    assert len(fakes.calls) == 2 and len(probe.looks) == 6
    ledger = [(e.kind, e.outcome) for e in reversed(runner.store.ledger(THREAD_URL))]
    assert ledger == [("capture", "published"), ("cheap", "count changed"),
                      ("capture", "unchanged")]


def test_cheap_checks_are_spaced_by_the_schedule_and_capped_per_round(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe]) -> None:
    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    runner = WatchRunner(options, clock=lambda: NOW, cheap_checks_per_round=2)
    # published two days ago: between its +1 d and +3 d checks (48 h apart), a cheap check
    # every 8 hours; the last looks were 1 to 9 hours ago
    for n, hours in enumerate((9, 10, 11, 1, 7)):
        url = f"https://forum.example/t/{n}"
        watch_url(runner.store, url, now=NOW - timedelta(days=2))
        runner.store.update(url, status="watching", published_at=iso(NOW - timedelta(days=2)),
                            next_check=iso(NOW + timedelta(days=1)), cheap_count=3,
                            last_check=iso(NOW - timedelta(hours=hours)))
        probe.pages[url] = counted(3)
    done = asyncio.run(runner.run_round())
    # three are due (9, 10 and 11 hours ago); two a round, those waiting longest
    assert [url for url, _ in probe.looks] == ["https://forum.example/t/2",
                                               "https://forum.example/t/1"]
    assert done.checked == 2 and fakes.calls == []


def test_an_account_seen_logged_out_is_login_expired_and_the_rest_goes_on(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe]) -> None:
    runner = _runner(tmp_path)
    account = "https://www.facebook.com/vestvik"
    watch_url(runner.store, account, account=True, profile="fb-vestvik",
              now=NOW - timedelta(minutes=5))
    watch_url(runner.store, THREAD_URL, now=NOW - timedelta(minutes=5))
    # the login page a profile whose session expired gets: no posts on it
    probe.pages[account] = ("<html><form><input type=password></form></html>", "login form")
    fakes.script = {THREAD_URL: published(tmp_path / "out")}
    done = asyncio.run(runner.run_round())
    # the account's page looked at with the login check (then the thread, after its capture)
    assert probe.looks[0] == (account, True)
    assert [(f.url, f.code) for f in done.failed] == [(account, "profile_logged_out")]
    assert "somecapture login fb-vestvik" in done.failed[0].error
    assert [p.url for p in done.published] == [THREAD_URL]
    item = runner.store.get(account)
    assert item is not None and item.status == "login-expired"
    assert item.next_check == iso(NOW + timedelta(hours=1))  # looked at again later
    (entry,) = runner.store.ledger(account)
    assert entry.outcome == "login expired"


def test_an_account_page_found_again_with_new_tracking_parameters_adds_nothing(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe]) -> None:
    clock = Clock(NOW)
    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    runner = WatchRunner(options, clock=clock)
    account = "https://www.facebook.com/vestvik"
    watch_url(runner.store, account, account=True, now=NOW)
    post = "https://www.facebook.com/vestvik/posts/pfbid0abc"
    tokens = iter(["AZWx1", "AZYy2", "AZQq3"])
    probe.pages[account] = lambda: (
        f'<a href="/vestvik/posts/pfbid0abc?__cft__[0]={next(tokens)}&amp;__tn__=%2CO%2CP-R">'
        "Storgata</a>")
    fakes.script = {post: published(tmp_path / "out")}
    first = asyncio.run(runner.run_round())
    assert first.discovered == [post]
    for _ in range(2):  # each hour the page links the post with other parameters
        clock.moment += timedelta(hours=1, minutes=1)
        again = asyncio.run(runner.run_round())
        assert again.discovered == []
    assert [i.url for i in runner.store.items()] == [account, post]
    item = runner.store.get(account)
    assert item is not None and (item.posts_found, item.posts_on_page) == (1, 1)


def test_two_rounds_never_run_at_once_even_as_the_lock_is_let_go(
        tmp_path: Path, fakes: type[FakePipeline], monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    runner = _runner(tmp_path)
    watch_url(runner.store, THREAD_URL, now=NOW - timedelta(minutes=5))
    lock_file = runner.catalog.path.parent / "watch.lock"
    other: list[Any] = []

    def capture_while_another_process_opens_the_lock(url: str, capture_id: str) -> Any:
        # another process starting now opens the lock file (before it tries to lock it)
        other.append(open(lock_file, "a+b"))  # noqa: SIM115
        return published(tmp_path / "out")(url, capture_id)

    fakes.script = {THREAD_URL: capture_while_another_process_opens_the_lock}
    first = asyncio.run(runner.run_round())
    assert first.skipped is None and len(first.published) == 1
    # the first round has let go; the other process locks the file it opened ...
    fcntl.flock(other[0].fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        # ... and a third round must see that lock: the same file
        third = asyncio.run(runner.run_round(now=True))
        assert third.skipped is not None and "another watch round" in third.skipped
    finally:
        other[0].close()


def test_two_rounds_started_together_one_skips(tmp_path: Path, fakes: type[FakePipeline]
                                               ) -> None:
    runner = _runner(tmp_path)
    watch_url(runner.store, THREAD_URL, now=NOW - timedelta(minutes=5))
    fakes.script = {THREAD_URL: published(tmp_path / "out")}

    async def both() -> list[Any]:
        return list(await asyncio.gather(runner.run_round(), runner.run_round()))

    rounds = asyncio.run(both())
    assert sorted(r.skipped is None for r in rounds) == [False, True]
    assert len(fakes.calls) == 1


def test_an_output_folder_that_cannot_be_read_is_not_taken_for_nothing_published(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)
    watch_url(runner.store, THREAD_URL, now=NOW - timedelta(minutes=10))
    unreadable = tmp_path / "not-a-folder"
    unreadable.write_text("", "utf-8")  # listing it fails, as an unmounted share does
    runner.store.update(THREAD_URL, running_capture="11111111-1111-4111-8111-111111111111",
                        running_out=str(unreadable), status="watching", cheap_count=2)
    fakes.script = {THREAD_URL: published(tmp_path / "out")}
    # its page says it has more replies now: not even that makes it captured
    FakeProbe.pages[THREAD_URL] = counted(5)
    done = asyncio.run(runner.run_round())
    assert fakes.calls == [] and FakeProbe.looks == []  # not captured a second time
    assert [(f.url, f.code) for f in done.failed] == [(THREAD_URL, "output_dir")]
    assert "cannot be told" in done.failed[0].error
    item = runner.store.get(THREAD_URL)
    assert item is not None and item.running_capture == "11111111-1111-4111-8111-111111111111"


def test_the_catalogues_writes_are_made_off_the_event_loop(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe],
        monkeypatch: pytest.MonkeyPatch) -> None:
    on_loop: list[str] = []
    for name in ("checked", "update", "add_many", "items", "get"):
        original = getattr(WatchStore, name)

        def wrapped(self: Any, *args: Any, _name: str = name, _original: Any = original,
                    **kwargs: Any) -> Any:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                pass
            else:
                on_loop.append(_name)
            return _original(self, *args, **kwargs)
        monkeypatch.setattr(WatchStore, name, wrapped)
    runner = _runner(tmp_path)
    a, b = ("https://www.facebook.com/vestvik/posts/1",
            "https://www.facebook.com/vestvik/posts/2")
    for url in (a, b):  # the second is failed without a capture: its profile expired
        watch_url(runner.store, url, profile="fb-vestvik", now=NOW - timedelta(minutes=5))
    account = "https://forum.example/@vestvik"
    watch_url(runner.store, account, account=True, now=NOW - timedelta(minutes=5))
    probe.pages[account] = ProbeError(f"{account} answered 503 Service Unavailable")
    fakes.script = {a: logged_out, b: logged_out}
    done = asyncio.run(runner.run_round())
    assert sorted(f.code for f in done.failed) == [
        "discovery", "profile_logged_out", "profile_logged_out"]
    assert on_loop == []


def test_the_ledger_keeps_each_captures_status_and_a_post_still_gone(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)
    watch_url(runner.store, THREAD_URL, now=NOW - timedelta(minutes=10))
    fakes.script = {THREAD_URL: with_metadata(tmp_path / "out", status="partial")}
    asyncio.run(runner.run_round())
    fakes.script = {THREAD_URL: unchanged(missing=[
        {"count": None, "reason": "post unavailable: Innholdet er ikke tilgjengelig"}])}
    done = asyncio.run(runner.run_round(now=True))
    assert done.unchanged == [THREAD_URL]
    latest, first = runner.store.ledger(THREAD_URL)
    assert (first.outcome, first.status) == ("published", "partial")
    assert latest.outcome == "post unavailable" and latest.status == "complete"
    assert "Innholdet er ikke tilgjengelig" in (latest.detail or "")
    # the re-capture was compared with the package's thread, told it was partial
    previous = fakes.previous[-1]
    assert (previous.status, previous.thread["root"]["text"]) == ("partial", "Innlegg")


def test_the_catalogue_keeps_no_copy_of_the_thread_and_a_lost_package_is_said(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    import shutil
    import sqlite3

    runner = _runner(tmp_path)
    watch_url(runner.store, THREAD_URL, now=NOW - timedelta(minutes=10))
    replies = [{"id": "c1", "author": "Kari Nordmann", "handle": "@kari",
                "text": "Ring meg på 91234567", "published_at": iso(NOW)}]
    fakes.script = {THREAD_URL: with_metadata(tmp_path / "out", replies=replies)}
    asyncio.run(runner.run_round())
    with sqlite3.connect(tmp_path / "c.sqlite") as conn:
        rows = conn.execute("SELECT * FROM watch_items").fetchall()
    assert not [v for row in rows for v in row if isinstance(v, str) and (
        "Kari" in v or "91234567" in v)]
    # the package moved away (to the records system): the next capture is told so
    item = runner.store.get(THREAD_URL)
    assert item is not None and item.last_package is not None
    shutil.rmtree(item.last_package)
    fakes.script = {THREAD_URL: unchanged()}
    asyncio.run(runner.run_round(now=True))
    previous = fakes.previous[-1]
    assert previous.thread is None
    assert previous.unreadable == (f"its package ({Path(item.last_package).name}) is no "
                                   "longer where it was published")


def test_an_items_own_folder_and_intranet_leave_are_used_by_every_round(
        tmp_path: Path, fakes: type[FakePipeline]) -> None:
    runner = _runner(tmp_path)  # the command line's round: --out tmp/out
    intranet, public = "http://intranett.kommune.local/t/1", "https://forum.example/t/2"
    agency = tmp_path / "agency"
    watch_url(runner.store, intranet, out_dir=str(agency), allow_private_network=True,
              now=NOW - timedelta(minutes=5))
    watch_url(runner.store, public, now=NOW - timedelta(minutes=5))
    fakes.script = {intranet: published(agency), public: published(tmp_path / "out")}
    asyncio.run(runner.run_round())
    (first,) = fakes.options_seen[intranet]
    assert (first.out_dir, first.allow_private_network) == (agency, True)
    (other,) = fakes.options_seen[public]
    assert (other.out_dir, other.allow_private_network) == (tmp_path / "out", False)
    items = {i.url: i for i in runner.store.items()}
    assert items[intranet].out_dir == str(agency)
    # an item added without --out keeps the folder its first package went to
    assert items[public].out_dir == str(tmp_path / "out")

    # the app's round, with its own folder (Documents) and no intranet leave: the same
    # folders, and the intranet item may still reach its address
    app = WatchRunner(CaptureOptions(out_dir=tmp_path / "Documents",
                                     catalog_path=tmp_path / "c.sqlite"), clock=lambda: NOW)
    fakes.script = {intranet: published(agency), public: published(tmp_path / "out")}
    asyncio.run(app.run_round(now=True))
    again = fakes.options_seen[intranet][-1]
    assert (again.out_dir, again.allow_private_network) == (agency, True)
    assert fakes.options_seen[public][-1].out_dir == tmp_path / "out"
    assert not (tmp_path / "Documents").exists()


def test_posts_found_on_an_account_get_its_folder_and_leave(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe]) -> None:
    runner = _runner(tmp_path)
    account = "https://www.facebook.com/vestvik"
    watch_url(runner.store, account, account=True, out_dir=str(tmp_path / "agency"),
              allow_private_network=True, now=NOW - timedelta(minutes=5))
    post = "https://www.facebook.com/vestvik/posts/pfbid0abc"
    probe.pages[account] = '<a href="/vestvik/posts/pfbid0abc">Storgata</a>'
    fakes.script = {post: published(tmp_path / "agency")}
    asyncio.run(runner.run_round())
    found = [i for i in runner.store.items() if i.kind == "post"]
    assert [(i.url, i.out_dir, bool(i.allow_private_network)) for i in found] == [
        (post, str(tmp_path / "agency"), True)]


def test_a_rounds_lines_and_records_are_said_in_the_archivists_language(
        tmp_path: Path, fakes: type[FakePipeline], probe: type[FakeProbe]) -> None:
    """The round's lines, a failed check's error kept on the watch list and the ledger's
    details are catalogue messages: read back from the catalogue too, an archivist reading
    nynorsk reads them in nynorsk (the list keeps the English beside them)."""
    notes: list[Any] = []
    runner = WatchRunner(CaptureOptions(out_dir=tmp_path / "out",
                                        catalog_path=tmp_path / "c.sqlite"),
                         notes.append, clock=lambda: NOW)
    ok, bad = "https://forum.example/t/1", "https://forum.example/t/2"
    for url in (ok, bad):
        watch_url(runner.store, url, now=NOW - timedelta(minutes=10))

    def no_screenshot(url: str, capture_id: str) -> CaptureResult:
        return CaptureResult(url=url, capture_id=capture_id, status=CaptureStatus.FAILED,
                             error=Msg("error.no_screenshot"), error_code="screenshot")

    fakes.script = {ok: published(tmp_path / "out"), bad: no_screenshot}
    probe.pages[ok] = "<html><body><p>Innlegget</p></body></html>"  # states no count
    done = asyncio.run(runner.run_round())
    lines = [render(n.text, "nn", "app") for n in notes if isinstance(n, WatchNote)]
    assert lines == [
        f"Kontrollerer {ok} (første arkivering)",
        f"{ok}: publisert: første arkivering",
        f"{ok}: sida oppgir ikkje talet på svar: tidsplanen åleine avgjer når tråden blir "
        "arkivert att",
        f"Kontrollerer {bad} (første arkivering)",
        f"{bad}: mislukkast: Det kunne ikkje takast noko skjermbilete; ingenting vart "
        "publisert."]
    assert render(done.failed[0].error, "nb", "app") == (
        "Det kunne ikke tas noe skjermbilde; ingenting ble publisert.")
    # read back from the catalogue: still the messages, the English text beside them
    stored = WatchStore(Catalog(tmp_path / "c.sqlite"))
    failed = stored.get(bad)
    assert failed is not None and failed.last_error == (
        "No screenshot could be taken; nothing was published.")
    assert render(failed.last_error, "nn", "app") == (
        "Det kunne ikkje takast noko skjermbilete; ingenting vart publisert.")
    assert failed.to_json()["last_error"] == (
        "No screenshot could be taken; nothing was published.")
    [check] = stored.ledger(bad)
    assert render(check.detail, "nb", "app") == (
        "screenshot: Det kunne ikke tas noe skjermbilde; ingenting ble publisert.")
    looked, first = stored.ledger(ok)  # newest first: the look after the capture
    assert (first.detail, render(first.detail, "nn", "app")) == (
        "first capture", "første arkivering")
    assert render(looked.detail, "nb", "app") == (
        "siden oppgir ikke antall svar: tidsplanen alene avgjør når tråden arkiveres igjen")
    # a later check that succeeds clears the message with the text
    stored.update(bad, last_error=None)
    assert stored.get(bad).last_error is None  # type: ignore[union-attr]
