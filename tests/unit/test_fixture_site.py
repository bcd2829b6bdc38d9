"""Fast urllib checks that the fixture site answers as documented in its README."""

from __future__ import annotations

import gzip
import io
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from PIL import Image

from tests.fixtures.site.server import (
    CHILD_REPLIES,
    COMMENT_COUNT,
    GZIP_PAGE_TEXT,
    HEADLINE,
    LONG_TEXT_END,
    REPLIES,
    ROOT_AUTHOR_HANDLE,
    ROOT_AUTHOR_NAME,
    ROOT_DATETIME,
    ROOT_TEXT,
    FixtureSite,
    band_color,
    image_color,
)

JSON_TYPE = "application/json; charset=utf-8"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Make urllib hand 3xx responses back instead of following them."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_NO_REDIRECT = urllib.request.build_opener(_NoRedirect)


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureSite]:
    with FixtureSite() as running:
        yield running
    assert running.errors == []


def fetch(
    url: str, headers: dict[str, str] | None = None, follow: bool = True
) -> tuple[int, Message, bytes]:
    """GET ``url`` and return (status, headers, raw body) without raising on 4xx/5xx."""
    req = urllib.request.Request(url, headers=headers or {})
    opener = urllib.request.build_opener() if follow else _NO_REDIRECT
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, err.headers, err.read()


def test_base_and_url(site: FixtureSite) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", site.base)
    assert site.url("/post/1") == site.base + "/post/1"
    assert site.url("post/1") == site.base + "/post/1"


def test_post_shell_has_metadata_but_no_post_text(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/post/1"))
    text = body.decode("utf-8")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert ROOT_TEXT not in text
    assert 'src="/static/app.js"' in text
    assert 'href="/static/site.css"' in text
    assert 'id="consent"' in text
    assert "Godta alle" in text and "Kun nødvendige" in text
    assert f'<meta property="og:url" content="{site.base}/post/1">' in text
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert match
    data = json.loads(match.group(1))
    assert data["@type"] == "SocialMediaPosting"
    assert data["headline"] == HEADLINE
    assert data["datePublished"] == ROOT_DATETIME
    assert data["author"]["name"] == ROOT_AUTHOR_NAME


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/post/1?noconsent=1", {}), ("/post/1", {"Cookie": "consent=necessary"})],
)
def test_consent_suppressed(site: FixtureSite, path: str, headers: dict[str, str]) -> None:
    status, _, body = fetch(site.url(path), headers)
    assert status == 200
    assert b'id="consent"' not in body


