"""The real pages of ``../shared/corpus`` captured for real through the whole pipeline (issue 15,
done-when): thread extract, completeness verdict, arkivmelding, PDF appendix and history.

``tests/engine/test_reader_corpus.py`` measures the generic reader alone; this module runs
every saved thread page with replies (and a few with none) through :class:`CapturePipeline`,
one browser for the module, and checks what reaches the package:

* replies extracted against replies present (at least 95 %), at least 95 % of the replies
  present with author, time and text all three, the manifest's (author, first words) examples
  among them;
* on pages whose file nests its replies, each reply's parent in the package as in the file
  (at least 95 % of the file's replies);
* the verdict: a capture that holds fewer replies than the page shows is PARTIAL with a plain
  warning whose numbers are right; a page where everything was read carries no such warning;
  a page without replies gets none invented;
* ``arkivmelding.xml``: never "ukjent avsender" where the page shows the root's author, the
  sender (korrespondansepart) names that author, dokumentetsDato is the root post's own date
  (the Norwegian calendar date of the instant the page gives; the shown date where the page
  gives a zone-less stamp);
* the PDF's thread appendix: no "ukjent" entry for a reply whose author the page shows;
* the history (the catalogue): never "ukjent avsender" where the page shows the author.

Expected values come from the corpus's ``manifest.json`` (replies present, examples) or from
the saved file itself, read here with lxml (the root's author and date, ``ROOTS``), never from
the capture's output. The corpus is third-party data for internal tests only: the files are
read at run time and nothing of them is copied here.

How the pages are served: from 127.0.0.1 at the path of their own ``og:url`` / canonical
address (the file name where they name none), with every request not to 127.0.0.1 refused at
the capture's own request check (their platforms' scripts, images and APIs). The pages run with
their inline scripts as a capture would; one thing their refused scripts would have done is done
in the served copy (in memory): markup parked in ``<code><!-- … --></code>`` is moved into place.
Pages the manifest describes as a server's no-JavaScript view (crawler view, no-JS fallback)
are served with their ``<noscript>`` content unwrapped, as such a client sees them.

Held back (issue 15 item 6, see test_reader_corpus.py): ``HELD_BACK`` below; their figures are
reported separately in the closing note (``scripts/corpus_table.py``). Both were developed on
after they joined (57e80b8 on WordPress, b134b9b on LessWrong, found by this module's run):
their figures here are after those fixes. The other held-back files (the Discourse crawler
page, see test_thread_markup.py; Reddit and YouTube JSON, see test_thread_platform_data.py;
the local Spirit forum, test_local_forum.py) are not in this table's held-back part.
"""

from __future__ import annotations

import asyncio
import math
import re
import sqlite3
import subprocess
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from lxml import html as lxml_html

from somecapture.engine.browser import BrowserSession
from somecapture.models import CaptureResult, CaptureStatus
from somecapture.pipeline import CapturePipeline
from tests.conftest import fast_options
from tests.engine.corpus_expect import (
    CORPUS,
    MANIFEST,
    NESTED,
    block_key,
    charset,
    nested_blocks,
    nesting_in_file,
    unparked,
    xpath_string,
)
from tests.fixtures.static_pages import StaticPages, loopback_only

# the module fixture captures every page before the first test: more than one test's time
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(600)]

OSLO = ZoneInfo("Europe/Oslo")

HELD_BACK = (
    "wordpress/wordpress__trafilatura__exxpress-at-article-comments-didomi.html",
    "lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html",
)

# A few pages without replies (the rest of them are covered by test_reader_corpus.py).
WITHOUT_REPLIES = (
    "twitter/twitter__metascraper__status-880139124791029763-loggedout-2024.html",
    "phpbb/phpbb__trafilatura__myoos-topic-167.html",
    "guardian/guardian__omnivore__article-sourcepoint-consent-wall-2022.html",
    "thelocal-se/thelocal-se__trafilatura__article-empty-comments-onetrust.html",
)

