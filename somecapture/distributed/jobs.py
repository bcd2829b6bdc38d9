"""What a job carries to a worker, and what a worker sends back.

**A job carries only what a worker needs**: the URL, its list line, the batch id, the item's
idempotency key, the capture options and the records-system metadata (title, case,
organisation…), and how often to retry. It never carries a secret or a path of the
submitting computer:

* not the proxy (it may hold ``user:password``, and it belongs to the submitter's network:
  a worker uses its own ``--proxy``, config file or system settings);
* no time-stamp authority address that carries credentials (``user:password@`` or a
  token-like query parameter): such a job says so, and the worker seals with the
  authorities of its own config file;
* no cookies, tokens or login profiles: a login profile is *named*, and a worker uses the
  profile of that name on its own computer, or refuses the job with a clear error;
* not the output folder, browser or catalogue paths (each worker has its own).

What comes back (:func:`result_summary`) is what the submitter's catalogue and report record
of a local capture: status, capture id, the package's folder name, files and their SHA-256,
warnings, error, the thread's platform and author, the registration and the seal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somecapture.catalog import seal_of_package
from somecapture.errors import OptionsError
from somecapture.messages import Msg, msg_from_json, msg_json
from somecapture.models import Artifact, CaptureResult, CaptureStatus
from somecapture.options import CaptureOptions, RecordOptions, url_has_credentials

#: the job format; a worker refuses a job of another version with a clear error
JOB_VERSION = 1

#: options that belong to the worker's own computer (or are secret) and are never shipped;
#: ``record``, ``profile`` and ``timestamp_urls`` travel as fields of their own
WORKER_OWN = frozenset({"out_dir", "browser_path", "headless", "proxy", "catalog_path",
                        "record", "profile", "timestamp_urls"})
#: the capture options a job carries: an allow-list (a new option travels only once it is
#: added here; the unit tests list every option as shipped or the worker's own)
SHIPPED = ("ignore_https_errors", "viewport_width_px", "viewport_height_px", "locale",
           "timezone_id", "load_timeout_s", "settle_timeout_s", "network_idle_ms",
           "expand_timeout_s", "expand_max_actions", "lazy_media_timeout_s",
           "screenshot_timeout_s", "capture_timeout_s", "max_capture_bytes",
           "stream_body_threshold_bytes", "allow_private_network", "also_public",
           "keep_credentials", "site", "timestamp", "timestamp_timeout_s")
#: shipped options that weaken a worker's safeguards: a job may turn one on only when its
#: worker was started with the flag that allows it (anyone who can write to the broker
#: could send such a job); option → the worker's flag
WORKER_POLICY = {"allow_private_network": "--allow-private-network",
                 "ignore_https_errors": "--ignore-https-errors",
                 "keep_credentials": "--allow-keep-credentials"}


def policy_refusal(job: Job, allowed: frozenset[str], worker: str) -> str | None:
    """Why ``job`` may not be captured by a worker that allows only ``allowed`` (of
    :data:`WORKER_POLICY`; a catalogue message); None when it may."""
    asked = [name for name in WORKER_POLICY if job.capture.get(name) and name not in allowed]
    if not asked:
        return None
    return Msg("dist.policy_refused", asked=", ".join(WORKER_POLICY[n] for n in asked),
               count=len(asked), worker=worker,
               flags=" ".join(WORKER_POLICY[name] for name in asked))


def item_key(batch_id: str, line: int, url: str) -> str:
    """The idempotency key of a batch item: batch id, list line and the URL's hash."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return f"{batch_id}:{line}:{digest}"


