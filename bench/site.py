"""A generated social thread for benchmarks: ``/thread?n=N`` (N replies), ``/tall?h=H``.

Replies arrive like on real platforms: the first page with the document's script, later pages
by fetch when the reader scrolls to the bottom (infinite scroll), 20 per page, every fifth
reply with a nested answer behind a "1 svar" button. Served on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE_SIZE = 20

_PAGE = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Benk</title>
<style>
body{font:15px/1.4 sans-serif;margin:0;background:#eef1f5}
main{max-width:640px;margin:0 auto;padding:16px}
.post,.reply{background:#fff;border-radius:8px;padding:10px 14px;margin:8px 0}
.children{margin-left:32px}
</style></head><body><main>
<article class="post" data-post-id="p"><b class="author-name">Benk kommune</b>
<span class="author-handle">@benk</span> <time datetime="2026-11-20T09:00:00Z">20. nov.</time>
<p class="post-text">Et innlegg med __N__ svar for ytelsesmåling.</p>
<span class="comment-count">__N__ kommentarer</span></article>
<ul id="replies"></ul><div id="sentinel" style="height:40px"></div>
</main><script>
const N = __N__; let next = 0, loading = false;
function li(r, parent) {
  const el = document.createElement("li"); el.className = "reply";
  el.dataset.replyId = r.id; el.dataset.parentId = parent;
  el.innerHTML = '<b class="author-name"></b> <time></time><p class="reply-text"></p>';
  el.querySelector("b").textContent = r.author;
  el.querySelector("time").setAttribute("datetime", r.time);
  el.querySelector("p").textContent = r.text;
  if (r.child) {
    const b = document.createElement("button"); b.textContent = "1 svar";
    b.onclick = async () => { b.remove();
      const c = await (await fetch("/child?id=" + r.id)).json();
      const ul = document.createElement("ul"); ul.className = "children";
      ul.appendChild(li(c, r.id)); el.appendChild(ul); };
    el.appendChild(b);
  }
  return el;
}
async function more() {
  if (loading || next >= N) return; loading = true;
  const d = await (await fetch("/replies?from=" + next + "&n=" + N)).json();
  d.replies.forEach(r => document.getElementById("replies").appendChild(li(r, "p")));
  next = d.next; loading = false;
}
new IntersectionObserver(e => { if (e[0].isIntersecting) more(); })
  .observe(document.getElementById("sentinel"));
more();
</script></body></html>"""


def _reply(i: int) -> dict[str, object]:
    return {"id": f"r{i}", "author": f"Innbygger {i}", "time": "2026-11-20T10:00:00Z",
            "text": f"Svar nummer {i}: " + "Dette er en kommentar med litt tekst. " * 3,
            "child": i % 5 == 0}


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

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/thread":
            n = int(q.get("n", "10"))
            self._send(_PAGE.replace("__N__", str(n)).encode(), "text/html; charset=utf-8")
        elif parts.path == "/replies":
            start = int(q.get("from", "0"))
            end = min(start + PAGE_SIZE, int(q.get("n", "0")))
            data = {"replies": [_reply(i) for i in range(start + 1, end + 1)], "next": end}
            self._send(json.dumps(data).encode(), "application/json")
        elif parts.path == "/child":
            rid = q.get("id", "r0")
            data = {"id": rid + "c", "author": "Svarperson", "time": "2026-11-20T11:00:00Z",
                    "text": "Et nøstet svar.", "child": False}
            self._send(json.dumps(data).encode(), "application/json")
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
