"""The task engine (Dramatiq on Redis) and what a distributed batch keeps in Redis.

**The queue.** Jobs are Dramatiq messages on the queue :data:`QUEUE_NAME` (Redis keys under
:data:`NAMESPACE`). Dramatiq's Redis broker acknowledges a message only after the actor
returned (the job's result is written before that): a worker that dies mid-capture leaves its
message in its acknowledgement set, and another worker moves it back to the queue once the
dead worker's heartbeat is older than the *redelivery time* (``--redeliver-after``; every
live worker refreshes its heartbeat at least once a second, and checks for dead ones at every
fetch here, instead of Dramatiq's default of 1 fetch in 1,000).

**Per batch** (keys ``somecapture:batch:<id>:…``, each kept :data:`RESULT_TTL_S` after its
last change, so a submitter that was away can still collect them with ``--resume``; once the
submitter has collected every result, :data:`COLLECTED_TTL_S`):

* ``jobs``: line → the job, written by the submitter *before* the message is sent: a line
  that is not there was never sent, or the broker lost it (a restart without persistence),
  and is sent again;
* ``started``: line → which worker started it, and which attempt;
* ``results``: line → the worker's result summary (:func:`.jobs.result_summary`);
* ``inflight``: line → deliveries that started and did not end (a worker killed mid-capture
  never ends its delivery): an item whose workers keep dying is failed, not handed out again;
* ``seq``: a counter raised by every change, so the submitter reads the hashes only when
  something happened.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from somecapture.distributed.address import QueueAddress
from somecapture.distributed.jobs import Job
from somecapture.errors import ClockSkewError, QueueUnreachableError
from somecapture.messages import Msg

if TYPE_CHECKING:
    import redis
    from dramatiq.brokers.redis import RedisBroker

QUEUE_NAME = "somecapture"
ACTOR_NAME = "somecapture_capture"
#: Dramatiq's keys (queues, acknowledgements, heartbeats) live under this prefix, apart
#: from any other Dramatiq application sharing the Redis database
NAMESPACE = "somecapture-queue"
#: how long a batch's jobs and results stay in Redis after their last change
RESULT_TTL_S = 30 * 24 * 3600
#: how long a batch's keys stay after its submitter collected every result (its results hold
#: the threads' authors, its jobs the list's URLs: not kept longer than needed)
COLLECTED_TTL_S = 24 * 3600
#: the redelivery time: a worker silent this long is taken for dead and its job handed out
DEFAULT_REDELIVER_AFTER_S = 30.0
#: deliveries of one item that may die (worker killed) before the item is failed
MAX_LOST_DELIVERIES = 3


def require_engine() -> None:
    """Raise :class:`QueueUnreachableError` when Dramatiq or a usable Redis client is not
    installed (the ``queue`` extra): said before anything starts."""
    try:
        import dramatiq  # noqa: F401 - only to tell whether it is there
        import redis
    except ImportError as exc:
        raise QueueUnreachableError(Msg("queue.not_installed", detail=str(exc))) from None
    major = int(str(redis.__version__).split(".")[0] or 0)
    if major < 5:  # pyproject's queue extra: redis>=5
        raise QueueUnreachableError(Msg("queue.old_redis", version=str(redis.__version__)))


def client_for(address: QueueAddress) -> redis.Redis:
    """A Redis client for ``address`` that gives up on a dead connection within seconds
    (the callers wait and try again themselves)."""
    import redis

    extra = {"password": address.password} if address.password else {}
    return redis.Redis.from_url(address.url, socket_connect_timeout=5, socket_timeout=15,
                                health_check_interval=10, **extra)


def unreachable(address: QueueAddress, exc: BaseException) -> QueueUnreachableError:
    """The archivist's message for a queue that does not answer."""
    import redis

    why: str
    if isinstance(exc, redis.AuthenticationError):
        why = Msg("queue.why_password")
    elif isinstance(exc, redis.ResponseError):
        why = Msg("queue.why_answered", detail=str(exc))
    else:
        why = str(exc) or type(exc).__name__
    return QueueUnreachableError(Msg("queue.unreachable", queue=address.shown, why=why))


