"""The generic reader's JSON as typed posts (:func:`somecapture.sites.reader.parse_reader_output`):
the root's source says whether it is a post read from the page or the page's stand-in."""

from __future__ import annotations

from somecapture.sites.reader import METADATA_SOURCE, SOURCE, parse_reader_output
from somecapture.thread.reconcile import PAGE_METADATA


def _output(root_match: str) -> dict[str, object]:
    return {
        "root": {"id": "https://forum.example/t/1-34", "url": "https://forum.example/t/1-34",
                 "author": None, "text": "Tråden – side 34", "title": "Tråden – side 34",
                 "parent_id": None, "depth": 0, "box": None},
        "replies": [{"id": "post_661", "author": "Kari", "text": "Svar", "published_text":
                     "03.03.2011, 14:17", "parent_id": "https://forum.example/t/1-34",
                     "depth": 1, "box": {"x": 0, "y": 10, "width": 300, "height": 40}}],
        "blocks_seen": 1, "root_match": root_match,
        "root_why": ["later page (rel=prev)", 7],
    }


def test_a_metadata_root_is_the_page_stand_in() -> None:
    result = parse_reader_output(_output("metadata"))
    assert METADATA_SOURCE == PAGE_METADATA
    assert result.root is not None and result.root.source == PAGE_METADATA
    assert result.root.title == "Tråden – side 34" and result.root.author is None
    # replies are posts read from the page; the stand-in has no box
    assert [p.source for p in result.replies] == [SOURCE]
    assert result.root.id not in result.boxes and "post_661" in result.boxes
    assert result.root_why == ("later page (rel=prev)",)
    assert result.depths == {"https://forum.example/t/1-34": 0, "post_661": 1}


def test_a_root_read_from_the_page_is_the_readers() -> None:
    for how in ("first", "preceding", "canonical"):
        result = parse_reader_output(_output(how))
        assert result.root is not None and result.root.source == SOURCE
