"""Standard markup: a thread read from what a page declares about itself (issue 15, source 2).

Reads the final HTML of a page (the browser's DOM, serialised) and returns the thread the page
describes in standard vocabularies, without any per-site knowledge:

* **schema.org** as JSON-LD (``<script type="application/ld+json">``, ``@graph`` and arrays) and
  as microdata (``itemscope``/``itemprop``): a root ``SocialMediaPosting``,
  ``DiscussionForumPosting``, ``BlogPosting``, ``Article`` (and its news subtypes) or
  ``Question``, with replies as ``comment`` / ``suggestedAnswer`` / ``acceptedAnswer`` items
  (``Comment`` and its subtype ``Answer``), nested to any depth, or free-standing comments tied
  by ``parentItem``;
* **microformats2**: ``h-entry`` with ``p-author h-card``, ``dt-published``,
  ``e-content``/``p-content``, ``u-url``, ``u-photo``; replies as ``p-comment`` /
  ``u-comment`` ``h-cite``/``h-entry`` items, as nested ``h-entry`` children, or as separate
  ``h-entry`` items whose ``u-in-reply-to`` names a post on the page; the post the root
  replies to (its ``u-in-reply-to h-cite``) is kept as an ancestor;
* **ActivityStreams**: the addresses offered by ``<link rel="alternate"
  type="application/activity+json">`` are reported, not fetched;
* **OpenGraph / Twitter cards** (``og:*``, ``article:*``, ``twitter:*``): the root post when the
  page has nothing richer, and always reported as :class:`OpenGraph` for the merger.

Pure function over a string or bytes: no browser, no network. Invalid JSON-LD blocks are
skipped and counted in ``warnings``; every traversal is one pass over the tree, so a page of
many megabytes costs linear time.

Posts are the shared :class:`somecapture.thread.post.ThreadPost` (id, url, author, handle,
published_at as RFC 3339 UTC, plain text with newlines kept, media, parent_id, counts, source,
title), so the merger takes them as they are.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin

from lxml import etree, html

from somecapture.messages import Msg
from somecapture.thread.post import Media, ThreadPost

MarkupSource = Literal["json-ld", "microdata", "microformats2", "opengraph"]


#: a post of the thread: the shared ``ThreadPost`` of ``post.py`` (its ``source`` is one of
#: :data:`MarkupSource`; ``media`` items are ``{"type", "url", "alt"}``)
MarkupPost = ThreadPost


def _media(kind: str, url: str, alt: str | None) -> Media:
    return {"type": kind, "url": url, "alt": alt}


@dataclass(frozen=True)
class OpenGraph:
    """The page's OpenGraph / Twitter-card / article meta, as given (times in RFC 3339 UTC)."""

    title: str | None = None
    description: str | None = None
    url: str | None = None
    type: str | None = None
    site_name: str | None = None
    image: str | None = None
    image_alt: str | None = None
    author: str | None = None
    handle: str | None = None
    published_at: str | None = None


@dataclass(frozen=True)
class MarkupThread:
    """The thread a page declares: root, replies in document order, and what was found."""

    url: str
    root: MarkupPost | None
    #: replies in document order; ``parent_id`` is the root's id or another reply's id
    replies: tuple[MarkupPost, ...] = ()
    #: posts the root itself replies to (microformats2 ``u-in-reply-to h-cite``), oldest last
    ancestors: tuple[MarkupPost, ...] = ()
    opengraph: OpenGraph | None = None
    #: ActivityStreams documents offered by the page (absolute URLs), for the caller to fetch
    activitystreams_links: tuple[str, ...] = ()
    #: every markup source that was present on the page, whether or not it gave the thread
    sources_found: tuple[MarkupSource, ...] = ()
    #: the reply count the markup itself states (commentCount, CommentAction, ReplyAction…)
    declared_reply_count: int | None = None
    #: things that were skipped, in plain words (e.g. "1 JSON-LD block is not valid JSON")
    warnings: tuple[str, ...] = ()


# --- the vocabulary -------------------------------------------------------------------------

#: schema.org types that can be the root of a thread, best first (the rank breaks ties)
_ROOT_TYPES = (
    "SocialMediaPosting", "DiscussionForumPosting", "BlogPosting", "LiveBlogPosting",
    "Question", "Comment", "Answer", "NewsArticle", "ReportageNewsArticle",
    "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle", "Article",
    "TechArticle", "ScholarlyArticle", "Report", "Posting",
)
_ROOT_RANK = {name: rank for rank, name in enumerate(_ROOT_TYPES)}
#: schema.org types that are replies (Answer is a Comment subtype in schema.org)
_REPLY_TYPES = frozenset({"Comment", "Answer", "Question"})
#: properties that hold the replies of a post
_REPLY_PROPS = ("comment", "suggestedAnswer", "acceptedAnswer")
#: containers a thread may sit in (QAPage's mainEntity, WebPage's mainEntity, ItemList…)
_CONTAINER_PROPS = ("mainEntity", "itemListElement", "item", "hasPart", "about")
#: interaction types to count keys
_COUNT_KEYS = {
    "LikeAction": "likes", "CommentAction": "replies", "ReplyAction": "replies",
    "ShareAction": "shares", "WatchAction": "views", "ViewAction": "views",
    "VoteAction": "votes", "DislikeAction": "dislikes",
}
_SCHEMA_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)
_AS_TYPES = ("application/activity+json", "application/ld+json")

