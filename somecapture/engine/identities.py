"""Where the thread's persons are on the rendered page: the boxes the screened variant masks.

Issue 18: the screened ("skjermet") rendition of a capture hides private persons' names,
handles, avatars and profile links by opaque boxes drawn into the screenshot's pixels. This
module finds those boxes; the package decides whose they are to mask (not the agency's own
accounts) and draws them. :func:`locate_identities` runs ``resources/sites/js/identities.js``
in the page, which knows no site: it searches the page's visible text for the persons' names
and handles (whole words, case-insensitive), finds their profile links by address and their
avatars by what the image is next to or named by, and lists candidate identity numbers, phone
numbers and e-mail addresses for the package to validate.

The boxes are in the screenshot's own pixels: document CSS px with the page at the top, the
convention of :func:`~somecapture.engine.screenshot.full_page_png` (scale 1) and of the thread
extract's ``screenshot_box``. The page's height at search time is part of the result: a page
whose layout moved after the screenshot must not be masked at stale positions (the package
compares it with the screenshot's).

:func:`locate_persons` is the recording's ``locate-persons`` step (after ``reconcile-thread``,
the page still open). It never fails the capture: trouble is kept as ``{"error": …}`` in
:attr:`CaptureState.identities`, and the package turns that into the variant's status.
"""

from __future__ import annotations

import asyncio
import json
import time
from functools import cache
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from somecapture.engine.state import CaptureState
from somecapture.messages import Msg
from somecapture.sites.base import script
from somecapture.thread.persons import Person, needles_for, persons_in

__all__ = ["MAX_BOXES", "locate_identities", "locate_persons", "screening_needles"]

#: the most boxes one page's result holds; beyond it the result says ``"capped": true``
MAX_BOXES = 20_000
#: the step's budget (the search itself takes well under a second on ordinary pages)
LOCATE_BUDGET_S = 15.0
#: time kept between the script's own deadline and the step's, for the answer to come back
_ANSWER_MARGIN_S = 1.5
#: kinds of hit the script reports
HIT_KINDS = frozenset({"name", "handle", "avatar", "link", "digits", "email", "text"})


async def locate_identities(page: Page, needles: list[dict[str, str]],
                            links: list[dict[str, str]], *,
                            viewport_height: int | None = None,
                            time_budget_s: float = 12.0) -> dict[str, Any]:
    """Find the persons' names, handles, avatars and profile links on ``page``.

    ``needles``: ``{"key", "kind", "text"}`` with kind ``name``, ``handle`` or ``text`` (a
    post's text, for ``--screen-text``; it may carry ``"id"``, the post's id, reported back
    as ``post_id``, and ``"within"``, the post's box ``[x, y, w, h]``, which a short text's
    occurrence must be in when it is there). ``links``: ``{"key", "url"}``, the persons'
    profile addresses. ``viewport_height``: the ordinary viewport's height (an adapter may
    have made the window taller for its screenshot); it bounds how far up from a name its
    post's avatar is looked for.

    Returns ``{"page_height", "page_width", "scroll_y", "hits", "needles_not_found", …}``
    where each hit is ``{"key", "kind", "match", "boxes": [[x, y, w, h], …]}`` in screenshot
    pixels; ``match`` is the text found, for ``digits`` and ``email`` (whose key is None).
    Also: ``capped`` (more than :data:`MAX_BOXES` boxes), ``incomplete`` (``"time"`` when
    the script stopped at its deadline), ``texts_not_found``, ``frames_skipped`` (frames of
    another origin, not searched), ``boxes`` and ``ms``. Playwright errors are raised.
    """
    cfg = {
        "needles": needles,
        "links": links,
        "viewport_height": viewport_height,
        "time_budget_ms": int(max(0.5, time_budget_s) * 1000),
        "max_boxes": MAX_BOXES,
    }
    # as JSON text both ways: Playwright's own serialisation of thousands of small objects
    # takes a second or more on a large thread, a string a few milliseconds
    answer = await page.evaluate(_wrapped(), json.dumps(cfg))
    raw = json.loads(answer) if isinstance(answer, str) else {}
    return _checked(raw if isinstance(raw, dict) else {})


@cache
def _wrapped() -> str:
    """identities.js taking and giving JSON text."""
    return f"(cfgText) => JSON.stringify(({script('identities.js').strip().rstrip(';')})" \
           "(JSON.parse(cfgText)))"


def _checked(raw: dict[str, Any]) -> dict[str, Any]:
    """The script's answer with every box made of four ints and unknown kinds left out."""
    hits: list[dict[str, Any]] = []
    for hit in raw.get("hits") or []:
        if not isinstance(hit, dict) or hit.get("kind") not in HIT_KINDS:
            continue
        boxes = [[int(v) for v in box[:4]] for box in hit.get("boxes") or []
                 if isinstance(box, list) and len(box) >= 4]
        if not boxes:
            continue
        key = hit.get("key")
        clean: dict[str, Any] = {
            "key": str(key) if key is not None else None,
            "kind": hit["kind"],
            "match": str(hit["match"]) if hit.get("match") is not None else None,
            "boxes": boxes,
        }
        for extra in ("post_id", "partial"):
            if extra in hit:
                clean[extra] = hit[extra]
        if isinstance(hit.get("keys"), list):
            clean["keys"] = [str(k) for k in hit["keys"] if k is not None]
        hits.append(clean)
    out: dict[str, Any] = {
        "page_height": int(raw.get("page_height") or 0),
        "page_width": int(raw.get("page_width") or 0),
        "scroll_y": int(raw.get("scroll_y") or 0),
        "hits": hits,
        "needles_not_found": [str(k) for k in raw.get("needles_not_found") or []],
        "texts_not_found": [str(k) for k in raw.get("texts_not_found") or []],
        "boxes": sum(len(h["boxes"]) for h in hits),
        "capped": bool(raw.get("capped")),
        "incomplete": raw.get("incomplete") or None,
        "frames_skipped": int(raw.get("frames_skipped") or 0),
        "large_links_skipped": int(raw.get("large_links_skipped") or 0),
        "text_chars": int(raw.get("text_chars") or 0),
        "ms": int(raw.get("ms") or 0),
        "timings": {str(k): int(v) for k, v in (raw.get("timings") or {}).items()
                    if isinstance(v, int | float)},
    }
    return out


