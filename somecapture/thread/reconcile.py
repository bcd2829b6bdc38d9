"""One thread from several sources, and an honest verdict on how much of it could be read.

Sources, each a list of :class:`~somecapture.thread.post.ThreadPost`:

- what the page shows: the site adapter's selectors (``page-selectors``) and the generic reader
  of the rendered page (``page-reader``); they give page order and screenshot boxes;
- the platform's own data in the recorded responses (``mastodon-api``, ``x-graphql-…``);
- standard markup in the final HTML (``json-ld``, ``microdata``, ``microformats2``,
  ``opengraph``).

The source whose posts can best be read is the base; the others fill what it lacks, post by
post, matched by id, permalink or text. Posts only the data holds are added after the page's
own (they were recorded, even if the page did not show them). Every post says which source
gave each of its fields.

The verdict counts the replies the page shows and those that could be read (author and text):
fewer read than shown is said in plain words, and the capture becomes PARTIAL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlsplit

from somecapture.thread.markup import MarkupThread
from somecapture.thread.post import ThreadData, ThreadPost

#: fields a source can fill, in the order they are reported
FIELDS = ("author", "handle", "published_at", "text", "url", "parent_id", "media")
#: the sources that read the page as the archivist sees it
PAGE_SOURCES = ("page-selectors", "page-reader")
#: a text shorter than this matches only together with its author
_SHORT_TEXT = 24
_TRUNCATION = re.compile(r"(\s*(…|\.\.\.)\s*)?(se mer|vis mer|sjå meir|see more|show more|"
                         r"read more|mehr anzeigen|mer)?\s*$", re.IGNORECASE)


@dataclass
class _Post:
    """A post while sources are merged into it."""

    post: ThreadPost
    #: which source gave each field
    sources: dict[str, str]
    #: shown on the page (from a page source, or matched to one)
    seen: bool
    box: dict[str, Any] | None = None
    #: ids this post is known by in each source (to translate parent ids)
    aliases: set[str] = field(default_factory=set)
    #: what the page source said beyond the common fields (adapters add their own, e.g.
    #: where the reply's parent came from); kept as it was
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reconciled:
    """The merged thread as the package metadata carries it, and the verdict."""

    root: dict[str, Any] | None
    replies: list[dict[str, Any]]
    #: replies the page shows (the most any page source saw)
    visible: int
    #: replies shown on the page that have an author and a text
    readable_visible: int
    #: replies per source that contributed
    sources: dict[str, int]
    #: plain-word warnings (the capture becomes PARTIAL)
    warnings: tuple[str, ...] = ()


def posts_from_extract(data: dict[str, Any] | None, source: str = "page-selectors"
                       ) -> tuple[ThreadPost | None, list[tuple[ThreadPost, Any]]]:
    """The site adapter's extract (``extract.js``) as posts, each reply with its original
    dict (screenshot box and the adapter's own fields)."""
    if not data:
        return None, []
    root = _from_dict(data.get("root"), source, "root")
    replies = []
    for index, item in enumerate(data.get("replies") or []):
        post = _from_dict(item, source, f"reply-{index + 1}")
        if post is not None:
            replies.append((post, item))
    return root, replies


def from_markup(markup: MarkupThread) -> ThreadData:
    """The thread a page declares in standard markup, as one more data source."""
    return ThreadData(platform="web", source="markup", root=markup.root,
                      replies=tuple(markup.replies))


def _from_dict(item: Any, source: str, fallback_id: str) -> ThreadPost | None:
    if not isinstance(item, dict):
        return None

    def text(key: str) -> str | None:
        value = item.get(key)
        return value.strip() or None if isinstance(value, str) else None

    media = tuple({"type": str(m.get("type") or "image"), "url": str(m["url"]),
                   "alt": m.get("alt")}
                  for m in item.get("media") or [] if isinstance(m, dict) and m.get("url"))
    return ThreadPost(
        id=str(item.get("id") or fallback_id), source=source, url=text("url"),
        author=text("author"), handle=text("handle"), published_at=text("published_at"),
        text=text("text"), title=text("title"), media=media,
        parent_id=text("parent_id"),
        counts={k: v for k, v in (item.get("counts") or {}).items() if isinstance(v, int)},
    )


def reconcile(
    page_url: str,
    page_sources: Iterable[tuple[ThreadPost | None, list[tuple[ThreadPost, Any]]]],
    data_sources: Iterable[ThreadData],
    *,
    page_blocks: int = 0,
) -> Reconciled:
    """Merge the sources into one thread and judge what could be read.

    ``page_sources``: (root, [(reply, its page dict)]) from each page source, in page order;
    the page dict's ``screenshot_box`` and any fields of the adapter's own are kept.
    ``data_sources``: the platform's data and the markup, as :class:`ThreadData`.
    ``page_blocks``: reply-like blocks the generic reader saw on the page (may exceed what it
    could read).
    """
    pages = [p for p in page_sources if p[0] is not None or p[1]]
    datas = [d for d in data_sources if d.root is not None or d.replies]
    visible = max([page_blocks, *(len(replies) for _root, replies in pages)])
    # the base: the page source whose replies can best be read (page order, boxes)
    pages.sort(key=lambda p: -sum(1 for r, _b in p[1] if r.author and r.text))
    root: _Post | None = None
    replies: list[_Post] = []
    for index, (p_root, p_replies) in enumerate(pages):
        incoming = [_Post(r, dict.fromkeys(_filled(r), r.source), True,
                          (item or {}).get("screenshot_box"), {r.id}, dict(item or {}))
                    for r, item in p_replies]
        root = _merge_root(root, p_root, seen=True)
        if index == 0:
            replies = incoming
        else:
            _merge_into(replies, incoming, add_unmatched=False)
    for data in datas:
        root = _merge_root(root, data.root, seen=False)
        incoming = [_Post(r, dict.fromkeys(_filled(r), r.source), False, None, {r.id})
                    for r in data.replies]
        _merge_into(replies, incoming, add_unmatched=True)
    # a reply the root's aliases point at is the root itself (ancestors, focal post twice)
    if root is not None:
        replies = [r for r in replies if not (r.aliases & root.aliases)]
    _translate_parents(root, replies)
    readable_visible = sum(1 for r in replies if r.seen and r.post.author and r.post.text)
    counts: dict[str, int] = {}
    for r in replies:
        for source in set(r.sources.values()):
            counts[source] = counts.get(source, 0) + 1
    warnings = []
    if visible and readable_visible < visible:
        warnings.append(
            f"{readable_visible} of {visible} replies shown on the page could be read (author "
            "and text); the rest are in the WARC and the screenshot.")
    return Reconciled(
        root=_to_json(root) if root is not None else None,
        replies=[_to_json(r) for r in replies],
        visible=visible,
        readable_visible=readable_visible,
        sources=counts,
        warnings=tuple(warnings),
    )


# -- matching ---------------------------------------------------------------------------------
def _filled(post: ThreadPost) -> list[str]:
    return [f for f in FIELDS if getattr(post, f)]


def _norm_text(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _TRUNCATION.sub("", text)
    return re.sub(r"[\W_]+", " ", text).strip()


def _norm_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    if not host:
        return None
    return f"{host}{unquote(parts.path).rstrip('/')}".lower()


def _id_keys(post: ThreadPost) -> set[str]:
    keys = {post.id}
    tail = post.id.rstrip("/").rsplit("/", 1)[-1]
    keys.add(tail)
    # reddit's t1_/t3_ kinds, "comment-123" anchors: the platform's own number is the key
    keys.update(m for m in re.findall(r"[0-9a-z]{5,}", tail.lower()) if any(c.isdigit()
                                                                            for c in m))
    return {k for k in keys if len(k) >= 5}


def _same(a: ThreadPost, b: ThreadPost) -> bool:
    """Whether two sources' posts are the same post."""
    # the same id in two sources is the same post; parts of ids (a number inside
    # "comment-48213") only when long enough not to meet by chance
    if a.id == b.id or _id_keys(a) & _id_keys(b):
        return True
    ua, ub = _norm_url(a.url), _norm_url(b.url)
    if ua and ua == ub:
        return True
    ta, tb = _norm_text(a.text), _norm_text(b.text)
    if not ta or not tb:
        return False
    short, long = sorted((ta, tb), key=len)
    if not long.startswith(short):
        return False
    if len(short) >= _SHORT_TEXT:
        return True
    # a short text ("Takk!") is a match only from the same author
    return bool(a.author and b.author and _norm_text(a.author) == _norm_text(b.author))


def _fill(target: _Post, other: ThreadPost) -> None:
    """Fill what ``target`` lacks from ``other``; a fuller text replaces a cut one."""
    post = target.post
    changes: dict[str, Any] = {}
    for name in FIELDS:
        mine, theirs = getattr(post, name), getattr(other, name)
        if theirs and not mine:
            changes[name] = theirs
            target.sources[name] = other.source
    if post.text and other.text and len(other.text) > len(post.text) and \
            _norm_text(other.text).startswith(_norm_text(post.text)) and \
            _norm_text(other.text) != _norm_text(post.text):
        # the page shows the start and "see more"; the data has the whole text
        changes["text"] = other.text
        target.sources["text"] = other.source
    if changes:
        target.post = replace(post, **changes)
    target.aliases.add(other.id)


def _merge_root(root: _Post | None, other: ThreadPost | None, *, seen: bool) -> _Post | None:
    if other is None:
        return root
    if root is None:
        return _Post(other, dict.fromkeys(_filled(other), other.source), seen, None, {other.id})
    _fill(root, other)
    return root


def _merge_into(base: list[_Post], incoming: list[_Post], *, add_unmatched: bool) -> None:
    for item in incoming:
        match = next((b for b in base if _same(b.post, item.post)), None)
        if match is not None:
            _fill(match, item.post)
            match.seen = match.seen or item.seen
            if match.box is None:
                match.box = item.box
        elif add_unmatched:
            base.append(item)


def _translate_parents(root: _Post | None, replies: list[_Post]) -> None:
    """Parent ids from other sources become the ids the merged thread uses."""
    by_alias: dict[str, str] = {}
    for post in ([root] if root is not None else []) + replies:
        for alias in post.aliases:
            by_alias.setdefault(alias, post.post.id)
    root_id = root.post.id if root is not None else None
    for r in replies:
        parent = r.post.parent_id
        if parent is None:
            continue
        mapped = by_alias.get(parent)
        if mapped is None:
            # a parent nobody has (not loaded): the reply hangs from the root
            mapped = root_id
        if mapped != parent:
            r.post = replace(r.post, parent_id=mapped)


def _to_json(item: _Post) -> dict[str, Any]:
    out = {**item.extra, **item.post.to_json()}
    out["sources"] = dict(item.sources)
    if item.box is not None:
        out["screenshot_box"] = item.box
    return out
