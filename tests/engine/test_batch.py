"""Batches over fixture URLs: failures do not stop the batch, transient ones are retried,
concurrency does not change results, a killed batch resumes without duplicates."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from somecapture import batch as batch_module
from somecapture.batch import REPORT_COLUMNS, BatchOptions, BatchResult, BatchRunner
from somecapture.batchinput import parse_list_bytes
from somecapture.engine.page_steps import PageSteps
from somecapture.events import (
    CaptureFinished,
    CaptureStarted,
    Event,
    StepFinished,
    StepStarted,
)
from somecapture.messages import Msg, render
from somecapture.package.builder import PackageBuilder
from tests.conftest import fast_options, final_packages
from tests.english import english_in
from tests.fixtures.site import server as fx

pytestmark = pytest.mark.browser


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_batch(urls: list[str], out: Path, concurrency: int,
               listener: Callable[[Event], None] | None = None, **opts: Any) -> BatchResult:
    listing = tmp_list(out.parent / f"{out.name}.txt", urls)
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    options = fast_options(out, catalog_path=out.parent / f"{out.name}.sqlite",
                           load_timeout_s=3, **opts)
    runner = BatchRunner(options, BatchOptions(concurrency=concurrency, retries=1,
                                               retry_backoff_s=0.2), listener)
    batch_id = runner.start(parsed, listing)
    return asyncio.run(runner.run(batch_id))


def tmp_list(path: Path, urls: list[str]) -> Path:
    path.write_text("\n".join(urls) + "\n", "utf-8")
    return path


@pytest.fixture()
def crash_once(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Crash the renderer (CDP Page.crash) during expansion the first time a URL with
    ``crash`` in it is captured: a crashing tab, injected at a chosen moment."""
    crashed: list[str] = []
    original = PageSteps.expand

    async def expand(self: Any, budget: float) -> str:
        url, cdp = self.state.url, self.state.cdp
        if "crash" in url and url not in crashed:
            crashed.append(url)
            try:
                await asyncio.wait_for(cdp.send("Page.crash"), 2)
            except Exception:  # noqa: BLE001 - the session dies with the renderer
                pass
            await asyncio.sleep(0.5)
        result: str = await original(self, budget)
        return result

    monkeypatch.setattr(PageSteps, "expand", expand)
    return crashed


def _mixed_urls(site: fx.FixtureSite) -> list[str]:
    return [
        site.url("/post/1?noconsent=1"),
        site.url("/gzip/page"),
        f"http://127.0.0.1:{_free_port()}/unreachable",
        site.url("/status/404"),
        site.url("/slow?ms=8000"),  # beyond the 3 s load budget: a timeout
        site.url("/post/1?noconsent=1&crash=1"),
    ]


