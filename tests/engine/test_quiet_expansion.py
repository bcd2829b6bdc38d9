"""Expansion that follows the page instead of fixed pauses (issue 21) loses nothing.

The waits after a scroll or click end as soon as the page has answered (its requests done,
its DOM still) — so a page that answers late must still be waited for. Hand-made pages on
127.0.0.1, captured with a real browser and the default quiet window (800 ms):

* infinite scroll whose scroll handler is debounced by 600 ms before it fetches the next page
  (later than the 0.25 s "settled" window, within the configured quiet window);
* a "more replies" button that shows a spinner at once and fetches 600 ms later;
* the same scroll, but with a spinner node shown at once (the DOM answers before the request),
  and a button whose own label turns "Laster …" at once (no change of height);
* a page that adds and removes a node every 100 ms for ever (a live ticker): expansion still
  ends, long before its budget;

each with every reply in the structured thread and the capture COMPLETE.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from somecapture.models import CaptureStatus
from tests.conftest import run_capture
from tests.fixtures.static_pages import StaticPages

pytestmark = [pytest.mark.browser]

PER_PAGE = 15
PAGES = 4  # 60 replies; the first page comes with the document
DELAY_MS = 600

_HEAD = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Tråd</title>
<style>body{font:15px sans-serif;margin:0} main{max-width:640px;margin:auto}
.reply{padding:12px;margin:8px 0;background:#eef}</style></head><body><main>
<article class="post" data-post-id="p"><b class="author-name">Etaten</b>
<time datetime="2026-11-20T09:00:00Z">20. nov.</time>
<p class="post-text">Innlegget med {total} svar.</p>
<span class="comment-count">{total} kommentarer</span></article>
<ul id="replies"></ul>"""

_ADD = """
function add(list) {
  for (const r of list) {
    const li = document.createElement("li"); li.className = "reply";
    li.dataset.replyId = r.id; li.dataset.parentId = "p";
    li.innerHTML = '<b class="author-name"></b> <time></time><p class="reply-text"></p>';
    li.querySelector("b").textContent = r.author;
    li.querySelector("time").setAttribute("datetime", "2026-11-20T10:00:00Z");
    li.querySelector("p").textContent = r.text;
    document.getElementById("replies").appendChild(li);
  }
}
let next = 1;
async function load() {
  const d = await (await fetch("/replies?page=" + next)).json();
  next += 1; add(d);
}
"""

# scroll: the next page is fetched 600 ms after the reader stops scrolling near the bottom
_SCROLL = _HEAD + """<div id="end" style="height:40px"></div></main><script>""" + _ADD + """
add(%s);
let timer = null;
addEventListener("scroll", () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (next < %d && innerHeight + scrollY >= document.body.scrollHeight - 200) load();
  }, %d);
});
</script></body></html>"""

# button: a spinner at once, the request 600 ms later, the button back when more remain
_BUTTON = _HEAD + """<button id="more">Vis flere svar</button></main><script>""" + _ADD + """
add(%s);
const b = document.getElementById("more");
b.onclick = () => {
  b.style.display = "none";
  const s = document.createElement("p"); s.textContent = "Laster …"; s.id = "spin";
  b.after(s);
  setTimeout(async () => {
    await load(); s.remove();
    if (next < %d) b.style.display = ""; else b.remove();
  }, %d);
};
</script></body></html>"""

# scroll with a spinner: a node shown at once on every scroll near the bottom, the request
# 600 ms later (the DOM answers first; the wait must not take that for the page's answer)
_SPINNER = _HEAD + """<div id="end" style="height:40px"></div></main><script>""" + _ADD + """
add(%s);
let timer = null;
addEventListener("scroll", () => {
  if (next >= %d || innerHeight + scrollY < document.body.scrollHeight - 200) return;
  if (!document.getElementById("spin")) {
    const s = document.createElement("p"); s.id = "spin"; s.textContent = "Laster …";
    document.querySelector("main").appendChild(s);
  }
  clearTimeout(timer);
  timer = setTimeout(async () => {
    await load(); const s = document.getElementById("spin"); if (s) s.remove();
  }, %d);
});
</script></body></html>"""

