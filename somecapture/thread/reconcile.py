"""One thread from several sources, and an honest verdict on how much of it could be read.

Sources, each a list of :class:`~somecapture.thread.post.ThreadPost`:

- what the page shows: the site adapter's selectors (``page-selectors``) and the generic reader
  of the rendered page (``page-reader``); they give page order and screenshot boxes;
- the platform's own data in the recorded responses (``mastodon-api``, ``x-graphql-…``);
- standard markup in the final HTML (``json-ld``, ``microdata``, ``microformats2``,
  ``opengraph``).

A root from ``page-metadata`` is the page itself (the generic reader's stand-in where no
post opens the thread): it gives way to any source's real root and is never a reply.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from somecapture.messages import Msg
from somecapture.textsafe import clean_text
from somecapture.thread.markup import MarkupThread
from somecapture.thread.post import ThreadData, ThreadPost, made_up_id
from somecapture.thread.recorded import norm_url, url_keys

#: fields a source can fill, in the order they are reported
FIELDS = ("author", "handle", "published_at", "published_text", "published_raw", "text", "url",
          "parent_id", "media")
#: the sources that read the page as the archivist sees it
PAGE_SOURCES = ("page-selectors", "page-reader")
#: the source of a root that stands for the page, not for a post read from it: the generic
#: reader found no block that opens the thread (a comment-only page, a later page of a forum
#: thread) and took the page's own metadata (title, description, address). Such a root names
#: the thread; any source's real root replaces it, and it is never a reply.
PAGE_METADATA = "page-metadata"
#: a text shorter than this matches only together with its author
_SHORT_TEXT = 24
#: what is left of a text once other posts' words are taken out, shorter than this, is no
#: words of its own (a control's label, a count: "3 svar", "Reply")
_NO_OWN_WORDS = 8
#: a longer reading of the same author's post that adds at most a fifth (a "Like" line)
_NEAR_WHOLE = 0.8
#: an address where a name should be
_WEB_ADDRESS = re.compile(r"(?i)^(?:https?://|www\.)\S+$")
#: two readings' boxes of one post start within this many CSS pixels of each other
_SAME_TOP_PX = 12
#: how a page ends a text it cut: an ellipsis, a "see more" control, or both
_CUT_MARKER = re.compile(
    r"(?:\s*(?:…|\.\.\.)\s*(?:(?:se|vis) mer|sjå meir|see more|show more|read more|"
    r"mehr anzeigen)?|\s+(?:(?:se|vis) mer|sjå meir|see more|show more|read more|"
    r"mehr anzeigen))\s*$", re.IGNORECASE)


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
    #: added by a page source other than the lead because the lead lacks it, and no other
    #: source has matched it since: only that one reading says the post exists
    lone: bool = False


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
    #: posts the root answers (the conversation above it), oldest first
    ancestors: list[dict[str, Any]] = field(default_factory=list)
    #: reply-like blocks the generic reader saw that the platform's own adapter does not
    #: count as replies (recommended posts, ads…): recorded, not in the thread
    unmatched_page_blocks: int = 0
    #: posts only one page reading has whose words are other posts' under other authors
    #: (a misreading that would credit someone with words they did not write): recorded
    #: here with the posts whose words they have, not in the thread (see
    #: :func:`_misread_of`, :func:`_made_of_others`)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


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
    author, author_url = text("author"), text("author_url")
    if author and _WEB_ADDRESS.match(author):
        # a selector that read a profile link's address: that is where the author is, not
        # who
        author, author_url = None, author_url or author
    return ThreadPost(
        id=str(item.get("id") or fallback_id), source=source, url=text("url"),
        author=author, handle=text("handle"), author_url=author_url,
        published_at=text("published_at"),
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
    trust_first: bool = False,
    others_fill_only: bool = False,
) -> Reconciled:
    """Merge the sources into one thread and judge what could be read.

    ``page_sources``: (root, [(reply, its page dict)]) from each page source, in page order;
    the page dict's ``screenshot_box`` and any fields of the adapter's own are kept.
    ``data_sources``: the platform's data and the markup, as :class:`ThreadData`.
    ``page_blocks``: reply-like blocks the generic reader saw on the page (may exceed what it
    could read).
    ``trust_first``: the first page source is a platform's own adapter, which knows which
    blocks are replies: when it read every reply it found, its count is what the page shows
    (the generic reader also counts look-alikes, such as X's "Discover more" tweets).
    ``others_fill_only``: the first page source's replies are the page's; the others only
    fill fields (and lend their ids) to the posts they match — what they alone read is not
    added (the generic selectors, which also match parts of posts).
    """
    pages = [p for p in page_sources if p[0] is not None or p[1]]
    datas = [d for d in data_sources if d.root is not None or d.replies]
    trusted = trust_first and bool(pages) and bool(pages[0][1]) and \
        readable_count(pages[0]) == len(pages[0][1])
    # the base gives page order, ids and boxes: the first page source (the site adapter),
    # unless it could read fewer than half of its replies and another reads more (markup it
    # no longer knows: the generic reader then leads, the adapter fills in)
    if len(pages) > 1 and not trusted:
        first, best = pages[0], max(pages[1:], key=readable_count)
        if (readable_count(first) * 2 < len(first[1]) or not first[1]) and \
                readable_count(best) > readable_count(first):
            pages.remove(best)
            pages.insert(0, best)
    root: _Post | None = None
    replies: list[_Post] = []
    unmatched_blocks = 0
    for index, (p_root, p_replies) in enumerate(pages):
        incoming = [_Post(r, dict.fromkeys(_filled(r), r.source), True,
                          (item or {}).get("screenshot_box"), {r.id}, dict(item or {}))
                    for r, item in p_replies]
        root, other_root = _merge_root(root, p_root, seen=True, page_url=page_url)
        if other_root is not None:
            # a source that took another post for the root (the generic reader's "first
            # block" on a page whose root it could not place): that post is a reply
            incoming.insert(0, _Post(other_root, dict.fromkeys(_filled(other_root),
                                                               other_root.source), True,
                                     None, {other_root.id}))
        if index == 0:
            replies = incoming
        else:
            unmatched = _merge_into(replies, incoming, add_unmatched=False)
            if trusted:
                # what a trusted adapter does not list is no reply of this platform (X's
                # "Discover more"): kept out, but counted in the completeness record
                unmatched_blocks += len(unmatched)
            elif others_fill_only:
                pass
            else:
                # another reader's reply the lead missed: kept when it can be read (an
                # unreadable block cannot be told apart from the lead's own); only this
                # reading has it until another source matches it
                for u in unmatched:
                    if u.post.author and _has_content(u.post):
                        u.lone = True
                        replies.append(u)
    for data in datas:
        if root is None and data.focal_id and _names_page(data.focal_id, page_url):
            # the response is about the page's post but does not hold it (Mastodon's
            # /context): the root is that post, known by its id and address only
            root = _Post(ThreadPost(id=data.focal_id, source=data.source, url=page_url),
                         {"url": data.source}, False, None, {data.focal_id})
    for data in datas:
        root, other_root = _merge_root(root, data.root, seen=False, page_url=page_url)
        if root is not None and data.focal_id:
            # the post the response is about (Mastodon /context names it, holds it not)
            if data.focal_id == root.post.id or _names_page(data.focal_id, page_url):
                root.aliases.add(data.focal_id)
                if data.focal_parent_id and not root.post.parent_id:
                    # the data names the post the root answers (Mastodon /context's last
                    # ancestor): the conversation above the root is known
                    root.post = replace(root.post, parent_id=data.focal_parent_id)
                    root.sources["parent_id"] = data.source
        incoming = [_Post(r, dict.fromkeys(_filled(r), r.source), False, None, {r.id})
                    for r in data.replies]
        for extra in _merge_into(replies, incoming, add_unmatched=False):
            replies.append(extra)
        if other_root is not None:
            replies.append(_Post(other_root, dict.fromkeys(_filled(other_root),
                                                           other_root.source), False, None,
                                 {other_root.id}))
    # a reply the root's aliases point at, or with the root's own words, is the root itself
    # (the focal post twice; one reader's block that another took for the root)
    if root is not None:
        kept = []
        for r in replies:
            if r.aliases & root.aliases:
                continue
            if _same_text(r.post, root.post) and not _conflicting(r.post, root.post):
                _absorb(root, r)
                continue
            kept.append(r)
        replies = kept
    replies, conflicts = _without_misreadings(root, replies)
    replies, ancestors = _in_the_thread(root, replies)
    _translate_parents(root, replies)
    shown = [r for r in replies if r.seen]
    visible = len(shown) + (0 if trusted else max(0, page_blocks - len(shown)))
    readable_visible = sum(1 for r in shown if _has_content(r.post) and r.post.author)
    counts: dict[str, int] = {}
    for r in replies:
        for source in set(r.sources.values()):
            counts[source] = counts.get(source, 0) + 1
    warnings = []
    if visible and readable_visible < visible:
        warnings.append(Msg("warning.replies_readable", readable=readable_visible,
                            visible=visible))
    return Reconciled(
        root=_to_json(root) if root is not None else None,
        replies=[_to_json(r) for r in replies],
        visible=visible,
        readable_visible=readable_visible,
        sources=counts,
        warnings=tuple(warnings),
        ancestors=[_to_json(a) for a in ancestors],
        unmatched_page_blocks=unmatched_blocks,
        conflicts=conflicts,
    )


#: why a post in :attr:`Reconciled.conflicts` is not a reply
MISREAD = ("only {source} read it, with the words of another post under another author: not "
           "added as a reply (a misreading of the page would credit that author with words "
           "they did not write)")


def _without_misreadings(root: _Post | None, replies: list[_Post]
                         ) -> tuple[list[_Post], list[dict[str, Any]]]:
    """(replies, conflicts): a post only one page reading added (:attr:`_Post.lone`) that
    is a misreading of posts other sources have (:func:`_misread_of`,
    :func:`_made_of_others`) is no reply; it is recorded as a conflict, with the posts
    whose words it has."""
    if not any(r.lone for r in replies):
        return replies, []
    others = [p for p in ([root] if root is not None else []) + replies if not p.lone]
    by_start: dict[str, list[_Post]] = {}
    for other in others:
        start = _text_start(other.post)
        if start:
            by_start.setdefault(start, []).append(other)
    authors = {_norm_text(o.post.author) for o in others if o.post.author}
    order = {id(o): i for i, o in enumerate(others)}
    # longest first: a text that holds a shorter one is taken out whole
    long_texts = sorted((o for o in others if o.post.author and
                         len(_norm_text(o.post.text)) >= _SHORT_TEXT),
                        key=lambda o: -len(_norm_text(o.post.text)))
    kept: list[_Post] = []
    conflicts: list[dict[str, Any]] = []
    for r in replies:
        if not r.lone:
            kept.append(r)
            continue
        hit = next((o for o in by_start.get(_text_start(r.post), ())
                    if _misread_of(r.post, o.post, authors)), None)
        hits = [hit] if hit is not None else _made_of_others(r.post, long_texts)
        if not hits:
            kept.append(r)
            continue
        hits.sort(key=lambda h: order[id(h)])
        conflicts.append({
            # the English text for older readers; the code and its parameters for the
            # catalogue message (``conflict.misread``) shown in the reader's language
            "reason": MISREAD.format(source=r.post.source),
            "reason_code": "misread",
            "reason_params": {"source": r.post.source},
            "post": _to_json(r),
            "same_words_as": [{"id": h.post.id, "author": h.post.author,
                               "source": h.post.source} for h in hits],
        })
    return kept, conflicts


def _made_of_others(post: ThreadPost, long_texts: list[_Post]) -> list[_Post]:
    """The posts whose whole texts (each at least :data:`_SHORT_TEXT` long, one at least by
    another author) make up ``post``'s text, with no words of its own besides
    (:data:`_NO_OWN_WORDS`): one reading's block that ran over several replies (one's name,
    the next ones' texts; or its own words and the next reply's). Empty when ``post`` has
    words of its own (a reply quoting another and answering it, even briefly), or holds no
    other author's text."""
    if not post.author or not post.text:
        return []
    # whole words only: spaces around each text (normalised texts are words and spaces)
    rest = f" {_norm_text(post.text)} "
    hits: list[_Post] = []
    for other in long_texts:
        words = f" {_norm_text(other.post.text)} "
        if len(words) > len(rest) or words not in rest:
            continue
        rest = rest.replace(words, "  ")
        hits.append(other)
    if any(not _same_author(post, h.post) for h in hits) and \
            len(re.sub(r"\s+", " ", rest).strip()) < _NO_OWN_WORDS:
        return hits
    return []


