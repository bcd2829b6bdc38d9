"""The platform's own thread data: parsers for JSON responses a thread page fetched (issue 15).

One parser per data shape, each ``parse_<shape>(url, data) -> ThreadData | None``:
``None`` when the data is not that shape, otherwise whatever could be read. They never raise
on odd data: unknown fields are ignored, a missing field leaves ``None``, a post without an id
is skipped. :func:`parse_response` recognises the shape from the URL and the JSON structure.

Shapes: Mastodon API statuses and ``/context``; ActivityStreams objects and ``replies``
collections; Bluesky ``app.bsky.feed.getPostThread``; X GraphQL ``TweetDetail``; Reddit
comment listings and ``morechildren``; YouTube ``youtubei/v1/next`` comment continuations;
Discourse ``/t/:id.json``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.etree
import lxml.html

from somecapture.thread.post import Media, ThreadData, ThreadPost, html_to_text, parse_time

SOURCE_MASTODON = "mastodon-api"
SOURCE_ACTIVITYSTREAMS = "activitystreams"
SOURCE_BLUESKY = "bluesky-getPostThread"
SOURCE_X = "x-graphql-TweetDetail"
SOURCE_REDDIT = "reddit-json"
SOURCE_YOUTUBE = "youtube-youtubei-next"
SOURCE_DISCOURSE = "discourse-topic-json"

# Deep enough for any real reply tree; stops a hostile or cyclic-looking payload early.
_MAX_DEPTH = 200


# --- small tolerant accessors -------------------------------------------------------------


def _d(value: Any) -> dict[str, Any]:
    """``value`` if it is a dict, else an empty one."""
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def _s(value: Any) -> str | None:
    """A non-empty string (numbers become their decimal form: ids come as both), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _i(value: Any) -> int | None:
    """An exact non-negative integer from an int or a digit string ("1,234" too); abbreviated
    counts such as "9.8k" are not exact and give None rather than a guess."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if text.isdigit():
            return int(text)
    return None


def _counts(**values: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in values.items():
        number = _i(value)
        if number is not None:
            out[key] = number
    return out


def _path(url: str) -> str:
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _origin(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def _dedupe(posts: list[ThreadPost]) -> list[ThreadPost]:
    """First occurrence of each id, in order (a tweet quoted twice, a status in two lists)."""
    seen: set[str] = set()
    out: list[ThreadPost] = []
    for post in posts:
        if post.id not in seen:
            seen.add(post.id)
            out.append(post)
    return out


def _html_media(markup: str | None) -> tuple[Media, ...]:
    """Images and videos inside post HTML (Discourse ``cooked``), without emoji and avatars."""
    if not markup or "<img" not in markup and "<video" not in markup:
        return ()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ()
    media: list[Media] = []
    for element in root.iter("img", "video"):
        classes = element.get("class") or ""
        if "emoji" in classes or "avatar" in classes:
            continue
        src = _s(element.get("src"))
        if src:
            kind = "image" if element.tag == "img" else "video"
            media.append({"type": kind, "url": src, "alt": _s(element.get("alt"))})
    return tuple(media)


def _thread(
    platform: str,
    source: str,
    posts: list[ThreadPost],
    root_id: str | None,
    *,
    focal_id: str | None = None,
    focal_parent_id: str | None = None,
    reported: dict[str, int] | None = None,
    not_loaded: int = 0,
    continuations: int = 0,
) -> ThreadData:
    posts = _dedupe(posts)
    root = next((p for p in posts if root_id is not None and p.id == root_id), None)
    replies = tuple(p for p in posts if p is not root)
    return ThreadData(
        platform=platform,
        source=source,
        root=root,
        replies=replies,
        focal_id=focal_id or root_id,
        focal_parent_id=focal_parent_id,
        reported=reported or {},
        not_loaded=not_loaded,
        continuations=continuations,
    )


# --- Mastodon API -------------------------------------------------------------------------

_MASTODON_STATUS = re.compile(r"/api/v1/statuses/([^/?#]+)/?$")
_MASTODON_CONTEXT = re.compile(r"/api/v1/statuses/([^/?#]+)/context/?$")
_MASTODON_MEDIA = {"image": "image", "video": "video", "gifv": "video", "audio": "audio"}


def _is_mastodon_status(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and _s(data.get("id")) is not None
        and isinstance(data.get("account"), dict)
        and ("content" in data or "created_at" in data)
    )


def _mastodon_post(status: dict[str, Any]) -> ThreadPost | None:
    status_id = _s(status.get("id"))
    if status_id is None:
        return None
    account = _d(status.get("account"))
    acct = _s(account.get("acct")) or _s(account.get("username"))
    media: list[Media] = []
    for item in _l(status.get("media_attachments")):
        item = _d(item)
        url = _s(item.get("url")) or _s(item.get("remote_url"))
        if url:
            kind = _MASTODON_MEDIA.get(_s(item.get("type")) or "", "media")
            media.append({"type": kind, "url": url, "alt": _s(item.get("description"))})
    return ThreadPost(
        id=status_id,
        source=SOURCE_MASTODON,
        url=_s(status.get("url")) or _s(status.get("uri")),
        # Mastodon shows the username where no display name is set
        author=_s(account.get("display_name")) or _s(account.get("username")),
        handle=f"@{acct}" if acct else None,
        author_url=_s(account.get("url")),
        published_at=parse_time(status.get("created_at")),
        text=html_to_text(content if isinstance(content := status.get("content"), str) else None),
        media=tuple(media),
        parent_id=_s(status.get("in_reply_to_id")),
        counts=_counts(
            replies=status.get("replies_count"),
            reposts=status.get("reblogs_count"),
            likes=status.get("favourites_count"),
            quotes=status.get("quotes_count"),
        ),
    )


def parse_mastodon_status(url: str, data: Any) -> ThreadData | None:
    """Mastodon ``GET /api/v1/statuses/:id``: one status, the root of what the page shows."""
    if not _is_mastodon_status(data):
        return None
    post = _mastodon_post(data)
    if post is None:
        return None
    return _thread("mastodon", SOURCE_MASTODON, [post], post.id)


def parse_mastodon_context(url: str, data: Any) -> ThreadData | None:
    """Mastodon ``GET /api/v1/statuses/:id/context``: ancestors then descendants, in order.

    The status itself is not in this response; its id (from the URL) is ``focal_id``, and
    the status it answers is the last ancestor (``focal_parent_id``): the API lists the
    ancestors oldest first, ending with the status's direct parent.
    """
    if not isinstance(data, dict) or not (
        isinstance(data.get("ancestors"), list) and isinstance(data.get("descendants"), list)
    ):
        return None
    posts: list[ThreadPost] = []
    parent: str | None = None
    ancestors = _l(data.get("ancestors"))
    for index, status in enumerate(ancestors + _l(data.get("descendants"))):
        if _is_mastodon_status(status):
            post = _mastodon_post(status)
            if post is not None:
                posts.append(post)
                if index == len(ancestors) - 1:
                    parent = post.id
    match = _MASTODON_CONTEXT.search(_path(url))
    return _thread(
        "mastodon", SOURCE_MASTODON, posts, None, focal_id=match.group(1) if match else None,
        focal_parent_id=parent,
    )


# --- ActivityStreams ----------------------------------------------------------------------

_AS_OBJECT_TYPES = frozenset({"Note", "Article", "Question", "Page", "Comment", "Event", "Video"})
_AS_COLLECTIONS = frozenset(
    {"Collection", "OrderedCollection", "CollectionPage", "OrderedCollectionPage"}
)


def _as_type(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("type")
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return {kind} if isinstance(kind, str) else set()


def _as_id(value: Any) -> str | None:
    """An ActivityStreams reference: a string, or an object's ``id``/``href``."""
    if isinstance(value, str):
        return _s(value)
    if isinstance(value, dict):
        return _s(value.get("id")) or _s(value.get("href"))
    if isinstance(value, list):
        for item in value:
            found = _as_id(item)
            if found:
                return found
    return None


