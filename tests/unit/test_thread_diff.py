"""What changed in a thread between two captures: new, edited, no longer observed, root."""

from __future__ import annotations

from typing import Any

from somecapture.thread.diff import (
    NO_LONGER_OBSERVED_NOTE,
    NOT_READ_NOTE,
    NOT_READ_THEN_NOTE,
    PARTIAL_NOTE,
    PREVIOUS_PARTIAL_NOTE,
    ROOT_NO_LONGER_OBSERVED_NOTE,
    change_lines,
    diff_threads,
    not_compared,
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
                                "no_longer_observed": 0, "not_read": 0, "root_edited": 0,
                                "root_no_longer_observed": 0}


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
    assert data["counts"] == {"new_replies": 1, "edited_replies": 1, "no_longer_observed": 1,
                              "not_read": 0}
    assert data["edited_replies"][0]["text_before"] == "Hva med varelevering?"
    assert data["edited_replies"][0]["text"] == "Hva med varelevering? Den må gå."
    assert data["no_longer_observed"][0]["text"] == "Dårlig idé."
    # never "deleted": the package says what "no longer observed" can mean
    assert data["notes"] == [NO_LONGER_OBSERVED_NOTE]
    lines = change_lines({**data, "previous_capture": "x"})
    assert "Ikke lenger observert: Per (@per): «Dårlig idé.»" in lines
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


def test_a_root_whose_text_one_capture_could_not_read_is_not_an_edit() -> None:
    # the post is there (its author was read), its text was not: nothing is known of it
    changes = diff_threads(BEFORE, {"root": {"id": "1", "author": "Bydel Vestvik",
                                             "text": None},
                                    "replies": BEFORE["replies"]})
    assert not changes.changed
    assert not changes.root_edited and not changes.root_no_longer_observed


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


def test_change_lines_name_each_change_for_the_pdf() -> None:
    after = {"root": ROOT, "replies": [
        reply("c1", "kari", "Endelig!", "2026-03-02T08:10:00Z"),
        reply("c2", "ola", "Ny tekst", "2026-03-02T08:20:00Z"),
        reply("c3", "per", "Dårlig idé.", "2026-03-02T08:30:00Z"),
        reply("c4", "anne", "Og syklene?", "2026-03-02T09:00:00Z")]}
    data = {**diff_threads(BEFORE, after).to_json(), "previous_capture": "abc", "version": 2}
    lines = change_lines(data)
    assert lines[0].startswith(
        "Versjon 2 av tråden; sammenlignet med versjon 1, arkivering abc: 1 nytt svar, "
        "1 endret svar, 0 svar ikke lenger")
    assert "Nytt svar: Anne (@anne): «Og syklene?»" in lines
    assert "Endret svar: Ola (@ola): «Hva med varelevering?» → «Ny tekst»" in lines
    # the agency's målform: nynorsk
    nn = change_lines(data, "nn")
    assert nn[0].startswith("Versjon 2 av tråden; samanlikna med versjon 1, arkivering abc: "
                            "1 nytt svar, 1 endra svar, 0 svar ikkje lenger observerte")
    assert "Endra svar: Ola (@ola): «Hva med varelevering?» → «Ny tekst»" in nn


# -- ids a reader made up, and pairs that cannot be the same reply ----------------------------
def placed(n: int, handle: str, text: str, **extra: Any) -> dict[str, Any]:
    """A reply as a site adapter reads it from a page that gives no ids: named by its place."""
    return {"id": f"reply-{n}", "author": handle.title(), "handle": f"@{handle}",
            "text": text, "published_at": None, "media": [], **extra}


def test_a_reply_added_at_the_top_of_a_page_without_ids_is_one_new_reply() -> None:
    # TikTok, generic pages: "reply-1" is whatever reply comes first on the page
    before = {"root": ROOT, "replies": [placed(1, "kari", "Endelig!"),
                                        placed(2, "ola", "Hva med varelevering?")]}
    after = {"root": ROOT, "replies": [placed(1, "anne", "Og syklene?"),
                                       placed(2, "kari", "Endelig!"),
                                       placed(3, "ola", "Hva med varelevering?")]}
    changes = diff_threads(before, after)
    assert changes.counts() == {"new_replies": 1, "edited_replies": 0,
                                "no_longer_observed": 0, "not_read": 0, "root_edited": 0,
                                "root_no_longer_observed": 0}
    assert [r["handle"] for r in changes.new_replies] == ["@anne"]


def test_the_markup_readers_place_ids_are_no_ids_either() -> None:
    before = {"replies": [reply("json-ld:1", "kari", "Endelig!", "")]}
    after = {"replies": [reply("json-ld:1", "anne", "Og syklene?", ""),
                         reply("json-ld:2", "kari", "Endelig!", "")]}
    changes = diff_threads(before, after)
    assert [r["handle"] for r in changes.new_replies] == ["@anne"]
    assert changes.edited_replies == ()


