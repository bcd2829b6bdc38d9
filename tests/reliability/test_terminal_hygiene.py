"""Page text never acts on the terminal or the log (issue 16, item 6).

A page on 127.0.0.1 whose "load more" button label, title, a reply and the URL path carry
escape sequences (clear the screen, set the window title, erase the line and write a fake
``COMPLETE``), 8-bit CSI and a right-to-left override; and an error page whose HTTP reason
phrase carries escape sequences (an error text from the server). The real command line
captures both in one subprocess; its stdout and stderr bytes and its log file carry none of
those characters, no fake outcome line appears, and the package folder name is plain. The
evidence is unchanged: the WARC holds the page's bytes as served, the metadata the label as the
page had it, and the ``--json`` output (data for scripts) the exact texts, escaped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from somecapture.cli.status import ExitStatus

ESC, BEL, CSI8, RLO = "\x1b", "\x07", "\x9b", "\u202e"
#: the "load more" control: a label the generic adapter clicks ("vis flere svar…"), then
#: 8-bit CSI erase-screen, a right-to-left override, an OSC window title ended by BEL, erase
#: the line, cursor to column 1 and a fake outcome line
LABEL = (f"Vis flere svar{CSI8}2J{RLO}{ESC}]0;HACK{BEL}{ESC}[2K{ESC}[1G"
         "    COMPLETE: /fake/package")
#: the label as the archivist must see it: the controls gone, the words kept (the page's run
#: of spaces is one space once the browser has read the label)
LABEL_SHOWN = "Vis flere svar COMPLETE: /fake/package"
TITLE = f"Innlegg om biblioteket{ESC}]0;TITLE HACK{BEL}{ESC}[2J{RLO}live"
REPLY = f"Svar fra Kari: takk for info{ESC}[2J{ESC}[31m rød{ESC}[0m{RLO}reversert"
#: the URL path: ESC [ 2 J and U+202E, percent-encoded as a browser sends them
PATH = "/innlegg/%1B%5B2J%E2%80%AE-svar"
#: the error page and its reason phrase, sent as UTF-8 bytes (Chromium reads them as UTF-8)
ERROR_PATH = "/feil"
REASON = f"Intern{ESC}]0;PWNED{BEL}{ESC}[2J {RLO}feil{CSI8}2J"
REASON_SHOWN = "Intern feil"

PAGE = f"""<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>{TITLE}</title></head>
<body><main>
<article class="post"><header><a href="/profil/ola" rel="author">Ola Nordmann</a>
<time datetime="2026-01-05T10:00:00Z">5. jan.</time></header>
<p>Hovedinnlegget: biblioteket i Bjørvika åpner søndager. Blåbær og æøå.</p></article>
<section class="comments">
<article class="comment"><a href="/profil/kari">Kari</a><p>{REPLY}</p></article>
<article class="comment"><a href="/profil/per">Per</a><p>Flott, det var på tide!</p></article>
</section>
<button id="more" type="button">{LABEL}</button>
</main>
<script>
document.getElementById('more').addEventListener('click', function () {{
  var a = document.createElement('article');
  a.className = 'comment';
  a.innerHTML = '<a href="/profil/liv">Liv</a><p>Et svar som kom etter klikket.</p>';
  document.querySelector('section.comments').appendChild(a);
  this.remove();
}});
</script>
</body></html>
"""
PAGE_BYTES = PAGE.encode("utf-8")

#: bytes that must never reach the terminal or the log: ESC, BEL, the 8-bit CSI (as the
#: UTF-8 of U+009B, and its lone byte), RLO in UTF-8. None of the page's ordinary text (æøå,
#: "×", "–", "·") contains the byte 0x9b.
FORBIDDEN_BYTES = (b"\x1b", b"\x07", b"\x9b", RLO.encode("utf-8"))


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        if self.path == ERROR_PATH:
            body = b"<!doctype html><p>Noe gikk galt.</p>"
            # http.server writes the reason as Latin-1: these characters are its UTF-8 bytes
            self.send_response(500, REASON.encode("utf-8").decode("latin-1"))
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.split("?")[0] != PATH:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE_BYTES)))
        self.end_headers()
        self.wfile.write(PAGE_BYTES)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - inherited name
        pass


@dataclass
class Run:
    """One CLI capture of the hostile page."""

    returncode: int
    stdout: bytes
    stderr: bytes
    log: bytes
    out: Path


@pytest.fixture(scope="module")
def hostile_capture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tmp = tmp_path_factory.mktemp("hygiene")
        base = f"http://127.0.0.1:{server.server_address[1]}"
        # own log and catalogue folders, so the log read below is this run's
        env = {**os.environ, "XDG_STATE_HOME": str(tmp / "state"),
               "XDG_DATA_HOME": str(tmp / "data")}
        out = tmp / "out"
        proc = subprocess.run(
            [sys.executable, "-m", "somecapture", "capture", base + PATH, base + ERROR_PATH,
             "--out", str(out),
             "--allow-private-network", "--timeout", "60", "--json"],
            capture_output=True, env=env, timeout=180)
        logs = list((tmp / "state").rglob("somecapture.log"))
        assert len(logs) == 1, logs
        yield Run(proc.returncode, proc.stdout, proc.stderr, logs[0].read_bytes(), out)
    finally:
        server.shutdown()
        server.server_close()


def _results(run: Run) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = json.loads(run.stdout)["results"]
    assert len(results) == 2, results
    return results


def _package(run: Run) -> Path:
    first = _results(run)[0]
    assert first["package"], first
    return Path(first["package"])


@pytest.mark.browser
def test_the_page_is_published_and_the_error_page_fails(hostile_capture: Run) -> None:
    assert hostile_capture.returncode == ExitStatus.FAILED, hostile_capture.stderr.decode()
    assert _package(hostile_capture).is_dir()
    assert _results(hostile_capture)[1]["status"] == "failed"


@pytest.mark.browser
@pytest.mark.parametrize("stream", ["stdout", "stderr", "log"])
def test_no_control_byte_reaches_the_terminal_or_the_log(hostile_capture: Run,
                                                         stream: str) -> None:
    data: bytes = getattr(hostile_capture, stream)
    assert data, f"{stream} is empty: nothing was checked"
    for forbidden in FORBIDDEN_BYTES:
        assert forbidden not in data, (stream, forbidden, data[-2000:])
    data.decode("utf-8")  # valid UTF-8: no lone surrogate or stray byte


@pytest.mark.browser
def test_the_label_is_shown_cleaned_and_forges_no_outcome_line(hostile_capture: Run) -> None:
    err = hostile_capture.stderr.decode("utf-8")
    assert f"'{LABEL_SHOWN}'" in err, err
    for marker in ("Traceback (most recent call last)", 'File "/'):
        assert marker not in err
    # exactly one outcome line, the real one, naming the package that was published
    outcomes = [line for line in err.splitlines()
                if re.match(r"\s*(COMPLETE|PARTIAL|FAILED)\b", line)]
    assert len(outcomes) == 1, outcomes
    assert outcomes[0].strip() in (f"COMPLETE: {_package(hostile_capture)}",
                                   f"PARTIAL: {_package(hostile_capture)}")
    # every line the label is on starts as the console starts a step line (the step by the
    # archivist's name for it, in the locale's language: English here)
    for line in err.splitlines():
        if "COMPLETE: /fake/package" in line:
            assert line.startswith("    Opening all replies "), line


@pytest.mark.browser
def test_the_server_error_text_is_shown_cleaned(hostile_capture: Run) -> None:
    err = hostile_capture.stderr.decode("utf-8")
    assert f"The server answered 500 {REASON_SHOWN} for " in err, err
    failed = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(failed) == 1 and ": FAILED – The server answered 500 Intern feil" in failed[0]


@pytest.mark.browser
def test_json_output_keeps_the_exact_text_with_controls_escaped(hostile_capture: Run) -> None:
    """--json is data for scripts: it decodes to the server's exact text (controls included),
    while the bytes on the terminal carry them only as \\u escapes."""
    error = _results(hostile_capture)[1]["error"]
    assert f"The server answered 500 {REASON} for " in error
    text = hostile_capture.stdout.decode("utf-8")
    assert "Intern\\u001b]0;PWNED\\u0007\\u001b[2J \\u202efeil\\u009b2J" in text


@pytest.mark.browser
def test_the_folder_name_is_plain(hostile_capture: Run) -> None:
    name = _package(hostile_capture).name
    assert re.fullmatch(r"\d{8}T\d{6}Z-127-0-0-1-innlegg-2j-svar", name), name


@pytest.mark.browser
def test_the_evidence_keeps_the_page_text(hostile_capture: Run) -> None:
    """The WARC holds the page as served (title, reply and label with their controls) and
    the URL as requested; the metadata keeps the label the tool clicked as the page had it."""
    package = _package(hostile_capture)
    warc = (package / "data" / "capture.warc").read_bytes()
    assert PAGE_BYTES in warc
    for text in (TITLE, REPLY, LABEL):
        assert text.encode("utf-8") in warc
    assert PATH.encode("ascii") in warc
    metadata = json.loads((package / "data" / "capture-metadata.json").read_text("utf-8"))
    messages = " ".join(step.get("message") or "" for step in metadata["steps"])
    assert LABEL.replace("    ", " ") in messages
    assert metadata["requested_url"].endswith(PATH)


@pytest.mark.browser
def test_the_log_holds_this_run(hostile_capture: Run) -> None:
    """The log checked above is this run's: it names the browser it started."""
    assert b" INFO somecapture.engine.browser: browser: " in hostile_capture.log

