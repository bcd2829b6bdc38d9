"""The platform's own thread data, read back from the traffic a capture recorded (issue 15).

:func:`thread_data_from_warc` runs every recorded JSON response of a WARC through
:func:`~somecapture.thread.platform_data.parse_response`; :func:`merge_thread_data` joins the
pieces (a status and its ``/context``, a comment page and its "more" pages) into one thread.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from somecapture.thread.platform_data import MAX_BODY_BYTES, looks_like_json, parse_response
from somecapture.thread.post import ThreadData, ThreadPost

# A response record also holds its HTTP header block; allow for it above the body cap.
_HEADER_ALLOWANCE = 256 * 1024


def thread_data_from_warc(path: Path) -> list[ThreadData]:
    """Thread data from every successful JSON response recorded in the WARC at ``path``, in
    record order. Other records, non-JSON and oversized bodies are skipped without being
    read; a damaged WARC yields what was read before the damage."""
    found: list[ThreadData] = []
    with open(path, "rb") as stream:  # a missing file is the caller's error: let it raise
        try:
            for record in ArchiveIterator(stream):
                data = _record_thread_data(record)
                if data is not None:
                    found.append(data)
        except (ArchiveLoadFailed, OSError, ValueError, EOFError):
            # warcio reports a truncated or corrupt file as one of these; keep what came before
            pass
    return found


def _record_thread_data(record: Any) -> ThreadData | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    if not status.startswith("2"):
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    length = record.length or 0
    if length > MAX_BODY_BYTES + _HEADER_ALLOWANCE:
        return None
    # the content type alone rules most records out before any byte of the body is read
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and "json" not in media_type and media_type not in (
        "text/plain", "application/octet-stream"
    ):
        return None
    # this project's recorder stores bodies decoded, without Content-Encoding; a WARC from
    # elsewhere may still carry it, and warcio's content_stream undoes it then
    if record.http_headers.get_header("Content-Encoding"):
        body = record.content_stream().read(MAX_BODY_BYTES + 1)
    else:
        body = record.raw_stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES or not looks_like_json(content_type, body):
        return None
    return parse_response(url, content_type, body)


# --- merging ------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == {} or value == []


def _fill(old: ThreadPost, new: ThreadPost) -> ThreadPost:
    """``old`` with its empty fields taken from ``new``; a filled field is never replaced."""
    changes: dict[str, Any] = {}
    for field in dataclasses.fields(ThreadPost):
        if field.name == "counts":
            continue
        if _empty(getattr(old, field.name)) and not _empty(getattr(new, field.name)):
            changes[field.name] = getattr(new, field.name)
    missing_counts = {k: v for k, v in new.counts.items() if k not in old.counts}
    if missing_counts:
        changes["counts"] = {**old.counts, **missing_counts}
    return dataclasses.replace(old, **changes) if changes else old


def _parents_first(posts: list[ThreadPost]) -> list[ThreadPost]:
    """Keep the given order, except that a post whose parent is present but comes later
    waits for it (so ancestors fetched after the status still precede it)."""
    present = {p.id for p in posts}
    emitted: set[str] = set()
    waiting: dict[str, list[ThreadPost]] = {}
    out: list[ThreadPost] = []

    def emit(post: ThreadPost) -> None:
        stack = [post]
        while stack:
            current = stack.pop()
            if current.id in emitted:
                continue
            emitted.add(current.id)
            out.append(current)
            stack.extend(reversed(waiting.pop(current.id, [])))

    for post in posts:
        parent = post.parent_id
        if parent and parent in present and parent not in emitted and parent != post.id:
            waiting.setdefault(parent, []).append(post)
        else:
            emit(post)
    # a parent cycle in odd data: keep those posts rather than lose them
    for group in list(waiting.values()):
        for post in group:
            emit(post)
    return out


def norm_url(url: str | None) -> str | None:
    """A URL as a comparable key: host without www./mobile. (twitter.com is x.com), path
    without trailing slash, lower case; no scheme, query or fragment."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("mobile.")
    if host == "twitter.com":
        host = "x.com"
    return f"{host}{unquote(parts.path).rstrip('/')}".lower()


def url_keys(page_url: str) -> list[str]:
    """Path segments and query values of the page URL, in order: where a post id appears."""
    try:
        parts = urlsplit(page_url)
    except ValueError:
        return []
    keys = [unquote(s) for s in parts.path.split("/") if s]
    for values in parse_qs(parts.query).values():
        keys.extend(values)
    return keys


def _id_keys(post_id: str) -> set[str]:
    # at://did/app.bsky.feed.post/<rkey> and ActivityPub URLs end in the id the page shows
    return {post_id, post_id.rstrip("/").rsplit("/", 1)[-1]}


