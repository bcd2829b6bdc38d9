"""One round of the watch: every watched item that is due is checked, once (issue 19).

A round (``somecapture watch run --once``, the OS scheduler's entry, the app's timer) does,
under the watch lock so that only one runs at a time:

1. finishes what an interrupted round left: a capture noted as running whose package was
   published is taken as done (nothing is captured twice), one that was not is due again;
2. looks at each due account's page for new posts (:mod:`somecapture.watch.discovery`); new
   posts join the list, due at once;
3. makes the cheap check of threads not yet due, at most a sixth of the way between two of
   their scheduled checks and at most :data:`~somecapture.watch.schedule.CHEAP_CHECKS_PER_ROUND`
   a round: a look at the page (no recording) for the reply count the page states; a count
   not the one the previous cheap check read makes the thread due now;
4. captures each due thread through the one capture pipeline, compared with its previous
   capture: unchanged, nothing is published and the check is on the ledger; changed, a new
   version is published that names the previous one. A failed check (a login profile that
   expired, a page that is gone) is reported and tried again later; the round goes on.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somecapture.batch import find_published
from somecapture.catalog import Catalog, record_in_catalog
from somecapture.engine.browser import BrowserSession
from somecapture.engine.page_steps import post_unavailable_notice, reported_replies
from somecapture.engine.probe import PageProbe, ProbeError
from somecapture.errors import ProfileLoggedOutError, SomecaptureError
from somecapture.filelock import FileLock
from somecapture.messages import Msg, message_of
from somecapture.models import CaptureResult, CaptureStatus, PreviousCapture
from somecapture.options import CaptureOptions
from somecapture.pipeline import CapturePipeline, out_dir_for
from somecapture.watch import discovery
from somecapture.watch.addresses import address_key
from somecapture.watch.cheap import CheapChecks
from somecapture.watch.schedule import (
    ACCOUNT_INTERVAL,
    CHEAP_CHECKS_PER_ROUND,
    Schedule,
    next_check,
    retry_at,
)
from somecapture.watch.store import (
    ACCOUNT,
    FAILED,
    FINISHED,
    LOGIN_EXPIRED,
    NEW,
    POST,
    WATCHING,
    LedgerEntry,
    WatchItem,
    WatchStore,
    iso,
    parse_iso,
)

log = logging.getLogger(__name__)

#: consecutive failures after which a thread whose schedule has passed is given up
MAX_FAILURES = 5


@dataclass(frozen=True)
class WatchNote:
    """A line of progress from the watch (an event for the listener, like the engine's).
    ``text`` is a catalogue message (:class:`~somecapture.messages.Msg`; its string is the
    English): render it in the archivist's language. ``failed``: the line tells of a check
    that failed, which the round's result also lists (``WatchRound.failed``): a listener
    that prints that list need not print it again."""

    text: str
    failed: bool = False


@dataclass(frozen=True)
class PublishedVersion:
    """A package a round published: a first capture or a later version."""

    url: str
    package: str
    capture_id: str
    status: str
    previous: str | None = None
    new_replies: int = 0
    edited: int = 0
    no_longer_observed: int = 0

    def to_json(self) -> dict[str, Any]:
        """The contract's shape (``published`` of ``watch run --json``), with the ids."""
        return {"url": self.url, "package": self.package, "previous": self.previous,
                "new_replies": self.new_replies, "edited": self.edited,
                "no_longer_observed": self.no_longer_observed,
                "capture_id": self.capture_id, "status": self.status}


@dataclass(frozen=True)
class FailedCheck:
    """A check that failed (the round went on). ``error`` is a catalogue message where the
    engine gave one (its string is the English)."""

    url: str
    error: str
    code: str

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"url": self.url, "error": self.error, "code": self.code}