def _as_url(value: Any) -> str | None:
    """``url`` may be a string, a Link object or a list of them; prefer an HTML link."""
    if isinstance(value, list):
        links = [v for v in value if isinstance(v, (str, dict))]
        for link in links:
            if isinstance(link, dict) and "html" in (_s(link.get("mediaType")) or ""):
                return _as_id(link)
        return _as_id(links[0]) if links else None
    return _as_id(value)


def _as_text(obj: dict[str, Any]) -> str | None:
    content = obj.get("content")
    if not isinstance(content, str):
        content_map = _d(obj.get("contentMap"))
        content = next((v for v in content_map.values() if isinstance(v, str)), None)
    if not isinstance(content, str):
        content = obj.get("name") if isinstance(obj.get("name"), str) else None
    return html_to_text(content)


def _as_author(value: Any) -> tuple[str | None, str | None, str | None]:
    """(display name, handle, profile URL) from ``attributedTo``: an actor id only gives the
    URL; an embedded actor gives its name and ``preferredUsername``."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, dict))), None)
    if isinstance(value, str):
        return None, None, _s(value)
    actor = _d(value)
    username = _s(actor.get("preferredUsername"))
    return (
        _s(actor.get("name")) or username,
        f"@{username}" if username else None,
        _as_url(actor.get("url")) or _s(actor.get("id")),
    )


def _as_total(value: Any) -> int | None:
    return _i(_d(value).get("totalItems"))


class _AsWalk:
    """Collects Notes from an object and its embedded ``replies`` collections."""

    def __init__(self) -> None:
        self.posts: list[ThreadPost] = []
        self.not_loaded = 0
        self.continuations = 0

    def note(self, obj: dict[str, Any], parent: str | None, depth: int) -> None:
        obj_id = _s(obj.get("id"))
        if obj_id is None or depth > _MAX_DEPTH:
            return
        author, handle, author_url = _as_author(obj.get("attributedTo"))
        media: list[Media] = []
        for item in _l(obj.get("attachment")) + _l(obj.get("image")):
            item = _d(item)
            url = _as_url(item.get("url")) or _s(item.get("href"))
            if url:
                mime = _s(item.get("mediaType")) or ""
                kind = mime.split("/", 1)[0] if "/" in mime else (
                    "image" if "Image" in _as_type(item) else "media"
                )
                media.append({"type": kind, "url": url, "alt": _s(item.get("name"))})
        replies = obj.get("replies")
        self.posts.append(
            ThreadPost(
                id=obj_id,
                source=SOURCE_ACTIVITYSTREAMS,
                url=_as_url(obj.get("url")) or obj_id,
                author=author,
                handle=handle,
                author_url=author_url,
                published_at=parse_time(obj.get("published")),
                text=_as_text(obj),
                media=tuple(media),
                parent_id=_as_id(obj.get("inReplyTo")) or parent,
                counts=_counts(
                    replies=_as_total(replies),
                    likes=_as_total(obj.get("likes")),
                    reposts=_as_total(obj.get("shares")),
                ),
            )
        )
        self.collection(replies, obj_id, depth + 1)

    def collection(self, value: Any, parent: str | None, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(value, str):
            # a link to a collection not embedded here
            self.continuations += 1
            return
        coll = _d(value)
        if not coll:
            return
        for key in ("items", "orderedItems"):
            for item in _l(coll.get(key)):
                if isinstance(item, dict) and _as_type(item) & _AS_OBJECT_TYPES:
                    self.note(item, parent, depth)
                elif isinstance(item, (str, dict)):
                    # a reply known only by its id: it exists, its content is elsewhere
                    self.not_loaded += 1
        first = coll.get("first")
        if first is not None and first is not value:
            self.collection(first, parent, depth + 1)
        if coll.get("next") is not None:
            self.continuations += 1


def parse_activitystreams(url: str, data: Any) -> ThreadData | None:
    """An ActivityStreams object (Note, Article…) with its embedded ``replies`` collection,
    or a replies Collection/CollectionPage on its own."""
    obj = _d(data)
    kinds = _as_type(obj)
    walk = _AsWalk()
    if kinds & _AS_OBJECT_TYPES and ("content" in obj or "attributedTo" in obj):
        walk.note(obj, None, 0)
        root_id = _s(obj.get("id"))
        reported = {"replies": n} if (n := _as_total(obj.get("replies"))) is not None else {}
    elif kinds & _AS_COLLECTIONS:
        # a replies page: its items answer the object it is part of, when it says which
        part_of = _s(obj.get("partOf")) or _s(obj.get("id"))
        parent = part_of[: -len("/replies")] if part_of and part_of.endswith("/replies") else None
        walk.collection(obj, parent, 0)
        root_id = None
        reported = {"replies": n} if (n := _i(obj.get("totalItems"))) is not None else {}
    else:
        return None
    return _thread(
        "activitypub",
        SOURCE_ACTIVITYSTREAMS,
        walk.posts,
        root_id,
        reported=reported,
        not_loaded=walk.not_loaded,
        continuations=walk.continuations,
    )


# --- Bluesky ------------------------------------------------------------------------------


def _bsky_media(embed: Any) -> list[Media]:
    embed = _d(embed)
    kind = _s(embed.get("$type")) or ""
    media: list[Media] = []
    if "recordWithMedia" in kind:
        return _bsky_media(embed.get("media"))
    for image in _l(embed.get("images")):
        image = _d(image)
        url = _s(image.get("fullsize")) or _s(image.get("thumb"))
        if url:
            media.append({"type": "image", "url": url, "alt": _s(image.get("alt"))})
    if "video" in kind:
        url = _s(embed.get("playlist")) or _s(embed.get("thumbnail"))
        if url:
            media.append({"type": "video", "url": url, "alt": _s(embed.get("alt"))})
    return media


def _bsky_post(view: Any, parent: str | None) -> ThreadPost | None:
    post = _d(view)
    uri = _s(post.get("uri"))
    if uri is None:
        return None
    author = _d(post.get("author"))
    record = _d(post.get("record"))
    handle = _s(author.get("handle"))
    url = None
    rkey = uri.rsplit("/", 1)[-1] if "/app.bsky.feed.post/" in uri else None
    actor = handle or _s(author.get("did"))
    if rkey and actor:
        url = f"https://bsky.app/profile/{actor}/post/{rkey}"
    reply_parent = _s(_d(_d(record.get("reply")).get("parent")).get("uri"))
    text = record.get("text")
    return ThreadPost(
        id=uri,
        source=SOURCE_BLUESKY,
        url=url,
        # bsky.app shows the handle where no display name is set
        author=_s(author.get("displayName")) or handle,
        handle=f"@{handle}" if handle else None,
        author_url=f"https://bsky.app/profile/{actor}" if actor else None,
        published_at=parse_time(record.get("createdAt")) or parse_time(post.get("indexedAt")),
        # an image-only post has empty text: keep it empty, not None
        text=text.strip() if isinstance(text, str) else None,
        media=tuple(_bsky_media(post.get("embed"))),
        parent_id=reply_parent or parent,
        counts=_counts(
            replies=post.get("replyCount"),
            reposts=post.get("repostCount"),
            likes=post.get("likeCount"),
            quotes=post.get("quoteCount"),
        ),
    )


class _BskyWalk:
    def __init__(self) -> None:
        self.descendants: list[ThreadPost] = []
        self.not_loaded = 0

    def replies(self, items: Any, parent: str | None, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        for item in _l(items):
            node = _d(item)
            if "post" not in node:
                # notFoundPost / blockedPost: a reply that exists but cannot be read
                if node:
                    self.not_loaded += 1
                continue
            post = _bsky_post(node.get("post"), parent)
            if post is None:
                continue
            self.descendants.append(post)
            self.replies(node.get("replies"), post.id, depth + 1)


def parse_bluesky_thread(url: str, data: Any) -> ThreadData | None:
    """``app.bsky.feed.getPostThread``: ``thread.post`` (focal), ``thread.parent`` chain
    (ancestors, put first, oldest first) and ``thread.replies`` (recursive, depth first).
    Also the flat ``getPostThreadV2`` list (``thread[].value.post`` with ``depth``)."""
    thread = _d(data).get("thread")
    if isinstance(thread, list):
        return _parse_bluesky_v2(thread)
    node = _d(thread)
    if not isinstance(node.get("post"), dict) or not _s(_d(node.get("post")).get("uri")):
        return None
    ancestors: list[ThreadPost] = []
    parent_node = _d(node.get("parent"))
    depth = 0
    while "post" in parent_node and depth < _MAX_DEPTH:
        post = _bsky_post(parent_node.get("post"), None)
        if post is not None:
            ancestors.insert(0, post)
        parent_node = _d(parent_node.get("parent"))
        depth += 1
    focal = _bsky_post(node.get("post"), ancestors[-1].id if ancestors else None)
    if focal is None:
        return None
    walk = _BskyWalk()
    walk.replies(node.get("replies"), focal.id, 1)
    return _thread(
        "bluesky",
        SOURCE_BLUESKY,
        ancestors + [focal] + walk.descendants,
        focal.id,
        not_loaded=walk.not_loaded,
    )


def _parse_bluesky_v2(items: list[Any]) -> ThreadData | None:
    posts: list[ThreadPost] = []
    focal: str | None = None
    not_loaded = 0
    for item in items:
        item = _d(item)
        value = _d(item.get("value"))
        post = _bsky_post(value.get("post"), None) if "post" in value else None
        if post is None:
            if item:
                not_loaded += 1
            continue
        posts.append(post)
        if item.get("depth") == 0:
            focal = post.id
    if not posts:
        return None
    return _thread("bluesky", SOURCE_BLUESKY, posts, focal, not_loaded=not_loaded)


# --- X GraphQL TweetDetail ----------------------------------------------------------------


def _x_focal_from_url(url: str) -> str | None:
    try:
        variables = parse_qs(urlsplit(url).query).get("variables", [])
        data = json.loads(variables[0]) if variables else {}
    except (ValueError, IndexError):
        return None
    return _s(_d(data).get("focalTweetId"))


def _x_tweet(result: Any, host: str) -> ThreadPost | None:
    tweet = _d(result)
    if tweet.get("__typename") == "TweetWithVisibilityResults" or (
        "tweet" in tweet and "legacy" not in tweet
    ):
        tweet = _d(tweet.get("tweet"))
    legacy = _d(tweet.get("legacy"))
    tweet_id = _s(tweet.get("rest_id")) or _s(legacy.get("id_str"))
    if tweet_id is None or not legacy:
        return None
    user = _d(_d(_d(tweet.get("core")).get("user_results")).get("result"))
    # the user's name moved from ``legacy`` to ``core`` in 2025; read both
    user_core, user_legacy = _d(user.get("core")), _d(user.get("legacy"))
    name = _s(user_core.get("name")) or _s(user_legacy.get("name"))
    screen = _s(user_core.get("screen_name")) or _s(user_legacy.get("screen_name"))
    note = _d(_d(_d(tweet.get("note_tweet")).get("note_tweet_results")).get("result"))
    raw_text = note.get("text") if isinstance(note.get("text"), str) else legacy.get("full_text")
    media: list[Media] = []
    entities = _d(legacy.get("extended_entities")) or _d(legacy.get("entities"))
    for item in _l(entities.get("media")):
        item = _d(item)
        kind = _s(item.get("type"))
        url = _s(item.get("media_url_https")) or _s(item.get("media_url"))
        if kind in ("video", "animated_gif"):
            variants = [_d(v) for v in _l(_d(item.get("video_info")).get("variants"))]
            mp4 = [v for v in variants if v.get("content_type") == "video/mp4" and _s(v.get("url"))]
            if mp4:
                url = _s(max(mp4, key=lambda v: _i(v.get("bitrate")) or 0).get("url"))
        if url:
            media.append({
                "type": "image" if kind == "photo" else "video",
                "url": url,
                "alt": _s(item.get("ext_alt_text")),
            })
    return ThreadPost(
        id=tweet_id,
        source=SOURCE_X,
        url=f"https://{host}/{screen or 'i/web'}/status/{tweet_id}",
        author=name or screen,
        handle=f"@{screen}" if screen else None,
        author_url=f"https://{host}/{screen}" if screen else None,
        published_at=parse_time(legacy.get("created_at")),
        # the API escapes &, < and > in tweet text
        text=html.unescape(raw_text).strip() if isinstance(raw_text, str) else None,
        media=tuple(media),
        parent_id=_s(legacy.get("in_reply_to_status_id_str")),
        counts=_counts(
            replies=legacy.get("reply_count"),
            reposts=legacy.get("retweet_count"),
            likes=legacy.get("favorite_count"),
            quotes=legacy.get("quote_count"),
            bookmarks=legacy.get("bookmark_count"),
            views=_d(tweet.get("views")).get("count"),
        ),
    )


class _XWalk:
    def __init__(self, host: str) -> None:
        self.host = host
        self.posts: list[ThreadPost] = []
        self.continuations = 0
        self.not_loaded = 0
        self.first_entry_tweet: str | None = None

    def item_content(self, content: Any, entry_id: str) -> None:
        content = _d(content)
        typename = _s(content.get("__typename")) or _s(content.get("itemType")) or ""
        if "Cursor" in typename:
            self.continuations += 1
            return
        result = _d(_d(content.get("tweet_results")).get("result"))
        if not result:
            return
        if result.get("__typename") == "TweetTombstone":
            # a reply the conversation holds but X will not show (deleted, withheld…)
            self.not_loaded += 1
            return
        post = _x_tweet(result, self.host)
        if post is not None:
            if self.first_entry_tweet is None and entry_id.startswith("tweet-"):
                self.first_entry_tweet = post.id
            self.posts.append(post)

    def entry(self, entry: Any) -> None:
        entry = _d(entry)
        entry_id = _s(entry.get("entryId")) or ""
        if entry_id.startswith(_X_NOT_CONVERSATION):
            # "Discover more" / who-to-follow modules: other tweets X shows beside the
            # conversation, not replies to it (even when they share its conversation id)
            return
        content = _d(entry.get("content"))
        kind = _s(content.get("entryType")) or _s(content.get("__typename")) or ""
        if "Cursor" in kind:
            self.continuations += 1
        elif "Module" in kind:
            for item in _l(content.get("items")):
                self.item_content(_d(_d(item).get("item")).get("itemContent"), entry_id)
        else:
            self.item_content(content.get("itemContent"), entry_id)


#: entry-id prefixes of timeline modules that are not part of the conversation
_X_NOT_CONVERSATION = ("tweetdetailrelatedtweets", "relatedtweets", "who-to-follow",
                       "whoToFollow", "promoted")


def parse_x_tweet_detail(url: str, data: Any) -> ThreadData | None:
    """X GraphQL ``TweetDetail``: instructions -> entries (single tweets and conversation
    modules) -> tweet results; cursors count as continuations."""
    container = _d(_d(data).get("data"))
    conversation = _d(
        container.get("threaded_conversation_with_injections_v2")
        or container.get("threaded_conversation_with_injections")
    )
    instructions = conversation.get("instructions")
    if not isinstance(instructions, list):
        return None
    host = "twitter.com" if _host(url).endswith("twitter.com") else "x.com"
    walk = _XWalk(host)
    for instruction in instructions:
        instruction = _d(instruction)
        for entry in _l(instruction.get("entries")):
            walk.entry(entry)
        if isinstance(instruction.get("entry"), dict):  # TimelinePinEntry / ReplaceEntry
            walk.entry(instruction.get("entry"))
        for item in _l(instruction.get("moduleItems")):  # TimelineAddToModule ("show more")
            walk.item_content(_d(_d(item).get("item")).get("itemContent"), "")
    focal = _x_focal_from_url(url) or walk.first_entry_tweet
    return _thread(
        "x",
        SOURCE_X,
        walk.posts,
        focal,
        continuations=walk.continuations,
        not_loaded=walk.not_loaded,
    )


# --- Reddit -------------------------------------------------------------------------------


def _reddit_id(fullname: Any) -> str | None:
    """``t1_abc`` / ``t3_xyz`` -> ``abc`` / ``xyz``: every id and parent id without prefix."""
    value = _s(fullname)
    if value and len(value) > 3 and value[0] == "t" and value[1].isdigit() and value[2] == "_":
        return value[3:]
    return value


class _RedditWalk:
    def __init__(self, url: str) -> None:
        # without raw_json=1 Reddit HTML-escapes &, < and > in bodies and titles
        self.raw = "raw_json=1" in url
        host = _host(url)
        self.origin = (
            f"https://{host}"
            if host.endswith("reddit.com") and host not in ("oauth.reddit.com", "api.reddit.com")
            else "https://www.reddit.com"
        )
        self.posts: list[ThreadPost] = []
        self.not_loaded = 0
        self.continuations = 0
        self.reported: dict[str, int] = {}
        self.root_id: str | None = None

    def text(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        return (value if self.raw else html.unescape(value)).strip()

    def thing(self, thing: Any, depth: int) -> None:
        thing = _d(thing)
        kind, data = thing.get("kind"), _d(thing.get("data"))
        if depth > _MAX_DEPTH or not data:
            return
        if kind == "more":
            # "load more comments" (count > 0) or "continue this thread" (count 0)
            self.not_loaded += _i(data.get("count")) or 0
            self.continuations += 1
            return
        if kind not in ("t1", "t3"):
            return
        post_id = _reddit_id(data.get("name")) or _s(data.get("id"))
        if post_id is None:
            return
        author = _s(data.get("author"))
        permalink = _s(data.get("permalink"))
        media: list[Media] = []
        if kind == "t3":
            self.root_id = self.root_id or post_id
            if (comments := _i(data.get("num_comments"))) is not None:
                self.reported["comments"] = comments
            for image in _l(_d(data.get("preview")).get("images")):
                src = _s(self.text(_d(_d(image).get("source")).get("url")))
                if src:
                    media.append({"type": "image", "url": src, "alt": None})
        self.posts.append(
            ThreadPost(
                id=post_id,
                source=SOURCE_REDDIT,
                url=f"{self.origin}{permalink}" if permalink and permalink.startswith("/")
                else permalink,
                author=author,
                handle=f"u/{author}" if author and not author.startswith("[") else None,
                author_url=f"{self.origin}/user/{author}" if author and not author.startswith("[")
                else None,
                published_at=parse_time(data.get("created_utc")),
                text=self.text(data.get("body") if kind == "t1" else data.get("selftext")),
                title=self.text(data.get("title")) if kind == "t3" else None,
                media=tuple(media),
                parent_id=_reddit_id(data.get("parent_id")) if kind == "t1" else None,
                counts=_counts(
                    score=data.get("score"),
                    comments=data.get("num_comments") if kind == "t3" else None,
                ),
            )
        )
        replies = data.get("replies")
        if isinstance(replies, dict):
            self.listing(replies, depth + 1)

    def listing(self, listing: Any, depth: int) -> None:
        for child in _l(_d(_d(listing).get("data")).get("children")):
            self.thing(child, depth)


def parse_reddit_comments(url: str, data: Any) -> ThreadData | None:
    """Reddit comment JSON: ``[Listing(t3), Listing(t1 tree)]`` (``/comments/:id``, a comment
    permalink with context), or ``/api/morechildren``'s flat ``json.data.things``.

    Ids and parent ids lose their ``t1_``/``t3_`` prefix; ``more`` stubs count as not loaded.
    """
    walk = _RedditWalk(url)
    if isinstance(data, list):
        listings = [x for x in data if _d(x).get("kind") == "Listing"]
        if not listings or len(listings) != len(data):
            return None
        for listing in listings:
            walk.listing(listing, 0)
    else:
        things = _d(_d(_d(data).get("json")).get("data")).get("things")
        if not isinstance(things, list) or not all(
            _d(t).get("kind") in ("t1", "more") for t in things
        ):
            return None
        for thing in things:
            walk.thing(thing, 0)
    if not walk.posts and not walk.continuations:
        return None
    return _thread(
        "reddit",
        SOURCE_REDDIT,
        walk.posts,
        walk.root_id,
        reported=walk.reported,
        not_loaded=walk.not_loaded,
        continuations=walk.continuations,
    )


# --- YouTube youtubei/v1/next -------------------------------------------------------------


def _walk_values(data: Any, key: str, limit: int = 10000) -> Iterator[Any]:
    """Every value stored under ``key`` anywhere in ``data`` (breadth first, bounded)."""
    queue = [data]
    seen = 0
    while queue and seen < limit:
        node = queue.pop(0)
        seen += 1
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key:
                    yield v
                if isinstance(v, (dict, list)):
                    queue.append(v)
        elif isinstance(node, list):
            queue.extend(v for v in node if isinstance(v, (dict, list)))


def _yt_video_id(data: dict[str, Any]) -> str | None:
    endpoint = _d(_d(data.get("currentVideoEndpoint")).get("watchEndpoint"))
    if vid := _s(endpoint.get("videoId")):
        return vid
    # a comments continuation names only its own video; a watch page also names others
    # (recommendations), so take the id only when it is the only one
    found = {v for v in _walk_values(data, "videoId", limit=20000) if isinstance(v, str)}
    return found.pop() if len(found) == 1 else None


def _yt_runs(value: Any) -> str | None:
    value = _d(value)
    if isinstance(value.get("simpleText"), str):
        return str(value["simpleText"])
    runs = [_d(r).get("text") for r in _l(value.get("runs"))]
    text = "".join(r for r in runs if isinstance(r, str))
    return text or None


class _YtWalk:
    def __init__(self, entities: dict[str, dict[str, Any]], video_id: str | None) -> None:
        self.entities = entities
        self.video_id = video_id
        self.posts: list[ThreadPost] = []
        self.used: set[str] = set()
        self.continuations = 0
        self.reported: dict[str, int] = {}

    def entity_post(self, payload: dict[str, Any], parent_hint: str | None) -> ThreadPost | None:
        props = _d(payload.get("properties"))
        comment_id = _s(props.get("commentId"))
        if comment_id is None:
            return None
        author = _d(payload.get("author"))
        name = _s(author.get("displayName"))
        command = _d(_d(author.get("channelCommand")).get("innertubeCommand"))
        web = _d(_d(command.get("commandMetadata")).get("webCommandMetadata"))
        channel_url = _s(web.get("url"))
        if channel_url is None and (channel := _s(author.get("channelId"))):
            channel_url = f"/channel/{channel}"
        level = _i(props.get("replyLevel")) or 0
        toolbar = _d(payload.get("toolbar"))
        text = _d(props.get("content")).get("content")
        return self._post(
            comment_id,
            name,
            channel_url,
            _s(props.get("publishedTime")),
            text if isinstance(text, str) else None,
            level,
            parent_hint,
            _counts(replies=toolbar.get("replyCount"), likes=toolbar.get("likeCountNotliked")),
        )

    def renderer_post(self, renderer: dict[str, Any], parent_hint: str | None) -> ThreadPost | None:
        """The pre-2024 ``commentRenderer`` shape."""
        comment_id = _s(renderer.get("commentId"))
        if comment_id is None:
            return None
        browse = _d(_d(renderer.get("authorEndpoint")).get("browseEndpoint"))
        channel = _s(browse.get("canonicalBaseUrl"))
        return self._post(
            comment_id,
            _yt_runs(renderer.get("authorText")),
            channel,
            _yt_runs(renderer.get("publishedTimeText")),
            _yt_runs(renderer.get("contentText")) or "",
            1 if "." in comment_id else 0,
            parent_hint,
            _counts(replies=renderer.get("replyCount"), likes=renderer.get("voteCount")),
        )

    def _post(
        self,
        comment_id: str,
        name: str | None,
        channel_url: str | None,
        published: str | None,
        text: str | None,
        level: int,
        parent_hint: str | None,
        counts: dict[str, int],
    ) -> ThreadPost:
        if "." in comment_id:
            # a reply's id is "<thread comment id>.<reply id>"
            parent: str | None = comment_id.split(".", 1)[0]
        elif level > 0:
            parent = parent_hint
        else:
            parent = self.video_id
        url = (
            f"https://www.youtube.com/watch?v={self.video_id}&lc={comment_id}"
            if self.video_id
            else None
        )
        return ThreadPost(
            id=comment_id,
            source=SOURCE_YOUTUBE,
            url=url,
            author=name,
            handle=name if name and name.startswith("@") else None,
            author_url=f"https://www.youtube.com{channel_url}"
            if channel_url and channel_url.startswith("/") else channel_url,
            # YouTube gives only "4 years ago": kept as given, no date is invented from it
            published_at=None,
            published_text=published,
            text=text.strip() if text is not None else None,
            parent_id=parent,
            counts=counts,
        )

    def add(self, post: ThreadPost | None, key: str | None = None) -> None:
        if post is not None:
            self.posts.append(post)
            if key:
                self.used.add(key)

    def items(self, items: Any, parent_hint: str | None) -> None:
        for item in _l(items):
            item = _d(item)
            if "continuationItemRenderer" in item:
                self.continuations += 1
            header = _d(item.get("commentsHeaderRenderer"))
            if header and (count := _i((_yt_runs(header.get("countText")) or "").split(" ")[0])):
                self.reported["comments"] = count
            thread = _d(item.get("commentThreadRenderer"))
            view = _d(item.get("commentViewModel"))
            if thread:
                view = _d(_d(thread.get("commentViewModel")).get("commentViewModel")) or view
                legacy = _d(_d(thread.get("comment")).get("commentRenderer"))
                if legacy:
                    self.add(self.renderer_post(legacy, parent_hint))
            elif "commentRenderer" in item:
                self.add(self.renderer_post(_d(item.get("commentRenderer")), parent_hint))
            if view:
                key = _s(view.get("commentKey"))
                payload = self.entities.get(key or "")
                if payload is not None:
                    self.add(self.entity_post(payload, parent_hint), key)
            if thread:
                replies = _d(_d(thread.get("replies")).get("commentRepliesRenderer"))
                for content in _l(replies.get("contents")):
                    if "continuationItemRenderer" in _d(content):
                        # the replies under this comment are fetched by a further request
                        self.continuations += 1


def parse_youtube_next(url: str, data: Any) -> ThreadData | None:
    """YouTube ``youtubei/v1/next`` comment continuations: the order of comments from
    ``onResponseReceivedEndpoints`` continuation items, their content from
    ``frameworkUpdates.entityBatchUpdate.mutations`` (``commentEntityPayload``); also the older
    ``commentRenderer`` shape. Reply parents come from the reply id or from the
    continuation's ``comment-replies-item-<id>`` target."""
    obj = _d(data)
    mutations = _l(_d(_d(obj.get("frameworkUpdates")).get("entityBatchUpdate")).get("mutations"))
    entities: dict[str, dict[str, Any]] = {}
    for mutation in mutations:
        payload = _d(_d(mutation).get("payload")).get("commentEntityPayload")
        if isinstance(payload, dict):
            key = _s(payload.get("key")) or _s(_d(mutation).get("entityKey"))
            if key:
                entities[key] = payload
    endpoints = _l(obj.get("onResponseReceivedEndpoints"))
    if not entities and '"commentRenderer"' not in json.dumps(endpoints)[:5_000_000]:
        return None
    walk = _YtWalk(entities, _yt_video_id(obj))
    for endpoint in endpoints:
        for action in _d(endpoint).values():
            action = _d(action)
            target = _s(action.get("targetId")) or ""
            parent_hint = (
                target[len("comment-replies-item-"):]
                if target.startswith("comment-replies-item-")
                else None
            )
            walk.items(action.get("continuationItems"), parent_hint)
    # comments the endpoints did not place keep the order of the mutations
    for key, payload in entities.items():
        if key not in walk.used:
            walk.add(walk.entity_post(payload, None), key)
    if not walk.posts and not walk.continuations:
        return None
    return _thread(
        "youtube",
        SOURCE_YOUTUBE,
        walk.posts,
        None,
        focal_id=walk.video_id,
        reported=walk.reported,
        continuations=walk.continuations,
    )


