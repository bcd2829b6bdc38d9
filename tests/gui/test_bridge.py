"""The real EngineBridge without a browser: jobs on the engine thread, outcomes as signals on
the GUI thread, cancellation, and the fake bridge's surface matching the real one."""

from __future__ import annotations

import asyncio
import inspect
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QThread, Signal

from somecapture.errors import InputError
from somecapture.gui.bridge import EngineBridge, Job
from tests.gui.fakes import FakeBridge


@pytest.fixture()
def bridge():
    b = EngineBridge()
    yield b
    b.shutdown()


def _public(cls: type) -> dict[str, object]:
    base = set(dir(QObject))
    return {n: getattr(cls, n) for n in dir(cls) if not n.startswith("_") and n not in base}


def test_the_fake_has_the_same_surface_as_the_bridge():
    real, fake = _public(EngineBridge), _public(FakeBridge)
    assert set(real) - {"keep_session_s"} == set(fake) - {
        "auto", "calls", "jobs", "open", "cancel_requests", "shut_down", "last", "args",
        "emit", "finish", "fail", "cancelled"}
    for name, member in real.items():
        if callable(member) and not isinstance(member, Signal) and name in fake:
            assert list(inspect.signature(member).parameters) == list(
                inspect.signature(fake[name]).parameters), name  # type: ignore[arg-type]


def test_a_job_runs_on_the_engine_thread_and_reports_on_the_gui_thread(qtbot, bridge):
    seen: dict[str, object] = {}

    async def work(job: Job) -> int:
        seen["thread"] = threading.current_thread().name
        bridge.event_received.emit(job, "halfway")
        await asyncio.sleep(0.01)
        return 42

    events: list[tuple[object, bool]] = []
    bridge.event_received.connect(
        lambda job, event: events.append((event, QThread.currentThread().isMainThread())))
    with qtbot.waitSignal(bridge.job_finished, timeout=5000) as signal:
        job = bridge.submit("test", work)
    assert signal.args == [job, 42]
    assert seen["thread"] == "somecapture-engine"
    assert events == [("halfway", True)]
    assert not bridge.is_running()


def test_errors_arrive_as_signals(qtbot, bridge):
    async def bad(job: Job) -> None:
        raise InputError("That list has no URLs.")

    async def bug(job: Job) -> None:
        raise ZeroDivisionError("oops")

    with qtbot.waitSignal(bridge.job_failed, timeout=5000) as signal:
        bridge.submit("test", bad)
    assert isinstance(signal.args[1], InputError)
    with qtbot.waitSignal(bridge.job_failed, timeout=5000) as signal:
        bridge.submit("test", bug)
    assert isinstance(signal.args[1], ZeroDivisionError)


def test_cancel_stops_a_running_job_after_it_cleaned_up(qtbot, bridge):
    cleaned = threading.Event()

    async def slow(job: Job) -> None:
        try:
            await asyncio.sleep(60)
        finally:
            cleaned.set()

    with qtbot.waitSignal(bridge.job_started, timeout=5000):
        job = bridge.submit("test", slow)
    with qtbot.waitSignal(bridge.job_cancelled, timeout=5000) as signal:
        bridge.cancel(job)
    assert signal.args == [job]
    assert cleaned.is_set()
    assert not bridge.is_running()


def test_cancelling_a_finished_job_changes_nothing(qtbot, bridge):
    async def quick(job: Job) -> str:
        return "done"

    with qtbot.waitSignal(bridge.job_finished, timeout=5000) as signal:
        job = bridge.submit("test", quick)
    cancelled: list[Job] = []
    bridge.job_cancelled.connect(cancelled.append)
    bridge.cancel(job)
    qtbot.wait(100)
    assert signal.args == [job, "done"] and cancelled == []


def test_quick_queries_run_off_the_gui_thread(qtbot, bridge, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("https://example.org/a\nnot a url\n", encoding="utf-8")
    with qtbot.waitSignal(bridge.job_finished, timeout=10_000) as signal:
        bridge.read_list(listing)
    parsed = signal.args[1]
    assert [i.url for i in parsed.items] == ["https://example.org/a"]
    assert len(parsed.problems) == 1

    with qtbot.waitSignal(bridge.job_finished, timeout=10_000) as signal:
        bridge.catalog_entries(tmp_path / "catalog.sqlite")
    assert signal.args[1] == []

    with qtbot.waitSignal(bridge.job_finished, timeout=30_000) as signal:
        bridge.verify(tmp_path / "not-a-package")
    assert not signal.args[1].ok

    with qtbot.waitSignal(bridge.job_failed, timeout=10_000) as signal:
        bridge.read_list(Path(tmp_path / "missing.txt"))
    assert "does not exist" in str(signal.args[1])


def test_shutdown_cancels_running_jobs(qtbot):
    bridge = EngineBridge()

    async def forever(job: Job) -> None:
        await asyncio.sleep(3600)

    with qtbot.waitSignal(bridge.job_started, timeout=5000):
        bridge.submit("test", forever)
    bridge.shutdown(timeout_s=5)
    assert not bridge._thread.is_alive()
    with pytest.raises(RuntimeError):
        bridge.submit("test", forever)


def test_the_shared_browser_is_reused_only_for_the_same_browser_settings(tmp_path):
    from somecapture.options import CaptureOptions, RecordOptions

    base = CaptureOptions(out_dir=tmp_path)
    same = base.with_changes(out_dir=tmp_path / "other", record=RecordOptions(case="2024/1"))
    assert EngineBridge._key(base) == EngineBridge._key(same)
    for change in ({"proxy": "http://proxy:8080"}, {"ignore_https_errors": True},
                   {"allow_private_network": True}, {"browser_path": "/usr/bin/chromium"}):
        assert EngineBridge._key(base) != EngineBridge._key(base.with_changes(**change)), change