_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul",
})
#: never visible text: code, styles, and no-JS fallbacks (the DOM we read ran its scripts)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTMLISH = re.compile(r"<[A-Za-z/!][^>]*>|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]{2,8});")


# --- entry point ----------------------------------------------------------------------------

def read_markup(page: str | bytes, url: str) -> MarkupThread:
    """Read the thread a page declares in standard markup.

    ``page`` is the page's final HTML (bytes are decoded as the page declares, by BOM or
    ``<meta charset>``); ``url`` is its address, used to resolve relative links. Never raises on
    malformed markup: what cannot be read is skipped and said in ``warnings``.
    """
    doc = _parse(page)
    if doc is None:
        return MarkupThread(url=url, root=None, warnings=("the page is empty",))
    base = _base_url(doc, url)
    warnings: list[str] = []
    found: list[MarkupSource] = []

    opengraph = _read_opengraph(doc, base)
    links = _activitystreams_links(doc, base)

    ld_nodes, bad_blocks = _jsonld_nodes(doc)
    if bad_blocks:
        warnings.append(Msg("warning.bad_jsonld", count=bad_blocks))
    md_nodes = _microdata_nodes(doc, base)
    mf_items = _mf2_items(doc, base)
    if ld_nodes:
        found.append("json-ld")
    if md_nodes:
        found.append("microdata")
    if mf_items:
        found.append("microformats2")
    if opengraph is not None:
        found.append("opengraph")

    candidates: list[_Thread] = []
    for nodes, source in ((ld_nodes, "json-ld"), (md_nodes, "microdata")):
        thread = _schema_thread(nodes, source, base)  # type: ignore[arg-type]
        if thread is not None:
            candidates.append(thread)
    mf_thread = _mf2_thread(mf_items, base, url)
    if mf_thread is not None:
        candidates.append(mf_thread)

    # the richest thread wins (most replies, then a root with text and author); the others
    # stay reported through sources_found, for the merger to weigh
    best = max(candidates, key=lambda t: (len(t.replies), _filled(t.root), -t.order),
               default=None)
    if best is None:
        og_root = _opengraph_root(opengraph, base) if opengraph is not None else None
        return MarkupThread(
            url=url, root=og_root, opengraph=opengraph, activitystreams_links=links,
            sources_found=tuple(found), warnings=tuple(warnings))
    return MarkupThread(
        url=url, root=best.root, replies=tuple(best.replies), ancestors=tuple(best.ancestors),
        opengraph=opengraph, activitystreams_links=links, sources_found=tuple(found),
        declared_reply_count=_declared(best.root), warnings=tuple(warnings))


def _declared(root: MarkupPost) -> int | None:
    """The replies the markup says the root has: comments plus answers, where stated."""
    stated = [root.counts[key] for key in ("replies", "answers") if key in root.counts]
    return sum(stated) if stated else None


@dataclass
class _Thread:
    root: MarkupPost
    replies: list[MarkupPost]
    ancestors: list[MarkupPost]
    order: int  # JSON-LD before microdata before mf2 when all else is equal


def _filled(post: MarkupPost) -> int:
    return sum(1 for value in (post.author, post.text, post.published_at) if value)


# --- parsing and plain text -----------------------------------------------------------------

def _parse(page: str | bytes) -> Any:
    """The lxml document, or None for an empty page."""
    if isinstance(page, str):
        # parse as UTF-8 bytes: lxml refuses str with an encoding declaration, and the
        # declared charset no longer applies to text that is already decoded
        data, encoding = page.encode("utf-8", "surrogatepass"), "utf-8"
    else:
        data, encoding = page, _sniff_encoding(page)
    if not data.strip():
        return None
    try:
        parser = html.HTMLParser(encoding=encoding, remove_comments=False, huge_tree=True)
        return html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, LookupError):
        # an unknown declared charset: fall back to the parser's own detection
        try:
            return html.document_fromstring(data)
        except (etree.ParserError, ValueError):
            return None


