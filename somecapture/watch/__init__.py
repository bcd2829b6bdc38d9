"""Watch: keep threads and an agency's own accounts archived over time (issue 19).

The watch list lives in the catalogue (:mod:`somecapture.watch.store`); a round
(:class:`~somecapture.watch.runner.WatchRunner`) checks what is due on the decaying schedule
(:mod:`somecapture.watch.schedule`), finds new posts on watched accounts
(:mod:`somecapture.watch.discovery`) and captures through the one capture pipeline, which
compares a re-capture with the previous one (:mod:`somecapture.thread.diff`).
:mod:`somecapture.watch.install` writes the operating system's scheduler entry that runs
``somecapture watch run --once`` unattended.

Above the pipeline and the batch runner, below the shells (``cli``, ``gui``).
"""

from __future__ import annotations

from somecapture.watch.schedule import DEFAULT_SCHEDULE, Schedule, ScheduleSpecError
from somecapture.watch.store import ACCOUNT, POST, WatchItem, WatchStore

__all__ = ["ACCOUNT", "DEFAULT_SCHEDULE", "POST", "Schedule", "ScheduleSpecError",
           "WatchItem", "WatchStore"]
