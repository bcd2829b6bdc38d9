"""The message catalogue: every text an archivist reads that is not a Qt widget's own label.

The engine, the pipeline, the package builder, the batch and the watch never word a message
for a person in one language: they hand on a :class:`Msg`, a stable *code*
(``error.private_network``, ``warning.requests_failed``, ``step.expand-thread``…) and its
*parameters*. The shells render it in the archivist's language with :func:`render`: the command
line in the language of the locale (:func:`language_from_locale`, as git and apt do), the app
in the language chosen in its settings, the package's own texts (the PDF capture sheet, the
arkivmelding's generated titles) in the agency's målform.

The texts are in ``resources/messages/{nb,nn,en}.toml``, one flat table per language keyed by
code. A text is an ICU-style message (the syntax translators know from other tools), a subset:

* ``{name}``: a parameter; integers are written with the language's thousands separator
  (``99 990`` in Norwegian, ``99,990`` in English), a nested :class:`Msg` is rendered in the
  same language;
* ``{name, number, 1}``: a number with that many decimals (``2,5`` in Norwegian);
* ``{name, plural, =0 {…} one {…} other {…}}``: the form for the count, ``#`` inside it is the
  count (bokmål, nynorsk and English all have the same two forms: one, and the rest);
* ``{name, select, value {…} other {…}}``: the form for a parameter's value;
* ``{name, list, bullets}``: a list parameter (a package's problems) one item a line, each
  as ``\n  - item`` (a plain ``{name}`` joins a list with ``; ``);
* ``{>code}``: another message of the catalogue, rendered with the same parameters, language
  and place (advice shared by several messages).

**Where the archivist is.** A code may have variants for the place it is shown in:
``code@cli`` (the command line: "use --allow-private-network") and ``code@app`` (the desktop
app: "turn on Settings → Network → …"); :func:`render` picks the variant for its ``place`` and
falls back to the plain ``code``.

**Old consumers keep working.** A :class:`Msg` *is* a ``str``: its string value is the English
text for the command line, so logs, JSON written by older code, ``"; ".join(warnings)`` and
``str(error)`` read as they always did. Machine-readable output that must stay language
neutral stores :meth:`Msg.to_json` (code, parameters and the English text).

This module is in the base layer: every layer may import it; it imports only the resources
locator.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from somecapture.resources import resource_path

log = logging.getLogger(__name__)

__all__ = [
    "LANGUAGES", "PLACES", "Language", "Place", "Msg", "render", "render_list", "msg_json",
    "msg_from_json", "language_from_locale", "normalize_language", "catalogue", "codes",
    "placeholders", "includes", "format_number", "format_duration", "step_title", "message_of",
    "missing_reason", "MISSING_REASONS", "conflict_reason", "conflict_line",
    "CONFLICT_REASONS",
]

Language = Literal["nb", "nn", "en"]
Place = Literal["cli", "app", "doc"]

#: the languages every message has a text in: bokmål, nynorsk, English
LANGUAGES: tuple[Language, ...] = ("nb", "nn", "en")
#: where a message is shown: the command line, the desktop app, a document (the package)
PLACES: tuple[Place, ...] = ("cli", "app", "doc")

_NBSP = "\u00a0"


# -- the catalogue files ----------------------------------------------------------------------

def _messages_dir() -> Path:
    return resource_path("messages")


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every text of ``lang`` (``nb``, ``nn``, ``en``) by key (codes and their ``@place``
    variants). Read once; a language without a file has no texts (English is the fallback)."""
    path = _messages_dir() / f"{lang}.toml"
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        log.error("message catalogue %s is missing", path)
        return {}
    out: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(value, str):  # a table by mistake: a bug in the file, not fatal
            log.error("message %s in %s is not a text", key, path.name)
            continue
        out[key] = value
    return out


def codes(lang: str = "en") -> set[str]:
    """The message codes of ``lang``'s catalogue (without their ``@place`` variants)."""
    return {key.split("@", 1)[0] for key in catalogue(lang)}


# -- languages --------------------------------------------------------------------------------