# The root post's author and date as the saved file shows them, read with lxml:
# (author, date) where author is an XPath (its first non-empty string) or "manifest" (the
# manifest's first example is the root's author), and date is (XPath, regex or None, format):
# the regex's groups joined by spaces are parsed with the format ("iso": an ISO stamp,
# "epoch": seconds); a format without a year is the last such day up to the capture.
# None: the page does not show it (or not so that a date can be told: "6 years ago").
_Date = tuple[str, str | None, str]
ROOTS: dict[str, tuple[str | None, _Date | None]] = {
    # the shown "June 4 at 6:00 AM" is in the zone of the browser that saved the page
    # (UTC+12); the page's JSON-LD gives the instant with its zone
    "facebook/facebook__facebook-scraper__m-story-4191173794300375.html":
        ("manifest", ("string(//script[@type='application/ld+json'])",
                      r'"datePublished":"([^"]+)"', "iso")),
    "facebook/facebook__facebook-scraper__m-group-permalink-1629606003787605.html":
        ("(//strong/a)[1]", ("(//abbr)[1]", None, "%d %B %Y at %H:%M")),
    "twitter/twitter__metascraper__status-1222907250383245320-replies-2022.html":
        ("manifest", ("(//time/@datetime)[1]", None, "iso")),
    "twitter/twitter__metascraper__status-880139124791029763-replies-2022.html":
        ("manifest", ("(//time/@datetime)[1]", None, "iso")),
    "twitter/twitter__metascraper__status-880139124791029763-loggedout-2024.html":
        ("manifest", ("(//time/@datetime)[1]", None, "iso")),
    "bluesky/bluesky__metascraper__post-forbes-3mdd7aj7pgs2x-rendered.html":
        ("manifest", ("string(//body)", r"\d [AP]M · (\w{3}) (\d{1,2}), (\d{4})", "%b %d %Y")),
    "bluesky/bluesky__metascraper__post-stephenking-3mddvy5bv6k27-noscript.html":
        ("manifest", ("string(//body)", r"(\d{4}-\d\d-\d\dT[\d:.]+Z)", "iso")),
    # "Posted by" with no name in the markup, "6 years ago"
    "reddit/reddit__trafilatura__new-reddit-r-python-1bbbwk.html": (None, None),
    "reddit/reddit__blog-skipper__old-reddit-r-aww-8dyrb3.html":
        ("(//div[@data-type='link'])[1]/@data-author",
         ("(//div[@data-type='link'])[1]//p[contains(@class,'tagline')]/time/@datetime",
          None, "iso")),
    "youtube/youtube__blog-skipper__watch-with-comments-2018.html":
        ("(//ytd-video-owner-renderer//*[@id='owner-name']//a)[1]",
         ("(//ytd-video-secondary-info-renderer//*[contains(@class,'date')])[1]",
          r"(\w{3}) (\d{1,2}), (\d{4})", "%b %d %Y")),
    # the embed shows comments only: no root post
    "disqus/disqus__blog-skipper__embed-comments-androidmr-54479.html": (None, None),
    "discourse/discourse__onebox__topic-12483-crawler.html":
        ("normalize-space(substring-before((//span[@class='creator'])[1], '('))",
         ("(//*[@itemprop='datePublished'])[1]/@content", None, "iso")),
    "xenforo/xenforo__trafilatura__katzen-forum-thread-230143.html":
        ("manifest",
         ("(//article[contains(@class,'message--post')])[1]//time/@datetime", None, "iso")),
    # page 34 of a long thread: the thread's opening post (its author, its date) is not on it
    "vbulletin/vbulletin__trafilatura__pocketpc-ch-thread-122760-p34.html": (None, None),
    "phpbb/phpbb__trafilatura__myoos-topic-167.html":
        ("manifest", ("(//p[@class='author'])[1]", r"(\d\d\.\d\d\.\d{4}), (\d\d:\d\d)",
                      "%d.%m.%Y %H:%M")),
    # which block is the question and whose it is cannot be told from the markup
    "socialengine/socialengine__omnivore__musictribe-discussion-77059.html": (None, None),
    "wordpress/wordpress__trafilatura__exxpress-at-article-comments-didomi.html":
        ("(//div[@class='author-box']/span[@class='author'])[1]",
         ("(//div[@class='author-box']/time)[1]", None, "%d. %B %Y %H:%M")),
    # the page gives the post's instant in its JSON-LD; the date it shows ("9th May 2023")
    # is that instant in the zone of the browser that saved it, a day ahead of Oslo's
    "lesswrong/lesswrong__omnivore__post-bHozHrQD4qxvKdfqq-comments.html":
        ("(//*[contains(@class,'PostsAuthors')]//a)[1]",
         ("//script[@type='application/ld+json']", r'"datePublished":\s*"([^"]+)"', "iso")),
    "stackoverflow/stackoverflow__omnivore__q-231767-answers-comments-onetrust.html":
        ("(//div[@id='question']//div[contains(@class,'owner')]"
         "//div[contains(@class,'user-details')]/a)[1]",
         ("(//div[@id='question']//div[contains(@class,'owner')]"
          "//span[@class='relativetime']/@title)[1]", None, "iso")),
    "twitter/twitter__onebox__legacy-status-1128068672289890305-2019.html":
        ("(//div[contains(@class,'permalink-tweet')]//strong[contains(@class,'fullname')])[1]",
         ("(//div[contains(@class,'permalink-tweet')]"
          "//span[contains(@class,'_timestamp')]/@data-time)[1]", None, "epoch")),
    "guardian/guardian__omnivore__article-sourcepoint-consent-wall-2022.html":
        ("(//a[@rel='author'])[1]",
         ("//meta[@property='article:published_time']/@content", None, "iso")),
    # the byline is an agency credit with an e-mail address, not a post's author
    "thelocal-se/thelocal-se__trafilatura__article-empty-comments-onetrust.html":
        (None, ("//meta[@property='article:published_time']/@content", None, "iso")),
}

