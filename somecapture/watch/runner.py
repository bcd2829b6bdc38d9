"""One round of the watch: every watched item that is due is checked, once (issue 19).

A round (``somecapture watch run --once``, the OS scheduler's entry, the app's timer) does,
under the watch lock so that only one runs at a time:

1. finishes what an interrupted round left: a capture noted as running whose package was
   published is taken as done (nothing is captured twice), one that was not is due again;
2. looks at each due account's page for new posts (:mod:`somecapture.watch.discovery`); new
   posts join the list, due at once;
3. makes the cheap check of threads not yet due: a look at the page (no recording) for the
   reply count the page states; a count that changed makes the thread due now;
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
from somecapture.engine.probe import PageProbe, ProbeError
from somecapture.errors import ProfileLoggedOutError, SomecaptureError
from somecapture.filelock import FileLock
from somecapture.models import CaptureResult, CaptureStatus, PreviousCapture
from somecapture.options import CaptureOptions
from somecapture.package.builder import default_out_dir
from somecapture.pipeline import CapturePipeline
from somecapture.thread.diff import thread_snapshot
from somecapture.thread.markup import read_markup
from somecapture.watch import discovery
from somecapture.watch.schedule import (
    ACCOUNT_INTERVAL,
    CHEAP_CHECK_INTERVAL,
    Schedule,
    next_check,
    retry_at,
)
from somecapture.watch.store import (
    ACCOUNT,
    FAILED,
    FINISHED,
    LOGIN_EXPIRED,
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
    """A line of progress from the watch (an event for the listener, like the engine's)."""

    text: str


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
    """A check that failed (the round went on)."""

    url: str
    error: str
    code: str

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data."""
        return {"url": self.url, "error": self.error, "code": self.code}


@dataclass
class WatchRound:
    """What one round did."""

    checked: int = 0
    published: list[PublishedVersion] = field(default_factory=list)
    failed: list[FailedCheck] = field(default_factory=list)
    #: threads captured again and found unchanged (nothing published; on the ledger)
    unchanged: list[str] = field(default_factory=list)
    #: posts new on the list, found on their accounts' pages
    discovered: list[str] = field(default_factory=list)
    #: partial captures among the published and unchanged (something may be missing)
    partial: list[str] = field(default_factory=list)
    #: why the round did nothing (another round was running), or None
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
                 *, clock: Callable[[], datetime] = _now) -> None:
        self.options = options
        self.listener = listener
        self.clock = clock
        self.catalog = Catalog(options.catalog_path)
        self.store = WatchStore(self.catalog)
        self.out_dir = (options.out_dir or default_out_dir()).expanduser().resolve()

    def note(self, text: str) -> None:
        """Report progress to the listener (which must not fail; if it does, it is logged)."""
        if self.listener is None:
            return
        try:
            self.listener(WatchNote(text))
        except Exception:  # noqa: BLE001 - progress display must never stop the round
            log.exception("watch listener failed")

    async def run_round(self, *, now: bool = False) -> WatchRound:
        """Check everything due (``now``: every watched item) once."""
        lock_file = self.catalog.path.parent / "watch.lock"
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock = await asyncio.to_thread(FileLock.try_acquire, lock_file)
        if lock is None:
            return WatchRound(skipped="another watch round (the app, or the scheduled "
                              "'somecapture watch run --once') is checking the watch list "
                              "right now; it does this round's work")
        try:
            return await _Round(self, now).run()
        finally:
            lock.release()


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

    async def run(self) -> WatchRound:
        await asyncio.to_thread(self.reconcile)
        started = self.runner.clock()
        items = await asyncio.to_thread(self.store.items)
        accounts = [i for i in items if i.kind == ACCOUNT and self.due(i, started)]
        cheap = [i for i in items if i.kind == POST and self.cheap_due(i, started)]
        posts = [i for i in items if i.kind == POST and self.due(i, started)]
        if not (accounts or cheap or posts):
            self.runner.note("Nothing is due.")
            return self.result
        async with BrowserSession(self.options) as session:
            for account in accounts:
                await self.discover(session, account)
            if accounts:  # posts new on the list are due at once
                known = {p.url for p in posts}
                posts += [i for i in await asyncio.to_thread(self.store.items)
                          if i.kind == POST and i.url not in known and i.status == "new"]
            posts += await self.cheap_checks(session, cheap)
            for item in posts:
                await session.ensure_connected()
                await self.guarded(item, self.capture(session, item))
        return self.result

    async def guarded(self, item: WatchItem, work: Awaitable[Any]) -> Any:
        """One item's work: a bug in it is logged and reported, and the round goes on."""
        try:
            return await work
        except SomecaptureError as exc:
            self.result.failed.append(FailedCheck(item.url, str(exc), exc.code))
        except Exception as exc:  # noqa: BLE001 - one item must not stop the others
            log.exception("unexpected error checking %s", item.url)
            self.result.failed.append(FailedCheck(
                item.url, f"Unexpected error ({type(exc).__name__}: {exc}). This is a bug in "
                "somecapture; the log file has details.", "internal"))
        return None

    # -- what is due ----------------------------------------------------------------------
    def due(self, item: WatchItem, moment: datetime) -> bool:
        if item.running_capture:
            return True  # an interrupted capture that published nothing: do it now
        if self.everything:
            return True
        due = parse_iso(item.next_check)
        return due is not None and due <= moment

    def cheap_due(self, item: WatchItem, moment: datetime) -> bool:
        """A thread between its scheduled checks whose page is worth a look."""
        if self.due(item, moment) or item.status not in (WATCHING,) or item.cheap_count == -1:
            return False
        last = parse_iso(item.last_cheap) or parse_iso(item.last_check)
        return last is None or moment - last >= CHEAP_CHECK_INTERVAL

    def _options(self, item: WatchItem) -> CaptureOptions:
        if item.profile and item.profile != self.options.profile:
            return self.options.with_changes(profile=item.profile)
        return self.options

    # -- an interrupted round -------------------------------------------------------------
    def reconcile(self) -> None:
        """Captures a killed round left as running: published ones are taken as done."""
        for item in self.store.items():
            if not item.running_capture:
                continue
            out = Path(item.running_out or self.runner.out_dir)
            package = find_published(out, item.running_capture)
            if package is None:
                # nothing was published: the item stays due and is captured in this round
                self.store.update(item.url, running_capture=None, running_out=None,
                                  next_check=iso(self.runner.clock()))
                continue
            result = _result_from_package(item, package)
            # catalogued from the package's own files, unless it was recorded before the kill
            self.runner.catalog.adopt_packages(out)
            self.runner.note(f"{item.url}: the interrupted round had published {package}")
            self.finished(item, result, recovered=True)

    # -- accounts -------------------------------------------------------------------------
    async def discover(self, session: BrowserSession, account: WatchItem) -> None:
        """Look at an account's page (and its feeds) for posts not on the list yet."""
        moment = self.runner.clock()
        self.result.checked += 1
        self.runner.note(f"Looking for new posts: {account.url}")
        try:
            found = await self._find_posts(session, account)
        except (ProbeError, SomecaptureError) as exc:
            self._failed_account(account, str(exc), moment)
            return
        new = [WatchItem(url=p.url, kind=POST, schedule=account.schedule,
                         added_at=iso(moment) or "", account_url=account.url,
                         profile=account.profile, case_ref=account.case_ref,
                         published_at=p.published_at, next_check=iso(moment), title=p.title)
               for p in found if p.url != account.url]
        added = await asyncio.to_thread(self.store.add_many, new)
        self.result.discovered += [a.url for a in added]
        detail = (f"{len(found)} post(s) on the page and its feeds, {len(added)} new"
                  + (": " + ", ".join(a.url for a in added) if added else ""))
        self.runner.note(f"{account.url}: {detail}")
        await asyncio.to_thread(
            self.store.checked, account.url,
            LedgerEntry(url=account.url, checked_at=iso(moment) or "", kind="discovery",
                        outcome="discovered" if added else "nothing new", detail=detail),
            status=WATCHING, last_check=iso(moment), checks=account.checks + 1,
            next_check=iso(moment + ACCOUNT_INTERVAL), versions=account.versions + len(added),
            replies=len(found), last_error=None, failures=0)

    async def _find_posts(self, session: BrowserSession,
                          account: WatchItem) -> list[discovery.FoundPost]:
        options = self._options(account)
        state = await session.profile_state(options.profile) if options.profile else None
        async with PageProbe(session, allow_private_network=options.allow_private_network,
                             proxy=options.proxy, storage_state=state) as probe:
            page = await probe.look(account.url)
            sources: list[list[discovery.FoundPost]] = []
            for kind, url in discovery.feed_links(page.html, page.final_url)[:3]:
                try:
                    sources.append(await self._read_feed(probe, kind, url))
                except ProbeError as exc:
                    self.runner.note(f"{account.url}: feed {url} not read ({exc})")
            sources.append(discovery.page_posts(page.html, page.final_url, account.url))
        return discovery.merge_found(*sources)

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

    def _failed_account(self, account: WatchItem, error: str, moment: datetime) -> None:
        self.result.failed.append(FailedCheck(account.url, error, "discovery"))
        self.runner.note(f"{account.url}: {error}")
        self.store.checked(
            account.url, LedgerEntry(url=account.url, checked_at=iso(moment) or "",
                                     kind="discovery", outcome="failed", detail=error),
            status=FAILED, last_check=iso(moment), last_error=error,
            next_check=iso(moment + ACCOUNT_INTERVAL), failures=account.failures + 1)

    # -- the cheap check ------------------------------------------------------------------
    async def cheap_checks(self, session: BrowserSession,
                           items: list[WatchItem]) -> list[WatchItem]:
        """The cheap check of each item, in one guarded browser context per login profile;
        the items whose reply count changed (they are captured now)."""
        changed: list[WatchItem] = []
        by_profile: dict[str | None, list[WatchItem]] = {}
        for item in items:
            by_profile.setdefault(self._options(item).profile, []).append(item)
        for profile, group in by_profile.items():
            options = self._options(group[0])
            try:
                state = await session.profile_state(profile) if profile else None
                async with PageProbe(session,
                                     allow_private_network=options.allow_private_network,
                                     proxy=options.proxy, storage_state=state) as probe:
                    for item in group:
                        if await self.guarded(item, self.cheap_check(probe, item)):
                            changed.append(item)
            except (ProbeError, SomecaptureError) as exc:
                # the captures at the scheduled times will say what is wrong
                self.runner.note(f"cheap checks not possible ({exc})")
        return changed

    async def cheap_check(self, probe: PageProbe, item: WatchItem) -> bool:
        """Look at the thread's page (rendered, not recorded) for the reply count it states;
        True when the count is not the one last seen."""
        moment = self.runner.clock()
        self.result.checked += 1
        try:
            page = await probe.look(item.url)
        except ProbeError as exc:
            # the full capture at the scheduled time will say what is wrong
            self.runner.note(f"{item.url}: cheap check not possible ({exc})")
            await asyncio.to_thread(self.store.update, item.url, last_cheap=iso(moment))
            return False
        markup = read_markup(page.html, page.final_url)
        # the count the page states, else the replies its markup carries (schema.org
        # comments, microformats2 replies): compared only with itself from here on
        count = markup.declared_reply_count
        if count is None and markup.replies:
            count = len(markup.replies)
        baseline = item.cheap_count if item.cheap_count is not None else item.reported
        changed = count is not None and baseline is not None and count != baseline
        values: dict[str, Any] = {"last_cheap": iso(moment),
                                  "cheap_count": count if count is not None else -1}
        if changed or count is None:
            outcome = "count changed" if changed else "no count"
            detail = (f"the page states {count} replies, {baseline} before: captured now"
                      if changed else "the page states no reply count: its schedule alone "
                      "decides when it is captured again")
            self.runner.note(f"{item.url}: {detail}")
            await asyncio.to_thread(
                self.store.checked, item.url,
                LedgerEntry(url=item.url, checked_at=iso(moment) or "", kind="cheap",
                            outcome=outcome, detail=detail), **values)
        else:
            await asyncio.to_thread(self.store.update, item.url, **values)
        return changed

    # -- captures -------------------------------------------------------------------------
    async def capture(self, session: BrowserSession, item: WatchItem) -> None:
        """Capture a due thread, compared with its previous capture."""
        moment = self.runner.clock()
        self.result.checked += 1
        options = self._options(item)
        if options.profile and options.profile in self.expired:
            self._failed(item, self.expired[options.profile], ProfileLoggedOutError.code,
                         moment)
            return
        capture_id = str(uuid.uuid4())
        item = await asyncio.to_thread(self._running, item, capture_id)
        previous = _previous(item)
        self.runner.note(f"Checking {item.url}" + (f" (version {previous.version - 1} is "
                                                   f"{previous.capture_id})" if previous else
                                                   " (first capture)"))
        record = options.record.merged(case=item.case_ref)
        pipeline = CapturePipeline(session, options, self.runner.listener, record_catalog=False)
        result = await pipeline.capture(item.url, capture_id=capture_id, record=record,
                                        previous=previous)
        if result.status is CaptureStatus.FAILED:
            if result.error_code == ProfileLoggedOutError.code and options.profile:
                self.expired[options.profile] = result.error or ""
            await asyncio.to_thread(self._failed, item, result.error or "failed",
                                    result.error_code or "error", moment)
            return
        if result.package is not None:
            # as every capture is recorded: a catalogue that cannot be written is a warning
            # (logged), never a lost package
            await asyncio.to_thread(record_in_catalog, options, result)
        await asyncio.to_thread(self.finished, item, result)

    def _running(self, item: WatchItem, capture_id: str) -> WatchItem:
        """Note the capture before it starts (a killed round finds it on its next start)."""
        self.store.update(item.url, running_capture=capture_id,
                          running_out=str(self.runner.out_dir))
        return self.store.get(item.url) or item

    def finished(self, item: WatchItem, result: CaptureResult, *,
                 recovered: bool = False) -> None:
        """A capture ended with a result: advance the schedule, keep the ledger."""
        moment = self.runner.clock()
        root = (result.thread or {}).get("root") or {}
        published_at = item.published_at or _exact(root.get("published_at"))
        schedule = Schedule.parse(item.schedule)
        base = parse_iso(published_at) or parse_iso(item.added_at) or moment
        step, due = next_check(schedule, base, moment)
        counts = (result.changes or {}).get("counts") or {}
        reported = _reported(result)
        values: dict[str, Any] = {
            "status": WATCHING if due is not None else FINISHED, "step": step,
            "next_check": iso(due), "last_check": iso(moment), "checks": item.checks + 1,
            "published_at": published_at, "running_capture": None, "running_out": None,
            "last_error": None, "failures": 0, "reported": reported,
            "replies": len((result.thread or {}).get("replies") or []),
            # a new baseline for the cheap check: what the page states from now on
            "cheap_count": None,
        }
        if result.status is CaptureStatus.PARTIAL:
            self.result.partial.append(item.url)
        if result.package is not None:
            first = item.first_capture or result.capture_id
            values.update(versions=item.versions + 1, last_capture=result.capture_id,
                          last_package=str(result.package), first_capture=first,
                          last_thread=thread_snapshot(result.thread),
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
            detail = ("first capture" if result.previous_capture is None else
                      f"version {item.versions + 1}: {version.new_replies} new, "
                      f"{version.edited} edited, {version.no_longer_observed} no longer "
                      "observed")
        else:
            self.result.unchanged.append(item.url)
            outcome, detail = "unchanged", "the thread is as the previous capture has it"
        if recovered:
            detail += " (published by a round that was interrupted)"
        self.runner.note(f"{item.url}: {outcome}: {detail}")
        self.store.checked(item.url, LedgerEntry(
            url=item.url, checked_at=iso(moment) or "", kind="capture", outcome=outcome,
            capture_id=result.capture_id, previous_capture=result.previous_capture,
            package=str(result.package) if result.package else None,
            new_replies=counts.get("new_replies"), edited=counts.get("edited_replies"),
            no_longer_observed=counts.get("no_longer_observed"), detail=detail), **values)

    def _failed(self, item: WatchItem, error: str, code: str, moment: datetime) -> None:
        """A check that failed: said, on the ledger, and tried again later."""
        self.result.failed.append(FailedCheck(item.url, error, code))
        self.runner.note(f"{item.url}: failed: {error}")
        schedule = Schedule.parse(item.schedule)
        base = parse_iso(item.published_at) or parse_iso(item.added_at) or moment
        failures = item.failures + 1
        give_up = failures >= MAX_FAILURES and schedule.due_at(
            base, schedule.step_at(base, moment)) is None
        status = LOGIN_EXPIRED if code == ProfileLoggedOutError.code else FAILED
        self.store.checked(item.url, LedgerEntry(
            url=item.url, checked_at=iso(moment) or "", kind="capture", outcome="failed",
            detail=f"{code}: {error}"),
            status=FINISHED if give_up else status, last_check=iso(moment),
            last_error=error, failures=failures, running_capture=None, running_out=None,
            next_check=None if give_up else iso(retry_at(schedule, base, moment)))


def _exact(value: Any) -> str | None:
    """An exact publication time (RFC 3339 with a zone), else None."""
    return value if isinstance(value, str) and parse_iso(value) is not None else None


def _reported(result: CaptureResult) -> int | None:
    """The reply count the platform stated in the capture."""
    reported = (result.completeness or {}).get("reported") or {}
    value = reported.get("comments", reported.get("replies"))
    return value if isinstance(value, int) else None


def _previous(item: WatchItem) -> PreviousCapture | None:
    """The capture a re-capture of ``item`` is compared with: the last published package's
    thread as its metadata has it, else the snapshot kept at publication; None for a first
    capture."""
    if not item.last_capture:
        return None
    thread: dict[str, Any] | None = None
    captured_at = None
    if item.last_package:
        try:
            meta = json.loads((Path(item.last_package) / "data" /
                               "capture-metadata.json").read_text("utf-8"))
            if meta.get("capture_id") == item.last_capture:
                thread, captured_at = meta.get("thread"), meta.get("captured_at")
        except (OSError, ValueError):
            log.info("previous package of %s not readable; using the catalogue's snapshot",
                     item.url)
    if thread is None:
        thread = item.last_thread or {}
    return PreviousCapture(capture_id=item.last_capture, thread=thread,
                           first_capture_id=item.first_capture or item.last_capture,
                           first_case=item.first_case, captured_at=captured_at,
                           version=item.versions + 1)


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