# --- Discourse ----------------------------------------------------------------------------


def parse_discourse_topic(url: str, data: Any) -> ThreadData | None:
    """Discourse ``/t/:id.json`` (or ``/t/:id/posts.json``): ``post_stream.posts`` in topic
    order; post 1 is the root; ``reply_to_post_number`` gives the parent when that post is
    loaded; ids in ``post_stream.stream`` without a post count as not loaded."""
    obj = _d(data)
    stream = _d(obj.get("post_stream"))
    raw_posts = stream.get("posts")
    if not isinstance(raw_posts, list) or not all(
        isinstance(p, dict) and ("cooked" in p or "post_number" in p) for p in raw_posts
    ):
        return None
    origin = _origin(url) or ""
    by_number: dict[int, str] = {}
    for raw in raw_posts:
        number, post_id = _i(raw.get("post_number")), _s(raw.get("id"))
        if number is not None and post_id is not None:
            by_number[number] = post_id
    posts: list[ThreadPost] = []
    for raw in raw_posts:
        post_id = _s(raw.get("id"))
        if post_id is None:
            continue
        number = _i(raw.get("post_number"))
        reply_to = _i(raw.get("reply_to_post_number"))
        if number == 1:
            parent = None
        elif reply_to is not None:
            parent = by_number.get(reply_to)
        else:
            # a post that answers no particular post answers the topic
            parent = by_number.get(1)
        slug = _s(raw.get("topic_slug")) or _s(obj.get("slug")) or "-"
        topic = _s(raw.get("topic_id")) or _s(obj.get("id"))
        username = _s(raw.get("username"))
        cooked = raw.get("cooked") if isinstance(raw.get("cooked"), str) else None
        likes = next(
            (
                _d(a).get("count")
                for a in _l(raw.get("actions_summary"))
                if _d(a).get("id") == 2
            ),
            None,
        )
        posts.append(
            ThreadPost(
                id=post_id,
                source=SOURCE_DISCOURSE,
                url=f"{origin}/t/{slug}/{topic}/{number}" if topic and number else None,
                author=_s(raw.get("name")) or username,
                handle=f"@{username}" if username else None,
                author_url=f"{origin}/u/{username}" if username else None,
                published_at=parse_time(raw.get("created_at")),
                text=html_to_text(cooked),
                title=_s(obj.get("title")) if number == 1 else None,
                media=_html_media(cooked),
                parent_id=parent,
                counts=_counts(replies=raw.get("reply_count"), likes=likes, reads=raw.get("reads")),
            )
        )
    loaded = {p.id for p in posts}
    missing = [s for s in _l(stream.get("stream")) if _s(s) is not None and _s(s) not in loaded]
    reported = _counts(posts=obj.get("posts_count"))
    return _thread(
        "discourse",
        SOURCE_DISCOURSE,
        posts,
        by_number.get(1),
        focal_id=by_number.get(1),
        reported=reported,
        not_loaded=len(missing),
        continuations=1 if missing else 0,
    )


