"""Standard markup reader (issue 15, source 2): schema.org JSON-LD and microdata,
microformats2, ActivityStreams links and OpenGraph, on hand-written shapes and on the real pages
of ``../shared/corpus``.

The corpus is third-party data for internal tests only: it is read at run time and nothing of
it is copied here. Expected values come from the corpus's ``manifest.json`` (replies present,
(author, first words) examples) or from the page's own meta tags read here with lxml, never from
the reader's output.

Held back (issue 15 item 6): ``discourse/discourse__onebox__topic-12483-crawler.html`` (the
Discourse crawler view, schema.org DiscussionForumPosting posts) was not opened while the reader
was developed; it was added to these tests only once the reader was finished. Its first figure
was root only, 0 of 1 reply; the markup rule that sibling posts of the root's type and topic
are its replies (fda12a4) was then made on it, so its 1 of 1 is not a blind figure.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from somecapture.thread.markup import MarkupPost, MarkupThread, read_markup, rfc3339

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
HELD_BACK = "discourse/discourse__onebox__topic-12483-crawler.html"


# --- hand-written shapes (our own fixtures) -------------------------------------------------

MF2_PAGE = """<!doctype html><html><head><title>t</title></head><body>
<article class="h-entry" id="root">
  <div class="u-in-reply-to h-cite">
    <a class="u-url" href="https://elsewhere.example/post/1">earlier post</a>
    <span class="p-author h-card">Ola Nordmann</span>
  </div>
  <a class="p-author h-card" href="/people/kari"><span class="p-name">Kari</span>
     <span class="p-nickname">@kari</span></a>
  <time class="dt-published" datetime="2024-03-01T10:00:00+01:00">1 March</time>
  <a class="u-url" href="/notes/1">permalink</a>
  <div class="e-content"><p>First line.</p><p>Second <b>line</b>.</p></div>
  <img class="u-photo" src="/img/a.jpg" alt="a boat">
  <div class="p-comment h-cite">
    <span class="p-author h-card">Per</span>
    <time class="dt-published" datetime="2024-03-01T11:00:00Z">x</time>
    <a class="u-url" href="/notes/1#c1">#</a>
    <p class="p-content">Reply one</p>
    <div class="h-entry">
      <span class="p-author h-card">Anne</span>
      <time class="dt-published" datetime="2024-03-01T12:30:00+00:00">y</time>
      <a class="u-url" href="/notes/1#c2">#</a>
      <div class="e-content">Nested answer</div>
    </div>
  </div>
</article>
<div class="h-entry">
  <a class="u-in-reply-to" href="https://example.org/notes/1">in reply to</a>
  <span class="p-author h-card">Lise</span>
  <time class="dt-published" datetime="2024-03-02T08:00:00-05:00">z</time>
  <a class="u-url" href="/notes/2">#</a>
  <div class="e-content">Separate reply by in-reply-to</div>
</div>
<div class="h-auto w-100">CSS utility classes are not microformats</div>
</body></html>"""


def test_mf2_nesting_and_in_reply_to() -> None:
    thread = read_markup(MF2_PAGE, "https://example.org/notes/1")
    root = thread.root
    assert root is not None and root.source == "microformats2"
    assert (root.author, root.handle) == ("Kari", "@kari")
    assert root.url == "https://example.org/notes/1"
    assert root.published_at == "2024-03-01T09:00:00Z"
    assert root.text == "First line.\nSecond line."
    assert list(root.media) == [
        {"type": "image", "url": "https://example.org/img/a.jpg", "alt": "a boat"}]
    # the post the root answers is context, not a reply
    assert [a.url for a in thread.ancestors] == ["https://elsewhere.example/post/1"]
    assert root.parent_id == thread.ancestors[0].id
    got = [(p.author, p.text, p.published_at, p.parent_id) for p in thread.replies]
    assert got == [
        ("Per", "Reply one", "2024-03-01T11:00:00Z", root.id),
        ("Anne", "Nested answer", "2024-03-01T12:30:00Z", thread.replies[0].id),
        ("Lise", "Separate reply by in-reply-to", "2024-03-02T13:00:00Z", root.id),
    ]
    assert thread.sources_found == ("microformats2",)


MICRODATA_PAGE = """<html><body>
<article itemscope itemtype="https://schema.org/DiscussionForumPosting" id="topic">
  <h1 itemprop="headline">A topic</h1>
  <div itemprop="author" itemscope itemtype="https://schema.org/Person">
    <span itemprop="name">Kari</span></div>
  <time itemprop="datePublished" datetime="2023-05-01T12:00:00+02:00">1 May</time>
  <div itemprop="text"><p>Opening post.</p></div>
  <meta itemprop="commentCount" content="3">
  <div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c1">
    <span itemprop="author" itemscope itemtype="https://schema.org/Person">
      <span itemprop="name">Per</span></span>
    <time itemprop="dateCreated" datetime="2023-05-01T13:00:00Z">later</time>
    <div itemprop="text">First<br>reply</div>
    <div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c2">
      <span itemprop="author">Anne</span>
      <time itemprop="dateCreated" datetime="2023-05-01T14:00:00Z">later</time>
      <div itemprop="text">Answer to Per</div>
      <img itemprop="image" src="/pic.png" alt="">
    </div>
  </div>
  <div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c3">
    <span itemprop="author">Lise</span>
    <time itemprop="dateCreated" datetime="2023-05-02T09:00:00+00:00">later</time>
    <div itemprop="text">Second top-level reply</div>
  </div>
