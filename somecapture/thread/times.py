"""What a post's shown time stamp says, when it does not fix the instant (issue 15).

Pages often show a post's time without a zone ("03.03.2011, 14:17", "4 Nov '24") or relative
to the moment the page was rendered ("5 h", "3 days ago", "for 2 timer siden"). Neither is an
RFC 3339 instant, so ``published_at`` stays empty for them — but the page does show a time, and
an archivist needs it. This module reads such a stamp into:

* ``published_local``: the wall-clock date or date-time the page shows, without a zone
  (ISO 8601: ``2011-03-03T14:17`` or ``2024-11-04``), for stamps that name a date or a clock
  time (also "yesterday at 14:02" or "Oct 1", whose day or year comes from the capture's date);
* ``published_range``: ``{"earliest", "latest", "basis"}`` in UTC, an interval that surely
  holds the instant. For a wall-clock stamp it spans every zone in use (UTC−12 … UTC+14) and
  the stamp's own precision; for a relative stamp it is the capture time minus the stated age,
  ± one unit of that age (pages round "1 week" and "3 mo" either way).

A stamp that names its zone ("Wed 2 Nov 2022 05.00 GMT", "… CET") is an instant: it gives
``published_at``. When a post already has ``published_at`` from a machine-readable attribute
and the shown stamp is absolute and cannot be the same moment in any zone, the page contradicts
itself (a template that puts one date in every ``title``): what the page shows wins, the
machine value is kept as ``published_machine`` and nothing claims an instant.

Parsing is :mod:`dateparser` (200+ languages, relative forms), with the page's language first,
plus the compact forms platforms use ("5h", "3mo", "2 yrs", Norwegian "2 t", "for 3 dagar
sidan") that it does not read or reads wrongly. Numeric dates with dots are day first
(European use); with slashes month first only on English pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from somecapture.thread.post import rfc3339

#: ``published_range.basis`` values
BASIS_LOCAL = "shown without a time zone"
BASIS_RELATIVE = "relative to the capture time"

# every zone in use lies between UTC-12 and UTC+14
_ZONE_EAST = timedelta(hours=14)
_ZONE_WEST = timedelta(hours=12)
_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)
_MONTH = timedelta(days=30.44)
_YEAR = timedelta(days=365.25)
# a second base for the relative test: another year, weekday and time of day
_OTHER_BASE = timedelta(days=400, hours=7, minutes=13)

# compact and Scandinavian relative forms: number, unit (dateparser misses or misreads these)
_UNITS: dict[str, timedelta] = {}
for _names, _size in (
    (("s", "sec", "secs", "sek", "sekund", "sekunder", "second", "seconds"), timedelta(seconds=1)),
    (("m", "min", "mins", "minutt", "minutter", "minute", "minutes"), _MINUTE),
    (("h", "hr", "hrs", "t", "time", "timer", "tim", "timme", "timmar", "hour", "hours"),
     timedelta(hours=1)),
    (("d", "dag", "dagar", "dager", "døgn", "day", "days"), _DAY),
    (("w", "wk", "wks", "u", "uke", "uker", "veke", "veker", "vecka", "veckor", "uge", "uger",
      "week", "weeks"), timedelta(days=7)),
    (("mo", "mos", "mnd", "måned", "måneder", "månad", "månader", "månadar", "month",
      "months"), _MONTH),
    (("y", "yr", "yrs", "å", "år", "year", "years"), _YEAR),
):
    for _name in _names:
        _UNITS[_name] = _size
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "en": 1, "ein": 1, "ei": 1, "ett": 1, "eitt": 1,
                 "to": 2, "two": 2, "tre": 3, "three": 3}
_COMPACT = re.compile(
    r"^(?:for\s+|för\s+)?(\d+|" + "|".join(_NUMBER_WORDS) + r")\s*("
    + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
    + r")\.?(?:\s+(?:ago|siden|sidan|sedan))?$", re.IGNORECASE)
_CLOCK = re.compile(r"(?<!\d)\d{1,2}[:.]\d{2}(?![\d.])|\b\d{1,2}\s*(?:[ap]\.?m\.?)(?!\w)",
                    re.IGNORECASE)
_DOTTED_DATE = re.compile(r"(?<!\d)\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d)")
# "01-11-2023": day first (a year-first date is ISO and unambiguous anyway)
_DASHED_DMY = re.compile(r"(?<![\d-])\d{1,2}-\d{1,2}-\d{4}(?!\d)")
_SLASHED_DATE = re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{2,4}(?!\d)")
# a stamp has a word (a month, a unit, "ago") or a date or clock pattern
_STAMP_LIKE = re.compile(r"[^\W\d_]|\d[./-]\d|\d:\d")
_ASIDES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_EDGE_PUNCT = " \t·•|»«›‹:;,.-–—"


@dataclass(frozen=True)
class ShownTime:
    """One shown stamp read: exactly one of ``instant`` or ``earliest``/``latest`` is set.

    ``local`` is the wall-clock reading (ISO, no zone) for stamps naming a date or clock time.
    """

    instant: datetime | None = None
    local: str | None = None
    earliest: datetime | None = None
    latest: datetime | None = None
    basis: str | None = None
    #: the reading took its year or day from the capture's date ("13 May", "Oct 1 at 18:08")
    partial: bool = False

    def range_json(self) -> dict[str, str] | None:
        """``published_range`` for the metadata, or ``None`` for an instant."""
        if self.earliest is None or self.latest is None or self.basis is None:
            return None
        return {"earliest": rfc3339(self.earliest), "latest": rfc3339(self.latest),
                "basis": self.basis}


class TimeReader:
    """Reads shown stamps of one page: its language, the capture's moment and zone.

    ``captured_at`` is when the page was rendered (relative stamps count back from it);
    ``zone`` is the time zone the browser showed the page in (the capture's ``timezone_id``),
    which dates without a year or day ("Oct 1", "yesterday") are taken in.
    """

    def __init__(self, captured_at: datetime, zone: str | None, lang: str | None) -> None:
        self.captured_at = captured_at.astimezone(UTC)
        try:
            tz = ZoneInfo(zone) if zone else UTC
        except (KeyError, ValueError):
            tz = UTC
        self._base = self.captured_at.astimezone(tz).replace(tzinfo=None)
        primary = (lang or "").strip().lower().replace("_", "-")
        self._english_first = primary == "en" or primary.startswith("en-us")
        code = primary.split("-")[0]
        code = {"no": "nb"}.get(code, code)
        self._languages = [code, "en"] if code and code != "en" else ["en"]
        self._cache: dict[str, ShownTime | None] = {}

    # -- parsing -------------------------------------------------------------------------------

    def read(self, text: str | None) -> ShownTime | None:
        """What ``text`` says about the post's time, or ``None`` when it is no time."""
        if not text or not text.strip() or len(text) > 80:
            return None
        key = text.strip()
        if key not in self._cache:
            self._cache[key] = self._read(key)
        return self._cache[key]

    def _read(self, text: str) -> ShownTime | None:
        for candidate in _candidates(text):
            if not _STAMP_LIKE.search(candidate):
                continue  # a bare number ("12") is a count, not a date
            compact = self._compact(candidate)
            if compact is not None:
                return compact
            reading = self._parsed(candidate)
            if reading is not None:
                return reading
        return None

    def _compact(self, text: str) -> ShownTime | None:
        match = _COMPACT.match(text)
        if match is None:
            return None
        number, unit = match.group(1).lower(), match.group(2)
        size = _UNITS.get(unit) or _UNITS.get(unit.lower())
        if size is None:
            return None
        count = _NUMBER_WORDS.get(number) or int(number)
        return self._relative(self.captured_at - count * size, size)

    def _parsed(self, text: str) -> ShownTime | None:
        first = self._parse(text, self._base)
        if first is None:
            return None
        if first.tzinfo is not None:
            instant = first.astimezone(UTC)
            return ShownTime(instant=instant) if instant <= self.captured_at + _DAY else None
        if first > self._base + _DAY:
            return None  # a "date" after the capture is a misreading
        other_base = self._base - _OTHER_BASE
        second = self._parse(text, other_base)
        clock = _CLOCK.search(text) is not None
        if second is not None and self._base - first == other_base - second:
            # the same age from any base: a relative stamp ("3 days ago", "yesterday")
            age = self._base - first
            return self._relative(self.captured_at - age, _unit_of(age))
        # a wall-clock date or time (its year or day may come from the capture's date)
        if clock:
            precision = timedelta(seconds=1) if re.search(r"\d:\d\d:\d\d", text) else _MINUTE
            local = first.replace(second=first.second if precision < _MINUTE else 0)
            shown = local.isoformat(timespec="seconds" if precision < _MINUTE else "minutes")
        else:
            precision = _DAY
            local = first.replace(hour=0, minute=0, second=0, microsecond=0)
            shown = local.date().isoformat()
        as_utc = local.replace(tzinfo=UTC)
        return ShownTime(local=shown, earliest=as_utc - _ZONE_EAST,
                         latest=min(as_utc + precision + _ZONE_WEST, self.captured_at),
                         basis=BASIS_LOCAL, partial=second is not None and second != first)

    def _relative(self, moment: datetime, unit: timedelta) -> ShownTime:
        return ShownTime(earliest=moment - unit, latest=min(moment + unit, self.captured_at),
                         basis=BASIS_RELATIVE)

    def _parse(self, text: str, base: datetime) -> datetime | None:
        settings: dict[str, Any] = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        if _DOTTED_DATE.search(text) or _DASHED_DMY.search(text):
            settings["DATE_ORDER"] = "DMY"
        elif _SLASHED_DATE.search(text):
            settings["DATE_ORDER"] = "MDY" if self._english_first else "DMY"
        for languages in (self._languages, None):
            try:
                parser = DateDataParser(languages=languages, settings=settings)
                found = parser.get_date_data(text).date_obj
            except (ValueError, TypeError, OverflowError, LookupError):
                found = None
            if isinstance(found, datetime):
                return found
        return None

    # -- applying to a thread ------------------------------------------------------------------

    def annotate(self, post: dict[str, Any]) -> str:
        """Fill ``post``'s time fields from its shown stamp; returns what was done:
        ``"exact"`` (an instant), ``"shown"`` (local / range), ``"conflict"``, or ``""``."""
        shown_text = post.get("published_text")
        shown = self.read(shown_text) if isinstance(shown_text, str) else None
        raw_text = post.get("published_raw")
        raw = self.read(raw_text) if isinstance(raw_text, str) else None
        sources = post.get("sources") if isinstance(post.get("sources"), dict) else None
        # the reading that pins the time down best: a tooltip "Nov. 4, 2024, 10:17 a.m." on
        # a shown "4 Nov '24" gives the minute
        reading, field = min(((r, f) for r, f in ((shown, "published_text"),
                                                  (raw, "published_raw")) if r is not None),
                             key=lambda pair: _width(pair[0]), default=(None, ""))
        origin = sources.get(field) if sources and field else None
        if post.get("published_at"):
            # only what the page shows can contradict its markup
            if shown is None or not _contradicts(shown, post["published_at"]):
                return "exact"
            reading, origin = shown, sources.get("published_text") if sources else None
            # the page shows one time and says another in its markup: what it shows wins
            post["published_machine"] = post.pop("published_at")
            post["published_at"] = None
            if sources is not None:
                sources["published_machine"] = sources.pop("published_at", origin)
            self._fill(post, reading, sources, origin)
            return "conflict"
        if reading is None:
            return ""
        self._fill(post, reading, sources, origin)
        return "exact" if reading.instant is not None else "shown"

    @staticmethod
    def _fill(post: dict[str, Any], reading: ShownTime, sources: dict[str, Any] | None,
              origin: Any) -> None:
        filled: list[str] = []
        if reading.instant is not None:
            post["published_at"] = rfc3339(reading.instant)
            filled.append("published_at")
        if reading.local is not None:
            post["published_local"] = reading.local
            filled.append("published_local")
        span = reading.range_json()
        if span is not None:
            post["published_range"] = span
            filled.append("published_range")
        if sources is not None and origin:
            for name in filled:
                sources[name] = origin


def parse_instant(value: Any) -> datetime | None:
    """An ISO 8601 / RFC 3339 time (``Z`` or an offset; a zone-less one is taken as UTC) as an
    aware datetime, or None for anything else. The one reader of stored times (metadata,
    WARC-Date, page data)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def annotate_thread(thread: dict[str, Any], reader: TimeReader) -> dict[str, int]:
    """Fill the time fields of every post of ``thread`` (root, replies, ancestors) from its
    shown stamp (:meth:`TimeReader.annotate`); returns how many posts ended each way."""
    figures = {"exact": 0, "shown": 0, "conflict": 0, "none": 0}
    posts = [thread.get("root")] + list(thread.get("replies") or []) + list(
        thread.get("ancestors") or [])
    for post in posts:
        if isinstance(post, dict):
            figures[reader.annotate(post) or "none"] += 1
    return figures


def _candidates(text: str) -> list[str]:
    """The stamp as shown, then without asides ("(edited)") and leading labels
    ("Published on", "Beitrag von r23 »"), shortest last."""
    out: list[str] = []

    def add(value: str) -> None:
        value = " ".join(value.split()).strip(_EDGE_PUNCT)
        if value and value not in out:
            out.append(value)

    add(text)
    bare = _ASIDES.sub(" ", text)
    add(bare)
    for sep in ("»", "›", "|", " - ", " – "):
        if sep in bare:
            add(bare.rsplit(sep, 1)[1])
    label = re.match(r"^[^\d:]{2,40}:\s*(.+)$", bare)
    if label:
        add(label.group(1))
    words = bare.split()
    for drop in range(1, min(4, len(words))):
        add(" ".join(words[drop:]))
    return out


def _width(reading: ShownTime) -> float:
    """How wide a reading leaves the instant, in seconds (an instant: none)."""
    if reading.instant is not None or reading.earliest is None or reading.latest is None:
        return 0.0
    return (reading.latest - reading.earliest).total_seconds()


def _unit_of(age: timedelta) -> timedelta:
    """The unit an age was stated in: the largest that divides it (months and years within
    the length of a month's or year's variation)."""
    seconds = abs(age.total_seconds())
    if seconds < 1:
        return _MINUTE  # "just now"
    for unit, slack in ((_YEAR, 3 * 86400.0), (_MONTH, 3 * 86400.0)):
        size = unit.total_seconds()
        if seconds >= size - slack and abs(seconds - round(seconds / size) * size) <= slack:
            return unit
    for unit in (timedelta(days=7), _DAY, timedelta(hours=1), _MINUTE):
        size = unit.total_seconds()
        if seconds >= size and abs(seconds / size - round(seconds / size)) < 1e-6:
            return unit
    return timedelta(seconds=1)


def _contradicts(reading: ShownTime, published_at: str) -> bool:
    """Whether an exact ``published_at`` lies outside what an absolute shown stamp allows.

    Only complete wall-clock stamps can contradict: a relative stamp, or a date whose year
    comes from the capture ("13 May"), is counted from the capture, and a saved page may be
    opened long after it was rendered.
    """
    try:
        moment = datetime.fromisoformat(published_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if reading.instant is not None:
        return abs(moment - reading.instant) > _DAY
    if (reading.basis != BASIS_LOCAL or reading.partial or reading.earliest is None
            or reading.latest is None):
        return False
    # the upper bound may have been cut at the capture time; widen by a day for rounding
    return not (reading.earliest - _DAY <= moment <= reading.earliest + _ZONE_EAST
                + _ZONE_WEST + 2 * _DAY)


def shown_date(post: dict[str, Any], zone: str = "Europe/Oslo") -> date | None:
    """The post's own calendar date, as far as the page shows it.

    The instant's date in ``zone`` when there is one; else the shown wall-clock date; else the
    date a relative stamp's range falls on when it falls on one date in ``zone`` ("3 h" at
    noon); ``None`` when the page shows no date ("6 years ago").
    """
    tz = ZoneInfo(zone)
    at = post.get("published_at")
    if isinstance(at, str) and at:
        try:
            moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz).date()
    local = post.get("published_local")
    if isinstance(local, str) and local:
        try:
            return date.fromisoformat(local[:10])
        except ValueError:
            pass
    span = post.get("published_range")
    if isinstance(span, dict) and span.get("basis") == BASIS_RELATIVE:
        try:
            first = datetime.fromisoformat(str(span["earliest"]).replace("Z", "+00:00"))
            last = datetime.fromisoformat(str(span["latest"]).replace("Z", "+00:00"))
        except (KeyError, ValueError):
            return None
        if first.astimezone(tz).date() == last.astimezone(tz).date():
            return first.astimezone(tz).date()
    return None


def has_time(post: dict[str, Any]) -> bool:
    """Whether the post carries a time the page showed: an instant or a range."""
    return bool(post.get("published_at") or post.get("published_range"))
