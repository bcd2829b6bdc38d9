"""The watch's decaying schedule: reading --schedule, and when a thread is due again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from somecapture.errors import InputError
from somecapture.messages import render
from somecapture.watch.schedule import (
    RETRY_AFTER,
    Schedule,
    ScheduleSpecError,
    next_check,
    retry_at,
)

PUBLISHED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
H, D = timedelta(hours=1), timedelta(days=1)


def test_the_default_is_1h_6h_24h_3d_7d_30d() -> None:
    assert Schedule.parse(None).offsets == (H, 6 * H, 24 * H, 3 * D, 7 * D, 30 * D)
    assert Schedule.parse("default") == Schedule.parse(None)


def test_units_and_spaces() -> None:
    assert Schedule.parse(" 30m, 2h ,1d,2w ").offsets == (
        timedelta(minutes=30), 2 * H, D, timedelta(weeks=2))
    assert Schedule.parse("90min").offsets == (timedelta(minutes=90),)


def test_norwegian_units_read_the_same_as_the_english() -> None:
    # t = timer, u = uker; d (døgn/dager) and m (minutter) are the same letters in both
    assert Schedule.parse("1t,6t,1u") == Schedule.parse("1h,6h,1w")
    assert Schedule.parse("30m,2T,3d,2u").offsets == (
        timedelta(minutes=30), 2 * H, 3 * D, timedelta(weeks=2))


def test_a_bad_spec_carries_the_reason_and_the_part_for_the_app() -> None:
    with pytest.raises(ScheduleSpecError) as caught:
        Schedule.parse("1t,6x")
    assert (caught.value.reason, caught.value.part) == ("not_a_time", "6x")
    with pytest.raises(ScheduleSpecError) as caught:
        Schedule.parse("6t,1t")
    assert (caught.value.reason, caught.value.part) == ("not_later", "1t")


def test_written_back_in_a_short_form_that_reads_the_same() -> None:
    schedule = Schedule.parse("60m,360m,24h,72h,168h,720h")
    assert schedule.spec == "1h,6h,1d,3d,1w,30d"
    assert Schedule.parse(schedule.spec) == schedule
    assert schedule.describe().startswith("+1h, +6h, +1d")
    assert schedule.describe().endswith("after publication, then stop")


@pytest.mark.parametrize(("spec", "names"), [
    ("", "empty"),
    ("1x", "'1x'"),
    ("1h,,2h", "''"),
    ("6h,1h", "'1h' is not later"),
    ("1h,1h", "'1h' is not later"),
    ("0h", "'0h' is no time"),
    ("-1h", "'-1h'"),
    ("3661d", "more than ten years"),
    ("1.5h", "'1.5h'"),
])
def test_a_bad_spec_says_what_is_wrong_and_how_to_write_it(spec: str, names: str) -> None:
    with pytest.raises(ScheduleSpecError) as caught:
        Schedule.parse(spec)
    message = str(caught.value)
    assert "--schedule" in message and names in message
    # a usage error: the command line exits 2, the app shows it as bad input
    assert isinstance(caught.value, InputError)


def test_too_many_times() -> None:
    with pytest.raises(ScheduleSpecError, match="at most 50"):
        Schedule.parse(",".join(f"{n}m" for n in range(1, 52)))


def test_due_times_count_from_publication() -> None:
    schedule = Schedule.parse("1h,6h,24h")
    assert schedule.due_at(PUBLISHED, 0) == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert schedule.due_at(PUBLISHED, 1) == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert schedule.due_at(PUBLISHED, 2) == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert schedule.due_at(PUBLISHED, 3) is None  # then stop


def test_a_check_covers_every_offset_that_has_passed() -> None:
    schedule = Schedule.parse("1h,6h,24h,3d")
    # first capture 20 minutes after publication: next at +1 h
    assert next_check(schedule, PUBLISHED, PUBLISHED + timedelta(minutes=20)) == (
        0, PUBLISHED + H)
    # exactly at +1 h: that offset is done, the next is +6 h
    assert next_check(schedule, PUBLISHED, PUBLISHED + H) == (1, PUBLISHED + 6 * H)
    # the computer was off for two days: one check, then +3 d
    assert next_check(schedule, PUBLISHED, PUBLISHED + 2 * D) == (3, PUBLISHED + 3 * D)
    # a post found a year after publication: checked once, then no more
    assert next_check(schedule, PUBLISHED, PUBLISHED + 365 * D) == (4, None)


def test_a_failed_check_is_tried_again_after_an_hour_or_at_the_next_offset() -> None:
    schedule = Schedule.parse("1h,90m,24h")
    failed = PUBLISHED + timedelta(minutes=70)
    # the next offset (+90 min) comes before the retry (+70 min + 1 h)
    assert retry_at(schedule, PUBLISHED, failed) == PUBLISHED + timedelta(minutes=90)
    failed = PUBLISHED + 2 * H
    assert retry_at(schedule, PUBLISHED, failed) == failed + RETRY_AFTER
    # after the last offset: retried every hour (the runner gives up after a few)
    failed = PUBLISHED + 2 * D
    assert retry_at(schedule, PUBLISHED, failed) == failed + RETRY_AFTER


def test_cheap_checks_are_spaced_a_sixth_of_the_gap_between_checks() -> None:
    from somecapture.watch.schedule import cheap_check_interval

    schedule = Schedule.parse("1h,6h,24h,3d,7d,30d")
    published = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    # before +1 h: every 10 minutes (1 h / 6); between +1 h and +6 h: every 50 minutes
    assert cheap_check_interval(schedule, published, published + timedelta(minutes=5)) == \
        timedelta(minutes=10)
    assert cheap_check_interval(schedule, published, published + timedelta(hours=2)) == \
        timedelta(minutes=50)
    # between +7 d and +30 d: every 23 d / 6, not every 10 minutes for three weeks
    assert cheap_check_interval(schedule, published, published + timedelta(days=10)) == \
        timedelta(days=23) / 6
    # never more often than every 10 minutes, and not at all once the schedule is done
    dense = Schedule.parse("10m,20m")
    assert cheap_check_interval(dense, published, published + timedelta(minutes=12)) == \
        timedelta(minutes=10)
    assert cheap_check_interval(schedule, published, published + timedelta(days=31)) is None


def test_a_schedule_is_said_in_the_archivists_language_with_units_it_reads() -> None:
    """In Norwegian the description uses the Norwegian units (t = timer, u = uker), which
    --schedule reads as well; a bad schedule is said without the command-line option in
    the app."""
    schedule = Schedule.parse("1h,6h,1d,3d,7d,30d")
    assert render(schedule.describe(), "nb") == (
        "+1t, +6t, +1d, +3d, +1u, +30d etter publiseringen, deretter ingen flere kontroller")
    assert render(schedule.describe(), "nn") == (
        "+1t, +6t, +1d, +3d, +1u, +30d etter publiseringa, deretter ingen fleire kontrollar")
    assert Schedule.parse("1t,6t,1d,3d,1u,30d") == schedule
    assert str(schedule.describe()) == (
        "+1h, +6h, +1d, +3d, +1w, +30d after publication, then stop")
    with pytest.raises(ScheduleSpecError) as caught:
        Schedule.parse("6h,1h")
    assert render(caught.value, "nn", "app") == (
        "«1h» er ikkje seinare enn tidspunktet før; skriv tidspunkta etter publiseringa som ei "
        "kommadelt liste, til dømes 1t,6t,24t,3d,7d,30d (m = minutt, h eller t = timar, "
        "d = døgn, w eller u = veker), kvart seinare enn det før.")
    assert render(caught.value, "nb", "cli").startswith(
        "--schedule «6h,1h»: «1h» er ikke senere enn tidspunktet før; skriv tidspunktene")
