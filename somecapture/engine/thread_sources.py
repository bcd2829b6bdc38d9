"""The thread from every source the capture has, once the recording is done.

The extract step read the page (the site adapter's selectors) and kept its final HTML; after
the WARC is closed this step adds the platform's own data from the recorded responses and the
page's standard markup, reconciles them into one thread
(:func:`~somecapture.thread.reconcile.reconcile`), and says plainly when fewer replies could be
read than the page shows.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from somecapture.engine.page_steps import NOT_SHOWN, reported_replies
from somecapture.engine.state import CaptureState
from somecapture.messages import Msg
from somecapture.thread.embedded import read_embedded_state
from somecapture.thread.markup import read_markup
from somecapture.thread.post import ThreadData
from somecapture.thread.reconcile import (
    Reconciled,
    from_markup,
    posts_from_extract,
    readable_count,
    reconcile,
)
from somecapture.thread.recorded import merge_thread_data, thread_data_from_warc
from somecapture.thread.times import TimeReader, annotate_thread

log = logging.getLogger(__name__)

#: why replies the platform's data announces are not in the thread
NOT_LOADED = "not loaded by the page (the platform's data says they exist)"


def _data_sources(warc_path: Any, html: str | None, page_url: str) -> list[ThreadData]:
    """Platform data from the recorded responses, then the page's markup (off the loop)."""
    sources: list[ThreadData] = []
    platform = merge_thread_data(thread_data_from_warc(warc_path), page_url)
    if platform is not None:
        sources.append(platform)
    if html:
        sources.append(from_markup(read_markup(html, page_url)))
        # the platform's data the page carries in its own scripts (New Reddit's store)
        embedded = read_embedded_state(html, page_url)
        if embedded is not None:
            sources.append(embedded)
    return sources


async def reconcile_thread(state: CaptureState, budget: float) -> str:
    """Step body: merge the sources into ``state.thread`` and judge completeness.

    A failure here never costs the capture: the thread stays as the page gave it, and a
    warning says the other sources could not be used (the capture is PARTIAL).
    """
    s = state
    if s.post_unavailable or s.page_extract is None:
        return Msg("step.result.reconcile_nothing")
    try:
        message = await _reconcile(s)
    except Exception as exc:  # noqa: BLE001 - a bug in merging must not lose the recording
        s.log_failure("reconciling the thread failed for", exc)
        s.warn(Msg("warning.reconcile_failed", kind=type(exc).__name__))
        message = Msg("step.result.reconcile_failed")
    try:
        times = await asyncio.to_thread(_read_times, s)
    except Exception as exc:  # noqa: BLE001 - the stamps stay as shown (published_text)
        s.log_failure("reading the shown time stamps failed for", exc)
        return message
    if isinstance(message, Msg) and message.code == "step.result.reconcile":
        return Msg(message.code, **{**message.params, "times": Msg(
            "step.result.times", exact=times["exact"], shown=times["shown"])})
    return message


def _read_times(s: CaptureState) -> dict[str, int]:
    """Stamps the page shows without a zone or relative to now, read into
    ``published_local`` / ``published_range`` (:mod:`somecapture.thread.times`)."""
    page = (s.page_extract or {}).get("page")
    lang = page.get("lang") if isinstance(page, dict) else None
    reader = TimeReader(s.started, s.options.timezone_id, lang if isinstance(lang, str) else None)
    figures = annotate_thread(s.thread, reader)
    s.completeness["post_times"] = figures
    return figures


async def _reconcile(s: CaptureState) -> str:
    page_url = s.final_url or s.safe(s.url)
    datas = await asyncio.to_thread(_data_sources, s.work.warc_path, s.page_html, page_url)
    adapter = posts_from_extract(s.page_extract)
    pages = [adapter]
    blocks = 0
    fill_only = False
    # a platform's own adapter knows which blocks are replies; the generic one does not
    trusted = (s.page_extract or {}).get("adapter") not in (None, "generic")
    if s.rendered is not None:
        reader = s.rendered.page_source()
        blocks = s.rendered.blocks_seen
        fill_only = not trusted and bool(reader[1]) and \
            readable_count(reader) >= readable_count(adapter)
        if fill_only:
            # the generic selectors match parts of posts too (a reply link, a form): where
            # the generic reader read at least as much, its replies are the page's and the
            # selectors only fill in (ids, times) what they read of the same posts
            pages = [reader, adapter]
        else:
            pages.append(reader)
    result = reconcile(page_url, pages, datas, page_blocks=blocks, trust_first=trusted,
                       others_fill_only=fill_only)
    _apply(s, result, datas)
    used = ", ".join(f"{k} {v}" for k, v in sorted(result.sources.items())) or "–"
    return Msg("step.result.reconcile", replies=len(result.replies),
               readable=result.readable_visible, visible=result.visible, sources=used,
               times="")


def _apply(s: CaptureState, result: Reconciled, datas: list[ThreadData]) -> None:
    thread = s.thread
    if result.root is not None:
        # the root keeps the fields the page gave, filled from the other sources
        thread["root"] = {**(thread.get("root") or {}), **result.root}
        if not thread.get("source"):
            thread["source"] = result.root.get("source")
    thread["replies"] = result.replies
    thread["sources"] = result.sources
    if result.ancestors:
        thread["ancestors"] = result.ancestors
    comp = s.completeness
    comp["captured_replies"] = len(result.replies)
    comp["visible_replies"] = result.visible
    comp["readable_replies"] = result.readable_visible
    if result.unmatched_page_blocks:
        comp["unmatched_page_blocks"] = result.unmatched_page_blocks
    if result.conflicts:
        # one reading's post with another's words under another name: kept out of the
        # thread, recorded here
        comp["conflicts"] = result.conflicts
        # a misreading, most likely — or a short reply ("Enig!") only one reading saw: which,
        # nothing here can tell, so the capture does not claim the thread is whole
        s.warn(Msg("warning.reconcile_conflicts", count=len(result.conflicts)))
    missing: list[dict[str, Any]] = comp.setdefault("missing", [])
    # the page's own count against the merged thread (the extract step counted the page only)
    reported_n = reported_replies(comp.get("reported") or {})
    entry = s.reported_missing
    if entry is not None and entry in missing:
        if reported_n is not None and reported_n > len(result.replies):
            entry["count"] = reported_n - len(result.replies)
            if entry["reason"] == NOT_SHOWN:
                # nothing else (a budget, a login wall) explains the gap: the capture cannot
                # claim it holds what the page says it has
                s.warn(Msg("warning.replies_not_shown", reported=reported_n,
                           found=len(result.replies)))
        else:
            missing.remove(entry)
    not_loaded = sum(d.not_loaded for d in datas)
    if not_loaded:
        missing.append({"count": not_loaded, "reason": NOT_LOADED, "reason_code": "not_loaded"})
        s.warn(Msg("warning.replies_not_loaded", count=not_loaded))
    for warning in result.warnings:
        s.warn(warning)
