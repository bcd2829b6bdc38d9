"""When a watched thread is checked again: a decaying schedule after its publication.

A schedule is a list of offsets after the post was published (``1h,6h,24h,3d,7d,30d`` by
default): most replies come early, so checks come often at first and then seldom, and stop
after the last one. A round that runs late (the computer was off) makes one check for every
offset that has passed, not one each. Pure arithmetic on aware datetimes; no clock is read
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from somecapture.errors import OptionsError
from somecapture.messages import Msg

#: the default: +1 h, +6 h, +24 h, +3 d, +7 d and +30 d after publication, then stop
DEFAULT_SCHEDULE = "1h,6h,24h,3d,7d,30d"
#: how often an account's page is looked at for new posts
ACCOUNT_INTERVAL = timedelta(hours=1)
#: a check that failed is tried again after this long (or at the next offset, if sooner)
RETRY_AFTER = timedelta(hours=1)
#: the cheap check of a thread not yet due is made at most this often
CHEAP_CHECK_INTERVAL = timedelta(minutes=10)
#: ... and at most this many times between two of its scheduled checks (the gap between
#: +7 d and +30 d is looked at every 3.8 days, not every 10 minutes)
CHEAP_CHECKS_PER_GAP = 6
#: cheap checks one round makes at most (the rest wait for the next round, longest waiting
#: first): a round never loads hundreds of pages of one platform in a row
CHEAP_CHECKS_PER_ROUND = 20

#: units in English and in Norwegian: m/min = minutes (minutter: the same letter in both),
#: h or t = hours (timer), d = days (dager, døgn: the same letter in both), w or u = weeks
#: (uker). "1t,6t,1d,3d,1u,30d" is the same schedule as "1h,6h,1d,3d,1w,30d".
_UNITS = {"m": timedelta(minutes=1), "min": timedelta(minutes=1), "h": timedelta(hours=1),
          "t": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1),
          "u": timedelta(weeks=1)}
_OFFSET = re.compile(r"(\d{1,5})\s*(min|m|h|t|d|w|u)")
_MAX_OFFSET = timedelta(days=3660)
_MAX_OFFSETS = 50

#: why a schedule cannot be read (:attr:`ScheduleSpecError.reason`)
EMPTY, NOT_A_TIME, NO_TIME, TOO_LONG, NOT_LATER, TOO_MANY = (
    "empty", "not_a_time", "no_time", "too_long", "not_later", "too_many")
#: the message for a part of the schedule that is wrong, by the reason (written out whole:
#: the catalogue's test finds each code in the source)
_PART_PROBLEM = {NOT_A_TIME: "watch.schedule.not_a_time", NO_TIME: "watch.schedule.no_time",
                 TOO_LONG: "watch.schedule.too_long", NOT_LATER: "watch.schedule.not_later"}


class ScheduleSpecError(OptionsError):
    """A ``--schedule`` that cannot be read (what is wrong, and the form to use).

    Raised with a catalogue message ``watch.schedule.<reason>`` (rendered with place
    ``app`` it does not name the command-line option). ``reason`` (one of :data:`EMPTY`,
    :data:`NOT_A_TIME`, :data:`NO_TIME`, :data:`TOO_LONG`, :data:`NOT_LATER`,
    :data:`TOO_MANY`) and ``part`` (the time that is wrong) say the same for code that
    words it itself."""

    def __init__(self, message: str, *, reason: str = "", part: str = "",
                 count: int = 0) -> None:
        super().__init__(message)
        self.reason, self.part, self.count = reason, part, count


@dataclass(frozen=True)
class Schedule:
    """Offsets after publication at which a thread is checked, earliest first."""

    offsets: tuple[timedelta, ...]

    @classmethod
    def parse(cls, spec: str | None) -> Schedule:
        """Read a schedule like ``1h,6h,24h,3d,7d,30d`` or, with the Norwegian units,
        ``1t,6t,24t,3d,1u,30d`` (``None`` or ``default``: the default);
        :class:`ScheduleSpecError` names the part that is wrong."""
        text = (spec if spec is not None else DEFAULT_SCHEDULE).strip().lower()
        if text == "default":
            text = DEFAULT_SCHEDULE
        if not text:
            raise ScheduleSpecError(Msg("watch.schedule.empty"), reason=EMPTY)
        offsets: list[timedelta] = []
        for part in (p.strip() for p in text.split(",")):
            match = _OFFSET.fullmatch(part)
            reason = NOT_A_TIME
            if match is not None:
                offset = int(match.group(1)) * _UNITS[match.group(2)]
                reason = (NO_TIME if offset <= timedelta(0) else
                          TOO_LONG if offset > _MAX_OFFSET else
                          NOT_LATER if offsets and offset <= offsets[-1] else "")
            if reason:
                raise ScheduleSpecError(Msg(_PART_PROBLEM[reason], spec=str(spec),
                                            part=part), reason=reason, part=part)
            offsets.append(offset)
        if len(offsets) > _MAX_OFFSETS:
            raise ScheduleSpecError(Msg("watch.schedule.too_many", spec=str(spec),
                                        count=len(offsets), most=_MAX_OFFSETS),
                                    reason=TOO_MANY, count=len(offsets))
        return cls(tuple(offsets))

    @property
    def spec(self) -> str:
        """The schedule written back in its shortest form (``1h,6h,1d,…``)."""
        return ",".join(_format(o) for o in self.offsets)

    def describe(self) -> str:
        """For people, a catalogue message: ``+1h, +6h, +1d, +3d, +1w, +30d after
        publication, then stop`` (in Norwegian with the Norwegian units, ``+1t`` …)."""
        # the offsets as a chain of messages, "{first}, {rest}": each is said in the
        # language the whole is rendered in
        listed: Msg | None = None
        for offset in reversed(self.offsets):
            amount = _format(offset)
            one = Msg("watch.schedule.offset", n=amount[:-1], unit=amount[-1])
            listed = one if listed is None else Msg("watch.schedule.offsets", first=one,
                                                    rest=listed)
        return Msg("watch.schedule.describe", offsets=listed or "")

    def step_at(self, published: datetime, moment: datetime) -> int:
        """How many of the offsets have passed at ``moment`` (a check then covers them all)."""
        return sum(1 for o in self.offsets if published + o <= moment)

    def due_at(self, published: datetime, step: int) -> datetime | None:
        """When the check after ``step`` passed offsets is due; None when the schedule is
        done."""
        if step >= len(self.offsets):
            return None
        return published + self.offsets[step]


def _format(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    for unit, size in (("w", 7 * 24 * 60), ("d", 24 * 60), ("h", 60)):
        # weeks only where they read better than days (7d -> 1w, but 30d stays 30d)
        if minutes % size == 0 and (unit != "w" or minutes // size < 5):
            return f"{minutes // size}{unit}"
    return f"{minutes}m"


def next_check(schedule: Schedule, published: datetime, checked_at: datetime) -> tuple[
        int, datetime | None]:
    """After a check at ``checked_at``: the offsets passed, and when the next check is due
    (None: the schedule is done, the thread is no longer checked)."""
    step = schedule.step_at(published, checked_at)
    return step, schedule.due_at(published, step)


def cheap_check_interval(schedule: Schedule, published: datetime,
                         moment: datetime) -> timedelta | None:
    """How long a thread between two scheduled checks waits from one cheap check to the
    next at ``moment``: a sixth of the gap between the two (at least
    :data:`CHEAP_CHECK_INTERVAL`); None after the last offset (no more checks)."""
    step = schedule.step_at(published, moment)
    due = schedule.due_at(published, step)
    if due is None:
        return None
    start = published + schedule.offsets[step - 1] if step else published
    return max(CHEAP_CHECK_INTERVAL, (due - start) / CHEAP_CHECKS_PER_GAP)


def retry_at(schedule: Schedule, published: datetime, failed_at: datetime) -> datetime:
    """When a check that failed at ``failed_at`` is tried again: after
    :data:`RETRY_AFTER`, or at the next offset if that comes sooner."""
    later = schedule.due_at(published, schedule.step_at(published, failed_at))
    retry = failed_at + RETRY_AFTER
    return min(retry, later) if later is not None and later > failed_at else retry
