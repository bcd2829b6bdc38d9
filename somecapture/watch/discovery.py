"""Finding an account's posts on its page: pure functions over what the page and its feeds
said (no browser, no network; :mod:`somecapture.watch.runner` fetches them).

Three sources, each giving post addresses (and, where it says, when a post was published):

* the platform adapters: links on the profile page that a platform's adapter recognises as a
  post (``resources/sites/<platform>.json`` ``url_patterns``: ``/posts/…`` on Facebook,
  ``/status/…`` on X, ``/@user/<id>`` on Mastodon, …). Where the platform's post addresses
  name the account (Facebook, X, Mastodon, Bluesky, TikTok, LinkedIn), only the account's
  own are kept, so shared or quoted posts of others are not watched; when none of them is
  under the account's address (an account page given as ``profile.php?id=…``, a page that
  shows only others' posts), none is kept, and a note says so. Where a platform's post
  addresses do not name their account (Instagram's ``/p/…``, YouTube's ``watch?v=…``), the
  account page's post links are kept;
* a feed the page offers: ``<link rel="alternate">`` to RSS 2.0 or Atom (each entry's link
  and publication time), or to ActivityStreams JSON (an ActivityPub actor's ``outbox``: the
  ``Create`` activities' objects; boosts of others' posts are left out); only entries on the
  account's own site(s) are kept (:func:`on_account_sites`);
* permalinks in the page's own markup: ``rel="bookmark"`` links and the ``u-url`` of
  microformats2 ``h-entry`` items, on the account's own site.

Every address found is in its canonical form
(:func:`~somecapture.watch.addresses.canonical_url`: no tracking parameters, the platform's
permalink form), so one post is one address however the page links it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree, html

from somecapture.errors import InvalidURLError
from somecapture.messages import Msg
from somecapture.sites.registry import adapter_for_url
from somecapture.thread.post import parse_time
from somecapture.watch.addresses import address_key, bare_host, canonical_url

FEED_TYPES = {
    "application/atom+xml": "atom",
    "application/rss+xml": "rss",
    "application/activity+json": "activitystreams",
    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"': "activitystreams",
}
#: the media types an ActivityPub server answers its actors and outboxes in
ACTIVITY_ACCEPT = ('application/activity+json, application/ld+json; '
                   'profile="https://www.w3.org/ns/activitystreams"')
_ATOM = "{http://www.w3.org/2005/Atom}"
#: platforms whose post addresses name the account that posted (``/<account>/status/…``)
ACCOUNT_IN_ADDRESS = frozenset({"facebook", "x", "mastodon", "bluesky", "tiktok", "linkedin"})


@dataclass(frozen=True)
class FoundPost:
    """A post of the account, as one source names it."""

    url: str
    #: RFC 3339 UTC when the source says when it was published
    published_at: str | None = None
    title: str | None = None
    #: which source found it: ``atom``, ``rss``, ``activitypub``, ``permalink`` or
    #: ``adapter:<name>``
    source: str = "permalink"


def _parse_html(page: str | bytes) -> Any:
    try:
        return html.fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def _web_url(href: str | None, base: str) -> str | None:
    """An absolute http(s) address without its fragment, or None."""
    if not href or not href.strip():
        return None
    url, _fragment = urldefrag(urljoin(base, href.strip()))
    return url if urlsplit(url).scheme in ("http", "https") else None


def _post_url(href: str | None, base: str) -> str | None:
    """A post's address as the watch keeps it (absolute, canonical), or None."""
    url = _web_url(href, base)
    if url is None:
        return None
    try:
        return canonical_url(url)
    except InvalidURLError:
        return None


_site = bare_host