def _misread_of(post: ThreadPost, other: ThreadPost, authors: set[str]) -> bool:
    """Whether ``post`` (one reading's only) is a misreading of ``other`` (which another
    source has): the same words (or the page's cut start of them), another author.

    The same words by two people do happen (a copied appeal, a chain post, "Enig!"); then
    every reading of the page that sees both has both, and each matches its own. A post
    only one reading has, with the words another source gives to someone else, is at best
    a copy nobody else confirms, and at worst (a block read across two replies: one's name,
    the next one's text) a false record. It is taken as a misreading when the text is long
    enough to be someone's own words (:data:`_SHORT_TEXT`); a short one ("Ja", "Takk!")
    only when its author is also someone the other sources read (one post's name on
    another's words)."""
    if not (post.author and other.author and post.text and other.text):
        return False
    if _same_author(post, other) or not _same_words(post, other):
        return False
    if len(_norm_text(post.text)) >= _SHORT_TEXT:
        return True
    return _norm_text(post.author) in authors


def _same_words(a: ThreadPost, b: ThreadPost) -> bool:
    """The same text, or one the page's cut start of the other (at least
    :data:`_SHORT_TEXT` characters), whoever the authors are."""
    ta, tb = _norm_text(a.text), _norm_text(b.text)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    short, long = (a, b) if len(ta) < len(tb) else (b, a)
    ts, tl = _norm_text(short.text), _norm_text(long.text)
    return len(ts) >= _SHORT_TEXT and tl.startswith(ts) and _is_cut(short.text)


