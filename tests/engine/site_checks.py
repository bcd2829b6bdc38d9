"""Shared assertions for site-adapter tests: a reply counts as captured only when it is in the
structured thread, in the WARC and visible within the screenshot."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageStat
from warcio.archiveiterator import ArchiveIterator

from somecapture.models import CaptureResult


@dataclass(frozen=True)
class ExpectedReply:
    """A reply the fixture page contains."""

    id: str
    parent_id: str | None
    author: str
    text: str  # a distinctive snippet of the reply's text


def warc_texts(package: Path) -> str:
    """All textual response bodies of the package's WARC, decoded, as one searchable string.

    JSON bodies are re-serialised without ASCII escapes and HTML entities are unescaped, so a
    snippet with æøå or emoji is found whatever escaping the platform used.
    """
    parts: list[str] = []
    with open(package / "data" / "capture.warc", "rb") as fh:
        for rec in ArchiveIterator(fh):
            if rec.rec_type != "response" or rec.http_headers is None:
                continue
            ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
            if not any(t in ctype for t in ("json", "html", "javascript", "text", "xml")):
                continue
            body = rec.content_stream().read().decode("utf-8", "replace")
            if "json" in ctype:
                try:
                    body = json.dumps(json.loads(body), ensure_ascii=False)
                except ValueError:
                    pass
            parts.append(html.unescape(body))
    return "\n".join(parts)


def _visible_in_screenshot(img: Image.Image, box: dict[str, int]) -> bool:
    if box["height"] < 4 or box["width"] < 4:
        return False
    if box["y"] < 0 or box["y"] + box["height"] > img.height:
        return False
    region = img.crop((max(0, box["x"]), box["y"], min(img.width, box["x"] + box["width"]),
                       box["y"] + box["height"])).convert("L")
    # drawn text gives contrast; an empty or covered area is flat
    return ImageStat.Stat(region).stddev[0] > 8


def assert_thread_captured(
    result: CaptureResult,
    *,
    root_text: str,
    root_author: str | None,
    replies: list[ExpectedReply],
    reported: int | None = None,
) -> None:
    """Every expected reply is in ``thread``, in the WARC and within the screenshot."""
    assert result.package is not None, (result.status, result.error, result.warnings)
    thread = result.thread
    root = thread.get("root") or {}
    assert root_text in (root.get("text") or ""), root
    if root_author is not None:
        assert root.get("author") == root_author, root
    got = {r["id"]: r for r in thread.get("replies", [])}
    texts = warc_texts(result.package)
    with Image.open(result.package / "data" / "screenshot.png") as img:
        img.load()
        missing_shot = []
        for exp in replies:
            r = got.get(exp.id)
            assert r is not None, f"reply {exp.id} not in thread; got {sorted(got)}"
            assert r["author"] == exp.author, (exp.id, r["author"])
            assert exp.text in (r["text"] or ""), (exp.id, r["text"])
            if exp.parent_id is not None:
                assert r["parent_id"] == exp.parent_id, (exp.id, r["parent_id"])
            assert exp.text in texts, f"reply {exp.id} text not found in the WARC"
            box = r.get("screenshot_box")
            if not box or not _visible_in_screenshot(img, box):
                missing_shot.append(exp.id)
        assert not missing_shot, f"replies not visible in the screenshot: {missing_shot}"
    ids = [r["id"] for r in thread.get("replies", [])]
    assert len(ids) == len(set(ids)), "duplicate reply ids"
    order = [i for i in ids if i in {e.id for e in replies}]
    assert order == [e.id for e in replies], "replies not in page order"
    if reported is not None:
        assert result.completeness.get("reported", {}).get("comments") == reported, (
            result.completeness)