</article></body></html>"""


def test_microdata_comment_nesting() -> None:
    thread = read_markup(MICRODATA_PAGE.encode(), "https://forum.example/t/1")
    root = thread.root
    assert root is not None and root.source == "microdata"
    assert (root.author, root.text, root.title) == ("Kari", "Opening post.", "A topic")
    assert root.published_at == "2023-05-01T10:00:00Z"
    assert thread.declared_reply_count == 3
    assert [(p.id, p.author, p.text, p.parent_id) for p in thread.replies] == [
        ("https://forum.example/t/1#c1", "Per", "First\nreply", root.id),
        ("https://forum.example/t/1#c2", "Anne", "Answer to Per", "https://forum.example/t/1#c1"),
        ("https://forum.example/t/1#c3", "Lise", "Second top-level reply", root.id),
    ]
    assert thread.replies[1].media[0]["url"] == "https://forum.example/pic.png"


JSONLD_PAGE = """<html><head>
<script type="application/ld+json">{ this is not json </script>
<script type="application/ld+json"><![CDATA[
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "@id": "https://news.example/a#page"},
  {"@type": "NewsArticle", "@id": "https://news.example/a", "headline": "Headline",
   "author": [{"@type": "Person", "name": "Reporter"}],
   "datePublished": "2022-01-02T03:04:05.678+01:00",
   "articleBody": "Body &amp; more",
   "comment": [{"@type": "Comment", "@id": "https://news.example/a#c1",
                "author": "Reader", "text": "<p>Nice</p><p>piece</p>",
                "dateCreated": "2022-01-02T05:00:00Z"}]},
  {"@type": "Comment", "@id": "https://news.example/a#c2",
   "parentItem": {"@id": "https://news.example/a#c1"},
   "author": {"@type": "Person", "name": "Second reader"},
   "text": "Loose reply, tied by parentItem",
   "dateCreated": "2022-01-02T06:00:00Z"}
]}
]]></script>
<link rel="alternate" type="application/activity+json" href="/ap/a">
<meta property="og:title" content="OG title">
</head><body></body></html>"""


def test_jsonld_graph_cdata_parent_item_and_bad_blocks() -> None:
    thread = read_markup(JSONLD_PAGE, "https://news.example/a")
    root = thread.root
    assert root is not None and root.source == "json-ld"
    assert (root.author, root.text, root.published_at) == (
        "Reporter", "Body & more", "2022-01-02T02:04:05Z")
    assert [(p.id, p.author, p.text, p.parent_id) for p in thread.replies] == [
        ("https://news.example/a#c1", "Reader", "Nice\npiece", "https://news.example/a"),
        ("https://news.example/a#c2", "Second reader", "Loose reply, tied by parentItem",
         "https://news.example/a#c1"),
    ]
    assert thread.activitystreams_links == ("https://news.example/ap/a",)
    assert thread.warnings == ("1 JSON-LD block is not valid JSON and was skipped",)
    assert thread.opengraph is not None and thread.opengraph.title == "OG title"


def test_opengraph_root_when_nothing_richer() -> None:
    page = """<html><head>
    <meta property="og:title" content="Tittel">
    <meta property="og:description" content="Beskrivelse">
    <meta property="og:url" content="https://x.example/p/1">
    <meta property="og:image" content="/i.jpg">
    <meta property="article:published_time" content="2020-04-28T08:11:49+02:00">
    <meta name="twitter:creator" content="@someone">
    </head><body><p>nothing else</p></body></html>"""
    thread = read_markup(page, "https://x.example/p/1?utm=1")
    root = thread.root
    assert root is not None and root.source == "opengraph"
    assert (root.url, root.text, root.title, root.handle, root.published_at) == (
        "https://x.example/p/1", "Beskrivelse", "Tittel", "@someone", "2020-04-28T06:11:49Z")
    assert root.media[0]["url"] == "https://x.example/i.jpg"
    assert thread.replies == ()


def test_non_utf8_page_honours_meta_charset() -> None:
    page = ('<html><head><meta charset="iso-8859-1"></head><body>'
            '<div class="h-entry"><span class="p-author h-card">Bjørn Ærø</span>'
            '<p class="p-content">Blåbærsyltetøy på søndag</p></div></body></html>')
    thread = read_markup(page.encode("iso-8859-1"), "https://x.example/")
    assert thread.root is not None
    assert (thread.root.author, thread.root.text) == ("Bjørn Ærø", "Blåbærsyltetøy på søndag")


@pytest.mark.parametrize("page", ["", b"", b"   ", "<html>", b"\xff\xfe\x00", "<<<>>>"])
def test_degenerate_pages_do_not_raise(page: str | bytes) -> None:
    thread = read_markup(page, "https://x.example/")
    assert thread.root is None and thread.replies == ()


def _comment(i: int) -> str:
    return (f'<div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c{i}">'
            f'<span itemprop="author">u{i}</span><div itemprop="text">t{i}</div>')


def test_deep_and_large_comment_trees_in_linear_time() -> None:
    """1500 nested plus 20000 sibling microdata comments: no recursion limit (the Python
    traversals are iterative; libxml2 caps nesting at 256 levels unless asked for huge trees),
    no quadratic blow-up."""
    depth, flat = 1500, 20000
    nested = "".join(_comment(i) for i in range(depth)) + "</div>" * depth
    siblings = "".join(_comment(depth + i) + "</div>" for i in range(flat))
    page = ('<html><body><article itemscope itemtype="https://schema.org/BlogPosting">'
            '<span itemprop="author">root</span><div itemprop="text">root text</div>'
            + nested + siblings + "</article></body></html>")
    started = time.monotonic()
    thread = read_markup(page, "https://x.example/")
    elapsed = time.monotonic() - started
    assert len(thread.replies) == depth + flat
    assert thread.replies[depth - 1].parent_id == thread.replies[depth - 2].id
    assert thread.replies[depth].parent_id == thread.root.id if thread.root else False
    assert elapsed < 20


def test_rfc3339() -> None:
    assert rfc3339("2021-06-03T11:00:35-0700") == "2021-06-03T18:00:35Z"
    assert rfc3339("2026-01-26T12:03:53.754Z") == "2026-01-26T12:03:53Z"
    assert rfc3339("2024-01-01 10:00:00+01:00") == "2024-01-01T09:00:00Z"
    # no zone or no time of day: unknown, not guessed
    assert rfc3339("2024-01-01T10:00:00") is None
    assert rfc3339("2024-01-01") is None
    assert rfc3339("yesterday") is None


# --- the real corpus ------------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.json").is_file(),
    reason=f"the shared corpus is not at {CORPUS} (third-party data, kept outside the repo)")


def _manifest() -> dict[str, dict[str, Any]]:
    if not (CORPUS / "manifest.json").is_file():
        return {}
    rows = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return {row["file"]: row for row in rows}


MANIFEST = _manifest()
HTML_PAGES = sorted(name for name in MANIFEST if name.endswith(".html"))


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("…", "")).strip().casefold()


def _present(row: dict[str, Any], pattern: str = r"(\d+)") -> int:
    """A count from the manifest's "replies present" text (e.g. "30 answers + 19 comments")."""
    match = re.search(pattern, row["replies_present"])
    assert match, row["replies_present"]
    return int(match.group(1))


