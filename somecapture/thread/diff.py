"""What changed in a thread between two captures of it (issue 19: versions and a diff).

A pure comparison of two ``thread`` objects as ``capture-metadata.json`` holds them (a root
post and replies with ``id``, ``url``, ``author``, ``handle``, ``published_at``, ``text`` and
``media``): replies new since the earlier capture, replies whose text changed, replies the
earlier capture had that this one no longer shows, whether the root post's text changed, and
whether the root post is still there at all.

Replies are paired by what identifies them most surely, in this order:

1. the same permalink, and
2. the same id -- each only when no other reply of either capture has that permalink or id
   (a page that gives every reply the thread's address pairs nothing by it), never when the
   two name different authors, and never by an id a reader made up
   (:func:`~somecapture.thread.post.made_up_id`): a place on the page (``reply-3``, ``root``,
   ``json-ld:2``) names another reply as soon as one is added above it, and a content hash
   (``reader-…``) changes with an edit;
3. the same content hash (``reader-…``: the same author, shown time and text);
4. the same author and text;
5. the same author, text and media (a reply that is an image, a GIF or a sticker);
6. last, the same author and machine-readable publication time (a reply whose text changed),
   again only when that pair is the only one. A shown time ("2 t") pairs nothing: the same
   author's replies of the same hour would be taken for one another.

What is left over is new, or no longer observed. "No longer observed" is all a capture can
say: a reply not seen again may have been deleted, hidden by a moderator, moved, or put
behind a login; this module never calls it deleted. When this capture holds fewer replies
than the page says it has (a partial capture), a reply it lacks is "not read" instead, and
that alone is no change. The same holds for the root post: one the earlier capture had and
this one does not is "no longer observed" (a change), and the page's own notice that the post
is unavailable is kept with it.

Texts are compared after folding whitespace, so a platform that re-wraps a text does not
make it "edited".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from somecapture.messages import Msg, render
from somecapture.thread.post import CONTENT_ID_PREFIX, made_up_id

_SPACES = re.compile(r"\s+")

#: what the package says about replies not seen again (README: "no longer observed")
NO_LONGER_OBSERVED_NOTE = (
    "Replies no longer observed were in the previous capture but not in this one: they may "
    "have been deleted, hidden by a moderator, moved, or put behind a login. The previous "
    "package keeps them as they were.")
#: said when the post itself was not seen again
ROOT_NO_LONGER_OBSERVED_NOTE = (
    "The post itself was in the previous capture but not in this one: it may have been "
    "deleted, hidden, made private or put behind a login. The previous package keeps it as "
    "it was.")
#: said when this capture holds fewer replies than the page says it has
NOT_READ_NOTE = (
    "This capture holds fewer replies than the page says it has: replies of the previous "
    "capture it does not hold are listed as not read (capture partial), not as no longer "
    "observed, and publish no version by themselves.")
#: said when new replies are dated before the previous capture
NOT_READ_THEN_NOTE = (
    "New replies marked 'not read then' are dated before the previous capture, which did not "
    "hold them: it may have been partial, or the platform showed them later.")
#: said when the previous capture was partial
PREVIOUS_PARTIAL_NOTE = (
    "The previous capture was partial: a reply it could not read counts as new here although "
    "it may not be.")
#: said when this capture was partial (for a reason other than missing replies)
PARTIAL_NOTE = (
    "This capture was partial (see its warnings): a reply it could not read may count as no "
    "longer observed although it has not changed.")


def _text(value: Any) -> str:
    """A post's text with whitespace folded (the comparison's form)."""
    return _SPACES.sub(" ", str(value or "")).strip()


def _handle(post: dict[str, Any]) -> str:
    return str(post.get("handle") or "").strip().lstrip("@").lower()


def _name(post: dict[str, Any]) -> str:
    return _text(post.get("author")).lower()


def _who(post: dict[str, Any]) -> str:
    """Who wrote a post: the handle without ``@``, else the name, lower case."""
    return _handle(post) or _name(post)


def _same_author(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Nothing the two captures read says the posts are by different people: the same
    handle, else the same name, where both captures read it."""
    if _handle(a) and _handle(b):
        return _handle(a) == _handle(b)
    if _name(a) and _name(b):
        return _name(a) == _name(b)
    return True


