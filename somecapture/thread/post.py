"""One post of a thread and one thread, as read from a single source (issue 15).

:class:`ThreadPost` and :class:`ThreadData` are plain, frozen values: the parsers in
:mod:`somecapture.thread.platform_data` build them, :mod:`somecapture.thread.recorded` merges
them, and ``to_json`` gives the shape of ``thread.root`` / ``thread.replies`` in
``capture-metadata.json`` (``$defs.post`` and ``$defs.reply`` of its schema).

Also the small text and time helpers every parser shares: HTML to plain text with lxml, and
platform time stamps to RFC 3339 in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import lxml.etree
import lxml.html

#: A media item: ``{"type": "image"|"video"|…, "url": …, "alt": … or None}``.
Media = dict[str, str | None]

# Elements after which the rendered text breaks the line: the structure a reader sees.
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "table", "section", "article", "header", "footer", "aside", "figure", "hr", "dd",
        "dt", "dl",
    }
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
#: ids a reader makes up for a post its source names by no id of its own: the site adapters'
#: place on the page (``root``, ``reply-3``: ``extract.js``, :mod:`~somecapture.thread.reconcile`)
#: and the markup readers' source and place (``json-ld:2``, ``microformats2:4#4``)
_PLACE_ID = re.compile(r"root|reply-\d+|(?:json-ld|microdata|microformats2|opengraph):\d+"
                       r"(?:#\d+)?")
#: the generic page reader's id of a post without one: a hash of its author, shown time and
#: text (``reader.js``), so the same content gives the same id and an edit a new one
CONTENT_ID_PREFIX = "reader-"


def made_up_id(post_id: str) -> bool:
    """Whether ``post_id`` is a name a reader made up, not the platform's own id: a content
    hash (``reader-…``) or a place on the page (``root``, ``reply-3``, ``json-ld:2``). A place
    names another post as soon as one is added above it."""
    return post_id.startswith(CONTENT_ID_PREFIX) or bool(_PLACE_ID.fullmatch(post_id))


@dataclass(frozen=True)
class ThreadPost:
    """One post (root or reply) as the platform's data gives it.

    Fields the data does not give stay ``None`` (or empty); nothing is guessed.
    ``published_at`` is RFC 3339 in UTC; a platform that gives only a relative time
    ("4 years ago") leaves it ``None`` and keeps the wording in ``published_text``.
    """

    id: str
    source: str
    url: str | None = None
    author: str | None = None
    handle: str | None = None
    author_url: str | None = None
    published_at: str | None = None
    published_text: str | None = None
    #: the stamp's machine-readable value or tooltip when it says more than the shown text
    #: (``title="Nov. 4, 2024, 10:17 a.m."`` on "4 Nov '24"), kept as the page has it
    published_raw: str | None = None
    text: str | None = None
    title: str | None = None
    media: tuple[Media, ...] = ()
    parent_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The metadata's reply shape (``$defs.reply``; also valid as ``$defs.post``).

        ``url``, ``counts``, ``source`` and the optional fields are extra properties, which
        both definitions allow.
        """
        out: dict[str, Any] = {
            "id": self.id,
            "parent_id": self.parent_id,
            "author": self.author,
            "handle": self.handle,
            "published_at": self.published_at,
            "text": self.text,
            "media": [dict(m) for m in self.media],
            "url": self.url,
            "counts": dict(self.counts),
            "source": self.source,
        }
        if self.published_text is not None:
            out["published_text"] = self.published_text
        if self.published_raw is not None:
            out["published_raw"] = self.published_raw
        if self.author_url is not None:
            out["author_url"] = self.author_url
        if self.title is not None:
            out["title"] = self.title
        return out


