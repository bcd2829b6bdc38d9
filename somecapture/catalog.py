"""The SQLite catalogue of captures (and, for batches and the watch list, of their state).

One file in the user data directory, shared by CLI and app. Every write is one transaction in
WAL mode, so a crash (even ``kill -9``) leaves the catalogue consistent: a row describes a
package that was published, or a capture that failed, never something in between.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from somecapture.messages import Msg, msg_from_json, msg_json
from somecapture.models import CaptureResult
from somecapture.options import CaptureOptions

log = logging.getLogger(__name__)

SCHEMA_VERSION = 8

#: columns added after version 1, by the version that added them, with their table: an older
#: catalogue gets them when it is first opened (existing rows keep NULL: published before
#: the seal existed)
_ADDED_COLUMNS: tuple[tuple[int, str, str, str], ...] = (
    # the package's tag manifest (which fixes every file) as published, and its seal: status
    # and each authority's outcome with its token (base64 DER), so that a package re-hashed
    # or stripped of signatures/ after publication can be told from what was published
    (2, "captures", "tagmanifest_sha256", "TEXT"),
    (2, "captures", "seal_status", "TEXT"),
    (2, "captures", "seal_json", "TEXT"),
    # a watched thread's later version names the capture it was compared with (issue 19)
    (3, "captures", "previous_capture", "TEXT"),
    # the watch: a check's capture status on the ledger, an account's own counts
    (4, "watch_checks", "status", "TEXT"),
    (4, "watch_items", "posts_found", "INTEGER NOT NULL DEFAULT 0"),
    (4, "watch_items", "posts_on_page", "INTEGER"),
    # a watched item's own output folder and its leave to capture on the local network,
    # given at 'watch add' (or, for the folder, where its first package went): every round
    # uses them, whatever runs it
    (5, "watch_items", "out_dir", "TEXT"),
    (5, "watch_items", "allow_private_network", "INTEGER NOT NULL DEFAULT 0"),
    # what the history and the batch report show of a capture (issue 22): replies captured
    # and the count the page reports, and the warnings and error as catalogue messages
    # (codes and parameters, shown in the archivist's language; warnings_json and error
    # keep the English text)
    (6, "captures", "replies_captured", "INTEGER"),
    (6, "captures", "replies_reported", "INTEGER"),
    (6, "captures", "messages_json", "TEXT"),
    # the watch's own texts as catalogue messages (issue 22): a watched item's last error and
    # a check's detail on the ledger, shown in the archivist's language (last_error and
    # detail keep the English text)
    (7, "watch_items", "last_error_json", "TEXT"),
    (7, "watch_checks", "detail_json", "TEXT"),
    # a batch item's warnings and error as catalogue messages (issue 22): a failed row's
    # details are shown in the archivist's language, also after a resume or in another
    # process (error and warnings_json keep the English text)
    (8, "batch_items", "messages_json", "TEXT"),
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    capture_id    TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    final_url     TEXT,
    platform      TEXT,
    author        TEXT,
    handle        TEXT,
    title         TEXT,
    case_ref      TEXT,
    archivist     TEXT,
    status        TEXT NOT NULL,
    captured_at   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    post_date     TEXT,
    package_path  TEXT,
    warc_sha256   TEXT,
    files_json    TEXT NOT NULL DEFAULT '[]',
    warnings_json TEXT NOT NULL DEFAULT '[]',
    error         TEXT,
    batch_id      TEXT
);
CREATE INDEX IF NOT EXISTS captures_by_time ON captures (captured_at);
CREATE INDEX IF NOT EXISTS captures_by_url ON captures (url);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    batch_id     TEXT PRIMARY KEY,
    list_path    TEXT NOT NULL,
    list_sha256  TEXT NOT NULL,
    out_dir      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    finished_at  TEXT,
    options_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS batch_items (
    batch_id     TEXT NOT NULL REFERENCES batches (batch_id),
    line         INTEGER NOT NULL,
    url          TEXT NOT NULL,
    row_json     TEXT NOT NULL DEFAULT '{}',
    state        TEXT NOT NULL DEFAULT 'pending',  -- pending | running | done
    capture_id   TEXT NOT NULL,
    status       TEXT,                              -- complete | partial | failed
    package_path TEXT,
    error        TEXT,
    warnings_json TEXT NOT NULL DEFAULT '[]',
    attempts     INTEGER NOT NULL DEFAULT 0,
    messages_json TEXT,                             -- warnings and error as messages
    PRIMARY KEY (batch_id, line)
);
-- the watch list (issue 19): threads and accounts re-captured on a schedule; the columns
-- are described in somecapture/watch/store.py
CREATE TABLE IF NOT EXISTS watch_items (
    url             TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,                   -- post | account
    account_url     TEXT,
    schedule        TEXT NOT NULL,
    profile         TEXT,
    case_ref        TEXT,
    added_at        TEXT NOT NULL,
    published_at    TEXT,
    next_check      TEXT,
    last_check      TEXT,
    status          TEXT NOT NULL DEFAULT 'new',
    step            INTEGER NOT NULL DEFAULT 0,
    checks          INTEGER NOT NULL DEFAULT 0,
    versions        INTEGER NOT NULL DEFAULT 0,
    first_capture   TEXT,
    first_case      TEXT,
    last_capture    TEXT,
    last_package    TEXT,
    replies         INTEGER,
    reported        INTEGER,
    last_error      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    last_cheap      TEXT,
    cheap_count     INTEGER,
    title           TEXT,
    running_capture TEXT,
    running_out     TEXT,
    posts_found     INTEGER NOT NULL DEFAULT 0,       -- accounts: posts found on it
    posts_on_page   INTEGER,                          -- accounts: posts its page showed
    out_dir         TEXT,                             -- its packages' folder
    allow_private_network INTEGER NOT NULL DEFAULT 0, -- 1: may capture intranet addresses
    last_error_json TEXT                              -- last_error as a catalogue message
);
-- the ledger: every check of a watched item, also those that published nothing
CREATE TABLE IF NOT EXISTS watch_checks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    url                TEXT NOT NULL,
    checked_at         TEXT NOT NULL,
    kind               TEXT NOT NULL,                -- capture | cheap | discovery
    outcome            TEXT NOT NULL,
    capture_id         TEXT,
    previous_capture   TEXT,
    package            TEXT,
    new_replies        INTEGER,
    edited             INTEGER,
    no_longer_observed INTEGER,
    detail             TEXT,
    status             TEXT,                         -- the capture's: complete | partial
    detail_json        TEXT                          -- detail as a catalogue message
);
CREATE INDEX IF NOT EXISTS watch_checks_by_url ON watch_checks (url, checked_at);
"""