def _url(post: dict[str, Any]) -> str | None:
    return str(post.get("url") or "").strip() or None


def _stable_id(post: dict[str, Any]) -> str | None:
    """The platform's own id; None for none, or one a reader made up."""
    value = post.get("id")
    if value is None or value == "":
        return None
    text = str(value)
    return None if made_up_id(text) else text


def _content_id(post: dict[str, Any]) -> str | None:
    """The generic reader's content hash (equal hashes: the same author, time and text)."""
    value = str(post.get("id") or "")
    return value if value.startswith(CONTENT_ID_PREFIX) else None


def _media(post: dict[str, Any]) -> tuple[str, ...]:
    """The post's media by their address's path (a CDN's host and signed query change from
    one capture to the next; the file does not)."""
    keys = []
    for item in post.get("media") or []:
        url = item.get("url") if isinstance(item, dict) else None
        if isinstance(url, str) and url.strip():
            try:
                keys.append(urlsplit(url.strip()).path or url.strip())
            except ValueError:
                keys.append(url.strip())
    return tuple(sorted(keys))


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _observed(post: Any) -> bool:
    """A root a capture saw: it has a text, an author or media."""
    return isinstance(post, dict) and bool(
        _text(post.get("text")) or _who(post) or _media(post))


def summary_of(post: dict[str, Any]) -> dict[str, Any]:
    """The fields of a reply a change names (as the metadata's ``changes`` lists it)."""
    return {
        "id": None if post.get("id") is None else str(post.get("id")),
        "url": post.get("url") or None,
        "author": post.get("author") or None,
        "handle": post.get("handle") or None,
        "published_at": post.get("published_at") or None,
        "text": post.get("text") if isinstance(post.get("text"), str) else None,
    }


@dataclass(frozen=True)
class EditedReply:
    """A reply found in both captures whose text is not the same."""

    before: dict[str, Any]
    after: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The metadata's form: the reply as it is now, and its earlier text."""
        out = summary_of(self.after)
        out["text_before"] = self.before.get("text") if isinstance(
            self.before.get("text"), str) else None
        if self.before.get("id") != self.after.get("id"):
            out["previous_id"] = None if self.before.get("id") is None else str(
                self.before.get("id"))
        return out


@dataclass(frozen=True)
class ThreadChanges:
    """What changed between an earlier capture's thread and a later one's."""

    new_replies: tuple[dict[str, Any], ...] = ()
    edited_replies: tuple[EditedReply, ...] = ()
    no_longer_observed: tuple[dict[str, Any], ...] = ()
    #: replies of the earlier capture this partial capture does not hold: not read, no change
    not_read: tuple[dict[str, Any], ...] = ()
    #: positions in ``new_replies`` of replies dated before the earlier capture
    not_read_then: frozenset[int] = frozenset()
    root_edited: bool = False
    root_text_before: str | None = None
    root_text_after: str | None = None
    #: the earlier capture saw the post itself, this one does not
    root_no_longer_observed: bool = False
    #: the page's own notice that the post is not available, when it shows one
    post_unavailable: str | None = None
    #: replies in each capture, for the record
    replies_before: int = 0
    replies_after: int = 0
    #: notes on how far the comparison can be trusted (partial captures)
    notes: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """True when anything differs (a new version is due). Replies not read by a partial
        capture are no change."""
        return bool(self.new_replies or self.edited_replies or self.no_longer_observed
                    or self.root_edited or self.root_no_longer_observed)

    def counts(self) -> dict[str, int]:
        """How many of each kind of change."""
        return {"new_replies": len(self.new_replies),
                "edited_replies": len(self.edited_replies),
                "no_longer_observed": len(self.no_longer_observed),
                "not_read": len(self.not_read),
                "root_edited": int(self.root_edited),
                "root_no_longer_observed": int(self.root_no_longer_observed)}

    def to_json(self) -> dict[str, Any]:
        """The lists and counts of the metadata's ``changes`` section (the caller adds which
        capture it compares with)."""
        new = []
        for index, post in enumerate(self.new_replies):
            item = summary_of(post)
            if index in self.not_read_then:
                item["not_read_then"] = True
            new.append(item)
        out: dict[str, Any] = {
            "counts": {k: v for k, v in self.counts().items() if not k.startswith("root_")},
            "root_edited": self.root_edited,
            "root_no_longer_observed": self.root_no_longer_observed,
            "new_replies": new,
            "edited_replies": [e.to_json() for e in self.edited_replies],
            "no_longer_observed": [summary_of(p) for p in self.no_longer_observed],
            "not_read": [summary_of(p) for p in self.not_read],
            "replies_before": self.replies_before,
            "replies_after": self.replies_after,
            "notes": list(self.notes),
        }
        if self.root_edited:
            out["root_text_before"] = self.root_text_before
            out["root_text"] = self.root_text_after
        if self.post_unavailable:
            out["post_unavailable"] = self.post_unavailable
        return out