@dataclass(frozen=True)
class ThreadData:
    """A thread (or part of one) read from one source, or merged from several.

    ``root`` is the post the data is about (a status, the focal tweet, a Reddit link post, a
    Discourse topic's first post), ``None`` when the data holds only replies around it.
    ``replies`` are in the data's own (conversation) order. ``focal_id`` names the post the
    response is about even when that post is not in it (Mastodon's ``/context``), and
    ``focal_parent_id`` the post that one answers when the data says so without holding it
    (the last of ``/context``'s ancestors).
    ``reported`` holds thread totals the platform states (e.g. ``{"comments": 3982}``);
    ``not_loaded`` the replies the data explicitly says exist but are not in it (Reddit's
    ``more`` counts); ``continuations`` how many cursors / "more" stubs / next-page links
    point at further replies.
    """

    platform: str
    source: str
    root: ThreadPost | None = None
    replies: tuple[ThreadPost, ...] = ()
    focal_id: str | None = None
    focal_parent_id: str | None = None
    reported: dict[str, int] = field(default_factory=dict)
    not_loaded: int = 0
    continuations: int = 0

    def posts(self) -> list[ThreadPost]:
        """The root (when present) followed by the replies."""
        return ([self.root] if self.root is not None else []) + list(self.replies)

    def missing_by_counts(self) -> int:
        """Replies the per-post counts announce but the data does not hold.

        Sums, over the posts present, ``counts["replies"]`` minus the posts present whose
        parent is that post; a platform whose reply count includes deeper replies can make
        this an overestimate, never a negative number.
        """
        children: dict[str, int] = {}
        for post in self.posts():
            if post.parent_id:
                children[post.parent_id] = children.get(post.parent_id, 0) + 1
        missing = 0
        for post in self.posts():
            announced = post.counts.get("replies")
            if announced is not None:
                missing += max(0, announced - children.get(post.id, 0))
        return missing

    def to_json(self) -> dict[str, Any]:
        """The ``thread`` object of the capture metadata (``platform``, ``source``, ``root``,
        ``replies``) plus what the data says about replies it does not hold."""
        return {
            "platform": self.platform,
            "source": self.source,
            "root": self.root.to_json() if self.root is not None else None,
            "replies": [r.to_json() for r in self.replies],
            "reported": dict(self.reported),
            "not_loaded": self.not_loaded,
            "continuations": self.continuations,
        }


def html_to_text(markup: str | None) -> str | None:
    """Plain text of an HTML fragment: paragraphs and ``<br>`` become newlines, runs of
    spaces collapse, nothing else of the markup survives. ``None`` for no markup."""
    if markup is None:
        return None
    if "<" not in markup and "&" not in markup:
        return normalise_text(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return normalise_text(markup)
    parts: list[str] = []
    _collect_text(root, parts)
    return normalise_text("".join(parts))


def _collect_text(element: Any, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in ("script", "style", "template"):
        # a script's source is not text a reader saw
        if element.tail:
            parts.append(element.tail)
        return
    if tag == "br":
        parts.append("\n")
    elif tag in _BLOCK_TAGS:
        parts.append("\n")
    if element.text and tag not in ("br",) and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        _collect_text(child, parts)
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def normalise_text(text: str | None) -> str | None:
    """Collapse spaces within lines, trim lines, keep at most one empty line between
    paragraphs; ``None`` stays ``None``."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC with ``Z``; milliseconds only when the source had a fraction."""
    if moment.tzinfo is None:
        # platforms that omit the offset (Reddit's epoch, most APIs) mean UTC
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    spec = "milliseconds" if moment.microsecond else "seconds"
    return moment.isoformat(timespec=spec).replace("+00:00", "Z")


def parse_time(value: Any) -> str | None:
    """A platform's time stamp as RFC 3339 UTC, or ``None`` when it is not a time.

    Accepts ISO 8601 / RFC 3339 strings, the ``Wed Apr 19 12:00:00 +0000 2023`` form of the
    X/Twitter API, RFC 2822 dates and Unix epoch seconds (int, float or digit string).
    """
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, (int, float)):
            return rfc3339(datetime.fromtimestamp(float(value), UTC))
        if not isinstance(value, str) or not value.strip():
            return None
        text = value.strip()
        if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
            return rfc3339(datetime.fromtimestamp(float(text), UTC))
        try:
            return rfc3339(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            pass
        try:
            return rfc3339(datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y"))
        except ValueError:
            pass
        return rfc3339(parsedate_to_datetime(text))
    except (ValueError, OverflowError, OSError, TypeError, IndexError):
        return None
