"""The platform's own data embedded in a page's scripts (issue 15): ``thread/embedded.py``.

The corpus pages of ``../shared/corpus`` are read at run time; nothing of them is copied
here. Expected counts and examples come from ``manifest.json``; the rest (comment ids, page
order, nesting, permalinks) from the file's own DOM, read here with lxml, never from the
parser's output. The small pages at the end are hand-written.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html

from somecapture.thread import embedded
from somecapture.thread.embedded import SOURCE_EMBEDDED, read_embedded_state
from somecapture.thread.post import ThreadData, ThreadPost
from somecapture.thread.reconcile import reconcile

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
HAVE_CORPUS = (CORPUS / "manifest.json").is_file()
needs_corpus = pytest.mark.skipif(
    not HAVE_CORPUS, reason=f"the real-data corpus is not here ({CORPUS}); read at run time")

NEW_REDDIT = "reddit/reddit__trafilatura__new-reddit-r-python-1bbbwk.html"
DISQUS = "disqus/disqus__blog-skipper__embed-comments-androidmr-54479.html"
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def manifest(name: str) -> dict[str, Any]:
    rows = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
    return next(row for row in rows if row["file"] == name)


def present(name: str) -> int:
    match = re.match(r"\s*(\d+)", manifest(name)["replies_present"])
    assert match
    return int(match.group(1))


def page(name: str) -> str:
    return (CORPUS / name).read_text("utf-8")


def norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def examples_found(name: str, posts: list[ThreadPost]) -> None:
    for example in manifest(name)["examples"]:
        start = norm(example["text_starts_with"])
        assert any(p.author == example["author"] and norm(p.text).startswith(start)
                   for p in posts), f"{name}: example {example} not read"


# --- New Reddit (the corpus page) -------------------------------------------------------


def reddit_dom() -> tuple[str, list[dict[str, Any]]]:
    """(the page's canonical address, its comments in DOM order: ``t1_`` id, level, href of
    the permalink), read from the file with lxml."""
    tree = lxml_html.fromstring((CORPUS / NEW_REDDIT).read_bytes())
    canonical = tree.xpath("//link[@rel='canonical']/@href")[0]
    out = []
    for div in tree.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), "
                          "' Comment ')]"):
        comment_id = re.findall(r"\bt1_[0-9a-z]+", div.get("class"))[0]
        # the screen-reader label "level N" is an element of its own
        label = div.xpath(".//*[starts-with(normalize-space(text()), 'level ')]/text()")
        level = re.fullmatch(r"level (\d+)", label[0].strip()) if label else None
        href = next(a.get("href") for a in div.iter("a")
                    if "/comments/" in (a.get("href") or ""))
        out.append({"id": comment_id, "level": int(level.group(1)) if level else None,
                    "href": href})
    return canonical, out


@pytest.fixture(scope="module")
def new_reddit() -> tuple[ThreadData, str, list[dict[str, Any]]]:
    if not HAVE_CORPUS:
        pytest.skip("corpus not present")
    canonical, dom = reddit_dom()
    data = read_embedded_state(page(NEW_REDDIT), canonical)
    assert data is not None
    return data, canonical, dom


@needs_corpus
def test_new_reddit_every_shown_comment_read(new_reddit: Any) -> None:
    data, _canonical, dom = new_reddit
    assert len(dom) == present(NEW_REDDIT)  # the file is what the manifest says
    ids = [r.id for r in data.replies]
    # the comments the page shows come first, in the page's order
    assert ids[: len(dom)] == [c["id"] for c in dom]
    assert data.source == SOURCE_EMBEDDED and data.platform == "reddit"
    for reply in data.replies:
        assert reply.author, reply.id
        assert reply.text, reply.id
        assert reply.published_at and STAMP.fullmatch(reply.published_at), reply.id
        assert reply.parent_id, reply.id
        assert reply.source == SOURCE_EMBEDDED
    examples_found(NEW_REDDIT, list(data.replies))


@needs_corpus
def test_new_reddit_root_and_totals(new_reddit: Any) -> None:
    data, canonical, _dom = new_reddit
    post_id = "t3_" + re.search(r"/comments/([0-9a-z]+)", canonical).group(1)
    root = data.root
    assert root is not None and root.id == post_id
    assert root.author and root.title and root.text and root.published_at
    assert root.url == canonical
    # the post's own count ("50 Comments" on the page) is reported, not invented
    assert data.reported.get("comments", 0) >= len(data.replies)


@needs_corpus
def test_new_reddit_parents_follow_the_page_nesting(new_reddit: Any) -> None:
    data, _canonical, dom = new_reddit
    by_id = {r.id: r for r in data.replies}
    assert data.root is not None
    last_at: dict[int, str] = {}
    for comment in dom:
        level = comment["level"]
        assert level is not None
        expected = data.root.id if level == 1 else last_at[level - 1]
        assert by_id[comment["id"]].parent_id == expected, comment
        last_at[level] = comment["id"]


@needs_corpus
def test_new_reddit_times_are_utc_and_consistent(new_reddit: Any) -> None:
    """The post's ``created`` is in milliseconds, the comments' in seconds: read in the
    right unit, no reply predates what it answers."""
    data, _canonical, _dom = new_reddit
    posts = {p.id: p for p in data.posts()}
    assert data.root is not None and data.root.published_at
    for reply in data.replies:
        parent = posts.get(reply.parent_id or "")
        assert parent is not None and parent.published_at
        assert reply.published_at and reply.published_at >= parent.published_at, reply.id
        # same year as the post: a unit error would be off by centuries
        assert reply.published_at[:4] == data.root.published_at[:4]


@needs_corpus
def test_new_reddit_permalinks_resolve_like_the_page(new_reddit: Any) -> None:
    data, canonical, dom = new_reddit
    by_id = {r.id: r for r in data.replies}
    for comment in dom:
        assert by_id[comment["id"]].url == urljoin(canonical, comment["href"])
    # served from elsewhere (the corpus server), links resolve against that address
    local = "http://127.0.0.1:8000/reddit/page.html"
    moved = read_embedded_state(page(NEW_REDDIT), local)
    assert moved is not None and moved.root is not None
    # the address no longer names the post: the state's own comments page does
    assert moved.root.id == data.root.id
    first = next(r for r in moved.replies if r.id == dom[0]["id"])
    assert first.url == urljoin(local, dom[0]["href"])


@needs_corpus
def test_new_reddit_fills_the_readers_posts(new_reddit: Any) -> None:
    """What the generic reader gives for these comments (id = the permalink's path, the
    address resolved, text, no author) is matched post for post: every shown comment is
    read with its author, its parent translated to the reader's ids."""
    data, canonical, dom = new_reddit
    tree = lxml_html.fromstring((CORPUS / NEW_REDDIT).read_bytes())
    texts = {}
    for div in tree.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), "
                          "' Comment ')]"):
        comment_id = re.findall(r"\bt1_[0-9a-z]+", div.get("class"))[0]
        body = div.xpath(".//div[@data-test-id='comment']")
        texts[comment_id] = body[0].text_content() if body else None
    root = ThreadPost(id=data.root.id, source="page-reader", url=canonical)
    replies = [(ThreadPost(id=c["href"], source="page-reader",
                           url=urljoin(canonical, c["href"]), text=texts[c["id"]]), {})
               for c in dom]
    result = reconcile(canonical, [(root, replies)], [data], page_blocks=len(dom))
    assert result.visible == len(dom)
    assert result.readable_visible == len(dom)
    assert not result.warnings
    shown = {r["id"]: r for r in result.replies if r["id"] in {c["href"] for c in dom}}
    assert len(shown) == len(dom)
    for reply in shown.values():
        assert reply["sources"]["author"] == SOURCE_EMBEDDED
        assert reply["parent_id"] == root.id or reply["parent_id"] in shown


# --- Disqus (the corpus embed) ----------------------------------------------------------


@needs_corpus
def test_disqus_thread_data() -> None:
    tree = lxml_html.fromstring((CORPUS / DISQUS).read_bytes())
    items = tree.xpath("//li[contains(concat(' ', normalize-space(@class), ' '), ' post ')]")
    item_set = set(items)
    nesting: dict[str, str | None] = {}
    for li in items:
        up = li.getparent()
        while up is not None and up not in item_set:
            up = up.getparent()
        key = li.get("id", "").removeprefix("post-")
        nesting[key] = up.get("id", "").removeprefix("post-") if up is not None else None
    data = read_embedded_state(page(DISQUS), "https://disqus.com/embed/comments/")
    assert data is not None and data.platform == "disqus"
    assert len(data.replies) == present(DISQUS)
    examples_found(DISQUS, list(data.replies))
    for reply in data.replies:
        assert reply.author and reply.text and reply.published_at
        if reply.id in nesting:
            assert reply.parent_id == nesting[reply.id], reply.id
    assert sum(1 for r in data.replies if r.id in nesting) >= 0.9 * len(nesting)


# --- hand-written pages -----------------------------------------------------------------

PAGE_URL = "https://www.reddit.com/r/t/comments/abc/title/"


def reddit_state(**extra: Any) -> dict[str, Any]:
    """A minimal New Reddit store: one post (created in ms), two comments (in s)."""
    state: dict[str, Any] = {
        "posts": {"models": {"t3_abc": {
            "id": "t3_abc", "author": "op", "title": "A title", "created": 1600000000000,
            "permalink": PAGE_URL, "numComments": 3,
            "media": {"type": "rtjson", "richtextContent": {"document": [
                {"e": "par", "c": [{"e": "text", "t": "Post  body"}]}]}}}}},
        "comments": {"models": {
            "t1_b": {"id": "t1_b", "author": "bob", "created": 1600000200, "parentId": "t1_a",
                     "postId": "t3_abc", "permalink": "/r/t/comments/abc/title/b/",
                     "bodyText": "reply text", "someNewField": {"x": [1, 2]}},
            "t1_a": {"id": "t1_a", "author": "[deleted]", "created": 1600000100,
                     "parentId": None, "postId": "t3_abc",
                     "permalink": "/r/t/comments/abc/title/a/",
                     "media": {"richtextContent": {"document": [
                         {"e": "par", "c": [{"e": "text", "t": "Hi "},
                                            {"e": "u/", "t": "bob"},
                                            {"e": "link", "t": "site", "u": "https://x"}]},
                         {"e": "code", "c": [{"e": "raw", "t": "def f():"},
                                             {"e": "raw", "t": "    pass"}]}]}}},
            "t1_z": {"id": "t1_z", "author": "other", "created": 1600000300,
                     "parentId": None, "postId": "t3_other", "bodyText": "elsewhere"},
        }},
        "commentsPage": {
            "keyToPostId": {"k": "t3_abc"},
            "keyToHeadCommentId": {"k": "t1_a"},
            "keyToCommentThreadLinkSets": {"k": {
                "t1_a": {"depth": 0, "next": {"type": "comment", "id": "t1_b"}},
                "t1_b": {"depth": 1, "next": {"type": "continueThread", "id": "ct-1"}}}},
        },
        "continueThreads": {"models": {"ct-1": {"next": None}}},
    }
    state.update(extra)
    return state


