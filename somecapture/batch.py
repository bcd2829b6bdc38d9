"""Batch capture: one browser, a fresh context per capture, bounded concurrency, resumable.

``concurrency`` is how many captures use the browser at once. A capture gives its browser
slot back as soon as its recording is done, so the next capture's page loads while the
previous one packages (PDF/A, arkivmelding, bag, validation); at most ``concurrency + 1``
captures are in progress at any time, which bounds the packagings running (and their memory).
A packaging begins once the captures starting meanwhile have made their browser context and
ended their first step, the page load (at most :data:`YIELD_S` later): both need the
processor, and the page load is what the next capture waits for.

State lives in the SQLite catalogue (:class:`~somecapture.catalog.BatchStore`): each item is
``pending``, ``running`` or ``done``, and every change is one committed transaction. After a
crash or ``kill -9``, resuming runs every item that is not ``done``. An item that was
``running`` may have been published just before the crash (the rename happened, the database
update did not): resume looks for a published package carrying that capture's id before
capturing again, so no URL is captured twice and none is lost.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somecapture.batchinput import BatchItem, ParsedList
from somecapture.catalog import BatchItemState, BatchStore, Catalog
from somecapture.engine.browser import BrowserSession
from somecapture.errors import (
    BatchBusyError,
    BatchNotResumableError,
    BatchUnfinishedError,
    InputError,
)
from somecapture.events import (
    BatchProgress,
    CaptureFinished,
    Event,
    StepFinished,
    safe_emit,
)
from somecapture.filelock import FileLock
from somecapture.messages import Msg, render
from somecapture.models import CaptureResult, CaptureStatus, UnfinishedBatch
from somecapture.options import CaptureOptions, RecordOptions
from somecapture.package import bag
from somecapture.package.staging import default_out_dir
from somecapture.pipeline import CapturePipeline, Listener, warm_packaging

log = logging.getLogger(__name__)


def default_concurrency() -> int:
    """Parallel captures suited to this machine: one per core, at most 4, and at least 1.5 GiB
    of memory each (a Chromium renderer with a long thread easily takes 0.5–1 GiB)."""
    cores = os.cpu_count() or 1
    try:
        mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        mem_gib = 8.0
    return max(1, min(4, cores, int(mem_gib / 1.5)))


#: the allowed range of each batch option: (lowest, highest, unit)
BATCH_OPTION_RANGES: dict[str, tuple[float, float, str]] = {
    "concurrency": (1, 16, ""),
    "retries": (0, 10, ""),
    "retry_backoff_s": (0, 600, "s"),
}


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs (capture options are separate)."""

    concurrency: int = field(default_factory=default_concurrency)
    #: extra attempts for transient failures (timeouts, resets, 5xx, crashed tabs)
    retries: int = 2
    #: first wait before a retry; doubles with each attempt
    retry_backoff_s: float = 5.0
    #: the language and place the CSV report is written for (its column names, statuses,
    #: warnings and errors: the archivist opens it); the JSON report keeps stable keys and
    #: the English texts beside the codes
    report_language: str = "en"
    report_place: str = "cli"

    def __post_init__(self) -> None:
        from somecapture.errors import OptionsError

        problems = []
        for name, (low, high, unit) in BATCH_OPTION_RANGES.items():
            value = getattr(self, name)
            if not low <= value <= high:
                problems.append(Msg("option.range", option=name, value=value, low=low,
                                    high=high, unit=unit))
        OptionsError.raise_if_any(problems)


