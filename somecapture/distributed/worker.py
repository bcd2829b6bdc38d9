"""The worker process of a distributed batch: ``somecapture worker --queue redis://…``.

One browser (:class:`~somecapture.engine.browser.BrowserSession`) on one asyncio loop thread,
shared by ``concurrency`` Dramatiq worker threads; each job is one
:meth:`CapturePipeline.capture <somecapture.pipeline.CapturePipeline.capture>` in a fresh
browser context, exactly as a local batch captures, with the item's idempotency key so that
a second delivery never publishes a second package.

A job's message is acknowledged only after its result is written to Redis: a worker killed
mid-capture has its job handed to another worker once its heartbeat is older than the
redelivery time, and the staging folder it left is swept by the next capture into that
folder (:func:`somecapture.package.bag.sweep_stale_staging`), never published.

Stopping (SIGTERM, Ctrl-C): no new job is taken; the captures in progress finish and their
results are sent. A second Ctrl-C (or SIGTERM) stops them at once and hands their jobs back
to the queue (for this worker's or another's next fetch).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from somecapture.distributed.address import QueueAddress
from somecapture.distributed.jobs import (
    Job,
    options_for,
    policy_refusal,
    result_from_package,
    result_summary,
)
from somecapture.distributed.store import (
    ACTOR_NAME,
    DEFAULT_REDELIVER_AFTER_S,
    MAX_LOST_DELIVERIES,
    QUEUE_NAME,
    BatchChannel,
    check_clock,
    check_reachable,
    client_for,
    make_broker,
)
from somecapture.engine.browser import BrowserSession
from somecapture.errors import (
    BrowserLaunchError,
    BrowserNotFoundError,
    InternalError,
    OptionsError,
    OutputDirError,
    ProfileError,
    SomecaptureError,
    WorkerLostError,
)
from somecapture.messages import Msg, message_of
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.package import bag, claim
from somecapture.package.claim import published_package
from somecapture.pipeline import CapturePipeline, out_dir_for
from somecapture.profiles import list_profiles

log = logging.getLogger(__name__)

T = TypeVar("T")

#: the longest wait between two tries while the queue cannot be reached
MAX_BACKOFF_S = 30.0
#: how long an idle (or just freed) worker waits at most before it asks for a job again;
#: also how often it refreshes its heartbeat. A few small requests a second per worker.
FETCH_INTERVAL_MS = 200


#: errors of this worker's computer, not of the job: the job goes back to the queue for a
#: healthy worker and this worker stops fetching
ENVIRONMENT_ERRORS: tuple[type[SomecaptureError], ...] = (
    BrowserLaunchError, BrowserNotFoundError, OutputDirError)
ENVIRONMENT_CODES = frozenset(e.code for e in ENVIRONMENT_ERRORS)


class _Released(Exception):
    """The worker is stopping now: the capture was stopped and its job goes back."""


class _Broken(Exception):
    """This worker's computer cannot capture (browser, output folder): the job goes back."""

    def __init__(self, error: SomecaptureError) -> None:
        super().__init__(str(error))
        self.error = error


#: the worker's own options: (lowest, highest, unit), named as ``somecapture worker`` takes
#: them (``--stale-claim-after``)
WORKER_OPTION_RANGES: dict[str, tuple[float, float, str]] = {
    "concurrency": (1, 16, ""),
    "redeliver_after": (2, 3600, "s"),
    "stale_claim_after": (10, 3600, "s"),
}


def worker_option_problems(**values: float) -> list[Msg]:
    """A message for each of ``values`` outside :data:`WORKER_OPTION_RANGES` (all at once)."""
    problems = []
    for name, value in values.items():
        low, high, unit = WORKER_OPTION_RANGES[name]
        if not low <= value <= high:
            problems.append(Msg("option.range", option="--" + name.replace("_", "-"),
                                value=value, low=low, high=high, unit=unit))
    return problems


