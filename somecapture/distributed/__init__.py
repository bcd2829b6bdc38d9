"""Distributed batches: the same batch, its captures done by workers on other machines.

A batch given ``--queue redis://HOST:PORT/DB`` hands each list line to a task queue
(Dramatiq on Redis) instead of capturing it here; ``somecapture worker`` processes on any
number of machines take the jobs, capture them with the very pipeline a local batch uses
(:class:`~somecapture.pipeline.CapturePipeline`, one browser per worker, a fresh context per
capture) and publish into their output folder (normally one shared network folder). The
submitting process shows the same progress, records every result in its catalogue and writes
the same report (:class:`~somecapture.distributed.submit.QueuedBatchRunner`).

Modules: :mod:`.address` (the ``--queue`` address), :mod:`.jobs` (what a job carries, and
what a worker sends back), :mod:`.store` (the broker and the results kept in Redis),
:mod:`.submit` (the submitting side), :mod:`.worker` (the worker process). Nothing here is
imported by the engine, the package builder or the local batch; the task engine itself
(``dramatiq``, ``redis``) is an optional extra, ``somecapture[queue]``, imported only when a
queue is used.
"""