def check_reachable(address: QueueAddress) -> None:
    """Ask the queue's Redis server once; :class:`QueueUnreachableError` when it does not
    answer (before a batch or a worker starts)."""
    import redis

    require_engine()
    client = client_for(address)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise unreachable(address, exc) from None
    finally:
        client.close()


def check_clock(client: redis.Redis, redeliver_after_s: float, *,
                local_now: float | None = None) -> float:
    """Compare this computer's clock with the Redis server's: heartbeats are stamped with each
    worker's own clock, so a worker whose clock is ahead by more than a quarter of the
    redelivery time would take others' running jobs for dead. :class:`ClockSkewError` then;
    returns the difference (seconds, positive: this clock is ahead)."""
    import redis

    before = time.time()
    try:
        seconds, micros = client.time()
    except redis.RedisError:
        return 0.0  # said by the reachability check; the clock is checked when it answers
    here = (before + time.time()) / 2 if local_now is None else local_now
    skew = here - (int(seconds) + int(micros) / 1e6)
    allowed = redeliver_after_s / 4
    if abs(skew) > allowed:
        raise ClockSkewError(Msg("queue.clock_skew", skew=round(abs(skew), 1),
                                 ahead="yes" if skew > 0 else "no", allowed=f"{allowed:g}",
                                 redeliver=f"{redeliver_after_s:g}"))
    return skew


def make_broker(address: QueueAddress, *, redeliver_after_s: float = DEFAULT_REDELIVER_AFTER_S,
                judges_workers: bool = True) -> RedisBroker:
    """Dramatiq's Redis broker for ``address``.

    Middleware: retries only when the actor asks for one (a transient capture failure, with
    the batch's backoff), and the current message (for its attempt count); no time limit (a
    capture has budgets of its own and always ends with a result) and no age limit.
    ``judges_workers``: check for dead workers at every fetch (workers do; the submitter, which
    only sends, leaves that to them).
    """
    import dramatiq
    from dramatiq.brokers.redis import MAINTENANCE_SCALE, RedisBroker
    from dramatiq.middleware import CurrentMessage, Retries

    def retry_when(_retries: int, exc: BaseException) -> bool:
        # the actor raises Retry itself, counting attempts the way a local batch does
        return isinstance(exc, dramatiq.Retry)

    broker = RedisBroker(  # type: ignore[no-untyped-call]
        client=client_for(address), namespace=NAMESPACE,
        middleware=[CurrentMessage(), Retries(retry_when=retry_when)],
        heartbeat_timeout=int(redeliver_after_s * 1000),
        maintenance_chance=MAINTENANCE_SCALE if judges_workers else 0)
    broker.declare_queue(QUEUE_NAME)
    return broker


def send(broker: RedisBroker, job: Job) -> None:
    """Put ``job`` on the queue."""
    import dramatiq

    broker.enqueue(dramatiq.Message(queue_name=QUEUE_NAME, actor_name=ACTOR_NAME,
                                    args=(job.to_json(),), kwargs={}, options={}))