_NB = {"nb", "no", "nob", "nor", "norwegian", "bokmal", "bokmål"}
_NN = {"nn", "nno", "nynorsk"}
_EN = {"en", "eng", "english"}


def normalize_language(value: str | None) -> Language | None:
    """``nb``, ``nn`` or ``en`` for a language setting or a locale name (``nb_NO.UTF-8``,
    ``no``, ``nn_NO``, ``en_GB``, ``nynorsk``); None for anything else (``C``, ``de_DE``, "")."""
    if not value:
        return None
    base = value.strip().lower().split(".", 1)[0].split("@", 1)[0]
    lang = re.split(r"[_-]", base, maxsplit=1)[0]
    if lang in _NN:
        return "nn"
    if lang in _NB:
        return "nb"
    if lang in _EN:
        return "en"
    return None


def language_from_locale(environ: Mapping[str, str] | None = None) -> Language:
    """The command line's language from the locale, the way git and apt choose theirs.

    The first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set decides (then the first
    entry of ``LANGUAGE``): ``nb_NO``, ``no_NO``, ``nb`` → bokmål; ``nn_NO`` → nynorsk; anything
    else (``C``, ``en_US``, ``de_DE``) → English.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return normalize_language(value) or "en"
    for entry in env.get("LANGUAGE", "").split(":"):
        if entry:
            return normalize_language(entry) or "en"
    return "en"


# -- the message value ------------------------------------------------------------------------

def _rebuild(code: str, params: dict[str, Any], text: str) -> Msg:
    msg = str.__new__(Msg, text)
    msg.code = code
    msg.params = params
    return msg


class Msg(str):
    """A catalogue message: a stable ``code`` and its ``params``.

    Its string value is the English text as the command line shows it, so a ``Msg`` goes
    wherever a ``str`` went (a warning list, an exception's message, an event's text). Render
    it for a person with :func:`render`. Parameters are plain values (numbers, texts) or other
    messages; a text parameter taken from a page is shown as the page had it (the shells clean
    what they show, see :mod:`somecapture.textsafe`).
    """

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Msg:
        text = _render_code(code, params, "en", "cli")
        return _rebuild(code, params, text)

    @property
    def text(self) -> str:
        """The English text (what ``str()`` gives)."""
        return str.__str__(self)

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Msg({self.code!r}{args})"

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as code + params + the English text (a process with an older catalogue can
        # still show the text); copy and deepcopy go the same way
        return (_rebuild, (self.code, dict(self.params), self.text))

    def map_params(self, fn: Any) -> Msg:
        """The same message with ``fn`` applied to every text parameter (nested messages
        and lists too): the redactor scrubs secrets out of a message this way without losing
        its code."""

        def mapped(value: Any) -> Any:
            if isinstance(value, Msg):
                return value.map_params(fn)
            if isinstance(value, str):
                return fn(value)
            if isinstance(value, list | tuple):  # a list parameter (a package's problems)
                return [mapped(v) for v in value]
            return value

        return Msg(self.code, **{key: mapped(value) for key, value in self.params.items()})

    def to_json(self) -> dict[str, Any]:
        """``{"code", "params", "text"}``: language neutral, for metadata and reports (nested
        messages as their own JSON; other values that JSON has no type for as text)."""
        return {"code": self.code, "params": {k: _json_param(v) for k, v in self.params.items()},
                "text": self.text}


def _json_param(value: Any) -> Any:
    if isinstance(value, Msg):
        return value.to_json()
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_param(v) for v in value]
    return str(value)


def msg_json(value: str | Msg) -> dict[str, Any]:
    """JSON for a message or a plain text (``{"text": …}``, no code: a text not from the
    catalogue, e.g. written by an older version)."""
    if isinstance(value, Msg):
        return value.to_json()
    return {"code": None, "params": {}, "text": str(value)}


def msg_from_json(data: Any) -> str | Msg:
    """Back from :func:`msg_json` (or from a plain string, as older metadata stores it): a
    :class:`Msg` when the code is in this version's catalogue, else the stored English text."""
    if isinstance(data, str):
        return data
    if not isinstance(data, Mapping):
        return str(data)
    code, text = data.get("code"), str(data.get("text") or "")
    if not code or code not in codes("en"):
        return text
    params = {k: _param_from_json(v) for k, v in (data.get("params") or {}).items()}
    return _rebuild(str(code), params, text or _render_code(str(code), params, "en", "cli"))


