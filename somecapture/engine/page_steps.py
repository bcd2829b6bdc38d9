"""The steps of a recording, as they act on the page.

Each step is a coroutine taking its budget in seconds and returning a one-line summary for its
:class:`~somecapture.models.StepReport`; the :class:`~somecapture.engine.steps.StepRunner`
runs them in order (see :mod:`somecapture.engine.capture` for the sequence). Site knowledge
(overlays, "more" controls, the thread's markup) comes from the page's
:class:`~somecapture.sites.base.SiteAdapter`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from somecapture.engine.navigation import PROXY_MASKED, navigation_error
from somecapture.engine.quiet import QuietWatch
from somecapture.engine.screenshot import MAX_HEIGHT_PX, full_page_png
from somecapture.engine.state import CaptureState
from somecapture.engine.steps import EVIDENCE_GRACE_S, BudgetExceeded, always_run_reserve
from somecapture.errors import (
    HttpErrorStatus,
    NavigationError,
    ProfileLoggedOutError,
    TabCrashedError,
)
from somecapture.messages import MISSING_REASONS, Msg
from somecapture.sites.base import SiteAdapter
from somecapture.sites.reader import read_rendered_thread, safe_reader_result
from somecapture.sites.registry import adapter_for_page

#: the most the generic reader of the rendered page may take (it reads in milliseconds)
READER_BUDGET_S = 8.0
#: how long before its step's budget ends a step stops waiting by itself (so it ends with what
#: it has rather than be cut off by the budget)
STEP_MARGIN_S = 0.5
#: share of the time kept for the screenshot and extract (steps.always_run_reserve) that the
#: screenshot leaves for the extract
EXTRACT_KEEP_SHARE = 0.3
#: of the grace after the overall budget, what the screenshot leaves after packaging: the
#: extract and finishing the recording before it, closing the context and the catalogue
#: after it, a command's browser start and stop (together a few seconds on a loaded machine)
AFTER_PACKAGE_S = 6.0

# A viewport at a time from the top, so that everything crosses the viewport once (lazy
# loaders watch for exactly that); at each stop two animation frames pass (intersection
# observers report in the frame after a scroll; 100 ms when frames do not come) and at least
# 60 ms (scroll handlers throttled to a few per second still see every stop).
_SCROLL_PASS_JS = """async ({step, ms}) => {
  const se = document.scrollingElement || document.documentElement;
  const end = Date.now() + ms;
  const frame = () => new Promise((r) => {
    requestAnimationFrame(() => r()); setTimeout(r, 100); });
  let y = 0, stops = 0;
  while (y < se.scrollHeight && Date.now() < end) {
    window.scrollTo(0, y);
    const dwell = new Promise((r) => setTimeout(r, 60));
    await frame(); await frame(); await dwell;
    y += step; stops += 1;
  }
  return stops;
}"""

_WAIT_IMAGES_JS = """async (ms) => {
  const deadline = Date.now() + ms;
  const pending = () => [...document.images].filter(i => i.src && !i.complete).length;
  while (pending() > 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
  return pending();
}"""


#: why replies the page's own count announces are not in the thread, when nothing else says
NOT_SHOWN = "not shown on the page (hidden, deleted or filtered by the platform)"


def reported_replies(reported: dict[str, Any]) -> int | None:
    """The reply count the page itself shows ("23 comments"), if it shows one."""
    count = reported.get("comments")
    if count is None:  # 0 is a count, not a missing one
        count = reported.get("replies")
    return count if isinstance(count, int) else None


#: the completeness ``missing`` reason of a page that only says its post is gone
POST_UNAVAILABLE = "post unavailable: "


def post_unavailable_notice(completeness: dict[str, Any]) -> str | None:
    """The page's own notice that the post is not available (deleted, removed, private), as
    a capture's completeness records it; None when the page showed the post."""
    for miss in completeness.get("missing") or []:
        reason = miss.get("reason") if isinstance(miss, dict) else None
        if isinstance(reason, str) and reason.startswith(POST_UNAVAILABLE):
            return reason[len(POST_UNAVAILABLE):]
    return None


def replies_missing(completeness: dict[str, Any]) -> bool:
    """Whether a capture holds fewer replies than the page has: the page's count exceeds
    what was captured, or something (a budget, a login wall, "more" controls left, data not
    loaded) kept replies out. A post that is gone is not counted here."""
    reported = reported_replies(completeness.get("reported") or {})
    captured = completeness.get("captured_replies")
    if reported is not None and isinstance(captured, int) and reported > captured:
        return True
    for miss in completeness.get("missing") or []:
        if not isinstance(miss, dict) or str(miss.get("reason") or "").startswith(
                POST_UNAVAILABLE):
            continue
        count = miss.get("count")
        if count is None or (isinstance(count, int) and count > 0):
            return True
    return False


class PageSteps:
    """The step bodies of one recording, sharing its :class:`CaptureState`."""

    def __init__(self, state: CaptureState) -> None:
        self.state = state

    async def navigate(self, budget: float) -> str:
        s = self.state
        assert s.page is not None and s.recorder is not None
        started = time.monotonic()
        # the browser's own timeouts end just before the step's: a page that never fires
        # `load` is captured as far as it got, not failed by the step's budget
        end = started + budget - STEP_MARGIN_S
        try:
            response = await self.goto_unless_document_fails(
                max(1.0, min(end - started, s.options.load_timeout_s)))
        except PlaywrightError as exc:
            cause: Exception = exc
            failure = None
            if s.proxy is not None and any(code in str(exc) for code in PROXY_MASKED):
                # through the guard proxy the browser only sees "tunnel failed" or an empty
                # response; the proxy knows what really happened (DNS, refused, private…) to
                # the page's own request (its first URL or a redirect hop)
                failure = s.proxy.first_failure_since(
                    started, s.recorder.main_chain or [s.url])
            if failure is not None:
                cause = Exception(f"net::{failure.net_error}")
            raise navigation_error(s.url, cause,
                                   detail=failure.detail if failure is not None else None,
                                   own_proxy_setting=bool(s.options.proxy)) from None
        final_url = s.page.url
        s.final_url = s.safe(final_url)
        if final_url.startswith("chrome-error://"):
            raise NavigationError(Msg("error.error_page", url=s.url))
        if response is None:
            raise NavigationError(Msg("error.no_response", url=s.url))
        s.main_status = response.status
        if not 100 <= response.status <= 999:
            # a status line without a three-digit code ("HTTP/1.1 2OO …") is no answer at all
            raise NavigationError(Msg("error.invalid_status", url=s.url, status=(
                f"{response.status} {response.status_text or ''}").strip()))
        if response.status >= 400:
            raise HttpErrorStatus(
                Msg("error.http_status", url=final_url, status=(
                    f"{response.status} {response.status_text or ''}").strip()),
                retryable=response.status in (429, 500, 502, 503, 504),
            )
        try:
            await s.page.wait_for_load_state("load", timeout=max(0.1, min(
                end - time.monotonic(), s.options.load_timeout_s)) * 1000)
        except PlaywrightTimeoutError:
            s.warn(Msg("warning.load_event"))
        return Msg("step.result.navigate", status=str(response.status), url=s.final_url)

    async def goto_unless_document_fails(self, timeout_s: float) -> Response | None:
        """``page.goto`` that ends as soon as the page's own request fails.

        A document cut off after its headers (a reset) never reaches DOMContentLoaded, and
        the browser would keep ``goto`` waiting for the whole load budget; the recorder sees
        the failure at once.
        """
        s = self.state
        assert s.page is not None and s.recorder is not None
        goto = asyncio.ensure_future(s.page.goto(
            s.url, wait_until="domcontentloaded", timeout=timeout_s * 1000))
        failed = asyncio.ensure_future(s.recorder.main_failed.wait())
        try:
            await asyncio.wait({goto, failed}, return_when=asyncio.FIRST_COMPLETED)
        except BaseException:
            # cancelled (budget, user): take the navigation down too, quietly
            goto.cancel()
            with contextlib.suppress(BaseException):
                await goto
            raise
        finally:
            failed.cancel()
        if goto.done():
            return goto.result()
        goto.cancel()
        with contextlib.suppress(asyncio.CancelledError, PlaywrightError):
            await goto
        raise PlaywrightError(f"net::{s.recorder.main_failure.removeprefix('net::')}")

    def quiet_watch(self) -> QuietWatch:
        """Waits on this page for what it set off to be done (see quiet.py)."""
        s = self.state
        assert s.page is not None and s.recorder is not None
        return QuietWatch(s.page, s.recorder, s.options.network_idle_ms / 1000)

    async def settle(self, budget: float) -> str:
        # stop waiting just before the step's own timeout: a busy network is not a failure
        watch = self.quiet_watch()
        # the archivist's quiet window, as configured (a single-page app may pause its network
        # while its bundle runs: the platform is told from the page after this)
        quiet = await watch.settled(max(0.0, budget - 0.25), watch.idle_window_s)
        # the page may keep polling or hold a websocket: that is normal, not a defect
        return Msg("step.result.settle_busy" if quiet.timed_out else "step.result.settle_idle")

    async def ensure_adapter(self) -> SiteAdapter:
        s = self.state
        assert s.page is not None
        if s.adapter is None:
            s.adapter = await adapter_for_page(s.url, s.page, s.options.site)
            s.note(Msg("note.site_adapter", name=s.adapter.name, platform=s.adapter.platform))
        return s.adapter

    async def dismiss_overlays(self, budget: float) -> str:
        s = self.state
        assert s.page is not None
        adapter = await self.ensure_adapter()
        actions = await adapter.dismiss_overlays(s.page)
        if actions:
            s.overlays.extend(actions)
            watch = self.quiet_watch()
            await watch.settled(min(3.0, budget / 2), watch.idle_window_s)
            # consent managers often open a second layer or a login nag after the first click
            more = await adapter.dismiss_overlays(s.page)
            s.overlays.extend(more)
            actions += more
        if not actions:
            return Msg("step.result.none")
        return Msg("step.result.overlays", count=len(actions), details="; ".join(
            f"{a['action']} {a['kind']}: {a['detail']}" for a in actions))

    async def expand(self, budget: float) -> str:
        s = self.state
        assert s.page is not None
        adapter = await self.ensure_adapter()
        deadline = time.monotonic() + budget
        max_actions = s.options.expand_max_actions
        actions = 0
        rounds = 0
        last_height = -1
        last_items = -1
        clicked_total: dict[str, int] = {}
        watch = self.quiet_watch()
        still_busy = False
        # every control clicked, by its stable key (see expand.js): label, clicks, state
        controls: dict[str, dict[str, Any]] = {}
        while True:
            if time.monotonic() >= deadline - 1:
                s.expand_stopped = "time budget (expand_timeout_s) reached"
                raise BudgetExceeded(Msg("step.result.expand_time", seconds=round(budget),
                                         actions=actions))
            if actions >= max_actions:
                s.expand_stopped = "action limit (expand_max_actions) reached"
                raise BudgetExceeded(Msg("step.result.expand_actions", actions=actions))
            mark = await watch.mark()
            r = await adapter.expand_round(s.page)
            # the window counts from the round's last action (an adapter's sweep takes time)
            acted = time.monotonic()
            rounds += 1
            actions += max(1, len(r.clicked))
            for label in r.clicked:
                clicked_total[label] = clicked_total.get(label, 0) + 1
            # wait for what the scroll and clicks set off (requests, new nodes) to be done;
            # a page that did not answer with requests gets the full quiet window (quiet.py)
            limit = min(5.0, max(0.5, deadline - time.monotonic() - 1))
            quiet = await watch.after_action(mark, acted, limit)
            if not (quiet.fully_quiet or quiet.timed_out) and \
                    not await adapter.expand_grew(s.page):
                # it answered, but nothing has shown yet: no verdict on a control (or on the
                # thread being done) before the full window after the action has passed
                quiet = await watch.full_window(acted, limit)
            # once the page is quiet, whatever a click was going to load has arrived: a
            # control whose round grew nothing loaded nothing, and is never clicked again
            verdict = await adapter.expand_verdict(s.page, network_busy=quiet.timed_out)
            for c in verdict.controls:
                controls[str(c.get("key"))] = c
            # the round's measure (taken after its own scroll) also shows what the previous
            # round's clicks brought after its wait; adapters may signal "still loading" there
            grew = r.height != last_height or r.items != last_items or verdict.grew
            # the next round compares with the page as it was after this round's wait: growth
            # the verdict has already seen is not counted again (one wasted round of waiting)
            last_height = r.height if verdict.height is None else verdict.height
            last_items = r.items if verdict.items is None else verdict.items
            if not r.clicked and not grew:
                if quiet.fully_quiet:
                    # nothing left to click and nothing came in the full quiet window after
                    # the last action: the thread is as expanded as it gets
                    break
                # the page grew by its own measure but not by the adapter's, or it was still
                # busy at the wait's limit: give it the full window after the action, look again
                again_quiet = await watch.full_window(
                    acted, min(5.0, max(0.0, deadline - time.monotonic() - 1)))
                again = await adapter.expand_verdict(s.page, network_busy=again_quiet.timed_out)
                if not again.grew:
                    # quiet for the full window, or requests that never stop (a page that polls)
                    # with nothing new for as long: as expanded as it gets; said in the report
                    still_busy = not again_quiet.fully_quiet
                    break
        await self.note_login_wall(adapter)
        summary = ", ".join(f"'{k}' ×{v}" for k, v in clicked_total.items()) or "none"
        dead = sum(1 for c in controls.values() if c.get("state") == "dead")
        most = max((int(c.get("clicks") or 0) for c in controls.values()), default=0)
        # said in the report: a page whose requests never stopped, with nothing new for the
        # full window (a page that polls), ended expansion without ever being quiet
        return Msg("step.result.expand", rounds=rounds, clicks=summary,
                   controls=len(controls), most=most, dead=dead,
                   busy="yes" if still_busy else "no")

    async def note_login_wall(self, adapter: SiteAdapter) -> None:
        """Record, and warn about, the first login wall seen on the page."""
        s = self.state
        assert s.page is not None
        if s.login_wall is not None:
            return
        wall = await adapter.login_wall(s.page)
        if wall:
            s.login_wall = wall
            s.warn(Msg("warning.login_wall", wall=wall))

    async def check_logged_in(self, budget: float) -> str:
        """With a profile, a login wall means the session expired: never a silent public
        capture passed off as a logged-in one."""
        s = self.state
        assert s.page is not None
        adapter = await self.ensure_adapter()
        wall = await adapter.logged_out(s.page)
        if wall:
            raise ProfileLoggedOutError(Msg("error.logged_out", profile=s.options.profile,
                                            wall=wall))
        return Msg("step.result.logged_in", profile=s.options.profile)

    async def lazy_media(self, budget: float) -> str:
        """Scroll through the page a viewport at a time so lazy images load, then wait."""
        s = self.state
        assert s.page is not None
        deadline = time.monotonic() + budget
        # the pass runs inside the page: one call, not two round trips per viewport
        await s.page.evaluate(_SCROLL_PASS_JS, {
            "step": s.options.viewport_height_px,
            "ms": max(0.0, deadline - time.monotonic() - 1) * 1000})
        pending = await s.page.evaluate(_WAIT_IMAGES_JS, max(0.5, deadline - time.monotonic()
                                                                - 0.5) * 1000)
        # images and what a debounced scroll handler loads after the pass: the full window
        watch = self.quiet_watch()
        await watch.settled(max(0.0, min(3.0, deadline - time.monotonic())), watch.idle_window_s)
        await s.page.evaluate("window.scrollTo(0, 0)")
        if pending:
            raise BudgetExceeded(Msg("step.result.images_pending", count=pending))
        return Msg("step.result.images_loaded")

    async def screenshot(self, budget: float) -> str:
        s = self.state
        assert s.page is not None and s.cdp is not None
        # segments stop in time for the extract after it, and for packaging after the
        # recording (see screenshot.py and steps.py)
        now = time.monotonic()
        deadline = min(now + budget, s.deadline - EXTRACT_KEEP_SHARE * always_run_reserve(
            s.options.capture_timeout_s)) - STEP_MARGIN_S
        package_deadline = s.deadline + EVIDENCE_GRACE_S - AFTER_PACKAGE_S
        if s.crashed:
            raise TabCrashedError(Msg("error.page_crashed"))
        adapter = await self.ensure_adapter()
        if s.self_navigations:
            # the page left the post by itself: say so, and name what is captured
            s.warn(Msg("warning.navigated_away", url=s.self_navigations[-1]))
            s.final_url = s.self_navigations[-1]
            s.self_navigations.clear()
        await adapter.before_screenshot(s.page)
        await s.page.evaluate("window.scrollTo(0, 0)")
        # fixed layers the named rules missed (bottom sheets, chat widgets) would cover the
        # thread, or repeat in every stitched segment: hide them by position and size
        covering: list[dict[str, Any]] = []
        try:
            covering = await adapter.hide_covering_layers(s.page, s.options.viewport_height_px)
        except PlaywrightError as exc:
            # a screenshot with a bar over it is still better than none
            s.note(Msg("note.covering_unchecked", detail=str(exc)))
        s.overlays.extend(covering)
        s.screenshot = await full_page_png(
            s.page, s.cdp, s.work.screenshot_path,
            s.options.viewport_width_px,
            deadline=deadline, package_deadline=package_deadline,
        )
        shot = s.screenshot
        if shot.height_px + 2 < min(shot.page_height_px, MAX_HEIGHT_PX):  # 1-2 px: rounding
            s.warn(Msg("warning.screenshot_cut_time", page=shot.page_height_px,
                       height=shot.height_px, seconds=round(s.options.capture_timeout_s)))
        elif shot.clipped:
            s.warn(Msg("warning.screenshot_cut_limit", page=shot.page_height_px,
                       height=shot.height_px))
        return Msg("step.result.screenshot", width=str(shot.width_px),
                   height=str(shot.height_px), segments=shot.segments, covering=len(covering),
                   layers="; ".join(str(c.get("detail")) for c in covering))

    async def extract(self, budget: float) -> str:
        s = self.state
        assert s.page is not None
        if s.crashed:
            raise TabCrashedError(Msg("error.page_crashed"))
        adapter = await self.ensure_adapter()
        data = await adapter.extract(s.page)
        for part in (data.get("root"), data.get("page")):
            if isinstance(part, dict) and isinstance(part.get("url"), str):
                part["url"] = s.safe(part["url"])
        root = data.get("root")
        replies = data.get("replies") or []
        # a 200 page that only says the post is gone: its metadata is not the post
        unavailable = None if replies else await adapter.unavailable(s.page)
        if unavailable:
            root = None
        s.page_extract, s.post_unavailable = data, unavailable
        # the final DOM, for the standard-markup source (read after recording, off the page)
        with contextlib.suppress(PlaywrightError):
            s.page_html = await s.page.content()
        s.thread = {
            "platform": data.get("platform"),
            "adapter": data.get("adapter"),
            "source": None if unavailable else data.get("source"),
            "root": root,
            "replies": replies,
            "page": data.get("page"),
        }
        reported = data.get("reported") or {}
        missing: list[dict[str, Any]] = []
        s.completeness = {
            "reported": reported,
            "captured_replies": len(replies),
            "missing": missing,
        }
        reported_n = reported_replies(reported)
        # the wall may appear only after expansion: check again on the final page
        await self.note_login_wall(adapter)
        if unavailable:
            s.warn(Msg("warning.post_unavailable", text=unavailable))
            missing.append({"count": reported_n,
                            "reason": f"{POST_UNAVAILABLE}{unavailable}",
                            "reason_code": "unavailable", "text": unavailable})
        elif reported_n is not None and reported_n > len(replies):
            if s.expand_stopped:
                reason, code = f"budget: {s.expand_stopped}", (
                    "budget_time" if "time" in s.expand_stopped else "budget_actions")
            elif s.login_wall:
                reason, code = s.login_wall, "login_wall"  # already reads "login wall (…)"
            else:
                reason, code = NOT_SHOWN, "not_shown"
            # the reconcile step recounts it against the merged thread; ``reason_code``:
            # the reason in the message catalogue (``missing.<code>``), for every language
            s.reported_missing = {"count": reported_n - len(replies), "reason": reason,
                                  "reason_code": code}
            missing.append(s.reported_missing)
        elif s.login_wall:
            missing.append({"count": None, "reason": s.login_wall, "reason_code": "login_wall"})
        unexpanded = data.get("unexpanded") or []
        for item in unexpanded:
            entry = {"count": item.get("count"), "reason": item.get("reason"),
                     "where": item.get("where")}
            if item.get("reason_code") in MISSING_REASONS:
                # the reason in the message catalogue (``missing.<code>``), for every language
                entry["reason_code"] = item["reason_code"]
            missing.append(entry)
        if unexpanded:
            s.warn(Msg("warning.unexpanded", count=len(unexpanded),
                       where=str(unexpanded[0].get("where"))))
        if not unavailable:
            # the generic reader, last and in its own time: the adapter's thread is kept
            # whatever happens to it
            with contextlib.suppress(PlaywrightError, TimeoutError):
                async with asyncio.timeout(max(1.0, min(READER_BUDGET_S, budget / 3))):
                    s.rendered = safe_reader_result(await read_rendered_thread(s.page, s.url),
                                                    s.safe)
        if unavailable:
            return Msg("step.result.unavailable", text=unavailable)
        # both readings of the page; reconcile-thread merges them with the recorded data
        reader = (Msg("step.result.reader", blocks=s.rendered.blocks_seen)
                  if s.rendered is not None else Msg("step.result.reader_none"))
        if root is None:
            return Msg("step.result.no_post", reader=reader)
        if not replies and reported_n is None and data.get("source") != "selectors":
            return Msg("step.result.no_thread", reader=reader)
        return Msg("step.result.thread", replies=len(replies), reader=reader,
                   reported="none" if reported_n is None else reported_n)
