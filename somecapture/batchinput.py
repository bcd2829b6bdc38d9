"""List files for batch capture: plain text or CSV, checked completely before anything starts.

Plain text: one URL per line; blank lines and ``#`` comments are ignored.
CSV: a header row with a ``url`` column and optionally ``title``, ``case``, ``archivist``,
``note``; comma, semicolon or tab separated (Excel in Norwegian locales writes semicolons).
Both: UTF-8 with or without BOM, any line endings. Every problem is reported with its line
number; duplicates are reported and captured once.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from somecapture.errors import InputError, InvalidURLError
from somecapture.inputs import normalize_url
from somecapture.messages import Msg

#: a list file larger than this is almost certainly not a list of URLs
MAX_LIST_BYTES = 20 * 1024 * 1024
MAX_ITEMS = 100_000
CSV_COLUMNS = ("url", "title", "case", "archivist", "note")


@dataclass(frozen=True)
class BatchItem:
    """One URL to capture, with per-row metadata from a CSV list."""

    line: int
    url: str
    raw_url: str
    title: str | None = None
    case: str | None = None
    archivist: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ListProblem:
    """A line that cannot be captured."""

    line: int
    text: str
    reason: str

    def __str__(self) -> str:
        return str(self.message())

    def message(self) -> Msg:
        """The problem as a catalogue message: the line, why, and the line's text."""
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        # a reason that quotes the line already ("«x» is not a web address") is not
        # followed by the line a second time
        quoted = bool(self.text.strip()) and self.text.strip()[:40] in str(self.reason)
        return Msg("batch.line_problem", line=self.line, reason=self.reason, text=shown,
                   quoted="yes" if quoted else "no")


@dataclass(frozen=True)
class Duplicate:
    """A URL given more than once; only the first line is captured."""

    line: int
    first_line: int
    url: str


@dataclass
class ParsedList:
    """Result of parsing a list file."""

    source: str
    sha256: str
    format: str  # "text" | "csv"
    items: list[BatchItem] = field(default_factory=list)
    problems: list[ListProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


def read_list_file(path: Path) -> ParsedList:
    """Read and parse ``path``; unreadable, binary, empty or huge files raise InputError."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(Msg("batch.list_missing", path=str(path))) from None
    except OSError as exc:
        raise InputError(Msg("batch.list_unreadable", path=str(path),
                             detail=exc.strerror or str(exc))) from None
    if path.is_dir():
        raise InputError(Msg("batch.list_is_folder", path=str(path)))
    if size > MAX_LIST_BYTES:
        raise InputError(Msg("batch.list_too_large", path=str(path), mb=round(size / 1e6),
                             limit=MAX_LIST_BYTES // (1024 * 1024)))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Msg("batch.list_unreadable", path=str(path),
                             detail=exc.strerror or str(exc))) from None
    return parse_list_bytes(data, str(path))


def parse_list_bytes(data: bytes, source: str) -> ParsedList:
    """Parse list file contents (see module doc)."""
    if b"\x00" in data[:65536]:
        raise InputError(Msg("batch.list_binary", path=source))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(Msg("batch.list_not_utf8", path=source, line=line,
                             byte=exc.start)) from None
    digest = hashlib.sha256(data).hexdigest()
    # normalise line endings: \r\n, \r (old Mac) and \n all end a line
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        raise InputError(Msg("batch.list_empty", path=source))
    header = _csv_header(first)
    parsed = ParsedList(source=source, sha256=digest, format="csv" if header else "text")
    rows = _csv_rows(text, header, parsed) if header else _text_rows(lines)
    seen: dict[str, int] = {}
    for line_no, raw, extra in rows:
        try:
            url = normalize_url(raw)
        except InvalidURLError as exc:
            parsed.problems.append(ListProblem(line_no, raw, exc.msg or str(exc)))
            continue
        if url in seen:
            parsed.duplicates.append(Duplicate(line_no, seen[url], url))
            continue
        seen[url] = line_no
        if len(parsed.items) >= MAX_ITEMS:
            raise InputError(Msg("batch.list_too_long", path=source, limit=MAX_ITEMS))
        parsed.items.append(BatchItem(line=line_no, url=url, raw_url=raw, **extra))
    return parsed


def _text_rows(lines: list[str]) -> list[tuple[int, str, dict[str, str | None]]]:
    rows: list[tuple[int, str, dict[str, str | None]]] = []
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        rows.append((number, stripped, {}))
    return rows


def _csv_header(first: str) -> tuple[str, list[str]] | None:
    """(delimiter, column names) when ``first`` is a CSV header with a url column."""
    for delimiter in (",", ";", "\t"):
        if delimiter not in first and first.strip().lower() != "url":
            continue
        names = [c.strip().strip('"').strip().lower() for c in next(csv.reader(
            [first], delimiter=delimiter))]
        if "url" in names:
            return delimiter, names
    return None


def _csv_rows(text: str, header: tuple[str, list[str]], parsed: ParsedList
              ) -> list[tuple[int, str, dict[str, str | None]]]:
    delimiter, names = header
    unknown = [n for n in names if n and n not in CSV_COLUMNS]
    if unknown:
        parsed.problems.append(ListProblem(
            1, ",".join(names),
            Msg("batch.csv_unknown_columns", columns=", ".join(unknown),
                known=", ".join(CSV_COLUMNS), count=len(unknown))))
    rows: list[tuple[int, str, dict[str, str | None]]] = []
    header_seen = False
    # one line, one row: a broken line (a stray quote) is reported and the next line parsed
    # normally, instead of one error swallowing the rest of the file. (A CSV field cannot span
    # lines here; a title never needs to.)
    for line_no, line in enumerate(text.split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        try:
            record = next(csv.reader([line], delimiter=delimiter, strict=True))
        except (csv.Error, StopIteration) as exc:
            parsed.problems.append(ListProblem(line_no, line, Msg("batch.csv_broken",
                                                                  detail=str(exc))))
            continue
        if len(record) > len(names):
            parsed.problems.append(ListProblem(
                line_no, line,
                Msg("batch.csv_columns", columns=len(record), header=len(names),
                    comma="yes" if delimiter == "," else "no")))
            continue
        values = dict(zip(names, (c.strip() for c in record), strict=False))
        url = values.get("url", "")
        extra = {k: (values.get(k) or None) for k in ("title", "case", "archivist", "note")}
        rows.append((line_no, url, extra))
    return rows
