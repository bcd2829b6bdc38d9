"""The Watch view's work, run on the engine thread through the bridge's ``submit``.

Each function returns the job function a view submits (``bridge.submit(kind, fn)``); what
the job ends with is written on each. They import the watch (and through it the engine) only
when they run, on the engine thread: the GUI thread never does.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from somecapture.gui.bridge import Job, JobFunction
from somecapture.gui.contract import EngineBridgeProtocol
from somecapture.options import CaptureOptions

# job kinds (views tell their jobs apart by them)
LIST, ADD, REMOVE, ROUND, CHANGES = ("watch_list", "watch_add", "watch_remove", "watch_round",
                                     "watch_changes")


def _store(catalog_path: Path | None) -> Any:
    from somecapture.catalog import Catalog
    from somecapture.watch.store import WatchStore

    return WatchStore(Catalog(catalog_path))


def list_items(catalog_path: Path | None) -> JobFunction:
    """The watch list: ends with ``list[WatchItem]``."""
    async def run(job: Job) -> Any:
        return await asyncio.to_thread(lambda: _store(catalog_path).items())
    return run


def add_item(catalog_path: Path | None, url: str, *, account: bool,
             schedule: str | None) -> JobFunction:
    """Watch ``url``: ends with ``(WatchItem, added)``; bad input fails the job with the
    message to show (InvalidURLError, ScheduleSpecError)."""
    def add() -> Any:
        from somecapture.watch.store import watch_url

        return watch_url(_store(catalog_path), url, account=account, schedule=schedule)

    async def run(job: Job) -> Any:
        return await asyncio.to_thread(add)
    return run


def remove_item(catalog_path: Path | None, url: str) -> JobFunction:
    """Stop watching ``url``: ends with the ``WatchItem`` it was."""
    def remove() -> Any:
        from somecapture.watch.store import unwatch_url

        return unwatch_url(_store(catalog_path), url)

    async def run(job: Job) -> Any:
        return await asyncio.to_thread(remove)
    return run


def run_round(bridge: EngineBridgeProtocol, options: CaptureOptions, *,
              now: bool = False) -> JobFunction:
    """One watch round with the app's capture options: its events (the captures' and
    ``WatchNote``), then a ``WatchRound``."""
    async def run(job: Job) -> Any:
        from somecapture.watch.runner import WatchRunner

        runner = WatchRunner(options, lambda event: bridge.event_received.emit(job, event))
        return await runner.run_round(now=now)
    return run


def read_changes(package: str) -> JobFunction:
    """The ``changes`` section of a package's metadata (None for a first capture or an
    unreadable package): ends with ``dict | None``."""
    def read() -> Any:
        try:
            meta = json.loads((Path(package) / "data" / "capture-metadata.json")
                              .read_text("utf-8"))
        except (OSError, ValueError):
            return None
        changes = meta.get("changes") if isinstance(meta, dict) else None
        return changes if isinstance(changes, dict) else None

    async def run(job: Job) -> Any:
        return await asyncio.to_thread(read)
    return run