@dataclass
class BatchItemResult:
    """The outcome of one list line."""

    line: int
    url: str
    status: str
    package: str | None
    warnings: list[str]
    error: str | None
    capture_id: str
    attempts: int
    #: the registration's title (platform, sender, first words): tells captures apart
    title: str | None = None
    platform: str | None = None
    #: who published the post (its author, else handle)
    sender: str | None = None
    #: replies archived, and the count the page reports (None: not known)
    replies_captured: int | None = None
    replies_reported: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data (one row of the report): the texts in English, with the error's
        catalogue code (empty when it has none)."""
        return {**self.__dict__, "error_code": _code_of(self.error)}


@dataclass
class BatchResult:
    """What a batch did, in list order."""

    batch_id: str
    items: list[BatchItemResult]
    report_csv: Path | None = None
    report_json: Path | None = None
    interrupted: bool = False

    def count(self, status: str) -> int:
        """How many items ended with ``status``."""
        return sum(1 for i in self.items if i.status == status)


def _record_for(item: dict[str, Any], base: RecordOptions) -> RecordOptions:
    return base.merged(title=item.get("title"), case=item.get("case"),
                       archivist=item.get("archivist"), note=item.get("note"))


def find_published(out_dir: Path, capture_id: str, *, strict: bool = False) -> Path | None:
    """A published package of ``capture_id`` in ``out_dir`` (bag-info External-Identifier).

    ``strict``: when it is not found and the folder, or a package's bag-info.txt, could not
    be read, :class:`OSError` is raised: None would say "not published" where it cannot be
    told (a crash recovery would capture a second time)."""
    return bag.find_package(out_dir, capture_id, strict=strict)


class BatchRunner:
    """Runs (or resumes) one batch."""

    def __init__(self, options: CaptureOptions, batch_options: BatchOptions | None = None,
                 listener: Listener | None = None) -> None:
        self.options = options
        self.batch = batch_options or BatchOptions()
        self.listener = listener
        self.catalog = Catalog(options.catalog_path)
        self.store = BatchStore(self.catalog)
        self.out_dir = (options.out_dir or default_out_dir()).expanduser().resolve()
        #: the choices the batch was started with, stored with it so that a resume can go on
        #: with them (the command line's --skip-invalid, --allow-private-network…)
        self.choices: dict[str, Any] = {}
        #: the browser slots of the captures running here (none before they run)
        self._slots: _BrowserSlots | None = None

    # -- set-up ---------------------------------------------------------------------------
    def start(self, parsed: ParsedList, list_path: Path) -> str:
        """Create a new batch for ``parsed``; returns its id."""
        batch_id = str(uuid.uuid4())
        rows = [(i.line, i.url, _row(i), str(uuid.uuid4())) for i in parsed.items]
        bag.prepare_out_dir(self.out_dir)
        self.store.create(batch_id, str(list_path.resolve()), parsed.sha256, str(self.out_dir),
                          rows, {"capture": self.options.for_provenance(),
                                 "batch": self.batch.__dict__,
                                 # lines not captured, so the report accounts for every line
                                 "skipped": _skipped(parsed), "choices": self.choices,
                                 **self.stored_extra()})
        return batch_id

    def stored_extra(self) -> dict[str, Any]:
        """More to store with a new batch (a distributed batch: its queue)."""
        return {}

    def check_resumable(self, batch_id: str) -> None:
        """Refuse to resume here a batch whose captures are a task queue's workers': a local
        run would capture them a second time (:class:`BatchNotResumableError`)."""
        sent_to = self.store.options(batch_id).get("queue")
        if sent_to:
            raise BatchNotResumableError(Msg("batch.sent_to_queue", batch=batch_id[:8],
                                             queue=str(sent_to)))

    def unfinished(self, list_path: Path) -> tuple[str, str] | None:
        """The unfinished batch of this list file and output folder, if any."""
        return self.store.find_unfinished(str(list_path.resolve()), str(self.out_dir))

    def resume_id(self, list_path: Path, parsed: ParsedList) -> str:
        """The batch to resume for this list; BatchNotResumableError when there is none or
        it changed."""
        found = self.unfinished(list_path)
        if found is None:
            raise BatchNotResumableError(Msg("batch.nothing_to_resume", list=str(list_path),
                                             out=str(self.out_dir)))
        batch_id, sha = found
        if sha != parsed.sha256:
            raise BatchNotResumableError(Msg("batch.list_changed", list=str(list_path)))
        return batch_id

    # -- running --------------------------------------------------------------------------
    async def run(self, batch_id: str) -> BatchResult:
        """Capture every item of ``batch_id`` that is not done yet; write the report.

        Raises :class:`BatchBusyError` when another process (the app, a second command line)
        is running the same batch: two runners would capture the same items twice.
        """
        lock_file = self.catalog.path.parent / f"batch-{batch_id}.lock"
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock.try_acquire(lock_file)
        if lock is None:
            raise BatchBusyError(Msg("batch.busy", batch=batch_id[:8]))
        try:
            return await self._run_locked(batch_id)
        finally:
            lock.release()

    async def _run_locked(self, batch_id: str) -> BatchResult:
        states = self.store.items(batch_id)
        todo = [s for s in states if s.state != "done"]
        total = len(states)
        done_before = total - len(todo)
        self._progress = _Progress(batch_id, total, done_before, states, self.listener)
        self._progress.emit()
        interrupted = False
        if todo:
            try:
                await self._capture_items(batch_id, todo)
            except asyncio.CancelledError:
                interrupted = True
                raise
            finally:
                if not interrupted and all(s.state == "done"
                                           for s in self.store.items(batch_id)):
                    self.store.finish(batch_id)
        else:
            self.store.finish(batch_id)
        return self.write_report(batch_id)

    async def _capture_items(self, batch_id: str, todo: list[BatchItemState]) -> None:
        """Capture the items not done yet, each recorded in the store as it ends: here, in
        one browser with ``concurrency`` captures at a time. (A distributed batch hands them
        to a task queue instead: :mod:`somecapture.distributed`.)"""
        queue: asyncio.Queue[BatchItemState] = asyncio.Queue()
        for state in todo:
            queue.put_nowait(await asyncio.to_thread(self._reconcile, batch_id, state))
        warm_packaging()  # loads while the browser starts
        async with BrowserSession(self.options) as session:
            browser = self._slots = _BrowserSlots(self.batch.concurrency)
            # one capture more than browser slots: it packages while the others record
            workers = [asyncio.create_task(self._worker(batch_id, session, queue, browser))
                       for _ in range(min(self.batch.concurrency + 1, len(todo)))]
            await asyncio.gather(*workers)

    def _reconcile(self, batch_id: str, state: BatchItemState) -> BatchItemState:
        """Before (re)running an item left ``running`` by a crash: was it published?"""
        if state.state != "running":
            return state
        published = find_published(self.out_dir, state.capture_id)
        if published is not None:
            result = _result_from_package(state, published)
            self.store.mark_done(batch_id, state.line, result)
            return _replace(state, state="done")
        # not published: drop its staging leftovers and capture again under a new id
        bag.discard(bag.staging_root(self.out_dir) / state.capture_id)
        new_id = str(uuid.uuid4())
        self.store.new_capture_id(batch_id, state.line, new_id)
        return _replace(state, state="pending", capture_id=new_id)

    async def _worker(self, batch_id: str, session: BrowserSession,
                      queue: asyncio.Queue[BatchItemState], browser: _BrowserSlots) -> None:
        capturer = CapturePipeline(session, self.options, self._on_event, record_catalog=False)
        while True:
            try:
                state = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if state.state == "done":
                self._progress.finished(state.line, None)
                continue
            result = await self._capture_with_retries(batch_id, session, capturer, state,
                                                      browser)
            await asyncio.to_thread(self.store.mark_done, batch_id, state.line, result)
            self._progress.finished(state.line, result)

    async def _capture_with_retries(self, batch_id: str, session: BrowserSession,
                                    capturer: CapturePipeline, state: BatchItemState,
                                    browser: _BrowserSlots) -> CaptureResult:
        record = _record_for(state.row, self.options.record)
        capture_id = state.capture_id
        attempt = 0
        while True:
            attempt += 1
            # the slot is held while the capture uses the browser, and handed back (to the
            # next item, in list order: the semaphore wakes its waiters first come, first
            # served) when the recording is done; the wait before a retry holds none
            async with browser.slot(capture_id) as slot:
                await asyncio.to_thread(self.store.mark_running, batch_id, state.line)
                self._progress.started(state.line, state.url)
                await session.ensure_connected()
                result = await capturer.capture(
                    state.url, capture_id=capture_id, record=record,
                    on_browser_done=slot.release, before_packaging=browser.let_others_start)
            if (result.status is not CaptureStatus.FAILED or not result.retryable
                    or attempt > self.batch.retries):
                if attempt > 1:
                    result.warnings.append(Msg("warning.attempt", attempt=attempt))
                return result
            wait = self.batch.retry_backoff_s * 2 ** (attempt - 1)
            safe_emit(self.listener, BatchProgress(
                batch_id, self._progress.total, self._progress.done, self._progress.counts(),
                None, Msg("batch.retrying", url=state.url, seconds=round(wait),
                          error=result.error or "")))
            await asyncio.sleep(wait)
            capture_id = str(uuid.uuid4())  # a failed attempt published nothing: fresh id
            await asyncio.to_thread(self.store.new_capture_id, batch_id, state.line, capture_id)

    def _on_event(self, event: Event) -> None:
        if self._slots is not None:
            self._slots.note(event)
        safe_emit(self.listener, event)

    # -- report ---------------------------------------------------------------------------
    def write_report(self, batch_id: str) -> BatchResult:
        """Write ``batch-report-<id>.csv`` and ``.json`` into the output folder (atomically)."""
        states = self.store.items(batch_id)
        items = [BatchItemResult(line=s.line, url=s.url, status=s.status or "pending",
                                 package=s.package_path, warnings=s.warnings, error=s.error,
                                 capture_id=s.capture_id, attempts=s.attempts) for s in states]
        result = BatchResult(batch_id=batch_id, items=items)
        skipped = [BatchItemResult(line=int(r["line"]), url=str(r["url"]),
                                   status=str(r["status"]), package=None, warnings=[],
                                   error=str(r["error"]), capture_id="", attempts=0)
                   for r in self.store.options(batch_id).get("skipped", [])]
        rows = sorted(items + skipped, key=lambda i: i.line)
        # what tells the captures apart (the registration's title: platform, sender, first
        # words) and what they hold, from the catalogue the items were recorded in
        known = self.catalog.entries_by_id([i.capture_id for i in items])
        for i in rows:
            entry = known.get(i.capture_id)
            if entry is not None:
                i.title = entry.title
                i.platform = entry.platform
                i.sender = entry.author or entry.handle
                i.replies_captured = entry.replies_captured
                i.replies_reported = entry.replies_reported
        stem = self.out_dir / f"batch-report-{batch_id[:8]}"
        lang, place = self.batch.report_language, self.batch.report_place

        def said(value: Any) -> str:
            return render(value, lang, place)

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([said(Msg(f"batch.report.column.{name}")) for name in REPORT_COLUMNS])
        for i in rows:
            writer.writerow([i.line, i.url, said(Msg(f"batch.report.status.{i.status}")),
                             i.title or "", i.platform or "", i.sender or "",
                             _count(i.replies_captured), _count(i.replies_reported),
                             i.package or "", " | ".join(said(w) for w in i.warnings),
                             said(i.error), _code_of(i.error), i.attempts])
        summary = {
            "batch_id": batch_id,
            "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "total": len(items),
            "complete": result.count("complete"),
            "partial": result.count("partial"),
            "failed": result.count("failed"),
            "pending": result.count("pending"),
            "invalid": sum(1 for i in skipped if i.status == "invalid"),
            "duplicate": sum(1 for i in skipped if i.status == "duplicate"),
            "results": [i.to_json() for i in rows],
        }
        result.report_csv = _atomic_write(stem.with_suffix(".csv"), buf.getvalue())
        result.report_json = _atomic_write(
            stem.with_suffix(".json"), json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
        return result


#: the CSV report's columns, in order (their names in the report's language:
#: ``batch.report.column.*`` in the message catalogue)
REPORT_COLUMNS = ("line", "url", "status", "title", "platform", "sender", "replies_captured",
                  "replies_reported", "package", "warnings", "error", "error_code", "attempts")
#: an item's statuses, each with its word in the catalogue (``batch.report.status.*``)
REPORT_STATUSES = ("complete", "partial", "failed", "pending", "invalid", "duplicate")


def _code_of(error: str | None) -> str:
    """The catalogue code of an item's error (empty: none, or a text from before codes)."""
    return error.code if isinstance(error, Msg) else ""


