"""The watch list in the catalogue: adding, changing, removing, the ledger, and an older
catalogue that gets the watch tables when it is first opened."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from somecapture.catalog import Catalog
from somecapture.errors import InvalidURLError
from somecapture.watch.schedule import ScheduleSpecError
from somecapture.watch.store import (
    LedgerEntry,
    NotWatchedError,
    WatchStore,
    unwatch_url,
    watch_url,
)

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

#: the captures table as catalogue version 2 made it (before the watch)
_V2 = """
CREATE TABLE captures (
    capture_id TEXT PRIMARY KEY, url TEXT NOT NULL, final_url TEXT, platform TEXT,
    author TEXT, handle TEXT, title TEXT, case_ref TEXT, archivist TEXT, status TEXT NOT NULL,
    captured_at TEXT NOT NULL, recorded_at TEXT NOT NULL, post_date TEXT, package_path TEXT,
    warc_sha256 TEXT, files_json TEXT NOT NULL DEFAULT '[]',
    warnings_json TEXT NOT NULL DEFAULT '[]', error TEXT, batch_id TEXT,
    tagmanifest_sha256 TEXT, seal_status TEXT, seal_json TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '2');
INSERT INTO captures (capture_id, url, status, captured_at, recorded_at)
VALUES ('c-old', 'https://forum.example/t/1', 'complete', '2025-01-01T00:00:00Z',
        '2025-01-01T00:00:00Z');
"""


def test_an_older_catalogue_gets_the_watch_tables_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(_V2)
    conn.close()
    store = WatchStore(Catalog(path))
    item, added = watch_url(store, "https://forum.example/t/1", now=NOW)
    assert added and store.items() == [item]
    (old,) = Catalog(path).entries()
    assert old.capture_id == "c-old" and old.previous_capture is None
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                               ).fetchone()[0]
    assert version == "3"


def test_add_normalizes_and_is_due_at_once(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    item, added = watch_url(store, "  forum.example/t/1 ", schedule="2h,1d", now=NOW)
    assert added
    assert item.url == "https://forum.example/t/1"
    assert (item.kind, item.schedule, item.status) == ("post", "2h,1d", "new")
    assert item.next_check == "2026-03-02T08:00:00Z"
    # the same address again: not a second item; a new schedule replaces the old one
    again, added = watch_url(store, "https://forum.example/t/1", schedule="3h", now=NOW)
    assert not added and again.schedule == "3h"
    assert len(store.items()) == 1


def test_accounts_are_listed_first(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    watch_url(store, "https://forum.example/t/1", now=NOW)
    watch_url(store, "https://forum.example/@vestvik", account=True, now=NOW)
    assert [i.kind for i in store.items()] == ["account", "post"]


def test_bad_input_is_refused_with_what_to_do(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    with pytest.raises(InvalidURLError, match="watch add URL"):
        watch_url(store, "file:///etc/passwd")
    with pytest.raises(ScheduleSpecError, match="--schedule"):
        watch_url(store, "https://forum.example/t/1", schedule="soon")
    assert store.items() == []
    with pytest.raises(NotWatchedError, match="watch list"):
        unwatch_url(store, "https://forum.example/t/404")


def test_remove_keeps_the_ledger(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    item, _ = watch_url(store, "https://forum.example/t/1", now=NOW)
    store.checked(item.url, LedgerEntry(url=item.url, checked_at="2026-03-02T09:00:00Z",
                                        kind="capture", outcome="unchanged",
                                        capture_id="x", previous_capture="y"),
                  checks=1, last_check="2026-03-02T09:00:00Z",
                  last_thread={"root": None, "replies": [{"id": "c1"}]})
    stored = store.get(item.url)
    assert stored is not None and stored.checks == 1
    assert stored.last_thread == {"root": None, "replies": [{"id": "c1"}]}
    assert unwatch_url(store, "forum.example/t/1").url == item.url
    assert store.items() == []
    (entry,) = store.ledger(item.url)
    assert (entry.outcome, entry.capture_id, entry.previous_capture) == (
        "unchanged", "x", "y")