def test_api_post(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/api/post/1"))
    assert status == 200
    assert headers["Content-Type"] == JSON_TYPE
    post = json.loads(body)
    assert post["text"] == ROOT_TEXT
    assert post["author"] == {
        "name": ROOT_AUTHOR_NAME,
        "handle": ROOT_AUTHOR_HANDLE,
        "avatar": "/img/avatar-oslokommune.png?w=96&h=96",
    }
    assert post["datetime"] == ROOT_DATETIME
    assert post["comment_count"] == COMMENT_COUNT == 14


def test_replies_are_gzip_and_paginated(site: FixtureSite) -> None:
    cursor: int | None = 0
    seen: list[str] = []
    pages = 0
    while cursor is not None:
        status, headers, body = fetch(site.url(f"/api/post/1/replies?cursor={cursor}"))
        assert status == 200
        assert headers["Content-Type"] == JSON_TYPE
        assert headers["Content-Encoding"] == "gzip"
        assert body[:2] == b"\x1f\x8b"
        page = json.loads(gzip.decompress(body))
        assert len(page["replies"]) <= 5
        seen += [r["id"] for r in page["replies"]]
        cursor = page["next_cursor"]
        pages += 1
    assert pages == 3
    assert seen == [f"r{n}" for n in range(1, 13)]
    assert [r["id"] for r in REPLIES] == seen


def test_reply_texts() -> None:
    for n, reply in enumerate(REPLIES, start=1):
        assert reply["text"].startswith(f"Svar nummer {n}: ")
        assert re.search("[æøåÆØÅ]", reply["text"])
        assert reply["parent_id"] == "1"
    assert REPLIES[4]["text"].endswith(LONG_TEXT_END)
    assert len(REPLIES[4]["text"]) > 240
    assert REPLIES[2]["child_count"] == 2


def test_children(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/api/post/1/replies/r3/children"))
    assert status == 200
    assert headers["Content-Type"] == JSON_TYPE
    data = json.loads(body)
    assert [r["id"] for r in data["replies"]] == ["r3a", "r3b"]
    assert all(r["parent_id"] == "r3" for r in data["replies"])
    assert data["replies"] == CHILD_REPLIES["r3"]
    assert fetch(site.url("/api/post/1/replies/nope/children"))[0] == 404


def test_redirects(site: FixtureSite) -> None:
    status, headers, _ = fetch(site.url("/r/post1"), follow=False)
    assert (status, headers["Location"]) == (302, "/post/1")
    status, headers, _ = fetch(site.url("/r/post1?noconsent=1"), follow=False)
    assert (status, headers["Location"]) == (302, "/post/1?noconsent=1")
    status, headers, _ = fetch(site.url("/r/loop"), follow=False)
    assert (status, headers["Location"]) == (302, "/r/loop")
    status, headers, _ = fetch(site.url("/r/chain"), follow=False)
    assert (status, headers["Location"]) == (301, "/r/chain/2")
    status, headers, _ = fetch(site.url("/r/chain/2"), follow=False)
    assert (status, headers["Location"]) == (302, "/post/1")
    with urllib.request.urlopen(site.url("/r/chain"), timeout=10) as resp:
        assert resp.url == site.url("/post/1")


def test_gzip_page(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/gzip/page"))
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert GZIP_PAGE_TEXT.encode() not in body
    assert GZIP_PAGE_TEXT in gzip.decompress(body).decode("utf-8")


def test_tall_bands(site: FixtureSite) -> None:
    _, _, body = fetch(site.url("/tall?height=2500"))
    text = body.decode("utf-8")
    heights = [
        int(h) for h in re.findall(r'class="band" id="band-\d+" style="height:(\d+)px', text)
    ]
    assert heights == [1000, 1000, 500]
    r, g, b = band_color(2)
    assert f"background:rgb({r},{g},{b})" in text
    assert "BAND 2" in text
    assert band_color(1) == (37, 91, 53)
    _, _, default = fetch(site.url("/tall"))
    assert default.count(b'class="band"') == 40


def test_statuses(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/status/404"))
    assert status == 404 and b"Feil 404: Fant ikke siden" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    status, _, body = fetch(site.url("/status/500"))
    assert status == 500 and b"Feil 500: Intern serverfeil" in body
    status, headers, body = fetch(site.url("/status/200-empty"))
    assert (status, body, headers["Content-Length"]) == (200, b"", "0")
    assert fetch(site.url("/no/such/route"))[0] == 404


def test_slow(site: FixtureSite) -> None:
    start = time.monotonic()
    status, _, body = fetch(site.url("/slow?ms=300"))
    assert time.monotonic() - start >= 0.29
    assert status == 200 and "Treg side: svarte etter 300 ms" in body.decode()


@pytest.mark.parametrize("chunked", ["0", "1"])
def test_drip(site: FixtureSite, chunked: str) -> None:
    start = time.monotonic()
    status, headers, body = fetch(site.url(f"/drip?seconds=0.5&chunked={chunked}"))
    assert time.monotonic() - start >= 0.45
    assert status == 200
    assert (headers["Transfer-Encoding"] == "chunked") == (chunked == "1")
    assert body.count(b'class="drop"') == 2
    assert body.rstrip().endswith(b"</html>") and b"Drypp ferdig" in body


def test_huge(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/huge?mb=2"))
    assert status == 200
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["Content-Length"] == str(2 * 1024 * 1024) == str(len(body))
    assert body[:4] == b"\x00\x01\x02\x03"
    _, _, page = fetch(site.url("/page-with-huge?mb=2"))
    assert b'data-src="/huge?mb=2"' in page


def test_images_and_cache_headers(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url("/img/bibliotek.png"))
    assert status == 200
    assert headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"] == "max-age=3600"
    img = Image.open(io.BytesIO(body))
    assert img.size == (400, 300)
    assert img.convert("RGB").getpixel((200, 250)) == image_color("bibliotek")
    assert fetch(site.url("/img/bibliotek.png"))[2] == body  # deterministic / cached
    _, _, small = fetch(site.url("/img/avatar-x.png?w=96&h=96"))
    assert Image.open(io.BytesIO(small)).size == (96, 96)

    for asset in ("/static/app.js", "/static/site.css", "/static/embed.css"):
        status, headers, _ = fetch(site.url(asset))
        assert status == 200 and headers["Cache-Control"] == "max-age=3600"
        etag = headers["ETag"]
        assert fetch(site.url(asset), {"If-None-Match": etag})[0] == 304
    assert fetch(site.url("/static/../server.py"))[0] == 404


def test_embed(site: FixtureSite) -> None:
    status, _, body = fetch(site.url("/embed/1"))
    assert status == 200
    assert b'href="/static/embed.css"' in body
    assert "Tøyen bibliotek" in body.decode("utf-8")


def test_request_log(site: FixtureSite) -> None:
    site.clear_requests()
    fetch(site.url("/status/404?x=1"), {"X-Probe": "ja"})
    (method, path, headers), *_ = site.requests
    assert (method, path, headers["X-Probe"]) == ("GET", "/status/404?x=1", "ja")
    assert site.requested_paths() == ["/status/404?x=1"]


def test_close_aborts_inflight_requests() -> None:
    site = FixtureSite().start()
    outcome: list[object] = []

    def slow_get() -> None:
        try:
            outcome.append(fetch(site.url("/slow?ms=20000"))[0])
        except OSError as err:
            outcome.append(err)

    worker = threading.Thread(target=slow_get)
    worker.start()
    deadline = time.monotonic() + 5
    while not site.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    port = site.port
    start = time.monotonic()
    site.close()
    assert time.monotonic() - start < 3
    worker.join(5)
    assert not worker.is_alive() and outcome
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