def _count(value: int | None) -> str:
    """A count for the CSV report: empty when not known."""
    return "" if value is None else str(value)


#: the longest a packaging waits for the captures starting meanwhile (see the module's text)
YIELD_S = 1.0


class _BrowserSlots:
    """The batch's ``concurrency`` browser slots, and which captures are starting: waiting for
    a slot, or holding one until their page's first step (or the capture) ended."""

    def __init__(self, concurrency: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._loop = asyncio.get_running_loop()
        self._starting: set[str] = set()
        self._changed = asyncio.Event()

    def slot(self, capture_id: str) -> _BrowserSlot:
        """A slot for the capture ``capture_id`` (``async with``)."""
        return _BrowserSlot(self, capture_id)

    async def acquire(self, capture_id: str) -> None:
        """Wait for a free slot; ``capture_id`` counts as starting from now."""
        self._starting.add(capture_id)
        try:
            await self._slots.acquire()
        except BaseException:
            self.started(capture_id)
            raise

    def release(self) -> None:
        """Give a slot back."""
        self._slots.release()

    def note(self, event: Event) -> None:
        """A capture's event: its first finished step ends its start (any thread)."""
        if isinstance(event, StepFinished | CaptureFinished):
            self._loop.call_soon_threadsafe(self.started, event.capture_id)

    def started(self, capture_id: str) -> None:
        """The capture ``capture_id`` is past its start (or over)."""
        if capture_id in self._starting:
            self._starting.discard(capture_id)
            self._changed.set()

    async def let_others_start(self) -> None:
        """Wait until no other capture is starting, :data:`YIELD_S` at most: its browser
        context and first page load go before a packaging that would slow them."""
        deadline = self._loop.time() + YIELD_S
        while self._starting:
            self._changed.clear()
            remaining = deadline - self._loop.time()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return


class _BrowserSlot:
    """One of the batch's browser slots, held by one capture from before it starts until its
    recording is done (:meth:`release`) or the capture ends, whichever is first."""

    def __init__(self, slots: _BrowserSlots, capture_id: str) -> None:
        self._slots = slots
        self._capture_id = capture_id
        self._held = False

    async def __aenter__(self) -> _BrowserSlot:
        await self._slots.acquire(self._capture_id)
        self._held = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._slots.started(self._capture_id)
        self.release()

    def release(self) -> None:
        """Give the slot back (once; later calls do nothing)."""
        if self._held:
            self._held = False
            self._slots.release()


def _atomic_write(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def _skipped(parsed: ParsedList) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"line": p.line, "url": p.text, "status": "invalid", "error": p.reason}
        for p in parsed.problems if p.line > 1 or parsed.format == "text"]
    rows += [{"line": d.line, "url": d.url, "status": "duplicate",
              "error": Msg("batch.duplicate_of", first=d.first_line)}
             for d in parsed.duplicates]
    return rows