def _has_content(post: ThreadPost) -> bool:
    """A reply that says something: text, or an image or video only."""
    return bool(post.text or post.media)


def _in_the_thread(root: _Post | None, replies: list[_Post]
                   ) -> tuple[list[_Post], list[_Post]]:
    """(replies, ancestors): what the page showed stays; a post only the data holds stays
    when its parents lead to the root or to a post in the thread; posts the root answers
    are ancestors, not replies; anything else in the recorded data is another thread."""
    ids: dict[str, _Post] = {}
    for post in ([root] if root is not None else []) + replies:
        for alias in post.aliases:
            ids.setdefault(alias, post)
    ancestor_ids: set[str] = set()
    parent = root.post.parent_id if root is not None else None
    while parent and parent in ids and ids[parent] is not root and parent not in ancestor_ids:
        ancestor_ids.add(parent)
        parent = ids[parent].post.parent_id

    def reaches_thread(post: _Post) -> bool:
        seen: set[int] = set()
        current: _Post | None = post
        while current is not None and id(current) not in seen:
            if current.seen and current is not post:
                return True
            seen.add(id(current))
            parent_id = current.post.parent_id
            if parent_id is None:
                return False
            target = ids.get(parent_id)
            if target is root:
                return True
            if target is None or target.aliases & ancestor_ids:
                return False
            current = target
        return False

    kept: list[_Post] = []
    ancestors: list[_Post] = []
    for r in replies:
        if r.aliases & ancestor_ids:
            ancestors.append(r)
        elif r.seen or reaches_thread(r):
            kept.append(r)
    return kept, ancestors