# a button whose own label turns "Laster …" at once (no change of height), the request later
_LABEL = _HEAD + """<button id="more">Vis flere svar</button></main><script>""" + _ADD + """
add(%s);
const b = document.getElementById("more");
b.onclick = () => {
  if (b.textContent !== "Vis flere svar") return;
  b.textContent = "Laster …";
  setTimeout(async () => {
    await load();
    if (next < %d) b.textContent = "Vis flere svar"; else b.remove();
  }, %d);
};
</script></body></html>"""

# ticker: all replies at once, and a live line that never stops changing
_TICKER = _HEAD + """<div id="ticker"></div></main><script>""" + _ADD + """
add(%s);
setInterval(() => {
  const t = document.getElementById("ticker");
  t.replaceChildren(document.createTextNode("Sist oppdatert " + Date.now()));
}, 100);
</script></body></html>"""


def _replies(page: int) -> list[dict[str, str]]:
    first = page * PER_PAGE
    return [{"id": f"r{i}", "author": f"Kari Svar{i}",
             "text": f"Svar nummer {i} i tråden, med litt tekst."}
            for i in range(first + 1, first + PER_PAGE + 1)]


@pytest.fixture(scope="module")
def pages() -> Iterator[StaticPages]:
    total = PER_PAGE * PAGES
    head = {"total": total}
    bodies: dict[str, tuple[str, bytes] | bytes] = {
        "/scroll": (_SCROLL.replace("{total}", str(head["total"]))
                    % (json.dumps(_replies(0)), PAGES, DELAY_MS)).encode(),
        "/button": (_BUTTON.replace("{total}", str(head["total"]))
                    % (json.dumps(_replies(0)), PAGES, DELAY_MS)).encode(),
        "/spinner": (_SPINNER.replace("{total}", str(head["total"]))
                     % (json.dumps(_replies(0)), PAGES, DELAY_MS)).encode(),
        "/label": (_LABEL.replace("{total}", str(head["total"]))
                   % (json.dumps(_replies(0)), PAGES, DELAY_MS)).encode(),
        "/ticker": (_TICKER.replace("{total}", str(PER_PAGE))
                    % json.dumps(_replies(0))).encode(),
    }
    for page in range(1, PAGES):
        bodies[f"/replies?page={page}"] = ("application/json",
                                           json.dumps(_replies(page)).encode())
    server = StaticPages(bodies, match_query=True)
    yield server
    server.close()


def _ids(result: object) -> set[str]:
    thread = getattr(result, "thread", {}) or {}
    return {str(r.get("id")) for r in thread.get("replies") or []}


@pytest.mark.parametrize("path", ["/scroll", "/button", "/spinner", "/label"])
def test_late_answers_are_waited_for(pages: StaticPages, tmp_path: Path, path: str) -> None:
    """Every page of replies arrives, though each comes 600 ms after the action."""
    result = run_capture(pages.url(path), tmp_path / "out", network_idle_ms=800)
    expected = {f"r{i}" for i in range(1, PER_PAGE * PAGES + 1)}
    assert expected <= _ids(result), sorted(expected - _ids(result))
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)


def test_a_page_that_never_stops_changing_still_finishes(pages: StaticPages,
                                                          tmp_path: Path) -> None:
    t0 = time.monotonic()
    result = run_capture(pages.url("/ticker"), tmp_path / "out", network_idle_ms=800)
    took = time.monotonic() - t0
    expected = {f"r{i}" for i in range(1, PER_PAGE + 1)}
    assert expected <= _ids(result)
    assert result.status is CaptureStatus.COMPLETE, (result.error, result.warnings)
    expand = next(s for s in result.steps if s.name == "expand-thread")
    # the budget is 30 s; the ticker's DOM never rests, the network does
    assert expand.duration_s < 10, expand
    assert took < 60