def _row(item: BatchItem) -> dict[str, Any]:
    return {k: v for k, v in (("title", item.title), ("case", item.case),
                              ("archivist", item.archivist), ("note", item.note)) if v}


def _replace(item: BatchItemState, **changes: Any) -> BatchItemState:
    import dataclasses

    return dataclasses.replace(item, **changes)


def _result_from_package(state: BatchItemState, package: Path) -> CaptureResult:
    """A result for a package that was published just before a crash."""
    meta: dict[str, Any] = {}
    try:
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        pass
    result = CaptureResult(url=state.url, capture_id=state.capture_id,
                           status=CaptureStatus(meta.get("status", "complete")))
    result.package = package
    result.final_url = meta.get("final_url")
    result.warnings = list(meta.get("warnings", []))
    result.thread = meta.get("thread", {})
    result.registration = meta.get("registration", {})
    result.provenance = {"started_at": meta.get("captured_at")}
    return result


class _Progress:
    """Counts and ETA, reported as :class:`BatchProgress` events."""

    def __init__(self, batch_id: str, total: int, done: int, states: list[BatchItemState],
                 listener: Callable[[Event], None] | None) -> None:
        self.batch_id = batch_id
        self.total = total
        self.done = done
        self.listener = listener
        self.statuses = {s.line: s.status for s in states if s.state == "done"}
        self.t0 = time.monotonic()
        self.done_this_run = 0

    def counts(self) -> dict[str, int]:
        out = {"complete": 0, "partial": 0, "failed": 0}
        for status in self.statuses.values():
            if status in out:
                out[status] += 1
        return out

    def eta_s(self) -> float | None:
        if self.done_this_run == 0:
            return None
        per_item = (time.monotonic() - self.t0) / self.done_this_run
        return per_item * (self.total - self.done)

    def emit(self, text: str = "") -> None:
        safe_emit(self.listener, BatchProgress(self.batch_id, self.total, self.done,
                                               self.counts(), self.eta_s(), text))

    def started(self, line: int, url: str) -> None:
        self.emit(Msg("batch.started_line", line=line, url=url))

    def finished(self, line: int, result: CaptureResult | None) -> None:
        self.done += 1
        self.done_this_run += 1
        if result is not None:
            self.statuses[line] = result.status.value
        self.emit()