class QueueWorker:
    """A worker: takes jobs from the queue at ``address`` and captures them."""

    def __init__(self, address: QueueAddress, options: CaptureOptions, *, concurrency: int = 1,
                 redeliver_after_s: float = DEFAULT_REDELIVER_AFTER_S,
                 stale_claim_s: float = claim.STALE_CLAIM_S,
                 allowed: frozenset[str] = frozenset(),
                 say: Callable[[str], None] | None = None) -> None:
        OptionsError.raise_if_any(worker_option_problems(
            concurrency=concurrency, redeliver_after=redeliver_after_s,
            stale_claim_after=stale_claim_s))
        # a claim of another computer unchanged this long is taken over (its publisher died
        # between claim and rename); one worker process, one value for all its captures
        claim.STALE_CLAIM_S = stale_claim_s
        self.address = address
        #: this computer's options: output folder, browser, proxy, time-stamp authorities
        self.options = options
        self.concurrency = concurrency
        #: the safeguards a job may turn off here (of jobs.WORKER_POLICY: the worker's flags)
        self.allowed = allowed
        self.redeliver_after_s = redeliver_after_s
        self.say = say or (lambda text: None)
        self.name = f"{socket.gethostname()}-{os.getpid()}"
        self.out_dir = out_dir_for(options).expanduser().resolve()
        self._stop = threading.Event()
        self._stops_asked = 0
        self._lock = threading.Lock()
        #: the captures in progress, each with its job's capture budget (seconds)
        self._running: dict[concurrent.futures.Future[CaptureResult], float] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: BrowserSession | None = None
        self._client: Any = None
        self._queue_down = False
        #: why this worker stopped fetching (its browser or output folder failed)
        self.broken: SomecaptureError | None = None

    # -- the process ------------------------------------------------------------------------
    def run(self) -> None:
        """Serve jobs until :meth:`request_stop`; the browser is started first (a missing
        browser or unwritable output folder stops the worker before it takes a job)."""
        import dramatiq

        check_reachable(self.address)
        clock = client_for(self.address)
        try:
            check_clock(clock, self.redeliver_after_s)
        finally:
            clock.close()
        bag.prepare_out_dir(self.out_dir)
        loop = asyncio.new_event_loop()
        loop_thread = threading.Thread(target=loop.run_forever, name="capture-loop",
                                       daemon=True)
        loop_thread.start()
        self._loop = loop
        worker = None
        try:
            self._session = self._on_loop(self._open_session())
            self._client = client_for(self.address)
            broker = make_broker(self.address, redeliver_after_s=self.redeliver_after_s)
            dramatiq.actor(broker=broker, actor_name=ACTOR_NAME,
                           queue_name=QUEUE_NAME)(self._perform)
            # a free worker looks for the next job within FETCH_INTERVAL_MS (Dramatiq's
            # default, 1 s, was half a second of idle time per capture on average)
            worker = dramatiq.Worker(broker, worker_threads=self.concurrency,
                                     worker_timeout=FETCH_INTERVAL_MS)
            # fetch only what is worked on: a job waits in the queue for whichever worker
            # is free, not in this worker's memory
            worker.queue_prefetch = self.concurrency
            worker.start()
            self.say(Msg("dist.worker_ready", name=self.name, queue=self.address.shown,
                         concurrency=self.concurrency, out=str(self.out_dir),
                         after=f"{self.redeliver_after_s:g}"))
            while not self._stop.wait(2.0):
                self._watch_queue()
            self.say(Msg("dist.worker_stopping", name=self.name, running=len(self._running)))
            worker.stop(timeout=int(self.stop_wait_s() * 1000))
            worker = None
        finally:
            if worker is not None:
                with contextlib.suppress(Exception):
                    worker.stop(timeout=5000)
            if self._session is not None:
                with contextlib.suppress(Exception):
                    self._on_loop(self._session.close())
            loop.call_soon_threadsafe(loop.stop)
            loop_thread.join(10)
            if self._client is not None:
                self._client.close()
        self.say(Msg("dist.worker_stopped", name=self.name))
        if self.broken is not None:
            raise self.broken

    def stop_wait_s(self) -> float:
        """How long a stop waits for the captures in progress: the longest budget among
        their jobs' (a job may carry a longer --timeout than this worker's own), and a
        margin for packaging and sending the result."""
        with self._lock:
            budgets = list(self._running.values())
        return max([self.options.capture_timeout_s, *budgets]) + 120

    def request_stop(self) -> None:
        """Stop taking jobs and let the captures in progress finish; asked again, stop them
        now and hand their jobs back (for a signal handler: returns at once)."""
        self._stops_asked += 1
        self._stop.set()
        if self._stops_asked > 1:
            with self._lock:
                running = list(self._running)
            for future in running:
                future.cancel()

    async def _open_session(self) -> BrowserSession:
        session = BrowserSession(self.options)
        await session.__aenter__()
        return session

    def _on_loop(self, coro: Any) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _watch_queue(self) -> None:
        """Say when the queue went away and when it is back (Dramatiq reconnects itself)."""
        import redis

        try:
            self._client.ping()
        except redis.RedisError as exc:
            if not self._queue_down:
                self._queue_down = True
                self.say(Msg("dist.queue_down_worker", queue=self.address.shown,
                             detail=str(exc)))
            return
        if self._queue_down:
            self._queue_down = False
            self.say(Msg("dist.queue_back_worker", queue=self.address.shown))

    def _redis(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """A call to Redis, tried again until the queue answers (results must not be lost;
        the job stays unacknowledged meanwhile)."""
        import redis

        backoff = 1.0
        while True:
            try:
                return call(*args, **kwargs)
            except redis.RedisError as exc:
                log.warning("queue unreachable (%s); trying again in %.0f s", exc, backoff)
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)

    # -- one job ----------------------------------------------------------------------------
    def _perform(self, body: dict[str, Any]) -> None:
        """The actor: one delivery of one job (runs on a Dramatiq worker thread)."""
        import dramatiq
        from dramatiq.middleware import CurrentMessage

        began = time.monotonic()
        message = CurrentMessage.get_current_message()
        options: dict[str, Any] = message.options if message is not None else {}
        attempt = int(options.get("retries", 0)) - int(options.get("released", 0)) + 1
        try:
            job = Job.from_json(body)
        except OptionsError as exc:
            self._refuse(body, message_of(exc))
            return
        channel = BatchChannel(self._client, job.batch_id)
        where = Msg("dist.where", line=job.line, batch=job.batch_id[:8])
        if self._redis(channel.result, job.line) is not None:
            # redelivered after its result was written (the acknowledgement was lost): the
            # item ended, and the submitter may have recorded it already
            self.say(Msg("dist.already_finished", where=where))
            return
        lost = self._redis(channel.begin, job.line, {
            "worker": self.name, "attempt": attempt, "url": job.url,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        try:
            # published by an earlier delivery already (its worker died before the
            # acknowledgement)? Then it need not be captured again (looked at before the
            # lost deliveries: a delivery that died after publishing published)
            done = published_package(self.out_dir, job.key)
            if done is None and lost >= MAX_LOST_DELIVERIES:
                result = _failed(job, WorkerLostError(Msg("error.workers_lost", lost=lost)))
                self._finish(channel, job, result, attempt, where, began)
                return
            if done is None:
                self.say(Msg("dist.capturing", where=where, url=job.url, attempt=attempt))
                result = self._capture(job, attempt, options)
                done = published_package(self.out_dir, job.key) \
                    if result.status is CaptureStatus.FAILED else None
            if done is not None:
                # an earlier delivery published it (this worker was taken for dead, or died
                # after publishing): nothing more is published, its package is the result
                result = result_from_package(done, job.url)
                result.warnings.append(Msg("warning.already_published"))
                self._finish(channel, job, result, attempt, where, began, already=True)
                return
            if result.status is CaptureStatus.FAILED and result.error_code in ENVIRONMENT_CODES:
                raise _Broken(_environment_error(result))
            if (result.status is CaptureStatus.FAILED and result.retryable
                    and attempt <= job.retries):
                wait = job.retry_backoff_s * 2 ** (attempt - 1)
                self.say(Msg("dist.retry_later", where=where, error=result.error or "",
                             seconds=f"{wait:.0f}"))
                raise dramatiq.Retry(f"transient failure: {result.error}",
                                     delay=int(wait * 1000))
            if attempt > 1:
                result.warnings.append(Msg("warning.attempt", attempt=attempt))
            self._finish(channel, job, result, attempt, where, began)
        except _Released:
            options["released"] = int(options.get("released", 0)) + 1
            self.say(Msg("dist.released", where=where))
            raise dramatiq.Retry("released by a stopping worker", delay=0) from None
        except _Broken as broken:
            # not the job's fault: another worker takes it, without counting an attempt
            options["released"] = int(options.get("released", 0)) + 1
            self._break(broken.error)
            self.say(Msg("dist.handed_back", where=where))
            raise dramatiq.Retry("handed back by a worker that cannot capture",
                                 delay=0) from None
        except dramatiq.Retry:
            raise
        except Exception as exc:  # noqa: BLE001 - every delivery ends with a result
            log.exception("%s: unexpected error", where)
            result = _failed(job, InternalError(Msg(
                "dist.worker_bug", name=self.name, error=f"{type(exc).__name__}: {exc}")))
            self._finish(channel, job, result, attempt, where, began)
        finally:
            self._redis(channel.end, job.line)

    def _capture(self, job: Job, attempt: int, message_options: dict[str, Any]
                 ) -> CaptureResult:
        """Capture the job's URL with the pipeline every capture uses."""
        refusal = policy_refusal(job, self.allowed, self.name)
        if refusal is not None:
            return _failed(job, OptionsError(refusal))
        try:
            options = options_for(job, self.options)
        except OptionsError as exc:
            return _failed(job, exc)
        if options.profile and options.profile not in {p.name for p in list_profiles()}:
            return _failed(job, ProfileError(Msg("error.profile_not_on_worker",
                                                 profile=options.profile,
                                                 host=socket.gethostname())))
        if self._stop.is_set() and self._stops_asked > 1:
            raise _Released()
        future = asyncio.run_coroutine_threadsafe(self._capture_async(job, options),
                                                  self._require_loop())
        with self._lock:
            self._running[future] = options.capture_timeout_s
        try:
            return future.result()
        except concurrent.futures.CancelledError:
            raise _Released() from None
        except ENVIRONMENT_ERRORS as exc:
            raise _Broken(exc) from None
        finally:
            with self._lock:
                self._running.pop(future, None)

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        assert self._loop is not None
        return self._loop

    async def _capture_async(self, job: Job, options: CaptureOptions) -> CaptureResult:
        assert self._session is not None
        await self._session.ensure_connected()
        pipeline = CapturePipeline(self._session, options, None, record_catalog=False)
        # a fresh capture id per delivery: two deliveries never share a staging folder
        return await pipeline.capture(job.url, capture_id=str(uuid.uuid4()),
                                      record=options.record, publish_key=job.key)

    def _finish(self, channel: BatchChannel, job: Job, result: CaptureResult, attempt: int,
                where: Msg, began: float, *, already: bool = False) -> None:
        summary = result_summary(result, attempt=attempt, worker=self.name,
                                 already_published=already, seconds=time.monotonic() - began)
        self._redis(channel.finish, job.line, summary)
        self.say(Msg("dist.finished", where=where, already="yes" if already else "no",
                     package=str(result.package or ""),
                     status=Msg(f"status.{result.status.value}"),
                     detail=str(result.package) if result.package else result.error or ""))

    def _break(self, error: SomecaptureError) -> None:
        """Stop fetching: this computer cannot capture (its jobs go to healthy workers)."""
        first = self.broken is None
        self.broken = self.broken or error
        self._stop.set()
        if first:
            self.say(Msg("dist.broken", name=self.name, error=message_of(error)))

    def _refuse(self, body: Any, reason: str) -> None:
        """A job this worker cannot read: failed with the reason when it names its batch
        item, else only logged (there is no one to tell)."""
        try:
            batch_id, line, url = str(body["batch_id"]), int(body["line"]), str(body["url"])
        except (TypeError, KeyError, ValueError):
            log.error("dropped a message that is not a somecapture job: %s", reason)
            self.say(Msg("dist.dropped", reason=reason))
            return
        result = CaptureResult(url=url, capture_id=str(uuid.uuid4()))
        result.error, result.error_code = reason, OptionsError.code
        channel = BatchChannel(self._client, batch_id)
        self._redis(channel.finish, line, result_summary(result, attempt=1, worker=self.name))
        self.say(Msg("dist.refused", where=Msg("dist.where", line=line, batch=batch_id[:8]),
                     reason=reason))


def _environment_error(result: CaptureResult) -> SomecaptureError:
    """The worker's environment error a failed result stands for."""
    kind = next(e for e in ENVIRONMENT_ERRORS if e.code == result.error_code)
    return kind(result.error or kind.__name__)


def _failed(job: Job, error: SomecaptureError) -> CaptureResult:
    """A failed result for a job that was not captured."""
    result = CaptureResult(url=job.url, capture_id=str(uuid.uuid4()))
    result.error, result.error_code = message_of(error), error.code
    return result
