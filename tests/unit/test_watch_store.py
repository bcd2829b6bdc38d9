"""The watch list in the catalogue: adding, changing, removing, the ledger, and an older
catalogue that gets the watch tables when it is first opened."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from somecapture.catalog import Catalog
from somecapture.errors import InputError, InvalidURLError, OptionsError
from somecapture.watch.schedule import ScheduleSpecError
from somecapture.watch.store import (
    LedgerEntry,
    NotWatchedError,
    WatchItem,
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
    assert version == "8"


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
                                        capture_id="x", previous_capture="y",
                                        status="partial"),
                  checks=1, last_check="2026-03-02T09:00:00Z")
    stored = store.get(item.url)
    assert stored is not None and stored.checks == 1
    assert unwatch_url(store, "forum.example/t/1").url == item.url
    assert store.items() == []
    (entry,) = store.ledger(item.url)
    assert (entry.outcome, entry.capture_id, entry.previous_capture, entry.status) == (
        "unchanged", "x", "y", "partial")


#: the watch tables as catalogue version 3 made them (issue 19 as first merged)
_V3_WATCH = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema_version', '3');
CREATE TABLE watch_items (
    url TEXT PRIMARY KEY, kind TEXT NOT NULL, account_url TEXT, schedule TEXT NOT NULL,
    profile TEXT, case_ref TEXT, added_at TEXT NOT NULL, published_at TEXT, next_check TEXT,
    last_check TEXT, status TEXT NOT NULL DEFAULT 'new', step INTEGER NOT NULL DEFAULT 0,
    checks INTEGER NOT NULL DEFAULT 0, versions INTEGER NOT NULL DEFAULT 0,
    first_capture TEXT, first_case TEXT, last_capture TEXT, last_package TEXT,
    last_thread_json TEXT, replies INTEGER, reported INTEGER, last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0, last_cheap TEXT, cheap_count INTEGER, title TEXT,
    running_capture TEXT, running_out TEXT);
CREATE TABLE watch_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, url TEXT NOT NULL, checked_at TEXT NOT NULL,
    kind TEXT NOT NULL, outcome TEXT NOT NULL, capture_id TEXT, previous_capture TEXT,
    package TEXT, new_replies INTEGER, edited INTEGER, no_longer_observed INTEGER,
    detail TEXT);
INSERT INTO watch_items (url, kind, schedule, added_at, status, versions, replies)
VALUES ('https://forum.example/@vestvik', 'account', '1h', '2026-03-01T08:00:00Z',
        'watching', 4, 9);
INSERT INTO watch_items (url, kind, schedule, added_at, status, versions, replies,
                         last_thread_json)
VALUES ('https://forum.example/t/1', 'post', '1h', '2026-03-01T08:00:00Z', 'watching', 2, 3,
        '{"root": {"author": "Kari Nordmann", "text": "Ring meg på 91234567"}}');
INSERT INTO watch_checks (url, checked_at, kind, outcome)
VALUES ('https://forum.example/t/1', '2026-03-01T09:00:00Z', 'capture', 'published');
"""


def test_a_version_3_catalogue_keeps_no_thread_copy_and_gives_accounts_their_counts(
        tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(_V3_WATCH)
    conn.close()
    store = WatchStore(Catalog(path))
    account, thread = store.items()
    assert (account.posts_found, account.posts_on_page) == (4, 9)
    assert account.to_json()["posts_found"] == 4 and "versions" not in account.to_json()
    assert (thread.versions, thread.replies) == (2, 3)
    with sqlite3.connect(path) as conn:
        kept = conn.execute("SELECT last_thread_json FROM watch_items").fetchall()
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                               ).fetchone()[0]
    # the repliers' names and texts are in the package only, not in the catalogue
    assert kept == [(None,), (None,)] and version == "8"
    assert [e.status for e in store.ledger(thread.url)] == [None]
    # opened again: nothing is migrated twice
    store.update(account.url, versions=0, posts_found=5)
    assert WatchStore(Catalog(path)).items()[0].posts_found == 5


def test_the_same_post_under_another_address_is_watched_once(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    item, added = watch_url(store, "https://www.facebook.com/vestvik/posts/pfbid0abc"
                            "?__cft__[0]=AZW&__tn__=-R", now=NOW)
    assert added and item.url == "https://www.facebook.com/vestvik/posts/pfbid0abc"
    again, added = watch_url(store, "https://m.facebook.com/vestvik/posts/pfbid0abc/", now=NOW)
    assert not added and again.url == item.url
    assert store.add_many([WatchItem(url="https://facebook.com/vestvik/posts/pfbid0abc",
                                     kind="post", schedule="1h", added_at="x")]) == []
    assert len(store.items()) == 1


def test_adding_again_as_the_other_kind_is_refused_with_what_to_do(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    watch_url(store, "https://forum.example/@vestvik", now=NOW)
    with pytest.raises(InputError, match="already watched as a thread.*remove it first"):
        watch_url(store, "https://forum.example/@vestvik", account=True, now=NOW)
    assert [i.kind for i in store.items()] == ["post"]


def test_a_new_schedule_moves_the_next_check(tmp_path: Path) -> None:
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    item, _ = watch_url(store, "https://forum.example/t/1", schedule="1h,1d", now=NOW)
    # published at 08:00, checked at 09:05 (after +1 h): the next check is +1 d
    store.update(item.url, status="watching", published_at="2026-03-02T08:00:00Z",
                 last_check="2026-03-02T09:05:00Z", next_check="2026-03-03T08:00:00Z")
    moved, _ = watch_url(store, item.url, schedule="1h,6h,1d", now=NOW)
    assert (moved.schedule, moved.next_check) == ("1h,6h,1d", "2026-03-02T14:00:00Z")
    # a schedule whose every offset has passed: nothing more to check
    done, _ = watch_url(store, item.url, schedule="30m,1h", now=NOW)
    assert (done.status, done.next_check) == ("finished", None)
    # and back: watched again
    again, _ = watch_url(store, item.url, schedule="1h,2d", now=NOW)
    assert (again.status, again.next_check) == ("watching", "2026-03-04T08:00:00Z")


def test_a_profile_that_does_not_exist_is_refused_naming_the_flag(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = WatchStore(Catalog(tmp_path / "c.sqlite"))
    with pytest.raises(OptionsError, match=r"^--profile fb-vestvik: there is no login profile"):
        watch_url(store, "https://forum.example/t/1", profile="fb-vestvik", now=NOW)
    with pytest.raises(OptionsError, match=r"^--profile: Profile name “\.\./x”"):
        watch_url(store, "https://forum.example/t/1", profile="../x", now=NOW)
    assert store.items() == []
    (tmp_path / "data" / "somecapture" / "profiles" / "fb-vestvik").mkdir(parents=True)
    item, added = watch_url(store, "https://forum.example/t/1", profile="fb-vestvik", now=NOW)
    assert added and item.profile == "fb-vestvik"
