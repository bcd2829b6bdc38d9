"""Watch with a real browser against a forum on 127.0.0.1 whose thread and account change
between rounds, as the test says (tests/fixtures/watch_site.py).

A watched thread: the first round captures it; the forum then gains two replies, one reply
is edited and one hidden; the next round's cheap check sees the reply count change and the
re-capture is published as version 2 with exactly those changes; a third round finds nothing
new and publishes nothing, which the ledger records as a check. An account: its page and
Atom feed give its posts, and a post it gains later is found and captured. A round killed
with ``kill -9`` is finished by the next one, with one package per thread.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from somecapture.catalog import Catalog
from somecapture.cli.main import main
from somecapture.watch.runner import WatchRunner
from somecapture.watch.store import WatchStore, iso, watch_url
from tests.conftest import fast_options, final_packages
from tests.fixtures.static_pages import loopback_only
from tests.fixtures.watch_site import ACCOUNT_HANDLE, Post, Reply, WatchSite, stamp

pytestmark = pytest.mark.browser


def _metadata(package: str | Path) -> dict[str, Any]:
    return json.loads((Path(package) / "data" / "capture-metadata.json").read_text("utf-8"))


class Cli:
    """``somecapture`` run in this process (one browser start per round, no interpreter
    start), with its own data folder; the loopback-only rule of the suite applies."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
        self.capsys = capsys
        self.out = tmp_path / "out"
        self.catalog = Catalog(tmp_path / "data" / "somecapture" / "catalog.sqlite")

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        with loopback_only():
            code = main(list(args))
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def run(self, *extra: str) -> dict[str, Any]:
        code, out, err = self("watch", "run", "--once", "--json", "--allow-private-network",
                              "--no-timestamp", "--out", str(self.out), *extra)
        assert code == 0, err
        data: dict[str, Any] = json.loads(out)
        return data