def html_with(script: str, attrs: str = "") -> str:
    return f"<html><head><script{attrs}>{script}</script></head><body><p>x</p></body></html>"


def test_hand_written_new_reddit_state() -> None:
    data = read_embedded_state(html_with("window.___r = " + json.dumps(reddit_state()) + ";"),
                               PAGE_URL)
    assert data is not None and data.root is not None
    assert data.root.published_at == "2020-09-13T12:26:40Z"  # milliseconds
    assert data.root.text == "Post body"
    assert [r.id for r in data.replies] == ["t1_a", "t1_b"]  # the list's order, own post only
    a, b = data.replies
    assert a.published_at == "2020-09-13T12:28:20Z"  # seconds
    assert a.parent_id == "t3_abc" and b.parent_id == "t1_a"
    assert a.author == "[deleted]" and a.handle is None and a.author_url is None
    assert b.handle == "u/bob" and b.author_url == "https://www.reddit.com/user/bob"
    assert a.text == "Hi u/bobsite\n\ndef f():\n    pass"
    assert b.url == "https://www.reddit.com/r/t/comments/abc/title/b/"
    assert data.continuations == 1 and data.reported == {"comments": 3}


def test_state_in_json_blocks_and_json_parse() -> None:
    state = json.dumps(reddit_state())
    for markup in (
        html_with(state, ' id="data" type="application/json"'),
        html_with("<!--" + state + "-->", ' type="application/json"'),
        html_with("var x = 1; window['__STATE__'] = JSON.parse(" + json.dumps(state) + ");"),
    ):
        data = read_embedded_state(markup, PAGE_URL)
        assert data is not None and len(data.replies) == 2, markup[:80]