@dataclass(frozen=True)
class OpenedBatch:
    """A batch ready to run: a new one, or the unfinished one of the same list, resumed."""

    batch_id: str
    #: True when an unfinished batch is continued, False for a new one
    resumed: bool
    #: where the packages and the report go
    out_dir: Path
    #: ``(line, url, status or None if not done yet)`` for every item, in list order
    rows: tuple[tuple[int, str, str | None], ...]


def open_batch(runner: BatchRunner, parsed: ParsedList, list_path: Path, *, resume: bool,
               new: bool) -> OpenedBatch:
    """Start a new batch of ``parsed`` or resume the unfinished one: the one place that decides.

    ``resume``: continue the unfinished batch of this list and output folder
    (:class:`BatchNotResumableError` when there is none, or the list changed since).
    ``new``: start a new batch even when an unfinished one exists; without it an unfinished
    batch refuses a new start (:class:`BatchUnfinishedError`), so one command cannot
    archive a list twice by accident. The app asks the archivist first and passes
    ``new=not resume``; the command line passes ``--resume`` and ``--new`` as given.
    """
    if resume and new:
        raise InputError(Msg("option.contradict", option="--resume", other="--new"))
    if resume:
        batch_id = runner.resume_id(list_path, parsed)
        runner.check_resumable(batch_id)
    elif not new and runner.unfinished(list_path) is not None:
        raise BatchUnfinishedError(Msg("batch.unfinished", list=str(list_path),
                                       out=str(runner.out_dir)))
    else:
        batch_id = runner.start(parsed, list_path)
    states = runner.store.items(batch_id)
    return OpenedBatch(batch_id, resume, runner.out_dir,
                       tuple((s.line, s.url, s.status if s.state == "done" else None)
                             for s in states))


def find_unfinished(runner: BatchRunner, list_path: Path,
                    parsed: ParsedList) -> UnfinishedBatch | None:
    """The unfinished batch of this list and output folder, with how far it got (None if
    there is none): what :func:`open_batch` would resume."""
    found = runner.unfinished(list_path)
    if found is None:
        return None
    batch_id, sha = found
    states = runner.store.items(batch_id)
    return UnfinishedBatch(batch_id, sha == parsed.sha256,
                           sum(1 for s in states if s.state == "done"), len(states))
