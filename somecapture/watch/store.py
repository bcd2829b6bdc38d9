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
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from somecapture.catalog import Catalog
from somecapture.errors import InputError, InvalidURLError, OptionsError
from somecapture.messages import Msg, message_of, msg_from_json, msg_json

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
    checks: int = 0
    #: threads: versions published
    versions: int = 0
    first_capture: str | None = None
    first_case: str | None = None
    last_capture: str | None = None
    last_package: str | None = None
    #: threads: replies in the last capture, and the count the page stated then
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
    #: accounts: posts found on it (watched as threads), and posts its page last showed
    posts_found: int = 0
    posts_on_page: int | None = None
    #: the folder its packages go to (``watch add --out``, else where its first package
    #: went): every round uses it, whether the command line or the app runs the round
    out_dir: str | None = None
    #: ``watch add --allow-private-network``: its rounds may capture intranet addresses
    #: (the table keeps 0 or 1)
    allow_private_network: bool = False

    def to_json(self) -> dict[str, Any]:
        """What ``watch list --json`` shows of it: a thread's versions and replies, an
        account's posts."""
        out: dict[str, Any] = {
            "url": self.url, "kind": self.kind, "status": self.status,
            "schedule": self.schedule, "account": self.account_url,
            "profile": self.profile, "case": self.case_ref, "title": self.title,
            "added_at": self.added_at, "published_at": self.published_at,
            "next_check": self.next_check, "last_check": self.last_check,
            "checks": self.checks, "last_error": self.last_error,
            "out_dir": self.out_dir,
            "allow_private_network": bool(self.allow_private_network),
        }
        if self.kind == ACCOUNT:
            out.update(posts_found=self.posts_found, posts_on_page=self.posts_on_page)
        else:
            out.update(versions=self.versions, replies=self.replies,
                       reported_replies=self.reported, first_capture=self.first_capture,
                       last_capture=self.last_capture, last_package=self.last_package)
        return out


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
    #: a capture's status (``complete``, ``partial``, ``failed``); None for other checks
    status: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return dict(self.__dict__)


_ITEM_FIELDS = tuple(WatchItem.__dataclass_fields__)
#: the columns read for the list: never a thread's content (the catalogue keeps none); the
#: last error also as a catalogue message
_ITEM_COLUMNS = ", ".join((*_ITEM_FIELDS, "last_error_json"))
#: columns that keep a text and, beside it, the same text as a catalogue message (code and
#: parameters: shown in the archivist's language); the text column keeps the English
_MESSAGE_COLUMNS = {"last_error": "last_error_json", "detail": "detail_json"}


def _with_messages(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the message column of each text that has one: the message's JSON,
    NULL for a plain text (an engine's own words, an older version's)."""
    out = dict(values)
    for column, stored in _MESSAGE_COLUMNS.items():
        if column in values:
            value = values[column]
            out[stored] = (json.dumps(msg_json(value), ensure_ascii=False)
                           if isinstance(value, Msg) else None)
    return out


def _message(text: str | None, stored: str | None) -> str | None:
    """The text of a column as its message when one was kept (else the text as it is)."""
    if not text or not stored:
        return text
    try:
        return msg_from_json(json.loads(stored))
    except ValueError:
        return text


def _item(row: Any) -> WatchItem:
    values = {name: row[name] for name in _ITEM_FIELDS}
    values["last_error"] = _message(row["last_error"], row["last_error_json"])
    return WatchItem(**values)


def _insert(conn: sqlite3.Connection, item: WatchItem) -> bool:
    """Insert ``item`` unless its URL is watched already; True when it was inserted."""
    row = _with_messages({name: getattr(item, name) for name in _ITEM_FIELDS})
    cols = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    return bool(conn.execute(f"INSERT OR IGNORE INTO watch_items ({cols}) VALUES ({marks})",
                             row).rowcount)


def _set(conn: sqlite3.Connection, url: str, values: dict[str, Any]) -> None:
    unknown = set(values) - set(_ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not columns of watch_items: {sorted(unknown)}")
    if values:
        values = _with_messages(values)
        sets = ", ".join(f"{k} = :{k}" for k in values)
        conn.execute(f"UPDATE watch_items SET {sets} WHERE url = :url", {**values, "url": url})


class WatchStore:
    """The watch list and ledger of one catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # -- the list -------------------------------------------------------------------------
    def add(self, item: WatchItem) -> bool:
        """Add ``item`` unless its URL is watched already; True when it was added."""
        return bool(self.add_many([item]))

    def add_many(self, items: Iterable[WatchItem]) -> list[WatchItem]:
        """Add the items not watched yet (one transaction); those that were added. An item
        is watched already when a watched URL has the same key
        (:func:`~somecapture.watch.addresses.address_key`: the same post under another
        address form, with tracking parameters, another host prefix)."""
        from somecapture.watch.addresses import address_key

        added: list[WatchItem] = []
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            known = {address_key(row[0]) for row in conn.execute("SELECT url FROM watch_items")}
            for item in items:
                key = address_key(item.url)
                if key in known:
                    continue
                if _insert(conn, item):
                    known.add(key)
                    added.append(item)
            conn.execute("COMMIT")
        return added

    def find(self, url: str) -> WatchItem | None:
        """The watched item of ``url`` or of another address of the same post (see
        :meth:`add_many`), or None."""
        from somecapture.watch.addresses import address_key

        found = self.get(url)
        if found is not None:
            return found
        key = address_key(url)
        with self.catalog.connect() as conn:
            urls = [row[0] for row in conn.execute("SELECT url FROM watch_items")]
        same = next((u for u in urls if address_key(u) == key), None)
        return self.get(same) if same is not None else None

    def get(self, url: str) -> WatchItem | None:
        """The watched item of exactly ``url``, or None."""
        with self.catalog.connect() as conn:
            row = conn.execute(f"SELECT {_ITEM_COLUMNS} FROM watch_items WHERE url = ?",
                               (url,)).fetchone()
        return _item(row) if row is not None else None

    def items(self) -> list[WatchItem]:
        """Every watched item: accounts first, then posts, each in the order added."""
        with self.catalog.connect() as conn:
            rows = conn.execute(f"SELECT {_ITEM_COLUMNS} FROM watch_items ORDER BY "
                                "kind = 'post', added_at, url").fetchall()
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
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            _set(conn, url, values)
            conn.execute("COMMIT")

    def checked(self, url: str, entry: LedgerEntry, **values: Any) -> None:
        """A check ended: the ledger row and the item's new state in one transaction."""
        row = _with_messages(entry.to_json())
        with self.catalog.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT INTO watch_checks ({', '.join(row)}) VALUES "
                         f"({', '.join(':' + k for k in row)})", row)
            _set(conn, url, values)
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
        return [LedgerEntry(**{k: r[k] for k in LedgerEntry.__dataclass_fields__
                               if k != "detail"},
                            detail=_message(r["detail"], r["detail_json"]))
                for r in rows]


