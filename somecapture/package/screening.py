"""The screened variant of a capture: private persons' identities masked in every layer.

A capture of an agency's page holds citizens' replies: third-party personal data. For access
requests (innsyn, offentleglova) the agency hands out the document with private persons'
identities screened — Noark's variant "Dokument hvor deler av innholdet er skjermet". This
module plans that variant from what the capture holds:

* **Who is private**: every person of the thread (:mod:`somecapture.thread.persons`) who is
  not one of the agency's own accounts (``own_accounts``). Each gets a pseudonym in the
  agency's målform, ``Innbygger 1``, ``Innbygger 2`` … (nynorsk ``Innbyggjar 1`` …) in the
  order they appear (the root's author first), the same in the screenshot's masks, the text
  appendix and the capture sheet.
* **Where they are in the screenshot**: the boxes the engine found on the rendered page
  (``identities``: names, handles, avatars, profile links; identity numbers, phone numbers
  and e-mail addresses in texts). Boxes are drawn as opaque rectangles *into the pixels*
  before the PDF's images are made, so nothing under a mask survives in any image layer.
* **The text**: names and handles become pseudonyms everywhere (also inside other replies'
  texts and the agency's own); valid fødselsnummer/D-nummer, phone numbers and e-mail
  addresses are always masked; with ``screen_text`` the private persons' texts are withheld.

What cannot be screened is said, and then no variant is made rather than one that may leak:
a page whose layout moved after its screenshot (masks would be misplaced), a person shown on
the page whose name could not be found in it, the engine's search failing. Text inside images
(a screenshot of a name, a name in a video) is not read and cannot be masked; the variant's
description says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from somecapture.messages import Msg, render
from somecapture.models import ScreenshotInfo
from somecapture.options import RecordOptions
from somecapture.thread.persons import Person, persons_in, variants

__all__ = [
    "KINDS",
    "MASKED_KINDS",
    "Mask",
    "cannot_catch",
    "kind_word",
    "masked",
    "pseudonym",
    "ScreeningPlan",
    "is_own_person",
    "mask_identifiers",
    "name_alternative",
    "name_pattern",
    "phone_number",
    "plan_screening",
    "private_names",
    "screening_warnings",
    "valid_fodselsnummer",
]

#: the kinds of mask and of text replacement (``Mask.kind``, the metadata's counts)
KINDS = ("name", "handle", "avatar", "link", "fnr", "phone", "email", "text", "post",
         "name_in_text")
#: what replaces an identity number, phone number, e-mail address, withheld text or a
#: private person's part of an address
MASKED_KINDS = ("fnr", "phone", "email", "text", "link")


def _doc(code: str, lang: str, **params: Any) -> str:
    """A word of the variant in the agency's målform ``lang`` (the catalogue's ``screen.*``;
    the functions below keep each word once: a long thread asks for them thousands of
    times)."""
    return render(Msg(code, **params), lang, "doc")


@cache
def pseudonym(n: int, lang: str = "nb") -> str:
    """The pseudonym of the ``n``-th private person in the målform: ``Innbygger 3``
    (bokmål), ``Innbyggjar 3`` (nynorsk)."""
    return _doc("screen.pseudonym", lang, n=str(n))


@cache
def masked(kind: str, lang: str = "nb") -> str:
    """What replaces a screened ``kind`` (:data:`MASKED_KINDS`) in the målform:
    ``[fødselsnummer skjermet]`` (bokmål), ``[fødselsnummer skjerma]`` (nynorsk)."""
    return _doc("screen.masked", lang, kind=kind)


@cache
def kind_word(kind: str, lang: str = "nb") -> str:
    """A kind of mask or text replacement (:data:`KINDS`) named in the målform (the
    arkivmelding's egenskaper): ``profilbilde`` (bokmål), ``profilbilete`` (nynorsk)."""
    return _doc("screen.kind", lang, kind=kind)


@cache
def cannot_catch(lang: str = "nb") -> str:
    """What the variant cannot screen (text in images and video), in the målform: said on
    the capture sheet and in the metadata, plainly."""
    return _doc("screen.cannot_catch", lang)


#: how far the page's height may move between the screenshot and the search (rounding)
_LAYOUT_TOLERANCE_PX = 2

_FNR_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
#: what may not touch a number on either side: a letter or digit (a hash, an id), a dash or a
#: slash (a date, a UUID, a path), a dot before (a version, an address)
_NOT_BEFORE = r"(?<![\w+\-/.:#])"
_NOT_AFTER = r"(?![\w\-/]|[.,]\d)"
#: 11 digits, optionally ``ddmmyy nnnnn`` / ``ddmmyy-nnnnn``
_FNR_RE = re.compile(_NOT_BEFORE + r"\d{6}[ \-]?\d{5}" + _NOT_AFTER)
#: Norwegian phone numbers: 8 digits, the first 2–9, written as one run or in the usual
#: groups (4 4, 2 2 2 2, 3 2 3) with single spaces, optionally after +47 / 0047. Dates
#: (2026-12-07), times and ids are not phone numbers: dashes and other groupings are left.
_PHONE_RE = re.compile(
    _NOT_BEFORE + r"(?:(?:\+|00)47[ ]?)?"
    r"(?:[2-9]\d{7}|[2-9]\d{3} \d{4}|[2-9]\d(?: \d{2}){3}|[2-9]\d{2} \d{2} \d{3})"
    + _NOT_AFTER)
#: an e-mail address; not the user@host of a fediverse handle (``@kari@social.example``)
_EMAIL_RE = re.compile(r"(?<![\w.+\-@])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)


def valid_fodselsnummer(value: str) -> bool:
    """Whether ``value`` (11 digits, spaces/dashes allowed) is a valid fødselsnummer.

    Checks both control digits (modulus 11 with the Skatteetaten weights) and the date:
    the day may be +40 (D-nummer), the month +40 (H-nummer) or +80 (synthetic test
    numbers); the individual number is not checked against a century, so a number that
    passes is treated as one whatever its century.
    """
    digits = [int(c) for c in value if c.isdigit()]
    if len(digits) != 11 or len(re.sub(r"[\d \-.]", "", value)):
        return False
    k1 = 11 - sum(w * d for w, d in zip(_FNR_W1, digits[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(w * d for w, d in zip(_FNR_W2, digits[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k1 == 10 or k2 == 10 or digits[9] != k1 or digits[10] != k2:
        return False
    day, month = digits[0] * 10 + digits[1], digits[2] * 10 + digits[3]
    if day > 40:
        day -= 40
    for shift in (80, 40):
        if month > shift:
            month -= shift
            break
    return 1 <= day <= 31 and 1 <= month <= 12


def phone_number(value: str) -> bool:
    """Whether ``value`` is written like a Norwegian phone number (8 digits, first 2–9)."""
    match = _PHONE_RE.fullmatch(value.strip())
    return match is not None


def mask_identifiers(text: str, counts: Counter[str] | None = None, lang: str = "nb") -> str:
    """``text`` with every valid fødselsnummer, phone number and e-mail address masked
    (the replacements in the målform ``lang``)."""
    counts = counts if counts is not None else Counter()

    def email(m: re.Match[str]) -> str:
        counts["email"] += 1
        return masked("email", lang)

    def fnr(m: re.Match[str]) -> str:
        if valid_fodselsnummer(m.group(0)):
            counts["fnr"] += 1
            return masked("fnr", lang)
        return m.group(0)

    def phone(m: re.Match[str]) -> str:
        counts["phone"] += 1
        return masked("phone", lang)

    text = _EMAIL_RE.sub(email, text)
    text = _FNR_RE.sub(fnr, text)
    return _PHONE_RE.sub(phone, text)


@dataclass(frozen=True)
class Mask:
    """One opaque box drawn into the screenshot's pixels."""

    x: int
    y: int
    w: int
    h: int
    #: what the box stands for: name, handle, avatar, link, fnr, phone, email, text, post
    kind: str
    #: written in the box (the pseudonym) when it fits; None for avatars and numbers
    label: str | None = None

    def as_tuple(self) -> tuple[int, int, int, int, str | None]:
        """``(x, y, w, h, label)``, the shape the PDF renderer draws."""
        return (self.x, self.y, self.w, self.h, self.label)


def is_own_person(person: Person, record: RecordOptions, platforms: tuple[str, ...]) -> bool:
    """Whether a person is one of the agency's own accounts (``own_accounts``): by handle
    (``etaten``, ``@etaten``, the user of ``etaten@social.example``) or by the first path
    segment of their profile address (``facebook.com/oslokommune``). Never by display name:
    a citizen called "Nav" on Nav's page is a private person. In doubt, private."""
    candidates: list[str] = []
    for handle in person.handles:
        bare = handle.lstrip("@")
        candidates += [bare, bare.split("@", 1)[0]]
    for url in person.urls:
        first = next((seg for seg in urlsplit(url).path.split("/") if seg), "")
        candidates.append(first.lstrip("@"))
    return any(record.is_own_account(p, c) for p in platforms for c in candidates if c)


def private_names(thread: dict[str, Any], record: RecordOptions) -> list[str]:
    """Every name and handle of the thread's private persons (not the agency's own
    accounts), as the screened variant masks them: for ``offentligTittel`` too."""
    platforms = _platforms(thread)
    return [text for person in persons_in(thread) if not is_own_person(person, record, platforms)
            for _kind, text in variants(person)]


def _platforms(thread: dict[str, Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(str(v).lower() for v in (
        thread.get("adapter"), thread.get("platform")) if v)) or ("*",)


def name_alternative(kind: str, text: str) -> str:
    """The regex of one name form: any case and any whitespace between words, except that a
    part of a name written with a capital ("Per" of "Per Berg") needs its capital in the text
    too (``per`` is an ordinary word)."""
    words = text.lstrip("@").split(" ")
    body = r"\s+".join(re.escape(w) for w in words)
    if kind == "part" and text[:1].isupper():
        return "(?-i:" + re.escape(text[0]) + ")" + re.escape(text[1:])
    return body


def name_pattern(forms: list[tuple[str, str]], *, at: bool = True) -> re.Pattern[str] | None:
    """Whole words, case-insensitive (see :func:`name_alternative`), an optional ``@`` and
    genitive; a name never runs on into ``@`` (an e-mail address is not a name)."""
    alternatives = sorted({name_alternative(k, t) for k, t in forms if t.strip("@ ")},
                          key=len, reverse=True)
    if not alternatives:
        return None
    lead = r"(?<![\w@])@?" if at else r"(?<![\w])"
    return re.compile(lead + "(?:" + "|".join(alternatives) + r")(?:['’]s|s|['’])?(?![\w@])",
                      re.IGNORECASE)


@dataclass
class ScreeningPlan:
    """What the screened variant hides, and how; ``problems`` non-empty: no variant
    (each a catalogue message, never naming a person). ``language``: the agency's målform,
    which the pseudonyms and the replacements are written in."""

    persons: list[Person]
    pseudonyms: dict[str, str]
    screen_text: bool
    masks: list[Mask] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    #: private persons' posts (id → person key)
    private_posts: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None
    _by_variant: dict[str, str] = field(default_factory=dict)
    _url_segments: set[str] = field(default_factory=set)
    #: planning itself failed: a variant was due but what it would hide is not known
    unplanned: bool = False
    #: the målform of the variant's own words (``nb``, ``nn``)
    language: str = "nb"

    def __post_init__(self) -> None:
        generic = {"profile", "user", "users", "u", "people", "channel", "c", "in", "author",
                   "members", "member", "@me"}
        for person in self.persons:
            if person.key in self.pseudonyms:
                for url in person.urls:
                    self._url_segments.update(
                        seg.lower() for seg in urlsplit(url).path.split("/")
                        if len(seg) >= 3 and seg.lower() not in generic)
        for person in self.persons:
            if person.key in self.pseudonyms:
                for _kind, text in variants(person):
                    self._by_variant.setdefault(" ".join(text.lstrip("@").lower().split()),
                                                self.pseudonyms[person.key])
        if self._by_variant:
            self._pattern = name_pattern(self.forbidden_forms())

    @property
    def needed(self) -> bool:
        """Whether the thread has private persons at all (no: no variant is needed)."""
        return bool(self.pseudonyms) or self.unplanned

    def forbidden(self) -> list[str]:
        """Every name and handle that must not be found in the variant (for the read-back)."""
        return [text for _kind, text in self.forbidden_forms()]

    def forbidden_forms(self) -> list[tuple[str, str]]:
        """(kind, text) of every private person's name, name part and handle."""
        return [form for person in self.persons if person.key in self.pseudonyms
                for form in variants(person)]

    def text(self, value: str | None, *, identifiers: bool = True) -> str:
        """A text with private persons' names and handles as pseudonyms, and (unless
        ``identifiers`` is false) identity numbers, phone numbers and e-mail addresses
        masked."""
        if not value:
            return ""
        value = unicodedata.normalize("NFC", value)
        if self._pattern is not None:
            def pseudonym(m: re.Match[str]) -> str:
                core = re.sub(r"(['’]s|s|['’])$", "", m.group(0).lstrip("@"))
                key = " ".join(core.lower().split())
                self.counts["name_in_text"] += 1
                return self._by_variant.get(key) or self._by_variant.get(
                    " ".join(m.group(0).lstrip("@").lower().split()),
                    masked("link", self.language))
            value = self._pattern.sub(pseudonym, value)
        return mask_identifiers(value, self.counts, self.language) if identifiers else value

    def url(self, value: str | None) -> str | None:
        """An address with every path segment, query or host part naming a private person
        masked: their names and handles, and any segment of their own profile address
        (an account id such as a Bluesky DID)."""
        if not value:
            return value
        parts = urlsplit(value)
        hidden = masked("link", self.language)
        segments = []
        for seg in parts.path.split("/"):
            named = seg and (self.text(seg, identifiers=False) != seg
                             or seg.lower() in self._url_segments)
            segments.append(hidden if named else seg)
        query = parts.query
        if query and (self.text(query, identifiers=False) != query
                      or any(seg in query.lower() for seg in self._url_segments)):
            query = hidden
        netloc = parts.netloc
        # a handle can be a domain (Bluesky: at://nve.no/app.bsky.feed.post/…)
        if netloc and (self.text(netloc, identifiers=False) != netloc
                       or any(seg in netloc.lower() for seg in self._url_segments)):
            netloc = hidden
        return urlunsplit((parts.scheme, netloc, "/".join(segments), query, ""))

    def person_of(self, post: dict[str, Any]) -> str | None:
        """The key of the private person who wrote ``post``, or None (own, or no author)."""
        pid = str(post["id"]) if post.get("id") is not None else None
        if pid is not None:
            for person in self.persons:
                if pid in person.post_ids:
                    return person.key if person.key in self.pseudonyms else None
        handle = (post.get("handle") or "").strip()
        name = " ".join((post.get("author") or "").split()).lower()
        for person in self.persons:
            if person.key not in self.pseudonyms:
                continue
            if handle and handle.lstrip("@").lower() in (
                    h.lstrip("@").lower() for h in person.handles):
                return person.key
            if not handle and name and name in (n.lower() for n in person.names):
                return person.key
        return None

    def screened_thread(self, thread: dict[str, Any]) -> dict[str, Any]:
        """A copy of the thread as the screened variant shows it."""
        def post(p: dict[str, Any]) -> dict[str, Any]:
            if not p:
                return p
            out = dict(p)
            key = self.person_of(p)
            if key is not None:
                out["author"] = self.pseudonyms[key]
                out["handle"] = None
                out["author_url"] = None
            else:
                out["author"] = self.text(p.get("author"), identifiers=False) or p.get("author")
            out["url"] = self.url(p.get("url"))
            if key is not None and self.screen_text:
                out["text"] = masked("text", self.language) if p.get("text") else p.get("text")
                self.counts["text"] += 1 if p.get("text") else 0
            else:
                out["text"] = self.text(p.get("text"))
            out["title"] = self.text(p.get("title")) if p.get("title") else p.get("title")
            out["published_text"] = self.text(p.get("published_text")) \
                if p.get("published_text") else p.get("published_text")
            return out

        return {**thread, "root": post(thread.get("root") or {}),
                "ancestors": [post(a) for a in thread.get("ancestors") or []],
                "replies": [post(r) for r in thread.get("replies") or []]}

    def to_json(self) -> dict[str, Any]:
        """Facts of the screening for the metadata: counts only, never a name (the kinds:
        :func:`kind_word` names them in the målform)."""
        kinds = Counter(m.kind for m in self.masks)
        return {
            "private_persons": len(self.pseudonyms),
            "pseudonyms": _label_range(list(self.pseudonyms.values()), self.language),
            "screen_text": self.screen_text,
            "masks": dict(sorted(kinds.items())),
            "masked_in_text": dict(sorted(self.counts.items())),
            "problems": list(self.problems),
            "cannot_catch": cannot_catch(self.language),
        }


def _label_range(labels: list[str], lang: str = "nb") -> str | None:
    """The pseudonyms as the sheet names them: ``Innbygger 1`` or ``Innbygger 1–12``
    (first to last label used; numbers taken by persons' own names are skipped)."""
    if not labels:
        return None
    if len(labels) == 1:
        return labels[0]
    # the last label's number: the label without the words the pseudonym puts before it
    prefix = pseudonym(0, lang).removesuffix("0")
    return f"{labels[0]}–{labels[-1].removeprefix(prefix).strip()}"


def _inside(box: list[Any], shot: ScreenshotInfo) -> tuple[int, int, int, int] | None:
    """The box clipped to the screenshot, or None when nothing of it is on it (or it is not
    a box)."""
    try:
        x, y, w, h = (int(v) for v in box[:4])
    except (TypeError, ValueError):
        return None
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(shot.width_px, x + w), min(shot.height_px, y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1 - x0, y1 - y0)


def _with_changes(thread: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    """The thread with the replies a re-capture's ``changes`` name (also those no longer on
    the page, and edited replies' earlier texts): their authors and the persons their texts
    mention are screened on the capture sheet's list of changes too."""
    if not changes:
        return thread
    named = [r for key in ("new_replies", "edited_replies", "no_longer_observed", "not_read")
             for r in changes.get(key) or [] if isinstance(r, dict)]
    earlier = [{"text": text} for r in named if (text := r.get("text_before"))]
    if changes.get("root_text_before"):
        earlier.append({"text": changes["root_text_before"]})
    # not shown on this page: never a reason for a missing mask (see plan_screening)
    extra = [{**r, "shown_on_page": False} for r in named] + earlier
    return {**thread, "replies": [*(thread.get("replies") or []), *extra]}


def _number_pseudonyms(private: list[Person], everyone: list[Person],
                       lang: str = "nb") -> dict[str, str]:
    """``Innbygger 1``, ``Innbygger 2`` … (in the målform ``lang``: ``Innbyggjar 1`` …) for
    the private persons, in order, skipping every number whose label is some person's own
    name or handle: a citizen who calls themself "Innbygger 3" must not be told apart from
    the pseudonym of another (and the leak check would rightly find "their" name in the
    variant)."""
    taken = {" ".join(s.split()).casefold() for p in everyone for s in (*p.names, *p.handles)}
    pseudonyms: dict[str, str] = {}
    n = 0
    for person in private:
        n += 1
        while pseudonym(n, lang).casefold() in taken:
            n += 1
        pseudonyms[person.key] = pseudonym(n, lang)
    return pseudonyms


def plan_screening(thread: dict[str, Any], identities: dict[str, Any],
                   screenshot: ScreenshotInfo | None, record: RecordOptions,
                   *, screen_text: bool = False,
                   changes: dict[str, Any] | None = None) -> ScreeningPlan:
    """Plan the screened variant of one capture.

    ``identities`` is what the engine found on the page (see
    :mod:`somecapture.engine.identities`); ``record`` says which accounts are the agency's;
    ``changes`` (a watched thread's later version) names replies the page may no longer show.
    """
    platforms = _platforms(thread)
    persons = persons_in(_with_changes(thread, changes))
    lang = record.maalform
    pseudonyms = _number_pseudonyms(
        [p for p in persons if not is_own_person(p, record, platforms)], persons, lang)
    private_posts = {pid: p.key for p in persons if p.key in pseudonyms for pid in p.post_ids}
    plan = ScreeningPlan(persons, pseudonyms, screen_text, private_posts=private_posts,
                         language=lang)
    if screenshot is None:
        plan.problems.append(Msg("screen.no_screenshot"))
        return plan
    error = identities.get("error")
    if error:
        # (the engine's reason is a catalogue message; an older text stays as it was)
        plan.problems.append(Msg("screen.search_failed",
                                 error=error if isinstance(error, Msg) else str(error)))
        return plan
    if not identities and not pseudonyms:
        return plan
    height = identities.get("page_height")
    if isinstance(height, int | float) and abs(int(height) - screenshot.page_height_px) > \
            _LAYOUT_TOLERANCE_PX:
        plan.problems.append(Msg("screen.layout_moved", before=screenshot.page_height_px,
                                 after=int(height)))
        return plan
    if identities.get("capped"):
        plan.problems.append(Msg("screen.too_many_boxes"))
        return plan
    if pseudonyms and "hits" not in identities:
        plan.problems.append(Msg("screen.not_searched"))
        return plan
    partly: set[str] = set()
    for hit in identities.get("hits") or []:
        kind, key = str(hit.get("kind") or ""), hit.get("key")
        label: str | None = None
        if kind in ("name", "handle", "link", "avatar"):
            # a text several persons share is masked when any of them is private
            key = next((k for k in [key, *(hit.get("keys") or [])] if k in pseudonyms), None)
            if key is None:
                continue
            label = pseudonyms[key] if kind in ("name", "handle") else None
        elif kind == "text":
            owner = key if key in pseudonyms else private_posts.get(str(key))
            if not (screen_text and owner):
                continue
            if hit.get("partial") and hit.get("post_id") is not None:
                partly.add(str(hit["post_id"]))
        elif kind == "digits":
            match = str(hit.get("match") or "")
            if valid_fodselsnummer(match):
                kind = "fnr"
            elif phone_number(match):
                kind = "phone"
            else:
                continue
        elif kind != "email":
            continue
        for box in hit.get("boxes") or []:
            inside = _inside(box, screenshot)
            if inside is not None:
                plan.masks.append(Mask(*inside, kind, label))
    # persons shown on the page whose name was not found there: their posts' boxes are masked
    # whole (the text goes with it); with no box either, the variant cannot be trusted. With
    # --screen-text, so are the posts whose text was not found (or only in part)
    not_found = set(identities.get("needles_not_found") or [])
    texts_missing = {str(t) for t in identities.get("texts_not_found") or []} | partly
    shown = {str(p.get("id")): p for p in [thread.get("root") or {}, *(
        thread.get("ancestors") or []), *(thread.get("replies") or [])]
        if p and p.get("shown_on_page") is not False}
    unlocated = untexted = 0
    for person in persons:
        if person.key not in pseudonyms:
            continue
        for pid in person.post_ids:
            post = shown.get(pid)
            name_missing = person.key in not_found
            text_missing = screen_text and bool(post and post.get("text")) and (
                pid in texts_missing or person.key in texts_missing)
            if post is None or not (name_missing or text_missing):
                continue
            box = post.get("screenshot_box")
            inside = _inside([box.get(k, 0) for k in ("x", "y", "width", "height")],
                             screenshot) if isinstance(box, dict) else None
            if inside is not None:
                plan.masks.append(Mask(*inside, "post", pseudonyms[person.key]))
            elif name_missing:
                unlocated += 1
            else:
                untexted += 1
    # persons only a later version's list of changes names (a reply no longer on the page)
    # were not searched on the page: a shown post that names one is masked whole
    searched = {p.key for p in persons_in(thread)}
    unsearched = [p for p in persons if p.key in pseudonyms and p.key not in searched]
    pattern = name_pattern([f for p in unsearched for f in variants(p)])
    if pattern is not None:
        for post in shown.values():
            said = " ".join(str(post.get(k) or "") for k in ("author", "text", "title"))
            if not pattern.search(said):
                continue
            box = post.get("screenshot_box")
            inside = _inside([box.get(k, 0) for k in ("x", "y", "width", "height")],
                             screenshot) if isinstance(box, dict) else None
            if inside is None:
                unlocated += 1
            else:
                owner = plan.person_of(post)
                plan.masks.append(Mask(*inside, "post", pseudonyms.get(owner or "")))
    if unlocated:
        plan.problems.append(Msg("screen.unlocated", count=unlocated))
    if untexted:
        plan.problems.append(Msg("screen.untexted", count=untexted))
    return plan


def screening_warnings(problems: list[str]) -> list[str]:
    """The capture's warnings for a screened variant that could not be made or proved."""
    return [Msg("warning.no_screened_version", problem=problem) for problem in problems]
