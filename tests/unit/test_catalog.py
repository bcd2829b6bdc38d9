"""The catalogue file itself: created whole, by any number of threads at once."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest

from somecapture.catalog import Catalog


def _mode(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def test_an_interrupted_creation_leaves_no_catalogue_and_the_next_one_is_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "catalog.sqlite"

    def dies(*_args: object) -> None:
        raise KeyboardInterrupt  # the process stops between the temporary file and the link

    monkeypatch.setattr(os, "link", dies)
    with pytest.raises(KeyboardInterrupt), Catalog(path).connect():
        pass
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # the temporary file went too
    monkeypatch.undo()
    assert Catalog(path).entries() == []
    assert _mode(path) == "wal"


def test_threads_creating_the_catalogue_at_once_all_get_it_whole(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    for round_ in range(20):
        path = tmp_path / f"catalog-{round_}.sqlite"
        start = threading.Barrier(3)

        def open_it(path: Path = path, start: threading.Barrier = start) -> None:
            try:
                start.wait()
                Catalog(path).entries()
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert _mode(path) == "wal"
    assert errors == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".new")]


def test_without_hard_links_an_existing_catalogue_is_never_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "catalog.sqlite"

    def no_links(*_args: object) -> None:
        raise OSError(1, "Operation not permitted")  # FAT, some network shares

    monkeypatch.setattr(os, "link", no_links)
    assert Catalog(path).entries() == []
    assert _mode(path) == "wal"
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO meta VALUES ('marker', 'kept')")
    Catalog(path)._create()  # another process losing the race
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone() == (
            "kept",)
