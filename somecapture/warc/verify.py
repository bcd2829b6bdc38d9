"""Reading a WARC back and checking every record's digests (independently of how it was written).

Uses warcio's reader with digest checking, the same check ``warcio check`` performs, plus
structural checks that matter for replay: warcinfo first, WARC/1.1, every response paired with
a request.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

_CHUNK = 1024 * 1024


@dataclass
class WarcCheck:
    """Result of :func:`check_warc`."""

    path: Path
    records: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    target_uris: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def check_warc(path: Path) -> WarcCheck:
    """Read every record of ``path``, check block and payload digests; never raises on bad data."""
    result = WarcCheck(path=path)
    responses: set[str] = set()
    concurrent: set[str] = set()
    try:
        with open(path, "rb") as fh:
            iterator = ArchiveIterator(fh, check_digests=True)
            for record in iterator:
                result.records += 1
                kind = record.rec_type
                result.counts[kind] += 1
                rid = record.rec_headers.get_header("WARC-Record-ID")
                if result.records == 1 and kind != "warcinfo":
                    result.problems.append(f"{path.name}: first record is {kind}, not warcinfo")
                version = record.rec_headers.protocol
                if version != "WARC/1.1":
                    result.problems.append(f"{path.name}: record {rid} is {version}, not WARC/1.1")
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
                    result.problems.append(
                        f"{path.name}: record {rid} ({kind}) at offset {offset} is cut short "
                        f"({iterator.get_record_length()} of {expected} bytes)"
                    )
                checker = record.digest_checker
                if checker.passed is False:
                    for problem in checker.problems:
                        result.problems.append(
                            f"{path.name}: record {rid} ({kind}) at offset {offset}: {problem}"
                        )
                elif kind in ("response", "resource", "request") and checker.passed is None:
                    result.problems.append(
                        f"{path.name}: record {rid} ({kind}) at offset {offset} has no digest"
                    )
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
        result.problems.append(f"{path.name}: unreadable after record {result.records}: {exc}")
        return result
    if result.records == 0:
        result.problems.append(f"{path.name}: contains no records")
    unpaired = responses - concurrent
    if unpaired:
        result.problems.append(f"{path.name}: {len(unpaired)} response record(s) without request")
    return result