#: said when the previous capture's thread could not be read (its package moved or gone)
NOT_COMPARED_NOTE = (
    "Not compared: the previous capture's package could not be read, so this version lists "
    "no changes; the thread is captured whole as always.")


def not_compared(reason: str) -> dict[str, Any]:
    """The ``changes`` section of a version that could not be compared with the previous
    capture (``reason``: why its package could not be read): no change is claimed."""
    return {**ThreadChanges(notes=(NOT_COMPARED_NOTE,)).to_json(), "not_compared": reason}


def _short(value: Any, limit: int = 160) -> str:
    text = _text(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _byline(post: dict[str, Any], lang: str = "nb") -> str:
    name = _text(post.get("author"))
    handle = _text(post.get("handle"))
    if name and handle:
        return f"{name} ({handle})"
    return name or handle or _doc("change.unknown_person", lang)


def _doc(code: str, lang: str, **params: Any) -> str:
    """A text of the message catalogue in the målform ``lang`` (a document's words)."""
    return render(Msg(code, **params), lang, "doc")


#: the notes a ``changes`` section stores (in English, as data) and their catalogue codes
NOTE_CODES = {
    NO_LONGER_OBSERVED_NOTE: "change.note.no_longer_observed",
    ROOT_NO_LONGER_OBSERVED_NOTE: "change.note.root_no_longer_observed",
    NOT_READ_NOTE: "change.note.not_read",
    NOT_READ_THEN_NOTE: "change.note.not_read_then",
    PREVIOUS_PARTIAL_NOTE: "change.note.previous_partial",
    PARTIAL_NOTE: "change.note.partial",
    NOT_COMPARED_NOTE: "change.note.not_compared",
}


def change_summary_msg(changes: dict[str, Any]) -> Msg:
    """The :func:`change_summary` as a message, for a shell to show in its own language."""
    if changes.get("not_compared"):
        return Msg("change.not_compared")
    counts = changes.get("counts") or {}
    parts = [Msg("change.new_replies", count=int(counts.get("new_replies") or 0)),
             Msg("change.edited_replies", count=int(counts.get("edited_replies") or 0)),
             Msg("change.no_longer_observed", count=int(counts.get("no_longer_observed") or 0))]
    if counts.get("not_read"):
        parts.append(Msg("change.not_read", count=int(counts["not_read"])))
    if changes.get("root_edited"):
        parts.append(Msg("change.root_edited"))
    if changes.get("root_no_longer_observed"):
        parts.append(Msg("change.root_no_longer_observed"))
    return Msg("change.summary", parts=parts)


def change_summary(changes: dict[str, Any], lang: str = "nb") -> str:
    """One line in the målform ``lang`` (bokmål unless told): how many replies are new,
    edited, no longer observed (and not read), and what happened to the post itself."""
    if changes.get("not_compared"):
        return _doc("change.not_compared", lang)
    counts = changes.get("counts") or {}
    parts = [_doc("change.new_replies", lang, count=int(counts.get("new_replies") or 0)),
             _doc("change.edited_replies", lang, count=int(counts.get("edited_replies") or 0)),
             _doc("change.no_longer_observed", lang,
                  count=int(counts.get("no_longer_observed") or 0))]
    if counts.get("not_read"):
        parts.append(_doc("change.not_read", lang, count=int(counts["not_read"])))
    if changes.get("root_edited"):
        parts.append(_doc("change.root_edited", lang))
    if changes.get("root_no_longer_observed"):
        parts.append(_doc("change.root_no_longer_observed", lang))
    return ", ".join(parts)


def previous_version(changes: dict[str, Any]) -> int | None:
    """The version number of the capture a version was compared with (versions are numbered
    1, 2, … in the order they were published), None when the version is not known."""
    try:
        version = int(changes.get("version") or 0)
    except (TypeError, ValueError):
        return None
    return version - 1 if version >= 2 else None


def version_head(changes: dict[str, Any], lang: str = "nb") -> str:
    """Which version of the thread this is and which one it was compared with, in the
    målform ``lang``: "Versjon 2 av tråden; sammenlignet med versjon 1, arkivering …"."""
    previous = str(changes.get("previous_capture"))
    earlier = previous_version(changes)
    not_compared = "yes" if changes.get("not_compared") else "no"
    if earlier:
        return _doc("change.version_head", lang, version=str(earlier + 1),
                    earlier=str(earlier), previous=previous, not_compared=not_compared)
    return _doc("change.version_head_unknown", lang, previous=previous,
                not_compared=not_compared)


def change_lines(changes: dict[str, Any], lang: str = "nb") -> list[str]:
    """The metadata's ``changes`` section for people, one line each, in the målform
    ``lang`` (the PDF's capture sheet)."""
    out = [_doc("change.head_line", lang, head=version_head(changes, lang),
                summary=change_summary(changes, lang))]
    if changes.get("not_compared"):
        # the reason is a catalogue message while the capture is being packaged (said in the
        # målform); read back from the metadata it is the English text
        out.append(_doc("change.unreadable", lang,
                        reason=_short(render(changes["not_compared"], lang, "doc"))))
    if changes.get("root_no_longer_observed"):
        notice = changes.get("post_unavailable")
        out.append(_doc("change.post_gone", lang,
                        notice=_short(notice) if notice else "none"))
    if changes.get("root_edited"):
        out.append(_doc("change.post_edited", lang,
                        before=_short(changes.get("root_text_before")),
                        after=_short(changes.get("root_text"))))
    for post in changes.get("new_replies") or []:
        out.append(_doc("change.new_reply", lang, byline=_byline(post, lang),
                        text=_short(post.get("text")),
                        not_read_then="yes" if post.get("not_read_then") else "no"))
    for post in changes.get("edited_replies") or []:
        out.append(_doc("change.edited_reply", lang, byline=_byline(post, lang),
                        before=_short(post.get("text_before")), after=_short(post.get("text"))))
    for post in changes.get("no_longer_observed") or []:
        out.append(_doc("change.gone_reply", lang, byline=_byline(post, lang),
                        text=_short(post.get("text"))))
    for post in changes.get("not_read") or []:
        out.append(_doc("change.unread_reply", lang, byline=_byline(post, lang),
                        text=_short(post.get("text"))))
    for note in changes.get("notes") or []:
        text = str(note)
        out.append(_doc(NOTE_CODES[text], lang) if text in NOTE_CODES else text)
    return out


def _replies(thread: dict[str, Any] | None) -> list[dict[str, Any]]:
    replies = (thread or {}).get("replies") or []
    return [r for r in replies if isinstance(r, dict)]


_Key = Callable[[dict[str, Any]], Any]


class _Pairing:
    """Pairs the replies of two captures, strongest evidence first."""

    def __init__(self, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
        self.before = before
        self.after = after
        self.left = set(range(len(before)))
        self.right = set(range(len(after)))
        self.pairs: list[tuple[int, int]] = []

    def by(self, key: _Key, *, unique: bool = False,
           agree: Callable[[dict[str, Any], dict[str, Any]], bool] | None = None) -> None:
        """Pair the unpaired replies whose ``key(post)`` is the same non-empty value, one to
        one in page order. ``unique``: only a value exactly one reply of each capture has
        (among all replies, paired or not). ``agree``: a pair it rejects is not made."""
        if unique:
            once_before = _once([key(p) for p in self.before])
            once_after = _once([key(p) for p in self.after])
        waiting: dict[Any, list[int]] = {}
        for i in sorted(self.left):
            value = key(self.before[i])
            if value and (not unique or value in once_before):
                waiting.setdefault(value, []).append(i)
        for j in sorted(self.right):
            value = key(self.after[j])
            if not value or not waiting.get(value) or (unique and value not in once_after):
                continue
            i = waiting[value][0]
            if agree is not None and not agree(self.before[i], self.after[j]):
                continue
            waiting[value].pop(0)
            self.left.discard(i)
            self.right.discard(j)
            self.pairs.append((i, j))


def _once(values: list[Any]) -> set[Any]:
    seen: dict[Any, int] = {}
    for value in values:
        if value:
            seen[value] = seen.get(value, 0) + 1
    return {v for v, n in seen.items() if n == 1}


def diff_threads(before: dict[str, Any] | None, after: dict[str, Any] | None, *,
                 partial: bool = False, incomplete: bool = False,
                 previous_partial: bool = False, previous_captured_at: str | None = None,
                 post_unavailable: str | None = None) -> ThreadChanges:
    """Compare an earlier capture's thread with a later one's.

    ``partial``: the later capture was partial (said in ``notes``). ``incomplete``: it holds
    fewer replies than the page says it has, so a reply it lacks is "not read", not "no
    longer observed". ``previous_partial``: the earlier capture was partial.
    ``previous_captured_at``: when the earlier capture was made (new replies dated before it
    are marked "not read then"). ``post_unavailable``: the page's notice that the post is not
    available (the later capture has no post).
    """
    old, new = _replies(before), _replies(after)
    pairing = _Pairing(old, new)
    pairing.by(_url, unique=True, agree=_same_author)
    pairing.by(_stable_id, unique=True, agree=_same_author)
    pairing.by(_content_id)
    pairing.by(lambda p: (_who(p), _text(p.get("text"))) if _text(p.get("text")) else None)
    pairing.by(lambda p: (_who(p), _text(p.get("text")), _media(p)) if _media(p) else None)
    pairing.by(lambda p: (_who(p), p.get("published_at"))
               if _who(p) and _moment(p.get("published_at")) else None, unique=True)
    edited = tuple(EditedReply(old[i], new[j])
                   for i, j in sorted(pairing.pairs, key=lambda pair: pair[1])
                   if _text(old[i].get("text")) != _text(new[j].get("text")))
    root_before = (before or {}).get("root")
    root_after = (after or {}).get("root")
    text_before = root_before.get("text") if isinstance(root_before, dict) else None
    text_after = root_after.get("text") if isinstance(root_after, dict) else None
    # a root one capture could not read is no edit: nothing is known about its text
    root_edited = (isinstance(text_before, str) and isinstance(text_after, str)
                   and bool(_text(text_before)) and bool(_text(text_after))
                   and _text(text_before) != _text(text_after))
    root_gone = _observed(root_before) and not _observed(root_after)
    missing = tuple(old[i] for i in sorted(pairing.left))
    # a partial capture's missing replies were not read; a post that is gone took its
    # replies with it
    not_read = missing if incomplete and not post_unavailable else ()
    gone = () if not_read else missing
    added = tuple(new[j] for j in sorted(pairing.right))
    earlier = _moment(previous_captured_at)
    dated_before = frozenset(
        index for index, post in enumerate(added)
        if earlier is not None and (when := _moment(post.get("published_at"))) is not None
        and when < earlier)
    notes: list[str] = []
    if root_gone:
        notes.append(ROOT_NO_LONGER_OBSERVED_NOTE)
    if gone:
        notes.append(NO_LONGER_OBSERVED_NOTE)
    if not_read:
        notes.append(NOT_READ_NOTE)
    if dated_before:
        notes.append(NOT_READ_THEN_NOTE)
    if previous_partial:
        notes.append(PREVIOUS_PARTIAL_NOTE)
    if partial and not not_read:
        notes.append(PARTIAL_NOTE)
    return ThreadChanges(
        new_replies=added,
        edited_replies=edited,
        no_longer_observed=gone,
        not_read=not_read,
        not_read_then=dated_before,
        root_edited=root_edited,
        root_text_before=text_before if root_edited else None,
        root_text_after=text_after if root_edited else None,
        root_no_longer_observed=root_gone,
        post_unavailable=post_unavailable if root_gone else None,
        replies_before=len(old),
        replies_after=len(new),
        notes=tuple(notes),
    )