def _init_schema(conn: sqlite3.Connection) -> None:
    """WAL mode, tables and the schema version (idempotent; migrates an older catalogue)."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(_SCHEMA)
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                 (str(SCHEMA_VERSION),))
    if not _missing_columns(conn):
        return
    # one writer at a time: another process may be migrating the same file right now
    conn.execute("BEGIN IMMEDIATE")
    try:
        missing = _missing_columns(conn)
        for table, name, kind in missing:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
        if ("watch_items", "posts_found") in {(t, n) for t, n, _k in missing}:
            _migrate_watch_to_4(conn)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version' "
                     "AND CAST(value AS INTEGER) < ?", (str(SCHEMA_VERSION), SCHEMA_VERSION))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _missing_columns(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    have: dict[str, set[str]] = {}
    for table in {t for _v, t, _n, _k in _ADDED_COLUMNS}:
        have[table] = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
    return [(table, name, kind) for _v, table, name, kind in _ADDED_COLUMNS
            if name not in have[table]]


def _migrate_watch_to_4(conn: sqlite3.Connection) -> None:
    """Catalogue version 4 (in the transaction that added its columns): an account's counts
    move to their own columns, and no copy of a watched thread is kept in the catalogue any
    more (the previous package is the evidence a re-capture is compared with)."""
    conn.execute("UPDATE watch_items SET posts_found = versions, posts_on_page = replies, "
                 "versions = 0, replies = NULL WHERE kind = 'account'")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(watch_items)")}
    if "last_thread_json" in columns:
        conn.execute("UPDATE watch_items SET last_thread_json = NULL")


def default_catalog_path() -> Path:
    """``<user data dir>/catalog.sqlite``."""
    return Path(platformdirs.user_data_dir("somecapture", appauthor=False)) / "catalog.sqlite"


@dataclass(frozen=True)
class CatalogEntry:
    """One row of the catalogue."""

    capture_id: str
    url: str
    final_url: str | None
    platform: str | None
    author: str | None
    handle: str | None
    title: str | None
    case_ref: str | None
    archivist: str | None
    status: str
    captured_at: str
    post_date: str | None
    package_path: str | None
    warc_sha256: str | None
    warnings: list[str]
    error: str | None
    batch_id: str | None
    #: SHA-256 of the package's tagmanifest-sha256.txt as published (None: before version 2)
    tagmanifest_sha256: str | None = None
    #: sealed | partial | failed | unsealed (None: not known)
    seal_status: str | None = None
    #: the capture this one is a later version of (a watched thread; None: a first capture)
    previous_capture: str | None = None
    #: replies captured, and the count the page reports (None: not known, or no thread)
    replies_captured: int | None = None
    replies_reported: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return dict(self.__dict__)


class Catalog:
    """Access to one catalogue file; cheap to create, one connection per use."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_catalog_path()

    def _create(self) -> None:
        """Create the catalogue whole: schema and WAL mode in a temporary file, then linked
        into place, so a kill at any moment leaves no catalogue or a complete one."""
        # unique per call: threads of one process (the app) may create it at the same time
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.new")
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                _init_schema(conn)
            finally:
                conn.close()
            try:
                os.link(tmp, self.path)  # never replaces a catalogue another process made
            except FileExistsError:
                pass
            except OSError:
                # no hard links here (FAT, some network shares): claim the name first, so a
                # catalogue another process made meanwhile is never replaced
                try:
                    fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    return
                os.close(fd)
                os.replace(tmp, self.path)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + "-wal"),
                             tmp.with_name(tmp.name + "-shm")):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection with WAL, a busy timeout and the schema in place; commits on exit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            self._create()
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            _init_schema(conn)
            yield conn
        finally:
            conn.close()

    def record(self, result: CaptureResult, batch_id: str | None = None) -> None:
        """Insert or replace the row for ``result`` (one transaction)."""
        root = (result.thread or {}).get("root") or {}
        reg = result.registration
        row = {
            "capture_id": result.capture_id,
            "url": result.url,
            "final_url": result.final_url,
            "platform": (result.thread or {}).get("platform"),
            "author": root.get("author"),
            "handle": root.get("handle"),
            "title": reg.get("title"),
            "case_ref": reg.get("case"),
            "archivist": reg.get("archivist"),
            "status": result.status.value,
            "captured_at": result.provenance.get("started_at")
            or datetime.now(UTC).isoformat(timespec="seconds"),
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "post_date": root.get("published_at") or root.get("published_local"),
            "package_path": str(result.package) if result.package else None,
            "warc_sha256": next((a.sha256 for a in result.artifacts
                                 if a.path == "capture.warc"), None),
            "files_json": json.dumps([a.to_json() for a in result.artifacts]),
            "warnings_json": json.dumps(result.warnings, ensure_ascii=False),
            "error": result.error,
            "batch_id": batch_id,
            "previous_capture": result.previous_capture,
            **reply_counts(result.completeness),
            "messages_json": _messages_json(result.warnings, result.error),
            **_seal_columns(result.provenance.get("seal") if result.package else None),
        }
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT OR REPLACE INTO captures ({cols}) VALUES ({marks})", row)
            conn.execute("COMMIT")

    def adopt_packages(self, out_dir: Path) -> list[str]:
        """Add packages in ``out_dir`` that are published but not catalogued; their ids.

        A capture killed (or a catalogue that was locked) between publishing its package and
        recording it leaves a whole, verifiable package the catalogue does not know. Its own
        ``capture-metadata.json`` says everything the row needs. Only folders not already in
        the catalogue are read, so this stays cheap for folders with many packages. In a
        folder shared by colleagues, their packages join this catalogue too: it lists what
        the folder holds (the batch a package belonged to is not known from the package).
        """
        try:
            children = [p for p in out_dir.iterdir()
                        if p.is_dir() and not p.name.startswith(".")]
        except OSError:
            return []
        with self.connect() as conn:
            known = {row[0] for row in conn.execute(
                "SELECT package_path FROM captures WHERE package_path IS NOT NULL")}
        adopted: list[str] = []
        for folder in children:
            if str(folder) in known:
                continue
            row = _row_from_package(folder)
            if row is None:
                continue
            cols = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            with self.connect() as conn:
                conn.execute("BEGIN IMMEDIATE")
                # a capture that records itself meanwhile wins (its row is the fuller one)
                added = conn.execute(
                    f"INSERT OR IGNORE INTO captures ({cols}) VALUES ({marks})", row).rowcount
                conn.execute("COMMIT")
            if not added:
                continue  # known under another path (moved or copied): nothing to add
            adopted.append(str(row["capture_id"]))
            log.info("catalogued package %s, published before it could be recorded", folder)
        return adopted

    def entries(self, *, search: str | None = None, status: str | None = None,
                limit: int | None = None) -> list[CatalogEntry]:
        """Rows, newest first; ``search`` matches URL, title, author, handle and case."""
        where: list[str] = []
        args: list[Any] = []
        if search:
            where.append("(url LIKE ? OR title LIKE ? OR author LIKE ? OR handle LIKE ? "
                         "OR case_ref LIKE ? OR platform LIKE ?)")
            args += [f"%{search}%"] * 6
        if status:
            where.append("status = ?")
            args.append(status)
        sql = "SELECT * FROM captures"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY captured_at DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.connect() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [_entry(r) for r in rows]

    def entries_by_id(self, capture_ids: list[str]) -> dict[str, CatalogEntry]:
        """The rows of ``capture_ids`` that are in the catalogue, by id (a batch report's
        title, sender and reply counts)."""
        wanted = [c for c in dict.fromkeys(capture_ids) if c]
        found: dict[str, CatalogEntry] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on host parameters
            chunk = wanted[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            with self.connect() as conn:
                rows = conn.execute(f"SELECT * FROM captures WHERE capture_id IN ({marks})",
                                    chunk).fetchall()
            for r in rows:
                found[r["capture_id"]] = _entry(r)
        return found

    def recent_capture_seconds(self, limit: int = 50) -> tuple[float, int] | None:
        """(median seconds, how many) of the last ``limit`` published captures: from the
        start of the capture to its record in the catalogue, what a batch item takes (None
        when there is none to measure)."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT captured_at, recorded_at FROM captures WHERE package_path IS NOT NULL "
                "ORDER BY recorded_at DESC LIMIT ?", (int(limit),)).fetchall()
        spans = []
        for row in rows:
            try:
                start = datetime.fromisoformat(str(row["captured_at"]).replace("Z", "+00:00"))
                end = datetime.fromisoformat(str(row["recorded_at"]).replace("Z", "+00:00"))
            except ValueError:
                continue
            seconds = (end - start).total_seconds()
            if 0 < seconds < 4 * 3600:  # an adopted package's recorded_at is not its end
                spans.append(seconds)
        if not spans:
            return None
        spans.sort()
        return spans[len(spans) // 2], len(spans)

    def seal(self, capture_id: str) -> dict[str, Any] | None:
        """The seal recorded when the package was published: ``tagmanifest_sha256``,
        ``status`` and ``timestamps`` (each with its token as ``token_der_base64``; see
        :meth:`somecapture.package.seal.SealOutcome.to_json`), and ``source``: where the
        catalogue learned it, ``"publication"`` (recorded when the tool published the
        package) or ``"package"`` (adopted later from the package folder's own files, after
        an interruption: weaker, the package vouches for itself); None when none is known."""
        with self.connect() as conn:
            row = conn.execute("SELECT tagmanifest_sha256, seal_json FROM captures "
                               "WHERE capture_id = ?", (capture_id,)).fetchone()
        if row is None or not row["tagmanifest_sha256"]:
            return None
        data: dict[str, Any] = json.loads(row["seal_json"] or "{}")
        data["tagmanifest_sha256"] = row["tagmanifest_sha256"]
        data["source"] = "package" if data.get("source") == "package" else "publication"
        return data


@dataclass(frozen=True)
class BatchItemState:
    """One row of a batch as stored (for resume and reports)."""

    line: int
    url: str
    row: dict[str, Any]
    state: str
    capture_id: str
    status: str | None
    package_path: str | None
    error: str | None
    warnings: list[str]
    attempts: int


class BatchStore:
    """Batch state in the catalogue: what is pending, running and done, crash-safe."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def create(self, batch_id: str, list_path: str, list_sha256: str, out_dir: str,
               items: list[tuple[int, str, dict[str, Any], str]],
               options: dict[str, Any]) -> None:
        """Create a batch with its items ``(line, url, row, capture_id)`` in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO batches (batch_id, list_path, list_sha256, out_dir, "
                         "created_at, options_json) VALUES (?, ?, ?, ?, ?, ?)",
                         (batch_id, list_path, list_sha256, out_dir, now,
                          json.dumps(options, ensure_ascii=False, default=str)))
            conn.executemany(
                "INSERT INTO batch_items (batch_id, line, url, row_json, capture_id) "
                "VALUES (?, ?, ?, ?, ?)",
                [(batch_id, line, url, json.dumps(row, ensure_ascii=False), cid)
                 for line, url, row, cid in items])
            conn.execute("COMMIT")

    def options(self, batch_id: str) -> dict[str, Any]:
        """What was stored with the batch when it was created."""
        with self.catalog.connect() as conn:
            row = conn.execute("SELECT options_json FROM batches WHERE batch_id = ?",
                               (batch_id,)).fetchone()
        return dict(json.loads(row["options_json"])) if row else {}

    def update_options(self, batch_id: str, changes: dict[str, Any]) -> None:
        """Add ``changes`` to what is stored with the batch (a batch resumed through a
        queue records its queue)."""
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT options_json FROM batches WHERE batch_id = ?",
                               (batch_id,)).fetchone()
            if row is not None:
                stored = {**json.loads(row["options_json"]), **changes}
                conn.execute("UPDATE batches SET options_json = ? WHERE batch_id = ?",
                             (json.dumps(stored, ensure_ascii=False, default=str), batch_id))
            conn.execute("COMMIT")

    def find_unfinished(self, list_path: str, out_dir: str) -> tuple[str, str] | None:
        """(batch_id, list_sha256) of the newest unfinished batch of this list and folder."""
        with self.catalog.connect() as conn:
            row = conn.execute(
                "SELECT batch_id, list_sha256 FROM batches WHERE list_path = ? AND out_dir = ? "
                "AND finished_at IS NULL ORDER BY created_at DESC LIMIT 1",
                (list_path, out_dir)).fetchone()
        return (row["batch_id"], row["list_sha256"]) if row else None

    def items(self, batch_id: str) -> list[BatchItemState]:
        """All items of a batch in list order."""
        with self.catalog.connect() as conn:
            rows = conn.execute("SELECT * FROM batch_items WHERE batch_id = ? ORDER BY line",
                                (batch_id,)).fetchall()
        return [BatchItemState(line=r["line"], url=r["url"], row=json.loads(r["row_json"]),
                               state=r["state"], capture_id=r["capture_id"], status=r["status"],
                               package_path=r["package_path"], attempts=r["attempts"],
                               **_messages_of(r))
                for r in rows]

    def mark_running(self, batch_id: str, line: int) -> None:
        """An item starts (one more attempt)."""
        with self.catalog.connect() as conn:
            conn.execute("UPDATE batch_items SET state = 'running', attempts = attempts + 1 "
                         "WHERE batch_id = ? AND line = ?", (batch_id, line))

    def mark_submitted(self, batch_id: str, lines: list[int]) -> None:
        """Items handed to a task queue (a distributed batch): ``running`` until a worker's
        result comes back; the attempts are the workers' to count."""
        with self.catalog.connect() as conn:
            conn.executemany("UPDATE batch_items SET state = 'running' "
                             "WHERE batch_id = ? AND line = ? AND state != 'done'",
                             [(batch_id, line) for line in lines])

    def mark_done(self, batch_id: str, line: int, result: CaptureResult, *,
                  attempts: int | None = None) -> None:
        """An item ended (any status): recorded together with its catalogue row, under the
        capture id that made it (a distributed batch's worker picks its own), with
        ``attempts`` when the attempts were counted elsewhere (by the workers)."""
        self.catalog.record(result, batch_id)
        with self.catalog.connect() as conn:
            conn.execute(
                "UPDATE batch_items SET state = 'done', status = ?, package_path = ?, "
                "error = ?, warnings_json = ?, messages_json = ?, capture_id = ?, "
                "attempts = COALESCE(?, attempts) WHERE batch_id = ? AND line = ?",
                (result.status.value, str(result.package) if result.package else None,
                 result.error, json.dumps(result.warnings, ensure_ascii=False),
                 _messages_json(result.warnings, result.error),
                 result.capture_id, attempts, batch_id, line))

    def new_capture_id(self, batch_id: str, line: int, capture_id: str) -> None:
        """A retry after a crash gets a fresh id (the old one may have left staging)."""
        with self.catalog.connect() as conn:
            conn.execute("UPDATE batch_items SET capture_id = ?, state = 'pending' "
                         "WHERE batch_id = ? AND line = ?", (capture_id, batch_id, line))

    def finish(self, batch_id: str) -> None:
        """The batch has no pending items left."""
        with self.catalog.connect() as conn:
            conn.execute("UPDATE batches SET finished_at = ? WHERE batch_id = ?",
                         (datetime.now(UTC).isoformat(timespec="seconds"), batch_id))


