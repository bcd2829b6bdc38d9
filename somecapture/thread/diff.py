"""What changed in a thread between two captures of it (issue 19: versions and a diff).

A pure comparison of two ``thread`` objects as ``capture-metadata.json`` holds them (a root
post and replies with ``id``, ``url``, ``author``, ``handle``, ``published_at`` and
``text``): replies new since the earlier capture, replies whose text changed, replies the
earlier capture had that this one no longer shows, and whether the root post's text changed.

Replies are paired by what identifies them most surely, in this order: the same permalink;
the same id, unless the id was made by the generic reader from the reply's own content
(``reader-…``: an edit gives it a new id); the same author and text; and last the same
author and publication time (a reply whose text changed). What is left over is new, or no
longer observed. "No longer observed" is all a capture can say: a reply not seen again may
have been deleted, hidden by a moderator, moved, or put behind a login; this module never
calls it deleted.

Texts are compared after folding whitespace, so a platform that re-wraps a text does not
make it "edited".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

#: ids the generic page reader derives from a reply's content when the page gives none
_CONTENT_IDS = re.compile(r"^reader-")
_SPACES = re.compile(r"\s+")

#: what the package says about replies not seen again (README: "no longer observed")
NO_LONGER_OBSERVED_NOTE = (
    "Replies no longer observed were in the previous capture but not in this one: they may "
    "have been deleted, hidden by a moderator, moved, or put behind a login. The previous "
    "package keeps them as they were.")
#: said when either capture was partial: a missing reply may only not have been read
PARTIAL_NOTE = (
    "One of the two captures was partial: replies it could not read count as new or as no "
    "longer observed although they may not have changed.")


def _text(value: Any) -> str:
    """A post's text with whitespace folded (the comparison's form)."""
    return _SPACES.sub(" ", str(value or "")).strip()


def _who(post: dict[str, Any]) -> str:
    """Who wrote a post: the handle without ``@``, else the name, lower case."""
    handle = str(post.get("handle") or "").strip().lstrip("@").lower()
    return handle or _text(post.get("author")).lower()


def _stable_id(post: dict[str, Any]) -> str | None:
    value = post.get("id")
    if value is None or value == "":
        return None
    text = str(value)
    return None if _CONTENT_IDS.match(text) else text


def _when(post: dict[str, Any]) -> str | None:
    value = post.get("published_at") or post.get("published_text")
    return str(value) if value else None


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
    root_edited: bool = False
    root_text_before: str | None = None
    root_text_after: str | None = None
    #: replies in each capture, for the record
    replies_before: int = 0
    replies_after: int = 0
    #: notes on how far the comparison can be trusted (partial captures)
    notes: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """True when anything differs (a new version is due)."""
        return bool(self.new_replies or self.edited_replies or self.no_longer_observed
                    or self.root_edited)

    def counts(self) -> dict[str, int]:
        """How many of each kind of change."""
        return {"new_replies": len(self.new_replies),
                "edited_replies": len(self.edited_replies),
                "no_longer_observed": len(self.no_longer_observed),
                "root_edited": int(self.root_edited)}

    def to_json(self) -> dict[str, Any]:
        """The lists and counts of the metadata's ``changes`` section (the caller adds which
        capture it compares with)."""
        out: dict[str, Any] = {
            "counts": {k: v for k, v in self.counts().items() if k != "root_edited"},
            "root_edited": self.root_edited,
            "new_replies": [summary_of(p) for p in self.new_replies],
            "edited_replies": [e.to_json() for e in self.edited_replies],
            "no_longer_observed": [summary_of(p) for p in self.no_longer_observed],
            "replies_before": self.replies_before,
            "replies_after": self.replies_after,
            "notes": list(self.notes),
        }
        if self.root_edited:
            out["root_text_before"] = self.root_text_before
            out["root_text"] = self.root_text_after
        return out


def _short(value: Any, limit: int = 160) -> str:
    text = _text(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _byline(post: dict[str, Any]) -> str:
    name = _text(post.get("author"))
    handle = _text(post.get("handle"))
    if name and handle:
        return f"{name} ({handle})"
    return name or handle or "ukjent (unknown)"


def _count(value: int, one: str, many: str) -> str:
    return f"{value} {one if value == 1 else many}"


def change_summary(changes: dict[str, Any]) -> str:
    """One line in bokmål: how many replies are new, edited and no longer observed."""
    counts = changes.get("counts") or {}
    parts = [_count(int(counts.get("new_replies") or 0), "nytt svar", "nye svar"),
             _count(int(counts.get("edited_replies") or 0), "endret svar", "endrede svar"),
             _count(int(counts.get("no_longer_observed") or 0), "svar ikke lenger observert",
                    "svar ikke lenger observert")]
    if changes.get("root_edited"):
        parts.append("selve innlegget endret")
    return ", ".join(parts)


def change_lines(changes: dict[str, Any]) -> list[str]:
    """The metadata's ``changes`` section for people, one line each, in bokmål with the
    English in brackets (the PDF's capture sheet)."""
    out = [f"Sammenlignet med fangst (compared with capture) {changes.get('previous_capture')}"
           + (f", versjon (version) {changes['version']}" if changes.get("version") else "")
           + f": {change_summary(changes)}."]
    if changes.get("root_edited"):
        out.append("Innlegget er endret (the post was edited): «"
                   f"{_short(changes.get('root_text_before'))}» → "
                   f"«{_short(changes.get('root_text'))}»")
    for post in changes.get("new_replies") or []:
        out.append(f"Nytt svar (new reply): {_byline(post)}: «{_short(post.get('text'))}»")
    for post in changes.get("edited_replies") or []:
        out.append(f"Endret svar (edited reply): {_byline(post)}: "
                   f"«{_short(post.get('text_before'))}» → «{_short(post.get('text'))}»")
    for post in changes.get("no_longer_observed") or []:
        out.append(f"Ikke lenger observert (no longer observed): {_byline(post)}: "
                   f"«{_short(post.get('text'))}»")
    out += [str(note) for note in changes.get("notes") or []]
    return out


def _replies(thread: dict[str, Any] | None) -> list[dict[str, Any]]:
    replies = (thread or {}).get("replies") or []
    return [r for r in replies if isinstance(r, dict)]


class _Pairing:
    """Pairs the replies of two captures, strongest evidence first."""

    def __init__(self, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
        self.before = before
        self.after = after
        self.left = set(range(len(before)))
        self.right = set(range(len(after)))
        self.pairs: list[tuple[int, int]] = []

    def by(self, key: Any) -> None:
        """Pair the unpaired replies whose ``key(post)`` is the same non-empty value (the
        first unpaired earlier reply with a key takes the first later one with it)."""
        waiting: dict[Any, list[int]] = {}
        for i in sorted(self.left):
            value = key(self.before[i])
            if value:
                waiting.setdefault(value, []).append(i)
        for j in sorted(self.right):
            value = key(self.after[j])
            if value and waiting.get(value):
                i = waiting[value].pop(0)
                self.left.discard(i)
                self.right.discard(j)
                self.pairs.append((i, j))


def diff_threads(before: dict[str, Any] | None, after: dict[str, Any] | None, *,
                 partial: bool = False) -> ThreadChanges:
    """Compare an earlier capture's thread with a later one's.

    ``partial``: one of the captures was partial (the result says so in ``notes``).
    """
    old, new = _replies(before), _replies(after)
    pairing = _Pairing(old, new)
    pairing.by(lambda p: str(p.get("url") or "") or None)
    pairing.by(_stable_id)
    pairing.by(lambda p: (_who(p), _text(p.get("text"))) if _text(p.get("text")) else None)
    pairing.by(lambda p: (_who(p), _when(p)) if _who(p) and _when(p) else None)
    edited = tuple(EditedReply(old[i], new[j])
                   for i, j in sorted(pairing.pairs, key=lambda pair: pair[1])
                   if _text(old[i].get("text")) != _text(new[j].get("text")))
    root_before = ((before or {}).get("root") or {}).get("text")
    root_after = ((after or {}).get("root") or {}).get("text")
    # a root one capture could not read is no edit: nothing is known about it
    root_edited = (isinstance(root_before, str) and isinstance(root_after, str)
                   and bool(_text(root_before)) and bool(_text(root_after))
                   and _text(root_before) != _text(root_after))
    gone = tuple(old[i] for i in sorted(pairing.left))
    notes: list[str] = []
    if gone:
        notes.append(NO_LONGER_OBSERVED_NOTE)
    if partial:
        notes.append(PARTIAL_NOTE)
    return ThreadChanges(
        new_replies=tuple(new[j] for j in sorted(pairing.right)),
        edited_replies=edited,
        no_longer_observed=gone,
        root_edited=root_edited,
        root_text_before=root_before if root_edited else None,
        root_text_after=root_after if root_edited else None,
        replies_before=len(old),
        replies_after=len(new),
        notes=tuple(notes),
    )


def thread_snapshot(thread: dict[str, Any] | None) -> dict[str, Any]:
    """The part of a thread a later diff needs (root and replies, their identifying fields
    and text): small enough to keep in the catalogue beside the package."""
    thread = thread or {}
    root = thread.get("root")

    def kept(post: dict[str, Any]) -> dict[str, Any]:
        # the shown stamp pairs an edited reply when the page gave no machine time
        return {**summary_of(post), "published_text": post.get("published_text") or None}

    return {
        "root": kept(root) if isinstance(root, dict) else None,
        "replies": [kept(r) for r in _replies(thread)],
    }
