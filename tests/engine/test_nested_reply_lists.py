"""Nested lists of replies are read one reply at a time, each with its own author and text.

A thread whose answers sit in small lists under the reply they answer ("3 svar" opens a
``<ul class="children">`` of three) once had each such list read by the generic reader as one
post: the first answer's name on the next answer's words. Reconciliation then added those as
replies beside the site selectors' correct ones — a citizen credited with words they did not
write. Hand-made pages on 127.0.0.1, in a real Chromium:

* the reader alone, on fully shown trees in three markups: the answers in a ``children`` list
  inside the reply, the same in a list whose class names nothing, and a ``replies`` container
  beside the reply it answers; every reply is read once, under its parent, with its own
  author and text;
* a list whose items have no shape of their own (class names too long to be one), so the
  reader takes the whole list for a post: it never puts one answer's name on another's words;
* a whole capture of a thread that opens its answers with "N svar" toggles (as the benchmark's
  ``/nested`` page): every reply once, with its own author and text, no reply the reader made
  up (``reader-…``), no conflict recorded, the capture COMPLETE.

The expected replies come from the tree this test writes, never from the reader's output.
"""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from somecapture.models import CaptureStatus
from somecapture.sites.reader import ReaderResult, read_rendered_thread
from tests.conftest import run_capture
from tests.fixtures.static_pages import StaticPages

pytestmark = [pytest.mark.browser]

# the answers to each reply (ids name the path: r2.1.2 answers r2.1, which answers r2)
TREE: dict[str, list[str]] = {
    "p": ["r1", "r2", "r3", "r4", "r5", "r6"],
    "r1": ["r1.1"],
    "r2": ["r2.1", "r2.2", "r2.3"],
    "r2.1": ["r2.1.1"],
    "r2.1.1": ["r2.1.1.1", "r2.1.1.2"],
    "r2.2": ["r2.2.1", "r2.2.2"],
    "r2.2.2": ["r2.2.2.1", "r2.2.2.2"],
    "r2.3": ["r2.3.1"],
    "r2.3.1": ["r2.3.1.1", "r2.3.1.2"],
    "r3": ["r3.1", "r3.2", "r3.3"],
    "r3.1": ["r3.1.1", "r3.1.2"],
    "r3.1.1": ["r3.1.1.1", "r3.1.1.2"],
    "r5": ["r5.1", "r5.2", "r5.3"],
    "r5.1": ["r5.1.1"],
    "r6": ["r6.1", "r6.2"],
    "r6.2": ["r6.2.1"],
    "r6.2.1": ["r6.2.1.1", "r6.2.1.2"],
}
PARENT = {kid: parent for parent, kids in TREE.items() for kid in kids}
IDS = sorted(PARENT)
GIVEN = ["Kari", "Ola", "Ingrid", "Per", "Sigrid", "Nils", "Astrid", "Lars", "Eva"]


def author(rid: str) -> str:
    """A name of its own for every reply."""
    return f"{GIVEN[IDS.index(rid) % len(GIVEN)]} Innbygger-{rid}"


def text(rid: str) -> str:
    """Words of its own for every reply (long enough to be someone's own words)."""
    return f"Svar {rid} fra {author(rid)}: Et svar i en tråd med flere nivåer, og litt mer."