# --- dispatch -----------------------------------------------------------------------------

Parser = Callable[[str, Any], "ThreadData | None"]

#: Every parser, in the order the structural fallback tries them (most specific first).
PARSERS: tuple[Parser, ...] = (
    parse_mastodon_context,
    parse_bluesky_thread,
    parse_x_tweet_detail,
    parse_reddit_comments,
    parse_youtube_next,
    parse_discourse_topic,
    parse_mastodon_status,
    parse_activitystreams,
)

_URL_HINTS: tuple[tuple[re.Pattern[str], Parser], ...] = (
    (_MASTODON_CONTEXT, parse_mastodon_context),
    (_MASTODON_STATUS, parse_mastodon_status),
    (re.compile(r"app\.bsky\.(feed\.getPostThread|unspecced\.getPostThread)"),
     parse_bluesky_thread),
    (re.compile(r"/graphql/[^/]+/TweetDetail"), parse_x_tweet_detail),
    (re.compile(r"/youtubei/v1/next"), parse_youtube_next),
    (re.compile(r"/t/[^?#]*\.json$|/t/[^?#]*/posts\.json$"), parse_discourse_topic),
    (re.compile(r"/comments/|/api/morechildren"), parse_reddit_comments),
)

# Over this a response is not a thread page's JSON; parsing it would only cost memory.
MAX_BODY_BYTES = 20 * 1024 * 1024