if not (CORPUS / "manifest.json").is_file():
    pytest.skip(f"the shared corpus is not at {CORPUS}", allow_module_level=True)



def replies_present(name: str) -> int:
    """Replies the page shows, per the manifest (an opening/focal post not counted).

    "N posts" without an opening/focal post (a comments-only embed, a later page of a
    thread) counts every post shown; see :func:`counted_replies`.
    """
    text = MANIFEST[name]["replies_present"]
    both = re.search(r"(\d+) answers \+ (\d+) comments", text)
    if both:
        return int(both.group(1)) + int(both.group(2))
    replies = re.search(r"(\d+) (?:visible )?repl(?:y|ies)", text)
    if replies:
        return int(replies.group(1))
    first = re.match(r"(\d+) (\w+)", text)
    assert first, text
    return int(first.group(1))


# Pages whose manifest count includes placeholders the page shows in place of replies it has
# not loaded (no author, no text): XPath of those placeholders in the file. Old Reddit's
# "load more comments (1 reply)" stubs are div.thing elements with a t1_ id like the comments.
UNLOADED: dict[str, str] = {
    "reddit/reddit__blog-skipper__old-reddit-r-aww-8dyrb3.html":
        "//div[@data-type='morechildren']",
}


def replies_shown(name: str) -> int:
    """Replies present per the manifest, less the placeholders of unloaded ones."""
    xpath = UNLOADED.get(name)
    return replies_present(name) - (len(_tree(name).xpath(xpath)) if xpath else 0)


def _all_posts_counted(name: str) -> bool:
    text = MANIFEST[name]["replies_present"]
    return bool(re.match(r"\d+ posts", text)) and not re.search(r"focal|opening post", text)


def top_level_only(name: str) -> bool:
    """The manifest counts top-level threads only (their replies are not counted)."""
    return bool(re.match(r"\d+ top-level", MANIFEST[name]["replies_present"]))


def authors_shown(name: str) -> bool:
    return "NOT in the comment DOM" not in MANIFEST[name]["replies_present"]


WITH_REPLIES = sorted(n for n in MANIFEST if n.endswith(".html") and replies_present(n) > 0)
PAGES = WITH_REPLIES + [n for n in WITHOUT_REPLIES if n in MANIFEST]


# --- serving the corpus ---------------------------------------------------------------------

def _own_path(name: str) -> str:
    """The path (and query) of the page's own address (og:url, else canonical), else its
    file name."""
    tree = lxml_html.fromstring((CORPUS / name).read_bytes())
    for xpath in ("//meta[@property='og:url']/@content", "//link[@rel='canonical']/@href"):
        found = [str(v).strip() for v in tree.xpath(xpath) if str(v).strip()]
        if found:
            parts = urlsplit(found[0])
            if parts.path not in ("", "/", "/home"):
                return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/" + name