@dataclass(frozen=True)
class Job:
    """One batch item, as it travels through the task queue (plain JSON)."""

    batch_id: str
    line: int
    url: str
    key: str
    #: the shipped capture options (:data:`SHIPPED`), as plain JSON
    capture: dict[str, Any]
    #: the records-system metadata of this item (:meth:`RecordOptions.to_json`)
    record: dict[str, Any]
    #: a login profile's *name* (the worker must have it); None: logged out
    profile: str | None = None
    #: time-stamp authorities without credentials
    timestamp_urls: tuple[str, ...] = ()
    #: True when some authority was not shipped (it carried credentials): the worker uses
    #: its own config's authorities instead
    timestamp_urls_withheld: bool = False
    #: extra attempts for transient failures, and the first wait (doubling)
    retries: int = 2
    retry_backoff_s: float = 5.0
    submitted_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    submitted_by: str = field(default_factory=socket.gethostname)

    def to_json(self) -> dict[str, Any]:
        """The message body."""
        data = dataclasses.asdict(self)
        data["timestamp_urls"] = list(self.timestamp_urls)
        data["v"] = JOB_VERSION
        return data

    @classmethod
    def from_json(cls, data: Any) -> Job:
        """A job from a message body; :class:`OptionsError` when it is not one this version
        understands (a worker older or newer than the submitter)."""
        if not isinstance(data, dict) or data.get("v") != JOB_VERSION:
            version = data.get("v") if isinstance(data, dict) else None
            raise OptionsError(Msg("dist.job_version", version=repr(version),
                                   understands=str(JOB_VERSION)))
        names = {f.name for f in dataclasses.fields(cls)}
        try:
            values = {k: v for k, v in data.items() if k in names}
            values["timestamp_urls"] = tuple(values.get("timestamp_urls") or ())
            job = cls(**values)
        except TypeError as exc:
            raise OptionsError(Msg("dist.job_incomplete", detail=str(exc))) from None
        unknown = set(job.capture) - set(SHIPPED)
        if unknown:
            raise OptionsError(Msg("dist.job_unknown_options",
                                   options=", ".join(sorted(unknown))))
        return job


def job_for(batch_id: str, line: int, url: str, row: dict[str, Any], options: CaptureOptions,
            retries: int, retry_backoff_s: float) -> Job:
    """The job of one batch item: ``options`` minus every secret and local path (see the
    module's doc), ``row`` the list's own columns (title, case, archivist, note)."""
    capture = {}
    for name in SHIPPED:
        value = getattr(options, name)
        capture[name] = str(value) if isinstance(value, Path) else value
    record = options.record.merged(title=row.get("title"), case=row.get("case"),
                                   archivist=row.get("archivist"), note=row.get("note"))
    shipped_tsa = tuple(u for u in options.timestamp_urls if not url_has_credentials(u))
    return Job(batch_id=batch_id, line=line, url=url, key=item_key(batch_id, line, url),
               capture=capture, record=record.to_json(), profile=options.profile,
               timestamp_urls=shipped_tsa,
               timestamp_urls_withheld=len(shipped_tsa) != len(options.timestamp_urls),
               retries=retries, retry_backoff_s=retry_backoff_s)


def options_for(job: Job, base: CaptureOptions) -> CaptureOptions:
    """The options a worker captures ``job`` with: the job's over the worker's own ``base``
    (output folder, browser, proxy, and the time-stamp authorities when the job's were
    withheld). :class:`OptionsError` when they are not valid here."""
    record = dict(job.record)
    record["own_accounts"] = {k: tuple(v) for k, v in (record.get("own_accounts") or {}).items()}
    names = {f.name for f in dataclasses.fields(RecordOptions)}
    tsa = base.timestamp_urls if job.timestamp_urls_withheld else job.timestamp_urls
    return base.with_changes(**job.capture, record=RecordOptions(
        **{k: v for k, v in record.items() if k in names}), profile=job.profile,
        timestamp_urls=tsa, catalog_path=None)


# -- what comes back --------------------------------------------------------------------
def _thread_facts(thread: dict[str, Any]) -> dict[str, Any]:
    """What the catalogue keeps of a thread (the whole thread stays in the package)."""
    root = (thread or {}).get("root") or {}
    return {"platform": (thread or {}).get("platform"),
            "root": {k: root.get(k) for k in ("author", "handle", "published_at",
                                               "published_local")}}