def _sniff_encoding(data: bytes) -> str:
    """The page's encoding: BOM, then ``<meta charset>``, then UTF-8 if valid, else cp1252."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16le"),
                      (b"\xfe\xff", "utf-16be")):
        if data.startswith(bom):
            return name
    match = _CHARSET.search(data[:8192])
    if match:
        name = match.group(1).decode("ascii", "replace").lower()
        # WHATWG: pages labelled latin-1/ascii are decoded as windows-1252
        if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"):
            return "cp1252"
        try:
            "".encode(name)
        except LookupError:
            pass
        else:
            return name
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _base_url(doc: Any, url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return urljoin(url, str(href).strip())
    return url


def _tag(element: Any) -> str:
    """The lower-case tag name, or "" for comments and processing instructions."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def plain_text(element: Any) -> str:
    """The visible text of an element: block boundaries and ``<br>`` become newlines, runs of
    spaces collapse, blank lines collapse to one. Iterative, so deep trees cannot overflow."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        tag = _tag(node)
        if closing:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if node is not element and node.tail:
                parts.append(node.tail)
            continue
        if tag == "" or tag in _SKIP_TAGS:
            if node is not element and node.tail:
                parts.append(node.tail)
            continue
        if tag == "br":
            parts.append("\n")
            if node is not element and node.tail:
                parts.append(node.tail)
            continue
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _tidy("".join(parts), keep_blank=False)


def _tidy(text: str, keep_blank: bool = True) -> str:
    """Spaces collapsed, lines trimmed; blank lines kept as one (text given as text) or dropped
    (text read from markup, where every nested block would otherwise add one)."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (keep_blank and out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _text_value(value: str) -> str:
    """A text property from JSON: HTML in it (markup or entities) is read as HTML."""
    if _HTMLISH.search(value):
        try:
            fragment = html.fragment_fromstring(value, create_parent="div")
        except (etree.ParserError, ValueError):
            return _tidy(value)
        return plain_text(fragment)
    return _tidy(value)


def rfc3339(value: str | None) -> str | None:
    """An ISO 8601 time as RFC 3339 UTC (``2021-06-04T01:58:46Z``); None when the value has no
    time of day or no zone, since turning a local wall-clock time into UTC would be a guess."""
    if not value:
        return None
    text = value.strip()
    if re.match(r"^\d{4}-\d\d-\d\d \d", text):
        text = text.replace(" ", "T", 1)
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    if "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- OpenGraph and ActivityStreams -----------------------------------------------------------

def _read_opengraph(doc: Any, base: str) -> OpenGraph | None:
    meta: dict[str, str] = {}
    for element in doc.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        content = element.get("content")
        if key and content is not None and key not in meta:
            meta[key] = content.strip()
    wanted = [key for key in meta if key.startswith(("og:", "article:", "twitter:"))]
    if not wanted:
        return None

    def first(*keys: str) -> str | None:
        for key in keys:
            if meta.get(key):
                return meta[key]
        return None

    page_url = first("og:url", "twitter:url")
    author = first("article:author", "author", "twitter:creator")
    image = first("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                  "twitter:image:src")
    return OpenGraph(
        title=first("og:title", "twitter:title"),
        description=first("og:description", "twitter:description"),
        url=urljoin(base, page_url) if page_url else None,
        type=first("og:type"),
        site_name=first("og:site_name", "twitter:site"),
        image=urljoin(base, image) if image else None,
        image_alt=first("og:image:alt", "twitter:image:alt"),
        author=author,
        handle=first("twitter:creator"),
        published_at=rfc3339(first("article:published_time", "og:published_time",
                                   "article:published")),
    )


def _opengraph_root(og: OpenGraph, base: str) -> MarkupPost | None:
    if not (og.title or og.description or og.url):
        return None
    author = og.author
    if author and re.match(r"^https?://", author):
        # article:author is often a profile URL, not a name
        author = None
    media = (_media("image", og.image, og.image_alt),) if og.image else ()
    return MarkupPost(
        id=og.url or base, url=og.url or base, author=author, handle=og.handle,
        published_at=og.published_at, text=og.description, media=media,
        source="opengraph", title=og.title)


def _activitystreams_links(doc: Any, base: str) -> tuple[str, ...]:
    links: list[str] = []
    for element in doc.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").lower()
        href = (element.get("href") or "").strip()
        if "alternate" not in rel or not href:
            continue
        if kind.startswith("application/activity+json") or (
                kind.startswith("application/ld+json") and "activitystreams" in kind):
            absolute = urljoin(base, href)
            if absolute not in links:
                links.append(absolute)
    return tuple(links)


# --- schema.org: JSON-LD and microdata as one node shape -------------------------------------
#
# A node is a dict: "@type" -> list of local type names, "@id" -> str | None, "@order" -> its
# place in the document, "@element" -> the microdata element (or None), and each property ->
# a list of values (str, or a nested node). Values of microdata properties are read lazily
# (_MicroValue) so a big container is not flattened to text unless a post needs it.

def _jsonld_nodes(doc: Any) -> tuple[list[dict[str, Any]], int]:
    """The top-level JSON-LD nodes of the page, in document order, and the bad block count."""
    nodes: list[dict[str, Any]] = []
    bad = 0
    counter = [0]
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower().split(";")[0] != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        # some sites wrap the JSON in a CDATA section or an HTML comment
        raw = re.sub(r"^(?:<!\[CDATA\[|<!--)", "", raw).strip()
        raw = re.sub(r"(?:\]\]>|-->)$", "", raw).strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)  # raw newlines in strings are common
        except (ValueError, RecursionError):
            bad += 1
            continue
        for item in _top_items(data):
            node = _jsonld_node(item, counter)
            if node is not None:
                nodes.append(node)
    return nodes, bad


