"""Finding an account's posts: feeds the page links (Atom, RSS, ActivityPub) and permalinks."""

from __future__ import annotations

import json

from somecapture.watch.addresses import address_key, canonical_url
from somecapture.watch.discovery import (
    FoundPost,
    feed_links,
    merge_found,
    on_account_sites,
    page_posts,
    posts_from_feed,
    read_activitystreams,
)

PAGE = """<!doctype html><html><head>
<link rel="alternate" type="application/atom+xml" href="/@vestvik/feed.atom">
<link rel="alternate" type="application/rss+xml" href="https://forum.example/rss">
<link rel="alternate" type="application/activity+json" href="/users/vestvik">
<link rel="stylesheet" href="/site.css">
</head><body>
<ul>
 <li class="h-entry"><a class="u-url" href="/t/10">
   <time datetime="2026-03-01T12:00:00Z">1.3.</time></a></li>
 <li><a rel="bookmark" href="https://forum.example/t/11#top">Innlegg 11</a></li>
 <li><a class="u-url" href="/t/12">not in an h-entry: no permalink</a></li>
 <li><a href="/om">Om</a>
   <a href="https://elsewhere.example/t/13" rel="bookmark">other site</a></li>
</ul></body></html>"""


def test_feed_links_in_page_order_and_absolute() -> None:
    assert feed_links(PAGE, "https://forum.example/@vestvik") == [
        ("atom", "https://forum.example/@vestvik/feed.atom"),
        ("rss", "https://forum.example/rss"),
        ("activitystreams", "https://forum.example/users/vestvik"),
    ]


def test_permalinks_of_the_account_site_only() -> None:
    found = page_posts(PAGE, "https://forum.example/@vestvik",
                       "https://forum.example/@vestvik").posts
    assert found == [
        FoundPost("https://forum.example/t/10", "2026-03-01T12:00:00Z", None, "permalink"),
        FoundPost("https://forum.example/t/11", None, None, "permalink"),
    ]


def test_atom_entries_with_their_publication_time() -> None:
    feed = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Vestvik</title>
<entry><title>Storgata</title><link rel="alternate" type="text/html" href="/t/10"/>
<link rel="replies" href="/t/10/comments.atom" type="application/atom+xml"/>
<published>2026-03-01T13:00:00+01:00</published></entry>
<entry><title>Uten dato</title><link href="https://forum.example/t/9"/>
<updated>2026-02-01T10:00:00Z</updated></entry>
</feed>"""
    assert posts_from_feed(feed, "https://forum.example/@vestvik/feed.atom") == [
        FoundPost("https://forum.example/t/10", "2026-03-01T12:00:00Z", "Storgata", "atom"),
        FoundPost("https://forum.example/t/9", "2026-02-01T10:00:00Z", "Uten dato", "atom"),
    ]


def test_rss_items_link_or_permalink_guid() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>V</title>
<item><title>A</title><link>https://forum.example/t/20</link>
<pubDate>Mon, 02 Mar 2026 09:00:00 +0100</pubDate></item>
<item><title>B</title><guid isPermaLink="true">https://forum.example/t/21</guid></item>
<item><title>C</title><guid isPermaLink="false">tag:x</guid></item>
</channel></rss>"""
    assert posts_from_feed(feed, "https://forum.example/rss") == [
        FoundPost("https://forum.example/t/20", "2026-03-02T08:00:00Z", "A", "rss"),
        FoundPost("https://forum.example/t/21", None, "B", "rss"),
    ]


def test_a_feed_that_is_not_xml_gives_nothing() -> None:
    assert posts_from_feed(b"<html>not a feed", "https://forum.example/rss") == []
    # entities are not expanded (no billion laughs, no local files)
    hostile = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<rss><channel><item><link>&x;</link></item></channel></rss>')
    assert posts_from_feed(hostile, "https://forum.example/rss") == []


def test_activitypub_actor_outbox_and_page() -> None:
    actor = {"type": "Person", "id": "https://social.example/users/vestvik",
             "outbox": "https://social.example/users/vestvik/outbox"}
    posts, following = read_activitystreams(json.dumps(actor).encode(), actor["id"])
    assert posts == [] and following == actor["outbox"]
    outbox = {"type": "OrderedCollection", "totalItems": 3,
              "first": "https://social.example/users/vestvik/outbox?page=true"}
    posts, following = read_activitystreams(json.dumps(outbox).encode(), actor["outbox"])
    assert posts == [] and following == outbox["first"]
    page = {"type": "OrderedCollectionPage", "next": "https://social.example/o?max_id=1",
            "orderedItems": [
                {"type": "Create", "object": {
                    "id": "https://social.example/users/vestvik/statuses/111",
                    "url": "https://social.example/@vestvik/111",
                    "published": "2026-03-02T08:00:00Z"}},
                # a boost of someone else's post is not the account's post
                {"type": "Announce", "object": "https://other.example/notes/5"},
                {"type": "Create", "object": {
                    "id": "https://social.example/users/vestvik/statuses/112",
                    "url": [{"type": "Link", "mediaType": "text/html",
                             "href": "https://social.example/@vestvik/112"}]}},
            ]}
    posts, following = read_activitystreams(json.dumps(page).encode(), outbox["first"])
    assert posts == [
        FoundPost("https://social.example/@vestvik/111", "2026-03-02T08:00:00Z", None,
                  "activitypub"),
        FoundPost("https://social.example/@vestvik/112", None, None, "activitypub"),
    ]
    assert following == "https://social.example/o?max_id=1"