def _pick_root(posts: list[ThreadPost], parts: list[ThreadData], page_url: str) -> str | None:
    page = norm_url(page_url)
    for post in posts:
        if page and page in (norm_url(post.url), norm_url(post.id)):
            return post.id
    # an id that is a segment of the page URL (the last such segment wins: a comment
    # permalink names the post and then the comment the page is about); short numeric ids
    # (forum post numbers) are too easily a coincidence
    keys = url_keys(page_url)
    best: tuple[int, str] | None = None
    for post in posts:
        for key in _id_keys(post.id):
            if len(key) >= 6 and key in keys:
                position = len(keys) - 1 - keys[::-1].index(key)
                if best is None or position > best[0]:
                    best = (position, post.id)
    if best is not None:
        return best[1]
    ids = {p.id for p in posts}
    for part in parts:
        if part.root is not None and part.root.id in ids:
            return part.root.id
        if part.focal_id and part.focal_id in ids:
            return part.focal_id
    orphans = [p for p in posts if not p.parent_id]
    if len(orphans) == 1 and any(p.parent_id == orphans[0].id for p in posts):
        return orphans[0].id
    return None


def _signature(part: ThreadData) -> tuple[Any, ...]:
    return (part.source, tuple(p.id for p in part.posts()), part.not_loaded, part.continuations)


def _still_missing(parts: list[ThreadData]) -> tuple[int, int]:
    """(replies still not loaded, pieces that followed a continuation).

    A piece's ``not_loaded`` counts replies to its own posts that it lacks; a reply found in
    another piece whose parent is one of this piece's posts fills one of them. A piece with
    such replies answered a continuation of an earlier piece.
    """
    ids = [{p.id for p in part.posts()} for part in parts]
    not_loaded = 0
    followups = 0
    for index, part in enumerate(parts):
        found_elsewhere = {
            post.id
            for other_index, other in enumerate(parts)
            if other_index != index
            for post in other.posts()
            if post.parent_id in ids[index] and post.id not in ids[index]
        }
        not_loaded += max(0, part.not_loaded - len(found_elsewhere))
        if any(
            post.parent_id and post.parent_id not in ids[index]
            and any(post.parent_id in ids[o] for o in range(len(parts)) if o != index)
            for post in part.posts()
        ):
            followups += 1
    return not_loaded, followups


def merge_thread_data(parts: list[ThreadData], page_url: str) -> ThreadData | None:
    """One thread from the pieces read from several responses; ``None`` when there are none.

    Posts are merged by id: a later piece fills fields an earlier one left empty and never
    empties a filled one. Order is the order of first appearance, parents before their
    replies. The root is the post whose permalink or id the page URL names, else the root or
    focal post a piece declared, else the single post without a parent that has replies.

    The same response recorded twice counts once. ``not_loaded`` and ``continuations`` are
    estimates across pieces: see :func:`_still_missing`.
    """
    distinct: list[ThreadData] = []
    seen: set[tuple[Any, ...]] = set()
    for part in parts:
        signature = _signature(part)
        if signature not in seen:
            seen.add(signature)
            distinct.append(part)
    if not distinct:
        return None
    merged: dict[str, ThreadPost] = {}
    order: list[str] = []
    for part in distinct:
        for post in part.posts():
            if post.id in merged:
                merged[post.id] = _fill(merged[post.id], post)
            else:
                merged[post.id] = post
                order.append(post.id)
    posts = _parents_first([merged[i] for i in order])
    root_id = _pick_root(posts, distinct, page_url)
    root = merged.get(root_id) if root_id else None
    reported: dict[str, int] = {}
    for part in distinct:
        for key, value in part.reported.items():
            reported.setdefault(key, value)
    not_loaded, followups = _still_missing(distinct)
    sources = list(dict.fromkeys(p.source for p in distinct))
    platforms = list(dict.fromkeys(p.platform for p in distinct))
    focal = next((p.focal_id for p in distinct if p.focal_id), None)
    # the post the focal one answers, where a response names it without holding the focal
    # post (Mastodon /context beside a status response that may lack in_reply_to_id)
    focal_parent = next((p.focal_parent_id for p in distinct
                         if p.focal_parent_id and p.focal_id == (root_id or focal)), None)
    if root is not None and focal_parent and not root.parent_id:
        root = dataclasses.replace(root, parent_id=focal_parent)
    return ThreadData(
        platform=platforms[0] if len(platforms) == 1 else "+".join(platforms),
        source="+".join(sources),
        root=root,
        replies=tuple(p for p in posts if p.id != root_id),
        focal_id=root_id or focal,
        focal_parent_id=focal_parent,
        reported=reported,
        not_loaded=not_loaded,
        continuations=max(0, sum(p.continuations for p in distinct) - followups),
    )


__all__ = ["merge_thread_data", "thread_data_from_warc"]
