"""Finding the thread's persons on the rendered page (issue 18, the screened variant's masks).

``resources/sites/js/identities.js`` through :func:`locate_identities` in a real Chromium, on
hand-written pages served from 127.0.0.1: names split over text nodes, repeated in other
replies' texts, whole words only, any case, Norwegian letters; handles as the page shortens
them; avatars beside a name, inside a profile link and as a CSS background; profile links;
numbers and e-mail addresses; a reply's text over several lines; hidden text. The boxes are
checked against the pixels of the real screenshot (:func:`full_page_png`), not against the
script's own measure. Then the real recording path (the ``locate-persons`` step), and two
saved real thread pages of ``../shared/corpus`` (read at run time; the expected names come
from the captured thread itself, nothing of the corpus is written here).
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html
from PIL import Image, ImageChops
from playwright.async_api import Browser, Page, Playwright, async_playwright

from somecapture.engine.browser import BrowserSession, launch_args
from somecapture.engine.capture import PageCapturer
from somecapture.engine.identities import locate_identities, screening_needles
from somecapture.engine.screenshot import full_page_png
from somecapture.models import RecordedPage, WorkFolder
from somecapture.thread.persons import persons_in
from tests.conftest import fast_options
from tests.engine.corpus_expect import CORPUS, MANIFEST, charset, unparked
from tests.fixtures.site import server as fx
from tests.fixtures.static_pages import StaticPages, loopback_only

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 900
PROBE_RGB = (255, 0, 255)      # the probe's background: no other pixel on the page has it
FRAME_PROBE_RGB = (0, 200, 0)  # the probe inside the iframe


def _png_data_url(rgb: tuple[int, int, int], size: int = 40) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), rgb).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


LONG_TEXT = ("Dette er et langt svar som går over flere linjer i spalten, slik at det brytes "
             "på minst tre steder. Biblioteket bør ha lengre åpningstider om kvelden, og "
             "lesesalen bør være åpen i helgene også, særlig i eksamensperioden. Takk for at "
             "dere lytter til innbyggerne i bydelen!")

FRAME_DOC = ("<body style='margin:0;font:16px sans-serif'><p style='margin:30px'>"
             "<span id='fp' style='background:rgb(0,200,0);color:rgb(0,200,0)'>Nora Åmodt"
             "</span></p></body>")

PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Tråd</title>
<style>
  body { margin: 0; font: 16px/1.5 sans-serif; color: #222; background: #fff; }
  main { width: 900px; margin: 20px 40px; }
  .post { display: flex; gap: 10px; padding: 10px; border-bottom: 1px solid #ddd; }
  .av { width: 40px; height: 40px; flex: none; }
  .bgav { width: 48px; height: 48px; flex: none; background-image: url(AV3);
          background-size: cover; border-radius: 50%; }
  .narrow { width: 360px; }
  .meta a { color: #225; }
  #probe { background: rgb(255, 0, 255); color: rgb(255, 0, 255); }
  .tall { height: 2600px; }
  iframe { border: 3px solid #888; padding: 5px; width: 300px; height: 120px; }
</style></head><body>
<main>
  <article class="post" id="p0">
    <img class="av" src="AV0" alt="">
    <div><div class="meta"><span class="name">Etaten</span> <span>@etaten</span></div>
      <p>Vi åpner biblioteket igjen. Hva mener dere?</p></div>
  </article>
  <article class="post" id="p1">
    <img class="av" id="av1" src="AV1" alt="">
    <div><div class="meta"><span id="n1"><b>Kari</b> Nordmann</span>
      <span class="handle" id="h1">@kari</span></div>
      <p id="t1">Ring meg på <span id="ph">22 33 44 55</span> eller skriv til
        <span id="em">kari.nordmann@example.no</span>.</p></div>
  </article>
  <article class="post" id="p2">
    <a href="/@ola" id="l2"><img class="av" id="av2" src="AV2" alt=""></a>
    <div><div class="meta"><a href="/@ola" id="n2">Ola Hansen</a></div>
      <p id="t2">Takk, <span id="mention">Kari</span>! Men <span id="karin">Karin</span> er
        ikke med. <span id="upper">KARI</span> sa det også, i
        <span id="genitive">Nordmanns</span> svar. Nummeret mitt er
        <span id="fnr">010101 12345</span>, mobil <span id="ph2">+47 912 34 567</span>.</p>
    </div>
  </article>
  <article class="post" id="p3">
    <div class="bgav" id="av3"></div>
    <div class="narrow"><div class="meta"><span id="n3">Åse Ødegård</span></div>
      <p id="t3">LONG_TEXT</p></div>
  </article>
  <p>Svar fra <span id="dup"><a href="#" id="dup1">Lars Bækken</a><span id="dup2">Lars
    Bækken</span></span> (en skjult kopi av navnet, synlig uten sidens stilark).</p>
  <div id="hidden1" style="display:none">Per Håkonsen er skjult</div>
  <div id="hidden2" style="visibility:hidden">Per Håkonsen er usynlig</div>
  <div id="hidden3" style="opacity:0">Per Håkonsen er gjennomsiktig</div>
  <details><summary>Vis mer</summary><p>Per Håkonsen i en lukket boks</p></details>
  <p style="content-visibility:hidden">Per Håkonsen ikke tegnet</p>
  <div id="scroller" style="height:48px;overflow:auto"><p>a</p><p>b</p><p>c</p>
    <p>Per Håkonsen rullet ut av syne</p></div>
  <p>Per <span style="display:none">skjult</span>Håkonsen står her.</p>
  <div class="tall"></div>
  <p id="probe-line">Signert: <span id="probe">Probe Persen</span></p>
  <p id="shadow-host"></p>
  <iframe id="frame" srcdoc="FRAME_DOC"></iframe>
</main>
<script>
  const host = document.getElementById("shadow-host");
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = "<span id='sh'>Skrevet av Ola Hansen</span>";
</script>
</body></html>
"""


