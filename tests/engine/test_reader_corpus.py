"""The generic reader of the rendered page (issue 15, source 3) on the real pages of
``../shared/corpus``, opened in one real Chromium.

The corpus is third-party data for internal tests only: its files are served as-is from
127.0.0.1 at run time and nothing of them is copied here. Expected values come from the
corpus's ``manifest.json`` (replies present, (author, first words) examples), never from the
reader's output.

The saved pages are opened with the page's own JavaScript switched off (their scripts come from
hosts this test refuses, and the rendered DOM was saved after they ran); every request not to
127.0.0.1 is aborted. Two things the platforms' scripts would have done are done here instead:
``<style>``/``<meta>`` inside ``<noscript>`` are removed (they apply only because scripts are
off; one hides the whole app), and markup a page parks in ``<code><!-- … --></code>`` until
its script moves it into place is moved into place. reader.js itself runs through
``page.evaluate``, which works with page scripts off.

Held back (issue 15 item 6): ``wordpress/wordpress__trafilatura__exxpress-at-article-comments-
didomi.html`` and ``lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html`` were
not opened while the reader was developed; they were added to these tests once it was finished
(first figures, reader unchanged: WordPress 25/25 posts but 0 of 3 examples, every author with
the comment system's "sagt:"; LessWrong 17/17, examples and nesting right). The final code WAS
then developed on both: the "sagt:" rule (57e80b8) was made on the WordPress page, and the
rule that a ``?commentId=`` permalink is no root (b134b9b) on LessWrong, whose root the whole
pipeline had taken from its first comment (16 of 17). Their figures are no longer blind.
"""

from __future__ import annotations

import asyncio
import math
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.async_api import Browser, BrowserContext, Route, async_playwright

from somecapture.sites.reader import ReaderResult, read_rendered_thread
from tests.engine.corpus_expect import (
    CORPUS,
    MANIFEST,
    NESTED,
    block_key,
    charset,
    file_text,
    file_tree,
    nesting_in_file,
    shown,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HELD_BACK = (
    "wordpress/wordpress__trafilatura__exxpress-at-article-comments-didomi.html",
    "lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html",
)

if not (CORPUS / "manifest.json").is_file():
    pytest.skip(f"the shared corpus is not at {CORPUS}", allow_module_level=True)

# every saved page; the held-back ones joined once the reader was finished
PAGES = sorted(f for f in MANIFEST if f.endswith(".html"))

# Pages where the reader falls short of a check today, and why (measured, see the closing note
# of issue 15). strict: a fix makes the test fail until the entry is removed.
# (The logged-out 2024 X page was listed here until a single post's block was no longer
# widened to a wrapper holding the page's landmarks: its root text was the sign-up sheet and
# the sidebar.)
SHORT: dict[tuple[str, str], str] = {}

# What the saved pages' own scripts would have done (see the module docstring).
PREPARE = """() => {
  for (const s of [...document.querySelectorAll(
      'noscript style, noscript link[rel=stylesheet], noscript meta[http-equiv]')]) s.remove();
  for (const c of [...document.querySelectorAll('code')]) {
    const nodes = [...c.childNodes].filter((n) => n.nodeType !== 3 || n.nodeValue.trim());
    if (nodes.length !== 1 || nodes[0].nodeType !== 8) continue;
    if (!nodes[0].nodeValue.includes('<')) continue;
    const t = document.createElement('template');
    t.innerHTML = nodes[0].nodeValue;
    c.replaceWith(t.content);
  }
}"""


class _Handler(BaseHTTPRequestHandler):
    """Serves corpus files byte for byte, as text/html with their declared charset."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = (CORPUS / unquote(self.path.split("?", 1)[0]).lstrip("/")).resolve()
        if not path.is_file() or not path.is_relative_to(CORPUS.resolve()):
            self.send_response(404)
            self.end_headers()
            return
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", f"text/html; charset={charset(data)}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Quiet: the test output is the place for failures, not for requests."""


class _Reader:
    """One browser for the module; each page is read once and the result kept."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.loop = asyncio.new_event_loop()
        self.results: dict[str, ReaderResult] = {}
        self._pw: Any = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._scripted: BrowserContext | None = None

    async def _start(self) -> None:
        self._pw = await async_playwright().start()
        self._browser = await self._pw.chromium.launch(executable_path="/usr/bin/chromium")
        self._context = await self._browser.new_context(
            java_script_enabled=False, viewport={"width": 1280, "height": 900})
        # as in a capture: the page's own scripts on (for the hand-written pages)
        self._scripted = await self._browser.new_context(viewport={"width": 1280, "height": 900})

        async def only_loopback(route: Route) -> None:
            # the saved pages name their original hosts: nothing may leave 127.0.0.1
            if route.request.url.startswith(self.base):
                await route.continue_()
            else:
                await route.abort()

        await self._context.route("**/*", only_loopback)
        await self._scripted.route("**/*", only_loopback)

    async def _read(self, name: str) -> ReaderResult:
        assert self._context is not None
        page = await self._context.new_page()
        try:
            url = self.base + name
            await page.goto(url, wait_until="load")
            await page.evaluate(PREPARE)
            return await read_rendered_thread(page, url)
        finally:
            await page.close()

    async def _read_at(self, name: str, page_url: str) -> ReaderResult:
        assert self._context is not None
        page = await self._context.new_page()
        try:
            await page.goto(self.base + name, wait_until="load")
            await page.evaluate(PREPARE)
            return await read_rendered_thread(page, page_url)
        finally:
            await page.close()

    def read_at(self, name: str, page_url: str) -> ReaderResult:
        """Read a corpus page as a capture that asked for ``page_url`` (not cached)."""
        return self.loop.run_until_complete(self._read_at(name, page_url))

    async def _read_html(self, markup: str, scripts: bool) -> ReaderResult:
        context = self._scripted if scripts else self._context
        assert context is not None
        page = await context.new_page()
        url = self.base + "_hand/thread"

        async def serve(route: Route) -> None:
            await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=markup)

        try:
            await page.route(url, serve)
            await page.goto(url, wait_until="load")
            return await read_rendered_thread(page, url)
        finally:
            await page.close()

    def read_html(self, markup: str, *, scripts: bool = False) -> ReaderResult:
        """Read a hand-written page served at a loopback address (not cached); ``scripts``:
        with the page's own JavaScript on."""
        return self.loop.run_until_complete(self._read_html(markup, scripts))

    def start(self) -> None:
        self.loop.run_until_complete(self._start())

    def read(self, name: str) -> ReaderResult:
        if name not in self.results:
            self.results[name] = self.loop.run_until_complete(self._read(name))
        return self.results[name]

    def close(self) -> None:
        async def stop() -> None:
            if self._browser is not None:
                await self._browser.close()
            if self._pw is not None:
                await self._pw.stop()

        self.loop.run_until_complete(stop())
        self.loop.close()


@pytest.fixture(scope="module")
def reader() -> Iterator[_Reader]:
    """The corpus server and one Chromium, shared by the module."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    r = _Reader(f"http://127.0.0.1:{server.server_port}/")
    try:
        r.start()
        yield r
    finally:
        r.close()
        server.shutdown()
        server.server_close()


def expected(name: str) -> tuple[int, bool]:
    """(replies present, whether the count leaves out an opening/focal post) per manifest."""
    text = MANIFEST[name]["replies_present"]
    opening = bool(re.search(r"focal|opening post|permalink tweet|^1 post,", text))
    both = re.search(r"(\d+) answers \+ (\d+) comments", text)
    if both:
        return int(both.group(1)) + int(both.group(2)), False
    replies = re.search(r"(\d+) (?:visible )?repl(?:y|ies)", text)
    if replies:
        return int(replies.group(1)), opening
    first = re.search(r"\d+", text)
    assert first, text
    return int(first.group(0)), opening


def _norm(text: str | None) -> str:
    """Whitespace-collapsed, case-folded text, as the manifest's examples are compared."""
    return re.sub(r"\s+", " ", text or "").strip().casefold()


def _short(name: str, what: str) -> Any:
    """A strict xfail mark for the checks listed in SHORT, else nothing."""
    reason = SHORT.get((name, what))
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _params(what: str, names: list[str]) -> list[Any]:
    return [pytest.param(n, id=n.split("/")[-1][:60], marks=_short(n, what)) for n in names]


WITH_REPLIES = [n for n in PAGES if expected(n)[0] > 0]
WITHOUT_REPLIES = [n for n in PAGES if expected(n)[0] == 0]


@pytest.mark.parametrize("name", _params("count", WITH_REPLIES))
def test_replies_found(reader: _Reader, name: str) -> None:
    """At least 95 % of the replies present, never more than present + the root."""
    result = reader.read(name)
    present, opening = expected(name)
    posts = result.posts()
    if re.match(r"\d+ top-level", MANIFEST[name]["replies_present"]):
        # the manifest counts top-level threads only: compare the posts at the top level
        posts = [p for p in posts if result.depths[p.id] <= 1]
    got = len(posts) - 1 if opening else len(posts)
    assert got >= math.ceil(0.95 * present), (got, present, result.container_selector)
    assert len(posts) <= present + 1, (len(posts), present)
    assert result.blocks_seen == len(result.replies) + len(result.ancestors)


@pytest.mark.parametrize("name", _params("none", WITHOUT_REPLIES))
def test_no_invented_replies(reader: _Reader, name: str) -> None:
    """A page without replies gives none (at most its own post as the root)."""
    result = reader.read(name)
    assert result.replies == (), [(p.author, (p.text or "")[:40]) for p in result.replies]
    assert result.blocks_seen == 0


@pytest.mark.parametrize("name", _params("fields", WITH_REPLIES))
def test_fields_filled(reader: _Reader, name: str) -> None:
    """Author, time (a stamp or its shown text) and text on at least 95 % of the posts.

    Where the manifest says the author names are not in the page's DOM, author is not asked.
    """
    posts = reader.read(name).posts()
    assert posts
    need = math.ceil(0.95 * len(posts))
    if "NOT in the comment DOM" not in MANIFEST[name]["replies_present"]:
        assert sum(1 for p in posts if p.author) >= need, [p.author for p in posts]
    assert sum(1 for p in posts if p.published_at or p.published_text) >= need
    assert sum(1 for p in posts if p.text) >= need
    for p in posts:
        if p.published_at is not None:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", p.published_at)


@pytest.mark.parametrize("name", _params("examples", WITH_REPLIES))
def test_manifest_examples(reader: _Reader, name: str) -> None:
    """Each (author, first words) example of the manifest is one post read.

    The author may be the name or the handle (examples give whichever the page shows first);
    where the manifest says the author is not in the DOM, the text alone is compared.
    """
    posts = reader.read(name).posts()
    no_author = "NOT in the comment DOM" in MANIFEST[name]["replies_present"]
    for example in MANIFEST[name]["examples"]:
        author = _norm(example["author"]).lstrip("@")
        prefix = _norm(example["text_starts_with"]).rstrip(".…")
        matches = [
            p for p in posts
            if _norm(p.text).startswith(prefix)
            and (no_author or author in (_norm(p.author).lstrip("@"), _norm(p.handle).lstrip("@")))
        ]
        assert matches, (example, [(p.author, p.handle, (p.text or "")[:40]) for p in posts[:8]])


@pytest.mark.parametrize("name", _params("nesting", WITH_REPLIES))
def test_parents_consistent(reader: _Reader, name: str) -> None:
    """Every parent is a post read, the root has none, depths follow the parents, ids are
    unique and every post read from the page has a box on it (a root that stands for the
    page, from its metadata, is no block and has none)."""
    result = reader.read(name)
    posts = result.posts()
    ids = [p.id for p in posts]
    assert len(ids) == len(set(ids))
    known = set(ids)
    assert result.root is not None and result.root.parent_id is None
    for p in result.replies:
        assert p.parent_id in known, (p.id, p.parent_id)
        parent_depth = result.depths[p.parent_id] if p.parent_id else -1
        assert result.depths[p.id] == parent_depth + 1
    for p in posts:
        if p is result.root and result.root_match == "metadata":
            assert p.id not in result.boxes
            continue
        box = result.boxes[p.id]
        assert box.width > 0 and box.height > 0 and box.x >= 0 and box.y >= 0


# Threads whose nesting the manifest describes: ``corpus_expect.NESTED`` (the blocks, read from
# the file with lxml, independently of the reader).


@pytest.mark.parametrize("name", _params("tree", sorted(NESTED)))
def test_nesting_matches_the_file(reader: _Reader, name: str) -> None:
    """On nested threads the reader's parents are the file's: a block inside another block is
    that block's reply; a top-level block replies to the root."""
    expected_parent = nesting_in_file(name)
    result = reader.read(name)
    posts = result.posts()
    assert result.root is not None

    def key_of(post_id: str | None) -> str | None:
        post = next((p for p in posts if p.id == post_id), None)
        return None if post is None else block_key(name, post.id, post.url)

    checked = agree = 0
    for post in result.replies:
        key = key_of(post.id)
        if key not in expected_parent:
            continue
        checked += 1
        want = expected_parent[key]
        got = key_of(post.parent_id)
        # a top-level block replies to the root; the root is itself a block on these pages
        if got == want or (want is None and post.parent_id == result.root.id):
            agree += 1
    assert checked >= 0.95 * len(result.replies)
    assert agree >= math.ceil(0.95 * checked), (agree, checked)


@pytest.mark.parametrize("name", _params("speed", PAGES))
def test_fast(reader: _Reader, name: str) -> None:
    """The reader's own time in the page stays well under a second, on 4 MB pages too."""
    assert reader.read(name).elapsed_ms < 1500


# --- hand-written pages: shapes no corpus page has ------------------------------------------

# A Norwegian forum thread that shows its nesting only by indentation, with dates in words,
# relative stamps, an action bar and a sidebar of related articles that is not part of it.
NORWEGIAN_FLAT = """<!doctype html><html lang="no"><head><meta charset="utf-8"><title>Tråd</title>
<style>.innlegg{padding:8px;border-bottom:1px solid #ccc}</style></head><body>
<nav><a href="/">Forside</a> <a href="/om">Om oss</a></nav>
<main>
<div class="innlegg" id="p1"><div class="topp"><a href="/bruker/kari">Kari Nordmann</a>
  <span class="dato">12. mars 2024 kl. 14:05</span></div>
  <div class="tekst"><p>Første linje.</p><p>Andre linje.</p></div>
  <div class="verktoy"><button>Svar</button> <a href="#">Del</a></div></div>
<div class="innlegg" id="p2" style="margin-left:40px"><div class="topp">
  <a href="/bruker/per">Per Hansen</a> <span class="dato">3 t</span></div>
  <div class="tekst"><p>Enig med deg.</p></div>
  <div class="verktoy"><button>Svar</button> <a href="#">Del</a></div></div>
<div class="innlegg" id="p3" style="margin-left:80px"><div class="topp">
  <a href="/bruker/anne">Anne Berg</a> <span class="dato">for 2 dager siden</span></div>
  <div class="tekst"><p>Ikke jeg.</p></div>
  <div class="verktoy"><button>Svar</button> <a href="#">Del</a></div></div>
<div class="innlegg" id="p4"><div class="topp"><a href="/bruker/ola">Ola Dunk</a>
  <span class="dato">13.03.2024 09:30</span></div>
  <div class="tekst"><p>Et nytt spor.</p></div>
  <div class="verktoy"><button>Svar</button> <a href="#">Del</a></div></div>
</main>
<aside><div class="anbefalt"><a href="/sak/1">En annen sak</a>
  <span>11. mars 2024</span></div></aside>
</body></html>"""


@pytest.mark.parametrize("scripts", [False, True], ids=["scripts-off", "scripts-on"])
def test_hand_written_indented_norwegian_thread(reader: _Reader, scripts: bool) -> None:
    """Indentation gives the parents; Norwegian dates and relative stamps are stamps (kept as
    shown, no instant invented); the action bar is not text; the sidebar is not a reply. The
    same with the page's scripts on, as in a capture."""
    result = reader.read_html(NORWEGIAN_FLAT, scripts=scripts)
    assert result.root is not None and result.root.id == "p1"
    assert result.nesting == "indentation"
    replies = {p.id: p for p in result.replies}
    assert set(replies) == {"p2", "p3", "p4"}
    assert {k: p.parent_id for k, p in replies.items()} == {"p2": "p1", "p3": "p2", "p4": "p1"}
    assert result.depths == {"p1": 0, "p2": 1, "p3": 2, "p4": 1}
    # paragraphs as the browser renders them: a blank line between them
    assert result.root.author == "Kari Nordmann"
    assert result.root.text == "Første linje.\n\nAndre linje."
    assert result.root.author_url is not None and result.root.author_url.endswith("/bruker/kari")
    assert result.root.handle == "kari"
    assert [replies[k].published_text for k in ("p2", "p3", "p4")] == [
        "3 t", "for 2 dager siden", "13.03.2024 09:30"]
    # local times without a zone and relative stamps fix no instant
    assert all(p.published_at is None for p in result.posts())
    assert replies["p2"].text == "Enig med deg."
    assert result.blocks_seen == 3


# Comments whose replies sit in a "replies" list after the comment (siblings, not nested), with
# machine-readable stamps and permalinks; the canonical URL names the second comment.
SIBLING_REPLIES = """<!doctype html><html><head><meta charset="utf-8">
<link rel="canonical" href="/_hand/thread#c-2"></head><body>
<section class="comments">
<article class="comment" data-comment-id="c-1"><header><a class="author" href="/u/lise">Lise</a>
  <a href="#c-1"><time datetime="2024-03-12T14:05:00+01:00">12.3.</time></a></header>
  <div class="body">Hallo alle.</div></article>
<ul class="replies">
  <li><article class="comment" data-comment-id="c-2"><header><a class="author" href="/u/tor">Tor</a>
    <a href="#c-2"><time datetime="2024-03-12T15:00:00Z">12.3.</time></a></header>
    <div class="body">Hei Lise.</div></article></li>
</ul>
<article class="comment" data-comment-id="c-3"><header><a class="author" href="/u/eva">Eva</a>
  <a href="#c-3"><time datetime="1710259200">i dag</time></a></header>
  <div class="body">Noe annet.</div></article>
</section></body></html>"""


def test_hand_written_sibling_replies_and_canonical_root(reader: _Reader) -> None:
    """A "replies" list after a comment holds its replies; the post the canonical URL names is
    the root; stamps with a zone or an epoch give the instant in UTC."""
    result = reader.read_html(SIBLING_REPLIES)
    assert result.root is not None and result.root.id == "c-2"
    assert result.root_match == "canonical"
    # the comment the root answers is above it and not nested in it: context, not a reply
    assert [p.id for p in result.ancestors] == ["c-1"]
    assert [(p.id, p.parent_id) for p in result.replies] == [("c-3", "c-2")]
    times = {p.id: p.published_at for p in result.posts() + list(result.ancestors)}
    assert times == {"c-1": "2024-03-12T13:05:00Z", "c-2": "2024-03-12T15:00:00Z",
                     "c-3": "2024-03-12T16:00:00Z"}
    assert result.root.url is not None and result.root.url.endswith("/_hand/thread#c-2")
    assert result.root.parent_id is None
    assert result.boxes["c-2"].height > 0
    # the shape the thread's reconciliation takes from a page source
    root, items = result.page_source()
    assert root is result.root and root.source == "page-reader"
    assert [(reply.id, item["screenshot_box"], item["depth"]) for reply, item in items] == [
        ("c-3", result.boxes["c-3"].to_json(), 1)]


# --- the root ---------------------------------------------------------------------------------

# Which post each page's thread opens with: how the reader must have placed it, and where the
# author and first words it shows are (an XPath into the file, or "manifest": the manifest's
# first example, where it names the opening/focal post; None: not checked). ``metadata``: the
# page shows no post that opens the thread (comments only, or a later page of a forum thread),
# so the page's own title stands in for it and every block is a reply.
_STORY = "(//div[contains(@class,'story_body_container')]//p)[1]"
_OLD_REDDIT_LINK = "(//div[@data-type='link'])[1]"
ROOTS: dict[str, tuple[str, str | None, str | None]] = {
    # comment-only embed: 50 comments, no opening post
    "disqus/disqus__blog-skipper__embed-comments-androidmr-54479.html": ("metadata", None, None),
    # page 34 of a thread (rel=prev, first post #661): its first post is a reply
    "vbulletin/vbulletin__trafilatura__pocketpc-ch-thread-122760-p34.html":
        ("metadata", None, None),
    # the story above its comments (the manifest's first example is a comment of the page
    # that posted the story)
    "facebook/facebook__facebook-scraper__m-story-4191173794300375.html":
        ("preceding", "manifest", _STORY),
    # the link post above its comment tree (an image post: its title is its text)
    "reddit/reddit__blog-skipper__old-reddit-r-aww-8dyrb3.html":
        ("preceding", f"{_OLD_REDDIT_LINK}/@data-author",
         f"{_OLD_REDDIT_LINK}//a[contains(@class,'title')]"),
    # the post (its h1) above the comments; author names are not in the DOM
    "reddit/reddit__trafilatura__new-reddit-r-python-1bbbwk.html":
        ("preceding", None, "(//h1)[1]"),
    # the video's owner, date and description above the comments
    "youtube/youtube__blog-skipper__watch-with-comments-2018.html":
        ("preceding", "(//ytd-video-owner-renderer//*[@id='owner-name']//a)[1]",
         "//ytd-video-secondary-info-renderer//*[@id='description']"),
    # the question (its author and date in the header) above the first page of replies
    "socialengine/socialengine__omnivore__musictribe-discussion-77059.html":
        ("preceding", "(//header//p[@class='name']/a)[1]",
         "(//div[@class='sesdiscussion_discussion'])[1]"),
    # the article (author box with the date) above its comment list; its body's first
    # paragraph (the teaser above it is the page's description, not the post's text)
    "wordpress/wordpress__trafilatura__exxpress-at-article-comments-didomi.html":
        ("preceding", "(//div[@class='author-box']/span[@class='author'])[1]",
         "(//div[contains(@class,'article-body')]//p)[1]"),
    # the post (header beside a table of contents, body below) above its comments
    "lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html":
        ("preceding", "(//*[contains(@class,'PostsAuthors')]//a)[1]",
         "(//div[contains(@class,'PostsPage-postContent')]//p)[1]"),
    # first pages: the first block opens the thread (the manifest's first example)
    "xenforo/xenforo__trafilatura__katzen-forum-thread-230143.html":
        ("first", "manifest", "manifest"),
    "discourse/discourse__onebox__topic-12483-crawler.html": ("first", "manifest", "manifest"),
    "phpbb/phpbb__trafilatura__myoos-topic-167.html": ("first", "manifest", "manifest"),
    # the question is the first block (its owner in the post signature)
    "stackoverflow/stackoverflow__omnivore__q-231767-answers-comments-onetrust.html":
        ("first", "(//div[@id='question']//div[contains(@class,'owner')]"
                  "//div[contains(@class,'user-details')]/a)[1]", None),
    "facebook/facebook__facebook-scraper__m-group-permalink-1629606003787605.html":
        ("first", "(//strong/a)[1]", _STORY),
}
# focal posts the manifest names as its first example
for _name, _row in MANIFEST.items():
    if _name.endswith(".html") and re.search(r"1 focal", _row["replies_present"]):
        ROOTS[_name] = ("first", "manifest", "manifest")


def _title_in_file(name: str) -> set[str]:
    """og:title / twitter:title / <title> of the saved page, read with lxml."""
    tree = file_tree(name)
    found = {" ".join(t.split()) for t in tree.xpath(
        "//meta[@property='og:title' or @name='og:title' or @name='twitter:title']/@content"
        " | //title/text()")}
    return {t for t in found if t}


@pytest.mark.parametrize("name", _params("root", sorted(ROOTS)))
def test_root_choice(reader: _Reader, name: str) -> None:
    """The thread's opening post is the root, however the page shapes it; where the page
    shows none, the page's own title stands in (no author, no time) and every block is a
    reply. The replies are then every block the manifest counts, the root never among them."""
    how, author_at, text_at = ROOTS[name]
    author = shown(name, author_at, "author") if author_at else None
    text = shown(name, text_at, "text_starts_with").rstrip(".…") if text_at else None
    result = reader.read(name)
    root = result.root
    assert root is not None
    match = "first" if result.root_match in ("first", "canonical", "og:url", "page_url",
                                             "location") else result.root_match
    assert match == how, (result.root_match, result.root_why, root.author, (root.text or "")[:60])
    if how == "metadata":
        assert root.source == "page-metadata" and root.author is None and root.handle is None
        assert root.published_text is None
        assert root.title in _title_in_file(name), root.title
        assert result.root_why
    else:
        assert root.source == "page-reader"
        if author is not None:
            assert author.lstrip("@").casefold() in (_norm(root.author).lstrip("@"),
                                                     _norm(root.handle).lstrip("@"))
        if text is not None:
            # the file's whole paragraph where an XPath reads it: its opening words
            assert _norm(root.text).startswith(_norm(text)[:60]), (root.text, text)
    present, _opening = expected(name)
    replies = list(result.replies)
    if re.match(r"\d+ top-level", MANIFEST[name]["replies_present"]):
        replies = [p for p in replies if result.depths[p.id] == 1]
    assert math.ceil(0.95 * present) <= len(replies) <= present, (len(replies), present)
    assert root.id not in {p.id for p in result.replies}


def test_later_page_root_names_why(reader: _Reader) -> None:
    """Page 34 of a forum thread: the first block (post #661, per the manifest) is a reply,
    because the page links to an earlier one; the page's address is the root's."""
    name = "vbulletin/vbulletin__trafilatura__pocketpc-ch-thread-122760-p34.html"
    result = reader.read(name)
    assert result.root is not None and result.root.url is not None
    assert any("later page" in why for why in result.root_why), result.root_why
    first = MANIFEST[name]["examples"][0]
    assert _norm(result.replies[0].author) == _norm(first["author"])
    assert _norm(result.replies[0].text).startswith(_norm(first["text_starts_with"]).rstrip(".…"))
    assert all(p.parent_id == result.root.id for p in result.replies)


# Hand-written: three forum pages of one shape, no site's markup. A post block: name, stamp,
# text. The first page has a thread header that repeats the first post's author and time; the
# second page says "Side 2 av 3" in its paginator (no rel=prev); the comment page nests replies
# in blocks of their own shape and shows no post above them.
def _forum_post(pid: str, who: str, stamp: str, text: str, inner: str = "") -> str:
    return (f'<div class="innlegg" id="{pid}"><a class="navn" href="/bruker/{who.lower()}">{who}'
            f'</a> <time datetime="{stamp}">{stamp[:10]}</time><div class="tekst"><p>{text}</p>'
            f'</div>{inner}</div>')


_POSTS = "".join(_forum_post(f"p{i}", who, f"2024-03-1{i}T10:00:00Z", f"Innlegg nummer {i} "
                             "om brøyting i gata vår.")
                 for i, who in enumerate(["Kari", "Per", "Anne", "Ola"], start=1))
FORUM_FIRST = ('<!doctype html><html><head><meta charset="utf-8"><title>Brøyting</title></head>'
               '<body><div class="trådhode"><h1>Brøyting i gata vår, igjen</h1><p>Tråd i forumet '
               'Nabolaget, startet av</p><a class="navn" '
               'href="/bruker/kari">Kari</a> <time datetime="2024-03-11T10:00:00Z">11. mars'
               f'</time></div><main>{_POSTS}</main></body></html>')
FORUM_LATER = ('<!doctype html><html><head><meta charset="utf-8"><title>Brøyting – side 2'
               f'</title></head><body><main>{_POSTS}</main><div class="pagination">Side 2 av 3 '
               '<a href="?side=1">1</a> <span class="current">2</span> <a href="?side=3">3</a>'
               '</div></body></html>')
COMMENTS_ONLY = ('<!doctype html><html><head><meta charset="utf-8"><title>Kommentarer</title>'
                 '<meta property="og:title" content="Kommentarer til saken"></head><body>'
                 '<div class="kommentarer">'
                 + _forum_post("p1", "Kari", "2024-03-11T10:00:00Z", "Første kommentar til saken.",
                               _forum_post("p2", "Per", "2024-03-12T10:00:00Z",
                                           "Svar til Kari om saken."))
                 + _forum_post("p3", "Anne", "2024-03-13T10:00:00Z", "En annen kommentar her.")
                 + "</div></body></html>")


def test_hand_written_root_rules(reader: _Reader) -> None:
    """On pages shaped like no corpus page: a header repeating the first post's author and
    time does not displace it; a page 2 (its paginator says so) and a list of peer comments
    get the page as the root, every post a reply, no author invented."""
    first = reader.read_html(FORUM_FIRST)
    assert first.root is not None and first.root.id == "p1" and first.root_match == "first"
    assert "header of the first block" in first.root_why
    assert [p.id for p in first.replies] == ["p2", "p3", "p4"]

    later = reader.read_html(FORUM_LATER)
    assert later.root is not None and later.root_match == "metadata"
    assert later.root.author is None and later.root.title == "Brøyting – side 2"
    assert [p.id for p in later.replies] == ["p1", "p2", "p3", "p4"]
    assert any("later page" in why for why in later.root_why)

    comments = reader.read_html(COMMENTS_ONLY)
    assert comments.root is not None and comments.root_match == "metadata"
    assert comments.root.title == "Kommentarer til saken" and comments.root.author is None
    assert [(p.id, p.parent_id) for p in comments.replies] == [
        ("p1", comments.root.id), ("p2", "p1"), ("p3", comments.root.id)]


# --- issue 15, found by the whole-pipeline run (test_corpus_pipeline.py) ----------------------

def test_single_post_pages_read_the_post_not_the_page(reader: _Reader) -> None:
    """Pages with one post and no replies: the post is the root, read from its own block —
    not a page-wide wrapper holding the site's navigation and sidebar (whose first profile-like
    link became the author), and its author is a name, not a profile address, nor a script's
    name as a handle."""
    local = "thelocal-se/thelocal-se__trafilatura__article-empty-comments-onetrust.html"
    result = reader.read(local)
    assert result.root is not None and result.replies == ()
    nav_links = {" ".join(a.text_content().split())
                 for a in file_tree(local).xpath("//nav//a | //*[@role='navigation']//a")}
    assert result.root.author not in nav_links, result.root.author
    assert _norm(result.root.text).startswith(_norm(file_text(local, "(//main//p)[1]")))
    assert _norm(file_text(local, "(//nav)[1]"))[:40] not in _norm(result.root.text)

    guardian = "guardian/guardian__omnivore__article-sourcepoint-consent-wall-2022.html"
    result = reader.read(guardian)
    assert result.root is not None and result.replies == ()
    assert result.root.author == file_text(guardian, "(//a[@rel='author'])[1]")
    assert result.root.author_url is not None and "://" not in (result.root.author or "")

    phpbb = "phpbb/phpbb__trafilatura__myoos-topic-167.html"
    result = reader.read(phpbb)
    assert result.root is not None and result.replies == ()
    assert _norm(result.root.author) == _norm(MANIFEST[phpbb]["examples"][0]["author"])
    assert not re.search(r"\.php\b", result.root.handle or ""), result.root.handle


def test_notice_on_a_post_is_not_its_text(reader: _Reader) -> None:
    """A question carrying the platform's notice box ("Want to improve this post?") and an
    "edited" stamp before the asker's: the text is the question's own, the time the asker's."""
    name = "stackoverflow/stackoverflow__omnivore__q-231767-answers-comments-onetrust.html"
    question = "//div[@id='question']"
    result = reader.read(name)
    root = result.root
    assert root is not None
    assert _norm(root.text).startswith(
        _norm(file_text(name, f"({question}//div[contains(@class,'js-post-body')]/p)[1]")))
    assert _norm(file_text(name, f"{question}//aside"))[:30] not in _norm(root.text)
    owner = f"{question}//div[contains(@class,'post-signature') and contains(@class,'owner')]"
    assert _norm(root.author) == _norm(file_text(name, f"{owner}//div[@class='user-details']/a"))
    asked = file_text(name, f"({owner}//span[@class='relativetime']/@title)[1]")
    assert root.published_at is not None and root.published_at[:16] == \
        asked.replace(" ", "T")[:16], (root.published_at, asked)


def test_comment_permalinks_on_the_asked_address(reader: _Reader) -> None:
    """A capture asks for the post's own address; the comments' permalinks are that address
    with a query naming the comment (``?commentId=…``): none of them is the root. (In the
    whole pipeline the page is served at its own path: the first comment was taken for the
    root by its permalink, the post left out, 16 of 17 comments found.)"""
    name = "lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html"
    own = file_text(name, "//meta[@property='og:url']/@content")
    asked = self_base = reader.base.rstrip("/") + "/" + own.split("://", 1)[1].split("/", 1)[1]
    assert self_base.startswith("http://127.0.0.1")
    result = reader.read_at(name, asked)
    assert result.root is not None
    assert result.root_match == "preceding", (result.root_match, result.root.author)
    assert _norm(result.root.author) == _norm(
        file_text(name, "(//*[contains(@class,'PostsAuthors')]//a)[1]"))
    present, _opening = expected(name)
    assert len(result.replies) == present


def test_published_stamp_not_the_edit(reader: _Reader) -> None:
    """A post that shows its "dateModified" stamp and gives its "datePublished" in a <meta>:
    the post's time is its publication."""
    name = "discourse/discourse__onebox__topic-12483-crawler.html"
    result = reader.read(name)
    assert result.root is not None
    published = file_text(name, "(//*[@itemprop='datePublished'])[1]/@content")
    assert result.root.published_at == published.replace(".000Z", "Z")


def test_day_month_year_stamp_is_no_instant(reader: _Reader) -> None:
    """``<time datetime="01-11-2023 10:29">`` is day-month-year without a zone: no instant is
    made of it (it is kept as the raw stamp for the thread's own reading of local times)."""
    name = "wordpress/wordpress__trafilatura__exxpress-at-article-comments-didomi.html"
    result = reader.read(name)
    assert result.root is not None
    assert result.root.published_at is None
    assert result.root.published_raw == file_text(
        name, "(//div[@class='author-box']/time/@datetime)[1]")


# One post on a page of its own, inside the site's wrapper (navigation with a profile-like
# link, a sidebar with a stamp of its own), with a platform notice in its body.
SINGLE_POST = """<!doctype html><html><head><meta charset="utf-8"><title>Saken</title></head>
<body><div id="app" class="site">
<nav class="topp"><a href="/konto/logg-inn">Logg inn</a> <a href="/boliger">Finn bolig</a></nav>
<div class="innhold"><main class="sak">
  <div class="signatur"><time datetime="2024-03-12T13:05:00Z">12. mars 2024</time>
    <a class="forfatter" href="/bruker/kari">Kari Nordmann</a></div>
  <div class="tekst"><aside class="melding-notice">Vil du forbedre dette innlegget? Legg til
    kilder.</aside><p>Brøytebilen kom ikke i natt heller, og gata vår er full av snø.</p>
    <p>Hvem ringer vi?</p></div>
</main>
<aside class="sidekolonne"><div class="relatert"><a href="/bruker/per">Per</a>
  <time datetime="2024-03-01T10:00:00Z">1. mars</time> Les også: strøing i sentrum og
  andre saker fra bydelen vår denne vinteren.</div></aside></div>
<footer role="contentinfo">Nabolaget AS</footer></div></body></html>"""


@pytest.mark.parametrize("scripts", [False, True], ids=["scripts-off", "scripts-on"])
def test_hand_written_single_post_page(reader: _Reader, scripts: bool) -> None:
    """A single post: its block, not the page's wrapper (nor the sidebar's text or a
    navigation link as its author); its body without the notice; no replies."""
    result = reader.read_html(SINGLE_POST, scripts=scripts)
    root = result.root
    assert root is not None and result.replies == () and result.blocks_seen == 0
    assert root.text is not None
    assert root.text.replace("\n\n", "\n") == (
        "Brøytebilen kom ikke i natt heller, og gata vår er full av snø.\nHvem ringer vi?")
    assert root.author == "Kari Nordmann"
    assert root.published_at == "2024-03-12T13:05:00Z"
    # the page's post, without a permalink of its own: at the page's address
    assert root.url is not None and root.url.endswith("/_hand/thread")


# Posts whose "edited" line (the editor and a stamp) comes before the author's own line.
def _edited_post(i: int, who: str, editor: str) -> str:
    return (f'<div class="innlegg"><div class="tekst"><p>Innlegg {i} fra {who} om brøyting.'
            f'</p></div><div class="signaturer"><div class="signatur">redigert <time '
            f'datetime="2024-05-0{i}T08:00:00Z">{i}. mai</time> av {editor}</div>'
            f'<div class="signatur">skrevet <time datetime="2024-03-1{i}T10:'
            f'00:00Z">1{i}. mars</time> <a class="forfatter" href="/bruker/{who.lower()}">{who}'
            f'</a></div></div></div>')


EDITED = ('<!doctype html><html><head><meta charset="utf-8"><title>Tråd</title></head><body>'
          + "".join(_edited_post(i, who, "Ola") for i, who in
                    enumerate(["Kari", "Per", "Anne"], start=1)) + "</body></html>")


def test_hand_written_edited_stamp_is_not_the_posts(reader: _Reader) -> None:
    """Of two stamps in a post, the one beside the author's name is the post's time."""
    result = reader.read_html(EDITED)
    posts = result.posts()
    assert [(p.author, p.published_at) for p in posts] == [
        ("Kari", "2024-03-11T10:00:00Z"), ("Per", "2024-03-12T10:00:00Z"),
        ("Anne", "2024-03-13T10:00:00Z")]


# Comments whose permalinks are the page's own address with a query naming the comment, below
# the post they answer; the page is read at that address.
QUERY_PERMALINKS = """<!doctype html><html><head><meta charset="utf-8"><title>Innlegget</title>
<link rel="canonical" href="/_hand/thread"></head><body><main>
<div class="post"><h1>Innlegget</h1><a href="/bruker/kari">Kari Nordmann</a>
  <time datetime="2024-03-10T10:00:00Z">10. mars</time>
  <div class="post-body"><p>Et langt innlegg om brøyting, strøing og snømåking i bydelen vår,
  og hvem som har ansvaret for hva.</p></div></div>
<section class="comments">
""" + "".join(
    f'<div class="comment"><a href="/bruker/{who.lower()}">{who}</a> '
    f'<a href="/_hand/thread?commentId=c{i}"><time datetime="2024-03-1{i}T10:00:00Z">1{i}. mars'
    f'</time></a><div class="comment-body">Kommentar nummer {i} fra {who}.</div></div>'
    for i, who in enumerate(["Per", "Anne", "Ola"], start=1)) + """
</section></main></body></html>"""


def test_hand_written_comment_permalinks_with_a_query(reader: _Reader) -> None:
    """``…/thread?commentId=c1`` is a comment on ``…/thread``, not the post at that address:
    the post above the comments is the root and every comment a reply."""
    result = reader.read_html(QUERY_PERMALINKS)
    assert result.root is not None and result.root.author == "Kari Nordmann"
    assert result.root_match == "preceding"
    assert [p.author for p in result.replies] == ["Per", "Anne", "Ola"]
    assert all(p.url is not None and "commentId=" in p.url for p in result.replies)


# Local stamps in the forms forums write them; only the last fixes an instant.
_STAMPS = ["01-11-2023 10:29", "01.11.2023 10:29", "11/01/2023 10:29", "2023-11-01 10:29",
           "2023-11-01T10:29:00+01:00"]
DMY_FORUM = ("<!doctype html><html><head><meta charset='utf-8'><title>Tråd</title></head><body>"
             + "".join(f'<div class="innlegg"><a href="/bruker/u{i}">Bruker {i}</a> '
                       f'<time datetime="{stamp}">stempel {i}</time><div class="tekst">'
                       f'Innlegg nummer {i} i tråden om brøyting.</div></div>'
                       for i, stamp in enumerate(_STAMPS))
             + "</body></html>")


def test_hand_written_zone_less_stamps_are_no_instant(reader: _Reader) -> None:
    """Day-month-year, month/day and zone-less ISO stamps give no instant (they are kept as the
    raw stamp); a stamp with its offset does."""
    result = reader.read_html(DMY_FORUM)
    posts = result.posts()
    assert [p.published_raw for p in posts] == _STAMPS
    assert [p.published_at for p in posts] == [None, None, None, None, "2023-11-01T09:29:00Z"]


# A Norwegian forum page as a new user wrote one (issue 15's trial): the stamp follows the
# name in the same header, after a separator ("Ola Hansen · i går kl. 14:02"); replies nest in
# lists; the page says how many replies there are. Names and texts are made up.
SEPARATED_STAMPS = """<!doctype html><html lang="nb"><head><meta charset="utf-8">
<title>Linje 25 endres</title></head><body>
<main><article class="innlegg" id="i1">
      <div class="hode"><a class="navn" href="/bruker/kari-nordmann">Kari Nordmann</a>
    · 03.03.2011, 14:17</div>
  <div class="tekst">Fra mandag kjører linje 25 en ny trasé gjennom sentrum.</div>
</article>
<p class="antall">7 svar i denne tråden</p>
<ul class="svar">
 <li><article class="innlegg" id="i2">
      <div class="hode"><a class="navn" href="/bruker/ola">Ola
   Hansen</a> · i går kl. 14:02</div>
      <div class="tekst">Helt enig, bussen er alltid full.</div>
   <ul class="svar">
    <li><article class="innlegg" id="i3">
      <div class="hode"><a class="navn" href="/bruker/kari-nordmann">Kari
      Nordmann</a> · for 3 timer siden</div>
      <div class="tekst">Takk for svaret, Ola.</div></article></li>
    <li><article class="innlegg" id="i4">
      <div class="hode"><a class="navn" href="/bruker/per">Per
      Aas</a> · for 2 timer siden</div>
      <div class="tekst">Jeg står ofte og venter i kulda.</div></article></li>
   </ul></article></li>
 <li><article class="innlegg" id="i5">
      <div class="hode"><a class="navn" href="/bruker/bjerke">Bydelsutvalget
   Bjerke</a> · 04.03.2011, 09:30</div>
      <div class="tekst">Vi tar saken opp i neste møte.</div></article></li>
 <li><article class="innlegg" id="i6">
      <div class="hode"><a class="navn" href="/bruker/ase">Åse
   Berg</a> · 04.03.2011, 10:05</div>
      <div class="tekst">Hva med holdeplassen ved skolen?</div></article></li>
 <li><article class="innlegg" id="i7">
      <div class="hode"><a class="navn" href="/bruker/lars">Lars
   Li</a> · for 45 minutter siden</div>
      <div class="tekst">Den flyttes, står det i planen.</div></article></li>
 <li><article class="innlegg" id="i8">
      <div class="hode"><a class="navn" href="/bruker/nina">Nina
   Dahl</a> · i dag kl. 06:10</div>
      <div class="tekst">Endelig en bedre rute.</div></article></li>
</ul></main></body></html>"""


def test_stamps_after_a_separator_in_the_header(reader: _Reader) -> None:
    """Every reply is read, each with its own stamp's words as its time (not the header's
    name), the opening post's text is its own, and the nesting follows the lists."""
    result = reader.read_html(SEPARATED_STAMPS, scripts=True)
    assert result.root is not None and result.root.id == "i1"
    assert result.root.author == "Kari Nordmann"
    assert result.root.text == "Fra mandag kjører linje 25 en ny trasé gjennom sentrum."
    replies = {p.id: p for p in result.replies}
    assert set(replies) == {"i2", "i3", "i4", "i5", "i6", "i7", "i8"}
    assert {k: p.parent_id for k, p in replies.items()} == {
        "i2": "i1", "i3": "i2", "i4": "i2", "i5": "i1", "i6": "i1", "i7": "i1", "i8": "i1"}
    assert [replies[k].published_text for k in ("i2", "i3", "i4", "i5", "i7", "i8")] == [
        "i går kl. 14:02", "for 3 timer siden", "for 2 timer siden", "04.03.2011, 09:30",
        "for 45 minutter siden", "i dag kl. 06:10"]
    assert replies["i4"].author == "Per Aas"
    assert replies["i4"].text == "Jeg står ofte og venter i kulda."