class NotWatchedError(InputError):
    """``watch remove`` of a URL that is not on the watch list."""


def watch_url(store: WatchStore, url: str, *, account: bool = False,
              schedule: str | None = None, profile: str | None = None,
              case: str | None = None, now: datetime | None = None,
              out_dir: str | None = None,
              allow_private_network: bool = False) -> tuple[WatchItem, bool]:
    """Put ``url`` on the watch list (a thread, or with ``account`` an account's page), due
    at once; ``(item, added)``. Already watched (under this or another address of the same
    post): its schedule, profile or case are changed to the ones given (a new schedule
    moves its next check), and ``added`` is False. Raises :class:`InvalidURLError`,
    :class:`~somecapture.watch.schedule.ScheduleSpecError` or :class:`OptionsError` (a
    ``--profile`` that is not allowed or does not exist) with what to do, and
    :class:`InputError` when the address is watched as the other kind. ``out_dir`` (an
    absolute folder) and ``allow_private_network`` are kept with the item and used by every
    round (given again for a watched item, they replace or add to what it had)."""
    from somecapture.profiles import check_profile_name, profile_path
    from somecapture.watch.addresses import canonical_url
    from somecapture.watch.schedule import Schedule

    try:
        normalized = canonical_url(url)
    except InvalidURLError as exc:
        raise InvalidURLError(Msg("watch.bad_url", problem=message_of(exc))) from None
    parsed = Schedule.parse(schedule)
    if profile is not None:
        try:
            check_profile_name(profile)
        except OptionsError as exc:
            raise OptionsError(Msg("option.named", option="--profile",
                                   problem=exc.msg or str(exc))) from None
        if not profile_path(profile).is_dir():
            raise OptionsError(Msg("option.no_such_profile", option="--profile", name=profile))
    moment = now or datetime.now(UTC)
    kind = ACCOUNT if account else POST
    existing = store.find(normalized)
    if existing is None:
        item = WatchItem(url=normalized, kind=kind, schedule=parsed.spec,
                         added_at=iso(moment) or "", profile=profile, case_ref=case,
                         next_check=iso(moment), out_dir=out_dir,
                         allow_private_network=allow_private_network)
        if store.add(item):
            return item, True
        existing = store.find(normalized)  # added meanwhile by another process
        assert existing is not None
    if existing.kind != kind:
        raise InputError(Msg("watch.other_kind", url=existing.url, kind=existing.kind))
    changes: dict[str, Any] = {k: v for k, v in (("profile", profile), ("case_ref", case),
                                                 ("out_dir", out_dir)) if v is not None}
    if allow_private_network and not existing.allow_private_network:
        changes["allow_private_network"] = True
    if schedule is not None and parsed.spec != existing.schedule:
        changes.update(schedule=parsed.spec, **_rescheduled(existing, parsed, moment))
    if changes:
        store.update(existing.url, **changes)
    return store.get(existing.url) or existing, False


def _rescheduled(item: WatchItem, schedule: Any, moment: datetime) -> dict[str, Any]:
    """A thread's next check under a new schedule: the first of its offsets not passed at
    the last check (due at once if that has passed); none left, the thread is finished. An
    account, or a thread not checked yet, keeps its next check."""
    from somecapture.watch.schedule import next_check

    if item.kind != POST or item.last_check is None:
        return {}
    base = parse_iso(item.published_at) or parse_iso(item.added_at) or moment
    _step, due = next_check(schedule, base, parse_iso(item.last_check) or moment)
    if due is None:
        return {"next_check": None, "status": FINISHED}
    status = WATCHING if item.status == FINISHED else item.status
    return {"next_check": iso(due), "status": status}


def unwatch_url(store: WatchStore, url: str) -> WatchItem:
    """Take ``url`` off the watch list (its packages and ledger stay); the item it was.
    Raises :class:`NotWatchedError` when it is not watched."""
    from somecapture.watch.addresses import canonical_url

    try:
        normalized = canonical_url(url)
    except InvalidURLError:
        normalized = url.strip()
    item = store.find(normalized) or store.get(url.strip())
    if item is None or not store.remove(item.url):
        raise NotWatchedError(Msg("watch.not_watched", url=url.strip()))
    return item
