"""What changed in a thread between two captures: new, edited, no longer observed, root."""

from __future__ import annotations

from typing import Any

from somecapture.thread.diff import (
    NO_LONGER_OBSERVED_NOTE,
    PARTIAL_NOTE,
    change_lines,
    diff_threads,
    thread_snapshot,
)


def reply(rid: str, handle: str, text: str, when: str, **extra: Any) -> dict[str, Any]:
    return {"id": rid, "author": handle.title(), "handle": f"@{handle}", "text": text,
            "published_at": when, "parent_id": "1", "media": [], **extra}


ROOT = {"id": "1", "author": "Bydel Vestvik", "handle": "@vestvik", "text": "Storgata stenges."}
BEFORE = {"root": ROOT, "replies": [
    reply("c1", "kari", "Endelig!", "2026-03-02T08:10:00Z"),
    reply("c2", "ola", "Hva med varelevering?", "2026-03-02T08:20:00Z"),
    reply("c3", "per", "Dårlig idé.", "2026-03-02T08:30:00Z"),
]}


def test_the_same_thread_has_no_changes() -> None:
    changes = diff_threads(BEFORE, {"root": dict(ROOT), "replies": list(BEFORE["replies"])})
    assert not changes.changed
    assert changes.counts() == {"new_replies": 0, "edited_replies": 0,
                                "no_longer_observed": 0, "root_edited": 0}


def test_new_edited_and_no_longer_observed_replies() -> None:
    after = {"root": ROOT, "replies": [
        reply("c1", "kari", "Endelig!", "2026-03-02T08:10:00Z"),
        reply("c2", "ola", "Hva med varelevering? Den må gå.", "2026-03-02T08:20:00Z"),
        reply("c4", "anne", "Og syklene?", "2026-03-02T09:00:00Z"),
    ]}
    changes = diff_threads(BEFORE, after)
    assert changes.changed
    assert [r["id"] for r in changes.new_replies] == ["c4"]
    assert [(e.before["text"], e.after["text"]) for e in changes.edited_replies] == [
        ("Hva med varelevering?", "Hva med varelevering? Den må gå.")]
    assert [r["id"] for r in changes.no_longer_observed] == ["c3"]
    assert not changes.root_edited
    data = changes.to_json()
    assert data["counts"] == {"new_replies": 1, "edited_replies": 1, "no_longer_observed": 1}
    assert data["edited_replies"][0]["text_before"] == "Hva med varelevering?"
    assert data["edited_replies"][0]["text"] == "Hva med varelevering? Den må gå."
    assert data["no_longer_observed"][0]["text"] == "Dårlig idé."
    # never "deleted": the package says what "no longer observed" can mean
    assert data["notes"] == [NO_LONGER_OBSERVED_NOTE]
    lines = change_lines({**data, "previous_capture": "x"})
    assert "Ikke lenger observert (no longer observed): Per (@per): «Dårlig idé.»" in lines
    assert not [line for line in lines if line.lower().startswith(("slettet", "deleted"))]


def test_ids_the_reader_made_from_the_content_pair_by_author_and_time() -> None:
    # the generic reader names a reply without an id by a hash of its content, so an edit
    # gives it a new id: it is still the same reply (same author, same time)
    before = {"root": ROOT, "replies": [
        reply("reader-aaa", "kari", "Først", "2026-03-02T08:10:00Z"),
        reply("reader-bbb", "ola", "Andre", "2026-03-02T08:20:00Z")]}
    after = {"root": ROOT, "replies": [
        reply("reader-aaa", "kari", "Først", "2026-03-02T08:10:00Z"),
        reply("reader-ccc", "ola", "Andre, rettet", "2026-03-02T08:20:00Z")]}
    changes = diff_threads(before, after)
    assert changes.new_replies == () and changes.no_longer_observed == ()
    (edit,) = changes.edited_replies
    assert edit.to_json()["previous_id"] == "reader-bbb"
    assert edit.to_json()["id"] == "reader-ccc"


def test_permalinks_pair_replies_whose_ids_differ() -> None:
    before = {"replies": [reply("x1", "kari", "Hei", "", url="https://f.example/t/1#c1")]}
    after = {"replies": [reply("other", "kari", "Hei", "", url="https://f.example/t/1#c1")]}
    assert not diff_threads(before, after).changed


def test_whitespace_is_no_edit_and_a_root_edit_is_one() -> None:
    after = {"root": {**ROOT, "text": "Storgata stenges fra mandag."},
             "replies": [{**r, "text": "  " + r["text"].replace(" ", "\n ") + " "}
                         for r in BEFORE["replies"]]}
    changes = diff_threads(BEFORE, after)
    assert changes.edited_replies == ()
    assert changes.root_edited
    assert changes.root_text_before == "Storgata stenges."
    assert changes.to_json()["root_text"] == "Storgata stenges fra mandag."


def test_a_root_one_capture_could_not_read_is_not_an_edit() -> None:
    changes = diff_threads(BEFORE, {"root": {"id": "1", "text": None},
                                    "replies": BEFORE["replies"]})
    assert not changes.changed


def test_a_partial_capture_is_said_and_every_reply_gone_is_listed() -> None:
    changes = diff_threads(BEFORE, {"root": ROOT, "replies": []}, partial=True)
    assert len(changes.no_longer_observed) == 3
    assert PARTIAL_NOTE in changes.notes


def test_same_author_same_text_twice_pairs_one_to_one() -> None:
    before = {"replies": [reply("a", "kari", "+1", "2026-03-02T08:10:00Z")]}
    after = {"replies": [reply("a", "kari", "+1", "2026-03-02T08:10:00Z"),
                         reply("b", "kari", "+1", "2026-03-02T08:50:00Z")]}
    changes = diff_threads(before, after)
    assert [r["id"] for r in changes.new_replies] == ["b"]


def test_the_snapshot_diffs_like_the_thread() -> None:
    after = {"root": ROOT, "replies": BEFORE["replies"][:2]}
    assert [r["id"] for r in diff_threads(thread_snapshot(BEFORE),
                                          after).no_longer_observed] == ["c3"]


def test_change_lines_name_each_change_for_the_pdf() -> None:
    after = {"root": ROOT, "replies": [
        reply("c1", "kari", "Endelig!", "2026-03-02T08:10:00Z"),
        reply("c2", "ola", "Ny tekst", "2026-03-02T08:20:00Z"),
        reply("c3", "per", "Dårlig idé.", "2026-03-02T08:30:00Z"),
        reply("c4", "anne", "Og syklene?", "2026-03-02T09:00:00Z")]}
    data = {**diff_threads(BEFORE, after).to_json(), "previous_capture": "abc", "version": 2}
    lines = change_lines(data)
    assert lines[0].startswith("Sammenlignet med fangst (compared with capture) abc, versjon "
                               "(version) 2: 1 nytt svar, 1 endret svar, 0 svar ikke lenger")
    assert "Nytt svar (new reply): Anne (@anne): «Og syklene?»" in lines
    assert "Endret svar (edited reply): Ola (@ola): «Hva med varelevering?» → «Ny tekst»" \
        in lines
