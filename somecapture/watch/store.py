"""The watch list and its ledger in the catalogue (tables ``watch_items`` and ``watch_checks``,
created with the catalogue's schema in :mod:`somecapture.catalog`).

``watch_items`` has one row per watched URL: a thread (``post``) or an account's page
(``account``), its schedule and where it stands (next and last check, status, counts, the
last published capture). ``watch_checks`` is the ledger: one row for every check, also the
ones that published nothing, so "checked, unchanged" is on record. Every change is one
committed transaction; a capture about to run is noted first (``running_capture``), so a run
killed in the middle can tell on the next start whether that capture was published.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from somecapture.catalog import Catalog
from somecapture.errors import InputError, InvalidURLError

#: kinds of watched URL
POST = "post"
ACCOUNT = "account"

#: statuses of a watched item
NEW = "new"                    # added, not checked yet
WATCHING = "watching"          # checked; more checks are scheduled
FINISHED = "finished"          # the schedule is done: no more checks
FAILED = "failed"              # the last check failed; tried again later
LOGIN_EXPIRED = "login-expired"  # its login profile is no longer logged in


def iso(moment: datetime | None) -> str | None:
    """A time as the tables keep it: RFC 3339, UTC, whole seconds."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_iso(value: str | None) -> datetime | None:
    """A time from the tables (or any RFC 3339 text) as an aware datetime; None if not one."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WatchItem:
    """One watched URL and where it stands."""

    url: str
    kind: str
    schedule: str
    added_at: str
    status: str = NEW
    account_url: str | None = None
    profile: str | None = None
    case_ref: str | None = None
    published_at: str | None = None
    next_check: str | None = None
    last_check: str | None = None
    step: int = 0
    checks: int = 0
    versions: int = 0
    first_capture: str | None = None
    first_case: str | None = None
    last_capture: str | None = None
    last_package: str | None = None
    replies: int | None = None
    reported: int | None = None
    last_error: str | None = None
    failures: int = 0
    last_cheap: str | None = None
    #: the reply count the last cheap check read (-1: the page states none)
    cheap_count: int | None = None
    title: str | None = None
    running_capture: str | None = None
    running_out: str | None = None
    last_thread: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """What ``watch list --json`` shows of it."""
        return {
            "url": self.url, "kind": self.kind, "status": self.status,
            "schedule": self.schedule, "account": self.account_url,
            "profile": self.profile, "case": self.case_ref, "title": self.title,
            "added_at": self.added_at, "published_at": self.published_at,
            "next_check": self.next_check, "last_check": self.last_check,
            "checks": self.checks, "versions": self.versions, "replies": self.replies,
            "reported_replies": self.reported, "first_capture": self.first_capture,
            "last_capture": self.last_capture, "last_package": self.last_package,
            "last_error": self.last_error,
        }


@dataclass(frozen=True)
class LedgerEntry:
    """One check of a watched item, as the ledger keeps it."""

    url: str
    checked_at: str
    kind: str
    outcome: str
    capture_id: str | None = None
    previous_capture: str | None = None
    package: str | None = None
    new_replies: int | None = None
    edited: int | None = None
    no_longer_observed: int | None = None
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return dict(self.__dict__)


_ITEM_FIELDS = tuple(f for f in WatchItem.__dataclass_fields__ if f != "last_thread")


def _item(row: Any) -> WatchItem:
    values = {name: row[name] for name in _ITEM_FIELDS}
    thread = row["last_thread_json"]
    return WatchItem(**values, last_thread=json.loads(thread) if thread else None)


class WatchStore:
    """The watch list and ledger of one catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- the list -------------------------------------------------------------------------
    def add(self, item: WatchItem) -> bool:
        """Add ``item`` unless its URL is watched already; True when it was added."""
        row = {name: getattr(item, name) for name in _ITEM_FIELDS}
        row["last_thread_json"] = None
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            added = conn.execute(f"INSERT OR IGNORE INTO watch_items ({cols}) VALUES ({marks})",
                                 row).rowcount
            conn.execute("COMMIT")
        return bool(added)

    def add_many(self, items: Iterable[WatchItem]) -> list[WatchItem]:
        """Add the items not watched yet (one transaction); those that were added."""
        added: list[WatchItem] = []
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            for item in items:
                row = {name: getattr(item, name) for name in _ITEM_FIELDS}
                row["last_thread_json"] = None
                cols = ", ".join(row)
                marks = ", ".join(f":{k}" for k in row)
                if conn.execute(f"INSERT OR IGNORE INTO watch_items ({cols}) VALUES ({marks})",
                                row).rowcount:
                    added.append(item)
            conn.execute("COMMIT")
        return added

    def get(self, url: str) -> WatchItem | None:
        """The watched item of ``url`` (normalized), or None."""
        with self.catalog.connect() as conn:
            row = conn.execute("SELECT * FROM watch_items WHERE url = ?", (url,)).fetchone()
        return _item(row) if row is not None else None

    def items(self) -> list[WatchItem]:
        """Every watched item: accounts first, then posts, each in the order added."""
        with self.catalog.connect() as conn:
            rows = conn.execute("SELECT * FROM watch_items ORDER BY kind = 'post', added_at, "
                                "url").fetchall()
        return [_item(r) for r in rows]

    def remove(self, url: str) -> bool:
        """Stop watching ``url``; its ledger stays (what was checked stays on record)."""
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            removed = conn.execute("DELETE FROM watch_items WHERE url = ?", (url,)).rowcount
            conn.execute("COMMIT")
        return bool(removed)

    def update(self, url: str, **values: Any) -> None:
        """Change columns of one item (one transaction)."""
        if "last_thread" in values:
            thread = values.pop("last_thread")
            values["last_thread_json"] = (json.dumps(thread, ensure_ascii=False)
                                          if thread is not None else None)
        sets = ", ".join(f"{k} = :{k}" for k in values)
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"UPDATE watch_items SET {sets} WHERE url = :url",
                         {**values, "url": url})
            conn.execute("COMMIT")

    def checked(self, url: str, entry: LedgerEntry, **values: Any) -> None:
        """A check ended: the ledger row and the item's new state in one transaction."""
        if "last_thread" in values:
            thread = values.pop("last_thread")
            values["last_thread_json"] = (json.dumps(thread, ensure_ascii=False)
                                          if thread is not None else None)
        row = entry.to_json()
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT INTO watch_checks ({', '.join(row)}) VALUES "
                         f"({', '.join(':' + k for k in row)})", row)
            if values:
                sets = ", ".join(f"{k} = :{k}" for k in values)
                conn.execute(f"UPDATE watch_items SET {sets} WHERE url = :url",
                             {**values, "url": url})
            conn.execute("COMMIT")

    # -- the ledger -----------------------------------------------------------------------
    def ledger(self, url: str | None = None, limit: int | None = None) -> list[LedgerEntry]:
        """Checks, newest first (of one URL when given)."""
        sql = "SELECT * FROM watch_checks"
        args: list[Any] = []
        if url is not None:
            sql += " WHERE url = ?"
            args.append(url)
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self.catalog.connect() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [LedgerEntry(**{k: r[k] for k in LedgerEntry.__dataclass_fields__})
                for r in rows]