@dataclass
class WatchRound:
    """What one round did."""

    #: the items looked at (threads captured or cheap-checked, account pages read), each once
    checked: int = 0
    published: list[PublishedVersion] = field(default_factory=list)
    failed: list[FailedCheck] = field(default_factory=list)
    #: threads captured again and found unchanged (nothing published; on the ledger)
    unchanged: list[str] = field(default_factory=list)
    #: posts new on the list, found on their accounts' pages
    discovered: list[str] = field(default_factory=list)
    #: partial captures among the published and unchanged (something may be missing)
    partial: list[str] = field(default_factory=list)
    #: why the round did nothing (another round was running; a catalogue message), or None
    skipped: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``watch run --json``: ``checked``, ``published``, ``failed`` (the contract), and
        what else the round did."""
        return {"checked": self.checked,
                "published": [p.to_json() for p in self.published],
                "failed": [f.to_json() for f in self.failed],
                "unchanged": list(self.unchanged), "discovered": list(self.discovered),
                "skipped": self.skipped}


def _now() -> datetime:
    return datetime.now(UTC)


class WatchRunner:
    """Runs rounds of the watch list of ``options.catalog_path`` with ``options``."""

    def __init__(self, options: CaptureOptions, listener: Callable[[Any], None] | None = None,
                 *, clock: Callable[[], datetime] = _now,
                 cheap_checks_per_round: int = CHEAP_CHECKS_PER_ROUND) -> None:
        self.options = options
        self.listener = listener
        self.clock = clock
        self.catalog = Catalog(options.catalog_path)
        self.store = WatchStore(self.catalog)
        self.out_dir = out_dir_for(options).expanduser().resolve()
        #: cheap checks a round makes at most (0: none)
        self.cheap_per_round = max(0, cheap_checks_per_round)

    def note(self, text: str, *, failed: bool = False) -> None:
        """Report progress to the listener (which must not fail; if it does, it is logged)."""
        if self.listener is None:
            return
        try:
            self.listener(WatchNote(text, failed))
        except Exception:  # noqa: BLE001 - progress display must never stop the round
            log.exception("watch listener failed")

    async def run_round(self, *, now: bool = False) -> WatchRound:
        """Check everything due (``now``: every watched item) once."""
        lock_file = self.catalog.path.parent / "watch.lock"
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock = await asyncio.to_thread(FileLock.try_acquire, lock_file)
        if lock is None:
            return WatchRound(skipped=Msg("watch.skipped_busy"))
        try:
            return await _Round(self, now).run()
        finally:
            # the lock file stays: unlinked after closing, a process that had just opened it
            # would lock a file no other process can find, and two rounds would run at once
            lock.release(remove=False)


class _Round:
    """One round's work and what it found."""

    def __init__(self, runner: WatchRunner, now: bool) -> None:
        self.runner = runner
        self.store = runner.store
        self.options = runner.options
        self.everything = now
        self.result = WatchRound()
        #: login profiles found logged out in this round: their items are not tried again
        self.expired: dict[str, str] = {}
        #: items an interrupted round left that cannot be resolved now (see reconcile)
        self.unresolved: set[str] = set()
        self.looked: set[str] = set()
        self.cheap = CheapChecks(self)

    def look_at(self, url: str) -> None:
        """Count ``url`` as checked in this round (once, however often it is looked at)."""
        self.looked.add(url)
        self.result.checked = len(self.looked)

    async def run(self) -> WatchRound:
        await asyncio.to_thread(self.reconcile)
        started = self.runner.clock()
        items = await asyncio.to_thread(self.store.items)
        accounts = [i for i in items if i.kind == ACCOUNT and self.due(i, started)]
        cheap = self.cheap.candidates(items, started)
        posts = [i for i in items if i.kind == POST and self.due(i, started)]
        if not (accounts or cheap or posts):
            self.runner.note(Msg("watch.nothing_due"))
            return self.result
        async with BrowserSession(self.options) as session:
            for account in accounts:
                await self.discover(session, account)
            if accounts:  # posts new on the list are due at once
                known = {p.url for p in posts}
                posts += [i for i in await asyncio.to_thread(self.store.items)
                          if i.kind == POST and i.url not in known and i.status == NEW
                          and i.url not in self.unresolved]
            posts += await self.cheap.run(session, cheap)
            for item in posts:
                await session.ensure_connected()
                await self.guarded(item, self.capture(session, item))
        return self.result

    async def guarded(self, item: WatchItem, work: Awaitable[Any]) -> Any:
        """One item's work: a bug in it is logged and reported, and the round goes on."""
        try:
            return await work
        except SomecaptureError as exc:
            self.result.failed.append(FailedCheck(item.url, message_of(exc), exc.code))
        except Exception as exc:  # noqa: BLE001 - one item must not stop the others
            log.exception("unexpected error checking %s", item.url)
            self.result.failed.append(FailedCheck(
                item.url, Msg("error.internal", error=f"{type(exc).__name__}: {exc}"),
                "internal"))
        return None

    # -- what is due ----------------------------------------------------------------------
    def due(self, item: WatchItem, moment: datetime) -> bool:
        if item.url in self.unresolved:
            return False  # whether it was published cannot be told now
        if item.running_capture:
            return True  # an interrupted capture that published nothing: do it now
        if self.everything:
            return True
        due = parse_iso(item.next_check)
        return due is not None and due <= moment

    def options_for(self, item: WatchItem) -> CaptureOptions:
        """The capture options of ``item``: its own login profile, output folder and leave
        to capture on the local network, where it has them (kept with the item at 'watch
        add', so a round gives the same whether the command line or the app runs it)."""
        changes: dict[str, Any] = {}
        if item.profile and item.profile != self.options.profile:
            changes["profile"] = item.profile
        if item.out_dir and Path(item.out_dir) != self.runner.out_dir:
            changes["out_dir"] = Path(item.out_dir)
        if item.allow_private_network and not self.options.allow_private_network:
            changes["allow_private_network"] = True
        return self.options.with_changes(**changes) if changes else self.options

    # -- an interrupted round -------------------------------------------------------------
    def reconcile(self) -> None:
        """Captures a killed round left as running: published ones are taken as done."""
        for item in self.store.items():
            if not item.running_capture:
                continue
            out = Path(item.running_out or self.runner.out_dir)
            try:
                package = find_published(out, item.running_capture, strict=True)
            except OSError as exc:
                # "not there" would capture it a second time: skipped until it can be read
                self.unresolved.add(item.url)
                error = Msg("watch.out_unreadable", out=str(out),
                            detail=str(exc.strerror or exc))
                self.result.failed.append(FailedCheck(item.url, error, "output_dir"))
                self.runner.note(Msg("watch.on", url=item.url, text=error), failed=True)
                continue
            if package is None:
                # nothing was published: the item stays due and is captured in this round
                self.store.update(item.url, running_capture=None, running_out=None,
                                  next_check=iso(self.runner.clock()))
                continue
            result = _result_from_package(item, package)
            # catalogued from the package's own files, unless it was recorded before the kill
            self.runner.catalog.adopt_packages(out)
            self.runner.note(Msg("watch.recovered", url=item.url, package=str(package)))
            self.finished(item, result, recovered=True)

    # -- accounts -------------------------------------------------------------------------
    async def discover(self, session: BrowserSession, account: WatchItem) -> None:
        """Look at an account's page (and its feeds) for posts not on the list yet."""
        moment = self.runner.clock()
        self.look_at(account.url)
        self.runner.note(Msg("watch.looking", url=account.url))
        profile = self.options_for(account).profile
        try:
            if profile and profile in self.expired:
                raise ProfileLoggedOutError(self.expired[profile])
            found, notes = await self._find_posts(session, account)
        except ProfileLoggedOutError as exc:
            if profile:
                self.expired[profile] = message_of(exc)
            await asyncio.to_thread(self._failed_account, account, message_of(exc), moment,
                                    exc.code)
            return
        except (ProbeError, SomecaptureError) as exc:
            await asyncio.to_thread(self._failed_account, account, message_of(exc), moment,
                                    "discovery")
            return
        own = address_key(account.url)
        new = [WatchItem(url=p.url, kind=POST, schedule=account.schedule,
                         added_at=iso(moment) or "", account_url=account.url,
                         profile=account.profile, case_ref=account.case_ref,
                         published_at=p.published_at, next_check=iso(moment), title=p.title,
                         out_dir=account.out_dir,
                         allow_private_network=account.allow_private_network)
               for p in found if address_key(p.url) != own]
        added = await asyncio.to_thread(self.store.add_many, new)
        self.result.discovered += [a.url for a in added]
        detail = Msg("watch.discovered", found=len(found), new=len(added),
                     urls=", ".join(a.url for a in added), has_urls="yes" if added else "no",
                     notes=list(notes), has_notes="yes" if notes else "no")
        self.runner.note(Msg("watch.on", url=account.url, text=detail))
        await asyncio.to_thread(
            self.store.checked, account.url,
            LedgerEntry(url=account.url, checked_at=iso(moment) or "", kind="discovery",
                        outcome="discovered" if added else "nothing new", detail=detail),
            status=WATCHING, last_check=iso(moment), checks=account.checks + 1,
            next_check=iso(moment + ACCOUNT_INTERVAL),
            posts_found=account.posts_found + len(added), posts_on_page=len(found),
            last_error=None, failures=0)

    async def _find_posts(self, session: BrowserSession, account: WatchItem
                          ) -> tuple[list[discovery.FoundPost], list[str]]:
        """The posts the account's page and feeds give, and notes on what was left out.
        With a login profile, a page that shows it is seen logged out raises
        :class:`ProfileLoggedOutError` (a login wall shows no posts: not "nothing new")."""
        options = self.options_for(account)
        state = await session.profile_state(options.profile) if options.profile else None
        notes: list[str] = []
        async with PageProbe(session, allow_private_network=options.allow_private_network,
                             proxy=options.proxy, storage_state=state) as probe:
            page = await probe.look(account.url, login_check=bool(options.profile))
            if page.logged_out:
                raise ProfileLoggedOutError(Msg("watch.account_logged_out",
                                                profile=options.profile, wall=page.logged_out))
            sources: list[list[discovery.FoundPost]] = []
            for kind, url in discovery.feed_links(page.html, page.final_url)[:3]:
                try:
                    entries = await self._read_feed(probe, kind, url)
                except ProbeError as exc:
                    self.runner.note(Msg("watch.feed_not_read", url=account.url, feed=url,
                                         detail=message_of(exc)))
                    continue
                kept, left = discovery.on_account_sites(entries, account.url, page.final_url)
                if left:
                    notes.append(Msg("watch.feed_left_out", count=left, feed=url))
                sources.append(kept)
            on_page = discovery.page_posts(page.html, page.final_url, account.url)
            sources.append(on_page.posts)
            notes += on_page.notes
        return discovery.merge_found(*sources), notes

    @staticmethod
    async def _read_feed(probe: PageProbe, kind: str, url: str) -> list[discovery.FoundPost]:
        if kind in ("atom", "rss"):
            return discovery.posts_from_feed(await probe.fetch(url), url)
        found: list[discovery.FoundPost] = []
        following: str | None = url
        for _ in range(3):  # actor -> outbox -> its first page
            if following is None:
                break
            data = await probe.fetch(following, accept=discovery.ACTIVITY_ACCEPT)
            posts, following = discovery.read_activitystreams(data, following)
            found += posts
            if posts:
                break
        return found

    def _failed_account(self, account: WatchItem, error: str, moment: datetime,
                        code: str) -> None:
        """Looking for an account's posts failed: said, on the ledger, tried again later (an
        expired login is ``login-expired``, as a capture's)."""
        self.result.failed.append(FailedCheck(account.url, error, code))
        self.runner.note(Msg("watch.on", url=account.url, text=error), failed=True)
        expired = code == ProfileLoggedOutError.code
        self.store.checked(
            account.url, LedgerEntry(url=account.url, checked_at=iso(moment) or "",
                                     kind="discovery",
                                     outcome="login expired" if expired else "failed",
                                     detail=error),
            status=LOGIN_EXPIRED if expired else FAILED, last_check=iso(moment),
            last_error=error, next_check=iso(moment + ACCOUNT_INTERVAL),
            failures=account.failures + 1)

    # -- captures -------------------------------------------------------------------------
    async def capture(self, session: BrowserSession, item: WatchItem) -> None:
        """Capture a due thread, compared with its previous capture."""
        moment = self.runner.clock()
        self.look_at(item.url)
        options = self.options_for(item)
        if options.profile and options.profile in self.expired:
            await asyncio.to_thread(self._failed, item, self.expired[options.profile],
                                    ProfileLoggedOutError.code, moment)
            return
        capture_id = str(uuid.uuid4())
        item = await asyncio.to_thread(self._running, item, capture_id)
        previous = await asyncio.to_thread(_previous, item)
        self.runner.note(Msg("watch.checking", url=item.url, first="no" if previous else "yes",
                             version=previous.version - 1 if previous else 0,
                             capture=previous.capture_id if previous else ""))
        record = options.record.merged(case=item.case_ref)
        pipeline = CapturePipeline(session, options, self.runner.listener, record_catalog=False)
        result = await pipeline.capture(item.url, capture_id=capture_id, record=record,
                                        previous=previous)
        if result.status is CaptureStatus.FAILED:
            if result.error_code == ProfileLoggedOutError.code and options.profile:
                self.expired[options.profile] = result.error or ""
            await asyncio.to_thread(self._failed, item, result.error or Msg("status.failed"),
                                    result.error_code or "error", moment)
            return
        if result.package is not None:
            # as every capture is recorded: a catalogue that cannot be written is a warning
            # (logged), never a lost package
            await asyncio.to_thread(record_in_catalog, options, result)
        if await asyncio.to_thread(self.finished, item, result) == WATCHING:
            # what the cheap check reads now is what its later looks are compared with
            await self.cheap.baseline(session, item)

    def _running(self, item: WatchItem, capture_id: str) -> WatchItem:
        """Note the capture before it starts (a killed round finds it on its next start)."""
        out = out_dir_for(self.options_for(item)).expanduser().resolve()
        self.store.update(item.url, running_capture=capture_id, running_out=str(out))
        return self.store.get(item.url) or item

    def finished(self, item: WatchItem, result: CaptureResult, *,
                 recovered: bool = False) -> str:
        """A capture ended with a result: advance the schedule, keep the ledger; the item's
        status after it."""
        moment = self.runner.clock()
        root = (result.thread or {}).get("root") or {}
        published_at = item.published_at or _exact(root.get("published_at"))
        schedule = Schedule.parse(item.schedule)
        base = parse_iso(published_at) or parse_iso(item.added_at) or moment
        _step, due = next_check(schedule, base, moment)
        counts = (result.changes or {}).get("counts") or {}
        values: dict[str, Any] = {
            "status": WATCHING if due is not None else FINISHED,
            "next_check": iso(due), "last_check": iso(moment), "checks": item.checks + 1,
            "published_at": published_at, "running_capture": None, "running_out": None,
            "last_error": None, "failures": 0,
            "reported": reported_replies((result.completeness or {}).get("reported") or {}),
            "replies": len((result.thread or {}).get("replies") or []),
        }
        if result.status is CaptureStatus.PARTIAL:
            self.result.partial.append(item.url)
        if result.package is not None:
            first = item.first_capture or result.capture_id
            values.update(versions=item.versions + 1, last_capture=result.capture_id,
                          last_package=str(result.package), first_capture=first,
                          # later versions go where the first went, whatever runs the round
                          out_dir=item.out_dir or str(Path(result.package).parent),
                          title=(result.registration or {}).get("title") or item.title)
            if item.first_capture is None:
                values["first_case"] = (result.registration or {}).get("case")
            version = PublishedVersion(
                url=item.url, package=str(result.package), capture_id=result.capture_id,
                status=result.status.value, previous=result.previous_capture,
                new_replies=int(counts.get("new_replies") or 0),
                edited=int(counts.get("edited_replies") or 0),
                no_longer_observed=int(counts.get("no_longer_observed") or 0))
            self.result.published.append(version)
            outcome = "published"
            changes = result.changes or {}
            detail = (Msg("watch.detail.first") if result.previous_capture is None else
                      Msg("watch.detail.version", version=item.versions + 1,
                          new=version.new_replies, edited=version.edited,
                          gone=version.no_longer_observed,
                          not_read=int(counts.get("not_read") or 0),
                          root_gone="yes" if changes.get("root_no_longer_observed") else "no",
                          not_compared="yes" if changes.get("not_compared") else "no"))
        elif (notice := post_unavailable_notice(result.completeness or {})) is not None:
            # never "as before": the post was not there then and is not there now
            self.result.unchanged.append(item.url)
            outcome = "post unavailable"
            detail = Msg("watch.detail.unavailable", notice=notice)
        else:
            self.result.unchanged.append(item.url)
            outcome = "unchanged"
            detail = Msg("watch.detail.unchanged",
                         partial="yes" if result.status is CaptureStatus.PARTIAL else "no")
        if recovered:
            detail = Msg("watch.detail.recovered", detail=detail)
        # the ledger's outcome stays a stable word (JSON, the catalogue); the line says it
        self.runner.note(Msg("watch.finished", url=item.url, detail=detail,
                             outcome="unavailable" if outcome == "post unavailable"
                             else outcome))
        self.store.checked(item.url, LedgerEntry(
            url=item.url, checked_at=iso(moment) or "", kind="capture", outcome=outcome,
            capture_id=result.capture_id, previous_capture=result.previous_capture,
            package=str(result.package) if result.package else None,
            new_replies=counts.get("new_replies"), edited=counts.get("edited_replies"),
            no_longer_observed=counts.get("no_longer_observed"), detail=detail,
            status=result.status.value), **values)
        return str(values["status"])

    def _failed(self, item: WatchItem, error: str, code: str, moment: datetime) -> None:
        """A check that failed: said, on the ledger, and tried again later."""
        self.result.failed.append(FailedCheck(item.url, error, code))
        self.runner.note(Msg("watch.failed_line", url=item.url, error=error), failed=True)
        schedule = Schedule.parse(item.schedule)
        base = parse_iso(item.published_at) or parse_iso(item.added_at) or moment
        failures = item.failures + 1
        give_up = failures >= MAX_FAILURES and schedule.due_at(
            base, schedule.step_at(base, moment)) is None
        status = LOGIN_EXPIRED if code == ProfileLoggedOutError.code else FAILED
        self.store.checked(item.url, LedgerEntry(
            url=item.url, checked_at=iso(moment) or "", kind="capture", outcome="failed",
            detail=Msg("watch.coded", code=code, error=error), status=CaptureStatus.FAILED.value),
            status=FINISHED if give_up else status, last_check=iso(moment),
            last_error=error, failures=failures, running_capture=None, running_out=None,
            next_check=None if give_up else iso(retry_at(schedule, base, moment)))


