"""Generic reader of the rendered page (issue 15, third source).

Runs ``resources/sites/js/reader.js`` in the page: it finds the repeated blocks that make up a
thread (a shape of element recurring with author evidence, a time stamp and body text), takes
the root post (the block whose permalink is the canonical / OpenGraph URL, else the first) and
the nesting (DOM containment, a "children" container after the parent, or indentation), and
gives each post a box on the full-page screenshot. It knows no site: it is meant for platforms
and forums no adapter was written for, and as a cross-check of the adapters' own extract.

The engine calls :func:`read_rendered_thread` in its extract step and merges the result with
the platform-data and markup sources (:mod:`somecapture.thread`); ``blocks_seen`` is the
completeness verdict's count of reply-like blocks the page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from playwright.async_api import Page

from somecapture.sites.base import script
from somecapture.thread.post import ThreadPost, normalise_text, parse_time

#: ``ThreadPost.source`` of every post this reader gives (one of
#: :data:`somecapture.thread.reconcile.PAGE_SOURCES`).
SOURCE = "page-reader"


@dataclass(frozen=True)
class Box:
    """Where a post is on the full-page screenshot: document coordinates in CSS pixels."""

    x: int
    y: int
    width: int
    height: int

    def to_json(self) -> dict[str, int]:
        """``{"x", "y", "width", "height"}``."""
        return {"x": self.x, "y": self.y, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class ReaderResult:
    """What the generic reader found on one rendered page.

    ``root`` is ``None`` when no thread-like blocks were found. ``replies`` are in page order;
    a reply's ``parent_id`` is the post it sits under (the root for top-level replies).
    ``ancestors`` are posts above a root matched by URL that are not nested in it (the
    conversation the root answers). ``blocks_seen`` counts the reply-like blocks found
    (replies plus ancestors, the root excluded). ``boxes`` maps post id to its box.
    ``container_selector`` is a CSS selector for the chosen block shapes, ``root_match`` says
    how the root was chosen (``canonical``, ``og:url``, ``page_url``, ``location`` or
    ``first``), ``nesting`` where the parents came from (``dom``, ``indentation``, ``none``);
    ``candidates`` are the best-scored shapes, for diagnostics.
    """

    root: ThreadPost | None
    replies: tuple[ThreadPost, ...]
    ancestors: tuple[ThreadPost, ...]
    blocks_seen: int
    boxes: dict[str, Box] = field(default_factory=dict)
    depths: dict[str, int] = field(default_factory=dict)
    container_selector: str | None = None
    root_match: str | None = None
    nesting: str = "none"
    hidden_blocks: int = 0
    candidates: tuple[dict[str, Any], ...] = ()
    elapsed_ms: int = 0

    def posts(self) -> list[ThreadPost]:
        """The root (when found) followed by the replies."""
        return ([self.root] if self.root is not None else []) + list(self.replies)

    def page_source(self) -> tuple[ThreadPost | None, list[tuple[ThreadPost, dict[str, Any]]]]:
        """The result as one of :func:`~somecapture.thread.reconcile.reconcile`'s page
        sources: the root and, per reply in page order, the reply with its
        ``screenshot_box`` and ``depth``."""
        items: list[tuple[ThreadPost, dict[str, Any]]] = []
        for reply in self.replies:
            box = self.boxes.get(reply.id)
            items.append((reply, {"screenshot_box": box.to_json() if box else None,
                                  "depth": self.depths.get(reply.id)}))
        return self.root, items


def _str(value: Any) -> str | None:
    """A non-empty string, or ``None``."""
    if isinstance(value, str) and value.strip():
        return value
    return None


def _published_at(raw: dict[str, Any]) -> str | None:
    """RFC 3339 UTC of the post's stamp, only when the stamp fixes the instant.

    The script gives ``published_at`` only for stamps with a zone or an epoch; re-parsed here
    so every source writes the same form. A stamp without a zone stays ``None``: its local
    time is not known, and nothing is guessed.
    """
    return parse_time(raw.get("published_at")) if _str(raw.get("published_at")) else None


def _post(raw: dict[str, Any]) -> ThreadPost:
    """A ThreadPost from one post object of reader.js."""
    return ThreadPost(
        id=str(raw.get("id")),
        source=SOURCE,
        url=_str(raw.get("url")),
        author=_str(raw.get("author")),
        handle=_str(raw.get("handle")),
        author_url=_str(raw.get("author_url")),
        published_at=_published_at(raw),
        published_text=_str(raw.get("published_text")),
        text=normalise_text(_str(raw.get("text"))),
        parent_id=_str(raw.get("parent_id")),
    )


def _box(raw: Any) -> Box | None:
    """A Box from ``{"x", "y", "width", "height"}``, or ``None`` when malformed."""
    if not isinstance(raw, dict):
        return None
    try:
        return Box(int(raw["x"]), int(raw["y"]), int(raw["width"]), int(raw["height"]))
    except (KeyError, TypeError, ValueError):
        return None


def parse_reader_output(data: dict[str, Any]) -> ReaderResult:
    """The typed result of reader.js's JSON (separate from the browser call for testing)."""
    posts_raw: list[dict[str, Any]] = []
    root_raw = data.get("root")
    root = _post(root_raw) if isinstance(root_raw, dict) else None
    if isinstance(root_raw, dict):
        posts_raw.append(root_raw)
    replies = []
    for item in data.get("replies") or []:
        if isinstance(item, dict):
            replies.append(_post(item))
            posts_raw.append(item)
    ancestors = []
    for item in data.get("ancestors") or []:
        if isinstance(item, dict):
            ancestors.append(_post(item))
            posts_raw.append(item)
    boxes: dict[str, Box] = {}
    depths: dict[str, int] = {}
    for item in posts_raw:
        box = _box(item.get("box"))
        if box is not None:
            boxes[str(item.get("id"))] = box
        if isinstance(item.get("depth"), int):
            depths[str(item.get("id"))] = int(item["depth"])
    candidates = tuple(c for c in data.get("candidates") or [] if isinstance(c, dict))
    return ReaderResult(
        root=root,
        replies=tuple(replies),
        ancestors=tuple(ancestors),
        blocks_seen=int(data.get("blocks_seen") or 0),
        boxes=boxes,
        depths=depths,
        container_selector=_str(data.get("container_selector")),
        root_match=_str(data.get("root_match")),
        nesting=_str(data.get("nesting")) or "none",
        hidden_blocks=int(data.get("hidden_blocks") or 0),
        candidates=candidates,
        elapsed_ms=int(data.get("ms") or 0),
    )


async def read_rendered_thread(page: Page, page_url: str) -> ReaderResult:
    """Read the thread the rendered ``page`` shows with the generic reader.

    ``page_url`` is the address the capture asked for: a post whose permalink is that URL
    (or the page's canonical / ``og:url``) is the root. Works with the page's own JavaScript
    switched off too (the script uses no DOM callbacks). Raises Playwright's errors when the
    page is gone; an empty page gives an empty result.
    """
    data: dict[str, Any] = await page.evaluate(script("reader.js"), {"page_url": page_url})
    return parse_reader_output(data)


def safe_reader_result(result: ReaderResult, safe: Callable[[str], str]) -> ReaderResult:
    """``result`` with every URL made safe to store (``safe``: the capture's redaction of
    token-like query values, e.g. an account id in a logged-in page's links)."""

    def clean(post: ThreadPost | None) -> ThreadPost | None:
        if post is None:
            return None
        return replace(post, url=safe(post.url) if post.url else post.url,
                       author_url=safe(post.author_url) if post.author_url else post.author_url)

    return replace(
        result,
        root=clean(result.root),
        replies=tuple(p for p in map(clean, result.replies) if p is not None),
        ancestors=tuple(p for p in map(clean, result.ancestors) if p is not None),
    )
