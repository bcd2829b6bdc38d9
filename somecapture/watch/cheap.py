"""The watch's cheap check: a look at a thread's page between its scheduled captures for the
reply count the page states (issue 19).

A look loads the page behind the capture's guards without recording it
(:class:`~somecapture.engine.probe.PageProbe`) and reads the count the page states in standard
markup (schema.org ``commentCount`` or ``interactionStatistic``), else the number of replies
its markup holds. That reading is compared only with an earlier reading of the same kind:
right after every capture the page is looked at once more, and that count is the baseline
(a capture's own count comes from the platform's counter on the page and may differ from the
markup's for good: compared with it, every look would say "changed"). A count that is not the
baseline makes the thread due now, and becomes the baseline: the same count never makes a
second capture.

How often: a thread between two scheduled checks is looked at no more than a sixth of the
way between them (:func:`~somecapture.watch.schedule.cheap_check_interval`, at least every
10 minutes), and a round makes at most its runner's ``cheap_per_round`` looks, those
waiting longest first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import datetime
from typing import Any, Protocol

from somecapture.engine.browser import BrowserSession
from somecapture.engine.probe import PageProbe, ProbedPage, ProbeError
from somecapture.errors import SomecaptureError
from somecapture.messages import Msg, message_of
from somecapture.options import CaptureOptions
from somecapture.thread.markup import read_markup
from somecapture.watch.schedule import Schedule, cheap_check_interval
from somecapture.watch.store import POST, WATCHING, LedgerEntry, WatchItem, iso, parse_iso

#: ``cheap_count`` of a thread whose page states no count (no cheap checks until its next
#: capture)
NO_COUNT = -1


class RoundWork(Protocol):
    """What the cheap checks use of the round they are part of."""

    runner: Any
    store: Any

    def look_at(self, url: str) -> None:
        """Count ``url`` as checked in this round."""

    def due(self, item: WatchItem, moment: datetime) -> bool:
        """Whether ``item`` is captured in this round anyway."""

    def options_for(self, item: WatchItem) -> CaptureOptions:
        """The capture options of ``item`` (its login profile)."""

    async def guarded(self, item: WatchItem, work: Awaitable[Any]) -> Any:
        """``work`` for ``item``; a failure is reported and the round goes on."""


def page_count(page: ProbedPage) -> int | None:
    """The reply count a page states in its markup, else the replies its markup holds."""
    markup = read_markup(page.html, page.final_url)
    count = markup.declared_reply_count
    if count is None and markup.replies:
        count = len(markup.replies)
    return count


def _last_look(item: WatchItem) -> datetime | None:
    looks = [t for t in (parse_iso(item.last_cheap), parse_iso(item.last_check)) if t]
    return max(looks) if looks else None


class CheapChecks:
    """The cheap checks of one round."""

    def __init__(self, work: RoundWork) -> None:
        self.work = work
        self.runner = work.runner
        self.store = work.store

    def due(self, item: WatchItem, moment: datetime) -> bool:
        """A thread between its scheduled checks whose page is worth a look: the last look
        (cheap check or capture) is a sixth of the gap between its scheduled checks ago."""
        if item.kind != POST or item.running_capture or self.work.due(item, moment) \
                or item.status != WATCHING or item.cheap_count == NO_COUNT:
            return False  # captured this round anyway, or waiting for an unreadable folder
        base = parse_iso(item.published_at) or parse_iso(item.added_at) or moment
        interval = cheap_check_interval(Schedule.parse(item.schedule), base, moment)
        last = _last_look(item)
        return interval is not None and (last is None or moment - last >= interval)

    def candidates(self, items: list[WatchItem], moment: datetime) -> list[WatchItem]:
        """The threads whose cheap check is due, at most the runner's ``cheap_per_round``,
        those waiting longest first (the others wait for the next round)."""
        waiting = [i for i in items if self.due(i, moment)]
        waiting.sort(key=lambda i: _last_look(i) or moment)
        cap = self.runner.cheap_per_round
        if len(waiting) > cap:
            self.runner.note(Msg("watch.cheap_wait", waiting=len(waiting) - cap, cap=cap))
        return waiting[:cap]

    async def run(self, session: BrowserSession, items: list[WatchItem]) -> list[WatchItem]:
        """The cheap check of each item, in one guarded browser context per login profile;
        the items whose reply count changed (they are captured now)."""
        changed: list[WatchItem] = []
        by_profile: dict[str | None, list[WatchItem]] = {}
        for item in items:
            by_profile.setdefault(self.work.options_for(item).profile, []).append(item)
        for group in by_profile.values():
            try:
                async with await self._probe(session, group[0]) as probe:
                    for item in group:
                        if await self.work.guarded(item, self.check(probe, item)):
                            changed.append(item)
            except (ProbeError, SomecaptureError) as exc:
                # the captures at the scheduled times will say what is wrong
                self.runner.note(Msg("watch.cheap_impossible", detail=message_of(exc)))
        return changed

    async def _probe(self, session: BrowserSession, item: WatchItem) -> PageProbe:
        options = self.work.options_for(item)
        state = await session.profile_state(options.profile) if options.profile else None
        return PageProbe(session, allow_private_network=options.allow_private_network,
                         proxy=options.proxy, storage_state=state)

    async def check(self, probe: PageProbe, item: WatchItem) -> bool:
        """Look at the thread's page (rendered, not recorded) for the reply count it states;
        True when it is not the baseline (the count of the look before)."""
        moment = self.runner.clock()
        self.work.look_at(item.url)
        try:
            page = await probe.look(item.url)
        except ProbeError as exc:
            # the full capture at the scheduled time will say what is wrong
            self.runner.note(Msg("watch.cheap_failed", url=item.url, detail=message_of(exc)))
            await asyncio.to_thread(self.store.update, item.url, last_cheap=iso(moment))
            return False
        count = page_count(page)
        baseline = item.cheap_count if item.cheap_count is not None and \
            item.cheap_count >= 0 else None
        changed = count is not None and baseline is not None and count != baseline
        if changed:
            detail = Msg("watch.cheap_changed", count=count, baseline=baseline)
            self.runner.note(Msg("watch.on", url=item.url, text=detail))
            await asyncio.to_thread(
                self.store.checked, item.url,
                LedgerEntry(url=item.url, checked_at=iso(moment) or "", kind="cheap",
                            outcome="count changed", detail=detail),
                last_cheap=iso(moment), cheap_count=count)
        else:
            await self._keep(item, count, moment)
        return changed

    async def baseline(self, session: BrowserSession, item: WatchItem) -> None:
        """Right after a capture: the count the cheap check reads now is the one later
        looks are compared with. When the look fails, the next cheap check's count is."""
        moment = self.runner.clock()
        try:
            async with await self._probe(session, item) as probe:
                page = await probe.look(item.url)
        except (ProbeError, SomecaptureError) as exc:
            self.runner.note(Msg("watch.no_baseline", url=item.url, detail=message_of(exc)))
            await asyncio.to_thread(self.store.update, item.url, cheap_count=None)
            return
        await self._keep(item, page_count(page), moment)

    async def _keep(self, item: WatchItem, count: int | None, moment: datetime) -> None:
        """Keep ``count`` as the baseline; a page that states none is said on the ledger
        (once: no cheap check looks at it again before its next capture)."""
        values: dict[str, Any] = {"last_cheap": iso(moment),
                                  "cheap_count": count if count is not None else NO_COUNT}
        if count is not None:
            await asyncio.to_thread(self.store.update, item.url, **values)
            return
        detail = Msg("watch.no_count")
        self.runner.note(Msg("watch.on", url=item.url, text=detail))
        await asyncio.to_thread(
            self.store.checked, item.url,
            LedgerEntry(url=item.url, checked_at=iso(moment) or "", kind="cheap",
                        outcome="no count", detail=detail), **values)