def _page_html() -> bytes:
    html = PAGE.replace("LONG_TEXT", LONG_TEXT).replace(
        "FRAME_DOC", FRAME_DOC.replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;"))
    for n, rgb in enumerate([(10, 20, 200), (200, 30, 30), (30, 160, 60), (230, 150, 20)]):
        html = html.replace(f"AV{n}", _png_data_url(rgb))
    return html.encode("utf-8")


def _thread(base: str) -> dict[str, Any]:
    """The thread as the capture would have read it from the page."""
    def post(pid: str, author: str, handle: str | None, url: str | None, text: str
             ) -> dict[str, Any]:
        return {"id": pid, "author": author, "handle": handle, "author_url": url,
                "text": text}
    return {
        "root": post("p0", "Etaten", "@etaten", f"{base}/@etaten",
                     "Vi åpner biblioteket igjen. Hva mener dere?"),
        "replies": [
            post("p1", "Kari Nordmann", "@kari@social.example", f"{base}/@kari",
                 "Ring meg på 22 33 44 55 eller skriv til kari.nordmann@example.no."),
            post("p2", "Ola Hansen", "@ola", f"{base}/@ola",
                 "Takk, Kari! Men Karin er ikke med. KARI sa det også, i Nordmanns svar."),
            post("p3", "Åse Ødegård", None, None, LONG_TEXT),
            post("p4", "Nora Åmodt", None, None, ""),
            post("p5", "Per Håkonsen", None, None, ""),
            post("p6", "Probe Persen", None, None, ""),
            post("p7", "Lars Bækken", None, None, ""),
        ],
    }


# -- one browser for the module ------------------------------------------------------------

class _Browser:
    """A Chromium of this module's own, driven from its own event loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.pw: Playwright | None = None
        self.browser: Browser | None = None

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    async def start(self) -> None:
        self.pw = await async_playwright().start()
        self.browser = await self.pw.chromium.launch(executable_path=CHROMIUM,
                                                     args=launch_args())

    async def stop(self) -> None:
        if self.browser is not None:
            await self.browser.close()
        if self.pw is not None:
            await self.pw.stop()

    async def open(self, url: str) -> Page:
        assert self.browser is not None
        context = await self.browser.new_context(viewport={"width": WIDTH, "height": HEIGHT},
                                                 device_scale_factor=1)
        page = await context.new_page()
        await page.goto(url, wait_until="load")
        return page


@pytest.fixture(scope="module")
def chromium() -> Iterator[_Browser]:
    b = _Browser()
    b.run(b.start())
    try:
        yield b
    finally:
        b.run(b.stop())
        b.loop.close()


@pytest.fixture(scope="module")
def pages() -> Iterator[StaticPages]:
    served = StaticPages({"/thread": _page_html(), "/big": _big_page(1000)})
    try:
        yield served
    finally:
        served.close()


class Located:
    """One search of the fixture page, with its screenshot and the page's own measures."""

    def __init__(self, result: dict[str, Any], shot: Image.Image,
                 rects: dict[str, Any], thread: dict[str, Any]) -> None:
        self.result = result
        self.shot = shot
        self.rects = rects
        self.thread = thread

    def hits(self, kind: str | None = None, key: str | None = None) -> list[dict[str, Any]]:
        return [h for h in self.result["hits"]
                if (kind is None or h["kind"] == kind) and (key is None or h["key"] == key)]

    def boxes(self, kind: str | None = None, key: str | None = None) -> list[list[int]]:
        return [b for h in self.hits(kind, key) for b in h["boxes"]]


_RECTS_JS = """(ids) => {
  const out = {};
  for (const id of ids) {
    const el = document.getElementById(id);
    if (!el) continue;
    const r = el.getBoundingClientRect();
    out[id] = [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY];
    out[id + ":lines"] = [...el.getClientRects()].map(
      (q) => [q.left + scrollX, q.top + scrollY, q.right + scrollX, q.bottom + scrollY]);
  }
  return out;
}"""
_IDS = ["genitive", "n1", "h1", "av1", "l2", "n2", "av2", "mention", "karin", "upper", "fnr",
        "ph", "ph2", "em", "av3", "n3", "t3", "dup1", "dup2", "hidden2", "hidden3", "probe",
        "frame"]


@pytest.fixture(scope="module")
def located(chromium: _Browser, pages: StaticPages, tmp_path_factory: pytest.TempPathFactory
            ) -> Located:
    base = pages.url("")
    thread = _thread(base)
    needles, links = screening_needles(thread, persons_in(thread))
    shot_path = tmp_path_factory.mktemp("identities") / "shot.png"

    async def go() -> Located:
        page = await chromium.open(pages.url("/thread"))
        try:
            cdp = await page.context.new_cdp_session(page)
            await page.evaluate("window.scrollTo(0, 0)")
            await full_page_png(page, cdp, shot_path, WIDTH)
            # scrolled away first: the search must measure as the screenshot did
            await page.evaluate("window.scrollTo(0, 1500)")
            result = await locate_identities(page, needles, links, viewport_height=HEIGHT)
            rects = await page.evaluate(_RECTS_JS, _IDS)
            return Located(result, Image.open(shot_path).convert("RGB"), rects, thread)
        finally:
            await page.context.close()

    return chromium.run(go())  # type: ignore[no-any-return]


# -- geometry helpers -----------------------------------------------------------------------

def _covers(box: list[int], rect: list[float], slack: float = 0.0) -> bool:
    """``box`` ([x, y, w, h]) covers ``rect`` ([x0, y0, x1, y1])."""
    x, y, w, h = box
    return (x <= rect[0] + slack and y <= rect[1] + slack and x + w >= rect[2] - slack
            and y + h >= rect[3] - slack)


def _overlaps(box: list[int], rect: list[float]) -> bool:
    x, y, w, h = box
    return x < rect[2] and rect[0] < x + w and y < rect[3] and rect[1] < y + h


def _covered(boxes: list[list[int]], rect: list[float]) -> bool:
    return any(_covers(b, rect, slack=0.5) for b in boxes)


def _lines_covered(boxes: list[list[int]], lines: list[list[float]]) -> bool:
    """Every line of an element that wraps is covered."""
    return bool(lines) and all(_covered(boxes, line) for line in lines)


def _pixels_of(image: Image.Image, rgb: tuple[int, int, int]) -> tuple[int, int, int, int]:
    """Bounding box (x0, y0, x1, y1; exclusive) of the pixels of exactly ``rgb``."""
    bands = [band.point(lambda v, want=want: 255 if v == want else 0)
             for band, want in zip(image.split(), rgb, strict=True)]
    bbox = ImageChops.multiply(ImageChops.multiply(bands[0], bands[1]), bands[2]).getbbox()
    assert bbox is not None, f"no pixel of {rgb} in the screenshot"
    return bbox


# -- the fixture page -------------------------------------------------------------------------

def test_result_shape_and_page_measure(located: Located) -> None:
    r = located.result
    assert r["page_width"] == WIDTH
    assert r["page_height"] == located.shot.height  # the screenshot's own height
    assert r["scroll_y"] == 0
    assert not r["capped"] and r["incomplete"] is None
    for hit in r["hits"]:
        assert hit["kind"] in {"name", "handle", "avatar", "link", "digits", "email", "text"}
        for box in hit["boxes"]:
            assert len(box) == 4 and all(isinstance(v, int) for v in box)
            assert box[2] > 0 and box[3] > 0


def test_boxes_cover_the_pixels_of_the_screenshot(located: Located) -> None:
    """The name's box, 2,600 px down the page (searched while the page was scrolled away),
    covers every pixel of its magenta background in the real screenshot, and not much more."""
    x0, y0, x1, y1 = _pixels_of(located.shot, PROBE_RGB)
    assert y0 > 2600
    boxes = located.boxes("name", "name:probe persen")
    over = [b for b in boxes if b[0] <= x0 and b[1] <= y0 and b[0] + b[2] >= x1
            and b[1] + b[3] >= y1]
    assert len(over) == 1, (boxes, (x0, y0, x1, y1))
    bx, by, bw, bh = over[0]
    assert x0 - bx <= 3 and y0 - by <= 3 and bx + bw - x1 <= 3 and by + bh - y1 <= 3


def test_same_origin_iframe_text_in_page_coordinates(located: Located) -> None:
    """Text inside a same-origin iframe (border and padding around it) is found, its box
    covering its pixels in the top page's screenshot."""
    x0, y0, x1, y1 = _pixels_of(located.shot, FRAME_PROBE_RGB)
    boxes = located.boxes("name", "name:nora åmodt")
    assert any(b[0] <= x0 and b[1] <= y0 and b[0] + b[2] >= x1 and b[1] + b[3] >= y1
               for b in boxes), (boxes, (x0, y0, x1, y1))
    assert located.result["frames_skipped"] == 0


def test_name_split_over_two_text_nodes(located: Located) -> None:
    """``<b>Kari</b> Nordmann``: one box over both."""
    boxes = located.boxes("name", "kari@social.example")
    rect = located.rects["n1"]
    assert any(_covers(b, rect, slack=0.5) and b[2] <= rect[2] - rect[0] + 6 for b in boxes)


def test_name_repeated_in_another_reply_and_any_case(located: Located) -> None:
    """In another reply's text, in capitals, and in the genitive ("Nordmanns")."""
    boxes = located.boxes("name", "kari@social.example")
    assert _covered(boxes, located.rects["mention"])
    assert _covered(boxes, located.rects["upper"])
    assert _covered(boxes, located.rects["genitive"])


def test_whole_words_only(located: Located) -> None:
    """"Karin" is not Kari."""
    karin = located.rects["karin"]
    for hit in located.hits():
        if hit["kind"] in ("name", "handle"):
            assert not any(_overlaps(b, karin) for b in hit["boxes"]), hit


def test_name_run_into_a_copy_of_itself(located: Located) -> None:
    """``<a>Lars Bækken</a><span>Lars Bækken</span>`` shows "Lars BækkenLars Bækken" (a
    visually hidden copy, shown when the page's style sheet is missing): both are masked."""
    boxes = located.boxes("name", "name:lars bækken")
    assert _covered(boxes, located.rects["dup1"]) and _covered(boxes, located.rects["dup2"])


def test_norwegian_letters(located: Located) -> None:
    assert _covered(located.boxes("name", "name:åse ødegård"), located.rects["n3"])


def test_fediverse_handle_shown_short(located: Located) -> None:
    """``@kari@social.example`` shown as ``@kari``: the box covers the ``@`` too."""
    assert _covered(located.boxes("handle", "kari@social.example"), located.rects["h1"])


def test_shadow_root_text(located: Located) -> None:
    ola = [h for h in located.hits("name", "ola") if h["boxes"][0][1] > 2600]
    assert ola, "the name inside the open shadow root was not found"


def test_avatars(located: Located) -> None:
    """Beside the name, inside the profile link, and a CSS background."""
    assert _covered(located.boxes("avatar", "kari@social.example"), located.rects["av1"])
    assert _covered(located.boxes("avatar", "ola"), located.rects["av2"])
    assert _covered(located.boxes("avatar", "name:åse ødegård"), located.rects["av3"])
    # every avatar once, with its own person's key (the agency's too: the package decides)
    assert len(located.hits("avatar")) == 4
    assert {h["key"] for h in located.hits("avatar")} == {
        "etaten", "kari@social.example", "ola", "name:åse ødegård"}


def test_profile_links(located: Located) -> None:
    boxes = located.boxes("link", "ola")
    assert _covered(boxes, located.rects["l2"]) or _covered(boxes, located.rects["av2"])
    assert _covered(boxes, located.rects["n2"])
    assert len(located.hits("link", "ola")) == 2


def test_numbers_and_email(located: Located) -> None:
    digits = {h["match"]: h["boxes"] for h in located.hits("digits")}
    # a number may wrap at its line's end: a box on each line
    for match, span in (("22 33 44 55", "ph"), ("010101 12345", "fnr"),
                        ("+47 912 34 567", "ph2")):
        assert match in digits, (match, list(digits))
        assert _lines_covered(digits[match], located.rects[f"{span}:lines"]), match
    assert any(len(located.rects[f"{span}:lines"]) > 1 for span in ("ph", "fnr", "ph2"))
    assert all(h["key"] is None for h in located.hits("digits"))
    emails = {h["match"]: h["boxes"] for h in located.hits("email")}
    assert list(emails) == ["kari.nordmann@example.no"]
    assert _covered(emails["kari.nordmann@example.no"], located.rects["em"])


def test_reply_text_over_several_lines(located: Located) -> None:
    texts = located.hits("text", "name:åse ødegård")
    assert len(texts) == 1
    boxes = texts[0]["boxes"]
    assert len(boxes) >= 3  # one per line
    tops = [b[1] for b in boxes]
    assert tops == sorted(tops)
    t3 = located.rects["t3"]
    assert all(_overlaps(b, t3) for b in boxes)
    assert boxes[0][1] <= t3[1] + 1 and boxes[-1][1] + boxes[-1][3] >= t3[3] - 1


def test_hidden_text_not_reported(located: Located) -> None:
    """display:none, visibility:hidden, opacity 0, a closed <details>, content-visibility:
    hidden and text scrolled out of its box are not on the screenshot; the one place the name
    is shown (a hidden word in between) is."""
    per = located.hits(key="name:per håkonsen")
    assert len([h for h in per if h["kind"] == "name" and len(h["boxes"]) == 1]) >= 1
    for hit in per:
        for rect in (located.rects["hidden2"], located.rects["hidden3"]):
            assert not any(_overlaps(b, rect) for b in hit["boxes"]), hit
    full = [h for h in per if h["kind"] == "name"]
    assert len(full) == 1, full


def test_every_person_found(located: Located) -> None:
    assert located.result["needles_not_found"] == []
    assert located.result["texts_not_found"] == []


# -- a large page ---------------------------------------------------------------------------

def _big_page(replies: int) -> bytes:
    avatar = _png_data_url((90, 90, 160), 32)
    rows = []
    for n in range(replies):
        rows.append(
            f"<li class='r'><img src='{avatar}' width=32 height=32 alt=''>"
            f"<div><a href='/@bruker{n}'>Bruker Nummer{n}</a> <span>@bruker{n}</span>"
            f"<p>Svar {n}: jeg er enig med @bruker{(n + 7) % replies} og Nummer{(n + 3) % replies}"
            f" om at biblioteket trenger lengre åpningstider på kveldstid.</p></div></li>")
    return ("<!doctype html><meta charset=utf-8><style>li{display:flex;gap:8px;margin:6px}"
            "p{margin:2px 0}</style><ul>" + "".join(rows) + "</ul>").encode("utf-8")


def test_thousand_replies_within_seconds(chromium: _Browser, pages: StaticPages,
                                         record_property: Any) -> None:
    n = 1000
    thread = {"root": None, "replies": [
        {"id": f"r{i}", "author": f"Bruker Nummer{i}", "handle": f"@bruker{i}",
         "author_url": pages.url(f"/@bruker{i}"),
         "text": f"Svar {i}: jeg er enig med @bruker{(i + 7) % n} og Nummer{(i + 3) % n} om "
                 "at biblioteket trenger lengre åpningstider på kveldstid."}
        for i in range(n)]}
    needles, links = screening_needles(thread, persons_in(thread))

    async def go() -> tuple[dict[str, Any], float]:
        page = await chromium.open(pages.url("/big"))
        try:
            t0 = time.monotonic()
            result = await locate_identities(page, needles, links, viewport_height=HEIGHT)
            return result, time.monotonic() - t0
        finally:
            await page.context.close()

    result, seconds = chromium.run(go())
    record_property("locate_seconds", round(seconds, 2))
    record_property("boxes", result["boxes"])
    print(f"1000 replies: {seconds:.2f} s, {result['boxes']} boxes, script {result['ms']} ms")
    assert seconds < 10.0
    assert result["incomplete"] is None and not result["capped"]
    assert result["needles_not_found"] == []
    keys = {h["key"] for h in result["hits"] if h["kind"] == "avatar"}
    assert len(keys) == n
    assert len(result["hits"]) >= 5 * n  # name, handle, link, avatar, text; mentions more


# -- the recording path -----------------------------------------------------------------------

def _record(url: str, out: Path, **changes: Any) -> RecordedPage:
    options = fast_options(out / "packages", **changes)
    work = WorkFolder(warc_path=out / "work" / "capture.warc",
                      screenshot_path=out / "work" / "screenshot.png",
                      scratch_dir=out / "scratch")
    work.scratch_dir.mkdir(parents=True, exist_ok=True)

    async def go() -> RecordedPage:
        async with BrowserSession(options) as session:
            return await PageCapturer(session, options).record(url, url, work)

    return asyncio.run(go())


def test_capture_records_identities(site: fx.FixtureSite, tmp_path: Path) -> None:
    """A real recording of the fixture thread: the locate-persons step ran after the thread
    was reconciled, without a warning, and every replier shown has a name and an avatar."""
    recorded = _record(site.url("/post/1?noconsent=1"), tmp_path)
    assert recorded.failure is None, recorded.failure
    steps = [s.name for s in recorded.steps]
    assert steps.index("locate-persons") == steps.index("reconcile-thread") + 1
    step = recorded.steps[steps.index("locate-persons")]
    assert step.status.value == "ok", step.message
    # the summary is a catalogue message: its numbers are the search's own
    assert getattr(step.message, "code", None) == "step.result.persons.found", step.message
    assert step.message.params["located"] == recorded.identities["located"] > 0
    assert step.message.params["boxes"] == recorded.identities["boxes"] > 0
    assert not any("locate" in w for w in recorded.warnings)
    ids = recorded.identities
    assert "error" not in ids, ids
    assert recorded.screenshot is not None
    assert ids["page_height"] == recorded.screenshot.page_height_px
    shown = [r for r in recorded.thread["replies"] if r.get("shown_on_page", True)]
    assert shown
    persons = {p.key: p for p in persons_in(recorded.thread)}
    assert ids["persons"] == len(persons)
    for reply in shown:
        key = next(k for k, p in persons.items() if str(reply["id"]) in p.post_ids)
        kinds = {h["kind"] for h in ids["hits"] if h["key"] == key}
        assert {"name", "avatar"} <= kinds, (reply["author"], kinds)
        box = reply.get("screenshot_box")
        if box:
            assert _name_hit_inside(ids, key, box), (reply["author"], box)


def _name_hit_inside(ids: dict[str, Any], key: str, box: dict[str, int]) -> bool:
    """Some name or handle box of ``key`` lies inside the post's ``screenshot_box``."""
    x0, y0 = box["x"] - 2, box["y"] - 2
    x1, y1 = box["x"] + box["width"] + 2, box["y"] + box["height"] + 2
    for hit in ids["hits"]:
        if hit["key"] != key or hit["kind"] not in ("name", "handle"):
            continue
        for x, y, w, h in hit["boxes"]:
            if x >= x0 and y >= y0 and x + w <= x1 and y + h <= y1:
                return True
    return False


# -- real markup ------------------------------------------------------------------------------

CORPUS_PAGES = (
    "xenforo/xenforo__trafilatura__katzen-forum-thread-230143.html",
    "bluesky/bluesky__metascraper__post-forbes-3mdd7aj7pgs2x-rendered.html",
)


def _own_path(name: str) -> str:
    """The page's own path (og:url, else canonical), so the generic reader sees its root."""
    tree = lxml_html.fromstring((CORPUS / name).read_bytes())
    for xpath in ("//meta[@property='og:url']/@content", "//link[@rel='canonical']/@href"):
        for value in tree.xpath(xpath):
            parts = urlsplit(str(value).strip())
            if parts.path not in ("", "/", "/home"):
                return parts.path
    return "/" + name


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(n, id=n.split("/")[0]) for n in CORPUS_PAGES])
def test_corpus_repliers_found_in_their_posts(name: str, tmp_path: Path,
                                              record_property: Any) -> None:
    """Every replier the captured thread says was shown on the page has a name or handle box
    inside their post's box (where the post has one)."""
    if name not in MANIFEST:
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    data = unparked((CORPUS / name).read_bytes())
    path = _own_path(name)
    served = StaticPages({path: (f"text/html; charset={charset(data)}", data)})
    try:
        with loopback_only():
            recorded = _record(served.url(path), tmp_path, expand_timeout_s=8.0,
                               capture_timeout_s=60.0)
    finally:
        served.close()
    assert recorded.failure is None, recorded.failure
    ids = recorded.identities
    assert "error" not in ids, ids
    step = next(s for s in recorded.steps if s.name == "locate-persons")
    record_property("locate", step.message)
    print(f"{name}: {step.message}; {step.duration_s} s")
    persons = persons_in(recorded.thread)
    key_of = {pid: p.key for p in persons for pid in p.post_ids}
    shown = [r for r in recorded.thread.get("replies") or []
             if r.get("shown_on_page", True) and (r.get("author") or r.get("handle"))]
    assert len(shown) >= 5
    missing = []
    for reply in shown:
        key = key_of[str(reply["id"])]
        if not any(h["key"] == key and h["kind"] in ("name", "handle") for h in ids["hits"]):
            missing.append((reply.get("author"), reply.get("handle"), "no hit"))
            continue
        box = reply.get("screenshot_box")
        if box and box.get("height", 0) > 0 and not _name_hit_inside(ids, key, box):
            missing.append((reply.get("author"), reply.get("handle"), box))
    assert not missing, missing
