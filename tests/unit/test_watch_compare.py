"""The pipeline's comparison of a watched thread's re-capture with its previous capture
(issue 19), on recordings made up here: a post that is gone is never "unchanged", a partial
capture does not make replies "no longer observed", a partial previous capture's missed
replies are said, and a previous package that cannot be read still gives a version."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from somecapture.models import PreviousCapture, RecordedPage, WorkFolder
from somecapture.options import CaptureOptions
from somecapture.pipeline import CapturePipeline, _PipelineRun

URL = "https://forum.example/t/1"
FIRST = "0b6f2c1e-5d7a-4c59-9a53-0e4a3a9f1c11"
ROOT = {"id": "1", "author": "Bydel Vestvik", "handle": "@vestvik", "text": "Storgata stenges."}


def reply(rid: str, handle: str, text: str, when: str) -> dict[str, Any]:
    return {"id": rid, "author": handle.title(), "handle": f"@{handle}", "text": text,
            "published_at": when, "parent_id": "1"}


REPLIES = [reply("c1", "kari", "Endelig!", "2026-03-02T08:10:00Z"),
           reply("c2", "ola", "Hva med varelevering?", "2026-03-02T08:20:00Z"),
           reply("c3", "per", "Dårlig idé.", "2026-03-02T08:30:00Z")]


def _compare(tmp_path: Path, previous: PreviousCapture, thread: dict[str, Any],
             completeness: dict[str, Any], warnings: tuple[str, ...] = ()
             ) -> tuple[bool, Any]:
    options = CaptureOptions(out_dir=tmp_path / "out", catalog_path=tmp_path / "c.sqlite")
    run = _PipelineRun(CapturePipeline(None, options), URL,  # type: ignore[arg-type]
                       "7d1c9e22-0f3b-4a8e-9d54-6b2e1f0c3a99", options.record, previous)
    work = WorkFolder(tmp_path / "w.warc", tmp_path / "s.png", tmp_path / "scratch")
    recorded = RecordedPage(capture_id=run.result.capture_id, requested_url=URL, url=URL,
                            started_at=datetime(2026, 3, 2, 12, tzinfo=UTC), work=work,
                            thread=thread, completeness=completeness, warnings=warnings)
    publish = run._compare(run._take(recorded))
    return publish, run.result


def _previous(thread: dict[str, Any] | None, **extra: Any) -> PreviousCapture:
    return PreviousCapture(capture_id=FIRST, thread=thread, first_capture_id=FIRST,
                           captured_at="2026-03-02T09:00:00Z", **extra)


def test_a_post_that_is_gone_is_published_as_a_version_not_unchanged(tmp_path: Path) -> None:
    notice = "Dette innholdet er ikke tilgjengelig akkurat nå"
    publish, result = _compare(
        tmp_path, _previous({"root": ROOT, "replies": []}), {"root": None, "replies": []},
        {"reported": {}, "captured_replies": 0,
         "missing": [{"count": None, "reason": f"post unavailable: {notice}"}]},
        warnings=(f"The page says the post is not available: “{notice}”.",))
    assert publish and not result.unchanged
    assert result.changes["root_no_longer_observed"] is True
    assert result.changes["post_unavailable"] == notice
    step = result.steps[-1]
    assert step.name == "compare" and "the post itself no longer observed" in step.message


def test_a_post_still_gone_publishes_nothing_and_says_why(tmp_path: Path) -> None:
    notice = "Innholdet er fjernet"
    publish, result = _compare(
        tmp_path, _previous({"root": None, "replies": []}), {"root": None, "replies": []},
        {"missing": [{"count": None, "reason": f"post unavailable: {notice}"}]})
    assert not publish and result.unchanged
    assert result.steps[-1].message == ("the post is still not available (the page says: "
                                        f"{notice}); nothing published")


def test_replies_behind_load_more_are_not_read_and_publish_nothing(tmp_path: Path) -> None:
    # the page says 3 replies; this capture got one (the others behind "load more")
    publish, result = _compare(
        tmp_path, _previous({"root": ROOT, "replies": REPLIES}),
        {"root": ROOT, "replies": REPLIES[:1]},
        {"reported": {"comments": 3}, "captured_replies": 1,
         "missing": [{"count": 2, "reason": "budget: expansion stopped"}]},
        warnings=("2 'more' control(s) were still on the page",))
    assert not publish and result.unchanged
    assert result.steps[-1].details["not_read"] == 2
    assert result.steps[-1].details["no_longer_observed"] == 0


def test_a_complete_capture_still_reports_replies_no_longer_observed(tmp_path: Path) -> None:
    publish, result = _compare(
        tmp_path, _previous({"root": ROOT, "replies": REPLIES}),
        {"root": ROOT, "replies": REPLIES[:2]},
        {"reported": {"comments": 2}, "captured_replies": 2, "missing": []})
    assert publish
    assert [r["id"] for r in result.changes["no_longer_observed"]] == ["c3"]
    assert result.changes["not_read"] == []


def test_replies_a_partial_previous_capture_missed_are_marked(tmp_path: Path) -> None:
    early = reply("c0", "liv", "Tidlig svar", "2026-03-02T08:05:00Z")
    late = reply("c9", "anne", "Sent svar", "2026-03-02T11:00:00Z")
    publish, result = _compare(
        tmp_path, _previous({"root": ROOT, "replies": REPLIES}, status="partial"),
        {"root": ROOT, "replies": [early, *REPLIES, late]},
        {"reported": {"comments": 5}, "captured_replies": 5, "missing": []})
    assert publish
    assert [(r["id"], r.get("not_read_then", False))
            for r in result.changes["new_replies"]] == [("c0", True), ("c9", False)]
    assert any("previous capture was partial" in n for n in result.changes["notes"])


def test_a_previous_package_that_cannot_be_read_gives_a_version_claiming_nothing(
        tmp_path: Path) -> None:
    publish, result = _compare(
        tmp_path, _previous(None, unreadable="its package 2026… is not in the output folder"),
        {"root": ROOT, "replies": REPLIES}, {"reported": {}, "captured_replies": 3})
    assert publish and result.previous_capture == FIRST
    assert result.changes["not_compared"] == "its package 2026… is not in the output folder"
    assert result.changes["counts"]["new_replies"] == 0 and result.changes["version"] == 2
