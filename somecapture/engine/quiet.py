"""Waiting until a page has done what a scroll or a click set off — and no longer.

A fixed pause after every action ("react for 0.3 s, then wait for 0.8 s of network quiet")
makes every round of thread expansion cost over a second even when the page answered in
50 ms. Instead, the wait watches what the page actually does after the action:

* the requests the page starts (counted by the recorder, which sees every request of the
  page's own session), and when they end;
* the DOM nodes added or removed (a ``MutationObserver`` in the page; attribute and text
  changes are left out, since clocks, "2 min ago" labels and animations change them all the
  time).

When the page answered with requests, the wait ends once network and DOM have been quiet for
a short window (:data:`SETTLED_S`) — and the expansion goes on at once only if the page
visibly grew; otherwise it waits out the full quiet window the archivist configured
(``network_idle_ms``), counted from the action, before it judges anything (a control that
loaded nothing, the thread being done). A DOM change alone (a spinner, a "Loading…" label)
is no answer: a request may still come. So every "nothing more is coming" is decided on the
full window after the last action, as before; only rounds in which the page visibly answered
get shorter.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["SETTLED_S", "Quiet", "QuietWatch"]

#: network and DOM quiet this long after the page reacted to an action: it is done reacting
SETTLED_S = 0.25
#: how often the wait looks
POLL_S = 0.05

# Installed once per document; counts added/removed nodes and notes when the last came.
# Read as [count, ms since the last change].
_DOM_JS = """() => {
  let q = window.__somecaptureQuiet;
  if (!q) {
    q = window.__somecaptureQuiet = { n: 0, last: performance.now() };
    new MutationObserver((records) => {
      for (const r of records) {
        const k = r.addedNodes.length + r.removedNodes.length;
        if (k) { q.n += k; q.last = performance.now(); }
      }
    }).observe(document, { childList: true, subtree: true });
  }
  return [q.n, performance.now() - q.last];
}"""


class _Page(Protocol):
    async def evaluate(self, expression: str, arg: Any = None) -> Any: ...


class _Network(Protocol):
    @property
    def requests_started(self) -> int: ...

    def idle_for_s(self) -> float: ...


@dataclass(frozen=True)
class Quiet:
    """How a wait ended."""

    #: the page started requests or changed its DOM after the action
    reacted: bool
    #: the network has been quiet for the full configured window (a safe point to decide
    #: that nothing more is coming)
    fully_quiet: bool
    #: the wait's limit came first (the page was still busy)
    timed_out: bool
    waited_s: float


class QuietWatch:
    """Waits on one page, with the recorder of its network."""

    def __init__(self, page: _Page, network: _Network, idle_window_s: float) -> None:
        self.page = page
        self.network = network
        self.idle_window_s = idle_window_s

    async def _dom(self) -> tuple[int, float]:
        try:
            count, quiet_ms = await self.page.evaluate(_DOM_JS)
            return int(count), float(quiet_ms) / 1000
        except Exception:  # noqa: BLE001 - navigating or closed: judge by the network alone
            return -1, 0.0

    async def after_action(self, mark: tuple[int, int], started: float,
                           limit_s: float) -> Quiet:
        """Wait after an action taken at ``started`` (monotonic) with :meth:`mark` taken just
        before it, for at most ``limit_s``."""
        requests_before, nodes_before = mark
        deadline = started + max(0.0, limit_s)
        while True:
            now = time.monotonic()
            nodes, dom_quiet_s = await self._dom()
            net_quiet_s = self.network.idle_for_s()
            # only requests count as the page's answer: a DOM change alone (a spinner, a label
            # turned "Loading…", a recycled list cell) may come before a late request
            requested = self.network.requests_started != requests_before
            reacted = requested or (nodes >= 0 and nodes != nodes_before)
            fully_quiet = net_quiet_s >= self.idle_window_s and now - started >= \
                self.idle_window_s
            if fully_quiet:
                return Quiet(reacted, True, False, now - started)
            # DOM changes without end (a ticker adding nodes) wait for the full window
            if requested and net_quiet_s >= SETTLED_S and dom_quiet_s >= SETTLED_S:
                return Quiet(True, False, False, now - started)
            if now >= deadline:
                return Quiet(reacted, fully_quiet, True, now - started)
            await asyncio.sleep(POLL_S)

    async def mark(self) -> tuple[int, int]:
        """The counters to compare with after an action (take it just before acting)."""
        nodes, _ = await self._dom()
        return self.network.requests_started, nodes

    async def settled(self, limit_s: float, network_quiet_s: float = SETTLED_S) -> Quiet:
        """Wait until the page is done with what it is doing now (loading, after an overlay
        was closed, lazy images): network quiet for ``network_quiet_s`` and the DOM for
        :data:`SETTLED_S`, or the network quiet for the full window when the DOM never stops
        changing."""
        started = time.monotonic()
        deadline = started + max(0.0, limit_s)
        needed = min(network_quiet_s, self.idle_window_s)
        while True:
            now = time.monotonic()
            _, dom_quiet_s = await self._dom()
            net_quiet_s = self.network.idle_for_s()
            fully_quiet = net_quiet_s >= self.idle_window_s
            if net_quiet_s >= needed and (dom_quiet_s >= SETTLED_S or fully_quiet):
                return Quiet(True, fully_quiet, False, now - started)
            if now >= deadline:
                return Quiet(True, fully_quiet, True, now - started)
            await asyncio.sleep(POLL_S)

    async def full_window(self, since: float, limit_s: float) -> Quiet:
        """Wait until the full quiet window (the configured ``network_idle_ms``) has passed
        both since ``since`` (the action, monotonic) and since the last network event — what
        "nothing more is coming" is decided on; at most ``limit_s``."""
        started = time.monotonic()
        deadline = started + max(0.0, limit_s)
        while True:
            now = time.monotonic()
            if self.network.idle_for_s() >= self.idle_window_s and \
                    now - since >= self.idle_window_s:
                return Quiet(True, True, False, now - started)
            if now >= deadline:
                return Quiet(True, False, True, now - started)
            await asyncio.sleep(POLL_S)