def looks_like_json(content_type: str, body: bytes) -> bool:
    """Whether a response may hold JSON: a JSON media type (``application/json``,
    ``activity+json``, ``ld+json``…) or, when the type is missing or generic, a body that
    starts like JSON."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if "json" in media_type:
        return True
    if media_type and media_type not in ("text/plain", "application/octet-stream"):
        return False
    start = body[:64].lstrip()
    return start[:1] in (b"{", b"[") or start.startswith(b")]}'")


def decode_json(body: bytes) -> Any:
    """The JSON value of ``body``, or ``None`` when it is not JSON. Tolerates a BOM and the
    ``)]}'`` anti-hijacking prefix some Google endpoints put first."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    text = text.lstrip()
    if text.startswith(")]}'"):
        text = text[4:]
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def parse_data(url: str, data: Any) -> ThreadData | None:
    """Thread data from an already decoded JSON value: the parser the URL points at first,
    then every parser by structure."""
    path = _path(url)
    tried: list[Parser] = []
    for pattern, parser in _URL_HINTS:
        if pattern.search(path):
            tried.append(parser)
            result = _safe(parser, url, data)
            if result is not None:
                return result
    for parser in PARSERS:
        if parser not in tried:
            result = _safe(parser, url, data)
            if result is not None:
                return result
    return None


def _safe(parser: Parser, url: str, data: Any) -> ThreadData | None:
    try:
        return parser(url, data)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, RecursionError):
        # a payload odder than the parser foresaw: read nothing from it rather than fail
        return None


def parse_response(url: str, content_type: str, body: bytes) -> ThreadData | None:
    """Thread data from one recorded HTTP response, or ``None`` when it holds none.

    The entry point for the capture: cheap to call on every response (non-JSON and oversized
    bodies are refused before any parsing); never raises.
    """
    if not body or len(body) > MAX_BODY_BYTES or not looks_like_json(content_type, body):
        return None
    data = decode_json(body)
    if data is None:
        return None
    return parse_data(url, data)
