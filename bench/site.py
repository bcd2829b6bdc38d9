"""Generated social threads for benchmarks, served on 127.0.0.1 only.

Three ways replies arrive, as on real platforms (20 replies per fetch):

* ``/thread?n=N`` — infinite scroll: the first page is fetched by the document's script, the
  next ones when the reader scrolls to the bottom; every fifth reply has a nested answer behind
  a "1 svar" button (N + N // 5 replies in all).
* ``/more?n=N`` — a "Vis flere svar" button under the list fetches the next 20 (N replies).
* ``/nested?n=N&depth=D`` — N top-level replies, each with up to D levels of answers; every
  reply with answers has a "K svar" toggle that fetches its K direct answers when clicked
  (:func:`nested_total` replies in all). The toggle goes away once opened (as X's "Show
  replies" and Reddit's "N more replies" do), so clicking every matching button is safe.

``&lang=en`` gives English labels ("Load more replies", "3 replies"). ``&lat=LO-HI`` (or
``&lat=MS``; default 30-80) is the server's latency per request in milliseconds, the same for
the same request in every run (chosen from a hash of the path), so the page is never
instantly idle: real sites take time to answer. ``/tall?h=H`` is a plain page H px tall.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 20
#: the default latency range per request (ms)
DEFAULT_LATENCY = "30-80"
#: the default depth of /nested
DEFAULT_DEPTH = 3

_HEAD = """<!doctype html><html lang="__LANG__"><head><meta charset="utf-8"><title>Benk</title>
<style>
body{font:15px/1.4 sans-serif;margin:0;background:#eef1f5}
main{max-width:640px;margin:0 auto;padding:16px}
.post,.reply{background:#fff;border-radius:8px;padding:10px 14px;margin:8px 0}
.children{margin-left:32px}
</style></head><body><main>
<article class="post" data-post-id="p"><b class="author-name">Benk kommune</b>
<span class="author-handle">@benk</span> <time datetime="2026-11-20T09:00:00Z">20. nov.</time>
<p class="post-text">Et innlegg med __TOTAL__ svar for ytelsesmåling.</p>
<span class="comment-count">__TOTAL__ kommentarer</span></article>
<ul id="replies"></ul>"""

# one reply element; ``r.kids`` answers behind a toggle (``r.child``: the scroll thread's one)
_REPLY_JS = """
const Q = "&lat=__LAT__";
function li(r, parent) {
  const el = document.createElement("li"); el.className = "reply";
  el.dataset.replyId = r.id; el.dataset.parentId = parent;
  el.innerHTML = '<b class="author-name"></b> <time></time><p class="reply-text"></p>';
  el.querySelector("b").textContent = r.author;
  el.querySelector("time").setAttribute("datetime", r.time);
  el.querySelector("p").textContent = r.text;
  if (r.child) {
    const b = document.createElement("button"); b.textContent = "__ONE__";
    b.onclick = async () => { b.remove();
      const c = await (await fetch("/child?id=" + r.id + Q)).json();
      const ul = document.createElement("ul"); ul.className = "children";
      ul.appendChild(li(c, r.id)); el.appendChild(ul); };
    el.appendChild(b);
  }
  if (r.kids) {
    const b = document.createElement("button");
    b.textContent = r.kids === 1 ? "__ONE__" : r.kids + " __MANY__";
    b.onclick = async () => { b.disabled = true; b.textContent = "__LOADING__";
      const d = await (await fetch("/kids?id=" + r.id + "&depth=__DEPTH__" + Q)).json();
      const ul = document.createElement("ul"); ul.className = "children";
      d.replies.forEach(c => ul.appendChild(li(c, r.id)));
      b.remove(); el.appendChild(ul); };
    el.appendChild(b);
  }
  return el;
}
"""

_SCROLL = """<div id="sentinel" style="height:40px"></div></main><script>""" + _REPLY_JS + """
const N = __N__; let next = 0, loading = false;
async function more() {
  if (loading || next >= N) return; loading = true;
  const d = await (await fetch("/replies?from=" + next + "&n=" + N + Q)).json();
  d.replies.forEach(r => document.getElementById("replies").appendChild(li(r, "p")));
  next = d.next; loading = false;
}
new IntersectionObserver(e => { if (e[0].isIntersecting) more(); })
  .observe(document.getElementById("sentinel"));
more();
</script></body></html>"""

_MORE = """<div id="pager"></div></main><script>""" + _REPLY_JS + """
const N = __N__; let next = 0;
const button = document.createElement("button"); button.textContent = "__MORE__";
async function more() {
  button.disabled = true; button.textContent = "__LOADING__";
  const d = await (await fetch("/replies?flat=1&from=" + next + "&n=" + N + Q)).json();
  d.replies.forEach(r => document.getElementById("replies").appendChild(li(r, "p")));
  next = d.next;
  if (next < N) { button.disabled = false; button.textContent = "__MORE__";
                  document.getElementById("pager").appendChild(button); }
  else button.remove();
}
button.onclick = more;
more();
</script></body></html>"""

_NESTED = """</main><script>""" + _REPLY_JS + """
(async () => {
  const d = await (await fetch("/kids?id=p&n=__N__&depth=__DEPTH__" + Q)).json();
  d.replies.forEach(r => document.getElementById("replies").appendChild(li(r, "p")));
})();
</script></body></html>"""

_LABELS = {
    "nb": {"__ONE__": "1 svar", "__MANY__": "svar", "__MORE__": "Vis flere svar",
           "__LOADING__": "Laster …"},
    "en": {"__ONE__": "1 reply", "__MANY__": "replies", "__MORE__": "Load more replies",
           "__LOADING__": "Loading …"},
}


def _reply(i: int, *, child: bool = True) -> dict[str, object]:
    return {"id": f"r{i}", "author": f"Innbygger {i}", "time": "2026-11-20T10:00:00Z",
            "text": f"Svar nummer {i}: " + "Dette er en kommentar med litt tekst. " * 3,
            "child": child and i % 5 == 0}


def kids(reply_id: str, depth: int) -> int:
    """How many direct answers ``reply_id`` of /nested has: 1-3 for a top-level reply, 0-2
    below it, none at ``depth`` (ids name the path: r3, r3.1, r3.1.2)."""
    level = reply_id.count(".")
    if level >= depth:
        return 0
    h = zlib.crc32(reply_id.encode())
    return 1 + h % 3 if level == 0 else h % 3


def nested_total(n: int, depth: int = DEFAULT_DEPTH) -> int:
    """Every reply of ``/nested?n=N&depth=D``, all levels."""
    todo, total = [f"r{i}" for i in range(1, n + 1)], 0
    while todo:
        rid = todo.pop()
        total += 1
        todo += [f"{rid}.{j}" for j in range(1, kids(rid, depth) + 1)]
    return total


def present(kind: str, n: int, depth: int = DEFAULT_DEPTH) -> int:
    """Replies a complete capture of the thread ``kind`` (thread, more, nested) has."""
    return {"thread": n + n // 5, "more": n, "nested": nested_total(n, depth)}[kind]


def reply_ids(path: str) -> set[str]:
    """The ids (``data-reply-id``) of every reply of the thread at ``path`` (e.g.
    ``/nested?n=6&depth=3``); empty for a page that is no thread."""
    parts = urlsplit(path)
    q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    n, depth = int(q.get("n", "10")), int(q.get("depth", str(DEFAULT_DEPTH)))
    if parts.path == "/thread":
        return {f"r{i}" for i in range(1, n + 1)} | {f"r{i}c" for i in range(5, n + 1, 5)}
    if parts.path == "/more":
        return {f"r{i}" for i in range(1, n + 1)}
    if parts.path != "/nested":
        return set()
    todo, ids = [f"r{i}" for i in range(1, n + 1)], set()
    while todo:
        rid = todo.pop()
        ids.add(rid)
        todo += [f"{rid}.{j}" for j in range(1, kids(rid, depth) + 1)]
    return ids


def _latency_s(spec: str, key: str) -> float:
    """The delay of request ``key`` for ``spec`` ("LO-HI" or "MS"), in seconds."""
    lo, _, hi = spec.partition("-")
    low, high = int(lo), int(hi or lo)
    if high <= low:
        return low / 1000
    return (low + zlib.crc32(key.encode()) % (high - low + 1)) / 1000


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, template: str, q: dict[str, str], total: int) -> None:
        labels = _LABELS.get(q.get("lang", "nb"), _LABELS["nb"])
        text = _HEAD + template
        for key, value in {**labels, "__N__": q.get("n", "10"), "__TOTAL__": str(total),
                           "__LAT__": q.get("lat", DEFAULT_LATENCY),
                           "__DEPTH__": q.get("depth", str(DEFAULT_DEPTH)),
                           "__LANG__": q.get("lang", "nb")}.items():
            text = text.replace(key, value)
        self._send(text.encode(), "text/html; charset=utf-8")

    def _json(self, data: object) -> None:
        self._send(json.dumps(data).encode(), "application/json")

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.path != "/tall":
            # a real server's answer time, the same for the same request in every run
            time.sleep(_latency_s(q.get("lat", DEFAULT_LATENCY), self.path))
        n = int(q.get("n", "10"))
        depth = int(q.get("depth", str(DEFAULT_DEPTH)))
        if parts.path == "/thread":
            self._page(_SCROLL, q, n)
        elif parts.path == "/more":
            self._page(_MORE, q, n)
        elif parts.path == "/nested":
            self._page(_NESTED, q, nested_total(n, depth))
        elif parts.path == "/replies":
            start = int(q.get("from", "0"))
            end = min(start + PAGE_SIZE, n)
            flat = q.get("flat") == "1"
            self._json({"replies": [_reply(i, child=not flat) for i in range(start + 1, end + 1)],
                        "next": end})
        elif parts.path == "/child":
            rid = q.get("id", "r0")
            self._json({"id": rid + "c", "author": "Svarperson", "time": "2026-11-20T11:00:00Z",
                        "text": "Et nøstet svar.", "child": False})
        elif parts.path == "/kids":
            rid = q.get("id", "p")
            ids = ([f"r{i}" for i in range(1, n + 1)] if rid == "p"
                   else [f"{rid}.{j}" for j in range(1, kids(rid, depth) + 1)])
            self._json({"replies": [
                {"id": c, "author": f"Innbygger {c}", "time": "2026-11-20T10:00:00Z",
                 "text": f"Svar {c}: " + "Et svar i en tråd med flere nivåer. " * 2,
                 "kids": kids(c, depth)} for c in ids]})
        elif parts.path == "/tall":
            h = int(q.get("h", "50000"))
            bands = "".join(
                f"<div style='height:1000px;background:hsl({k * 37 % 360},60%,80%)'>"
                f"<p style='font:40px sans-serif;margin:0;padding:20px'>Bånd {k}</p></div>"
                for k in range(h // 1000))
            self._send(f"<!doctype html><body style='margin:0'>{bands}</body>".encode(),
                       "text/html; charset=utf-8")
        else:
            self.send_error(404)


class BenchSite:
    """The benchmark site in a daemon thread on 127.0.0.1:<free port>."""

    def __enter__(self) -> BenchSite:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        """Absolute URL of ``path``."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"
