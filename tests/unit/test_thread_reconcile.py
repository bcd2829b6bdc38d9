"""One thread from several sources, and the verdict on how much of it could be read (issue 15).

The merge rules are shown on small threads made here; the real case — a page whose replies
could not be read, while the recorded platform data holds them — on a real X ``TweetDetail``
response from ``../shared/corpus`` (third-party data, read at run time; expected counts from
its ``manifest.json``, never from the code under test).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from somecapture.thread.platform_data import parse_response
from somecapture.thread.post import ThreadData, ThreadPost
from somecapture.thread.reconcile import posts_from_extract, reconcile

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
PAGE = "https://social.example/@etaten/1000"


def _extract(replies: list[dict[str, Any]], root: dict[str, Any] | None = None
             ) -> dict[str, Any]:
    return {"root": root or {"id": "1000", "author": "Etaten", "text": "Innlegget"},
            "replies": replies}


def _data(*posts: ThreadPost, root: ThreadPost | None = None) -> ThreadData:
    return ThreadData(platform="mastodon", source="mastodon-api", root=root,
                      replies=tuple(posts))


def test_page_replies_without_fields_are_filled_from_the_platform_data() -> None:
    page = _extract([{"id": "1001", "parent_id": "1000", "screenshot_box": {"x": 1, "y": 2,
                                                                           "width": 3,
                                                                           "height": 4}},
                     {"id": "1002", "parent_id": "1001"}])
    data = _data(ThreadPost(id="1001", source="mastodon-api", author="Kari", handle="@kari",
                            published_at="2026-03-01T10:00:00Z", text="Første svar",
                            parent_id="1000"),
                 ThreadPost(id="1002", source="mastodon-api", author="Ola",
                            published_at="2026-03-01T10:05:00Z", text="Andre svar",
                            parent_id="1001"))
    result = reconcile(PAGE, [posts_from_extract(page)], [data])
    assert [r["author"] for r in result.replies] == ["Kari", "Ola"]
    assert [r["text"] for r in result.replies] == ["Første svar", "Andre svar"]
    assert result.replies[0]["sources"] == {"parent_id": "page-selectors",
                                            "author": "mastodon-api", "handle": "mastodon-api",
                                            "published_at": "mastodon-api",
                                            "text": "mastodon-api"}
    # the page keeps what only it knows: where the reply is on the screenshot
    assert result.replies[0]["screenshot_box"] == {"x": 1, "y": 2, "width": 3, "height": 4}
    assert result.replies[1]["parent_id"] == "1001"
    assert (result.visible, result.readable_visible, result.warnings) == (2, 2, ())


def test_fewer_read_than_shown_is_said_in_plain_words() -> None:
    page = _extract([{"id": "a1", "author": "Kari", "text": "Et svar"},
                     {"id": "a2", "author": None, "text": None},
                     {"id": "a3", "author": "Ola", "text": None}])
    result = reconcile(PAGE, [posts_from_extract(page)], [])
    assert (result.visible, result.readable_visible) == (3, 1)
    assert result.warnings == ("1 of 3 replies shown on the page could be read (author and "
                               "text); the rest are in the WARC and the screenshot.",)


def test_a_cut_text_is_replaced_by_the_whole_text_and_matched_by_its_start() -> None:
    whole = "Når kommer svaret på søknaden min om byggetillatelse? Jeg har ventet i tre måneder."
    page = _extract([{"id": "dom-1", "author": "Kari", "text": whole[:60] + "… Se mer"}])
    data = _data(ThreadPost(id="555", source="mastodon-api", author="Kari", text=whole,
                            parent_id="1000"))
    result = reconcile(PAGE, [posts_from_extract(page)], [data])
    assert len(result.replies) == 1
    assert result.replies[0]["text"] == whole
    assert result.replies[0]["sources"]["text"] == "mastodon-api"


def test_short_texts_match_only_from_the_same_author() -> None:
    page = _extract([{"id": "d1", "author": "Kari", "text": "Takk!"}])
    data = _data(ThreadPost(id="77777", source="mastodon-api", author="Ola", text="Takk!",
                            parent_id="1000"))
    result = reconcile(PAGE, [posts_from_extract(page)], [data])
    assert [(r["author"], r["text"]) for r in result.replies] == [("Kari", "Takk!"),
                                                                  ("Ola", "Takk!")]


def test_data_only_replies_are_added_with_their_parents_translated() -> None:
    page = _extract([{"id": "dom-7", "author": "Kari", "text": "Et langt nok svar til å matches"}])
    data = _data(
        ThreadPost(id="9001", source="mastodon-api", author="Kari",
                   text="Et langt nok svar til å matches", parent_id="1000"),
        ThreadPost(id="9002", source="mastodon-api", author="Ola", text="Svar på svaret",
                   parent_id="9001"),
        ThreadPost(id="9003", source="mastodon-api", author="Per", text="Til en som mangler",
                   parent_id="9999"))
    result = reconcile(PAGE, [posts_from_extract(page)], [data])
    assert [r["id"] for r in result.replies] == ["dom-7", "9002", "9003"]
    # the parent the data names is the page's reply: the page's id is used
    assert result.replies[1]["parent_id"] == "dom-7"
    # a parent no source has hangs the reply from the root
    assert result.replies[2]["parent_id"] == "1000"
    assert result.sources == {"page-selectors": 1, "mastodon-api": 3}


def test_the_root_is_filled_and_never_listed_as_a_reply() -> None:
    page = _extract([], root={"id": "1000", "author": None, "text": None})
    root = ThreadPost(id="1000", source="mastodon-api", author="Etaten",
                      published_at="2026-03-01T09:00:00Z", text="Innlegget")
    data = _data(root, root=root)
    result = reconcile(PAGE, [posts_from_extract(page)], [data])
    assert result.root is not None
    assert (result.root["author"], result.root["published_at"]) == ("Etaten",
                                                                   "2026-03-01T09:00:00Z")
    assert result.replies == []


def _manifest_row(name: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text("utf-8"))
    return next(r for r in rows if r["file"].endswith(name))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")
def test_real_x_thread_whose_page_could_not_be_read_is_read_from_its_data() -> None:
    name = "twitter__twscrape__graphql-TweetDetail-1649191520250245121.json"
    body = (CORPUS / "twitter" / name).read_bytes()
    focal = "1649191520250245121"
    url = ("https://x.com/i/api/graphql/abc/TweetDetail?variables="
           "%7B%22focalTweetId%22%3A%22" + focal + "%22%7D")
    data = parse_response(url, "application/json", body)
    assert data is not None
    row = _manifest_row(name)
    # "37 tweets = 1 focal + …": every tweet of the conversation, the focal one included
    present = int(row["replies_present"].split()[0])
    # the page showed a block per tweet but could read nothing in them (the measured case:
    # "every author, text, time and parent null"); ids only
    page = {"root": {"id": focal}, "replies": [{"id": p.id} for p in data.posts()
                                               if p.id != focal]}
    result = reconcile(f"https://x.com/XDevelopers/status/{focal}",
                       [posts_from_extract(page)], [data])
    assert result.visible == present - 1
    assert result.readable_visible == present - 1 and result.warnings == ()
    assert all(r["author"] and r["text"] and r["published_at"] for r in result.replies)
    assert result.root is not None and result.root["author"] and result.root["text"]
    examples = row["examples"]
    texts = {(r["handle"] or "").lstrip("@").lower(): r["text"] for r in result.replies}
    texts[(result.root["handle"] or "").lstrip("@").lower()] = result.root["text"]
    for example in examples:
        found = texts.get(example["author"].lower())
        assert found is not None and " ".join(found.split()).startswith(
            " ".join(example["text_starts_with"].split())[:30]), example["author"]