def result_summary(result: CaptureResult, *, attempt: int, worker: str,
                   already_published: bool = False, seconds: float | None = None
                   ) -> dict[str, Any]:
    """The result a worker sends back: what a local batch records of a capture, and how long
    the worker spent on this delivery (``seconds``)."""
    return {
        "capture_id": result.capture_id,
        "url": result.url,
        "status": result.status.value,
        "final_url": result.final_url,
        # the folder's name: each side knows the shared folder by its own path
        "package": result.package.name if result.package else None,
        "artifacts": [a.to_json() for a in result.artifacts],
        "warnings": list(result.warnings),
        # the same as catalogue messages (codes and parameters): the submitter's catalogue
        # and the app show them in the archivist's language
        "warning_messages": [msg_json(w) for w in result.warnings],
        "error": result.error,
        "error_message": msg_json(result.error) if result.error else None,
        "error_code": result.error_code,
        "retryable": result.retryable,
        "completeness": result.completeness,
        "thread": _thread_facts(result.thread),
        "registration": result.registration,
        "started_at": result.provenance.get("started_at"),
        "seal": result.provenance.get("seal"),
        "attempt": attempt,
        "worker": worker,
        "already_published": already_published,
        "seconds": None if seconds is None else round(seconds, 3),
    }


def result_from_summary(data: dict[str, Any], out_dir: Path) -> CaptureResult:
    """A worker's summary as the :class:`CaptureResult` the submitter records; the package
    is looked for in the submitter's ``out_dir`` (the same shared folder)."""
    result = CaptureResult(url=str(data["url"]), capture_id=str(data["capture_id"]),
                           status=CaptureStatus(data["status"]))
    result.final_url = data.get("final_url")
    result.package = out_dir / data["package"] if data.get("package") else None
    result.artifacts = [Artifact(path=a["path"], sha256=a["sha256"], size_bytes=a["bytes"],
                                 media_type=a["media_type"]) for a in data.get("artifacts") or []]
    result.warnings = [str(w) for w in data.get("warnings") or []]
    messages = data.get("warning_messages")
    if isinstance(messages, list) and len(messages) == len(result.warnings):
        result.warnings = [msg_from_json(m) for m in messages]
    result.error = data.get("error")
    if result.error and isinstance(data.get("error_message"), dict):
        result.error = msg_from_json(data["error_message"])
    result.error_code = data.get("error_code")
    result.retryable = bool(data.get("retryable"))
    result.completeness = data.get("completeness") or {}
    result.thread = data.get("thread") or {}
    result.registration = data.get("registration") or {}
    result.provenance = {k: data[k] for k in ("started_at", "seal") if data.get(k)}
    return result


def result_from_package(package: Path, url: str) -> CaptureResult:
    """The result of an item whose package another delivery published, read from the
    package's own metadata (the seal's tokens stay in the package's ``signatures/``)."""
    meta: dict[str, Any] = {}
    try:
        meta = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        pass
    result = CaptureResult(url=str(meta.get("requested_url") or url),
                           capture_id=str(meta.get("capture_id") or ""),
                           status=CaptureStatus(meta.get("status", "complete")))
    result.package = package
    result.final_url = meta.get("final_url")
    result.warnings = [str(w) for w in meta.get("warnings") or []]
    result.thread = _thread_facts(meta.get("thread") or {})
    result.registration = meta.get("registration") or {}
    result.completeness = meta.get("completeness") or {}
    result.artifacts = [Artifact(path=f["path"], sha256=f["sha256"], size_bytes=f["bytes"],
                                 media_type=f["media_type"])
                        for f in meta.get("files") or [] if isinstance(f, dict)]
    result.provenance = {"started_at": meta.get("captured_at")}
    # the seal as the package shows it (the catalogue's reader: the same columns as a
    # package adopted after an interruption)
    seal = seal_of_package(package) if package.is_dir() else {}
    if seal:
        result.provenance["seal"] = seal
    if not package.is_dir():
        result.warnings.append(Msg("warning.moved_away", package=package.name))
    return result