def _seal_columns(seal: dict[str, Any] | None) -> dict[str, Any]:
    """The seal's columns of a row (all None without a seal)."""
    if not seal:
        return {"tagmanifest_sha256": None, "seal_status": None, "seal_json": None}
    return {"tagmanifest_sha256": seal.get("tagmanifest_sha256"),
            "seal_status": seal.get("status"),
            "seal_json": json.dumps(seal, ensure_ascii=False)}


#: the names the seal's layout gives an authority's files (see somecapture.package.seal)
_SIDECAR_NAME = re.compile(r"tsa-([1-9][0-9]{0,3})\.json")
_TOKEN_FILE = re.compile(r"signatures/tsa-[1-9][0-9]{0,3}\.tsr")


def _seal_of_package(folder: Path) -> dict[str, Any]:
    """The seal of a package adopted after an interruption, as the package itself says it
    (its tag manifest and signatures/): weaker than a seal recorded at publication, and
    marked so (``"source": "package"``)."""
    tagmanifest = folder / "tagmanifest-sha256.txt"
    if not tagmanifest.is_file():
        return {}
    stamps = []
    for path in sorted((folder / "signatures").glob("tsa-*.json")):
        number = _SIDECAR_NAME.fullmatch(path.name)
        with contextlib.suppress(OSError, ValueError):
            entry = json.loads(path.read_text("utf-8"))
            if number is None or not isinstance(entry, dict):
                continue
            # the token is read only from where the layout puts it (signatures/tsa-<n>.tsr,
            # n this file's): a package's own JSON never leads the read elsewhere
            name = str(entry.get("token_file") or "")
            token = folder / name
            if (entry.get("status") == "granted" and name == f"signatures/tsa-{number[1]}.tsr"
                    and _TOKEN_FILE.fullmatch(name) and not token.is_symlink()
                    and token.is_file()):
                entry["token_der_base64"] = base64.b64encode(token.read_bytes()).decode("ascii")
            stamps.append(entry)
    granted = sum(1 for s in stamps if s.get("status") == "granted")
    status = ("unsealed" if not stamps else "sealed" if granted == len(stamps)
              else "partial" if granted else "failed")
    return {"status": status, "source": "package", "timestamps": stamps,
            "tagmanifest_sha256": hashlib.sha256(tagmanifest.read_bytes()).hexdigest()}