def _served_copy(name: str) -> bytes:
    """The file with what its refused scripts (or a no-JS client) would have done."""
    data = unparked((CORPUS / name).read_bytes())
    if re.search(r"crawler view|no-JS", MANIFEST[name]["contents"]):
        data = re.sub(rb"</?noscript[^>]*>", b"", data, flags=re.IGNORECASE)
    return data


class _Corpus:
    """The chosen pages on 127.0.0.1, each at its own path (made unique by a query)."""

    def __init__(self, names: list[str]) -> None:
        self.paths: dict[str, str] = {}
        bodies: dict[str, tuple[str, bytes]] = {}
        for name in names:
            path = _own_path(name)
            if path in bodies:
                path += ("&" if "?" in path else "?") + f"copy={len(bodies)}"
            data = _served_copy(name)
            bodies[path] = (f"text/html; charset={charset(data)}", data)
            self.paths[name] = path
        self.pages = StaticPages(bodies, match_query=True)

    def url(self, name: str) -> str:
        return self.pages.url(self.paths[name])

    def close(self) -> None:
        self.pages.close()


@dataclass
class Captured:
    name: str
    result: CaptureResult
    seconds: float
    catalog: Path


def capture_corpus(names: list[str], out_dir: Path, **changes: Any) -> dict[str, Captured]:
    """Capture ``names`` through the pipeline in one browser session."""
    catalog = out_dir / "catalogue.sqlite"
    options = fast_options(out_dir / "packages", expand_timeout_s=8.0,
                           capture_timeout_s=60.0, catalog_path=catalog, **changes)
    corpus = _Corpus(names)

    async def run() -> dict[str, Captured]:
        done: dict[str, Captured] = {}
        async with BrowserSession(options) as session:
            pipeline = CapturePipeline(session, options)
            for name in names:
                t0 = time.monotonic()
                result = await pipeline.capture(corpus.url(name))
                done[name] = Captured(name, result, time.monotonic() - t0, catalog)
        return done

    try:
        with loopback_only():
            return asyncio.run(run())
    finally:
        corpus.close()


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Captured]:
    return capture_corpus(PAGES, tmp_path_factory.mktemp("corpus-pipeline"))


def _get(captures: dict[str, Captured], name: str) -> CaptureResult:
    result = captures[name].result
    assert result.package is not None, (result.status, result.error, result.warnings)
    return result


# --- reading the extract and the files -----------------------------------------------------

def _norm(text: str | None) -> str:
    """Case-folded, whitespace-collapsed, without format characters (bidi marks)."""
    text = "".join(c for c in (text or "") if unicodedata.category(c) != "Cf")
    return re.sub(r"\s+", " ", text).strip().casefold()


def counted_replies(result: CaptureResult, name: str) -> list[dict[str, Any]]:
    """The extracted replies the manifest's count is about: those the page showed (replies
    only in the platform's data the page received are kept too, marked ``shown_on_page``
    false)."""
    replies: list[dict[str, Any]] = [r for r in result.thread.get("replies") or []
                                     if r.get("shown_on_page", True)]
    root = result.thread.get("root") or {}
    if top_level_only(name):
        replies = [r for r in replies if r.get("parent_id") in (None, root.get("id"))]
    if _all_posts_counted(name):
        # the manifest counts every post shown: the root too where the capture took one of
        # them (the first, per the manifest's first example) as the root
        first = _norm(MANIFEST[name]["examples"][0]["text_starts_with"]).rstrip(".…")[:40]
        if first and _norm(root.get("text")).startswith(first):
            replies = [root, *replies]
    return replies


def _has_time(post: dict[str, Any]) -> bool:
    # a time read from the stamp; the stamp's text alone is not a reading
    return any(post.get(k) for k in ("published_at", "published_local", "published_range"))


def _read(post: dict[str, Any]) -> bool:
    """A reply read whole: who and what."""
    return bool((post.get("author") or post.get("handle")) and post.get("text"))


def _tree(name: str) -> Any:
    """The file as the page shows it (parked markup in place)."""
    return lxml_html.fromstring(_served_copy(name))


