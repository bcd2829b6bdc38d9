"""The platform's own data embedded in the page: JSON state in the final HTML (issue 15).

Many thread pages carry the data they were rendered from inside ``<script>`` elements: a
Redux store assigned to a global (``window.___r = {…}`` on "New Reddit"), a JSON block
(``<script type="application/json">``, ``<script id="__NEXT_DATA__">``, Disqus's
``<script type="text/json" id="disqus-threadData">``). Where the page's DOM lacks a field
(New Reddit shows no author name in a comment's markup), this state often has it.

:func:`read_embedded_state` finds such blocks, decodes them with a bounded effort and reads
the shapes it recognises into :class:`~somecapture.thread.post.ThreadData`:

* **New Reddit's Redux state**: ``comments.models`` keyed ``t1_…`` and ``posts.models`` keyed
  ``t3_…`` (``author``, ``created``, ``parentId``, ``permalink``, the body as
  ``media.richtextContent`` or ``bodyText``/``body``), in the order of
  ``commentsPage.keyToCommentThreadLinkSets``;
* **Disqus's thread data** (``{"cursor", "response": {"posts", "thread"}}``, the
  ``threads/listPostsThreaded`` response the embed is rendered from);
* any block that is, as a whole, a response :mod:`somecapture.thread.platform_data` already
  reads (a Reddit listing, a Mastodon status, an ActivityStreams object, a Discourse topic…).

Ids are the platform's own, in the form the page's DOM uses (``t1_abc``/``t3_xyz`` on New
Reddit, where the comment's wrapper has ``id="t1_abc"``), and permalinks are resolved against
the page's address as the browser resolved the page's links, so the reconciliation matches
these posts to the ones read from the page by id or permalink.

Pure function over a string: no browser, no network; never raises on odd input. Work is
bounded: scripts over :data:`MAX_SCRIPT_CHARS` are skipped, at most :data:`MAX_TOTAL_CHARS`
are decoded per page, and a few assignments are tried per script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

# the same tolerant accessors as the platform parsers (a dict, a list, a non-empty string)
from somecapture.thread.platform_data import _d, _l, _s, parse_data
from somecapture.thread.post import (
    Media,
    ThreadData,
    ThreadPost,
    html_to_text,
    normalise_text,
    parse_time,
)

SOURCE_EMBEDDED = "page-embedded-state"

#: A single script larger than this is an application bundle or a data dump, not a thread's
#: state (New Reddit's is ~100 KB, YouTube's ytInitialData a few MB); decoding it would only
#: cost memory and time.
MAX_SCRIPT_CHARS = 8 * 1024 * 1024
#: What is decoded per page at most, over all scripts.
MAX_TOTAL_CHARS = 32 * 1024 * 1024
#: Assignments tried per inline script (``a = {…}; b = {…}``): a bundle with many literals
#: must not make us decode it many times over.
MAX_ASSIGNMENTS = 8
#: Scripts looked at per page.
MAX_SCRIPTS = 500
#: Nesting followed in a rich-text document; real ones are a handful of levels deep.
_MAX_DEPTH = 64

# ``window.___r = {``, ``window["__STATE__"] = JSON.parse("…")``, ``var data = [`` …: the
# position after ``=`` is where a JSON value may start.
_ASSIGNMENT = re.compile(
    r"""(?:^|[;\s,(}])(?:(?:window|self|globalThis)\s*(?:\.\s*|\[\s*["']))?"""
    r"""[A-Za-z_$][\w$]*(?:["']\s*\])?(?:\s*\.\s*[A-Za-z_$][\w$]*)*\s*=(?!=)\s*"""
    r"""(JSON\.parse\(\s*)?(?=[\[{"])"""
)
# a JSON block some sites wrap for old XHTML parsers
_CDATA = re.compile(r"^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$")


# --- small tolerant accessors ----------------------------------------------------------


def _i(value: Any) -> int | None:
    """A non-negative int, else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if value >= 0 else None


def _epoch(value: Any) -> str | None:
    """An epoch stamp as RFC 3339 UTC. New Reddit gives posts in milliseconds and comments in
    seconds in the same state: a value past 10^11 (year 5138 in seconds, 1973 in
    milliseconds) is taken as milliseconds."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return parse_time(value / 1000 if value > 1e11 else value)


# --- finding and decoding the state ----------------------------------------------------


def _document(page: str) -> Any | None:
    """The parsed page, or None when it is not HTML lxml can read."""
    if not page or not page.strip():
        return None
    try:
        return lxml.html.document_fromstring(page)
    except ValueError:
        # a str with an XML encoding declaration: lxml wants bytes then
        try:
            return lxml.html.document_fromstring(page.encode("utf-8"))
        except (ValueError, lxml.etree.ParserError):
            return None
    except lxml.etree.ParserError:
        return None


def _is_json_block(script: Any) -> bool:
    """A script element whose whole content is data, not code."""
    kind = (script.get("type") or "").split(";", 1)[0].strip().lower()
    if kind == "application/ld+json":
        # schema.org: the standard-markup reader's (markup.py), not platform state
        return False
    return "json" in kind or script.get("id") == "__NEXT_DATA__"


def _decode_block(text: str) -> Any:
    text = _CDATA.sub("", text).strip()
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _decode_assignments(text: str) -> Iterator[Any]:
    """The JSON values assigned in an inline script (at most :data:`MAX_ASSIGNMENTS`)."""
    decoder = json.JSONDecoder()
    tries = 0
    for match in _ASSIGNMENT.finditer(text):
        if tries >= MAX_ASSIGNMENTS:
            return
        tries += 1
        try:
            value, _end = decoder.raw_decode(text, match.end())
            if match.group(1):
                # JSON.parse("…"): the string literal holds the JSON
                if not isinstance(value, str):
                    continue
                value = json.loads(value)
        except (ValueError, RecursionError):
            # a JavaScript object literal (unquoted keys, functions): not JSON, not state
            continue
        if isinstance(value, (dict, list)) and value:
            yield value


def embedded_states(page: str) -> Iterator[Any]:
    """Every JSON value the page's scripts hold, in document order, within the size caps."""
    doc = _document(page)
    if doc is None:
        return
    budget = MAX_TOTAL_CHARS
    for index, script in enumerate(doc.iter("script")):
        if index >= MAX_SCRIPTS or budget <= 0:
            return
        if script.get("src"):
            continue
        text = script.text or ""
        if not text.strip() or len(text) > MAX_SCRIPT_CHARS or len(text) > budget:
            continue
        budget -= len(text)
        if _is_json_block(script):
            value = _decode_block(text)
            if isinstance(value, (dict, list)) and value:
                yield value
        elif "=" in text and ("{" in text or "JSON.parse" in text):
            yield from _decode_assignments(text)


# --- New Reddit ------------------------------------------------------------------------


def _rtjson_inline(nodes: Any, depth: int) -> str:
    """The text of inline rich-text nodes (``text``, ``link``, ``raw``, mentions…)."""
    if depth > _MAX_DEPTH:
        return ""
    out: list[str] = []
    for node in _l(nodes):
        node = _d(node)
        kind = node.get("e")
        text = node.get("t") if isinstance(node.get("t"), str) else ""
        if kind in ("u/", "r/"):
            # a mention: the name only in "t", its prefix in "e" (``l`` = leading slash)
            out.append(("/" if node.get("l") else "") + kind + text)
        elif kind == "br":
            out.append("\n")
        elif text:
            out.append(text)
        elif "c" in node:
            out.append(_rtjson_inline(node.get("c"), depth + 1))
    return "".join(out)


def _rtjson_blocks(nodes: Any, depth: int) -> list[str]:
    """One string per block of a rich-text document (paragraphs, code, list items…)."""
    if depth > _MAX_DEPTH:
        return []
    blocks: list[str] = []
    for node in _l(nodes):
        node = _d(node)
        kind = node.get("e")
        if kind == "code":
            # code keeps its lines and indentation, as the page's <pre> does
            lines = [_rtjson_inline([line], depth + 1).rstrip() for line in _l(node.get("c"))]
            blocks.append("\n".join(lines))
        elif kind in ("list", "blockquote", "li", "spoiler"):
            blocks.extend(_rtjson_blocks(node.get("c"), depth + 1))
        elif kind == "table":
            rows = [_l(node.get("h"))] + _l(node.get("c"))
            for row in rows:
                cells = [_rtjson_inline(_d(cell).get("c"), depth + 1) for cell in _l(row)]
                if any(cells):
                    blocks.append(" | ".join(cells))
        elif kind in ("hr", "img", "gif", "video"):
            continue
        else:
            # "par", "h" and anything unknown with inline children
            text = _rtjson_inline(node.get("c"), depth + 1) or _s(node.get("t")) or ""
            if text.strip():
                blocks.append(normalise_text(text) or "")
    return [b for b in blocks if b.strip()]


def _reddit_text(model: dict[str, Any]) -> str | None:
    """A post's or comment's text: the rich-text document, else the plain or HTML body."""
    media = _d(model.get("media"))
    document = _d(media.get("richtextContent")).get("document")
    if isinstance(document, list):
        text = "\n\n".join(_rtjson_blocks(document, 0))
        if text:
            return text
    for key in ("bodyText", "body", "markdownContent"):
        value = _s(model.get(key)) or _s(media.get(key))
        if value:
            return normalise_text(value)
    return html_to_text(_s(model.get("bodyHTML")) or _s(media.get("content")
                                                         if media.get("type") == "text"
                                                         else None))


def _reddit_media(model: dict[str, Any]) -> tuple[Media, ...]:
    media = _d(model.get("media"))
    kind, content = media.get("type"), _s(media.get("content"))
    if kind == "image" and content:
        return ({"type": "image", "url": content, "alt": None},)
    if kind == "video":
        url = _s(media.get("hlsUrl")) or _s(media.get("dashUrl")) or content
        if url:
            return ({"type": "video", "url": url, "alt": None},)
    return ()


def _reddit_origin(page_url: str) -> str:
    host = (urlsplit(page_url).hostname or "").lower()
    return f"https://{host}" if host.endswith("reddit.com") else "https://www.reddit.com"


def _reddit_post(model: dict[str, Any], page_url: str, parent_id: str | None,
                 kind: str) -> ThreadPost | None:
    post_id = _s(model.get("id"))
    if post_id is None:
        return None
    author = _s(model.get("author"))
    # "[deleted]" / "[removed]" are what the page shows, not a user with a profile
    real_author = author if author and not author.startswith("[") else None
    origin = _reddit_origin(page_url)
    permalink = _s(model.get("permalink"))
    return ThreadPost(
        id=post_id,
        source=SOURCE_EMBEDDED,
        # resolved as the browser resolved the page's own links, so the permalinks match
        url=urljoin(page_url, permalink) if permalink else None,
        author=author,
        handle=f"u/{real_author}" if real_author else None,
        author_url=f"{origin}/user/{real_author}" if real_author else None,
        published_at=_epoch(model.get("created")),
        text=_reddit_text(model),
        title=_s(model.get("title")) if kind == "t3" else None,
        media=_reddit_media(model) if kind == "t3" else (),
        parent_id=parent_id,
        counts={k: v for k, v in (("score", _i(model.get("score"))),
                                  ("comments", _i(model.get("numComments")))) if v is not None},
    )


def _reddit_page_post(page_url: str, state: dict[str, Any]) -> str | None:
    """The ``t3_`` id of the post the page is about: its address, else the state's own
    comments page or route."""
    match = re.search(r"/comments/([0-9a-z]+)", urlsplit(page_url).path)
    if match:
        return "t3_" + match.group(1)
    post_ids = {v for v in _d(_d(state.get("commentsPage")).get("keyToPostId")).values()
                if isinstance(v, str)}
    if len(post_ids) == 1:
        return post_ids.pop()
    params = _d(_d(_d(_d(state.get("platform")).get("currentPage")).get("routeMatch"))
                .get("match")).get("params")
    partial = _s(_d(params).get("partialPostId"))
    return "t3_" + partial if partial else None


def _reddit_order(state: dict[str, Any], post_id: str | None
                  ) -> tuple[list[str], int]:
    """(comment ids in the page's order, "continue this thread"/"more" links): New Reddit
    keeps its comment list as a linked list per comments page."""
    page = _d(state.get("commentsPage"))
    keys = [k for k, v in _d(page.get("keyToPostId")).items() if post_id is None or v == post_id]
    # the list's "continue this thread" and "load more" entries, when not in the set itself
    links_models = {**_d(_d(state.get("moreComments")).get("models")),
                    **_d(_d(state.get("continueThreads")).get("models"))}
    order: list[str] = []
    links = 0
    seen: set[str] = set()
    for key in keys:
        sets = _d(_d(page.get("keyToCommentThreadLinkSets")).get(key))
        current = _s(_d(page.get("keyToHeadCommentId")).get(key))
        # a cycle stops at an entry already seen, an id with no entry ends the list
        while current and current not in seen and len(seen) <= len(sets) + len(links_models):
            seen.add(current)
            if current.startswith("t1_"):
                order.append(current)
            else:
                links += 1
            entry = sets.get(current) or links_models.get(current)
            current = _s(_d(_d(entry).get("next")).get("id"))
    return order, links


def parse_new_reddit(page_url: str, state: Any) -> ThreadData | None:
    """New Reddit's Redux store (``window.___r``): the post the page is about and its
    comments, in the page's order, then any other comment of that post the store holds.

    A top-level comment (``parentId`` null) answers the post: its parent is the post's
    ``t3_`` id. ``created`` is epoch UTC, seconds on comments and milliseconds on posts.
    """
    state = _d(state)
    comments = _d(_d(state.get("comments")).get("models"))
    posts = _d(_d(state.get("posts")).get("models"))
    comments = {k: v for k, v in comments.items()
                if isinstance(k, str) and k.startswith("t1_") and isinstance(v, dict)}
    posts = {k: v for k, v in posts.items()
             if isinstance(k, str) and k.startswith("t3_") and isinstance(v, dict)}
    if not comments and not posts:
        return None
    post_id = _reddit_page_post(page_url, state)
    if post_id is None:
        comment_posts = {_s(c.get("postId")) for c in comments.values()} - {None}
        post_id = comment_posts.pop() if len(comment_posts) == 1 else None
    if post_id is None or (post_id not in posts and not comments):
        # a listing (front page, subreddit) rather than one post's page: no thread
        return None
    mine = {k: v for k, v in comments.items() if _s(v.get("postId")) in (None, post_id)}
    root_model = posts.get(post_id)
    root = _reddit_post(root_model, page_url, None, "t3") if root_model else None
    order, links = _reddit_order(state, post_id)
    ids = [k for k in order if k in mine] + [k for k in mine if k not in order]
    replies: list[ThreadPost] = []
    for key in ids:
        model = mine[key]
        parent = _s(model.get("parentId")) or post_id
        post = _reddit_post({**model, "id": model.get("id") or key}, page_url, parent, "t1")
        if post is not None:
            replies.append(post)
    if root is None and not replies:
        return None
    more = sum(_i(_d(m).get("count")) or 0
               for m in _d(_d(state.get("moreComments")).get("models")).values()
               if _s(_d(m).get("postId")) in (None, post_id))
    reported = {}
    if root_model is not None and (total := _i(root_model.get("numComments"))) is not None:
        reported["comments"] = total
    return ThreadData(
        platform="reddit",
        source=SOURCE_EMBEDDED,
        root=root,
        replies=tuple(replies),
        focal_id=post_id,
        reported=reported,
        not_loaded=more,
        continuations=links,
    )


# --- Disqus ----------------------------------------------------------------------------


def _disqus_time(value: Any) -> str | None:
    """Disqus stamps (``2018-04-20T21:11:27``) are UTC without a zone, as ``parse_time``
    reads a zoneless stamp."""
    return parse_time(_s(value))


def parse_disqus_thread(page_url: str, state: Any) -> ThreadData | None:
    """Disqus's embedded thread data: ``{"cursor", "response": {"posts": [...], "thread"}}``.

    Posts are replies to the thread (the article, which the embed does not hold); a reply's
    permalink is the thread's address with ``#comment-<id>``, as Disqus links it.
    """
    state = _d(state)
    response = _d(state.get("response"))
    posts = response.get("posts")
    thread = _d(response.get("thread"))
    if not isinstance(posts, list) or "cursor" not in state or not thread:
        return None
    link = _s(thread.get("link"))
    replies: list[ThreadPost] = []
    for item in posts:
        item = _d(item)
        post_id = _s(item.get("id"))
        if post_id is None or not isinstance(item.get("author"), dict):
            continue
        author = _d(item.get("author"))
        media = tuple({"type": "video" if _s(m.get("mediaType")) == "video" else "image",
                       "url": url, "alt": None}
                      for m in map(_d, _l(item.get("media")))
                      if (url := _s(m.get("url"))))
        replies.append(ThreadPost(
            id=post_id,
            source=SOURCE_EMBEDDED,
            url=f"{link.split('#', 1)[0]}#comment-{post_id}" if link else None,
            author=_s(author.get("name")) or _s(author.get("username")),
            handle=None if author.get("isAnonymous") else _s(author.get("username")),
            author_url=_s(author.get("profileUrl")),
            published_at=_disqus_time(item.get("createdAt")),
            text=html_to_text(_s(item.get("message"))) or _s(item.get("raw_message")),
            media=media,
            parent_id=_s(item.get("parent")),
            counts={k: v for k, v in (("likes", _i(item.get("likes"))),
                                      ("dislikes", _i(item.get("dislikes"))))
                    if v is not None},
        ))
    if not replies:
        return None
    total = _i(thread.get("posts"))
    has_next = bool(_d(state.get("cursor")).get("hasNext"))
    return ThreadData(
        platform="disqus",
        source=SOURCE_EMBEDDED,
        replies=tuple(replies),
        reported={"comments": total} if total is not None else {},
        not_loaded=max(0, total - len(replies)) if has_next and total is not None else 0,
        continuations=1 if has_next else 0,
    )


# --- any response shape platform_data reads --------------------------------------------


def parse_embedded_response(page_url: str, state: Any) -> ThreadData | None:
    """A block that is one of the API responses :mod:`platform_data` reads, relabelled as
    embedded state (the page carried it; no request recorded it)."""
    data = parse_data(page_url, state)
    if data is None:
        return None

    def relabel(post: ThreadPost) -> ThreadPost:
        return replace(post, source=SOURCE_EMBEDDED)

    return replace(
        data,
        source=SOURCE_EMBEDDED,
        root=relabel(data.root) if data.root is not None else None,
        replies=tuple(relabel(r) for r in data.replies),
    )


#: The shapes tried on every decoded block, most specific first.
SHAPES: tuple[Callable[[str, Any], ThreadData | None], ...] = (
    parse_new_reddit,
    parse_disqus_thread,
    parse_embedded_response,
)


def _read(shape: Callable[[str, Any], ThreadData | None], page_url: str, state: Any
          ) -> ThreadData | None:
    try:
        return shape(page_url, state)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, RecursionError):
        # a state odder than the shape foresaw: read nothing from it rather than fail
        return None


def read_embedded_state(html: str, page_url: str) -> ThreadData | None:
    """The thread held in the page's embedded JSON state, or ``None`` when none is
    recognised. The first block that gives a thread with replies wins; a block giving only
    the root is kept in case no block gives more."""
    best: ThreadData | None = None
    for state in embedded_states(html):
        for shape in SHAPES:
            data = _read(shape, page_url, state)
            if data is None:
                continue
            if data.replies:
                return data
            best = best or data
    return best
