"""The submitting side of a distributed batch: the same batch, its captures done by workers.

:class:`QueuedBatchRunner` is a :class:`~somecapture.batch.BatchRunner` (the same list
checks, batch state in the catalogue, lock, progress events, report and exit status) whose
items are sent to the task queue instead of being captured here. Results come back through
Redis (:class:`~somecapture.distributed.store.BatchChannel`) and are recorded in this
computer's catalogue as a local batch records them. Killed and resumed (``--resume``), it
collects what finished while it was away: from Redis, or else from the claims of the output
folder (:mod:`somecapture.package.claim`), and sends only what the broker does not know.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from somecapture.batch import BatchOptions, BatchRunner
from somecapture.catalog import BatchItemState
from somecapture.distributed.address import QueueAddress
from somecapture.distributed.jobs import (
    item_key,
    job_for,
    result_from_package,
    result_from_summary,
)
from somecapture.distributed.store import (
    BatchChannel,
    client_for,
    make_broker,
    require_engine,
    send,
)
from somecapture.events import BatchProgress, CaptureFinished, safe_emit
from somecapture.messages import Msg
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions
from somecapture.package.claim import published_package
from somecapture.pipeline import Listener

log = logging.getLogger(__name__)

#: how often the submitter looks for news from the workers
POLL_S = 0.5
#: how often it checks that the broker still knows every job (a restart without persistence
#: loses them: they are sent again)
CHECK_JOBS_S = 3.0
#: the longest wait between two tries while the queue cannot be reached
MAX_BACKOFF_S = 30.0


class QueuedBatchRunner(BatchRunner):
    """Runs (or resumes) one batch through a task queue; use it as a
    :class:`~somecapture.batch.BatchRunner`: ``start`` (or ``open_batch``), then ``run``."""

    def __init__(self, options: CaptureOptions, batch_options: BatchOptions | None = None,
                 listener: Listener | None = None, *, queue: QueueAddress) -> None:
        require_engine()  # the queue extra: said before anything starts
        super().__init__(options, batch_options, listener)
        self.address = queue
        #: package names a worker reported that are not in this output folder (said once)
        self._missing_said = False

    def stored_extra(self) -> dict[str, Any]:
        """The queue is stored with the batch: a resume must go through the same queue."""
        return {"queue": self.address.shown}

    def check_resumable(self, batch_id: str) -> None:
        """Any batch may be resumed through the queue; the queue is recorded with it (a batch
        begun here is from now on the workers' too: a later resume must use the queue)."""
        if self.store.options(batch_id).get("queue") != self.address.shown:
            self.store.update_options(batch_id, self.stored_extra())

    async def _capture_items(self, batch_id: str, todo: list[BatchItemState]) -> None:
        """Send the items to the queue and record the results as they come back."""
        client = client_for(self.address)
        channel = BatchChannel(client, batch_id)
        broker = make_broker(self.address, judges_workers=False)
        pending = {s.line: s for s in todo}
        announced: set[tuple[int, Any, Any]] = set()
        down_since: float | None = None
        backoff = 1.0
        last_seq = -1
        last_check = 0.0
        collected_claims = False
        sent: set[int] = set()
        #: items recorded failed by this run (looked at again before the report)
        failed: dict[int, BatchItemState] = {}
        try:
            while pending:
                try:
                    seq = await asyncio.to_thread(channel.seq)
                    if down_since is not None:
                        self._notice(batch_id, Msg(
                            "dist.queue_back", queue=self.address.shown,
                            seconds=f"{time.monotonic() - down_since:.0f}"))
                        down_since, backoff, last_check = None, 1.0, 0.0
                    if not collected_claims:
                        # after an interruption: what was published while nobody listened
                        await self._collect(batch_id, channel, pending, announced, failed)
                        await asyncio.to_thread(self._from_claims, batch_id, pending)
                        sent = await asyncio.to_thread(channel.sent_lines)
                        await asyncio.to_thread(self._local_leftovers, batch_id, pending, sent)
                        collected_claims = True
                    if time.monotonic() - last_check >= CHECK_JOBS_S or last_seq < 0:
                        sent = await self._send_unknown(batch_id, channel, broker, pending,
                                                        sent)
                        last_check = time.monotonic()
                    if seq != last_seq:
                        if seq < last_seq:  # the broker lost its data: look at once
                            last_check = 0.0
                        last_seq = seq
                        await self._collect(batch_id, channel, pending, announced, failed)
                except _redis_errors() as exc:
                    if down_since is None:
                        down_since = time.monotonic()
                        self._notice(batch_id, Msg("dist.queue_down", queue=self.address.shown,
                                                   detail=str(exc)))
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF_S)
                    continue
                if pending:
                    await asyncio.sleep(POLL_S)
            # a failed delivery's result may have come first while a slower delivery of the
            # same item published: its claim says so
            await asyncio.to_thread(self._recheck_failed, batch_id, failed)
            with contextlib.suppress(*_redis_errors()):
                await asyncio.to_thread(channel.collected)
        finally:
            await asyncio.to_thread(_close, client, broker)

    # -- sending --------------------------------------------------------------------------
    async def _send_unknown(self, batch_id: str, channel: BatchChannel, broker: Any,
                            pending: dict[int, BatchItemState], sent: set[int]) -> set[int]:
        """Send every pending item the broker does not know (never sent, or lost)."""
        known = await asyncio.to_thread(channel.sent_lines)
        missing = [s for line, s in pending.items() if line not in known]
        if not missing:
            return known
        if any(s.line in sent for s in missing):
            self._notice(batch_id, Msg("dist.jobs_lost", queue=self.address.shown,
                                       count=sum(1 for s in missing if s.line in sent)))
        jobs = [job_for(batch_id, s.line, s.url, s.row, self.options, self.batch.retries,
                        self.batch.retry_backoff_s) for s in missing]

        def send_all() -> None:
            # sent, then remembered: a submitter killed in between sends it again on
            # --resume (a duplicate publishes nothing twice), never loses it
            for job in jobs:
                send(broker, job)
            channel.remember(jobs)
            self.store.mark_submitted(batch_id, [j.line for j in jobs])

        await asyncio.to_thread(send_all)
        return known | {j.line for j in jobs}

    # -- collecting -----------------------------------------------------------------------
    async def _collect(self, batch_id: str, channel: BatchChannel,
                       pending: dict[int, BatchItemState],
                       announced: set[tuple[int, Any, Any]],
                       failed: dict[int, BatchItemState]) -> None:
        """Record the results that came back (the failed ones also into ``failed``), and show
        the starts."""
        started = await asyncio.to_thread(channel.started, list(pending))
        for line, info in sorted(started.items()):
            mark = (line, info.get("attempt"), info.get("worker"))
            if line in pending and mark not in announced:
                announced.add(mark)
                self._progress.emit(Msg("dist.started", line=line, url=pending[line].url,
                                        worker=str(info.get("worker")),
                                        attempt=str(info.get("attempt"))))
        results = await asyncio.to_thread(channel.results, list(pending))
        for line, summary in sorted(results.items()):
            state = pending.get(line)
            if state is None:
                continue
            result = result_from_summary(summary, self.out_dir)
            self._check_package(result, summary)
            await asyncio.to_thread(self._done, batch_id, state, result,
                                    int(summary.get("attempt") or 1))
            if result.status is CaptureStatus.FAILED:
                failed[line] = state
            del pending[line]

    def _recheck_failed(self, batch_id: str, failed: dict[int, BatchItemState]) -> None:
        """Items recorded failed whose claim names a package (another delivery published
        after the failed one reported): recorded with that package instead."""
        for line, state in sorted(failed.items()):
            package = published_package(self.out_dir, item_key(batch_id, line, state.url))
            if package is None:
                continue
            result = result_from_package(package, state.url)
            result.warnings.append(Msg("warning.published_after_failure"))
            safe_emit(self.listener, CaptureFinished(
                result.capture_id, result.url, result.status.value, str(package),
                result.error))
            self.store.mark_done(batch_id, line, result)

    def _from_claims(self, batch_id: str, pending: dict[int, BatchItemState]) -> None:
        """Items published while no result could be kept (the broker lost it): the output
        folder's claims name their packages."""
        for line, state in list(pending.items()):
            package = published_package(self.out_dir, item_key(batch_id, line, state.url))
            if package is None:
                continue
            result = result_from_package(package, state.url)
            result.warnings.append(Msg("warning.collected_from_folder"))
            # published: at least one attempt (how many, only the lost result knew)
            self._done(batch_id, state, result, max(1, state.attempts))
            del pending[line]

    def _local_leftovers(self, batch_id: str, pending: dict[int, BatchItemState],
                         sent: set[int]) -> None:
        """Items left ``running`` by a *local* run of this batch (never sent): published just
        before that run died, or to be captured again, as a local resume decides."""
        for line, state in list(pending.items()):
            if state.state != "running" or line in sent:
                continue
            state = self._reconcile(batch_id, state)
            if state.state == "done":
                self._progress.finished(line, None)
                del pending[line]
            else:
                pending[line] = state

    def _done(self, batch_id: str, state: BatchItemState, result: CaptureResult,
              attempts: int | None) -> None:
        safe_emit(self.listener, CaptureFinished(
            result.capture_id, result.url, result.status.value,
            str(result.package) if result.package else None, result.error))
        self.store.mark_done(batch_id, state.line, result, attempts=attempts)
        self._progress.finished(state.line, result)

    def _check_package(self, result: CaptureResult, summary: dict[str, Any]) -> None:
        """A package the worker published must be in this command's output folder: the
        report and the catalogue point there."""
        if result.package is None or result.package.is_dir():
            return
        result.warnings.append(Msg("warning.published_elsewhere", worker=str(summary.get("worker")),
                                   package=result.package.name, out=str(self.out_dir)))
        if not self._missing_said:
            self._missing_said = True
            self._notice(self._progress.batch_id, Msg(
                "dist.published_elsewhere", worker=str(summary.get("worker")),
                package=result.package.name, out=str(self.out_dir)))

    def _notice(self, batch_id: str, text: str) -> None:
        """A line of its own on the console (and in the log)."""
        log.info("batch %s: %s", batch_id[:8], text)
        p = self._progress
        safe_emit(self.listener, BatchProgress(p.batch_id, p.total, p.done, p.counts(),
                                               p.eta_s(), text, notice=True))


def _redis_errors() -> tuple[type[BaseException], ...]:
    """The errors of a queue that cannot be reached (waited for); any other error, a local
    file's among them, is not the queue's and ends the batch with its own message."""
    import redis

    return (redis.ConnectionError, redis.TimeoutError)


def _close(client: Any, broker: Any) -> None:
    for thing in (client, broker.client):
        try:
            thing.close()
        except Exception:  # noqa: BLE001 - closing a dead connection may fail; nothing to do
            log.debug("closing the queue's connection failed", exc_info=True)