def root_author(name: str) -> str | None:
    """The root's author as the file shows it (name or handle), None where it shows none."""
    spec = ROOTS.get(name, (None, None))[0]
    if spec is None:
        return None
    if spec == "manifest":
        return str(MANIFEST[name]["examples"][0]["author"]).strip()
    found = xpath_string(_tree(name), spec)
    assert found, (name, spec)
    return found


def root_date(name: str, captured_on: date) -> date | None:
    """The root post's date as the file shows it: the Norwegian calendar date of the instant
    where the page gives one with its zone, else the date shown. A date shown without a year
    ("June 4 at 6:00 AM") means, on a live page, the last such day up to the day the page is
    seen: the capture's (``captured_on``) — not the day the corpus file was saved."""
    spec = ROOTS.get(name, (None, None))[1]
    if spec is None:
        return None
    xpath, pattern, fmt = spec
    value = xpath_string(_tree(name), xpath)
    assert value, (name, xpath)
    if pattern is not None:
        match = re.search(pattern, value)
        assert match, (name, pattern, value[:200])
        value = " ".join(match.groups())
    if fmt == "epoch":
        return datetime.fromtimestamp(int(value), UTC).astimezone(OSLO).date()
    if fmt == "iso":
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(OSLO).date() if moment.tzinfo else moment.date()
    if "%Y" not in fmt:
        for year in (captured_on.year, captured_on.year - 1):
            shown = datetime.strptime(f"{value} {year}", f"{fmt} %Y").date()
            if shown <= captured_on:
                return shown
    return datetime.strptime(value, fmt).date()


def _arkivmelding(result: CaptureResult) -> Any:
    assert result.package is not None
    return etree.parse(str(result.package / "data" / "arkivmelding.xml"))


def _texts(doc: Any, local_name: str) -> list[str]:
    return [" ".join((e.text or "").split()) for e in doc.iter()
            if isinstance(e.tag, str) and etree.QName(e).localname == local_name]