def test_an_address_every_reply_shares_pairs_nothing() -> None:
    # a page that gives each reply the thread's own address
    page = "https://forum.example/t/1"
    before = {"replies": [placed(1, "kari", "Endelig!", url=page),
                          placed(2, "ola", "Hva med varelevering?", url=page)]}
    after = {"replies": [placed(1, "anne", "Og syklene?", url=page),
                         placed(2, "kari", "Endelig!", url=page),
                         placed(3, "ola", "Hva med varelevering?", url=page)]}
    changes = diff_threads(before, after)
    assert [r["handle"] for r in changes.new_replies] == ["@anne"]
    assert changes.edited_replies == () and changes.no_longer_observed == ()


def test_the_same_id_or_address_by_another_author_is_not_the_same_reply() -> None:
    before = {"replies": [reply("c7", "kari", "Endelig!", "2026-03-02T08:10:00Z",
                                url="https://f.example/t/1#c7")]}
    after = {"replies": [reply("c7", "per", "Noe helt annet", "2026-03-02T09:10:00Z",
                               url="https://f.example/t/1#c7")]}
    changes = diff_threads(before, after)
    assert changes.edited_replies == ()
    assert [r["handle"] for r in changes.new_replies] == ["@per"]
    assert [r["handle"] for r in changes.no_longer_observed] == ["@kari"]


# -- replies without text ----------------------------------------------------------------------
def picture(rid: str, handle: str, image: str, shown: str) -> dict[str, Any]:
    """A reply that is only an image, GIF or sticker, with a shown time only ("2 t")."""
    return {"id": rid, "author": handle.title(), "handle": f"@{handle}", "text": None,
            "published_at": None, "published_text": shown,
            "media": [{"type": "image", "url": image, "alt": None}]}


def test_an_unchanged_thread_with_picture_replies_is_unchanged() -> None:
    # no text, no time of any kind: the reader's content hash is all that names it
    sticker = {**picture("reader-1a2b", "kari", "https://cdn.example/p/gif-1.gif", ""),
               "published_text": None}
    thread = {"root": ROOT, "replies": [
        sticker, {**sticker, "id": "reader-3c4d", "media": []},
        reply("c2", "ola", "Hva med varelevering?", "2026-03-02T08:20:00Z")]}
    assert not diff_threads(thread, thread).changed


def test_a_picture_reply_whose_shown_time_moved_on_is_the_same_reply() -> None:
    # the reader's hash covers the shown time: "2 t" became "3 t", the id with it; the
    # image's address on the platform's CDN changed host and signature, not its file
    before = {"replies": [picture("reader-1a2b", "kari",
                                  "https://cdn-1.example/p/gif-1.gif?sig=aaa", "2 t")]}
    after = {"replies": [picture("reader-9f8e", "kari",
                                 "https://cdn-7.example/p/gif-1.gif?sig=bbb", "3 t")]}
    assert not diff_threads(before, after).changed
    other = {"replies": [picture("reader-7777", "kari", "https://cdn-1.example/p/gif-2.gif",
                                 "3 t")]}
    changes = diff_threads(before, other)
    assert len(changes.new_replies) == len(changes.no_longer_observed) == 1


def test_shown_times_do_not_pair_different_replies_of_one_author() -> None:
    before = {"replies": [{"id": "reader-aaa", "author": "Kari", "handle": "@kari",
                           "text": "Første innlegg", "published_at": None,
                           "published_text": "2 t"}]}
    after = {"replies": [{"id": "reader-bbb", "author": "Kari", "handle": "@kari",
                          "text": "Et helt annet svar", "published_at": None,
                          "published_text": "2 t"}]}
    changes = diff_threads(before, after)
    assert changes.edited_replies == ()
    assert [r["text"] for r in changes.new_replies] == ["Et helt annet svar"]
    assert [r["text"] for r in changes.no_longer_observed] == ["Første innlegg"]


# -- the post itself gone ----------------------------------------------------------------------
def test_a_post_no_longer_observed_is_a_change_never_called_deleted() -> None:
    changes = diff_threads({"root": ROOT, "replies": []}, {"root": None, "replies": []},
                           post_unavailable="Dette innholdet er ikke tilgjengelig")
    assert changes.changed and changes.root_no_longer_observed
    data = changes.to_json()
    assert data["root_no_longer_observed"] is True
    assert data["post_unavailable"] == "Dette innholdet er ikke tilgjengelig"
    assert ROOT_NO_LONGER_OBSERVED_NOTE in data["notes"]
    lines = change_lines({**data, "previous_capture": "x"})
    assert lines[0].endswith("selve innlegget ikke lenger observert.")
    assert ("Innlegget er ikke lenger observert; siden sier: «Dette innholdet er ikke "
            "tilgjengelig»") in lines
    assert not [line for line in lines if "slettet (" in line.lower() or "deleted)" in line]