def test_platform_adapters_recognise_posts_and_keep_the_accounts_own() -> None:
    # X: the profile shows the account's posts and a retweet of another account
    page = """<a href="https://x.com/oslokommune/status/1790000000000000001">1</a>
<a href="/oslokommune/status/1790000000000000002?s=20">2</a>
<a href="https://x.com/someoneelse/status/1790000000000000003">retweet</a>
<a href="https://x.com/oslokommune/followers">followers</a>"""
    found = page_posts(page, "https://x.com/oslokommune", "https://x.com/oslokommune").posts
    # the share parameter ?s=20 is no part of the post's address
    assert [p.url for p in found] == [
        "https://x.com/oslokommune/status/1790000000000000001",
        "https://x.com/oslokommune/status/1790000000000000002",
    ]
    assert {p.source for p in found} == {"adapter:x"}


def test_platforms_whose_post_addresses_do_not_name_the_account() -> None:
    page = """<a href="https://www.instagram.com/p/Cabcdef12345/">a</a>
<a href="https://www.instagram.com/oslokommune/tagged/">tagged</a>"""
    found = page_posts(page, "https://www.instagram.com/oslokommune/",
                       "https://www.instagram.com/oslokommune/")
    assert [p.url for p in found.posts] == ["https://www.instagram.com/p/Cabcdef12345/"]
    assert found.notes == []


def test_merge_keeps_the_first_source_and_any_publication_time() -> None:
    merged = merge_found(
        [FoundPost("https://f.example/t/1", None, "Tittel", "atom")],
        [FoundPost("https://f.example/t/1", "2026-03-01T00:00:00Z", None, "permalink"),
         FoundPost("https://f.example/t/2", None, None, "permalink")])
    assert merged == [FoundPost("https://f.example/t/1", "2026-03-01T00:00:00Z", "Tittel",
                                "atom"),
                      FoundPost("https://f.example/t/2", None, None, "permalink")]


# -- one address per post ------------------------------------------------------------------------
FACEBOOK_PAGE = """
<a href="https://www.facebook.com/vestvik/posts/pfbid0abc?__cft__[0]=AZWx1&amp;__tn__=%2CO%2CP-R">1</a>
<a href="/vestvik/posts/pfbid0abc?__cft__[0]=AZYy2&amp;__tn__=-R">1 again</a>
<a href="https://m.facebook.com/vestvik/posts/pfbid0abc/">1 on mobile</a>
<a href="https://www.facebook.com/vestvik/posts/pfbid0def?utm_source=x&amp;fbclid=IwAR0">2</a>
<a href="https://www.facebook.com/permalink.php?story_fbid=99&amp;id=123&amp;__tn__=K-R">3</a>
"""


def test_tracking_parameters_and_host_names_give_one_address_per_post() -> None:
    found = page_posts(FACEBOOK_PAGE, "https://www.facebook.com/vestvik",
                       "https://www.facebook.com/vestvik").posts
    assert [p.url for p in found] == [
        "https://www.facebook.com/vestvik/posts/pfbid0abc",
        "https://www.facebook.com/vestvik/posts/pfbid0def",
    ]
    # a permalink form with a query keeps what names the post, loses what tracks the visitor
    assert canonical_url("https://www.facebook.com/permalink.php?story_fbid=99&id=123"
                         "&__tn__=K-R&ref=embed_post") == \
        "https://www.facebook.com/permalink.php?story_fbid=99&id=123"
    assert canonical_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&si=abc&feature=share") \
        == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    # a forum's own query stays; only the tracking goes
    assert canonical_url("https://forum.example/t/10?page=2&utm_medium=social") == \
        "https://forum.example/t/10?page=2"
    assert address_key("https://twitter.com/oslo/status/17?s=20") == \
        address_key("https://mobile.x.com/oslo/status/17/")


def test_feed_entries_are_kept_only_on_the_accounts_own_site() -> None:
    entries = [FoundPost("https://forum.example/t/1?utm_source=rss", None, None, "rss"),
               FoundPost("https://www.forum.example/t/2", None, None, "rss"),
               FoundPost("https://news.example/article/9", None, None, "rss")]
    kept, left = on_account_sites(entries, "https://forum.example/@vestvik",
                                  "https://forum.example/@vestvik")
    assert [p.url for p in kept] == ["https://forum.example/t/1?utm_source=rss",
                                     "https://www.forum.example/t/2"]
    assert left == 1
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>V</title>
<item><link>https://forum.example/t/20?utm_source=rss&amp;utm_medium=feed</link></item>
</channel></rss>"""
    assert [p.url for p in posts_from_feed(feed, "https://forum.example/rss")] == [
        "https://forum.example/t/20"]


def test_others_posts_are_not_taken_when_none_is_under_the_accounts_address() -> None:
    # an account given by its numeric profile address: its posts' addresses name a page
    # name the watch cannot know, and the page also shows posts shared from others
    page = """<a href="https://www.facebook.com/someone.else/posts/pfbid0xyz">shared</a>
<a href="https://www.facebook.com/other.page/posts/pfbid0uvw">shared too</a>"""
    found = page_posts(page, "https://www.facebook.com/profile.php?id=100064",
                       "https://www.facebook.com/profile.php?id=100064")
    assert found.posts == []
    (note,) = found.notes
    assert note.startswith("2 facebook post links on the page were left out")
    # an X profile that shows only others' posts (retweets): none is watched
    retweets = page_posts('<a href="https://x.com/someone/status/1790000000000000003">rt</a>',
                          "https://x.com/oslokommune", "https://x.com/oslokommune")
    assert retweets.posts == [] and len(retweets.notes) == 1