def _param_from_json(value: Any) -> Any:
    """A parameter back from :func:`_json_param`: nested messages (also in lists) again."""
    if isinstance(value, Mapping) and "code" in value:
        return msg_from_json(value)
    if isinstance(value, list):
        return [_param_from_json(v) for v in value]
    return value


# -- rendering --------------------------------------------------------------------------------

def render(value: Any, lang: str, place: str = "cli") -> str:
    """``value`` for a person reading ``lang`` in ``place`` (``cli``, ``app``, ``doc``).

    ``value`` may be a :class:`Msg`, an exception (its :class:`Msg` when it was raised with
    one), the JSON of a message (:func:`msg_json`) or a plain text; a plain text is returned
    as it is (a text that never came from the catalogue: a page's own words, an old entry).
    """
    if value is None:
        return ""
    if isinstance(value, BaseException):
        first = value.args[0] if value.args else None
        if isinstance(first, Msg):
            return render(first, lang, place)
        return str(value)
    if isinstance(value, Mapping):
        value = msg_from_json(value)
    if isinstance(value, Msg):
        return _render_code(value.code, value.params, lang, place)
    return str(value)


def render_list(values: Iterable[Any], lang: str, place: str = "cli") -> list[str]:
    """Each of ``values`` rendered (a result's warnings)."""
    return [render(v, lang, place) for v in values]


def _lookup(code: str, lang: str, place: str) -> str | None:
    for language in (lang, "en") if lang != "en" else ("en",):
        texts = catalogue(language)
        for key in (f"{code}@{place}", code):
            if key in texts:
                return texts[key]
    return None


def _render_code(code: str, params: Mapping[str, Any], lang: str, place: str,
                 depth: int = 0) -> str:
    template = _lookup(code, lang, place)
    if template is None:
        # a code missing from the catalogue is a bug the catalogue test catches; the person
        # still gets the code and its values rather than nothing
        log.error("message %s has no text", code)
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{code}({shown})" if shown else code
    try:
        nodes = _parse(template)
    except ValueError:
        log.error("message %s (%s) cannot be parsed", code, lang)
        return template
    return _Renderer(lang, place, params, depth).nodes(nodes)


# -- numbers and durations --------------------------------------------------------------------