def seal_of_package(folder: Path) -> dict[str, Any]:
    """The seal a published package itself shows (``{}``: none), as the catalogue records
    a seal: for results read back from a package (a distributed batch's already published
    or claim-collected items)."""
    return _seal_of_package(folder)


def _row_from_package(folder: Path) -> dict[str, Any] | None:
    """A catalogue row from a published package's own metadata (None: not a package)."""
    meta_path = folder / "data" / "capture-metadata.json"
    if not (folder / "bagit.txt").is_file() or not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        thread = meta.get("thread") or {}
        root = thread.get("root") or {}
        reg = meta.get("registration") or {}
        files = meta.get("files") or []
        return {
            "capture_id": str(meta["capture_id"]),
            "url": str(meta.get("requested_url") or meta["url"]),
            "final_url": meta.get("final_url"),
            "platform": thread.get("platform"),
            "author": root.get("author"),
            "handle": root.get("handle"),
            "title": reg.get("title"),
            "case_ref": reg.get("case"),
            "archivist": reg.get("archivist"),
            "status": str(meta["status"]),
            "captured_at": str(meta["captured_at"]),
            "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "post_date": root.get("published_at") or root.get("published_local"),
            "package_path": str(folder),
            "warc_sha256": next((f.get("sha256") for f in files
                                 if f.get("path") == "capture.warc"), None),
            "files_json": json.dumps(files),
            "warnings_json": json.dumps(meta.get("warnings") or [], ensure_ascii=False),
            "error": None,
            "batch_id": None,
            "previous_capture": meta.get("previous_capture"),
            **reply_counts(meta.get("completeness") or {}),
            "messages_json": json.dumps({"warnings": meta["warning_messages"]},
                                        ensure_ascii=False)
            if isinstance(meta.get("warning_messages"), list) else None,
            **_seal_columns(_seal_of_package(folder)),
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("not catalogued: %s has unreadable metadata (%s)", folder, exc)
        return None


def _entry(r: sqlite3.Row) -> CatalogEntry:
    return CatalogEntry(
        capture_id=r["capture_id"], url=r["url"], final_url=r["final_url"],
        platform=r["platform"], author=r["author"], handle=r["handle"],
        title=r["title"], case_ref=r["case_ref"], archivist=r["archivist"],
        status=r["status"], captured_at=r["captured_at"], post_date=r["post_date"],
        package_path=r["package_path"], warc_sha256=r["warc_sha256"],
        batch_id=r["batch_id"], tagmanifest_sha256=r["tagmanifest_sha256"],
        seal_status=r["seal_status"], previous_capture=r["previous_capture"],
        replies_captured=r["replies_captured"], replies_reported=r["replies_reported"],
        **_messages_of(r),
    )


def reply_counts(completeness: dict[str, Any]) -> dict[str, int | None]:
    """``replies_captured`` and ``replies_reported`` of a capture's completeness section."""
    reported = completeness.get("reported") or {}
    page = reported.get("comments", reported.get("replies")) if isinstance(reported, dict) \
        else None
    captured = completeness.get("captured_replies")
    return {"replies_captured": captured if isinstance(captured, int) else None,
            "replies_reported": page if isinstance(page, int) else None}


def _messages_json(warnings: list[str], error: str | None) -> str:
    """The warnings and the error as catalogue messages (see :mod:`somecapture.messages`)."""
    data: dict[str, Any] = {"warnings": [msg_json(w) for w in warnings]}
    if error:
        data["error"] = msg_json(error)
    return json.dumps(data, ensure_ascii=False)


def _messages_of(row: sqlite3.Row) -> dict[str, Any]:
    """A capture's or a batch item's warnings and error as messages when the row keeps them
    (a row written before version 6, or a batch item before version 8, keeps the English
    texts only)."""
    out: dict[str, Any] = {"warnings": json.loads(row["warnings_json"] or "[]"),
                           "error": row["error"]}
    try:
        stored = json.loads(row["messages_json"] or "null")
    except ValueError:
        stored = None
    if isinstance(stored, dict):
        warnings = stored.get("warnings")
        if isinstance(warnings, list) and len(warnings) == len(out["warnings"]):
            out["warnings"] = [msg_from_json(w) for w in warnings]
        if stored.get("error") and out["error"]:
            out["error"] = msg_from_json(stored["error"])
    return out


def record_in_catalog(options: CaptureOptions, result: CaptureResult,
                      batch_id: str | None = None) -> None:
    """Record a finished capture (and any package in its output folder the catalogue lost
    to an interruption); a catalogue problem is logged, never loses the package."""
    try:
        catalog = Catalog(options.catalog_path)
        catalog.record(result, batch_id)
        out_dir = result.package.parent if result.package else options.out_dir
        if out_dir is not None:
            catalog.adopt_packages(Path(out_dir).expanduser().resolve())
    except (sqlite3.Error, OSError) as exc:
        log.error("could not record capture %s in the catalogue: %s", result.capture_id, exc)
        result.warnings.append(Msg("warning.not_in_catalogue", detail=str(exc)))


def published_files(catalog: Catalog, capture_id: str) -> list[Any]:
    """The payload files' SHA-256 the catalogue recorded at publication (``files_json``):
    with them, a package re-hashed after publication names each changed file."""
    try:
        with catalog.connect() as conn:
            row = conn.execute("SELECT files_json FROM captures WHERE capture_id = ?",
                               (capture_id,)).fetchone()
        files = json.loads(row["files_json"] or "[]") if row is not None else []
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return []
    return files if isinstance(files, list) else []


def published_seal_for(package: Path, catalog: Catalog | None = None) -> Any:
    """What the catalogue recorded at publication about ``package`` (its seal and files, a
    :class:`~somecapture.package.seal_verify.PublishedSeal`), or ``None`` when it knows
    nothing (another catalogue's package, one published before the seal, no catalogue: one
    is never created just to look something up)."""
    from somecapture.package.seal_verify import PublishedSeal

    try:
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
        catalog = catalog or Catalog()
        if not catalog.path.exists():
            return None
        capture_id = str(meta["capture_id"])
        seal = catalog.seal(capture_id)
    except (OSError, ValueError, KeyError, TypeError, sqlite3.Error):
        return None
    if seal is None:
        return None
    return PublishedSeal.from_json(seal, published_files(catalog, capture_id))