def _posts(thread: MarkupThread) -> list[MarkupPost]:
    return ([thread.root] if thread.root else []) + list(thread.replies)


def _found(thread: MarkupThread, author: str, prefix: str) -> bool:
    want_author = _norm(author).lstrip("@")
    want_text = _norm(prefix)
    for post in _posts(thread):
        names = {_norm(post.author), _norm(post.handle).lstrip("@")}
        if want_author in names and _norm(post.text).startswith(want_text):
            return True
    return False


def _page_meta(path: Path) -> dict[str, str]:
    """og: values read straight from the file with lxml: an independent path to the reader's."""
    doc = lxml_html.document_fromstring(path.read_bytes())
    meta: dict[str, str] = {}
    for key in ("og:title", "og:url"):
        values = doc.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content')
        if values:
            meta[key] = str(values[0]).strip()
    return meta


def _url_for(name: str) -> str:
    return f"https://corpus.invalid/{name}"


@needs_corpus
@pytest.mark.parametrize("name", HTML_PAGES)
def test_every_corpus_page_reads_without_raising(name: str) -> None:
    path = CORPUS / name
    data = path.read_bytes()
    started = time.monotonic()
    thread = read_markup(data, _url_for(name))
    assert time.monotonic() - started < 10
    meta = _page_meta(path)
    if "og:title" in meta or "og:url" in meta:
        assert thread.opengraph is not None
        if "og:title" in meta:
            assert _norm(thread.opengraph.title) == _norm(meta["og:title"])
        if "og:url" in meta:
            assert thread.opengraph.url == meta["og:url"]
        assert thread.root is not None
    for post in _posts(thread):
        assert post.published_at is None or re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", post.published_at)
    # the same page as already-decoded text reads the same thread
    again = read_markup(data.decode("utf-8", "replace"), _url_for(name))
    assert len(again.replies) == len(thread.replies)


@needs_corpus
def test_vbulletin_latin1_page_is_decoded_by_its_meta_charset() -> None:
    name = "vbulletin/vbulletin__trafilatura__pocketpc-ch-thread-122760-p34.html"
    thread = read_markup((CORPUS / name).read_bytes(), _url_for(name))
    assert thread.root is not None and thread.root.source == "json-ld"
    # the topic title holds no non-ASCII letters, so check the decoding on a reply-free field:
    # a page decoded as UTF-8 would carry U+FFFD replacement characters
    assert "\ufffd" not in (thread.root.title or "")
    assert thread.root.published_at == "2011-02-21T16:47:28Z"


