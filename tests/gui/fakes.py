"""A fake engine bridge: the same signals and methods as EngineBridge, driven by the test.

Every method records the call and returns a :class:`Job`; the test decides what happens next
with :meth:`FakeBridge.finish`, :meth:`fail`, :meth:`emit` or :meth:`cancelled`, or sets an
automatic answer in ``auto`` (``{"profiles": lambda job: [...]}``), delivered on the next turn
of the event loop like the real bridge's queued signals.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from somecapture.gui.bridge import Job


class FakeBridge(QObject):
    """Stands in for :class:`somecapture.gui.bridge.EngineBridge`: both satisfy
    :class:`somecapture.gui.contract.EngineBridgeProtocol` (``test_contract.py`` checks)."""

    job_started = Signal(object)
    event_received = Signal(object, object)
    job_finished = Signal(object, object)
    job_failed = Signal(object, object)
    job_cancelled = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.jobs: list[Job] = []
        self.open: dict[int, Job] = {}
        self.cancel_requests: list[Job] = []
        #: kind → function(job) giving the value to finish with (automatically)
        self.auto: dict[str, Callable[[Job], Any]] = {}
        self.shut_down = False

    # -- the test's controls --------------------------------------------------------------
    def _job(self, kind: str, label: str, *args: Any, **kwargs: Any) -> Job:
        job = Job(kind, label)
        self.calls.append((kind, args, kwargs))
        self.jobs.append(job)
        self.open[job.id] = job
        if kind in self.auto:
            answer = self.auto[kind]
            QTimer.singleShot(0, lambda: self._auto(job, answer))
        return job

    def _auto(self, job: Job, answer: Callable[[Job], Any]) -> None:
        if job.id not in self.open:
            return
        try:
            value = answer(job)
        except Exception as exc:  # noqa: BLE001 - the fake fails the job like the bridge
            self.fail(job, exc)
            return
        self.finish(job, value)

    def last(self, kind: str) -> Job:
        """The newest job of ``kind``."""
        return next(j for j in reversed(self.jobs) if j.kind == kind)

    def args(self, job: Job) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The arguments the job was made with."""
        _kind, args, kwargs = self.calls[self.jobs.index(job)]
        return args, kwargs

    def emit(self, job: Job, event: Any) -> None:
        """Deliver an engine event."""
        self.event_received.emit(job, event)

    def finish(self, job: Job, value: Any) -> None:
        """End a job with a value."""
        self.open.pop(job.id, None)
        self.job_finished.emit(job, value)

    def fail(self, job: Job, exc: BaseException) -> None:
        """End a job with an exception."""
        self.open.pop(job.id, None)
        self.job_failed.emit(job, exc)

    def cancelled(self, job: Job) -> None:
        """End a job as cancelled."""
        self.open.pop(job.id, None)
        self.job_cancelled.emit(job)

    # -- the EngineBridge surface ---------------------------------------------------------
    def is_running(self) -> bool:
        return bool(self.open)

    def running_jobs(self, kind: str | None = None) -> list[Job]:
        return [j for j in self.open.values() if kind is None or j.kind == kind]

    def submit(self, kind: str, fn: Any, label: str = "") -> Job:
        return self._job(kind, label, fn)

    def cancel(self, job: Job) -> None:
        self.cancel_requests.append(job)

    def capture(self, url: str, options: Any, record: Any = None) -> Job:
        return self._job("capture", url, url, options, record)

    def batch(self, list_path: Any, parsed: Any, options: Any, *, concurrency: int | None = None,
              retries: int = 2, resume: bool = False) -> Job:
        return self._job("batch", str(list_path), list_path, parsed, options,
                         concurrency=concurrency, retries=retries, resume=resume)

    def unfinished_batch(self, list_path: Any, parsed: Any, options: Any) -> Job:
        return self._job("unfinished_batch", str(list_path), list_path, parsed, options)

    def read_list(self, path: Any) -> Job:
        return self._job("read_list", str(path), path)

    def verify(self, package: Any) -> Job:
        return self._job("verify", str(package), package)

    def export_wacz(self, package: Any, target: Any, force: bool = False) -> Job:
        return self._job("export_wacz", str(target), package, target, force=force)

    def catalog_entries(self, catalog_path: Any, search: str | None = None,
                        status: str | None = None, limit: int | None = 2000) -> Job:
        return self._job("catalog", "", catalog_path, search=search, status=status,
                         limit=limit)

    def list_profiles(self) -> Job:
        return self._job("profiles", "")

    def delete_profile(self, name: str) -> Job:
        return self._job("delete_profile", name, name)

    def login(self, name: str, url: str | None, options: Any) -> Job:
        return self._job("login", name, name, url, options)

    def detect_browser(self, options: Any) -> Job:
        return self._job("detect_browser", "", options)

    def shutdown(self, timeout_s: float = 20.0) -> None:
        self.shut_down = True
