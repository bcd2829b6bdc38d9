"""Shown time stamps that do not fix the instant (issue 15): zone-less and relative stamps.

Expected values are worked out by hand from the stamp and the capture moment: a zone-less
wall-clock time ``L`` lies between ``L − 14 h`` (UTC+14) and ``L + precision + 12 h`` (UTC−12);
a relative age ``n`` units before capture lies within one unit either side.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from somecapture.models import CaptureResult, CaptureStatus
from somecapture.options import RecordOptions
from somecapture.package.record import shown_time, thread_text
from somecapture.thread.times import (
    BASIS_LOCAL,
    BASIS_RELATIVE,
    TimeReader,
    annotate_thread,
    has_time,
    shown_date,
)

# captured on Tuesday 27 January 2026 at 12:00 in Oslo (11:00 UTC)
CAPTURED = datetime(2026, 1, 27, 11, 0, tzinfo=UTC)


def reader(lang: str | None = "nb-NO") -> TimeReader:
    return TimeReader(CAPTURED, "Europe/Oslo", lang)


def test_zone_less_date_and_time_is_the_shown_wall_clock_with_every_zone_around_it() -> None:
    shown = reader("de").read("03.03.2011, 14:17")
    assert shown is not None and shown.instant is None
    assert shown.local == "2011-03-03T14:17"
    assert shown.range_json() == {"earliest": "2011-03-03T00:17:00Z",
                                  "latest": "2011-03-04T02:18:00Z", "basis": BASIS_LOCAL}


@pytest.mark.parametrize(("text", "lang", "local"), [
    ("1. November 2023 um 11:54 Uhr", "de-AT", "2023-11-01T11:54"),
    ("4. november 2024 kl. 10:00", "nb", "2024-11-04T10:00"),
    ("Nov 4, 2024, 10:00 a.m.", "en", "2024-11-04T10:00"),
    ("4 Nov '24", "en", "2024-11-04"),
    ("Beitragvon kari » 21.01.2009, 05:42", "de", "2009-01-21T05:42"),
    ("Published on August 19, 2019", "en", "2019-08-19"),
    ("27. September 2018", "de", "2018-09-27"),
])
def test_zone_less_stamps_in_several_languages(text: str, lang: str, local: str) -> None:
    shown = reader(lang).read(text)
    assert shown is not None and shown.local == local and shown.basis == BASIS_LOCAL


def test_slashed_dates_are_month_first_only_on_english_pages() -> None:
    english = reader("en").read("03/04/2011")
    norwegian = reader("nb-NO").read("03/04/2011")
    assert english is not None and english.local == "2011-03-04"
    assert norwegian is not None and norwegian.local == "2011-04-03"


@pytest.mark.parametrize(("text", "instant"), [
    ("Wed 2 Nov 2022 05.00 GMT", datetime(2022, 11, 2, 5, 0, tzinfo=UTC)),
    ("Published: 28 Apr, 2020 CET.", datetime(2020, 4, 27, 23, 0, tzinfo=UTC)),
])
def test_a_stamp_naming_its_zone_is_an_instant(text: str, instant: datetime) -> None:
    shown = reader("en").read(text)
    assert shown is not None and shown.instant == instant and shown.range_json() is None


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("5h", "2026-01-27T05:00:00Z", "2026-01-27T07:00:00Z"),
    ("· 11h", "2026-01-26T23:00:00Z", "2026-01-27T01:00:00Z"),
    ("2 t", "2026-01-27T08:00:00Z", "2026-01-27T10:00:00Z"),          # Norwegian "timer"
    ("for 3 dagar sidan", "2026-01-23T11:00:00Z", "2026-01-25T11:00:00Z"),  # nynorsk
    ("for 2 timer siden", "2026-01-27T08:00:00Z", "2026-01-27T10:00:00Z"),
    ("15 hours ago", "2026-01-26T19:00:00Z", "2026-01-26T21:00:00Z"),
    ("3 days ago", "2026-01-23T11:00:00Z", "2026-01-25T11:00:00Z"),
    ("10 часов назад", "2026-01-27T00:00:00Z", "2026-01-27T02:00:00Z"),
    ("1 week ago (edited)", "2026-01-13T11:00:00Z", "2026-01-27T11:00:00Z"),
])
def test_relative_stamps_count_back_from_the_capture(text: str, earliest: str,
                                                     latest: str) -> None:
    shown = reader("en").read(text)
    assert shown is not None and shown.local is None
    assert shown.range_json() == {"earliest": earliest, "latest": latest,
                                  "basis": BASIS_RELATIVE}


def test_year_and_month_ages_span_a_year_or_a_month_either_way() -> None:
    years = reader("en").read("6 years ago")
    months = reader("en").read("3mo")
    assert years is not None and years.earliest is not None and years.latest is not None
    assert years.earliest.year == 2019 and years.latest.year == 2021
    assert months is not None and months.earliest is not None and months.latest is not None
    assert (months.earliest.year, months.earliest.month) == (2025, 9)
    assert (months.latest.year, months.latest.month) == (2025, 11)


def test_a_date_without_year_takes_the_last_one_before_the_capture() -> None:
    shown = reader("en").read("Oct 1 at 18:08")
    assert shown is not None and shown.local == "2025-10-01T18:08" and shown.partial


@pytest.mark.parametrize("text", ["12", "Reply", "Like", "", "   ", "x" * 100])
def test_what_is_no_time_gives_nothing(text: str) -> None:
    assert reader("en").read(text) is None


def test_a_markup_time_the_page_contradicts_is_kept_aside() -> None:
    # a template that puts one date in every title attribute, while the page shows another
    post: dict[str, Any] = {"published_at": "2012-08-14T01:05:23Z",
                            "published_text": "November 18 2019",
                            "sources": {"published_at": "page-reader",
                                        "published_text": "page-reader"}}
    assert reader("en").annotate(post) == "conflict"
    assert post["published_at"] is None
    assert post["published_machine"] == "2012-08-14T01:05:23Z"
    assert post["published_local"] == "2019-11-18"
    assert post["sources"]["published_local"] == "page-reader"


@pytest.mark.parametrize(("at", "text"), [
    ("2019-05-13T22:45:04Z", "13 may."),          # no year shown: counted from the capture
    ("2018-04-21T21:36:45Z", "15 hours ago"),     # relative: the page was rendered back then
    ("2020-01-30T22:14:30Z", "Jan 30, 2020"),     # the same day in some zone
])
def test_a_markup_time_the_page_agrees_with_stays(at: str, text: str) -> None:
    post: dict[str, Any] = {"published_at": at, "published_text": text}
    assert reader("en").annotate(post) == "exact"
    assert post["published_at"] == at and "published_range" not in post


def test_annotate_thread_counts_every_post() -> None:
    thread: dict[str, Any] = {
        "root": {"id": "r", "published_text": "03.03.2011, 14:17"},
        "replies": [{"id": "a", "published_at": "2011-03-03T14:20:00Z"},
                    {"id": "b", "published_text": "5h"}, {"id": "c"}],
        "ancestors": [{"id": "z", "published_text": "Wed 2 Nov 2022 05.00 GMT"}],
    }
    assert annotate_thread(thread, reader("de")) == {"exact": 2, "shown": 2, "conflict": 0,
                                                     "none": 1}
    assert thread["ancestors"][0]["published_at"] == "2022-11-02T05:00:00Z"
    assert [has_time(p) for p in thread["replies"]] == [True, True, False]


def test_shown_date_is_the_posts_own_date() -> None:
    # an instant late in the UTC evening is the next day in Oslo
    assert shown_date({"published_at": "2024-11-04T23:30:00Z"}) == date(2024, 11, 5)
    assert shown_date({"published_local": "2011-03-03T14:17"}) == date(2011, 3, 3)
    three_hours = reader().read("3 t")
    assert three_hours is not None
    assert shown_date({"published_range": three_hours.range_json()}) == date(2026, 1, 27)
    six_years = reader("en").read("6 years ago")
    assert six_years is not None
    assert shown_date({"published_range": six_years.range_json()}) is None


def _result(root: dict[str, Any]) -> CaptureResult:
    r = CaptureResult(url="https://forum.example/t/1",
                      capture_id="0b5e6c52-4f1a-4f43-9a43-6f3c2d7c9a11",
                      status=CaptureStatus.COMPLETE)
    r.thread = {"platform": "Web", "root": {"id": "1", "author": "Kari", "text": "Hei",
                                            **root},
                "replies": [{"id": "a", "parent_id": "1", "author": "Per", "text": "Svar",
                             "published_text": "5 t", "published_range": {
                                 "earliest": "2026-01-27T05:00:00Z",
                                 "latest": "2026-01-27T07:00:00Z",
                                 "basis": BASIS_RELATIVE}}]}
    return r


def test_pdf_appendix_says_the_time_as_shown_and_what_it_was_read_as() -> None:
    root = {"published_text": "03.03.2011, 14:17", "published_local": "2011-03-03T14:17"}
    entries = thread_text(_result(root))
    assert entries[0].posted_at is None
    # the words the PDF adds are in the agency's målform (a catalogue message)
    from somecapture.messages import render

    shown = render(entries[0].posted_at_text, "nb", "doc")
    assert shown == "03.03.2011, 14:17 (2011-03-03T14:17, tidssone ikke oppgitt)"
    assert render(entries[0].posted_at_text, "nn", "doc") == (
        "03.03.2011, 14:17 (2011-03-03T14:17, tidssone ikkje oppgitt)")
    assert entries[1].posted_at_text is not None
    assert render(entries[1].posted_at_text, "nb", "doc").startswith(
        "5 t (regnet fra tidspunktet for arkiveringen: 2026-01-27T05:00:00Z")
    assert shown_time({}) is None


def test_dokumentets_dato_is_the_shown_date() -> None:
    from somecapture.package import record as rec

    result = _result({"published_text": "03.03.2011, 14:17",
                      "published_local": "2011-03-03T14:17"})
    reg = rec.registration_for(result, RecordOptions())
    files = {name: _artifact(name) for name in (rec.PDF_NAME, rec.WARC_NAME,
                                                rec.METADATA_NAME)}
    noark_in = rec.noark_input(result, RecordOptions(), reg, files, CAPTURED)
    assert noark_in.document_date == date(2011, 3, 3)


def _artifact(name: str) -> Any:
    from somecapture.models import Artifact

    return Artifact(path=name, sha256="0" * 64, size_bytes=1, media_type="application/pdf")


def test_a_tooltip_more_precise_than_the_shown_stamp_gives_the_minute() -> None:
    post: dict[str, Any] = {"published_text": "4 Nov '24",
                            "published_raw": "Nov. 4, 2024, 10:17 a.m.",
                            "sources": {"published_text": "page-reader",
                                        "published_raw": "page-reader"}}
    assert reader("en").annotate(post) == "shown"
    assert post["published_local"] == "2024-11-04T10:17"
    # 10:17 in UTC+14 … 10:18 in UTC-12
    assert post["published_range"]["earliest"] == "2024-11-03T20:17:00Z"
    assert post["published_range"]["latest"] == "2024-11-04T22:18:00Z"
    assert post["sources"]["published_local"] == "page-reader"


def test_a_relative_shown_stamp_is_kept_when_narrower_than_a_zone_less_tooltip() -> None:
    post: dict[str, Any] = {"published_text": "5h", "published_raw": "27.01.2026 07:00"}
    assert reader("de").annotate(post) == "shown"
    # the age pins the instant to two hours; the zone-less tooltip only to a day
    assert post["published_range"]["basis"] == BASIS_RELATIVE
    assert "published_local" not in post


def test_a_dashed_date_with_the_year_last_is_day_first() -> None:
    shown = reader("de-AT").read("01-11-2023 10:29")
    assert shown is not None and shown.local == "2023-11-01T10:29"