def test_batch_goes_on_past_failures_and_retries_transient_ones(
    site: fx.FixtureSite, tmp_path: Path, crash_once: list[str]
) -> None:
    urls = _mixed_urls(site)
    result = _run_batch(urls, tmp_path / "out", concurrency=2)
    by_url = {i.url: i for i in result.items}
    assert [i.url for i in result.items] == urls  # list order
    assert by_url[urls[0]].status == "complete"
    assert by_url[urls[1]].status == "complete"
    assert by_url[urls[2]].status == "failed" and "refused" in (by_url[urls[2]].error or "")
    assert by_url[urls[3]].status == "failed" and "404" in (by_url[urls[3]].error or "")
    assert by_url[urls[3]].attempts == 1  # a 404 is not retried
    assert by_url[urls[4]].status == "failed"
    assert by_url[urls[4]].attempts == 2  # a timeout is retried (retries=1)
    # the tab crashed on the first attempt and was captured on the second
    assert crash_once == [urls[5]]
    assert by_url[urls[5]].status == "complete", by_url[urls[5]]
    assert by_url[urls[5]].attempts == 2
    packages = final_packages(tmp_path / "out")
    assert len(packages) == 3
    report = json.loads(result.report_json.read_text("utf-8")) if result.report_json else {}
    assert report["complete"] == 3 and report["failed"] == 3
    csv_text = result.report_csv.read_text("utf-8") if result.report_csv else ""
    assert csv_text.splitlines()[0] == ("line,url,status,title,platform,sender,"
                                        "replies_captured,replies_reported,package,warnings,"
                                        "error,error_code,attempts")
    assert len(csv_text.splitlines()) == 7
    # the report tells the captures apart: who sent the post, its title, its replies
    rows = {r["url"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    post = rows[urls[0]]
    assert post["sender"] == fx.ROOT_AUTHOR_NAME
    assert post["title"] == f"{post['platform']}: {fx.ROOT_AUTHOR_NAME} – {fx.ROOT_TEXT}", post
    assert post["replies_captured"] == post["replies_reported"] == str(fx.COMMENT_COUNT)
    assert rows[urls[3]]["sender"] == "" and rows[urls[3]]["replies_captured"] == ""
    json_row = next(r for r in report["results"] if r["url"] == urls[0])
    assert json_row["sender"] == fx.ROOT_AUTHOR_NAME
    assert json_row["replies_captured"] == fx.COMMENT_COUNT
    # the same report for a nynorsk archivist: column names, statuses and errors in nynorsk,
    # the error's code beside it; the JSON keeps its keys and the English texts
    out = tmp_path / "out"
    nynorsk = BatchRunner(fast_options(out, catalog_path=out.parent / "out.sqlite"),
                          BatchOptions(report_language="nn")).write_report(result.batch_id)
    assert nynorsk.report_csv is not None and nynorsk.report_json is not None
    nn_rows = list(csv.reader(io.StringIO(nynorsk.report_csv.read_text("utf-8"))))
    header = nn_rows[0]
    assert header == [render(Msg(f"batch.report.column.{c}"), "nn") for c in REPORT_COLUMNS]
    assert header != list(REPORT_COLUMNS)
    by_line = {r[1]: dict(zip(REPORT_COLUMNS, r, strict=True)) for r in nn_rows[1:]}
    gone = by_line[urls[3]]
    assert gone["status"] == render(Msg("batch.report.status.failed"), "nn")
    assert gone["error_code"] and gone["error"] == render(by_url[urls[3]].error, "nn")
    assert gone["error"] != by_url[urls[3]].error  # not the English text
    assert "404" in gone["error"]
    # (the server's own reason phrase, "Not Found", is its words, quoted as sent)
    assert not english_in(gone["error"].replace("Not Found", "")), gone["error"]
    assert by_line[urls[0]]["status"] == render(Msg("batch.report.status.complete"), "nn")
    json_again = json.loads(nynorsk.report_json.read_text("utf-8"))
    again_row = next(r for r in json_again["results"] if r["url"] == urls[3])
    assert again_row["error"] == by_url[urls[3]].error and again_row["error_code"]


def test_concurrency_1_and_4_give_the_same_results(site: fx.FixtureSite, tmp_path: Path
                                                  ) -> None:
    urls = [site.url(f"/post/1?noconsent=1&n={n}") for n in range(3)] + [
        site.url("/gzip/page"), site.url("/status/500")]
    one = _run_batch(urls, tmp_path / "c1", concurrency=1)
    four = _run_batch(urls, tmp_path / "c4", concurrency=4)
    assert [(i.url, i.status) for i in one.items] == [(i.url, i.status) for i in four.items]
    assert len(final_packages(tmp_path / "c1")) == len(final_packages(tmp_path / "c4")) == 4


def test_the_next_page_loads_while_the_previous_capture_packages(
        site: fx.FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Concurrency 1: one recording at a time, the next one starting as soon as the previous
    capture's recording is done (when a worker is free), while it packages; a packaging that
    finds the next capture under way begins only once that page has loaded; never more than
    two captures at once."""
    original = PackageBuilder.build_and_publish

    def slow(self: PackageBuilder, *args: Any, **kwargs: Any) -> Any:
        # packaging a second longer than it takes: the overlap cannot be missed
        time.sleep(1.0)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PackageBuilder, "build_and_publish", slow)
    # however slow this machine, a packaging waits for the next page load, not its limit
    monkeypatch.setattr(batch_module, "YIELD_S", 60.0)
    events: list[Event] = []
    urls = [site.url(f"/post/1?noconsent=1&n={n}") for n in range(3)] + [
        site.url("/status/404"), site.url("/gzip/page")]
    result = _run_batch(urls, tmp_path / "out", concurrency=1, listener=events.append)
    assert [(i.url, i.status) for i in result.items] == [
        (u, "failed" if "404" in u else "complete") for u in urls]
    assert len(final_packages(tmp_path / "out")) == 4
    started: dict[str, int] = {}
    navigated: dict[str, int] = {}  # the page's first step ended (or the capture did)
    recorded: dict[str, int] = {}  # the page's last step ended (or the capture did)
    packaging: dict[str, int] = {}
    finished: dict[str, int] = {}
    url_of: dict[str, str] = {}
    running, most = 0, 0
    for index, event in enumerate(events):
        if isinstance(event, CaptureStarted):
            started[event.url] = index
            url_of[event.capture_id] = event.url
            running += 1
            most = max(most, running)
        elif isinstance(event, StepStarted) and event.step == "package":
            packaging[url_of[event.capture_id]] = index
        elif isinstance(event, StepFinished) and event.step not in ("package", "seal"):
            navigated.setdefault(url_of[event.capture_id], index)
            recorded[url_of[event.capture_id]] = index
        elif isinstance(event, CaptureFinished):
            finished[event.url] = index
            navigated.setdefault(event.url, index)
            recorded.setdefault(event.url, index)
            running -= 1
    assert list(started) == urls  # in list order
    assert most == 2
    waited = 0
    for before, after in zip(urls, urls[1:], strict=False):
        # one recording at a time
        assert recorded[before] < started[after], (before, after)
        if before in packaging:
            # this capture packaged while the next one recorded
            assert started[after] < finished[before], (before, after)
            if started[after] < packaging[before]:
                # the next capture was under way (a free worker took it): its page loaded
                # first. (With both workers busy, the previous one still packaging, the next
                # capture starts once that one ends: concurrency + 1 captures at most.)
                assert navigated[after] < packaging[before] < finished[before], (before, after)
                waited += 1
    assert waited >= 1, "no packaging ever waited for the next page load"


def _requested_urls(out: Path) -> list[str]:
    urls = []
    for package in final_packages(out):
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
        urls.append(meta["requested_url"])
    return sorted(urls)


@pytest.mark.slow
def test_kill_9_mid_batch_then_resume(site: fx.FixtureSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    urls = [site.url(f"/post/1?noconsent=1&k={n}") for n in range(6)]
    listing = tmp_list(tmp_path / "list.txt", urls)
    cmd = [sys.executable, "-m", "somecapture", "batch", str(listing), "--out", str(out),
           "--concurrency", "2", "--allow-private-network"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(final_packages(out)) < 2:
        time.sleep(0.05)
    # kill the whole process group (CLI, Playwright driver, browser) without warning
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(30)
    before = len(final_packages(out))
    assert 2 <= before < len(urls), before
    # nothing half-written under a final name: every published folder verifies
    for package in final_packages(out):
        check = subprocess.run([sys.executable, "-m", "somecapture", "verify", str(package)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    # without --resume the unfinished batch is pointed out, nothing runs
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "--resume" in again.stderr
    resumed = subprocess.run(cmd + ["--resume", "--json"], capture_output=True, text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    data = json.loads(resumed.stdout)
    assert sorted(r["url"] for r in data["results"]) == sorted(urls)
    assert all(r["status"] == "complete" for r in data["results"])
    # exactly one package per URL, and no staging leftovers
    assert _requested_urls(out) == sorted(urls)
    staging = out / ".somecapture-staging"
    assert not staging.exists() or not any(staging.iterdir())
    # a second resume has nothing left to do
    third = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=60)
    assert third.returncode == 2 and "no unfinished batch" in third.stderr


def test_a_running_batch_cannot_be_resumed_by_a_second_process(
        site: fx.FixtureSite, tmp_path: Path) -> None:
    """Two runners of one batch would capture items twice: the second is refused (exit 2,
    what to do), the first finishes untouched with one package per URL."""
    out = tmp_path / "out"
    urls = [site.url(f"/slow?ms=2500&n={n}") for n in range(3)]
    listing = tmp_list(tmp_path / "list.txt", urls)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "somecapture", "batch", str(listing), "--out", str(out),
           "--concurrency", "1", "--allow-private-network"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env)
    try:
        # the first runner holds the batch once its first capture is staging
        deadline = time.monotonic() + 60
        staging = out / ".somecapture-staging"
        while time.monotonic() < deadline and not (staging.is_dir() and any(staging.iterdir())):
            time.sleep(0.05)
        assert staging.is_dir() and any(staging.iterdir()), "the first runner never started"
        second = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, env=env,
                                timeout=60)
        assert second.returncode == 2, second.stderr
        assert "already running" in second.stderr and "Traceback" not in second.stderr
        _stdout, stderr = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(10)
    assert first.returncode == 0, stderr
    assert _requested_urls(out) == sorted(urls)
    # the lock went with the first runner: a resume now says there is nothing to resume
    third = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, env=env,
                           timeout=60)
    assert third.returncode == 2 and "no unfinished batch" in third.stderr


def test_report_accounts_for_every_line(site: fx.FixtureSite, tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    ok = site.url("/gzip/page")
    listing.write_text(f"# uke 47\n{ok}\nfile:///etc/passwd\n{ok}\n", "utf-8")
    parsed = parse_list_bytes(listing.read_bytes(), str(listing))
    out = tmp_path / "out"
    runner = BatchRunner(fast_options(out, catalog_path=tmp_path / "c.sqlite"),
                         BatchOptions(concurrency=1))
    result = asyncio.run(runner.run(runner.start(parsed, listing)))
    assert result.report_json is not None
    report = json.loads(result.report_json.read_text("utf-8"))
    rows = {r["line"]: r for r in report["results"]}
    assert sorted(rows) == [2, 3, 4]
    assert rows[2]["status"] == "complete"
    assert rows[3]["status"] == "invalid" and "file: scheme" in rows[3]["error"]
    assert rows[4]["status"] == "duplicate" and "line 2" in rows[4]["error"]
    assert report["invalid"] == 1 and report["duplicate"] == 1