class NotWatchedError(InputError):
    """``watch remove`` of a URL that is not on the watch list."""


def watch_url(store: WatchStore, url: str, *, account: bool = False,
              schedule: str | None = None, profile: str | None = None,
              case: str | None = None, now: datetime | None = None) -> tuple[WatchItem, bool]:
    """Put ``url`` on the watch list (a thread, or with ``account`` an account's page), due
    at once; ``(item, added)``. Already watched: its schedule, profile or case are changed
    to the ones given, and ``added`` is False. Raises :class:`InvalidURLError` or
    :class:`~somecapture.watch.schedule.ScheduleSpecError` with what to do."""
    from somecapture.inputs import normalize_url
    from somecapture.profiles import check_profile_name
    from somecapture.watch.schedule import Schedule

    try:
        normalized = normalize_url(url)
    except InvalidURLError as exc:
        raise InvalidURLError(f"{exc} (the URL to watch: somecapture watch add URL)") from None
    spec = Schedule.parse(schedule).spec
    if profile is not None:
        check_profile_name(profile)
    moment = now or datetime.now(UTC)
    item = WatchItem(url=normalized, kind=ACCOUNT if account else POST, schedule=spec,
                     added_at=iso(moment) or "", profile=profile, case_ref=case,
                     next_check=iso(moment))
    if store.add(item):
        return item, True
    existing = store.get(normalized)
    assert existing is not None
    changes = {k: v for k, v in (("schedule", spec if schedule is not None else None),
                                 ("profile", profile), ("case_ref", case)) if v is not None}
    if changes:
        store.update(normalized, **changes)
    return store.get(normalized) or existing, False


def unwatch_url(store: WatchStore, url: str) -> WatchItem:
    """Take ``url`` off the watch list (its packages and ledger stay); the item it was.
    Raises :class:`NotWatchedError` when it is not watched."""
    from somecapture.inputs import normalize_url

    try:
        normalized = normalize_url(url)
    except InvalidURLError:
        normalized = url.strip()
    item = store.get(normalized) or store.get(url.strip())
    if item is None or not store.remove(item.url):
        raise NotWatchedError(
            f"{url.strip()!r} is not on the watch list, so nothing was removed. "
            "'somecapture watch list' shows the watched addresses.")
    return item
