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
    (("add", "https://forum.example/t/1", "--profile", "../x"), "Profile name"),
    (("remove", "https://forum.example/never-added"), "not on the watch list"),
    (("install-schedule", "--every", "0"), "--every"),
])
def test_bad_input_is_a_clear_usage_error(tmp_path: Path, args: tuple[str, ...],
                                          expected: str) -> None:
    done = _watch(tmp_path, *args)
    assert done.returncode == ExitStatus.USAGE, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


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
