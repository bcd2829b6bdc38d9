"""Building a package in staging, proving it, and publishing it under its final name.

Write, then prove, then publish: the package gets its final name only after the WARC has been
read back with every digest checked, the metadata re-hashed, and the bag validated by
bagit-python, and after it is sealed with trusted timestamps over its tag manifest where the
agency configured time-stamp authorities (:mod:`somecapture.package.seal`). Until then it lives
in its :class:`Staging` folder, ``<out>/.somecapture-staging/<capture id>/`` on the same
volume, so publication is one atomic rename. A failed capture leaves nothing under a final
name. The builder only reads what the engine recorded (:class:`~somecapture.models.RecordedPage`)
and the capture's result; the pipeline takes the :class:`PublishedPackage` it returns.

What does not depend on each other runs at once, in a few threads (reading, hashing and
lxml release the GIL for most of their work): the WARC's read-back and the secret scan of the
recorded files while the PDFs render; the metadata's schema check next to the arkivmelding;
and, once the bag is written, its validation next to the documents' checks. The two PDFs
render one after the other (see ``_Build._render``). A file this module writes
from memory (metadata, arkivmelding, schema) is hashed and scanned from those bytes; the proofs
before publication (WARC read-back, bag validation by bagit-python, the documents' validators)
still read every file from disk, independently of how it was written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from somecapture._version import __version__
from somecapture.errors import PackageError, VerificationError
from somecapture.messages import Msg, message_of, msg_json
from somecapture.models import Artifact, CaptureResult, CaptureStatus, RecordedPage
from somecapture.options import RecordOptions
from somecapture.package import bag
from somecapture.package.claim import publish_once
from somecapture.package.documents import check_documents, metadata_problems, metadata_schema_path
from somecapture.package.layout import (
    ARKIVMELDING_NAME,
    MEDIA_TYPES,
    METADATA_NAME,
    METADATA_SCHEMA_NAME,
    PDF_NAME,
    PUBLIC_SCREENSHOT_NAME,
    PUBLIC_WARC_NAME,
    SCREENED_PDF_NAME,
    SCREENSHOT_NAME,
    WARC_NAME,
    package_name,
    slugify,
)
from somecapture.package.noark import (
    ArkivmeldingInvalidError,
    Variant,
    build_arkivmelding,
    validate_arkivmelding,
)
from somecapture.package.pdf import PdfRenditionError, render_capture_pdf
from somecapture.package.record import (
    Registration,
    capture_sheet,
    noark_input,
    registration_for,
    thread_text,
)
from somecapture.package.screened import discard_screened, render_screened_pdf
from somecapture.package.screening import ScreeningPlan, screening_warnings
from somecapture.package.seal import SealConfig, SealOutcome, seal_bag

# Staging and default_out_dir live in package.staging; named here for existing callers
from somecapture.package.staging import Staging as Staging
from somecapture.package.staging import default_out_dir as default_out_dir
from somecapture.redact import find_secrets, longest_form
from somecapture.warc.verify import check_warc

log = logging.getLogger(__name__)

METADATA_FORMAT = "somecapture-capture-metadata/1"

#: threads of one packaging, next to the one that renders the PDFs: the WARC's read-back and
#: the recorded files' secret scans (two WARCs with a public view), then the bag's validation
#: and the documents' checks; one more, so the arkivmelding never queues behind the scans
_THREADS = 4
#: bytes read at a time by the digests and the secret scans
_CHUNK = 4 * 1024 * 1024

T = TypeVar("T")


def scan_file(path: Path, secrets: set[str], chunk: int = _CHUNK,
              stop: threading.Event | None = None) -> set[str]:
    """Secrets found in a file, read in overlapping chunks (a value may span two chunks)."""
    return read_file(path, secrets, chunk=chunk, digest=False, stop=stop)[1]


def read_file(path: Path, secrets: set[str], *, chunk: int = _CHUNK,
              digest: bool = True, stop: threading.Event | None = None
              ) -> tuple[str | None, set[str]]:
    """One read of a file: its SHA-256 (hex; None when ``digest`` is False) and the
    ``secrets`` found in it (read in overlapping chunks: a value may span two). Raises
    :class:`PackageError` when ``stop`` is set before the end (the packaging failed or was
    cancelled: a multi-GB WARC is not read to its end for nothing)."""
    overlap = longest_form(secrets) + 16 if secrets else 0
    h = hashlib.sha256() if digest else None
    hits: set[str] = set()
    tail = b""
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            if stop is not None and stop.is_set():
                raise PackageError(Msg("package.cancelled"))
            if h is not None:
                h.update(block)
            if secrets and hits != secrets:
                hits |= find_secrets(tail + block, secrets - hits)
                tail = block[-overlap:]
            elif h is None:
                break  # every secret found, nothing left to hash
    return (h.hexdigest() if h is not None else None), hits


@dataclass
class Timings:
    """Wall-clock seconds of a packaging's parts, by name (summed over repeats). Parts run
    at once in threads overlap, so their sum exceeds the package step's own time."""

    seconds: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def run(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)``, its time counted under ``name`` (also when it raises)."""
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.add(name, time.perf_counter() - t0)

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` under ``name``."""
        with self._lock:
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def rounded(self) -> dict[str, float]:
        """The times in milliseconds' precision, longest first."""
        with self._lock:
            return {k: round(v, 3) for k, v in sorted(self.seconds.items(),
                                                     key=lambda kv: -kv[1])}


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class PublishedPackage:
    """A package under its final name, and what it holds."""

    path: Path
    artifacts: tuple[Artifact, ...]
    #: what was registered for the records system (title, case, journalposttype…)
    registration: dict[str, Any]
    #: the trusted timestamps made over the staged bag before publication
    seal: SealOutcome | None = None
    #: the screened variant: what it masked, or why there is none (``problems``)
    screening: dict[str, Any] | None = None
    #: wall-clock seconds of the packaging's parts (see :class:`Timings`)
    timings: dict[str, float] = field(default_factory=dict)


