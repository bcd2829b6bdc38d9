"""Generic reader of the rendered page (issue 15, third source).

Runs ``resources/sites/js/reader.js`` in the page: it finds the repeated blocks that make up a
thread (a shape of element recurring with author evidence, a time stamp and body text), takes
the root post (see :class:`ReaderResult` for the order of the rules: the block whose permalink
is the canonical / OpenGraph URL; a first block that says it is post 1; a differently shaped
post before the blocks; the first block when it plausibly opens the thread; else the page's own
metadata, every block then a reply) and the nesting (DOM containment, a "children" container
after the parent, or indentation), and gives each post a box on the full-page screenshot. It
knows no site: it is meant for platforms and forums no adapter was written for, and as a
cross-check of the adapters' own extract.

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
from somecapture.thread.reconcile import PAGE_METADATA

#: ``ThreadPost.source`` of every post this reader gives (one of
#: :data:`somecapture.thread.reconcile.PAGE_SOURCES`).
SOURCE = "page-reader"
#: ``ThreadPost.source`` of a root that stands for the page, not a post read from it: the
#: reader found no block that opens the thread and took the page's own metadata (og:title /
#: ``<title>``, og:description, the canonical address). It has no author, and a time only when
#: the page declares one (``article:published_time``). Reconciliation lets any real root
#: replace it.
METADATA_SOURCE = PAGE_METADATA


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
    ``container_selector`` is a CSS selector for the chosen block shapes. ``root_match`` says
    how the root was chosen, in the order the rules are tried:

    - ``canonical``, ``og:url``, ``page_url``, ``location``: the block whose permalink is that
      address;
    - ``first``: the first block, because it says it is post 1 ("#1"), or because it plausibly
      opens the thread (rule 4 below did not find the page to be a later page of it or a list
      of comments);
    - ``preceding``: a post before the blocks that is none of them (a story above its
      comments, a question above its answers, the article above its comment list), read like
      a block; a thread header repeating the first block's author and time, the first block's
      own author cell, lists, sidebars and navigation are not taken;
    - ``metadata``: none of the above; the first block was not taken because the page is a
      later page of the thread (rel=prev, a paginator on a page above 1, a post number above
      1) or because the top-level blocks are peers (their replies nest in blocks of their own
      shape: comments on something the page does not show as a block). The root then stands
      for the page (:data:`METADATA_SOURCE`) and every block is a reply.

    ``root_why`` says, in words, why the first block was not the root (or why it was: "post
    #1"); ``nesting`` where the parents came from (``dom``, ``indentation``, ``none``);
    ``candidates`` are the best-scored shapes, for diagnostics. A root from ``preceding`` or
    ``metadata`` is no block: ``blocks_seen`` does not count it, and a ``metadata`` root has
    no box.
    """

    root: ThreadPost | None
    replies: tuple[ThreadPost, ...]
    ancestors: tuple[ThreadPost, ...]
    blocks_seen: int
    boxes: dict[str, Box] = field(default_factory=dict)
    depths: dict[str, int] = field(default_factory=dict)
    container_selector: str | None = None
    root_match: str | None = None
    root_why: tuple[str, ...] = ()
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


def _post(raw: dict[str, Any], source: str = SOURCE) -> ThreadPost:
    """A ThreadPost from one post object of reader.js."""
    return ThreadPost(
        id=str(raw.get("id")),
        source=source,
        url=_str(raw.get("url")),
        author=_str(raw.get("author")),
        handle=_str(raw.get("handle")),
        author_url=_str(raw.get("author_url")),
        published_at=_published_at(raw),
        published_text=_str(raw.get("published_text")),
        published_raw=_raw_stamp(raw),
        text=normalise_text(_str(raw.get("text"))),
        title=_str(raw.get("title")),
        parent_id=_str(raw.get("parent_id")),
    )


def _raw_stamp(raw: dict[str, Any]) -> str | None:
    """The stamp's machine value or tooltip, when it is not what the page shows anyway."""
    value = _str(raw.get("published_raw"))
    return value if value and value != _str(raw.get("published_text")) else None


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
    root_match = _str(data.get("root_match"))
    root_source = METADATA_SOURCE if root_match == "metadata" else SOURCE
    root = _post(root_raw, root_source) if isinstance(root_raw, dict) else None
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
        root_match=root_match,
        root_why=tuple(w for w in data.get("root_why") or [] if isinstance(w, str)),
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
