"""The SQLite catalogue of captures (and, for batches, of batch state).

One file in the user data directory, shared by CLI and app. Every write is one transaction in
WAL mode, so a crash (even ``kill -9``) leaves the catalogue consistent: a row describes a
package that was published, or a capture that failed, never something in between.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from somecapture.models import CaptureResult
from somecapture.options import CaptureOptions

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1

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
"""


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

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return dict(self.__dict__)


class Catalog:
    """Access to one catalogue file; cheap to create, one connection per use."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_catalog_path()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection with WAL, a busy timeout and the schema in place; commits on exit."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
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
            "post_date": root.get("published_at"),
            "package_path": str(result.package) if result.package else None,
            "warc_sha256": next((a.sha256 for a in result.artifacts
                                 if a.path == "capture.warc"), None),
            "files_json": json.dumps([a.to_json() for a in result.artifacts]),
            "warnings_json": json.dumps(result.warnings, ensure_ascii=False),
            "error": result.error,
            "batch_id": batch_id,
        }
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT OR REPLACE INTO captures ({cols}) VALUES ({marks})", row)
            conn.execute("COMMIT")

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
        return [
            CatalogEntry(
                capture_id=r["capture_id"], url=r["url"], final_url=r["final_url"],
                platform=r["platform"], author=r["author"], handle=r["handle"],
                title=r["title"], case_ref=r["case_ref"], archivist=r["archivist"],
                status=r["status"], captured_at=r["captured_at"], post_date=r["post_date"],
                package_path=r["package_path"], warc_sha256=r["warc_sha256"],
                warnings=json.loads(r["warnings_json"] or "[]"), error=r["error"],
                batch_id=r["batch_id"],
            )
            for r in rows
        ]


def record_in_catalog(options: CaptureOptions, result: CaptureResult,
                      batch_id: str | None = None) -> None:
    """Record a finished capture; a catalogue problem is logged, never loses the package."""
    try:
        Catalog(options.catalog_path).record(result, batch_id)
    except (sqlite3.Error, OSError) as exc:
        log.error("could not record capture %s in the catalogue: %s", result.capture_id, exc)
        result.warnings.append(f"The capture was not recorded in the catalogue: {exc}")
