"""Logged-in capture with a login profile, without the archivist's secrets in the package."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Route, sync_playwright

from somecapture.cli.main import main
from somecapture.cli.status import ExitStatus
from somecapture.engine.browser import launch_args, running_as_root
from somecapture.engine.login import login
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.profiles import list_profiles
from tests.conftest import final_packages, run_capture
from tests.fixtures.site import server as fx
from tests.packaging.pywb_replay import pywb_serving

pytestmark = pytest.mark.browser


def make_profile(name: str, site: fx.FixtureSite, *, keep_local_storage: bool = True) -> None:
    """Log in by script through the same code path `somecapture login` uses
    (``keep_local_storage=False``: the page's local storage is cleared before the window
    closes, as if the site kept nothing there)."""

    async def fill(page: Any) -> None:
        await page.fill("input[name=user]", site.members.user)
        await page.fill("input[name=password]", site.members.password)
        await page.click("button[type=submit]")
        await page.wait_for_selector("#members-app[data-state=ready]", timeout=15_000)
        if not keep_local_storage:
            await page.evaluate("localStorage.clear()")
        await page.context.close()

    asyncio.run(login(name, site.url("/members/login"), CaptureOptions(), headless=True,
                      on_ready=fill))


@pytest.fixture(scope="module")
def members_site() -> Iterator[fx.FixtureSite]:
    with fx.FixtureSite() as s:
        yield s


@pytest.fixture(scope="module")
def logged_in(members_site: fx.FixtureSite, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[CaptureResult, Path]:
    make_profile("members", members_site)
    assert "members" in [p.name for p in list_profiles()]
    out = tmp_path_factory.mktemp("logged-in")
    result = run_capture(members_site.url("/members/post/1"), out, profile="members")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    return result, out


def _all_forms(secret: str) -> list[bytes]:
    return [f.encode() for f in {secret, quote(secret, safe=""), quote(secret, safe="/")}]


def test_thread_captured_logged_in(logged_in: tuple[CaptureResult, Path]) -> None:
    result, _ = logged_in
    texts = [r["text"] for r in result.thread["replies"]]
    assert len(texts) == 5 and texts[0].startswith("Medlemssvar 1")
    session = result.provenance["session"]
    assert session == {"logged_in": True, "profile": "members", "credentials_kept": False}


def test_profile_keeps_the_session_but_never_the_password(
        logged_in: tuple[CaptureResult, Path], members_site: fx.FixtureSite) -> None:
    from somecapture.profiles import profile_path

    folder = profile_path("members")
    prefs = json.loads((folder / "Default" / "Preferences").read_text("utf-8"))
    # the browser's password manager is off in login profiles: nothing offers to save one
    assert prefs["credentials_enable_service"] is False
    assert prefs["profile"]["password_manager_enabled"] is False
    password = members_site.members.password.encode()
    holding = [str(p) for p in folder.rglob("*") if p.is_file() and p.stat().st_size < 50e6
               and password in p.read_bytes()]
    assert holding == []


def test_no_secret_anywhere_in_the_package(logged_in: tuple[CaptureResult, Path],
                                           members_site: fx.FixtureSite) -> None:
    result, _ = logged_in
    assert result.package is not None
    files = [p for p in result.package.rglob("*") if p.is_file()]
    assert len(files) >= 9  # payload and tag files
    for path in files:
        data = path.read_bytes()
        for secret in members_site.members.values():
            for form in _all_forms(secret):
                assert form not in data, f"a secret is in {path.relative_to(result.package)}"
    red = result.provenance["redaction"]["redacted"]
    assert red.get("request:cookie") and red.get("request:authorization")
    assert red.get("query:access_token") and red.get("body")
    warc = (result.package / "data" / "capture.warc").read_bytes()
    assert b"REDACTED-BY-SOMECAPTURE" in warc
    assert b"Authorization: REDACTED-BY-SOMECAPTURE" in warc


def test_redacted_warc_still_replays(logged_in: tuple[CaptureResult, Path],
                                     members_site: fx.FixtureSite, tmp_path: Path) -> None:
    # The profile carries the page's local storage, where this page keeps its API token: a
    # capture with it never fetches the token (the page has it), and a replay, which has no
    # local storage, cannot run the page's script. A profile without local storage makes the
    # page fetch the token during the capture, so the WARC holds every response the replay
    # asks for.
    make_profile("members-no-storage", members_site, keep_local_storage=False)
    result = run_capture(members_site.url("/members/post/1"), tmp_path / "out",
                         profile="members-no-storage")
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    warc = result.package / "data" / "capture.warc"
    url = members_site.url("/members/post/1")
    with pywb_serving(warc, tmp_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or None,
                                    args=launch_args(), chromium_sandbox=not running_as_root())
        try:
            page = browser.new_page()

            def only_pywb(route: Route) -> None:
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    route.abort()

            page.route("**/*", only_pywb)
            page.goto(f"{base}/somecapture/{url}", wait_until="load", timeout=60_000)
            frame = page.frame_locator("iframe#replay_iframe")
            reply = frame.locator("li.reply[data-reply-id='m1r3'] .reply-text")
            assert "Medlemssvar 3" in reply.inner_text(timeout=30_000)
        finally:
            browser.close()


def test_expired_session_says_log_in_again(logged_in: tuple[CaptureResult, Path],
                                           tmp_path: Path) -> None:
    # a new site instance has new session secrets: the profile's cookie is no longer valid
    with fx.FixtureSite() as other:
        result = run_capture(other.url("/members/post/1"), tmp_path, profile="members")
    assert result.status is CaptureStatus.FAILED
    assert result.error_code == "profile_logged_out"
    assert "somecapture login members" in (result.error or "")
    assert final_packages(tmp_path) == []


def test_missing_profile_is_a_clear_error(site: fx.FixtureSite, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["capture", site.url("/gzip/page"), "--out", str(tmp_path / "out"),
                 "--profile", "no-such-profile", "--allow-private-network"])
    # a usage error said before any browser starts (issue 22), not a failed capture
    assert code == ExitStatus.USAGE
    err = capsys.readouterr().err
    assert "--profile no-such-profile: there is no login profile called “no-such-profile”" \
        in err and "somecapture login" in err
    assert not (tmp_path / "out").exists()


def test_keep_credentials_is_opt_in_and_recorded(members_site: fx.FixtureSite,
                                                 logged_in: tuple[CaptureResult, Path],
                                                 tmp_path: Path) -> None:
    result = run_capture(members_site.url("/members/post/1"), tmp_path, profile="members",
                         keep_credentials=True)
    assert result.status is CaptureStatus.COMPLETE, result.error
    assert result.package is not None
    warc = (result.package / "data" / "capture.warc").read_bytes()
    assert members_site.members.session.encode() in warc
    meta = json.loads((result.package / "data" / "capture-metadata.json").read_text("utf-8"))
    assert meta["provenance"]["session"]["credentials_kept"] is True
    assert meta["options"]["keep_credentials"] is True


def test_profiles_cli(logged_in: tuple[CaptureResult, Path],
                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "--json"]) == ExitStatus.OK
    names = [p["name"] for p in json.loads(capsys.readouterr().out)["profiles"]]
    assert "members" in names
    assert main(["profiles", "--delete", "nope"]) == ExitStatus.ERROR
    assert "no profile called “nope”" in capsys.readouterr().err
    assert main(["login", "../evil"]) == ExitStatus.USAGE


def test_also_public_adds_the_logged_out_view(members_site: fx.FixtureSite,
                                              logged_in: tuple[CaptureResult, Path],
                                              tmp_path: Path) -> None:
    result = run_capture(members_site.url("/members/post/1"), tmp_path, profile="members",
                         also_public=True)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    data = result.package / "data"
    assert (data / "public" / "capture.warc").is_file()
    assert (data / "public" / "screenshot.png").is_file()
    meta = json.loads((data / "capture-metadata.json").read_text("utf-8"))
    public = meta["public_view"]
    assert public["thread"]["replies"] == []  # logged out, the replies are behind the wall
    assert len(meta["thread"]["replies"]) == 5
    assert "public/capture.warc" in (data / "arkivmelding.xml").read_text("utf-8")
    for path in result.package.rglob("*"):
        if path.is_file():
            blob = path.read_bytes()
            for secret in members_site.members.values():
                assert secret.encode() not in blob, path
    assert main(["verify", str(result.package)]) == ExitStatus.OK


def test_token_in_the_page_url_is_kept_out_of_every_record(
    members_site: fx.FixtureSite, logged_in: tuple[CaptureResult, Path], tmp_path: Path
) -> None:
    token = "sig-" + "9f8e7d6c5b4a3210"
    url = members_site.url(f"/members/post/1?sig={token}")
    catalog = tmp_path / "catalog.sqlite"
    result = run_capture(url, tmp_path / "out", profile="members", catalog_path=catalog)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    assert result.package is not None
    assert token not in result.url and token not in (result.final_url or "")
    assert token not in result.package.name
    for path in [*result.package.rglob("*"), catalog]:
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