def _top_items(data: Any) -> Iterator[Any]:
    if isinstance(data, list):
        for item in data:
            yield from _top_items(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from _top_items(graph)
            rest = {k: v for k, v in data.items() if k not in ("@graph", "@context")}
            if "@type" in rest:
                yield rest
        else:
            yield data


def _local(name: str) -> str:
    return _SCHEMA_PREFIX.sub("", name.strip())


def _jsonld_node(item: Any, counter: list[int]) -> dict[str, Any] | None:
    """A JSON-LD object as a node (iterative: deep comment trees cannot overflow the stack)."""
    if not isinstance(item, dict):
        return None
    root: dict[str, Any] = {}
    # breadth first, so "@order" follows the document's nesting order level by level
    work: deque[tuple[dict[str, Any], dict[str, Any]]] = deque([(item, root)])
    while work:
        source, node = work.popleft()
        counter[0] += 1
        types = source.get("@type", [])
        types = types if isinstance(types, list) else [types]
        node["@type"] = [_local(t) for t in types if isinstance(t, str)]
        node["@id"] = source.get("@id") if isinstance(source.get("@id"), str) else None
        node["@order"] = counter[0]
        node["@element"] = None
        for key, value in source.items():
            if key.startswith("@"):
                continue
            values: list[Any] = []
            for entry in value if isinstance(value, list) else [value]:
                if isinstance(entry, dict):
                    if set(entry) <= {"@value", "@language", "@type"} and "@value" in entry:
                        values.append(entry["@value"])
                        continue
                    child: dict[str, Any] = {}
                    work.append((entry, child))
                    values.append(child)
                elif entry is not None:
                    values.append(entry)
            node[_local(key)] = values
    return root


class _MicroValue:
    """A microdata property value, read from its element only when asked."""

    __slots__ = ("element", "base")

    def __init__(self, element: Any, base: str) -> None:
        self.element = element
        self.base = base

    def read(self, as_text: bool) -> str:
        element, tag = self.element, _tag(self.element)
        if tag == "meta":
            return (element.get("content") or "").strip()
        if tag in ("audio", "embed", "iframe", "img", "source", "track", "video"):
            return urljoin(self.base, str(element.get("src") or "").strip())
        if tag in ("a", "area", "link"):
            return urljoin(self.base, str(element.get("href") or "").strip())
        if tag == "object":
            return urljoin(self.base, str(element.get("data") or "").strip())
        if tag in ("data", "meter"):
            return (element.get("value") or "").strip()
        if tag == "time" and element.get("datetime"):
            return str(element.get("datetime")).strip()
        if element.get("content") is not None:
            return str(element.get("content")).strip()
        return plain_text(element) if as_text else _tidy(element.text_content())


def _microdata_nodes(doc: Any, base: str) -> list[dict[str, Any]]:
    """The top-level microdata items, in document order: one pass with a stack of open items."""
    tops: list[dict[str, Any]] = []
    open_items: list[tuple[Any, dict[str, Any]]] = []
    order = 0
    for event, element in etree.iterwalk(doc, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if event == "end":
            if open_items and open_items[-1][0] is element:
                open_items.pop()
            continue
        scope = element.get("itemscope") is not None
        props = (element.get("itemprop") or "").split()
        node: dict[str, Any] | None = None
        if scope:
            order += 1
            node = {
                "@type": [_local(t) for t in (element.get("itemtype") or "").split()],
                "@id": element.get("itemid"), "@order": order, "@element": element,
            }
        if props and open_items:
            owner = open_items[-1][1]
            value: Any = node if node is not None else _MicroValue(element, base)
            for prop in props:
                owner.setdefault(_local(prop), []).append(value)
        elif node is not None:
            tops.append(node)
        if node is not None:
            open_items.append((element, node))
    return tops


def _values(node: dict[str, Any], key: str) -> list[Any]:
    value = node.get(key)
    return value if isinstance(value, list) else []


def _string(value: Any, as_text: bool = False) -> str | None:
    if isinstance(value, _MicroValue):
        value = value.read(as_text)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        text = _text_value(value) if as_text else value.strip()
        return text or None
    return None


def _first_string(node: dict[str, Any], *keys: str, as_text: bool = False) -> str | None:
    for key in keys:
        for value in _values(node, key):
            if isinstance(value, dict):
                # PropertyValue / WebPage references: their value or @id
                inner = _first_string(value, "value", "url", "name") or value.get("@id")
                if isinstance(inner, str) and inner:
                    return inner
                continue
            text = _string(value, as_text)
            if text:
                return text
    return None


def _int(value: Any) -> int | None:
    text = _string(value)
    if text is None:
        return None
    digits = re.sub(r"[\s,.\u00a0]", "", text)
    return int(digits) if digits.isdigit() else None


def _is_post(node: dict[str, Any]) -> bool:
    """A thread type, or any item carrying comments (a VideoObject with its comments)."""
    if any(t in _ROOT_RANK for t in node["@type"]):
        return True
    return any(isinstance(v, dict) and set(v["@type"]) & _REPLY_TYPES
               for key in _REPLY_PROPS for v in _values(node, key))


def _rank(node: dict[str, Any]) -> int:
    return min((_ROOT_RANK[t] for t in node["@type"] if t in _ROOT_RANK), default=99)


def _schema_thread(nodes: list[dict[str, Any]], source: MarkupSource,
                   base: str) -> _Thread | None:
    """The best thread among the schema.org nodes of one source."""
    if not nodes:
        return None
    # every post node, its nested reply posts, and the free-standing ones
    posts: list[dict[str, Any]] = []
    children: dict[int, list[dict[str, Any]]] = {}
    nested: set[int] = set()
    seen: set[int] = set()
    work = list(nodes)
    while work:
        node = work.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if _is_post(node):
            posts.append(node)
            kids = [v for key in _REPLY_PROPS for v in _values(node, key)
                    if isinstance(v, dict) and _is_post(v)]
            kids.sort(key=lambda n: n["@order"])
            children[id(node)] = kids
            nested.update(id(k) for k in kids)
        for key, values in node.items():
            if key.startswith("@") or not isinstance(values, list):
                continue
            work.extend(v for v in values if isinstance(v, dict))
    if not posts:
        return None
    posts.sort(key=lambda n: n["@order"])

    by_ref: dict[str, dict[str, Any]] = {}
    for node in posts:
        for ref in (node.get("@id"), _first_string(node, "url"),
                    _first_string(node, "identifier")):
            if isinstance(ref, str) and ref:
                by_ref.setdefault(urljoin(base, ref) if "/" in ref else ref, node)
    # free-standing replies tied to their parent by parentItem (or with no parent at all)
    loose_parent: dict[int, dict[str, Any] | None] = {}
    for node in posts:
        if id(node) in nested:
            continue
        ref = _first_string(node, "parentItem")
        if ref is not None:
            parent = by_ref.get(urljoin(base, ref) if "/" in ref else ref)
            if parent is not None and parent is not node:
                children[id(parent)].append(node)
                nested.add(id(node))
                continue
        if set(node["@type"]) & _REPLY_TYPES and not set(node["@type"]) & {"Question"}:
            loose_parent[id(node)] = None
    for kids in children.values():
        kids.sort(key=lambda n: n["@order"])

    roots = [n for n in posts if id(n) not in nested and id(n) not in loose_parent]
    if not roots:
        roots = [n for n in posts if id(n) not in nested]
    root = max(roots, key=lambda n: (_descendants(n, children), -_rank(n), -n["@order"]))
    ids = _IdMaker(source)
    root_post = _schema_post(root, None, source, base, ids)
    replies: list[MarkupPost] = []
    _collect(root, root_post.id, children, source, base, ids, replies, seen=set())
    # a forum page lists its posts as sibling items of the root's type (Discourse's crawler
    # view: one DiscussionForumPosting per post, same headline, no comment property): the
    # later ones are the replies of the topic, flat
    topic = _first_string(root, "headline", "name")
    for node in roots:
        if (node is not root and node["@order"] > root["@order"]
                and set(node["@type"]) & set(root["@type"])
                and _first_string(node, "headline", "name") in (None, topic)):
            loose_parent[id(node)] = None
    # loose comments with no parent of their own reply to the root
    for node in posts:
        if id(node) in loose_parent and node is not root:
            replies.append(_schema_post(node, root_post.id, source, base, ids))
            _collect(node, replies[-1].id, children, source, base, ids, replies, seen=set())
    replies = _dedupe(replies)
    order = 0 if source == "json-ld" else 1
    return _Thread(root_post, replies, [], order)


def _descendants(node: dict[str, Any], children: dict[int, list[dict[str, Any]]]) -> int:
    count, work, seen = 0, list(children.get(id(node), [])), set()
    while work:
        child = work.pop()
        if id(child) in seen:
            continue
        seen.add(id(child))
        count += 1
        work.extend(children.get(id(child), []))
    return count


def _collect(node: dict[str, Any], node_id: str, children: dict[int, list[dict[str, Any]]],
             source: MarkupSource, base: str, ids: _IdMaker, out: list[MarkupPost],
             seen: set[int]) -> None:
    """The replies under ``node``, depth first in document order (iterative)."""
    work = [(kid, node_id) for kid in reversed(children.get(id(node), []))]
    while work:
        kid, parent_id = work.pop()
        if id(kid) in seen:
            continue
        seen.add(id(kid))
        post = _schema_post(kid, parent_id, source, base, ids)
        out.append(post)
        work.extend((grandkid, post.id) for grandkid in reversed(children.get(id(kid), [])))


def _dedupe(replies: list[MarkupPost]) -> list[MarkupPost]:
    """Drop a reply given twice (same id, or same author, time and text)."""
    out: list[MarkupPost] = []
    ids: set[str] = set()
    contents: set[tuple[str | None, ...]] = set()
    for post in replies:
        content = (post.author, post.published_at, post.text)
        if post.id in ids or (post.text and content in contents):
            continue
        ids.add(post.id)
        contents.add(content)
        out.append(post)
    return out


class _IdMaker:
    """Unique post ids: the markup's own id where it gives one, else its source and place."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.used: set[str] = set()
        self.count = 0

    def make(self, given: str | None) -> str:
        self.count += 1
        candidate = given or f"{self.source}:{self.count}"
        if candidate in self.used:
            candidate = f"{candidate}#{self.count}"
        self.used.add(candidate)
        return candidate


def _schema_post(node: dict[str, Any], parent_id: str | None, source: MarkupSource,
                 base: str, ids: _IdMaker) -> MarkupPost:
    element = node.get("@element")
    url = _first_string(node, "url")
    if url is None and isinstance(node.get("@id"), str) and node["@id"].startswith("http"):
        url = node["@id"]
    if url is None and parent_id is None:
        url = _first_string(node, "mainEntityOfPage")
    url = urljoin(base, url) if url else None
    given = node.get("@id") or _first_string(node, "identifier") or url
    if not given and element is not None and element.get("id"):
        # microdata items without an id of their own: the element's anchor is a permalink
        given = f"{base.split('#')[0]}#{element.get('id')}"
    author, handle = _schema_author(node)
    text = _first_string(node, "text", "articleBody", as_text=True)
    if text is None and parent_id is None:
        text = _first_string(node, "description", as_text=True)
    counts: dict[str, int] = {}
    for stat in _values(node, "interactionStatistic"):
        if not isinstance(stat, dict):
            continue
        kinds = _values(stat, "interactionType")
        kind = kinds[0] if kinds else None
        name = (kind["@type"][0] if isinstance(kind, dict) and kind["@type"]
                else _string(kind) or "")
        key = _COUNT_KEYS.get(_local(name).split("/")[-1])
        number = _int(next(iter(_values(stat, "userInteractionCount")), None))
        if key and number is not None:
            counts[key] = number
    for prop, key in (("commentCount", "replies"), ("answerCount", "answers"),
                      ("upvoteCount", "upvotes"), ("downvoteCount", "downvotes")):
        number = _int(next(iter(_values(node, prop)), None))
        if number is not None:
            counts.setdefault(key, number)
    return MarkupPost(
        id=ids.make(given), url=url, author=author, handle=handle,
        published_at=rfc3339(_first_string(node, "datePublished", "dateCreated", "uploadDate")),
        text=text, media=_schema_media(node, base), parent_id=parent_id, counts=counts,
        source=source, title=_first_string(node, "headline", "name", as_text=True))


def _schema_author(node: dict[str, Any]) -> tuple[str | None, str | None]:
    for key in ("author", "creator"):
        for value in _values(node, key):
            if isinstance(value, dict):
                name = _first_string(value, "name", "alternateName", "givenName")
                alternate = _first_string(value, "alternateName")
                handle = alternate if alternate and alternate.startswith("@") else None
                if name:
                    return name, handle
            else:
                name = _string(value, as_text=True)
                if name:
                    return name, None
    return None, None


def _schema_media(node: dict[str, Any], base: str) -> tuple[Media, ...]:
    media: list[Media] = []
    for key, kind in (("image", "image"), ("video", "video"), ("audio", "audio"),
                      ("associatedMedia", None)):
        for value in _values(node, key):
            if isinstance(value, dict):
                types = value["@type"]
                found = _first_string(value, "contentUrl", "url", "embedUrl")
                alt = _first_string(value, "caption", "description", "name")
                guess = kind or ("video" if "VideoObject" in types else
                                 "audio" if "AudioObject" in types else "image")
            else:
                found, alt, guess = _string(value), None, kind or "image"
            if found and not found.startswith("data:"):
                item = _media(guess, urljoin(base, found), alt)
                if item not in media:
                    media.append(item)
    return tuple(media)


# --- microformats2 ---------------------------------------------------------------------------

@dataclass
class _MfItem:
    """A parsed microformats2 item: types, properties (values: str or _MfItem), children."""

    types: list[str]
    element: Any
    properties: dict[str, list[Any]] = field(default_factory=dict)
    children: list[_MfItem] = field(default_factory=list)
    #: the text of the item's element, read on use (an item used as a property value)
    value: _MfLazy | None = None
    order: int = 0


#: the published mf2 vocabularies: CSS utility classes such as "h-auto" or "h-100" share the
#: prefix, so only these names make an item
_MF_ROOT = re.compile(
    r"^h-(?:entry|cite|card|feed|event|review|review-aggregate|adr|geo|product|recipe|"
    r"resume|item|listing|as-note|as-article)$")
_MF_PROP = re.compile(r"^(p|u|dt|e)-([a-z0-9]+(?:-[a-z0-9]+)*)$")


def _classes(element: Any) -> list[str]:
    return (element.get("class") or "").split()


def _mf2_items(doc: Any, base: str) -> list[_MfItem]:
    """The top-level mf2 items; nested ones hang off their properties and children."""
    tops: list[_MfItem] = []
    counter = [0]
    # a stack of (element, owning item or None); each element is visited once
    work: list[tuple[Any, _MfItem | None]] = [(doc, None)]
    while work:
        element, owner = work.pop()
        if not isinstance(element.tag, str) or _tag(element) in ("script", "style", "template"):
            continue
        classes = _classes(element)
        roots = [c for c in classes if _MF_ROOT.match(c)]
        props = [m for m in (_MF_PROP.match(c) for c in classes) if m] if owner else []
        if roots:
            counter[0] += 1
            item = _MfItem(types=sorted(set(roots)), element=element, order=counter[0])
            if owner is None:
                tops.append(item)
            elif props:
                item.value = _MfLazy(element, "p", base)
                for match in props:
                    owner.properties.setdefault(match.group(2), []).append(item)
            else:
                owner.children.append(item)
            work.extend((child, item) for child in reversed(element))
            continue
        if owner is not None:
            for match in props:
                prefix, name = match.group(1), match.group(2)
                owner.properties.setdefault(name, []).append(
                    _MfLazy(element, prefix, base))
        work.extend((child, owner) for child in reversed(element))
    for item in _walk_items(tops):
        _mf_implied(item, base)
    return tops


class _MfLazy:
    """An mf2 property value read from its element on first use."""

    __slots__ = ("element", "prefix", "base", "_value")

    def __init__(self, element: Any, prefix: str, base: str) -> None:
        self.element, self.prefix, self.base = element, prefix, base
        self._value: str | None = None

    def get(self) -> str:
        if self._value is None:
            self._value = _mf_prop_value(self.element, self.prefix, self.base)
        return self._value


def _mf_prop_value(element: Any, prefix: str, base: str) -> str:
    tag = _tag(element)
    if prefix == "u":
        for attr, tags in (("href", ("a", "area", "link")),
                           ("src", ("img", "audio", "video", "source", "iframe")),
                           ("poster", ("video",)), ("data", ("object",))):
            if tag in tags and element.get(attr):
                return urljoin(base, str(element.get(attr)).strip())
        if tag in ("data", "input") and element.get("value"):
            return str(element.get("value")).strip()
        return urljoin(base, _tidy(element.text_content())) if element.text_content().strip() \
            else ""
    if prefix == "dt":
        for dt_attr, dt_tags in (("datetime", ("time", "ins", "del")), ("title", ("abbr",)),
                                 ("value", ("data", "input"))):
            if tag in dt_tags and element.get(dt_attr):
                return str(element.get(dt_attr)).strip()
        return _tidy(element.text_content())
    if prefix == "p":
        if tag in ("abbr", "link") and element.get("title"):
            return str(element.get("title")).strip()
        if tag in ("data", "input") and element.get("value"):
            return str(element.get("value")).strip()
        if tag in ("img", "area") and element.get("alt") is not None:
            return str(element.get("alt")).strip()
    return plain_text(element)


def _walk_items(tops: list[_MfItem]) -> Iterator[_MfItem]:
    work = list(reversed(tops))
    while work:
        item = work.pop()
        yield item
        nested = [v for values in item.properties.values() for v in values
                  if isinstance(v, _MfItem)]
        work.extend(reversed(sorted(nested + item.children, key=lambda i: i.order)))


def _mf_implied(item: _MfItem, base: str) -> None:
    """The implied name, photo and url of mf2 (only where a post or author needs them)."""
    element = item.element
    if "name" not in item.properties and not _has_nested_props(item):
        if _tag(element) in ("img", "area") and element.get("alt"):
            item.properties["name"] = [str(element.get("alt")).strip()]
        else:
            item.properties["name"] = [_MfLazy(element, "p", base)]
    if "url" not in item.properties:
        href = None
        if _tag(element) in ("a", "area") and element.get("href"):
            href = element.get("href")
        else:
            links = [child for child in element if _tag(child) == "a" and child.get("href")]
            if len(links) == 1 and not _MF_ROOT.match(" ".join(_classes(links[0])) or "x"):
                href = links[0].get("href")
        if href:
            item.properties["url"] = [urljoin(base, href.strip())]
    if "photo" not in item.properties and _tag(element) == "img" and element.get("src"):
        item.properties["photo"] = [urljoin(base, element.get("src").strip())]


def _has_nested_props(item: _MfItem) -> bool:
    # mf2: no implied name when the item has p-* or e-* properties (or nested items)
    return any(key != "url" for key in item.properties) or bool(item.children)


def _mf_str(item: _MfItem, *names: str) -> str | None:
    for name in names:
        for value in item.properties.get(name, []):
            if isinstance(value, _MfItem):
                text = _mf_str(value, "name") or (value.value.get() if value.value else None)
            elif isinstance(value, _MfLazy):
                text = value.get()
            else:
                text = str(value)
            if text:
                return text
    return None


def _mf_is_post(item: _MfItem) -> bool:
    return "h-entry" in item.types or "h-cite" in item.types


def _mf2_thread(tops: list[_MfItem], base: str, page_url: str) -> _Thread | None:
    posts = [item for item in _walk_items(tops) if "h-entry" in item.types]
    if not posts:
        return None
    children: dict[int, list[_MfItem]] = {}
    nested: set[int] = set()
    for item in _walk_items(tops):
        if not _mf_is_post(item):
            continue
        kids = [v for key in ("comment", "children") for v in item.properties.get(key, [])
                if isinstance(v, _MfItem) and _mf_is_post(v)]
        kids += [c for c in item.children if _mf_is_post(c)]
        kids.sort(key=lambda i: i.order)
        children[id(item)] = kids
        nested.update(id(k) for k in kids)
    by_url: dict[str, _MfItem] = {}
    for item in posts:
        for key in ("url", "uid"):
            for value in item.properties.get(key, []):
                text = value.get() if isinstance(value, _MfLazy) else value
                if isinstance(text, str) and text:
                    by_url.setdefault(text.split("#")[0] if key == "uid" else text, item)
    # separate h-entries replying to a post on the page hang under it
    for item in posts:
        if id(item) in nested:
            continue
        for target in _mf_reply_targets(item):
            parent = by_url.get(target)
            if parent is not None and parent is not item:
                children.setdefault(id(parent), []).append(item)
                children[id(parent)].sort(key=lambda i: i.order)
                nested.add(id(item))
                break
    tops_posts = [item for item in posts if id(item) not in nested]
    if not tops_posts:
        return None
    page = page_url.split("#")[0]
    root = max(tops_posts, key=lambda i: (
        page in (_mf_str(i, "url") or "", _mf_str(i, "uid") or ""),
        _mf_count(i, children), -i.order))
    ids = _IdMaker("microformats2")
    ancestors = [_mf_post(cite, None, ids) for cite in root.properties.get("in-reply-to", [])
                 if isinstance(cite, _MfItem)]
    parent_of_root = ancestors[0].id if ancestors else None
    root_post = _mf_post(root, parent_of_root, ids)
    replies: list[MarkupPost] = []
    seen: set[int] = {id(root)}
    work = [(kid, root_post.id) for kid in reversed(children.get(id(root), []))]
    while work:
        item, parent_id = work.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        post = _mf_post(item, parent_id, ids)
        replies.append(post)
        work.extend((kid, post.id) for kid in reversed(children.get(id(item), [])))
    return _Thread(root_post, _dedupe(replies), ancestors, 2)


def _mf_reply_targets(item: _MfItem) -> list[str]:
    targets: list[str] = []
    for value in item.properties.get("in-reply-to", []):
        if isinstance(value, _MfItem):
            url = _mf_str(value, "url")
            if url:
                targets.append(url)
        elif isinstance(value, _MfLazy) and value.get():
            targets.append(value.get())
    return targets


def _mf_count(item: _MfItem, children: dict[int, list[_MfItem]]) -> int:
    count, work, seen = 0, list(children.get(id(item), [])), set()
    while work:
        kid = work.pop()
        if id(kid) not in seen:
            seen.add(id(kid))
            count += 1
            work.extend(children.get(id(kid), []))
    return count


def _mf_post(item: _MfItem, parent_id: str | None, ids: _IdMaker) -> MarkupPost:
    author, handle = None, None
    for value in item.properties.get("author", []):
        if isinstance(value, _MfItem):
            author = _mf_str(value, "name") or (value.value.get() if value.value else None)
            nick = _mf_str(value, "nickname")
            handle = nick if nick else None
        elif isinstance(value, _MfLazy):
            author = value.get() or None
        if author:
            break
    text = None
    for value in item.properties.get("content", []):
        if isinstance(value, _MfLazy):
            text = value.get() or None
        elif isinstance(value, _MfItem) and value.value is not None:
            text = value.value.get() or None
        if text:
            break
    if text is None:
        text = _mf_str(item, "summary")
    name = _mf_str(item, "name")
    if text is None and name:
        # an h-entry with no content: its (implied) name is its text (notes, h-cite)
        text = name
    url = _mf_str(item, "url")
    given = _mf_str(item, "uid") or url
    if not given and item.element.get("id"):
        given = f"#{item.element.get('id')}"
    media: list[Media] = []
    for prop, kind in (("photo", "image"), ("video", "video"), ("audio", "audio")):
        for value in item.properties.get(prop, []):
            if isinstance(value, _MfLazy) and value.get():
                alt = value.element.get("alt")
                media.append(_media(kind, value.get(), alt.strip() if alt else None))
            elif isinstance(value, str) and value:
                media.append(_media(kind, value, None))
    return MarkupPost(
        id=ids.make(given), url=url, author=author, handle=handle,
        published_at=rfc3339(_mf_str(item, "published")), text=text, media=tuple(media),
        parent_id=parent_id, counts={}, source="microformats2",
        title=name if name and name != text else None)


def iter_posts(thread: MarkupThread) -> Iterable[MarkupPost]:
    """The root (if any) then the replies, in document order."""
    if thread.root is not None:
        yield thread.root
    yield from thread.replies