def _box(value: Any) -> list[int] | None:
    """A post's ``screenshot_box`` dict as ``[x, y, w, h]``."""
    if not isinstance(value, dict):
        return None
    try:
        return [int(value[k]) for k in ("x", "y", "width", "height")]
    except (KeyError, TypeError, ValueError):
        return None


def screening_needles(thread: dict[str, Any], persons: list[Person]
                      ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The needles and links the page is searched for: every person's names and handles
    (:func:`~somecapture.thread.persons.needles_for`), then the text of every post shown on
    the page (kind ``text``, keyed by its author, with the post's id and box), and the
    persons' profile addresses."""
    needles: list[dict[str, Any]] = list(needles_for(persons))
    author_of = {pid: p.key for p in persons for pid in p.post_ids}
    root = thread.get("root") or {}
    # the root too: a thread opened by a private person is screened with --screen-text as well
    for post in ([root] if root else []) + [r for r in thread.get("replies") or [] if r]:
        text, pid = post.get("text"), post.get("id")
        if not (isinstance(text, str) and text.strip()) or pid is None:
            continue
        if post.get("shown_on_page") is False:
            continue  # only in the data the page received: not on the screenshot
        key = author_of.get(str(pid))
        if key is None:
            continue
        needle: dict[str, Any] = {"key": key, "kind": "text", "text": text, "id": str(pid)}
        box = _box(post.get("screenshot_box"))
        if box is not None:
            needle["within"] = box
        needles.append(needle)
    links = [{"key": p.key, "url": url} for p in persons for url in p.urls]
    return needles, links


async def locate_persons(s: CaptureState, budget: float) -> Msg:
    """Step body (``locate-persons``): search the open page for the merged thread's persons
    and keep the result in ``s.identities``. Never raises for the page's or the search's
    trouble (kept as ``{"error": …}``, a catalogue message the screened variant's problem
    quotes); the step's message is its summary (``step.result.persons.*``)."""
    started = time.monotonic()
    if not s.options.record.screened_variant:
        s.identities = {"persons": 0}
        return Msg("step.result.persons.no_variant")
    if s.screenshot is None or s.page is None:
        s.identities = {"persons": 0}
        return Msg("step.result.persons.no_screenshot")
    persons = persons_in(s.thread)
    if not persons:
        s.identities = {"persons": 0}
        return Msg("step.result.persons.none")
    if s.crashed or s.hung:
        s.identities = {"error": Msg("persons.error.not_responding"), "persons": len(persons)}
        return Msg("step.result.persons.not_searched", persons=len(persons),
                   why=s.identities["error"])
    needles, links = screening_needles(s.thread, persons)
    if not s.options.record.screen_text:
        # the posts' texts are searched only to be masked (--screen-text): their boxes must
        # not take the room of the names' under the box cap
        needles = [n for n in needles if n.get("kind") != "text"]
    left = max(0.5, budget - (time.monotonic() - started))
    try:
        async with asyncio.timeout(left):
            found = await locate_identities(
                s.page, needles, links, viewport_height=s.options.viewport_height_px,
                time_budget_s=max(0.5, left - _ANSWER_MARGIN_S))
    except TimeoutError:
        s.identities = {"error": Msg("persons.error.out_of_time", seconds=round(left)),
                        "persons": len(persons)}
        return Msg("step.result.persons.failed", persons=len(persons),
                   why=s.identities["error"])
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        s.identities = {"error": Msg("error.browser_step", detail=first[:200]),
                        "persons": len(persons)}
        return Msg("step.result.persons.failed", persons=len(persons),
                   why=Msg("persons.error.browser_short"))
    except Exception as exc:  # noqa: BLE001 - a bug here must not cost the capture
        s.log_failure("searching the page for persons failed for", exc)
        s.identities = {"error": Msg("persons.error.bug", kind=type(exc).__name__),
                        "persons": len(persons)}
        return Msg("step.result.persons.failed", persons=len(persons),
                   why=Msg("persons.error.bug_short"))
    if found.get("incomplete"):
        # names not searched for are names not masked: the variant cannot rest on this
        found["error"] = Msg("persons.error.incomplete")
    located = {h["key"] for h in found["hits"] if h["key"] is not None
               and h["kind"] in ("name", "handle", "link", "avatar")}
    found["persons"] = len(persons)
    found["located"] = len(located & {p.key for p in persons})
    found["screenshot_page_height"] = s.screenshot.page_height_px
    s.identities = found
    return Msg("step.result.persons.found", persons=len(persons), located=found["located"],
               boxes=found["boxes"], ms=found["ms"], capped="yes" if found["capped"] else "no",
               incomplete="yes" if found.get("incomplete") else "no")
