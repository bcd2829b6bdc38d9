"""The platforms' own thread data (issue 15), against real recorded responses.

The JSON files of ``../shared/corpus`` are read at run time; nothing of them is copied here.
Expected counts and examples come from ``../shared/corpus/manifest.json`` (and, for nesting,
from walking the source file itself), never from the parsers' output.

Held-back set (issue 15 item 6; not looked at while the parsers were written, added to these
tests afterwards without changing the parsers first):

- ``reddit/reddit__praw__comment-context-1j7g9uj-2025.json``
- ``youtube/youtube__NewPipeExtractor__youtubei-next-replies-xaQJbozY_Is.json``
"""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from somecapture.thread.platform_data import PARSERS, parse_response
from somecapture.thread.post import ThreadData, ThreadPost, html_to_text, parse_time
from somecapture.thread.recorded import merge_thread_data, thread_data_from_warc

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"

if not (CORPUS / "manifest.json").is_file():
    pytest.skip(
        f"the real-data corpus is not here ({CORPUS}); these tests read it at run time",
        allow_module_level=True,
    )

HELD_BACK = (
    "reddit/reddit__praw__comment-context-1j7g9uj-2025.json",
    "youtube/youtube__NewPipeExtractor__youtubei-next-replies-xaQJbozY_Is.json",
)

# For each JSON file: whether the manifest's count covers every post ("all") or only the
# replies beside the post the response is about ("replies").
COUNTED = {
    "mastodon/mastodon__Mastodon.py__api-v1-statuses-110446983926957470-context.json": "all",
    "mastodon/mastodon__Mastodon.py__api-v1-status-110446223051565765.json": "replies",
    "activitypub/activitypub__lemmy__mastodon-note-113306831140126616-replies.json": "replies",
    "bluesky/bluesky__atproto__getPostThread-3kaheyt6vpc22.json": "replies",
    "twitter/twitter__twscrape__graphql-TweetDetail-1649191520250245121.json": "all",
    "reddit/reddit__praw__comments-fo7p5b-announcements-2020.json": "replies",
    "youtube/youtube__NewPipeExtractor__youtubei-next-comments-xaQJbozY_Is.json": "replies",
    "discourse/discourse__discourse_api__topic-57.json": "all",
    # held back
    "reddit/reddit__praw__comment-context-1j7g9uj-2025.json": "replies",
    "youtube/youtube__NewPipeExtractor__youtubei-next-replies-xaQJbozY_Is.json": "replies",
}

MANIFEST: dict[str, dict[str, Any]] = {
    row["file"]: row for row in json.loads((CORPUS / "manifest.json").read_text("utf-8"))
}

SCHEMA = json.loads(
    (REPO / "resources/schemas/capture-metadata/capture-metadata.schema.json").read_text("utf-8")
)


def request_url(row: dict[str, Any]) -> str:
    """The original request URL where the manifest records one (cassette files)."""
    match = re.search(r"request (?:(?:GET|POST) )?(https?://\S+)", row.get("extraction", ""))
    return match.group(1) if match else ""


def present(row: dict[str, Any]) -> int:
    """The number the manifest gives for what the file holds."""
    text = row["replies_present"]
    if "ancestor" in text and "descendant" in text:
        return sum(int(n) for n in re.findall(r"(\d+) (?:ancestors?|descendants?)", text))
    if text.startswith("single status"):
        return 0
    match = re.match(r"\s*(\d+)", text)
    assert match, f"manifest count not understood: {text!r}"
    return int(match.group(1))


def norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def parse_file(name: str) -> ThreadData:
    row = MANIFEST[name]
    body = (CORPUS / name).read_bytes()
    result = parse_response(request_url(row), "application/json; charset=utf-8", body)
    assert result is not None, f"{name}: no thread data recognised"
    return result


def extracted(name: str, thread: ThreadData) -> int:
    return len(thread.posts()) if COUNTED[name] == "all" else len(thread.replies)


def author_matches(post: ThreadPost, author: str) -> bool:
    want = author.lstrip("@").casefold()
    names = (post.author, post.handle, post.author_url)
    return any(n is not None and n.lstrip("@").casefold() == want for n in names)


DEV_FILES = [f for f in COUNTED if f not in HELD_BACK]
ALL_FILES = list(COUNTED)


