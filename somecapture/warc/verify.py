"""Reading a WARC back and checking every record's digests (independently of how it was written).

Uses warcio's reader with digest checking, the same check ``warcio check`` performs, plus
structural checks that matter for replay: warcinfo first, WARC/1.1, every response paired with
a request.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from somecapture.messages import Msg

_CHUNK = 1024 * 1024


@dataclass
class WarcCheck:
    """Result of :func:`check_warc`."""

    path: Path
    records: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    #: each a catalogue message naming the file (its English text is its string)
    problems: list[str] = field(default_factory=list)
    target_uris: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _digest_problem(problem: str) -> Msg:
    """warcio's digest finding ("payload digest failed: sha256:…") as a catalogue message."""
    text = str(problem)
    part = "block" if "block digest" in text else "payload" if "payload digest" in text else ""
    if part and text.startswith("unknown hash algorithm"):
        return Msg("warc.digest_algorithm", part=part)
    if part and " failed" in text:
        return Msg("warc.digest_failed", part=part,
                   digest=text.split("failed", 1)[1].lstrip(": ").strip())
    return Msg("warc.digest_other", detail=text)


def check_warc(path: Path, name: str | None = None,
               stop: threading.Event | None = None) -> WarcCheck:
    """Read every record of ``path``, check block and payload digests; never raises on bad
    data. ``name``: how the problems name the file (default: its file name). ``stop``: once
    set, the reading ends at the next record and the check says it was not finished (a
    packaging that failed or was cancelled does not wait for a multi-GB read)."""
    result = WarcCheck(path=path)
    file = name or path.name
    responses: set[str] = set()
    concurrent: set[str] = set()
    try:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh, check_digests=True)
            for record in iterator:
                if stop is not None and stop.is_set():
                    result.problems.append(Msg("package.cancelled"))
                    return result
                result.records += 1
                kind = record.rec_type
                result.counts[kind] += 1
                rid = record.rec_headers.get_header("WARC-Record-ID") or "?"
                if result.records == 1 and kind != "warcinfo":
                    result.problems.append(Msg("warc.first_not_warcinfo", file=file,
                                               kind=str(kind)))
                version = record.rec_headers.protocol
                if version != "WARC/1.1":
                    result.problems.append(Msg("warc.not_warc_1_1", file=file, id=str(rid),
                                               version=str(version)))
                # reading the whole body is what triggers the digest comparison
                stream = record.raw_stream
                while stream.read(_CHUNK):
                    pass
                offset = iterator.get_record_offset()
                # a record cut short (truncated file, disk full) reads fewer bytes than its
                # header block + Content-Length (warcio counts the closing CRLFs differently
                # for records with and without HTTP headers, so they are not counted here)
                declared = int(record.rec_headers.get_header("Content-Length") or -1)
                expected = record.rec_headers.total_len + declared
                if declared < 0 or iterator.get_record_length() < expected:
                    result.problems.append(Msg(
                        "warc.cut_short", file=file, id=str(rid), kind=str(kind),
                        offset=str(offset), length=str(iterator.get_record_length()),
                        expected=str(expected)))
                checker = record.digest_checker
                if checker.passed is False:
                    for problem in checker.problems:
                        result.problems.append(Msg(
                            "warc.record_problem", file=file, id=str(rid), kind=str(kind),
                            offset=str(offset), problem=_digest_problem(problem)))
                elif kind in ("response", "resource", "request") and checker.passed is None:
                    result.problems.append(Msg("warc.no_digest", file=file, id=str(rid),
                                               kind=str(kind), offset=str(offset)))
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if uri:
                    result.target_uris.add(uri)
                if kind == "response":
                    responses.add(rid)
                elif kind == "request":
                    to = record.rec_headers.get_header("WARC-Concurrent-To")
                    if to:
                        concurrent.add(to)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a finding, not a crash
        result.problems.append(Msg("warc.unreadable", file=file, records=result.records,
                                   detail=str(exc) or type(exc).__name__))
        return result
    if result.records == 0:
        result.problems.append(Msg("warc.no_records", file=file))
    unpaired = responses - concurrent
    if unpaired:
        result.problems.append(Msg("warc.unpaired", file=file, count=len(unpaired)))
    return result