def _exact(value: Any) -> str | None:
    """An exact publication time (RFC 3339 with a zone), else None."""
    return value if isinstance(value, str) and parse_iso(value) is not None else None


def _previous(item: WatchItem) -> PreviousCapture | None:
    """The capture a re-capture of ``item`` is compared with: the last published package's
    thread as its metadata has it (the package is the evidence; the catalogue keeps no copy
    of a thread); None for a first capture. A package that cannot be read gives no thread
    and says why (the re-capture is then a version compared with nothing)."""
    if not item.last_capture:
        return None
    thread: dict[str, Any] | None = None
    captured_at = status = None
    unreadable: Msg | None = None
    if not item.last_package:
        unreadable = Msg("watch.prev.no_place")
    else:
        name = Path(item.last_package).name
        try:
            meta = json.loads((Path(item.last_package) / "data" /
                               "capture-metadata.json").read_text("utf-8"))
        except FileNotFoundError:
            unreadable = Msg("watch.prev.gone", name=name)
        except (OSError, ValueError) as exc:
            unreadable = Msg("watch.prev.unreadable", name=name,
                             detail=getattr(exc, "strerror", None) or type(exc).__name__)
        else:
            if not isinstance(meta, dict) or meta.get("capture_id") != item.last_capture:
                unreadable = Msg("watch.prev.other", name=name)
            else:
                thread = meta.get("thread") if isinstance(meta.get("thread"), dict) else {}
                captured_at, status = meta.get("captured_at"), meta.get("status")
    if unreadable:
        log.warning("previous capture of %s not readable: %s", item.url, unreadable)
    return PreviousCapture(capture_id=item.last_capture, thread=thread,
                           first_capture_id=item.first_capture or item.last_capture,
                           first_case=item.first_case, captured_at=captured_at,
                           version=item.versions + 1, status=status, unreadable=unreadable)


def _result_from_package(item: WatchItem, package: Path) -> CaptureResult:
    """The result of a capture a killed round published (from the package's own metadata)."""
    meta: dict[str, Any] = {}
    try:
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        pass
    result = CaptureResult(url=item.url, capture_id=str(item.running_capture),
                           status=CaptureStatus(meta.get("status", "complete")))
    result.package = package
    result.final_url = meta.get("final_url")
    result.warnings = list(meta.get("warnings") or [])
    result.thread = meta.get("thread") or {}
    result.completeness = meta.get("completeness") or {}
    result.registration = meta.get("registration") or {}
    result.provenance = {"started_at": meta.get("captured_at")}
    result.previous_capture = meta.get("previous_capture")
    result.changes = meta.get("changes")
    return result