def test_a_post_gone_with_its_replies() -> None:
    changes = diff_threads(BEFORE, {"root": None, "replies": []}, incomplete=True,
                           post_unavailable="Innholdet er fjernet")
    # a post that is gone took its replies: they are no longer observed, not "not read"
    assert [r["id"] for r in changes.no_longer_observed] == ["c1", "c2", "c3"]
    assert changes.not_read == ()


def test_a_post_not_seen_before_is_no_change_when_not_seen_again() -> None:
    assert not diff_threads({"root": None, "replies": []}, {"root": None, "replies": []},
                            post_unavailable="Innholdet er fjernet").changed


# -- partial captures ----------------------------------------------------------------------------
def test_replies_a_partial_capture_did_not_read_are_not_no_longer_observed() -> None:
    # the page says it has more replies than were captured: those behind "load more"
    after = {"root": ROOT, "replies": BEFORE["replies"][:1]}
    changes = diff_threads(BEFORE, after, partial=True, incomplete=True)
    assert not changes.changed  # they alone publish no version
    assert changes.no_longer_observed == ()
    assert [r["id"] for r in changes.not_read] == ["c2", "c3"]
    data = changes.to_json()
    assert data["counts"]["not_read"] == 2 and data["notes"] == [NOT_READ_NOTE]
    # with a real change, they are listed as not read
    after["replies"] = [*after["replies"], reply("c9", "anne", "Ny", "2026-03-02T10:00:00Z")]
    changes = diff_threads(BEFORE, after, incomplete=True)
    assert changes.changed and [r["id"] for r in changes.new_replies] == ["c9"]
    lines = change_lines({**changes.to_json(), "previous_capture": "x"})
    assert "Ikke lest, delvis arkivering: Per (@per): «Dårlig idé.»" in lines
    assert "2 svar ikke lest (delvis arkivering)" in lines[0]


def test_new_replies_dated_before_the_previous_capture_were_not_read_then() -> None:
    after = {"root": ROOT, "replies": [
        *BEFORE["replies"],
        reply("c0", "liv", "Tidlig svar", "2026-03-02T08:05:00Z"),
        reply("c9", "anne", "Sent svar", "2026-03-02T11:00:00Z")]}
    changes = diff_threads(BEFORE, after, previous_partial=True,
                           previous_captured_at="2026-03-02T09:00:00Z")
    data = changes.to_json()
    assert [(r["id"], r.get("not_read_then", False)) for r in data["new_replies"]] == [
        ("c0", True), ("c9", False)]
    assert data["notes"] == [NOT_READ_THEN_NOTE, PREVIOUS_PARTIAL_NOTE]
    lines = change_lines({**data, "previous_capture": "x"})
    assert "Nytt svar, ikke lest da: Liv (@liv): «Tidlig svar»" in lines
    assert "Nytt svar: Anne (@anne): «Sent svar»" in lines


def test_the_notes_are_in_the_maalform_on_the_pdf() -> None:
    data = {**diff_threads(BEFORE, {"root": ROOT, "replies": []}).to_json(),
            "previous_capture": "x"}
    # the metadata keeps the note in English (data); the PDF says it in the målform
    assert data["notes"] == [NO_LONGER_OBSERVED_NOTE]
    (note,) = [line for line in change_lines(data) if line.startswith("Svar som")]
    assert note.startswith("Svar som ikke lenger er observert, var med i forrige arkivering, "
                           "men ikke i denne")
    (nn,) = [line for line in change_lines(data, "nn") if line.startswith("Svar som")]
    assert nn.startswith("Svar som ikkje lenger er observerte, var med i førre arkivering, "
                         "men ikkje i denne")
    assert not [line for line in change_lines(data) if NO_LONGER_OBSERVED_NOTE in line]


def test_a_version_that_could_not_be_compared_claims_no_change() -> None:
    data = {**not_compared("/arkiv/v1 does not exist"), "previous_capture": "x"}
    assert data["counts"] == {"new_replies": 0, "edited_replies": 0, "no_longer_observed": 0,
                              "not_read": 0}
    assert data["new_replies"] == data["no_longer_observed"] == []
    lines = change_lines(data)
    assert lines[0] == ("Forrige arkivering, x: ikke sammenlignet (forrige arkivpakke kunne "
                        "ikke leses).")
    assert "Forrige arkivpakke kunne ikke leses: /arkiv/v1 does not exist" in lines


def test_change_lines_without_a_version_number_name_the_previous_capture() -> None:
    data = {**diff_threads(BEFORE, BEFORE).to_json(), "previous_capture": "abc"}
    assert change_lines(data)[0].startswith("Sammenlignet med forrige arkivering, abc: ")
    not_compared = {**data, "version": 3, "not_compared": "gone"}
    assert change_lines(not_compared)[0].startswith(
        "Versjon 3 av tråden; forrige: versjon 2, arkivering abc: ikke sammenlignet")
    assert change_lines(not_compared, "nn")[0].startswith(
        "Versjon 3 av tråden; førre: versjon 2, arkivering abc: ikkje samanlikna")