def readable_count(page: tuple[ThreadPost | None, list[tuple[ThreadPost, Any]]]) -> int:
    """How many of a page source's replies were read with an author and a text."""
    return sum(1 for r, _item in page[1] if r.author and r.text)


# -- matching ---------------------------------------------------------------------------------
def _filled(post: ThreadPost) -> list[str]:
    return [f for f in FIELDS if getattr(post, f)]


@lru_cache(maxsize=4096)
def _norm_text(text: str | None) -> str:
    """Text as compared: NFKC, lower case, without a cut marker, words only.

    Cached: matching compares every post of one source with those of another, and the cut
    marker's pattern is slow on long texts (a 500-reply thread took 20 s uncached)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _CUT_MARKER.sub("", text)
    return re.sub(r"[\W_]+", " ", text).strip()


def _is_cut(text: str | None) -> bool:
    """Whether the page shows only the start of the text ("…", "Se mer")."""
    return bool(text and _CUT_MARKER.search(text.strip()))


@lru_cache(maxsize=4096)
def _url_key(url: str | None) -> str | None:
    """A permalink as a key: the comparable URL with its query and fragment (comment
    permalinks often differ only there: ``…/posts/1?comment_id=2``, ``…/post/#comment-3``)."""
    key = norm_url(url)
    if key is None or url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return key
    if parts.query:
        key += "?" + "&".join(sorted(parts.query.split("&")))
    if parts.fragment:
        key += "#" + parts.fragment
    return key


#: a post's own number inside an id: reddit's kinds, comment anchors ("comment-48213", "c12")
_OWN_NUMBER = re.compile(r"^(?:t\d_|comment[-_]?|reply[-_]?|post[-_]?|c|p)([0-9a-z]{4,})$")


def _id_keys(post: ThreadPost) -> frozenset[str]:
    """The whole id, and the post's own number where the id names it unambiguously (the
    fragment of a URL-shaped id, or a known prefix): never a number any post on the page
    shares, such as the thread's."""
    return _id_keys_of(post.id)


@lru_cache(maxsize=4096)
def _id_keys_of(post_id: str) -> frozenset[str]:
    keys = {post_id}
    fragment = post_id.rsplit("#", 1)[1] if "#" in post_id else None
    tail = post_id.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    for part in ([fragment] if fragment else []) + ([tail] if "/" in post_id else []):
        match = _OWN_NUMBER.match(part.lower())
        if match:
            keys.add(match.group(1))
        elif fragment is None and len(part) >= 5:
            keys.add(part.lower())
    return frozenset(keys)


def _same_id_or_url(a: ThreadPost, b: ThreadPost) -> bool:
    if a.id == b.id or _id_keys(a) & _id_keys(b):
        return True
    ua, ub = _url_key(a.url), _url_key(b.url)
    return bool(ua and ua == ub)


def _same_text(a: ThreadPost, b: ThreadPost) -> bool:
    """The same words, or the page's cut start of the other's text; short texts only from
    the same author. A reply quoting another starts with its text but is not cut: no match —
    unless both are by the same author and the longer adds only a little (a reading that
    took the post's "8 Likes" line along)."""
    ta, tb = _norm_text(a.text), _norm_text(b.text)
    if not ta or not tb:
        return False
    if ta != tb:
        short, long = (a, b) if len(ta) < len(tb) else (b, a)
        ts, tl = _norm_text(short.text), _norm_text(long.text)
        if not tl.startswith(ts) or len(ts) < _SHORT_TEXT:
            return False
        if not _is_cut(short.text) and not (
                _same_author(a, b) and len(ts) >= _NEAR_WHOLE * len(tl)):
            return False
    if len(ta) >= _SHORT_TEXT and (not a.author or not b.author or _same_author(a, b)):
        return True
    return _same_author(a, b)


def _same_author(a: ThreadPost, b: ThreadPost) -> bool:
    """Both name the same author: the same words, or one reading adds a second name in
    brackets or after a space ("kari_n (Kari Nordmann)" for "kari_n")."""
    na, nb = _norm_text(a.author), _norm_text(b.author)
    if not na or not nb:
        return False
    short, long = (na, nb) if len(na) <= len(nb) else (nb, na)
    return short == long or long.startswith(short + " ")


def _same_place(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Two readings of the rendered page found a post at the same place: boxes whose tops
    are within a line of each other and that share most of their width (one reading may
    take the avatar column along, the other only the post's body)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    try:
        ax, ay, aw = float(a["x"]), float(a["y"]), float(a["width"])
        bx, by, bw = float(b["x"]), float(b["y"]), float(b["width"])
    except (KeyError, TypeError, ValueError):
        return False
    if min(aw, bw) <= 0 or abs(ay - by) > _SAME_TOP_PX:
        return False
    overlap = min(ax + aw, bx + bw) - max(ax, bx)
    return overlap >= 0.5 * min(aw, bw)


def _conflicting(a: ThreadPost, b: ThreadPost) -> bool:
    """Readings that cannot be one post: different authors, or texts neither of which
    begins the other."""
    if a.author and b.author and not _same_author(a, b):
        return True
    ta, tb = _norm_text(a.text), _norm_text(b.text)
    if ta and tb:
        head = min(len(ta), len(tb), 40)
        return ta[:head] != tb[:head]
    return False


def _same(a: ThreadPost, b: ThreadPost) -> bool:
    """Whether two sources' posts are the same post."""
    return _same_id_or_url(a, b) or _same_text(a, b)


def _names_page(post_id: str, page_url: str) -> bool:
    """Whether ``post_id`` is a segment or query value of the page's address (the id of
    the post the page is about)."""
    return post_id in url_keys(page_url)


def _fill(target: _Post, other: ThreadPost) -> None:
    """Fill what ``target`` lacks from ``other``; a text the page cut is completed."""
    post = target.post
    changes: dict[str, Any] = {}
    for name in FIELDS:
        mine, theirs = getattr(post, name), getattr(other, name)
        if theirs and not mine:
            changes[name] = theirs
            target.sources[name] = other.source
    if post.text and other.text and _is_cut(post.text) and not _is_cut(other.text) and \
            _norm_text(other.text).startswith(_norm_text(post.text)) and \
            len(_norm_text(other.text)) > len(_norm_text(post.text)):
        # the page shows the start and "see more"; the data has the whole text
        changes["text"] = other.text
        target.sources["text"] = other.source
    if changes:
        target.post = replace(post, **changes)
    target.aliases.add(other.id)


def _merge_root(root: _Post | None, other: ThreadPost | None, *, seen: bool, page_url: str
                ) -> tuple[_Post | None, ThreadPost | None]:
    """The root with ``other`` merged in when it is the same post (or the root is an empty
    shell: a title and nothing else); else ``other`` comes back, to be treated as a reply."""
    if other is None:
        return root, None
    if root is None:
        return _Post(other, dict.fromkeys(_filled(other), other.source), seen, None,
                     {other.id}), None
    if _stands_for_page(other):
        # the page, not a post: it adds the name its replies use for the root, and an
        # address where the root has none; it is never a reply
        root.aliases.add(other.id)
        if not root.post.url and other.url:
            root.post = replace(root.post, url=other.url)
            root.sources["url"] = other.source
        return root, None
    if _stands_for_page(root.post):
        # a real root replaces the page's stand-in; replies naming the stand-in follow it
        real = _Post(other, dict.fromkeys(_filled(other), other.source), seen, root.box,
                     {other.id} | root.aliases)
        if not other.url and root.post.url:
            real.post = replace(other, url=root.post.url)
            real.sources["url"] = root.sources.get("url", root.post.source)
        return real, None
    shell = not (root.post.author or root.post.text)
    # roots are compared as URLs without query (og:url against "…?s=20")
    same_page = bool(norm_url(root.post.url) and norm_url(root.post.url) == norm_url(other.url))
    # one reading knows the root by the page's address, the other (without an address) by
    # its author: the page's post, read twice
    names_page = bool(norm_url(other.url) and norm_url(other.url) == norm_url(page_url)) or \
        _names_page(other.id, page_url)
    if not root.post.url and names_page and _same_author(root.post, other):
        same_page = True
    if same_page or _same(root.post, other) or \
            (shell and (not other.parent_id or other.id == root.post.id
                        or _names_page(other.id, page_url))):
        _fill(root, other)
        return root, None
    return root, other


def _stands_for_page(post: ThreadPost) -> bool:
    """Whether a root is the page's stand-in (:data:`PAGE_METADATA`), not a post."""
    return post.source == PAGE_METADATA


def _merge_into(base: list[_Post], incoming: list[_Post], *, add_unmatched: bool
                ) -> list[_Post]:
    """Merge ``incoming`` into ``base``: by id or permalink first, then by text, one to one;
    returns what matched nothing (added to ``base`` when ``add_unmatched``).

    Each item goes to the first post of ``base`` (in page order) not yet taken that it
    matches. The candidates come from an index of ``base`` (its id keys and permalinks, the
    start of its text), so a 500-reply thread is not compared post by post with every other
    source's 500; a base post changes only once taken, so the index stays true for the rest.
    """
    taken: set[int] = set()
    order = {id(b): i for i, b in enumerate(base)}
    by_key: dict[str, list[_Post]] = {}
    by_start: dict[str, list[_Post]] = {}
    for b in base:
        for key in _match_keys(b.post):
            by_key.setdefault(key, []).append(b)
        start = _text_start(b.post)
        if start:
            by_start.setdefault(start, []).append(b)

    def first(candidates: Iterable[_Post], item: _Post,
              same: Callable[[ThreadPost, ThreadPost], bool]) -> _Post | None:
        ordered = sorted({id(b): b for b in candidates}.values(), key=lambda b: order[id(b)])
        return next((b for b in ordered if id(b) not in taken and same(b.post, item.post)),
                    None)

    rest: list[_Post] = []
    for item in incoming:
        match = first((b for key in _match_keys(item.post) for b in by_key.get(key, ())),
                      item, _same_id_or_url)
        if match is None:
            rest.append(item)
            continue
        taken.add(id(match))
        _absorb(match, item)
    by_text: list[_Post] = []
    for item in rest:
        match = first(by_start.get(_text_start(item.post), ()), item, _same_text)
        if match is None:
            by_text.append(item)
            continue
        taken.add(id(match))
        _absorb(match, item)
    unmatched: list[_Post] = []
    for item in by_text:
        # two readings of the same rendered page: the post at the same place, when nothing
        # the two read contradicts it (one may have the id, the other the text)
        match = next((b for b in base if id(b) not in taken and _same_place(b.box, item.box)
                      and not _conflicting(b.post, item.post)), None)
        if match is None:
            unmatched.append(item)
            continue
        taken.add(id(match))
        _absorb(match, item)
    if add_unmatched:
        base.extend(unmatched)
    return unmatched


def _match_keys(post: ThreadPost) -> set[str]:
    """Keys two posts share whenever :func:`_same_id_or_url` holds for them."""
    keys = {"id:" + k for k in _id_keys(post)}
    url = _url_key(post.url)
    if url:
        keys.add("url:" + url)
    return keys


def _text_start(post: ThreadPost) -> str:
    """What two texts share whenever :func:`_same_text` holds for them: the whole text when
    short (only equal short texts match), else its first :data:`_SHORT_TEXT` characters
    (a match is the same text or a cut start of at least that length)."""
    return _norm_text(post.text)[:_SHORT_TEXT]


def _absorb(match: _Post, item: _Post) -> None:
    if made_up_id(match.post.id) and not made_up_id(item.post.id):
        # the platform's own id beats a name the reader made up (the old one stays an alias)
        match.aliases.add(match.post.id)
        match.post = replace(match.post, id=item.post.id)
        match.sources["id"] = item.post.source
    _fill(match, item.post)
    if item.post.source != match.post.source:
        # another source has it too: more than one reading says it exists
        match.lone = False
    match.seen = match.seen or item.seen
    if match.box is None:
        match.box = item.box


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
    for name in ("author", "handle"):
        # a name as the page shows it, without the invisible direction marks platforms wrap
        # it in (U+202A…U+202C): they would mislead the PDF, the arkivmelding and the
        # history; the WARC keeps the page as sent
        if isinstance(out.get(name), str):
            out[name] = clean_text(out[name]).strip() or None
    out["sources"] = dict(item.sources)
    # what the archivist saw on the page, or only in the data the page received
    out["shown_on_page"] = item.seen
    if item.box is not None:
        out["screenshot_box"] = item.box
    return out
