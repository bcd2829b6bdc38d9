"""The engine on its own thread, with its own asyncio loop, reporting through Qt signals.

Playwright objects are not thread-safe and its driver is a subprocess, so everything the engine
does runs on one thread (``somecapture-engine``) with one event loop. The GUI submits work with
:func:`asyncio.run_coroutine_threadsafe` and gets a :class:`Job` back; the engine's plain
listener callable turns each progress event into a ``Signal(object, object)`` emit, which Qt
queues onto the GUI thread. Results and errors come back as signals too, never as return values,
so the GUI thread never waits for the engine.

Slow work that is not Playwright (verifying a package, reading a list file, querying the
catalogue) also runs here, in ``asyncio.to_thread``, so nothing slow ever runs on the GUI thread.

One :class:`~somecapture.engine.browser.BrowserSession` is kept alive between single captures
(starting Chromium takes a second or two) and closed after a few idle minutes, when the browser
settings change, or when a login profile changes. Batches run their own session, as on the
command line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from somecapture.errors import SomecaptureError
from somecapture.events import BatchStarted
from somecapture.models import UnfinishedBatch
from somecapture.options import CaptureOptions, RecordOptions

log = logging.getLogger(__name__)

# close the shared browser after this long without a capture
DEFAULT_KEEP_SESSION_S = 300.0


class Job:
    """One piece of work submitted to the engine thread.

    ``kind`` names the method that made it (``capture``, ``batch``, ``verify``…). Views keep the
    jobs they started and ignore signals about other jobs.
    """

    _ids = itertools.count(1)

    def __init__(self, kind: str, label: str = "") -> None:
        self.id = next(Job._ids)
        self.kind = kind
        self.label = label
        # the concurrent future of the job's coroutine on the engine loop
        self.future: Future[Any] | None = None
        self.task: asyncio.Task[Any] | None = None
        self.cancel_requested = False

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.label!r}>"


@dataclass(frozen=True)
class BrowserInfo:
    """The browser the engine found and started."""

    description: str
    version: str
    # configured | playwright | channel | system (engine.browser.BrowserChoice.how)
    how: str
    # the executable's path, or the Playwright channel name (chrome, msedge)
    where: str = ""


JobFunction = Callable[[Job], Awaitable[Any]]


def _warm_up() -> None:
    """Import the engine on the engine thread (it takes seconds: Playwright, the PDF and XML
    stacks); the GUI thread never imports it."""
    try:
        import somecapture.batch  # noqa: F401
        import somecapture.package.verify  # noqa: F401
        import somecapture.pipeline  # noqa: F401
    except Exception:  # noqa: BLE001 - the first job reports the real problem
        log.warning("engine warm-up import failed", exc_info=True)


class EngineBridge(QObject):
    """Runs engine work on the engine thread; every outcome arrives as a signal.

    Signals carry the :class:`Job` first, so a view can tell its own jobs from others. The
    views see it as :class:`~somecapture.gui.contract.EngineBridgeProtocol`.
    """

    # a job began running on the engine thread: (job)
    job_started = Signal(object)
    # a progress event of a job (a ``somecapture.events`` value, BatchStarted included)
    event_received = Signal(object, object)
    # a job ended with a value: (job, value)
    job_finished = Signal(object, object)
    # a job raised: (job, exception); SomecaptureError messages are meant for the user
    job_failed = Signal(object, object)
    # a job was cancelled and the engine has cleaned up after it: (job)
    job_cancelled = Signal(object)

    def __init__(self, parent: QObject | None = None, *,
                 keep_session_s: float = DEFAULT_KEEP_SESSION_S) -> None:
        super().__init__(parent)
        self.keep_session_s = keep_session_s
        self._jobs: dict[int, Job] = {}
        self._jobs_lock = threading.Lock()
        self._closed = False
        # the shared browser for single captures; touched only on the engine thread
        self._session: Any = None
        self._session_key: tuple[Any, ...] | None = None
        self._session_users = 0
        self._session_lock: asyncio.Lock | None = None
        self._idle_handle: asyncio.TimerHandle | None = None
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run_loop, args=(ready,),
                                        name="somecapture-engine", daemon=True)
        self._thread.start()
        ready.wait()

    # -- the engine thread ----------------------------------------------------------------
    def _run_loop(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._session_lock = asyncio.Lock()
        self._loop.call_soon(ready.set)
        # off the loop too, so quick jobs (profiles, catalogue) do not wait for it
        self._loop.call_soon(self._loop.run_in_executor, None, _warm_up)
        try:
            self._loop.run_forever()
        finally:
            try:
                self._loop.run_until_complete(self._loop.shutdown_asyncgens())
                self._loop.run_until_complete(self._loop.shutdown_default_executor())
            finally:
                self._loop.close()

    def is_running(self) -> bool:
        """Whether any job is submitted and not yet ended."""
        with self._jobs_lock:
            return bool(self._jobs)

    def running_jobs(self, kind: str | None = None) -> list[Job]:
        """Jobs that have not ended, optionally only of one kind."""
        with self._jobs_lock:
            return [j for j in self._jobs.values() if kind is None or j.kind == kind]

    def submit(self, kind: str, fn: JobFunction, label: str = "") -> Job:
        """Run ``fn(job)`` on the engine loop; its outcome arrives as a signal."""
        if self._closed:
            raise RuntimeError("the engine bridge has been shut down")
        job = Job(kind, label)
        with self._jobs_lock:
            self._jobs[job.id] = job
        job.future = asyncio.run_coroutine_threadsafe(self._run_job(job, fn), self._loop)
        return job

    async def _run_job(self, job: Job, fn: JobFunction) -> None:
        job.task = asyncio.current_task()
        if job.cancel_requested:
            self._end(job)
            self.job_cancelled.emit(job)
            return
        self.job_started.emit(job)
        try:
            value = await fn(job)
        except asyncio.CancelledError:
            # the engine has cleaned up (staging discarded, contexts closed) by now
            self._end(job)
            self.job_cancelled.emit(job)
            return
        except SomecaptureError as exc:
            log.info("%r failed: %s", job, exc)
            self._end(job)
            self.job_failed.emit(job, exc)
            return
        except Exception as exc:  # noqa: BLE001 - reported to the user, logged whole
            log.exception("unexpected error in %r", job)
            self._end(job)
            self.job_failed.emit(job, exc)
            return
        self._end(job)
        self.job_finished.emit(job, value)

    def _end(self, job: Job) -> None:
        # before the signal: a slot asking is_running() must see the job as ended
        with self._jobs_lock:
            self._jobs.pop(job.id, None)

    def cancel(self, job: Job) -> None:
        """Ask the engine to stop ``job``; ``job_cancelled`` follows once it has cleaned up.

        A job that has already ended is left alone (its finished/failed signal stands).
        """
        if self._closed:
            return
        asyncio.run_coroutine_threadsafe(self._cancel(job), self._loop)

    async def _cancel(self, job: Job) -> None:
        job.cancel_requested = True
        if job.task is not None and not job.task.done():
            job.task.cancel()

    def _listener(self, job: Job) -> Callable[[Any], None]:
        def emit(event: Any) -> None:
            self.event_received.emit(job, event)
        return emit

    # -- the shared browser session -------------------------------------------------------
    # options that differ per capture and that the session never reads (the pipeline gets
    # them with its own options); any other difference starts a new browser
    _PER_CAPTURE = frozenset({"record", "out_dir", "catalog_path", "profile", "also_public",
                              "site"})

    @classmethod
    def _key(cls, options: CaptureOptions) -> tuple[Any, ...]:
        # conservative on purpose: a setting change costs one browser start, a stale session
        # could capture with the wrong proxy, certificate or network rules
        return tuple((f.name, repr(getattr(options, f.name))) for f in dataclasses.fields(options)
                     if f.name not in cls._PER_CAPTURE)

    async def _acquire_session(self, options: CaptureOptions) -> Any:
        from somecapture.engine.browser import BrowserSession

        assert self._session_lock is not None
        async with self._session_lock:
            if self._idle_handle is not None:
                self._idle_handle.cancel()
                self._idle_handle = None
            key = self._key(options)
            if self._session is not None and self._session_key != key \
                    and self._session_users == 0:
                await self._close_session()
            if self._session is not None and self._session_key == key:
                await self._session.ensure_connected()
                self._session_users += 1
                return self._session
            if self._session is not None:
                # another capture still uses the shared browser: this one gets its own
                session = BrowserSession(options)
                await session.__aenter__()
                return session
            session = BrowserSession(options)
            await session.__aenter__()
            self._session, self._session_key = session, key
            self._session_users = 1
            return session

    async def _release_session(self, session: Any) -> None:
        if session is not self._session:
            await session.close()
            return
        self._session_users -= 1
        if self._session_users == 0:
            self._idle_handle = self._loop.call_later(
                self.keep_session_s, lambda: asyncio.ensure_future(self._close_if_idle()))

    async def _close_if_idle(self) -> None:
        assert self._session_lock is not None
        async with self._session_lock:
            if self._session_users == 0:
                await self._close_session()

    async def _close_session(self) -> None:
        session, self._session, self._session_key = self._session, None, None
        if session is not None:
            try:
                await session.close()
            except Exception:  # noqa: BLE001 - closing a dead browser must not fail a job
                log.debug("closing the shared browser failed", exc_info=True)

    async def _forget_session(self) -> None:
        """Drop the shared browser (it caches login-profile state)."""
        assert self._session_lock is not None
        async with self._session_lock:
            if self._session_users == 0:
                await self._close_session()
            else:
                self._session_key = ("stale",)

    # -- captures -------------------------------------------------------------------------
    def capture(self, url: str, options: CaptureOptions,
                record: RecordOptions | None = None) -> Job:
        """Capture ``url``; events, then ``job_finished(job, CaptureResult)``."""

        async def run(job: Job) -> Any:
            from somecapture.pipeline import CapturePipeline

            session = await self._acquire_session(options)
            try:
                capturer = CapturePipeline(session, options, self._listener(job))
                return await capturer.capture(url, record=record)
            finally:
                await self._release_session(session)

        return self.submit("capture", run, url)

    def batch(self, list_path: Path, parsed: Any, options: CaptureOptions, *,
              concurrency: int | None = None, retries: int = 2, resume: bool = False) -> Job:
        """Start (or resume) a batch of ``parsed`` (a ParsedList of ``list_path``).

        ``concurrency`` None = suited to this machine. Emits :class:`BatchStarted`, then the
        engine's events; ends with ``job_finished(job, BatchResult)``.
        """

        async def run(job: Job) -> Any:
            from somecapture.batch import BatchOptions, BatchRunner, open_batch
            from somecapture.gui.i18n import current_language

            # the report the batch view's "open the report" shows: in the app's language
            batch_options = BatchOptions(retries=retries, report_language=current_language(),
                                         report_place="app", **(
                                             {"concurrency": concurrency} if concurrency else {}))
            runner = BatchRunner(options, batch_options, self._listener(job))
            # Start means a new batch: the batch view has asked the archivist before starting
            # over a list with an unfinished batch, so it is never refused here
            opened = await asyncio.to_thread(open_batch, runner, parsed, list_path,
                                             resume=resume, new=not resume)
            self.event_received.emit(job, BatchStarted(opened.batch_id, opened.out_dir,
                                                       opened.rows))
            return await runner.run(opened.batch_id)

        return self.submit("batch", run, str(list_path))

    def unfinished_batch(self, list_path: Path, parsed: Any, options: CaptureOptions) -> Job:
        """Whether a batch of this list into this output folder can be resumed:
        ``job_finished(job, UnfinishedBatch | None)``."""

        def find() -> UnfinishedBatch | None:
            from somecapture.batch import BatchRunner, find_unfinished

            return find_unfinished(BatchRunner(options), list_path, parsed)

        return self._in_thread("unfinished_batch", find, str(list_path))

    # -- quick work off the GUI thread ----------------------------------------------------
    def _in_thread(self, kind: str, fn: Callable[[], Any], label: str = "") -> Job:
        async def run(job: Job) -> Any:
            return await asyncio.to_thread(fn)

        return self.submit(kind, run, label)

    def read_list(self, path: Path) -> Job:
        """Parse a batch list file: ``job_finished(job, ParsedList)``."""

        def read() -> Any:
            from somecapture.batchinput import read_list_file

            return read_list_file(path)

        return self._in_thread("read_list", read, str(path))

    def verify(self, package: Path) -> Job:
        """Re-check a package: ``job_finished(job, PackageCheck)``. The seal's chains must
        end in the config file's trust store (``[timestamp] trust``, the file the settings
        view saves) when it names one; a trust store that cannot be used fails the job with
        an ``OptionsError`` saying what to do."""

        def check() -> Any:
            from somecapture.catalog import published_seal_for
            from somecapture.config import load_config
            from somecapture.package.verify import verify_package

            trust = load_config(None).trust_files()
            return verify_package(package, trust=trust, published=published_seal_for(package))

        return self._in_thread("verify", check, str(package))

    def export_wacz(self, package: Path, target: Path, force: bool = False) -> Job:
        """Export a verified package as a WACZ file: ``job_finished(job, WaczExport)``."""

        def export() -> Any:
            from somecapture.catalog import published_seal_for
            from somecapture.config import load_config
            from somecapture.package.seal import SealConfig
            from somecapture.package.wacz import export_wacz

            # stamped by the agency's authorities and verified against its trust store and
            # the catalogue, as the CLI's export does
            cfg = load_config(None)
            seal = SealConfig.for_agency(cfg)
            return export_wacz(package, target, force=force, seal=seal,
                               trust=cfg.trust_files(), published=published_seal_for(package))

        return self._in_thread("export_wacz", export, str(target))

    def catalog_entries(self, catalog_path: Path | None, search: str | None = None,
                        status: str | None = None, limit: int | None = 2000) -> Job:
        """Catalogue rows, newest first: ``job_finished(job, list[CatalogEntry])``."""

        def query() -> Any:
            from somecapture.catalog import Catalog

            return Catalog(catalog_path).entries(search=search or None, status=status or None,
                                                 limit=limit)

        return self._in_thread("catalog", query)

    # -- profiles -------------------------------------------------------------------------
    def list_profiles(self) -> Job:
        """Login profiles: ``job_finished(job, list[ProfileInfo])``."""

        def find() -> Any:
            from somecapture.profiles import list_profiles

            return list_profiles()

        return self._in_thread("profiles", find)

    def delete_profile(self, name: str) -> Job:
        """Delete a login profile and its session: ``job_finished(job, None)``."""

        async def run(job: Job) -> None:
            from somecapture.profiles import delete_profile

            await self._forget_session()
            await asyncio.to_thread(delete_profile, name)

        return self.submit("delete_profile", run, name)

    def login(self, name: str, url: str | None, options: CaptureOptions) -> Job:
        """Open a visible browser on profile ``name``; ends when the user closes it:
        ``job_finished(job, ProfileInfo)``."""

        async def run(job: Job) -> Any:
            from somecapture.engine.login import login

            await self._forget_session()
            return await login(name, url, options)

        return self.submit("login", run, name)

    def detect_browser(self, options: CaptureOptions) -> Job:
        """Find and start the browser these options select: ``job_finished(job, BrowserInfo)``.

        The browser stays open as the shared session, so the next capture starts faster.
        """

        async def run(job: Job) -> BrowserInfo:
            session = await self._acquire_session(options)
            try:
                choice = session.choice
                return BrowserInfo(choice.describe() if choice else "", session.version,
                                   choice.how if choice else "",
                                   (choice.executable or choice.channel or "") if choice else "")
            finally:
                await self._release_session(session)

        return self.submit("detect_browser", run)

    # -- shutdown -------------------------------------------------------------------------
    def shutdown(self, timeout_s: float = 20.0) -> None:
        """Cancel every job, close the browser and stop the engine thread (blocks up to
        ``timeout_s``; called once, when the app quits)."""
        if self._closed:
            return
        self._closed = True

        async def stop() -> None:
            tasks = [j.task for j in self.running_jobs() if j.task is not None]
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.wait(tasks, timeout=max(1.0, timeout_s - 5))
            if self._idle_handle is not None:
                self._idle_handle.cancel()
            await self._close_session()

        try:
            asyncio.run_coroutine_threadsafe(stop(), self._loop).result(timeout_s)
        except Exception:  # noqa: BLE001 - quitting must not fail
            log.warning("engine shutdown did not finish cleanly", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