@pytest.mark.parametrize("name", ALL_FILES)
def test_counts_match_the_manifest(name: str) -> None:
    thread = parse_file(name)
    expected = present(MANIFEST[name])
    got = extracted(name, thread)
    assert got <= expected, f"{name}: {got} extracted, only {expected} present"
    assert got >= 0.95 * expected, f"{name}: {got} of {expected} extracted"


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_post_has_author_text_and_time(name: str) -> None:
    thread = parse_file(name)
    for post in thread.replies:
        assert post.id
        assert post.author, f"{name}: reply {post.id} without author"
        # an image-only post has no text but has its media
        assert post.text or post.media, f"{name}: reply {post.id} without text"
        assert post.published_at or post.published_text, f"{name}: reply {post.id} without time"
        if post.published_at:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", post.published_at)
    if thread.root is not None:
        root = thread.root
        assert root.author or root.handle or root.author_url
        # a Reddit link post may have only its title
        assert root.text or root.media or root.title
        assert root.published_at or root.published_text


@pytest.mark.parametrize("name", ALL_FILES)
def test_manifest_examples_are_found(name: str) -> None:
    # the manifest lists examples in the file's byte order, which for Reddit (a reply's
    # "replies" key precedes its "body") is not conversation order: look them up anywhere
    posts = parse_file(name).posts()
    for example in MANIFEST[name]["examples"]:
        wanted = example["text_starts_with"]
        if wanted.startswith("(empty text"):
            assert any(
                author_matches(p, example["author"]) and not p.text and p.media for p in posts
            ), f"{name}: empty-text example by {example['author']} not found"
        else:
            prefix = norm(wanted)
            assert any(
                author_matches(p, example["author"]) and norm(p.text).startswith(prefix)
                for p in posts
            ), f"{name}: example by {example['author']} not found"


def test_x_conversation_order_follows_the_entries() -> None:
    name = "twitter/twitter__twscrape__graphql-TweetDetail-1649191520250245121.json"
    data = json.loads((CORPUS / name).read_text("utf-8"))
    order = re.findall(r'"entryId": "(?:tweet|conversationthread-\d+-tweet)-(\d+)"',
                       json.dumps(data))
    assert [p.id for p in parse_file(name).posts()] == order


# A response that holds only replies names parents that are in its companion response.
COMPANIONS = {
    "youtube/youtube__NewPipeExtractor__youtubei-next-replies-xaQJbozY_Is.json":
        "youtube/youtube__NewPipeExtractor__youtubei-next-comments-xaQJbozY_Is.json",
}


@pytest.mark.parametrize("name", ALL_FILES)
def test_parents_are_known_posts(name: str) -> None:
    thread = parse_file(name)
    if name in COMPANIONS:
        merged = merge_thread_data([parse_file(COMPANIONS[name]), thread], "")
        assert merged is not None
        thread = merged
    known = {p.id for p in thread.posts()} | {thread.focal_id}
    for post in thread.replies:
        assert post.parent_id is None or post.parent_id in known, (name, post.id)
        assert post.parent_id != post.id


@pytest.mark.parametrize("name", ALL_FILES)
def test_not_loaded_is_reported_where_the_manifest_says_so(name: str) -> None:
    thread = parse_file(name)
    text = MANIFEST[name]["replies_present"]
    more = re.search(r"\+(\d+) more not loaded", text)
    if more:
        assert thread.not_loaded == int(more.group(1))
    if "behind cursors" in text or "next page link" in text or "more not loaded" in text:
        assert thread.continuations >= 1
    if not re.search(r"more|next", text):
        assert thread.not_loaded == 0


@pytest.mark.parametrize("name", ALL_FILES)
def test_thread_json_validates_against_the_metadata_schema(name: str) -> None:
    thread_schema = {"$defs": SCHEMA["$defs"], **SCHEMA["properties"]["thread"]}
    jsonschema.validate(parse_file(name).to_json(), thread_schema)


def _reddit_tree(listing: Any, parent: str | None, out: dict[str, str | None]) -> None:
    for child in listing["data"]["children"]:
        if child["kind"] in ("t1", "t3"):
            out[child["data"]["id"]] = parent
            if isinstance(child["data"].get("replies"), dict):
                _reddit_tree(child["data"]["replies"], child["data"]["id"], out)


@pytest.mark.parametrize("name", [f for f in ALL_FILES if f.startswith("reddit/")])
def test_reddit_nesting_follows_the_listing_tree(name: str) -> None:
    data = json.loads((CORPUS / name).read_text("utf-8"))
    root_id = data[0]["data"]["children"][0]["data"]["id"]
    tree: dict[str, str | None] = {}
    _reddit_tree(data[1], root_id, tree)
    thread = parse_file(name)
    assert thread.root is not None and thread.root.id == root_id
    by_id = {p.id: p for p in thread.replies}
    assert set(by_id) == set(tree)
    for comment_id, parent in tree.items():
        assert by_id[comment_id].parent_id == parent