class PackageBuilder:
    """Turns a recorded page in its staging folder into a proved, published package."""

    def __init__(self, staging: Staging, recorded: RecordedPage,
                 seal: SealConfig | None = None) -> None:
        self.staging = staging
        #: which time-stamp authorities seal the package (none: unsealed, said in metadata)
        self.seal = seal or SealConfig()
        self.recorded = recorded
        self.data_dir = staging.data_dir
        self.started = recorded.started_at
        self.url = recorded.url

    @property
    def warc_path(self) -> Path:
        """The recorded WARC, where the engine wrote it."""
        return self.recorded.work.warc_path

    def _artifact(self, name: str, sha256: str | None = None) -> Artifact:
        path = self.data_dir / name
        return Artifact(
            path=name,
            sha256=sha256 or bag.sha256_file(path),
            size_bytes=path.stat().st_size,
            media_type=MEDIA_TYPES.get(name, "application/octet-stream"),
        )

    def _read_artifact(self, name: str, secrets: set[str]) -> tuple[Artifact, set[str]]:
        """A payload file's artifact and the secrets in it, from one read."""
        digest, hits = read_file(self.data_dir / name, secrets, stop=self.staging.cancel)
        return self._artifact(name, digest), hits

    def _write_payload(self, name: str, data: bytes, secrets: set[str], *,
                       fsync: bool = False) -> tuple[Artifact, set[str]]:
        """Write ``data`` as the payload file ``name``; its artifact and the secrets in it,
        from the bytes written (not read back: the bag's validation reads them)."""
        path = self.data_dir / name
        with open(path, "wb") as fh:
            fh.write(data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        return _artifact_of(name, data), find_secrets(data, secrets) if secrets else set()

    def build_and_publish(
        self,
        result: CaptureResult,
        record: RecordOptions,
        public_view: dict[str, Any] | None = None,
        screening: ScreeningPlan | None = None,
    ) -> PublishedPackage:
        """Write PDF, metadata, arkivmelding and bag, verify everything, publish.

        ``result`` is read, never changed: the pipeline takes what comes back. Raises
        :class:`VerificationError` (nothing published) when any validator finds a problem.
        """
        timings = Timings()
        pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="package")
        try:
            return _Build(self, pool, timings).run(result, record, public_view, screening)
        except BaseException:
            # nothing is published: the reads still running in the pool (the WARC's
            # read-back, secret scans) stop at their next chunk instead of reading on
            self.staging.cancel.set()
            raise
        finally:
            # nothing may still read the staging folder when the caller discards it
            pool.shutdown(wait=True, cancel_futures=True)

    def _render_screened(self, result: CaptureResult, reg: Registration,
                         record: RecordOptions, files: dict[str, Artifact],
                         plan: ScreeningPlan, secrets: set[str]
                         ) -> tuple[dict[str, Any], tuple[Artifact, set[str]] | None]:
        """The screened variant, proved, with its artifact and the secrets in it; no
        artifact (and ``plan.problems``) when it cannot be made."""
        if plan.problems:
            return {"file": None, **plan.to_json()}, None
        try:
            facts = render_screened_pdf(
                result, reg, record, files[WARC_NAME].sha256, files[SCREENSHOT_NAME].sha256,
                self.started, self.data_dir / SCREENSHOT_NAME, plan,
                self.data_dir / SCREENED_PDF_NAME)
        except (PdfRenditionError, OSError, subprocess.SubprocessError) as exc:
            discard_screened(self.data_dir / SCREENED_PDF_NAME)
            plan.problems.append(Msg("screen.pdf_failed", detail=str(exc)))
            return {"file": None, **plan.to_json()}, None
        except Exception as exc:  # noqa: BLE001 - a bug in screening must not lose the capture
            discard_screened(self.data_dir / SCREENED_PDF_NAME)
            # the type only: the message may quote a private person's text
            log.error("the screened variant failed: %s", type(exc).__name__, exc_info=False)
            plan.problems.append(Msg("screen.pdf_bug", kind=type(exc).__name__))
            return {"file": None, **plan.to_json()}, None
        if (self.data_dir / SCREENED_PDF_NAME).exists():
            facts["file"] = SCREENED_PDF_NAME
            return facts, self._read_artifact(SCREENED_PDF_NAME, secrets)
        discard_screened(self.data_dir / SCREENED_PDF_NAME)
        return facts, None

    def _render_pdf(self, result: CaptureResult, reg: Registration, record: RecordOptions,
                    files: dict[str, Artifact], secrets: set[str]
                    ) -> tuple[Artifact, set[str]]:
        """The main PDF/A, with its artifact and the secrets in it."""
        sheet = capture_sheet(result, reg, record, files[WARC_NAME].sha256,
                              files[SCREENSHOT_NAME].sha256, self.started)
        try:
            render_capture_pdf(self.data_dir / SCREENSHOT_NAME, sheet,
                               thread_text(result, record.maalform),
                               self.data_dir / PDF_NAME)
        except PdfRenditionError as exc:
            raise VerificationError([Msg("package.pdf_not_made", file=f"data/{PDF_NAME}",
                                         problems=list(exc.problems))]) from None
        return self._read_artifact(PDF_NAME, secrets)

    def _arkivmelding(self, variant: Variant, result: CaptureResult, record: RecordOptions,
                      reg: Registration, files: dict[str, Artifact],
                      screened: dict[str, Any] | None) -> bytes:
        """The arkivmelding, valid against its XSD (:class:`VerificationError` if not)."""
        xml = build_arkivmelding(
            noark_input(result, record, reg, files, self.started, screened), variant)
        try:
            validate_arkivmelding(xml, variant)
        except ArkivmeldingInvalidError as exc:
            raise VerificationError([Msg("check.in_file", file=f"data/{ARKIVMELDING_NAME}",
                                         problem=message_of(exc))]) from None
        return xml

    def tag_scan(self, name: str, secrets: set[str]) -> None:
        """Fail when a tag file or the package's folder name holds a session secret."""
        problems: list[str] = [
            Msg("package.secret_in_file", file=p.name, count=len(hits))
            for p in sorted(self.staging.path.iterdir())
            if p.is_file() and (hits := scan_file(p, secrets, stop=self.staging.cancel))]
        # the name is a slug (lower case, dashes): a secret is looked for in that form too
        slugs = {slug for secret in secrets if len(slug := slugify(secret, 10_000)) >= 8}
        if find_secrets(name.encode("utf-8"), secrets) or any(slug in name for slug in slugs):
            problems.append(Msg("package.secret_in_name"))
        if problems:
            raise VerificationError(problems)

    def metadata(self, result: CaptureResult, artifacts: list[Artifact],
                 record: RecordOptions, registration: dict[str, Any]) -> dict[str, Any]:
        """``capture-metadata.json``: the capture described for people and machines."""
        prov = result.provenance
        return {
            "format": METADATA_FORMAT,
            "capture_id": result.capture_id,
            "tool": {"name": "somecapture", "version": __version__},
            "captured_at": _rfc3339(self.started),
            "finished_at": _rfc3339(datetime.now(UTC)),
            "requested_url": result.url,
            "url": self.url,
            "final_url": result.final_url,
            "status": result.status.value,
            "warnings": list(result.warnings),
            # the same, language neutral: codes and parameters of the message catalogue
            "warning_messages": [msg_json(w) for w in result.warnings],
            "browser": prov.get("browser", {}),
            "environment": prov.get("environment", {}),
            "options": prov.get("options", {}),
            "record": record.to_json(),
            "registration": registration,
            # the package step is still running while this file is written
            "steps": [s.to_json() for s in result.steps if s.name != "package"],
            "thread": result.thread,
            "completeness": result.completeness,
            "provenance": {
                k: prov.get(k)
                for k in ("adapter", "overlays", "dialogs_dismissed", "popups_closed",
                          "downloads_refused",
                          "network", "tls", "redaction", "session", "screenshot",
                          "main_document_status")
            },
            "files": [a.to_json() for a in artifacts],
            # written before stamping, so the intent only (see package/seal.py)
            "seal": self.seal.intent(),
            # a later version of a watched thread: what it was compared with, what changed
            **({"previous_capture": result.previous_capture, "changes": result.changes}
               if result.changes is not None else {}),
        }

    def _bag_info(self, result: CaptureResult, reg: Registration, record: RecordOptions
                  ) -> dict[str, str]:
        info = {
            "Source-Organization": record.organisation or "",
            "Organization-Address": "",
            "Contact-Name": reg.archivist,
            "External-Identifier": f"urn:uuid:{result.capture_id}",
            "External-Description": f"Capture of {result.final_url or self.url} "
            f"({result.status.value})",
            "Bag-Software-Agent": f"somecapture {__version__}",
            "Bag-Group-Identifier": reg.case or "",
            "Internal-Sender-Description": reg.title,
            # the batch item it was captured for (a distributed batch's idempotency key)
            "Internal-Sender-Identifier": self.staging.publish_key or "",
        }
        return {k: v for k, v in info.items() if v}


def _artifact_of(name: str, data: bytes) -> Artifact:
    """The artifact of payload file ``name`` holding ``data``."""
    return Artifact(path=name, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data),
                    media_type=MEDIA_TYPES.get(name, "application/octet-stream"))


def _json_bytes(data: dict[str, Any]) -> bytes:
    """``capture-metadata.json`` as written: UTF-8, indented, one newline at the end."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class _Build:
    """One packaging of :class:`PackageBuilder`: its parts in order, those that do not
    depend on each other at once in ``pool``, each timed in ``timings``."""

    def __init__(self, builder: PackageBuilder, pool: ThreadPoolExecutor,
                 timings: Timings) -> None:
        self.b = builder
        self.pool = pool
        self.timings = timings
        self.secrets = set(builder.recorded.secrets)
        #: every payload file: the session secrets found in it (or still being looked for)
        self.found: dict[str, set[str] | Future[set[str]]] = {}

    def submit(self, name: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> Future[T]:
        """Run ``fn(*args, **kwargs)`` in the pool, timed as ``name``."""
        return self.pool.submit(self.timings.run, name, fn, *args, **kwargs)

    def run(self, result: CaptureResult, record: RecordOptions,
            public_view: dict[str, Any] | None, screening: ScreeningPlan | None
            ) -> PublishedPackage:
        b, timings = self.b, self.timings
        t0 = time.perf_counter()
        # the WARC read back with every digest checked, while the PDFs render: the engine
        # closed it, and nothing writes it again
        warc_check = self.submit("warc_read_back", check_warc, b.warc_path, f"data/{WARC_NAME}",
                                 b.staging.cancel)
        files = timings.run("recorded_files", self._recorded_files, public_view)
        reg = registration_for(result, record)
        registration = {**reg.to_json(), "arkivmelding": record.arkivmelding}
        screened: dict[str, Any] | None = None
        if SCREENSHOT_NAME in files:
            result, screened = self._render(result, reg, record, files, screening)
        schema = metadata_schema_path().read_bytes()
        files[METADATA_SCHEMA_NAME], self.found[METADATA_SCHEMA_NAME] = b._write_payload(
            METADATA_SCHEMA_NAME, schema, self.secrets)
        metadata = b.metadata(result, list(files.values()), record, registration)
        if public_view is not None:
            metadata["public_view"] = public_view
        if screened is not None:
            metadata["screening"] = screened
        data = _json_bytes(metadata)
        files[METADATA_NAME] = _artifact_of(METADATA_NAME, data)
        xml: Future[bytes] | None = None
        variant = record.arkivmelding
        if variant != "none" and PDF_NAME in files:
            # the arkivmelding names the metadata's digest, known from its bytes: made and
            # checked against its XSD while the metadata is checked against its schema
            xml = self.submit("arkivmelding", b._arkivmelding, variant, result, record, reg,
                              dict(files), screened)
        problems = timings.run("metadata", metadata_problems, metadata)
        if problems:
            raise VerificationError(problems)
        _, self.found[METADATA_NAME] = timings.run(
            "metadata", b._write_payload, METADATA_NAME, data, self.secrets, fsync=True)
        if record.arkivmelding != "none":
            if xml is None:
                raise VerificationError([Msg("package.pdf_needed", file=f"data/{PDF_NAME}")])
            files[ARKIVMELDING_NAME], self.found[ARKIVMELDING_NAME] = b._write_payload(
                ARKIVMELDING_NAME, xml.result(), self.secrets)
        artifacts = list(files.values())
        timings.run("secret_scan", self._refuse_secrets, artifacts)
        timings.run("bag_write", bag.write_bag, b.staging.path, artifacts,
                    b._bag_info(result, reg, record))
        name = package_name(result.final_url or b.url, b.started)
        # the proofs, each an independent read of what is on disk: the documents by their
        # validators and every file's hash by bagit-python, at once
        documents = self.submit("documents_check", check_documents, b.data_dir)
        bag_check = self.submit("bag_validate", bag.validate_bag, b.staging.path)
        if self.secrets:
            # the tag files (bag-info.txt quotes the page's address) and the folder's name
            # are outputs too
            timings.run("secret_scan", b.tag_scan, name, self.secrets)
        problems = warc_check.result().problems + documents.result() + bag_check.result()
        if problems:
            raise VerificationError(problems)
        timings.add("until_proved", time.perf_counter() - t0)
        # stamped once proved, before publication: the stamp covers exactly what is published
        staging = b.staging
        seal = timings.run("seal", seal_bag, staging.path, b.seal, staging.cancel)
        if staging.cancel.is_set():
            raise PackageError(Msg("package.cancelled"))
        if staging.publish_key is not None:
            # a distributed batch may deliver an item twice: the first to get here publishes
            staging.published = timings.run(
                "publish", publish_once, staging.path, staging.out_dir, name,
                staging.publish_key, result.capture_id)
        else:
            staging.published = timings.run("publish", bag.publish, staging.path,
                                             staging.out_dir, name)
        staging.release()
        return PublishedPackage(staging.published, tuple(artifacts), registration, seal,
                                screened, timings.rounded())

    def _recorded_files(self, public_view: dict[str, Any] | None) -> dict[str, Artifact]:
        """The files the engine recorded, with their digests (the engine's where it computed
        them while writing); the secret scan of those already hashed runs on in the pool."""
        b = self.b
        recorded: list[tuple[str, str | None]] = [(WARC_NAME, b.recorded.warc_sha256 or None)]
        if (b.data_dir / SCREENSHOT_NAME).exists():
            recorded.append((SCREENSHOT_NAME, None))
        if public_view is not None:
            recorded += [(PUBLIC_WARC_NAME, public_view.get("warc_sha256") or None),
                         (PUBLIC_SCREENSHOT_NAME, None)]
        files: dict[str, Artifact] = {}
        for name, digest in recorded:
            if digest is None:
                # the PDFs' capture sheets name the screenshot's digest: needed now
                files[name], self.found[name] = b._read_artifact(name, self.secrets)
                continue
            files[name] = b._artifact(name, digest)
            self.found[name] = (self.submit("secret_scan", scan_file, b.data_dir / name,
                                            self.secrets, stop=b.staging.cancel)
                                if self.secrets else set())
        return files

    def _render(self, result: CaptureResult, reg: Registration, record: RecordOptions,
                files: dict[str, Artifact], plan: ScreeningPlan | None
                ) -> tuple[CaptureResult, dict[str, Any] | None]:
        """The PDFs: the screened variant first (where one is planned), then the main PDF/A,
        whose capture sheet says PARTIAL, and why, when the variant failed. Returns the
        result as the package describes it, and the variant's facts.

        One after the other, not in two threads: the renderer is pure Python for most of its
        time (measured: two threads took as long as one after the other, and held two
        decoded screenshots at once)."""
        b, timings = self.b, self.timings
        screened: dict[str, Any] | None = None
        if plan is not None and plan.needed:
            before = len(plan.problems)
            screened, variant = timings.run("screened_pdf", b._render_screened, result, reg,
                                            record, files, plan, self.secrets)
            if variant is not None:
                files[SCREENED_PDF_NAME], self.found[SCREENED_PDF_NAME] = variant
            late = plan.problems[before:]
            if late:
                # the variant failed its read-back: the main PDF's capture sheet, the
                # metadata and the arkivmelding all say PARTIAL and why
                status = (CaptureStatus.PARTIAL if result.status is CaptureStatus.COMPLETE
                          else result.status)
                result = replace(result, status=status,
                                 warnings=[*result.warnings, *screening_warnings(late)])
        files[PDF_NAME], self.found[PDF_NAME] = timings.run(
            "pdf", b._render_pdf, result, reg, record, files, self.secrets)
        return result, screened

    def _refuse_secrets(self, artifacts: list[Artifact]) -> None:
        """Fail when any payload file still holds a session secret (in any stored form)."""
        if not self.secrets:
            return
        problems = []
        for a in artifacts:
            found = self.found.get(a.path, set())
            hits = found.result() if isinstance(found, Future) else found
            if hits:
                problems.append(Msg("package.secret_in_payload", file=f"data/{a.path}",
                                    count=len(hits)))
        if problems:
            raise VerificationError(problems)