# Pages whose standard markup carries posts of the thread: what the markup holds, checked
# against the manifest. `count` is the manifest pattern for the replies the markup covers.
THREAD_PAGES: dict[str, dict[str, Any]] = {
    # JSON-LD SocialMediaPosting with its first 10 comments (the DOM shows 30)
    "facebook/facebook__facebook-scraper__m-story-4191173794300375.html": {
        "source": "json-ld", "examples": 3, "min_replies": 10, "times": True,
    },
    # microdata Question with 30 Answers; the 19 comments (and the manifest's examples, all
    # comments) have no markup, so they are left to the generic reader
    "stackoverflow/stackoverflow__omnivore__q-231767-answers-comments-onetrust.html": {
        "source": "microdata", "count": r"(\d+) answers", "examples": 0, "times": False,
    },
    # held back: added once the reader was finished
    HELD_BACK: {
        "source": None, "count": r"\+ (\d+) repl", "examples": 2, "times": True,
    },
}

# Pages whose markup gives the root post only (replies live in the DOM or in the platform data):
# the root must match the manifest's first example.
ROOT_PAGES = [
    "bluesky/bluesky__metascraper__post-forbes-3mdd7aj7pgs2x-rendered.html",
    "bluesky/bluesky__metascraper__post-stephenking-3mddvy5bv6k27-noscript.html",
    "xenforo/xenforo__trafilatura__katzen-forum-thread-230143.html",
]


@needs_corpus
@pytest.mark.parametrize("name", sorted(THREAD_PAGES))
def test_corpus_thread_markup(name: str) -> None:
    expect = THREAD_PAGES[name]
    row = MANIFEST[name]
    thread = read_markup((CORPUS / name).read_bytes(), _url_for(name))
    assert thread.root is not None
    source = expect["source"] or thread.root.source
    assert source in ("json-ld", "microdata") and thread.root.source == source
    replies = thread.replies
    present = _present(row, expect.get("count", r"(\d+)"))
    assert len(replies) <= present
    assert len(replies) >= expect.get("min_replies", 0.95 * present)
    assert all(p.author for p in replies)
    assert all(p.text for p in replies)
    if expect["times"]:
        assert all(p.published_at for p in replies)
    assert all(p.source == source for p in replies)
    ids = {thread.root.id} | {p.id for p in replies}
    assert all(p.parent_id in ids for p in replies)
    for example in row["examples"][: expect["examples"]]:
        assert _found(thread, example["author"], example["text_starts_with"]), example


@needs_corpus
@pytest.mark.parametrize("name", ROOT_PAGES)
def test_corpus_root_from_markup(name: str) -> None:
    row = MANIFEST[name]
    thread = read_markup((CORPUS / name).read_bytes(), _url_for(name))
    assert thread.root is not None and thread.root.source == "json-ld"
    assert thread.root.published_at is not None
    first = row["examples"][0]
    assert _found(thread, first["author"], first["text_starts_with"]), first


@needs_corpus
def test_xenforo_declared_reply_count_matches_manifest() -> None:
    name = "xenforo/xenforo__trafilatura__katzen-forum-thread-230143.html"
    thread = read_markup((CORPUS / name).read_bytes(), _url_for(name))
    assert thread.declared_reply_count == _present(MANIFEST[name], r"\+ (\d+) replies")


def test_flat_sibling_forum_posts_are_replies_of_the_first() -> None:
    """A forum listing its posts as sibling items of one type (no ``comment`` property)."""
    post = ('<div itemscope itemtype="http://schema.org/DiscussionForumPosting">'
            '<span itemprop="author">{a}</span><meta itemprop="headline" content="{h}">'
            '<meta itemprop="datePublished" content="2014-02-06T0{n}:00:00Z">'
            '<div itemprop="articleBody">{t}</div></div>')
    page = ("<html><body>"
            + post.format(a="Kari", h="Topic", n=1, t="Opening")
            + post.format(a="Per", h="Topic", n=2, t="First reply")
            + post.format(a="Anne", h="Another topic", n=3, t="Not this thread")
            + "</body></html>")
    thread = read_markup(page, "https://forum.example/t/1")
    assert thread.root is not None and thread.root.author == "Kari"
    assert [(p.author, p.text, p.parent_id) for p in thread.replies] == [
        ("Per", "First reply", thread.root.id)]