def test_mastodon_context_parents_follow_in_reply_to() -> None:
    name = "mastodon/mastodon__Mastodon.py__api-v1-statuses-110446983926957470-context.json"
    data = json.loads((CORPUS / name).read_text("utf-8"))
    expected = {s["id"]: s["in_reply_to_id"] for s in data["ancestors"] + data["descendants"]}
    thread = parse_file(name)
    assert {p.id: p.parent_id for p in thread.posts()} == expected
    assert thread.focal_id and thread.focal_id in request_url(MANIFEST[name])
    # the status the focal one answers is the last ancestor, though the focal one is absent;
    # the descendants answer the focal status, which confirms it
    assert thread.focal_parent_id == data["ancestors"][-1]["id"]
    assert {d["in_reply_to_id"] for d in data["descendants"]} == {thread.focal_id}


# --- WARC round trip ----------------------------------------------------------------------


def _write_response(writer: WARCWriter, url: str, content_type: str, body: bytes,
                    status: str = "200 OK") -> None:
    headers = StatusAndHeaders(
        status, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
    )
    writer.write_record(record)


ROUND_TRIP = (
    "mastodon/mastodon__Mastodon.py__api-v1-statuses-110446983926957470-context.json",
    "reddit/reddit__praw__comments-fo7p5b-announcements-2020.json",
)


def test_warc_round_trip_gives_the_same_posts(tmp_path: Path) -> None:
    path = tmp_path / "capture.warc"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        _write_response(writer, "https://example.org/", "text/html", b"<html>{}</html>")
        for name in ROUND_TRIP:
            body = (CORPUS / name).read_bytes()
            _write_response(writer, request_url(MANIFEST[name]), "application/json", body)
        # the same response twice (a reload) and an error page: neither adds anything
        again = CORPUS / ROUND_TRIP[0]
        _write_response(writer, request_url(MANIFEST[ROUND_TRIP[0]]), "application/json",
                        again.read_bytes())
        _write_response(writer, "https://example.org/api", "application/json", b"{}",
                        status="404 Not Found")
    parts = thread_data_from_warc(path)
    assert [p.source for p in parts] == ["mastodon-api", "reddit-json", "mastodon-api"]
    direct = {p.id: p for name in ROUND_TRIP for p in parse_file(name).posts()}
    for name, part in zip(ROUND_TRIP, parts, strict=False):
        assert part == parse_file(name)
    reddit = parse_file(ROUND_TRIP[1])
    assert reddit.root is not None and reddit.root.url
    merged = merge_thread_data(parts, reddit.root.url)
    assert merged is not None
    assert merged.root is not None and merged.root.id == reddit.root.id
    assert {p.id: p for p in merged.posts()} == direct
    assert merged.not_loaded == reddit.not_loaded


def test_truncated_warc_yields_what_came_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        for name in ROUND_TRIP:
            _write_response(writer, request_url(MANIFEST[name]), "application/json",
                            (CORPUS / name).read_bytes())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 5000])
    parts = thread_data_from_warc(path)
    assert [p.source for p in parts] == ["mastodon-api"]


# --- merging (invented posts, no corpus text) ---------------------------------------------


def _post(post_id: str, **fields: Any) -> ThreadPost:
    return ThreadPost(id=post_id, source="test", **fields)


def test_merge_fills_gaps_and_never_empties_a_field() -> None:
    first = ThreadData("p", "a", replies=(
        _post("1", author="A", text=None, counts={"likes": 2}),
        _post("2", parent_id="1", author="B", text="kept"),
    ))
    second = ThreadData("p", "b", replies=(
        _post("2", parent_id="1", author=None, text="", published_at="2024-01-01T00:00:00Z"),
        _post("1", text="filled", counts={"likes": 9, "replies": 1}),
    ))
    merged = merge_thread_data([first, second], "https://example.org/x/1")
    assert merged is not None
    assert merged.root is not None and merged.root.id == "1"
    assert merged.root.text == "filled" and merged.root.author == "A"
    assert merged.root.counts == {"likes": 2, "replies": 1}
    reply = merged.replies[0]
    assert (reply.author, reply.text, reply.published_at) == ("B", "kept", "2024-01-01T00:00:00Z")


def test_merge_puts_ancestors_before_the_status_fetched_first() -> None:
    status = ThreadData("p", "s", root=_post("200000", parent_id="100000", text="focal"))
    context = ThreadData("p", "c", replies=(
        _post("100000", text="ancestor"), _post("300000", parent_id="200000", text="reply"),
    ), focal_id="200000")
    merged = merge_thread_data([status, context], "https://example.org/@a/200000")
    assert merged is not None and merged.root is not None
    assert merged.root.id == "200000"
    assert [p.id for p in merged.replies] == ["100000", "300000"]
    assert merge_thread_data([], "https://example.org/") is None


def test_merge_without_a_match_keeps_no_invented_root() -> None:
    comments = ThreadData("youtube", "y", replies=(
        _post("c1", parent_id="video1"), _post("c2", parent_id="video1"),
    ), focal_id="video1")
    merged = merge_thread_data([comments], "https://www.youtube.com/watch?v=video1")
    assert merged is not None and merged.root is None and len(merged.replies) == 2


