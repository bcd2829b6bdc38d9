"""``somecapture watch`` on the command line: the list actions and their bad input (exit 2,
what is wrong and the flag to fix, never a traceback). Runs in a separate process with its
own data folder, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from somecapture.cli.status import ExitStatus


def _watch(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    return subprocess.run([sys.executable, "-m", "somecapture", "watch", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def test_add_list_remove(tmp_path: Path) -> None:
    added = _watch(tmp_path, "add", "https://forum.example/t/1", "--schedule", "2h,2d")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Watching https://forum.example/t/1"
    assert "+2h, +2d after publication, then stop" in added.stderr
    account = _watch(tmp_path, "add", "forum.example/@vestvik", "--account")
    assert account.returncode == 0, account.stderr
    listed = _watch(tmp_path, "list", "--json")
    assert listed.returncode == 0
    watched = json.loads(listed.stdout)["watched"]
    assert [(w["url"], w["kind"], w["schedule"], w["status"]) for w in watched] == [
        ("https://forum.example/@vestvik", "account", "1h,6h,1d,3d,1w,30d", "new"),
        ("https://forum.example/t/1", "post", "2h,2d", "new"),
    ]
    assert watched[1]["next_check"] == watched[1]["added_at"]  # due at once
    removed = _watch(tmp_path, "remove", "https://forum.example/t/1")
    assert removed.returncode == 0 and "No longer watched" in removed.stdout
    text = _watch(tmp_path, "list")
    assert "forum.example/t/1" not in text.stdout and "account" in text.stdout


@pytest.mark.parametrize(("args", "expected"), [
    (("add", "file:///etc/passwd"), "file: scheme"),
    (("add", "not a url at all"), "is not a web address"),
    (("add", "https://forum.example/t/1", "--schedule", "6h,1h"), "--schedule"),
    (("add", "https://forum.example/t/1", "--schedule", "tomorrow"), "m = minutes"),
    (("add", "https://forum.example/t/1", "--profile", "../x"), "--profile: Profile name"),
    (("add", "https://forum.example/t/1", "--profile", "fb-gone"),
     "--profile fb-gone: there is no login profile called “fb-gone”"),
    (("remove", "https://forum.example/never-added"), "not on the watch list"),
    (("install-schedule", "--every", "0"), "--every"),
    (("install-schedule", "--every", "7"), "--every 7: give the minutes between rounds as a "
     "number that divides an hour evenly"),
    (("install-schedule", "--config", "/nonexistent/somecapture.toml"),
     "--config: The config file /nonexistent/somecapture.toml does not exist"),
    (("run", "--once", "--cheap-checks", "-1"), "--cheap-checks -1"),
])
def test_bad_input_is_a_clear_usage_error(tmp_path: Path, args: tuple[str, ...],
                                          expected: str) -> None:
    done = _watch(tmp_path, *args)
    assert done.returncode == ExitStatus.USAGE, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_install_schedule_with_an_output_folder_that_cannot_be_used(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    done = _watch(tmp_path, "install-schedule", "--out", str(blocker / "arkiv"))
    assert done.returncode == ExitStatus.USAGE, done.stderr
    assert done.stderr.startswith("Error: --out: Cannot write to the output folder")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_an_address_watched_as_a_thread_is_not_silently_kept_as_one(tmp_path: Path) -> None:
    assert _watch(tmp_path, "add", "https://forum.example/@vestvik").returncode == 0
    again = _watch(tmp_path, "add", "https://forum.example/@vestvik", "--account")
    assert again.returncode == ExitStatus.USAGE
    assert "already watched as a thread" in again.stderr and "--account" in again.stderr
    listed = json.loads(_watch(tmp_path, "list", "--json").stdout)["watched"]
    assert [(w["kind"], "versions" in w) for w in listed] == [("post", True)]


def test_accounts_have_their_own_keys_in_the_list(tmp_path: Path) -> None:
    _watch(tmp_path, "add", "https://forum.example/@vestvik", "--account")
    (account,) = json.loads(_watch(tmp_path, "list", "--json").stdout)["watched"]
    assert (account["posts_found"], account["posts_on_page"]) == (0, None)
    assert "versions" not in account and "replies" not in account


def test_no_action_and_unknown_action(tmp_path: Path) -> None:
    bare = _watch(tmp_path)
    assert bare.returncode == ExitStatus.USAGE and "watch add|list|remove|run" in bare.stderr
    unknown = _watch(tmp_path, "frobnicate")
    assert unknown.returncode == ExitStatus.USAGE and "invalid choice" in unknown.stderr


def test_run_with_nothing_watched_starts_no_browser(tmp_path: Path) -> None:
    done = _watch(tmp_path, "run", "--once", "--json", "--out", str(tmp_path / "out"),
                  "--browser", str(tmp_path / "no-such-browser"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"checked": 0, "published": [], "failed": [],
                                       "unchanged": [], "discovered": [], "skipped": None}


def test_add_keeps_the_items_folder_and_intranet_leave(tmp_path: Path) -> None:
    folder = tmp_path / "arkiv" / "watch"
    added = _watch(tmp_path, "add", "http://intranett.kommune.local/t/1", "--out",
                   str(folder), "--allow-private-network")
    assert added.returncode == 0, added.stderr
    assert f"packages to {folder.resolve()}; private (intranet) addresses allowed" in \
        added.stderr
    assert not folder.exists()  # checked, created by the first round
    (item,) = json.loads(_watch(tmp_path, "list", "--json").stdout)["watched"]
    assert (item["out_dir"], item["allow_private_network"]) == (str(folder.resolve()), True)
    listed = _watch(tmp_path, "list").stdout
    assert f"packages to {folder.resolve()}; private (intranet) addresses allowed" in listed
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    refused = _watch(tmp_path, "add", "https://forum.example/t/2", "--out", str(blocker))
    assert refused.returncode == ExitStatus.USAGE
    assert "--out: Cannot write to the output folder" in refused.stderr


def test_the_watch_list_speaks_the_locales_language(tmp_path: Path) -> None:
    """LANG=nn_NO: what ``watch add``, ``list`` and a refused ``remove`` print is nynorsk,
    the kinds and states of the list too (the JSON stays the same for scripts)."""
    def nynorsk(*args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
        env.update({"LANG": "nn_NO.UTF-8", "XDG_DATA_HOME": str(tmp_path / "data"),
                    "XDG_STATE_HOME": str(tmp_path / "state")})
        return subprocess.run([sys.executable, "-m", "somecapture", "watch", *args],
                              capture_output=True, text=True, timeout=120, env=env)

    added = nynorsk("add", "https://forum.example/t/1", "--schedule", "2h,2d")
    assert added.returncode == 0, added.stderr
    assert "tidsplan: +2t, +2d etter publiseringa, deretter ingen fleire kontrollar" in \
        added.stderr
    account = nynorsk("add", "https://forum.example/@vestvik", "--account")
    assert account.returncode == 0, account.stderr
    listed = nynorsk("list").stdout.splitlines()
    assert listed[0].split() == ["konto", "ny", "https://forum.example/@vestvik"]
    assert [line.split() for line in listed if "/t/1" in line] == [
        ["tråd", "ny", "https://forum.example/t/1"]]
    assert json.loads(nynorsk("list", "--json").stdout)["watched"][1]["kind"] == "post"
    again = nynorsk("add", "https://forum.example/t/1", "--account")
    assert again.returncode == ExitStatus.USAGE
    assert "blir alt følgd som ein tråd" in again.stderr and "--account" in again.stderr
    gone = nynorsk("remove", "https://forum.example/never-added")
    assert gone.returncode == ExitStatus.USAGE
    assert "står ikkje på oppfølgingslista" in gone.stderr