def test_a_thread_gains_a_version_with_exactly_its_changes_then_nothing_new(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path, monkeypatch, capsys)
    with WatchSite() as site:
        url = site.url("/thread/1")
        code, out, _err = cli("watch", "add", url)
        assert code == 0 and out.strip() == f"Watching {url}"

        first = cli.run("--now")
        assert first["checked"] == 1 and first["failed"] == []
        (v1,) = first["published"]
        assert (v1["url"], v1["previous"]) == (url, None)
        assert [r["id"] for r in _metadata(v1["package"])["thread"]["replies"]] == [
            "c1", "c2", "c3"]

        # between the rounds: two replies, an edit, a reply the forum no longer shows
        site.add_reply("1", Reply("c4", "Anne Lie", "annel", stamp(site.published, 30),
                                  "Kan syklister fortsatt bruke gata?"))
        site.add_reply("1", Reply("c5", "Jon Dahl", "jond", stamp(site.published, 31),
                                  "Flott tiltak."))
        site.edit_reply("1", "c2", "Hva med varelevering? Den må fortsatt gå.")
        site.hide_reply("1", "c3")

        # eleven minutes later (the cheap check looks at most every ten minutes); not due by
        # the schedule (+1 h after publication): the cheap check sees 4 replies where 3 were
        store = WatchStore(cli.catalog)
        (item,) = store.items()
        # right after the capture the cheap check read its own baseline: the 3 replies
        assert item.cheap_count == 3
        earlier = iso(datetime.now(UTC) - timedelta(minutes=11))
        store.update(url, last_check=earlier, last_cheap=earlier)
        second = cli.run()
        assert second["failed"] == []
        (v2,) = second["published"]
        assert v2["previous"] == v1["capture_id"]
        assert (v2["new_replies"], v2["edited"], v2["no_longer_observed"]) == (2, 1, 1)
        meta = _metadata(v2["package"])
        assert meta["previous_capture"] == v1["capture_id"]
        changes = meta["changes"]
        assert changes["first_capture"] == v1["capture_id"] and changes["version"] == 2
        assert [(r["id"], r["author"], r["text"]) for r in changes["new_replies"]] == [
            ("c4", "Anne Lie", "Kan syklister fortsatt bruke gata?"),
            ("c5", "Jon Dahl", "Flott tiltak.")]
        assert [(r["id"], r["text_before"], r["text"]) for r in changes["edited_replies"]] == [
            ("c2", "Hva med varelevering til butikkene?",
             "Hva med varelevering? Den må fortsatt gå.")]
        assert [(r["id"], r["text"]) for r in changes["no_longer_observed"]] == [
            ("c3", "Dette er en dårlig idé.")]
        assert changes["root_edited"] is False

        third = cli.run("--now")
        assert third["checked"] == 1
        assert third["published"] == [] and third["failed"] == []
        assert third["unchanged"] == [url]

    # two packages, both in the catalogue, the second naming the first
    assert len(final_packages(cli.out)) == 2
    entries = {e.capture_id: e for e in cli.catalog.entries()}
    assert set(entries) == {v1["capture_id"], v2["capture_id"]}
    assert entries[v2["capture_id"]].previous_capture == v1["capture_id"]
    assert entries[v1["capture_id"]].previous_capture is None
    # the ledger: the unchanged re-capture is on record as a check
    ledger = WatchStore(cli.catalog).ledger(url)
    assert [(e.kind, e.outcome) for e in reversed(ledger)] == [
        ("capture", "published"), ("cheap", "count changed"), ("capture", "published"),
        ("capture", "unchanged")]
    assert ledger[0].previous_capture == v2["capture_id"] and ledger[0].package is None
    (item,) = WatchStore(cli.catalog).items()
    assert (item.versions, item.checks, item.status) == (2, 3, "watching")

    # both packages verify (XSD, cross-references with the arkivmelding's version links)
    code, out, err = cli("verify", v1["package"], v2["package"])
    assert code == 0, out + err
    # the arkivmelding of version 2 files it in the case folder the first one asked for
    from lxml import etree
    ns = {"a": "http://www.arkivverket.no/standarder/noark5/arkivmelding"}
    first_xml, second_xml = (etree.parse(str(Path(p) / "data" / "arkivmelding.xml"))
                             for p in (v1["package"], v2["package"]))
    assert second_xml.findtext("a:mappe/a:systemID", namespaces=ns) == \
        first_xml.findtext("a:mappe/a:systemID", namespaces=ns)
    assert second_xml.findtext("a:mappe/a:basisregistrering/a:kryssreferanse/"
                               "a:referanseTilRegistrering", namespaces=ns) == v1["capture_id"]
    if shutil.which("pdftotext"):
        sheet = subprocess.run(["pdftotext", "-enc", "UTF-8", "-l", "1",
                                str(Path(v2["package"]) / "data" / "screenshot.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
        flat = " ".join(sheet.split())
        assert "Nytt svar: Anne Lie (@annel): «Kan syklister fortsatt bruke gata?»" in flat
        assert "Ikke lenger observert: Per Berg (@perb)" in flat


def test_an_account_page_and_its_feed_give_its_posts_and_a_new_one_is_found(
        tmp_path: Path) -> None:
    with WatchSite() as site:
        # post 2 is in the account's Atom feed only; post 1 also on the page (a permalink)
        site.add_post(Post("2", stamp(site.published, 5), "Søknadsfristen er forlenget.",
                           feed_only=True))
        options = fast_options(tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
        runner = WatchRunner(options)
        account = site.url(f"/@{ACCOUNT_HANDLE}")
        watch_url(runner.store, account, account=True)
        with loopback_only():
            first = asyncio.run(runner.run_round())
        assert first.failed == []
        assert sorted(first.discovered) == [site.url("/thread/1"), site.url("/thread/2")]
        assert sorted(p.url for p in first.published) == sorted(first.discovered)
        # the feed's publication time is the schedule's start
        items = {i.url: i for i in runner.store.items()}
        assert items[site.url("/thread/2")].published_at == stamp(site.published, 5)
        assert items[site.url("/thread/2")].account_url == account

        site.add_post(Post("3", stamp(site.published, 15), "Nytt innlegg om brøyting."))
        runner.store.update(account, next_check=iso(runner.clock()))  # an hour has passed
        with loopback_only():
            second = asyncio.run(runner.run_round())
        assert second.discovered == [site.url("/thread/3")]
        assert [p.url for p in second.published] == [site.url("/thread/3")]
        # the two posts already captured were not due: only the account and the new post
        assert second.checked == 2
    assert len(final_packages(tmp_path / "out")) == 3


@pytest.mark.slow
def test_kill_9_during_a_watch_run_then_the_next_run_finishes_it(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    out = tmp_path / "out"
    with WatchSite() as site:
        for n in ("2", "3"):
            site.add_post(Post(n, stamp(site.published, int(n)), f"Innlegg {n}"))
        urls = [site.url(f"/thread/{n}") for n in ("1", "2", "3")]
        base = [sys.executable, "-m", "somecapture", "watch"]
        for url in urls:
            subprocess.run([*base, "add", url], env=env, check=True, capture_output=True)
        run = [*base, "run", "--once", "--allow-private-network", "--no-timestamp",
               "--out", str(out)]
        proc = subprocess.Popen([*run, "--now"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not final_packages(out):
            time.sleep(0.05)
        # the whole process group (CLI, Playwright driver, browser), without warning
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        before = {_metadata(p)["requested_url"] for p in final_packages(out)}
        assert 1 <= len(before) < 3, before
        again = subprocess.run([*run, "--json"], env=env, capture_output=True, text=True,
                               timeout=300)
        assert again.returncode == 0, again.stderr
        done = json.loads(again.stdout)
        # the threads the killed round did not get to are captured now (a package it
        # published but could not note is reported here too: it printed nothing)
        assert set(urls) - before <= {p["url"] for p in done["published"]}
    # one package per thread, no staging left, each item at version 1
    captured = sorted(_metadata(p)["requested_url"] for p in final_packages(out))
    assert captured == sorted(urls)
    staging = out / ".somecapture-staging"
    assert not staging.exists() or not [p for p in staging.iterdir() if p.is_dir()]
    catalog = Catalog(tmp_path / "data" / "somecapture" / "catalog.sqlite")
    store = WatchStore(catalog)
    assert [(i.versions, i.running_capture) for i in store.items()] == [(1, None)] * 3
    assert sorted(e.url for e in catalog.entries()) == sorted(urls)
    published = [e for url in urls for e in store.ledger(url) if e.outcome == "published"]
    assert len(published) == 3


def test_a_look_with_the_login_check_sees_a_login_form(tmp_path: Path) -> None:
    """The account page a login profile whose session expired gets: the probe's login check
    (the platform's adapter, here the generic one) says so; without it, nothing is said."""
    from somecapture.engine.browser import BrowserSession
    from somecapture.engine.probe import PageProbe

    options = fast_options(tmp_path / "out", catalog_path=tmp_path / "c.sqlite")

    async def looks(site: WatchSite) -> list[str | None]:
        account = site.url(f"/@{ACCOUNT_HANDLE}")
        async with BrowserSession(options) as session, PageProbe(
                session, allow_private_network=True) as probe:
            seen = [(await probe.look(account, login_check=True)).logged_out]
            site.login_required = True
            seen.append((await probe.look(account, login_check=True)).logged_out)
            seen.append((await probe.look(account)).logged_out)
        return seen

    with WatchSite() as site, loopback_only():
        assert asyncio.run(looks(site)) == [None, "login form", None]