def test_a_platform_response_embedded_as_is() -> None:
    """A block holding a response platform_data reads (a Reddit listing) is read, relabelled."""
    listing = [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
            "name": "t3_abc", "author": "op", "title": "T", "created_utc": 1600000000,
            "permalink": "/r/t/comments/abc/title/", "num_comments": 1}}]}},
        {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
            "name": "t1_a", "author": "bob", "body": "hi", "created_utc": 1600000100,
            "parent_id": "t3_abc", "permalink": "/r/t/comments/abc/title/a/"}}]}},
    ]
    data = read_embedded_state(html_with(json.dumps(listing), ' type="application/json"'),
                               PAGE_URL)
    assert data is not None and data.source == SOURCE_EMBEDDED
    assert [r.author for r in data.replies] == ["bob"]
    assert all(p.source == SOURCE_EMBEDDED for p in data.posts())


@pytest.mark.parametrize("markup", [
    "",
    "<<<not html",
    "<html><body><p>No scripts at all</p></body></html>",
    html_with("window.___r = {\"comments\": {\"models\": {\"t1_a\": {\"author\": "),  # broken
    html_with("window.___r = {comments: {models: {}}};"),  # a JS literal, not JSON
    html_with('{"props": {"pageProps": {"user": {"name": "x"}}}}',
              ' id="__NEXT_DATA__" type="application/json"'),  # unknown shape
    html_with('{"foo": [1, 2, {"bar": null}]}', ' type="application/json"'),
    html_with('{"@type": "Comment", "author": "x", "text": "y"}',
              ' type="application/ld+json"'),  # standard markup: markup.py's, not ours
    html_with("[" * 100000 + "]" * 100000, ' type="application/json"'),  # too deep
    html_with("window.a = " + "[" * 100000 + "]" * 100000 + ";"),
    html_with('{"comments": {"models": {"t1_a": "not a dict"}}}', ' type="application/json"'),
])
def test_nothing_recognised_is_none(markup: str) -> None:
    assert read_embedded_state(markup, PAGE_URL) is None


def test_odd_values_never_raise() -> None:
    state = reddit_state()
    state["comments"]["models"]["t1_a"].update(
        created="yesterday", author=7, media={"richtextContent": {"document": "x"}})
    state["commentsPage"]["keyToCommentThreadLinkSets"]["k"]["t1_b"]["next"] = {"id": "t1_a"}
    data = read_embedded_state(html_with("window.___r = " + json.dumps(state)), PAGE_URL)
    assert data is not None  # the cycle a -> b -> a ends
    a = next(r for r in data.replies if r.id == "t1_a")
    assert a.published_at is None and a.author == "7"


def test_huge_script_is_skipped_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A script over the cap is not decoded at all, even when it holds a valid state."""
    monkeypatch.setattr(embedded, "MAX_SCRIPT_CHARS", 200_000)
    state = reddit_state(padding="x" * 300_000)
    markup = html_with("window.___r = " + json.dumps(state) + ";")
    started = time.monotonic()
    assert read_embedded_state(markup, PAGE_URL) is None
    assert time.monotonic() - started < 2
    # the same state under the cap is read
    assert read_embedded_state(html_with("window.___r = " + json.dumps(reddit_state())),
                               PAGE_URL) is not None


def test_total_budget_and_many_scripts_bounded() -> None:
    """Thousands of scripts with object literals cost bounded work."""
    scripts = "".join(f"<script>var a{i} = {{x: {i}}}; b = [1, 2, c];</script>"
                      for i in range(5000))
    started = time.monotonic()
    assert read_embedded_state(f"<html><head>{scripts}</head></html>", PAGE_URL) is None
    assert time.monotonic() - started < 5