class BatchChannel:
    """One batch's jobs, starts and results in Redis (see the module's doc)."""

    def __init__(self, client: redis.Redis, batch_id: str) -> None:
        self.client = client
        self.batch_id = batch_id
        prefix = f"somecapture:batch:{batch_id}"
        self.jobs_key = f"{prefix}:jobs"
        self.started_key = f"{prefix}:started"
        self.results_key = f"{prefix}:results"
        self.inflight_key = f"{prefix}:inflight"
        self.seq_key = f"{prefix}:seq"

    def _touch(self, pipe: Any, *keys: str) -> None:
        for key in (*keys, self.seq_key):
            pipe.expire(key, RESULT_TTL_S)

    # -- the submitter ---------------------------------------------------------------------
    def remember(self, jobs: Iterable[Job]) -> None:
        """Record jobs as sent (right before sending them)."""
        pipe = self.client.pipeline()
        for job in jobs:
            pipe.hset(self.jobs_key, str(job.line), json.dumps(job.to_json()))
        pipe.incr(self.seq_key)
        self._touch(pipe, self.jobs_key)
        pipe.execute()

    def sent_lines(self) -> set[int]:
        """Lines whose job the broker knows."""
        return {int(k) for k in self.client.hkeys(self.jobs_key)}

    def seq(self) -> int:
        """The change counter (0: nothing yet, or the broker lost everything)."""
        value = self.client.get(self.seq_key)
        return int(value) if value else 0

    def started(self, lines: Iterable[int] | None = None) -> dict[int, dict[str, Any]]:
        """line → the latest start of a delivery (of ``lines`` only, when given)."""
        return self._read(self.started_key, lines)

    def results(self, lines: Iterable[int] | None = None) -> dict[int, dict[str, Any]]:
        """line → the worker's result summary (of ``lines`` only, when given: a submitter
        reads only what it still waits for)."""
        return self._read(self.results_key, lines)

    def _read(self, key: str, lines: Iterable[int] | None) -> dict[int, dict[str, Any]]:
        if lines is None:
            return {int(k): json.loads(v) for k, v in self.client.hgetall(key).items()}
        wanted = [str(line) for line in lines]
        if not wanted:
            return {}
        values = self.client.hmget(key, wanted)
        return {int(k): json.loads(v) for k, v in zip(wanted, values, strict=True)
                if v is not None}

    def collected(self) -> None:
        """The submitter recorded every result: the batch's keys expire within a day (not
        at once: a duplicate delivery still in the queue finds the result and does nothing)."""
        pipe = self.client.pipeline()
        for key in (self.jobs_key, self.started_key, self.results_key, self.inflight_key,
                    self.seq_key):
            pipe.expire(key, COLLECTED_TTL_S)
        pipe.execute()

    # -- the workers -----------------------------------------------------------------------
    def begin(self, line: int, info: dict[str, Any]) -> int:
        """A delivery starts; returns how many earlier deliveries of it never ended."""
        pipe = self.client.pipeline()
        pipe.hincrby(self.inflight_key, str(line), 1)
        pipe.hset(self.started_key, str(line), json.dumps(info))
        pipe.incr(self.seq_key)
        self._touch(pipe, self.inflight_key, self.started_key)
        unfinished = pipe.execute()[0]
        return int(unfinished) - 1

    def end(self, line: int) -> None:
        """A delivery ended (with a result, a retry, or released at a worker's stop)."""
        self.client.hincrby(self.inflight_key, str(line), -1)

    def result(self, line: int) -> dict[str, Any] | None:
        """The item's final result, if one was written (a delivery that finds one captures
        nothing: the item ended)."""
        value = self.client.hget(self.results_key, str(line))
        return json.loads(value) if value is not None else None

    def finish(self, line: int, summary: dict[str, Any]) -> bool:
        """Record an item's result, unless one is there already: the first result stays,
        except that a result with a published package replaces one without (a failed or
        lost delivery's, written before a slower delivery published). True when written."""
        import redis

        field = str(line)
        value = json.dumps(summary, ensure_ascii=False)

        while True:
            with self.client.pipeline() as pipe:
                try:
                    pipe.watch(self.results_key)  # type: ignore[no-untyped-call]
                    old = pipe.hget(self.results_key, field)
                    if old is not None and (not summary.get("package")
                                            or json.loads(old).get("package")):
                        return False
                    pipe.multi()
                    pipe.hset(self.results_key, field, value)
                    pipe.incr(self.seq_key)
                    self._touch(pipe, self.results_key)
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue
