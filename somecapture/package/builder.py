"""Building a package in staging, proving it, and publishing it under its final name.

Write, then prove, then publish: the package gets its final name only after the WARC has been
read back with every digest checked, the metadata re-hashed, and the bag validated by
bagit-python, and after it is sealed with trusted timestamps over its tag manifest where the
agency configured time-stamp authorities (:mod:`somecapture.package.seal`). Until then it lives
in its :class:`Staging` folder, ``<out>/.somecapture-staging/<capture id>/`` on the same
volume, so publication is one atomic rename. A failed capture leaves nothing under a final
name. The builder only reads what the engine recorded (:class:`~somecapture.models.RecordedPage`)
and the capture's result; the pipeline takes the :class:`PublishedPackage` it returns.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from somecapture._version import __version__
from somecapture.errors import PackageError, VerificationError
from somecapture.filelock import FileLock
from somecapture.messages import Msg, msg_json
from somecapture.models import Artifact, CaptureResult, CaptureStatus, RecordedPage, WorkFolder
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
from somecapture.package.machine import machine_id
from somecapture.package.noark import (
    ArkivmeldingInvalidError,
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
from somecapture.redact import find_secrets, longest_form
from somecapture.warc.verify import check_warc

log = logging.getLogger(__name__)

METADATA_FORMAT = "somecapture-capture-metadata/1"


def scan_file(path: Path, secrets: set[str], chunk: int = 4 * 1024 * 1024) -> set[str]:
    """Secrets found in a file, read in overlapping chunks (a value may span two chunks)."""
    overlap = longest_form(secrets) + 16
    hits: set[str] = set()
    tail = b""
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            hits |= find_secrets(tail + block, secrets - hits)
            tail = block[-overlap:]
    return hits


def default_out_dir() -> Path:
    """``<Documents>/somecapture``: the CLI's and the app's default output folder."""
    return Path(platformdirs.user_documents_dir()) / "somecapture"


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Staging:
    """One capture's staging folder, from first byte to publication (or discard).

    ``<out>/.somecapture-staging/<capture id>/`` on the same volume as the final package, so
    publication is one atomic rename; a lock file marks it as in use, so an interrupted
    capture's folder can be told from a running one's and swept later. A distributed batch's
    capture (``publish_key``) stages in ``.somecapture-staging/host-<machine id>/`` and sweeps
    only that folder: another computer's running capture is never taken for a dead one.
    """

    def __init__(self, out_dir: Path, capture_id: str, publish_key: str | None = None) -> None:
        self.out_dir = out_dir.expanduser().resolve()
        self.capture_id = capture_id
        #: a batch item's idempotency key: published only if no other delivery of the same
        #: item published first (see :mod:`somecapture.package.claim`); None: no such check
        self.publish_key = publish_key
        #: a distributed batch's captures stage in this computer's own folder (others share
        #: the output folder, and their locks may not be visible from here)
        self.staging_root = (bag.host_staging_root(self.out_dir, machine_id()) if publish_key
                             else bag.staging_root(self.out_dir))
        self.path = self.staging_root / capture_id
        self.data_dir = self.path / "data"
        self.published: Path | None = None
        self._lock: FileLock | None = None
        #: set from the event loop when the capture is cancelled while packaging runs
        self.cancel = threading.Event()

    def prepare(self) -> None:
        """Create the staging directory (checks the output folder is writable)."""
        bag.prepare_out_dir(self.out_dir)
        if self.publish_key is not None:
            self.staging_root.mkdir(exist_ok=True)
        removed = bag.sweep_stale_staging(self.out_dir, self.staging_root)
        if removed:
            log.info("removed %d staging folder(s) of interrupted captures in %s",
                     len(removed), self.out_dir)
        # the lock first, then the folder: a folder without its lock is never taken for ours
        self._lock = FileLock.try_acquire(bag.lock_path(self.path))
        self.data_dir.mkdir(parents=True, exist_ok=False)

    def work_folder(self) -> WorkFolder:
        """Where the engine records the capture: its WARC and screenshot are payload files."""
        return WorkFolder(warc_path=self.data_dir / WARC_NAME,
                          screenshot_path=self.data_dir / SCREENSHOT_NAME,
                          scratch_dir=self.path)

    def public_work_folder(self) -> WorkFolder:
        """Where the logged-out view is recorded (``data/public/``)."""
        return WorkFolder(warc_path=self.data_dir / PUBLIC_WARC_NAME,
                          screenshot_path=self.data_dir / PUBLIC_SCREENSHOT_NAME,
                          scratch_dir=self.path / "public-view-work")

    def discard_public_view(self) -> None:
        """Remove what a public view that could not be had whole left behind."""
        for folder in (self.data_dir / PUBLIC_WARC_NAME).parent, self.path / "public-view-work":
            shutil.rmtree(folder, ignore_errors=True)

    def discard(self) -> None:
        """Remove staging after a failure (nothing was published)."""
        if self.published is None:
            bag.discard(self.path)
        self.release()

    def release(self) -> None:
        """Drop the staging lock (after publication or discard); safe to call twice."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None


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
        files: dict[str, Artifact] = {
            WARC_NAME: self._artifact(WARC_NAME, self.recorded.warc_sha256 or None)}
        shot = self.data_dir / SCREENSHOT_NAME
        if shot.exists():
            files[SCREENSHOT_NAME] = self._artifact(SCREENSHOT_NAME)
        if public_view is not None:
            files[PUBLIC_WARC_NAME] = self._artifact(PUBLIC_WARC_NAME,
                                                     public_view.get("warc_sha256") or None)
            files[PUBLIC_SCREENSHOT_NAME] = self._artifact(PUBLIC_SCREENSHOT_NAME)
        reg = registration_for(result, record)
        registration = {**reg.to_json(), "arkivmelding": record.arkivmelding}
        screened: dict[str, Any] | None = None
        if shot.exists():
            if screening is not None and screening.needed:
                # the variant first: when it fails its read-back, the main PDF's capture
                # sheet, the metadata and the arkivmelding all say PARTIAL and why
                before = len(screening.problems)
                screened = self._render_screened(result, reg, record, files, screening)
                late = screening.problems[before:]
                if late:
                    status = (CaptureStatus.PARTIAL if result.status is CaptureStatus.COMPLETE
                              else result.status)
                    result = replace(result, status=status, warnings=[
                        *result.warnings, *screening_warnings(late)])
            self._render_pdf(result, reg, record, files)
        shutil.copyfile(metadata_schema_path(), self.data_dir / METADATA_SCHEMA_NAME)
        files[METADATA_SCHEMA_NAME] = self._artifact(METADATA_SCHEMA_NAME)
        metadata = self.metadata(result, list(files.values()), record, registration)
        if public_view is not None:
            metadata["public_view"] = public_view
        if screened is not None:
            metadata["screening"] = screened
        problems = metadata_problems(metadata)
        if problems:
            raise VerificationError(problems)
        self._write_json(METADATA_NAME, metadata)
        files[METADATA_NAME] = self._artifact(METADATA_NAME)
        if record.arkivmelding != "none":
            if PDF_NAME not in files:
                raise VerificationError([f"data/{PDF_NAME}: missing; the arkivmelding needs it "
                                         "as the main document"])
            xml = build_arkivmelding(
                noark_input(result, record, reg, files, self.started, screened),
                record.arkivmelding)
            try:
                validate_arkivmelding(xml, record.arkivmelding)
            except ArkivmeldingInvalidError as exc:
                raise VerificationError([f"data/{ARKIVMELDING_NAME}: {exc}"]) from None
            (self.data_dir / ARKIVMELDING_NAME).write_bytes(xml)
            files[ARKIVMELDING_NAME] = self._artifact(ARKIVMELDING_NAME)
        artifacts = list(files.values())
        if self.recorded.secrets:
            self.secret_scan(artifacts, set(self.recorded.secrets))
        bag.write_bag(self.staging.path, artifacts,
                      self._bag_info(result, reg, record))
        name = package_name(result.final_url or self.url, self.started)
        if self.recorded.secrets:
            # the tag files (bag-info.txt quotes the page's address) and the folder's name
            # are outputs too
            self.tag_scan(name, set(self.recorded.secrets))
        self.verify_staged(artifacts)
        # stamped once proved, before publication: the stamp covers exactly what is published
        seal = seal_bag(self.staging.path, self.seal, self.staging.cancel)
        if self.staging.cancel.is_set():
            raise PackageError("The capture was cancelled before its package was published.")
        if self.staging.publish_key is not None:
            # a distributed batch may deliver an item twice: the first to get here publishes
            self.staging.published = publish_once(self.staging.path, self.staging.out_dir, name,
                                                  self.staging.publish_key, result.capture_id)
        else:
            self.staging.published = bag.publish(self.staging.path, self.staging.out_dir,
                                                 name)
        self.staging.release()
        return PublishedPackage(self.staging.published, tuple(artifacts), registration, seal,
                                screened)

    def _render_screened(self, result: CaptureResult, reg: Registration,
                         record: RecordOptions, files: dict[str, Artifact],
                         plan: ScreeningPlan) -> dict[str, Any]:
        """The screened variant, proved; none (and ``plan.problems``) when it cannot be."""
        if plan.problems:
            return {"file": None, **plan.to_json()}
        try:
            facts = render_screened_pdf(
                result, reg, record, files[WARC_NAME].sha256, files[SCREENSHOT_NAME].sha256,
                self.started, self.data_dir / SCREENSHOT_NAME, plan,
                self.data_dir / SCREENED_PDF_NAME)
        except (PdfRenditionError, OSError, subprocess.SubprocessError) as exc:
            discard_screened(self.data_dir / SCREENED_PDF_NAME)
            plan.problems.append(Msg("screen.pdf_failed", detail=str(exc)))
            return {"file": None, **plan.to_json()}
        except Exception as exc:  # noqa: BLE001 - a bug in screening must not lose the capture
            discard_screened(self.data_dir / SCREENED_PDF_NAME)
            # the type only: the message may quote a private person's text
            log.error("the screened variant failed: %s", type(exc).__name__, exc_info=False)
            plan.problems.append(Msg("screen.pdf_bug", kind=type(exc).__name__))
            return {"file": None, **plan.to_json()}
        if (self.data_dir / SCREENED_PDF_NAME).exists():
            files[SCREENED_PDF_NAME] = self._artifact(SCREENED_PDF_NAME)
            facts["file"] = SCREENED_PDF_NAME
        else:
            discard_screened(self.data_dir / SCREENED_PDF_NAME)
        return facts

    def _render_pdf(self, result: CaptureResult, reg: Registration, record: RecordOptions,
                    files: dict[str, Artifact]) -> None:
        sheet = capture_sheet(result, reg, record, files[WARC_NAME].sha256,
                              files[SCREENSHOT_NAME].sha256, self.started)
        try:
            render_capture_pdf(self.data_dir / SCREENSHOT_NAME, sheet,
                               thread_text(result, record.maalform),
                               self.data_dir / PDF_NAME)
        except PdfRenditionError as exc:
            raise VerificationError([f"data/{PDF_NAME}: could not be made: {exc}"]) from None
        files[PDF_NAME] = self._artifact(PDF_NAME)

    def secret_scan(self, artifacts: list[Artifact], secrets: set[str]) -> None:
        """Fail when any payload file still holds a session secret (in any stored form)."""
        problems = []
        for a in artifacts:
            hits = scan_file(self.data_dir / a.path, secrets)
            if hits:
                problems.append(f"data/{a.path}: contains {len(hits)} session secret value(s) "
                                "(cookie or token); not published")
        if problems:
            raise VerificationError(problems)

    def tag_scan(self, name: str, secrets: set[str]) -> None:
        """Fail when a tag file or the package's folder name holds a session secret."""
        problems = [f"{p.name}: contains {len(hits)} session secret value(s); not published"
                    for p in sorted(self.staging.path.iterdir())
                    if p.is_file() and (hits := scan_file(p, secrets))]
        # the name is a slug (lower case, dashes): a secret is looked for in that form too
        slugs = {slug for secret in secrets if len(slug := slugify(secret, 10_000)) >= 8}
        if find_secrets(name.encode("utf-8"), secrets) or any(slug in name for slug in slugs):
            problems.append("the package's folder name contains a session secret; "
                            "not published")
        if problems:
            raise VerificationError(problems)

    def verify_staged(self, artifacts: list[Artifact]) -> None:
        """Prove the staged package: WARC digests, every file's hash, documents, bag."""
        problems: list[str] = []
        warc = check_warc(self.warc_path)
        problems += warc.problems
        # every file's hash is re-read and compared by the bag validation below
        problems += check_documents(self.data_dir)
        problems += bag.validate_bag(self.staging.path)
        if problems:
            raise VerificationError(problems)

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        path = self.data_dir / name
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())

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