def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    """``value`` written for ``lang``: ``99 990`` and ``2,5`` in Norwegian, ``99,990`` and
    ``2.5`` in English (integers without decimals unless asked for). Numbers under 10,000 are
    not grouped (``7200``, ``line 1000``), as Norwegian and English style both allow."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    grouping = "," if abs(value) >= 10_000 else ""
    text = f"{value:{grouping}.{decimals}f}"
    if lang in ("nb", "nn"):
        # a no-break space between thousands, so "99 990" never breaks across two lines
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", _NBSP)
    return text


def format_duration(seconds: float) -> Msg:
    """A duration as a message: "about 3 hours 20 minutes", "about 45 minutes", "under a
    minute" (rounded: an estimate, not a measurement)."""
    minutes = int(round(seconds / 60))
    if minutes < 1:
        return Msg("time.under_a_minute")
    if minutes < 60:
        return Msg("time.minutes", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if hours >= 48:
        return Msg("time.days_hours", days=hours // 24, hours=hours % 24)
    if rest == 0 or hours >= 10:
        return Msg("time.hours", hours=hours)
    return Msg("time.hours_minutes", hours=hours, minutes=rest)


# -- a small ICU MessageFormat subset ---------------------------------------------------------

@dataclass(frozen=True)
class _Arg:
    name: str
    kind: str = ""  # "", "number", "list", "plural", "select"
    style: str = ""
    cases: tuple[tuple[str, tuple[Any, ...]], ...] = ()


@dataclass(frozen=True)
class _Include:
    code: str


class _Hash:
    """``#`` inside a plural case: the count."""


_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*")


@cache
def _parse(template: str) -> tuple[Any, ...]:
    nodes, end = _parse_nodes(template, 0, in_plural=False)
    if end != len(template):
        raise ValueError(f"unbalanced '}}' at {end}")
    return nodes


def _parse_nodes(s: str, i: int, *, in_plural: bool) -> tuple[tuple[Any, ...], int]:
    out: list[Any] = []
    buf: list[str] = []
    while i < len(s):
        ch = s[i]
        if ch == "}":
            break
        if ch == "#" and in_plural:
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(_Hash())
            i += 1
            continue
        if ch == "{":
            if buf:
                out.append("".join(buf))
                buf = []
            node, i = _parse_arg(s, i + 1)
            out.append(node)
            continue
        buf.append(ch)
        i += 1
    if buf:
        out.append("".join(buf))
    return tuple(out), i


def _parse_arg(s: str, i: int) -> tuple[Any, int]:
    if s.startswith(">", i):
        end = s.index("}", i)
        return _Include(s[i + 1:end].strip()), end + 1
    m = _NAME.match(s, i)
    if not m:
        raise ValueError(f"no parameter name at {i}")
    name, i = m.group(1), m.end()
    if s[i] == "}":
        return _Arg(name), i + 1
    if s[i] != ",":
        raise ValueError(f"expected ',' at {i}")
    m = _NAME.match(s, i + 1)
    if not m:
        raise ValueError(f"no argument type at {i}")
    kind, i = m.group(1), m.end()
    if kind in ("number", "list"):
        style = ""
        if s[i] == ",":
            end = s.index("}", i)
            style, i = s[i + 1:end].strip(), end
        if s[i] != "}":
            raise ValueError(f"expected '}}' at {i}")
        if kind == "list" and style not in ("", "bullets"):
            raise ValueError(f"unknown list style {style!r}")
        return _Arg(name, kind, style), i + 1
    if kind not in ("plural", "select") or s[i] != ",":
        raise ValueError(f"unknown argument type {kind!r}")
    i += 1
    cases: list[tuple[str, tuple[Any, ...]]] = []
    while True:
        while i < len(s) and s[i].isspace():
            i += 1
        if s[i] == "}":
            break
        m = re.compile(r"(=?[A-Za-z0-9_-]+)\s*\{").match(s, i)
        if not m:
            raise ValueError(f"expected a case at {i}")
        body, i = _parse_nodes(s, m.end(), in_plural=kind == "plural")
        if i >= len(s) or s[i] != "}":
            raise ValueError("unclosed case")
        cases.append((m.group(1), body))
        i += 1
    if not any(key == "other" for key, _ in cases):
        raise ValueError(f"{kind} of {name} has no 'other' case")
    return _Arg(name, kind, "", tuple(cases)), i + 1


class _Renderer:
    def __init__(self, lang: str, place: str, params: Mapping[str, Any], depth: int) -> None:
        self.lang, self.place, self.params, self.depth = lang, place, params, depth
        self.count: float | None = None

    def nodes(self, nodes: tuple[Any, ...]) -> str:
        return "".join(self.node(n) for n in nodes)

    def value(self, value: Any) -> str:
        if isinstance(value, Msg):
            return _render_code(value.code, value.params, self.lang, self.place, self.depth + 1)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return format_number(value, self.lang)
        if isinstance(value, list | tuple):
            return "; ".join(self.value(v) for v in value)
        return "" if value is None else str(value)

    def items(self, value: Any, style: str) -> str:
        """A list parameter: ``bullets`` puts each item on a line of its own."""
        if isinstance(value, str) and not isinstance(value, Msg):
            # a list already joined into a text (a message stored by an older version)
            return value
        items = value if isinstance(value, list | tuple) else [] if value is None else [value]
        if style == "bullets":
            return "".join(f"\n  - {self.value(v)}" for v in items)
        return "; ".join(self.value(v) for v in items)

    def node(self, node: Any) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, _Hash):
            return format_number(self.count or 0, self.lang)
        if isinstance(node, _Include):
            if self.depth > 5:  # a cycle of includes: a bug in the file
                return ""
            return _render_code(node.code, self.params, self.lang, self.place, self.depth + 1)
        assert isinstance(node, _Arg)
        value = self.params.get(node.name)
        if node.kind == "":
            return self.value(value)
        if node.kind == "list":
            return self.items(value, node.style)
        if node.kind == "number":
            decimals = int(node.style) if node.style.isdigit() else None
            return format_number(float(value or 0), self.lang, decimals)
        cases = dict(node.cases)
        if node.kind == "select":
            return self.nodes(cases.get(str(value), cases["other"]))
        count = float(value or 0)
        chosen = cases.get(f"={format_number(count, 'en').replace(',', '')}")
        if chosen is None:
            chosen = cases["one"] if count == 1 and "one" in cases else cases["other"]
        outer, self.count = self.count, count
        try:
            return self.nodes(chosen)
        finally:
            self.count = outer


def placeholders(template: str) -> set[str]:
    """The parameter names a text uses (for the catalogue test: every language of a code
    must use the same ones)."""
    found: set[str] = set()

    def walk(nodes: tuple[Any, ...]) -> None:
        for node in nodes:
            if isinstance(node, _Arg):
                found.add(node.name)
                for _, body in node.cases:
                    walk(body)

    walk(_parse(template))
    return found


def includes(template: str) -> set[str]:
    """The codes a text includes with ``{>code}``."""
    found: set[str] = set()

    def walk(nodes: tuple[Any, ...]) -> None:
        for node in nodes:
            if isinstance(node, _Include):
                found.add(node.code)
            elif isinstance(node, _Arg):
                for _, body in node.cases:
                    walk(body)

    walk(_parse(template))
    return found


def step_title(name: str, lang: str, place: str = "cli") -> str:
    """The archivist's name of a capture step (``expand-thread`` → "Opening all replies"); a
    step without a text in the catalogue keeps its code name."""
    code = f"step.{name}"
    if code not in codes("en"):
        return name
    return render(Msg(code), lang, place)


def message_of(exc: BaseException) -> str:
    """An exception's message: the catalogue message it was raised with, else its text."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Msg) else str(exc)


#: the reasons a capture's completeness gives for missing replies (``reason_code`` of an entry
#: of ``completeness.missing``): each is ``missing.<code>`` in the catalogue
MISSING_REASONS = frozenset({"not_shown", "not_loaded", "unavailable", "budget_time",
                             "budget_actions", "login_wall", "control_left", "other_page"})


def missing_reason(entry: Mapping[str, Any]) -> str:
    """Why replies are missing, for a person: the catalogue message of the entry's
    ``reason_code``, else its ``reason`` as recorded (older packages, the page's own words)."""
    code = entry.get("reason_code")
    if code in MISSING_REASONS:
        return Msg(f"missing.{code}", text=str(entry.get("text") or ""),
                   wall=str(entry.get("reason") or ""), where=str(entry.get("where") or ""))
    return str(entry.get("reason") or "")


#: the reasons a capture gives for a post it left out of the thread (``reason_code`` of an
#: entry of ``completeness.conflicts``, with its ``reason_params``): each is
#: ``conflict.<code>`` in the catalogue
CONFLICT_REASONS = frozenset({"misread"})


def conflict_reason(entry: Mapping[str, Any]) -> str:
    """Why a post was left out of the thread, for a person: the catalogue message of the
    entry's ``reason_code`` and ``reason_params``, else its ``reason`` as recorded (a package
    made before the code was recorded)."""
    code, params = entry.get("reason_code"), entry.get("reason_params")
    if code in CONFLICT_REASONS and isinstance(params, Mapping):
        return Msg(f"conflict.{code}", **{str(k): str(v) for k, v in params.items()})
    return str(entry.get("reason") or "")


def conflict_line(entry: Mapping[str, Any]) -> str:
    """A post left out of the thread (an entry of ``completeness.conflicts``) in a line: whose
    it was and why it was left out."""
    post = entry.get("post") if isinstance(entry.get("post"), Mapping) else {}
    author = str(post.get("author") or post.get("handle") or "") if post else ""
    return Msg("conflict.left_out", author=author, has_author="yes" if author else "no",
               reason=conflict_reason(entry))
