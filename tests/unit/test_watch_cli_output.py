"""What ``somecapture watch list`` and ``watch run`` print: times in Europe/Oslo with the
zone (as the capture sheets), checks counted as they were made, each failure once."""

from __future__ import annotations

from typing import Any

import pytest

from somecapture.cli.console import Console
from somecapture.cli.watch_cmd import _checks_line, _listener, _report, _when
from somecapture.watch.runner import FailedCheck, WatchNote, WatchRound
from somecapture.watch.store import WatchItem


def test_times_are_shown_in_oslo_time_with_the_zone() -> None:
    assert _when("2026-12-07T09:19:00Z") == "2026-12-07 10:19 CET"
    assert _when("2026-06-07T09:19:00Z") == "2026-06-07 11:19 CEST"
    assert _when(None) == "-"


def test_a_failed_item_says_its_failed_checks() -> None:
    failed = WatchItem(url="https://forum.example/t/1", kind="post", schedule="1h",
                       added_at="2026-12-07T08:00:00Z", status="failed",
                       last_check="2026-12-07T09:19:00Z", next_check="2026-12-07T10:19:00Z",
                       checks=0, failures=2)
    assert _checks_line(failed) == ("last 2026-12-07 10:19 CET, next 2026-12-07 11:19 CET, "
                                    "0 successful checks, 2 failed")
    later = WatchItem(url=failed.url, kind="post", schedule="1h", added_at=failed.added_at,
                      checks=3, failures=1, last_check=failed.last_check)
    assert _checks_line(later).endswith(
        "3 successful checks, 1 failed since the last that succeeded")
    fine = WatchItem(url=failed.url, kind="post", schedule="1h", added_at=failed.added_at,
                     checks=3)
    assert _checks_line(fine) == "last -, next -, 3 successful checks"
    assert _checks_line(fine, "nn") == "sist -, neste -, 3 vellukka kontrollar"
    one = WatchItem(url=failed.url, kind="post", schedule="1h", added_at=failed.added_at,
                    checks=1)
    assert _checks_line(one, "nb") == "sist -, neste -, 1 vellykket kontroll"


def test_a_failure_is_printed_once(capsys: pytest.CaptureFixture[str]) -> None:
    console = Console()
    listen: Any = _listener(console)
    listen(WatchNote("Checking https://forum.example/t/1"))
    listen(WatchNote("https://forum.example/t/1: failed: the page did not load", failed=True))
    done = WatchRound(checked=1, failed=[FailedCheck(
        "https://forum.example/t/1", "the page did not load", "navigation")])
    _report(done, console, as_json=False)
    err = capsys.readouterr().err
    assert err.count("the page did not load") == 1
    assert "Error: https://forum.example/t/1: the page did not load" in err
    assert "Checking https://forum.example/t/1" in err