def _pdf_text(result: CaptureResult) -> str:
    assert result.package is not None
    pdfs = sorted((result.package / "data").glob("*.pdf"))
    assert pdfs, list((result.package / "data").iterdir())
    done = subprocess.run(["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout


# The verdict's count warning: "18 of 30 replies shown on the page could be read …"
COUNT_WARNING = re.compile(r"\b(\d+) of (\d+) (?:visible )?(?:replies|comments)\b")
# words an archivist should not have to read in a warning
JARGON = re.compile(r"\b(?:selector|reader|DOM|JSON|XPath|null|None|blocks?|adapter)\b|_",
                    re.IGNORECASE)


def count_warnings(result: CaptureResult) -> list[str]:
    return [w for w in result.warnings if COUNT_WARNING.search(w)]


# --- the checks -----------------------------------------------------------------------------

def _params(names: list[str]) -> list[Any]:
    return [pytest.param(n, id=n.split("/")[-1][:60]) for n in names]


@pytest.mark.parametrize("name", _params(WITH_REPLIES))
def test_replies_extracted(captures: dict[str, Captured], name: str) -> None:
    """At least 95 % of the replies present are in the extract, and not more than present."""
    result = _get(captures, name)
    present = replies_present(name)
    got = len(counted_replies(result, name))
    assert got >= math.ceil(0.95 * present), (got, present, result.thread.get("sources"))
    assert got <= present, (got, present, result.thread.get("sources"))


@pytest.mark.parametrize("name", _params([n for n in PAGES if n not in WITH_REPLIES]))
def test_no_invented_replies(captures: dict[str, Captured], name: str) -> None:
    result = _get(captures, name)
    replies = result.thread.get("replies") or []
    assert not replies, [(r.get("author"), (r.get("text") or "")[:50]) for r in replies]
    assert not count_warnings(result), result.warnings


def _dated(post: dict[str, Any]) -> bool:
    """A time: the instant, or the interval a shown local/relative stamp surely lies in."""
    return bool(post.get("published_at") or post.get("published_range"))


def media_is_text(name: str) -> bool:
    """The manifest says the page's posts may be media without words (an image, a GIF,
    "empty text"): a reply with media only then counts as having its text."""
    row = MANIFEST[name]
    said = " ".join([row["contents"], row["replies_present"],
                     *(e["text_starts_with"] for e in row["examples"])])
    return bool(re.search(r"empty text|media[- ]only|\bGIF\b|\bimages?\b", said, re.IGNORECASE))


def _fields(post: dict[str, Any], name: str) -> dict[str, bool]:
    return {"author": bool(post.get("author") or post.get("handle")),
            "time": _dated(post),
            "text": bool(post.get("text") or (media_is_text(name) and post.get("media")))}


def whole(post: dict[str, Any], name: str) -> bool:
    """Author, time and text, all three."""
    return all(_fields(post, name).values())


# Pages that cannot meet "each with author, time and text", and why: the field the page does
# not show for its replies and the XPath that finds it in the file's reply blocks (the test
# checks that it finds nothing there). None today; an entry is a measured exception, reported
# as an expected failure with its figure, never a skip.
CANNOT: dict[str, tuple[str, str]] = {}


@pytest.mark.parametrize("name", _params(WITH_REPLIES))
def test_each_reply_has_author_time_and_text(captures: dict[str, Captured], name: str) -> None:
    """At least 95 % of the replies present (the manifest's count, less placeholders of replies
    the page did not load) are in the extract with ALL THREE: author, a time (an instant or
    the interval of a shown stamp) and text (media only, where the manifest says posts may be
    media)."""
    result = _get(captures, name)
    replies = counted_replies(result, name)
    present = replies_shown(name)
    full = sum(1 for r in replies if whole(r, name))
    lacking = {f: sum(1 for r in replies if not _fields(r, name)[f])
               for f in ("author", "time", "text")}
    figure = f"{full} of {present} replies present have author, time and text"
    print(f"\n[all three] {name}: {full}/{present} (lacking: {lacking})")
    cannot = CANNOT.get(name)
    if cannot is None:
        assert full >= math.ceil(0.95 * present), (figure, lacking, len(replies))
        return
    field, xpath = cannot
    assert not _tree(name).xpath(xpath), (name, field, xpath)
    rest = sum(1 for r in replies
               if all(v for f, v in _fields(r, name).items() if f != field))
    assert rest >= math.ceil(0.95 * present), (rest, present, lacking)
    pytest.xfail(f"{figure}: the page shows no {field} for its replies "
                 f"({xpath} finds none in the file); {rest} of {present} have the other two")


def _nesting_keys(name: str, posts: list[dict[str, Any]]) -> dict[str, str | None]:
    """Post id -> the file's block it is (by id/permalink, else by its words in exactly one
    block's own words)."""
    blocks = {k: _norm(t) for k, t in nested_blocks(name).items()}
    keys: dict[str, str | None] = {}
    for post in posts:
        key = block_key(name, post.get("id"), post.get("url"))
        if key not in blocks:
            words = _norm(post.get("text"))[:40]
            found = [k for k, t in blocks.items() if words and words in t]
            key = found[0] if len(found) == 1 else None
        keys[str(post.get("id"))] = key
    return keys


def nesting_right(result: CaptureResult, name: str) -> tuple[int, int, int]:
    """(replies whose parent is the file's, file's blocks, replies matched to a block)."""
    thread = result.thread
    root = thread.get("root") or {}
    replies = list(thread.get("replies") or [])
    want = nesting_in_file(name)
    keys = _nesting_keys(name, [root, *replies])
    right = matched = 0
    for reply in replies:
        key = keys[str(reply.get("id"))]
        if key is None or key not in want:
            continue
        matched += 1
        parent = reply.get("parent_id")
        if want[key] is None:
            # a top-level block answers the thread's opening post (the page, where it shows
            # comments only)
            right += parent == root.get("id")
        else:
            right += parent is not None and keys.get(str(parent)) == want[key]
    return right, len(want), matched


@pytest.mark.parametrize("name", _params(sorted(NESTED)))
def test_nesting_reaches_the_package(captures: dict[str, Captured], name: str) -> None:
    """On pages whose file nests its replies, the reconciled thread in the package has each
    reply's parent as the file has it (read from the file with lxml, independently of the
    capture) for at least 95 % of the file's replies."""
    right, blocks, matched = nesting_right(_get(captures, name), name)
    print(f"\n[nesting] {name}: {right}/{blocks} right ({matched} matched)")
    assert right >= math.ceil(0.95 * blocks), (right, blocks, matched)


@pytest.mark.parametrize("name", _params(WITH_REPLIES))
def test_manifest_examples_in_the_extract(captures: dict[str, Captured], name: str) -> None:
    """Each (author, first words) example of the manifest is a post of the extract."""
    thread = _get(captures, name).thread
    posts = [thread.get("root") or {}] + list(thread.get("replies") or [])
    for example in MANIFEST[name]["examples"]:
        author = _norm(example["author"]).lstrip("@")
        prefix = _norm(example["text_starts_with"]).rstrip(".…")[:40]
        matches = [
            p for p in posts if _norm(p.get("text")).startswith(prefix)
            and (not authors_shown(name)
                 or author in (_norm(p.get("author")).lstrip("@"),
                               _norm(p.get("handle")).lstrip("@")))]
        assert matches, (example, [(p.get("author"), p.get("handle"),
                                    (p.get("text") or "")[:40]) for p in posts[:6]])


@pytest.mark.parametrize("name", _params(PAGES))
def test_verdict_is_honest(captures: dict[str, Captured], name: str) -> None:
    """COMPLETE only when every reply shown was read; otherwise PARTIAL with a plain warning
    that gives the right numbers ("X of N replies …": X read, N shown). Placeholders of
    replies the page did not load are no replies shown (the capture names them as controls
    still on the page)."""
    result = _get(captures, name)
    present = replies_shown(name)
    replies = counted_replies(result, name)
    read = sum(1 for r in replies if _read(r))
    warnings = count_warnings(result)
    if read >= present:
        assert not warnings, warnings
        return
    assert result.status is CaptureStatus.PARTIAL, (read, present, result.warnings)
    assert warnings, (read, present, result.warnings)
    text = warnings[0]
    match = COUNT_WARNING.search(text)
    assert match is not None
    said_read, said_shown = int(match.group(1)), int(match.group(2))
    all_read = sum(1 for r in result.thread.get("replies") or [] if _read(r))
    assert said_read == all_read, (text, all_read)
    assert math.ceil(0.95 * present) <= said_shown <= present, (text, present)
    assert not JARGON.search(text), text


@pytest.mark.parametrize("name", _params(PAGES))
def test_arkivmelding_names_the_author(captures: dict[str, Captured], name: str) -> None:
    """No "ukjent avsender" where the page shows the root's author; the sender is that author."""
    result = _get(captures, name)
    doc = _arkivmelding(result)
    author = root_author(name)
    whole = etree.tostring(doc, encoding="unicode")
    if author is None:
        return
    assert "ukjent avsender" not in whole, _texts(doc, "tittel")[:1]
    senders = _texts(doc, "korrespondansepartNavn")
    want = _norm(author).lstrip("@")
    assert any(want in _norm(s) for s in senders), (author, senders)


@pytest.mark.parametrize("name", _params(PAGES))
def test_dokumentets_dato_is_the_posts_date(captures: dict[str, Captured], name: str) -> None:
    result = _get(captures, name)
    started = datetime.fromisoformat(str(result.provenance["started_at"]).replace("Z", "+00:00"))
    shown = root_date(name, started.astimezone(OSLO).date())
    if shown is None:
        return
    doc = _arkivmelding(result)
    dates = _texts(doc, "dokumentetsDato")
    assert dates, "no dokumentetsDato"
    assert set(dates) == {shown.isoformat()}, (dates, shown)


@pytest.mark.parametrize("name", _params([n for n in WITH_REPLIES if authors_shown(n)]))
def test_pdf_appendix_names_the_repliers(captures: dict[str, Captured], name: str) -> None:
    """The PDF's thread appendix gives no post as by "ukjent" where the page shows its author
    (every reply here; the root where ``ROOTS`` reads its author from the file)."""
    text = _pdf_text(_get(captures, name))
    assert "Ingen tekst ble hentet ut" not in text
    unknown = re.findall(r"#(\d+)\s+\(?ukjent\b.*", text)
    if root_author(name) is None:
        # the root (entry #1) is a post whose author the page does not show
        unknown = [n for n in unknown if n != "1"]
    assert not unknown, re.findall(r"#\d+\s+\(?ukjent\b.*", text)[:5]


@pytest.mark.parametrize("name", _params(PAGES))
def test_history_names_the_author(captures: dict[str, Captured], name: str) -> None:
    """The catalogue row (the history) says who, where the page shows the root's author."""
    captured = captures[name]
    if root_author(name) is None:
        return
    with sqlite3.connect(captured.catalog) as db:
        row = db.execute("SELECT author, handle, title FROM captures WHERE capture_id = ?",
                         (captured.result.capture_id,)).fetchone()
    assert row is not None
    author, handle, title = row
    assert "ukjent avsender" not in (title or ""), title
    want = _norm(root_author(name)).lstrip("@")
    assert want in (_norm(author), _norm(handle).lstrip("@")) or want in _norm(title), row


# --- the closing note's table ---------------------------------------------------------------

def table_rows(captures: dict[str, Captured]) -> list[dict[str, Any]]:
    rows = []
    for name, captured in captures.items():
        result = captured.result
        replies = result.thread.get("replies") or []
        rows.append({
            "page": name,
            "held_back": name in HELD_BACK,
            "present": replies_present(name) if name in MANIFEST else None,
            "extracted": len(counted_replies(result, name)),
            "replies": len(replies),
            "author": sum(1 for r in replies if r.get("author") or r.get("handle")),
            "time": sum(1 for r in replies if _has_time(r)),
            "text": sum(1 for r in replies if r.get("text")),
            "shown": replies_shown(name) if name in MANIFEST else None,
            "all_three": sum(1 for r in counted_replies(result, name) if whole(r, name)),
            "nesting": (nesting_right(result, name)[:2] if name in NESTED else None),
            "sources": result.thread.get("sources") or {},
            "adapter": result.thread.get("adapter"),
            "status": result.status.value,
            "warnings": list(result.warnings),
            "seconds": round(captured.seconds, 1),
        })
    return rows


def markdown_table(captures: dict[str, Captured]) -> str:
    head = ("| page | present | extracted | author / time / text | all three / shown | "
            "nesting right | sources | status | warnings | s |\n"
            "|---|---|---|---|---|---|---|---|---|---|")
    parts = []
    for held in (False, True):
        lines = [head]
        for row in table_rows(captures):
            if row["held_back"] is not held:
                continue
            sources = ", ".join(f"{k} {v}" for k, v in sorted(row["sources"].items())) or "—"
            extracted = str(row["extracted"])
            if row["extracted"] != row["replies"]:
                extracted += f" (top level; {row['replies']} in all)"
            nesting = "{} / {}".format(*row["nesting"]) if row["nesting"] else "—"
            warnings = "<br>".join(w.replace("|", "\\|") for w in row["warnings"]) or "—"
            lines.append(
                f"| `{row['page'].split('/')[-1]}` | {row['present']} | {extracted} | "
                f"{row['author']} / {row['time']} / {row['text']} | "
                f"{row['all_three']} / {row['shown']} | {nesting} | {sources} | "
                f"{row['status']} | {warnings} | {row['seconds']} |")
        parts.append(("### Held back\n\n" if held else "### Developed on\n\n")
                     + "\n".join(lines))
    return "\n\n".join(parts) + "\n"



def _screened_text(result: CaptureResult) -> str | None:
    assert result.package is not None
    path = result.package / "data" / "screened" / "screenshot.pdf"
    if not path.is_file():
        return None
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          timeout=120, check=True)
    return " ".join(done.stdout.split())


@pytest.mark.parametrize("name", _params([n for n in WITH_REPLIES if authors_shown(n)]))
def test_screened_variant_names_no_replier(captures: dict[str, Captured], name: str) -> None:
    """Issue 18 on real markup: every page with repliers gets a screened variant (no own
    accounts are configured, so every author is a private person), and its text layer holds
    none of the manifest's example authors — names taken from the corpus's own description,
    not from the capture."""
    result = _get(captures, name)
    text = _screened_text(result)
    screening = [w for w in result.warnings if "screened version" in w]
    assert text is not None, screening
    assert "Innbygger 1" in text
    for example in MANIFEST[name]["examples"]:
        author = _norm(example["author"]).lstrip("@")
        assert not re.search(rf"(?<![\w@]){re.escape(author)}(?!\w)", text, re.IGNORECASE), (
            name, author)
