"""The persons a thread shows: who wrote each post, and who is named in the texts.

Screening (the public, "skjermet" variant of a capture) hides private persons' identities in
every layer. This module says *who* the thread's persons are and by which strings and
addresses they can be recognised on the page; the engine finds those strings on the rendered
page (their boxes in the screenshot), and the package decides which persons are private (not
the agency's own accounts) and draws the masks. One definition for both, so the boxes that
were looked for are the ones that are masked.

A person is keyed by handle when the thread gives one (case-insensitive, without ``@``; a
fediverse handle ``user@host`` also answers to ``user`` on its own server's pages), else by
display name. Persons named only in texts (``@mentions``) are persons too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MENTION_RE", "Person", "mentions_in", "needles_for", "persons_in", "variants"]

#: an @handle in a text: ``@kari``, ``@kari.nordmann``, ``@kari@social.example``; not the
#: middle of an e-mail address (``kari@example.no``)
MENTION_RE = re.compile(r"(?<![\w.@])@([\w][\w.\-]*(?:@[\w\-]+(?:\.[\w\-]+)+)?)")

#: name parts that are ordinary words too, never searched for on their own
_PARTICLES = frozenset({"de", "da", "di", "du", "del", "der", "den", "van", "von", "af", "av",
                        "la", "le", "til", "og", "i", "på", "the", "of", "and", "mr", "mrs",
                        "ms", "dr", "jr", "sr"})
#: a name part shorter than this is not searched for on its own ("Al", "Bo": too many hits)
_MIN_PART = 3
#: words that a display name written all in lower case ("living with cats", "kari var
#: her") shares with every text: such a name's parts match in any case, so these are not
#: taken on their own (the full name still is)
_COMMON_WORDS = frozenset("""
the and with was were for not you your are but all any can has had have her his him she they
them this that from into out our its who why how what when where which will would just like
love one two new now get got off too very more most some than then there here about over also
only been being does did done make made good best real life time day world official news team
og med til som det den der her har var ikke jeg meg deg han hun dere seg sin sitt sine fra men
eller når hvor hva hvem skal kan vil må også bare alle noe ingen etter under mot uten ved enn
så nå ny nytt nye god godt
""".split())


def _norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _handle_key(handle: str) -> str:
    return _norm(handle).lstrip("@").lower()


@dataclass
class Person:
    """One person of a thread, with every string and address they were shown by."""

    key: str
    names: list[str] = field(default_factory=list)
    handles: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    #: the posts they wrote (ids, in thread order); empty for a person only mentioned
    post_ids: list[str] = field(default_factory=list)

    def add(self, *, name: str | None = None, handle: str | None = None,
            url: str | None = None, post_id: str | None = None) -> None:
        """Note one more appearance (duplicates are ignored)."""
        for value, bucket in ((name, self.names), (handle, self.handles), (url, self.urls),
                              (post_id, self.post_ids)):
            if value and (clean := _norm(value)) and clean not in bucket:
                bucket.append(clean)

    def to_json(self) -> dict[str, Any]:
        """Plain data (for the engine's page search and for tests)."""
        return {"key": self.key, "names": list(self.names), "handles": list(self.handles),
                "urls": list(self.urls), "post_ids": list(self.post_ids)}


def mentions_in(text: str | None) -> list[str]:
    """The @handles a text names, without the ``@``, in order, each once."""
    seen: list[str] = []
    for match in MENTION_RE.finditer(text or ""):
        handle = match.group(1).rstrip(".-")
        if handle and handle not in seen:
            seen.append(handle)
    return seen


def persons_in(thread: dict[str, Any]) -> list[Person]:
    """The thread's persons: the root's author, the authors of the posts above it, each
    replier, then persons only mentioned.

    ``thread`` is the capture's thread (``root``, ``ancestors`` and ``replies`` dicts with
    ``author``,
    ``handle``, ``author_url``, ``id`` and ``text``). Two posts are by the same person when
    their handles agree (case-insensitive), or, without handles, their names do.
    """
    persons: dict[str, Person] = {}
    by_name: dict[str, str] = {}
    root = thread.get("root") or {}
    # the posts above the root (the one it answers, shown above it on X, Mastodon, Bluesky)
    # are on the page too
    posts = ([root] if root else []) + [
        r for key in ("ancestors", "replies") for r in thread.get(key) or [] if r]
    for post in posts:
        name = (post.get("author") or "").strip() or None
        handle = (post.get("handle") or "").strip() or None
        if not (name or handle):
            continue
        if handle:
            key = _handle_key(handle)
        else:
            assert name is not None
            key = by_name.get(_norm(name).lower(), "name:" + _norm(name).lower())
        person = persons.setdefault(key, Person(key))
        person.add(name=name, handle=handle, url=post.get("author_url"),
                   post_id=str(post["id"]) if post.get("id") is not None else None)
        if name:
            by_name.setdefault(_norm(name).lower(), key)
    # a fediverse handle user@host answers to @user in texts on its own server
    short: dict[str, str] = {}
    for key in persons:
        if "@" in key:
            short.setdefault(key.split("@", 1)[0], key)
    for post in posts:
        for handle in mentions_in(post.get("text")):
            key = _handle_key(handle)
            key = key if key in persons else short.get(key, key)
            persons.setdefault(key, Person(key)).add(handle="@" + handle)
    return list(persons.values())


def variants(person: Person) -> list[tuple[str, str]]:
    """(kind, text) of every string the person may be shown by on a page: ``name`` (a full
    name), ``part`` (one word of a name: "Per" of "Per Berg" — in texts only with its capital,
    so "50 kroner per time" is not a name), ``handle``."""
    out: list[tuple[str, str]] = []
    for name in person.names:
        out.append(("name", name))
        parts = name.split(" ")
        if len(parts) > 1:
            for part in parts:
                core = part.strip(".,;:!?()[]{}\"'")
                # a part written in lower case in a name that has capitals ("Tøyen
                # bibliotek") is a word, not a name: masked only within the full name
                written_lower = name == name.lower()
                if (len(core) >= _MIN_PART and core.lower() not in _PARTICLES
                        and (core[0].isupper()
                             or (written_lower and core not in _COMMON_WORDS))):
                    out.append(("part", core))
    for handle in person.handles:
        bare = handle.lstrip("@")
        out += [("handle", "@" + bare), ("handle", bare)]
        if "@" in bare:
            # @user@host is often shown as @user (and user) on the page of its own server
            user = bare.split("@", 1)[0]
            out += [("handle", "@" + user), ("handle", user)]
    seen: set[str] = set()
    unique = []
    for kind, text in out:
        if len(text.lstrip("@")) >= 2 and text.lower() not in seen:
            seen.add(text.lower())
            unique.append((kind, text))
    return unique


def needles_for(persons: list[Person]) -> list[dict[str, str]]:
    """The strings to look for on the page: ``{"key", "kind", "text"}``, longest first.

    ``kind`` is ``name`` or ``handle``. Matching on the page is case-insensitive and on
    whole words; a full name comes before its parts so that one box covers it.
    """
    # the page search knows names and handles; a part of a name is searched as a name
    needles = [{"key": p.key, "kind": "name" if kind == "part" else kind, "text": text}
               for p in persons for kind, text in variants(p)]
    return sorted(needles, key=lambda n: len(n["text"]), reverse=True)