def feed_links(page: str | bytes, page_url: str) -> list[tuple[str, str]]:
    """``(kind, url)`` of every feed the page offers (``atom``, ``rss``,
    ``activitystreams``), in page order."""
    doc = _parse_html(page)
    if doc is None:
        return []
    found: list[tuple[str, str]] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = FEED_TYPES.get(" ".join((link.get("type") or "").lower().split()))
        url = _web_url(link.get("href"), page_url)
        if "alternate" in rel and kind and url and (kind, url) not in found:
            found.append((kind, url))
    return found


def posts_from_feed(data: bytes, feed_url: str) -> list[FoundPost]:
    """The entries of an Atom or RSS 2.0 feed (their web address and publication time)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return []
    posts: list[FoundPost] = []
    if root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            href = None
            for link in entry.iter(f"{_ATOM}link"):
                if link.get("rel") in (None, "alternate") and (
                        link.get("type") in (None, "text/html")):
                    href = link.get("href")
                    break
            url = _post_url(href, feed_url)
            if url:
                when = entry.findtext(f"{_ATOM}published") or entry.findtext(f"{_ATOM}updated")
                posts.append(FoundPost(url, parse_time(when),
                                       (entry.findtext(f"{_ATOM}title") or "").strip() or None,
                                       "atom"))
        return posts
    for item in root.iter("item"):
        guid = item.find("guid")
        href = item.findtext("link")
        if not href and guid is not None and guid.get("isPermaLink", "true") == "true":
            href = guid.text
        url = _post_url(href, feed_url)
        if url:
            posts.append(FoundPost(url, parse_time(item.findtext("pubDate")),
                                   (item.findtext("title") or "").strip() or None, "rss"))
    return posts


def _object_url(obj: Any, base: str) -> str | None:
    """The web page of an ActivityStreams object (its ``url``, HTML first), else its id."""
    url = obj.get("url")
    candidates: list[Any] = url if isinstance(url, list) else [url]
    for candidate in candidates:
        if isinstance(candidate, str):
            found = _post_url(candidate, base)
        elif isinstance(candidate, dict) and candidate.get("mediaType", "text/html") == \
                "text/html":
            found = _post_url(candidate.get("href"), base)
        else:
            found = None
        if found:
            return found
    return _post_url(obj.get("id") if isinstance(obj.get("id"), str) else None, base)


def read_activitystreams(data: bytes, url: str) -> tuple[list[FoundPost], str | None]:
    """Posts of an ActivityPub actor or outbox document, and the next document to read
    (an actor's ``outbox``, an outbox's ``first`` page, a page's ``next``), if any."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return [], None
    if not isinstance(doc, dict):
        return [], None
    posts: list[FoundPost] = []
    items = doc.get("orderedItems", doc.get("items"))
    for activity in items if isinstance(items, list) else []:
        if not isinstance(activity, dict) or activity.get("type") != "Create":
            continue  # Announce (a boost) is someone else's post; Like, Follow… no post
        obj = activity.get("object")
        if not isinstance(obj, dict):
            continue
        found = _object_url(obj, url)
        if found:
            posts.append(FoundPost(found, parse_time(obj.get("published")),
                                   None, "activitypub"))
    following: Any = None
    if doc.get("type") in ("Person", "Organization", "Service", "Group", "Application"):
        following = doc.get("outbox")
    elif not isinstance(items, list):
        following = doc.get("first")
    else:
        following = doc.get("next")
    if isinstance(following, dict):
        # an embedded first page: read it here
        more, after = read_activitystreams(json.dumps(following).encode(), url)
        return posts + more, after
    return posts, _web_url(following, url) if isinstance(following, str) else None


def account_prefixes(platform: str, account_url: str) -> tuple[str, ...]:
    """The address paths (lower case) under which ``platform`` puts the posts of the account
    whose page is ``account_url``; empty when its address names no account."""
    path = urlsplit(account_url).path.rstrip("/").lower()
    if not path or path.endswith(".php"):  # Facebook's profile.php?id=…: no name in it
        return ()
    prefixes = [path + "/"]
    parts = path.strip("/").split("/")
    if platform == "mastodon" and path.startswith("/@"):
        prefixes.append(f"/users/{path[2:].split('@')[0]}/")
    if platform == "linkedin" and len(parts) == 2 and parts[0] in ("company", "in", "school"):
        # a post's address starts with its author's vanity name: /posts/<name>_<slug>-activity-…
        prefixes.append(f"/posts/{parts[1]}_")
    return tuple(prefixes)


@dataclass(frozen=True)
class PagePosts:
    """What an account's page links to: its posts, and notes on the links left out."""

    posts: list[FoundPost]
    notes: list[str]


def page_posts(page: str | bytes, page_url: str, account_url: str) -> PagePosts:
    """Posts the account's page links to: links a platform adapter recognises as posts, and
    the page's own permalinks (``rel="bookmark"``, ``h-entry`` ``u-url``)."""
    doc = _parse_html(page)
    if doc is None:
        return PagePosts([], [])
    # the page may have been redirected (another host name of the same platform)
    sites = {_site(account_url), _site(page_url)}
    account_key = address_key(account_url)
    by_adapter: dict[str, list[FoundPost]] = {}
    permalinks: list[FoundPost] = []
    for link in doc.iter("a"):
        url = _post_url(link.get("href"), page_url)
        if not url or _site(url) not in sites or address_key(url) == account_key:
            continue
        adapter = adapter_for_url(url)
        if adapter is not None:
            by_adapter.setdefault(adapter.name, []).append(
                FoundPost(url, source=f"adapter:{adapter.name}"))
            continue
        classes = (link.get("class") or "").split()
        rels = (link.get("rel") or "").lower().split()
        in_entry = any("h-entry" in (a.get("class") or "").split()
                       for a in link.iterancestors())
        if "bookmark" in rels or ("u-url" in classes and in_entry):
            stamp = link.find(".//time")
            when = parse_time(stamp.get("datetime")) if stamp is not None else None
            permalinks.append(FoundPost(url, when, None, "permalink"))
    kept: list[FoundPost] = []
    notes: list[str] = []
    for name, found in by_adapter.items():
        prefixes = account_prefixes(name, account_url)
        own = [p for p in found
               if prefixes and urlsplit(p.url).path.lower().startswith(prefixes)]
        if own:
            kept += own
        elif name not in ACCOUNT_IN_ADDRESS:
            # the platform's post addresses name no account: the account page's own posts
            kept += found
        else:
            # none under the account's address: they are other accounts' posts (shared,
            # quoted), or the account's address is one its posts' addresses do not name
            notes.append(Msg("watch.links_left_out", count=len(_unique(found)),
                             platform=name, account=account_url))
    return PagePosts(_unique(kept + permalinks), notes)


def on_account_sites(posts: Iterable[FoundPost], account_url: str, page_url: str
                     ) -> tuple[list[FoundPost], int]:
    """The feed entries on the account's own site(s) (the page's, after a redirect), and how
    many were left out (links to other sites: shared articles, others' posts)."""
    sites = {_site(account_url), _site(page_url)}
    found = list(posts)
    kept = [p for p in found if _site(p.url) in sites]
    return kept, len(found) - len(kept)


def _unique(posts: Iterable[FoundPost]) -> list[FoundPost]:
    """The first of each post (by :func:`~somecapture.watch.addresses.address_key`), with the
    best facts any source gave for it."""
    out: dict[str, FoundPost] = {}
    for post in posts:
        key = address_key(post.url)
        seen = out.get(key)
        if seen is None:
            out[key] = post
        elif seen.published_at is None and post.published_at is not None:
            out[key] = FoundPost(seen.url, post.published_at, seen.title or post.title,
                                 seen.source)
    return list(out.values())


def merge_found(*sources: Iterable[FoundPost]) -> list[FoundPost]:
    """Posts from every source, each address once (the first source to name it wins, a
    publication time any source gives is kept)."""
    return _unique(p for source in sources for p in source)