_HEAD = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Tråd</title>
<style>body{font:15px/1.4 sans-serif;margin:0;background:#eef1f5}
main{max-width:640px;margin:0 auto;padding:16px}
.post,.reply,.comment,li{background:#fff;border-radius:8px;padding:10px 14px;margin:8px 0}
.children,.sub,.replies{margin-left:32px}</style></head><body><main>
<article class="post" data-post-id="p"><b class="author-name">Etaten</b>
<time datetime="2026-11-20T09:00:00Z">20. nov.</time>
<p class="post-text">Innlegget som svarene gjelder, med litt tekst.</p></article>
"""
_TAIL = "</main></body></html>"
_STAMP = '<time datetime="2026-11-20T10:00:00Z">20. nov. kl. 11:00</time>'


def _reply_inner(rid: str) -> str:
    return (f'<b class="author-name">{html.escape(author(rid))}</b> {_STAMP}'
            f'<p class="reply-text">{html.escape(text(rid))}</p>')


def nested_inside(list_class: str) -> str:
    """Each reply an ``li.reply``; its answers in ``<ul class=list_class>`` inside it."""
    def items(parent: str) -> str:
        out = []
        for rid in TREE.get(parent, []):
            kids = (f'<ul class="{list_class}">{items(rid)}</ul>' if rid in TREE else "")
            out.append(f'<li class="reply" data-reply-id="{rid}">{_reply_inner(rid)}{kids}</li>')
        return "".join(out)
    return _HEAD + f'<ul id="replies">{items("p")}</ul>' + _TAIL


def replies_beside() -> str:
    """Each reply a ``div.comment``; its answers in a ``div.replies`` right after it."""
    def items(parent: str) -> str:
        out = []
        for rid in TREE.get(parent, []):
            out.append(f'<div class="comment" data-comment-id="{rid}">{_reply_inner(rid)}</div>')
            if rid in TREE:
                out.append(f'<div class="replies">{items(rid)}</div>')
        return "".join(out)
    return _HEAD + f'<div id="comments">{items("p")}</div>' + _TAIL


#: a class name longer than the reader takes for a shape (hashed CSS-module names)
_LONG = "ThreadReplyItem_container__x8Kq2_ThreadReplyItem_bordered__mZ41p"


def shapeless_pairs() -> str:
    """Top-level replies two to a list, each item with only an over-long class name: the
    lists are the only repeated shape with names and stamps, so the reader takes each list
    for one post."""
    top = TREE["p"]
    lists = []
    for i in range(0, len(top), 2):
        lists.append('<ul class="bundle">' + "".join(
            f'<li class="{_LONG}">{_reply_inner(rid)}</li>' for rid in top[i:i + 2]) + "</ul>")
    return _HEAD + '<div id="replies">' + "".join(lists) + "</div>" + _TAIL


#: the posts of a table forum: (author, quoted post or None, own words)
FORUM = [("Kari Innbygger-f1", None, "Første innlegg i tråden, med en del egne ord i seg."),
         ("Ola Innbygger-f2", 0, "Enig i det du skriver, og jeg vil legge til litt mer her."),
         ("Ingrid Innbygger-f3", 1, "Det er et godt poeng, men saken har en annen side også."),
         ("Per Innbygger-f4", None, "Et innlegg uten sitat, bare egne ord om saken i tråden.")]


def table_forum() -> str:
    """An old-style forum: each post a ``tbody`` of two ``tr.row`` rows, the first with the
    author and the stamp, the second with the words; a post quoting another names the quoted
    author and stamp inside a ``blockquote`` in its words' row (the same shape as the first
    row, with an author and a stamp below it: yet no post of its own)."""
    rows = []
    for n, (who, quoted, words) in enumerate(FORUM):
        quote = ""
        if quoted is not None:
            q_who, _, q_words = FORUM[quoted]
            quote = (f'<blockquote class="quote"><cite><a class="username" href="/u/{quoted}">'
                     f'{html.escape(q_who)}</a> skrev <time datetime="2026-11-20T10:0{quoted}'
                     f':00Z">20. nov. kl. 11:0{quoted}</time>:</cite>{html.escape(q_words)}'
                     "</blockquote>")
        rows.append(
            f'<tbody class="post" id="post-{n}"><tr class="row"><td>'
            f'<a class="username" href="/u/{n}">{html.escape(who)}</a> '
            f'<time datetime="2026-11-20T10:0{n}:00Z">20. nov. kl. 11:0{n}</time></td></tr>'
            f'<tr class="row"><td class="postbody">{quote}<p>{html.escape(words)}</p></td>'
            "</tr></tbody>")
    return (_HEAD.replace('<article class="post"', '<article class="lead"') +
            '<table class="forum">' + "".join(rows) + "</table>" + _TAIL)


def _read_all(pages: dict[str, str]) -> dict[str, ReaderResult]:
    """Each page read by the generic reader in one real Chromium (pages served from
    127.0.0.1, nothing else reachable)."""
    server = StaticPages({f"/{name}": body.encode() for name, body in pages.items()})

    async def run() -> dict[str, ReaderResult]:
        out: dict[str, ReaderResult] = {}
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path="/usr/bin/chromium",
                                               args=["--no-sandbox"])
            try:
                page = await browser.new_page(viewport={"width": 1280, "height": 900})
                for name in pages:
                    url = server.url(f"/{name}")
                    await page.goto(url, wait_until="load")
                    out[name] = await read_rendered_thread(page, url)
            finally:
                await browser.close()
        return out

    try:
        return asyncio.run(run())
    finally:
        server.close()


@pytest.fixture(scope="module")
def readings() -> dict[str, ReaderResult]:
    return _read_all({
        "children": nested_inside("children"),
        "unnamed": nested_inside("sub"),
        "beside": replies_beside(),
        "shapeless": shapeless_pairs(),
        "forum": table_forum(),
    })


def _by_author(result: ReaderResult) -> dict[str, str]:
    """Reply id (from the author's name, which is the test's own) -> the reader's id."""
    out = {}
    for reply in result.replies:
        assert reply.author is not None, reply
        rid = reply.author.rsplit("Innbygger-", 1)[-1]
        assert rid not in out, f"{rid} read twice"
        out[rid] = reply.id
    return out


@pytest.mark.parametrize("name", ["children", "unnamed", "beside"])
def test_reader_reads_each_nested_reply_with_its_own_words(
        readings: dict[str, ReaderResult], name: str) -> None:
    result = readings[name]
    assert result.root is not None and result.root.author == "Etaten"
    assert [(r.author, r.text) for r in result.replies if (r.author, r.text) not in
            {(author(rid), text(rid)) for rid in IDS}] == []
    ids = _by_author(result)
    assert sorted(ids) == IDS
    parents = {r.id: r.parent_id for r in result.replies}
    for rid in IDS:
        want = result.root.id if PARENT[rid] == "p" else ids[PARENT[rid]]
        assert parents[ids[rid]] == want, rid
    assert result.blocks_seen == len(IDS)


def test_reader_never_puts_one_answers_name_on_anothers_words(
        readings: dict[str, ReaderResult]) -> None:
    result = readings["shapeless"]
    pairs = [(r.author, r.text) for r in result.replies]
    if result.root is not None:
        pairs.append((result.root.author, result.root.text))
    top = TREE["p"]
    assert pairs, "the page was read"
    for who, words in pairs:
        rid = (who or "").rsplit("Innbygger-", 1)[-1]
        if rid in top:
            # a name of one reply comes with that reply's words, never with the next one's
            assert words == text(rid), (who, words)
        else:
            assert not any(text(other) in (words or "") for other in top), (who, words)


def test_a_quote_in_a_post_of_table_rows_stays_in_its_words(
        readings: dict[str, ReaderResult]) -> None:
    """A row holding a post's words, beside the row with its author and stamp, is not taken
    for the next post because a quote in it names another author and stamp."""
    result = readings["forum"]
    posts = [*([result.root] if result.root is not None else []), *result.replies]
    read = {p.author: p.text or "" for p in posts}
    for who, quoted, words in FORUM:
        assert who in read, (who, sorted(read))
        assert words in read[who], (who, read[who])
        if quoted is not None:
            assert FORUM[quoted][2] in read[who], (who, read[who])
    assert len([p for p in posts if p.author in {w for w, _, _ in FORUM}]) == len(FORUM)


# -- a whole capture of a thread opened by toggles ------------------------------------------
_TOGGLES = _HEAD + """<ul id="replies"></ul></main><script>
function li(r, parent) {
  const el = document.createElement("li"); el.className = "reply";
  el.dataset.replyId = r.id; el.dataset.parentId = parent;
  el.innerHTML = '<b class="author-name"></b> <time></time><p class="reply-text"></p>';
  el.querySelector("b").textContent = r.author;
  el.querySelector("time").setAttribute("datetime", "2026-11-20T10:00:00Z");
  el.querySelector("time").textContent = "20. nov. kl. 11:00";
  el.querySelector("p").textContent = r.text;
  if (r.kids) {
    const b = document.createElement("button");
    b.textContent = r.kids === 1 ? "1 svar" : r.kids + " svar";
    b.onclick = async () => { b.disabled = true; b.textContent = "Laster …";
      const d = await (await fetch("/kids?id=" + r.id)).json();
      const ul = document.createElement("ul"); ul.className = "children";
      d.forEach(c => ul.appendChild(li(c, r.id)));
      b.remove(); el.appendChild(ul); };
    el.appendChild(b);
  }
  return el;
}
fetch("/kids?id=p").then(r => r.json()).then(d =>
  d.forEach(r => document.getElementById("replies").appendChild(li(r, "p"))));
</script></body></html>"""


@pytest.fixture(scope="module")
def toggles() -> Iterator[StaticPages]:
    bodies: dict[str, tuple[str, bytes] | bytes] = {"/thread": _TOGGLES.encode()}
    for parent, kids in TREE.items():
        answers = [{"id": k, "author": author(k), "text": text(k), "kids": len(TREE.get(k, []))}
                   for k in kids]
        bodies[f"/kids?id={parent}"] = ("application/json", json.dumps(answers).encode())
    server = StaticPages(bodies, match_query=True)
    yield server
    server.close()


def test_capture_of_nested_toggles_has_every_reply_once_with_its_own_words(
        toggles: StaticPages, tmp_path: Path) -> None:
    result = run_capture(toggles.url("/thread"), tmp_path / "out")
    replies = result.thread.get("replies") or []
    assert [r["id"] for r in replies if str(r["id"]).startswith("reader-")] == []
    assert sorted(r["id"] for r in replies) == IDS
    for r in replies:
        assert (r["author"], r["text"]) == (author(r["id"]), text(r["id"])), r["id"]
        if PARENT[r["id"]] != "p":
            assert r["parent_id"] == PARENT[r["id"]], r["id"]
    assert "conflicts" not in result.completeness, result.completeness["conflicts"]
    assert result.completeness["visible_replies"] == len(IDS)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