# --- text and time helpers ----------------------------------------------------------------


def test_html_to_text_keeps_paragraphs_and_line_breaks() -> None:
    markup = "<p>one  <b>two</b></p><p>three<br>four &amp; five</p><script>x()</script>"
    assert html_to_text(markup) == "one two\n\nthree\nfour & five"
    assert html_to_text(None) is None
    assert html_to_text("<p>unclosed") == "unclosed"


def test_parse_time_gives_rfc3339_utc() -> None:
    assert parse_time("Wed Apr 19 12:00:00 +0000 2023") == "2023-04-19T12:00:00Z"
    assert parse_time("2013-02-04T15:26:26.278-05:00") == "2013-02-04T20:26:26.278Z"
    assert parse_time(1585072734.0) == "2020-03-24T17:58:54Z"
    assert parse_time("4 years ago") is None
    assert parse_time(True) is None and parse_time({}) is None


# --- malformed input ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FILES)
def test_truncated_json_does_not_raise(name: str) -> None:
    body = (CORPUS / name).read_bytes()
    url = request_url(MANIFEST[name])
    for cut in (1, len(body) // 3, len(body) // 2, len(body.rstrip()) - 1):
        assert parse_response(url, "application/json", body[:cut]) is None


WRONG_TYPES: list[Any] = [
    None, 5, "x", [], {}, [1, 2], {"ancestors": "x", "descendants": 5},
    {"ancestors": [None, 3, {"id": {}}], "descendants": [{"account": [], "id": 1}]},
    {"thread": {"post": 5}}, {"thread": {"post": {"uri": 3, "record": []}, "replies": "no"}},
    {"thread": [None, {"value": 1}]},
    {"data": {"threaded_conversation_with_injections_v2": {"instructions": [None, {"entries": 3}]}}
     },
    [{"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"id": 5, "replies": ""}}]}}],
    [{"kind": "Listing", "data": None}, {"kind": "Listing", "data": {"children": [{"kind": "more",
                                                                                 "data": {}}]}}],
    {"frameworkUpdates": {"entityBatchUpdate": {"mutations": [{"payload": {
        "commentEntityPayload": {"key": "k", "properties": {"commentId": ["x"]}}}}]}}},
    {"post_stream": {"posts": [{"cooked": None, "post_number": "a", "id": None}]}},
    {"type": "Note", "content": 7, "replies": {"first": {"items": [3, None, {"type": "Note"}]}}},
    {"type": ["Note"], "attributedTo": [{}], "inReplyTo": {"id": 4}, "replies": "https://x/r"},
]


@pytest.mark.parametrize("data", WRONG_TYPES)
def test_wrong_types_do_not_raise(data: Any) -> None:
    body = json.dumps(data).encode()
    for url in ("", "https://mastodon.social/api/v1/statuses/1/context",
                "https://www.youtube.com/youtubei/v1/next", "https://x.com/i/api/graphql/a/TweetDetail"):
        result = parse_response(url, "application/json", body)
        assert result is None or isinstance(result, ThreadData)
    for parser in PARSERS:
        assert parser("", data) is None or isinstance(parser("", data), ThreadData)


def _mangle(value: Any, rng: random.Random) -> Any:
    """The same data with values swapped for other types and keys dropped at random."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            roll = rng.random()
            if roll < 0.05:
                continue
            out[key] = rng.choice([None, 0, "", [], {}, "x"]) if roll < 0.1 else _mangle(item, rng)
        return out
    if isinstance(value, list):
        return [_mangle(item, rng) for item in value]
    return value


@pytest.mark.parametrize("name", ALL_FILES)
def test_mangled_corpus_data_does_not_raise(name: str) -> None:
    data = json.loads((CORPUS / name).read_text("utf-8"))
    url = request_url(MANIFEST[name])
    for seed in range(5):
        mangled = _mangle(data, random.Random(seed))
        for parser in PARSERS:
            result = parser(url, mangled)
            assert result is None or isinstance(result, ThreadData)
        for post in (parse_response(url, "application/json", json.dumps(mangled).encode())
                     or ThreadData("", "")).posts():
            assert post.id


def test_non_json_and_oversized_bodies_are_refused_unread() -> None:
    assert parse_response("https://example.org/", "text/html", b"<html></html>") is None
    assert parse_response("https://example.org/", "image/png", b"{}") is None
    assert parse_response("https://example.org/", "application/json", b"") is None
    big = b'{"ancestors": [], "descendants": []' + b" " * (21 * 1024 * 1024) + b"}"
    assert parse_response("https://example.org/", "application/json", big) is None
