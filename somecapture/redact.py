"""Keeping the archivist's session secrets out of the archive and out of every output.

Request ``Cookie``/``Authorization`` values, response ``Set-Cookie`` values and CSRF/bearer
token headers are replaced by a marker before anything is written. The header *names* stay, so
the record still shows that a cookie was sent; provenance counts what was redacted (names and
counts, never values).

Logged in (a login profile), two more rules apply everywhere a value could be stored or shown
(WARC records, metadata, arkivmelding, bag-info, folder names, the catalogue, the terminal):

* **by name**: the value of a URL parameter whose name looks like a credential
  (:func:`is_secret_param`) is replaced by the marker, and the value is learned as a secret;
* **by value**: every known secret (profile cookies and local storage, tokens seen in headers
  or parameters) is replaced in any form it is stored in (:func:`secret_variants`: as is,
  URL-encoded, JSON/HTML-escaped, base64 standard and URL-safe with and without padding, also
  inside a longer base64 text, and hex).

The package's secret scan (:func:`find_secrets`) looks for the same forms, so what the
redactor cannot remove (e.g. a secret in a binary body) fails the capture rather than being
published.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TypeVar, cast
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

from somecapture.messages import Msg

MARKER = "REDACTED-BY-SOMECAPTURE"

#: request headers whose whole value is a secret
SECRET_REQUEST_HEADERS = frozenset(
    {
        "cookie",
        "authorization",
        "proxy-authorization",
        "x-csrf-token",
        "x-csrftoken",
        "x-xsrf-token",
        "x-auth-token",
        "x-access-token",
        "x-api-key",
        "x-fb-lsd",
        "x-ig-www-claim",
        "x-twitter-auth-type",
    }
)
SECRET_RESPONSE_HEADERS = frozenset({"set-cookie", "x-csrf-token", "x-auth-token",
                                     "proxy-authenticate-info"})
#: request headers that are never secret although a name part looks like one
#: (``Sec-WebSocket-Key`` is a per-connection nonce the replay needs to see)
_PLAIN_REQUEST_HEADERS = frozenset({"sec-websocket-key", "sec-websocket-accept"})


def _redact_set_cookie(value: str) -> str:
    """``sid=abc; Path=/; HttpOnly`` → ``sid=MARKER; Path=/; HttpOnly``: keep the name and
    attributes (evidence of what the site set), drop the value (the secret)."""
    first, sep, rest = value.partition(";")
    name, eq, _ = first.partition("=")
    if not eq:
        return MARKER
    return f"{name.strip()}={MARKER}{sep}{rest}"


# -- which parameter names carry credentials ---------------------------------------------------
#
# A name is split into parts (``session_token`` → session, token; ``apiKey`` → api, key) and
# judged part by part, so that ordinary parameters that merely contain the letters stay:
# ``keyword``, ``author``, ``monkey``, ``signup`` and ``design`` are not credentials.

#: a part containing one of these is a credential (``accesstoken``, ``sessionid``, ``xsrf``)
_SECRET_SUBSTRINGS = ("token", "ticket", "secret", "passw", "session", "csrf", "xsrf", "jwt",
                      "credential", "saml", "bearer", "dtsg")
#: a part that is one of these whole
_SECRET_PARTS = re.compile(
    r"o?auth(z|n|orization|code|key|token|id|sig|hash)?"
    r"|(api|access|secret|session|auth|private|signing|sign|hmac|client|app|consumer|master"
    r"|shared|encryption|license)?keys?"
    r"|sigs?|signatures?|hmac|pwd|pass|passwd|verifier|otp|lsd"
)
#: names that are credentials only as the whole name (OAuth's ``code`` and ``state``, a
#: session ``sid``); as part of a longer name (``country_code``, ``state_id``) they are not
_WHOLE_NAMES = frozenset({"code", "state", "nonce", "sid", "ssid", "pin"})
#: ...and for the two most common of them, only when the value is no plain word: ``code=NO``
#: and ``state=closed`` are ordinary, ``code=4/0AX4Xf...`` and ``state=af0ifjsldkj9`` are not
_WEAK_NAMES = frozenset({"code", "state"})
_PLAIN_WORD = re.compile(r"[a-z]{1,12}([-_][a-z]{1,12})*|[A-Z]{2,3}|\d{1,6}")
_PART_SPLIT = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@lru_cache(maxsize=4096)
def _secret_name(name: str) -> bool:
    lower = name.strip().lower()
    if lower in _WHOLE_NAMES:
        return True
    parts = [p.lower() for p in _PART_SPLIT.findall(name)]
    # whole-name-only words never count as a part: they are not in the part rules
    return any(any(s in part for s in _SECRET_SUBSTRINGS) or _SECRET_PARTS.fullmatch(part)
               for part in parts)


def is_secret_param(name: str, value: str = "") -> bool:
    """Whether URL parameter ``name`` (with ``value``) carries a credential.

    By name part: ``*token*``, ``*ticket*``, ``*session*``, ``*secret*``, ``*passw*``,
    ``csrf``/``xsrf``, ``jwt``, ``*credential*``, ``saml``, ``auth``/``oauth``/``authorization``
    (not ``author``), ``key``/``api_key``/``apiKey`` (not ``keyword``), ``sig``/``signature``,
    ``hmac``, ``otp``, ``lsd``, ``fb_dtsg``, ``code_verifier``; as the whole name only:
    ``code``, ``state``, ``nonce``, ``sid``, ``ssid``, ``pin`` (so ``country_code`` and
    ``_nc_sid`` stay), and ``code`` and ``state`` only when the value is no plain word
    (``code=NO`` and ``state=closed`` stay).
    """
    if not _secret_name(name):
        return False
    if name.strip().lower() in _WEAK_NAMES:
        return not _PLAIN_WORD.fullmatch(value)
    return True


#: shorter values are too likely to occur by chance to be searched for in bodies
MIN_SECRET_LENGTH = 8
_TEXTUAL = ("text/", "json", "javascript", "xml", "html", "x-www-form-urlencoded")


def _base64_cores(raw: bytes, alphabet: bytes | None) -> set[str]:
    """The part of the base64 text of ``raw`` that is the same wherever ``raw`` sits inside a
    longer encoded text: for each of the three alignments, the characters made only of
    ``raw``'s own bits, up to its last whole group."""
    out = set()
    for lead, start in ((0, 0), (1, 2), (2, 3)):
        data = b"\0" * lead + raw
        encoded = base64.b64encode(data, altchars=alphabet).decode("ascii")
        out.add(encoded[start:4 * (len(data) // 3)])
    return out


@lru_cache(maxsize=2048)
def _variants(value: str) -> frozenset[str]:
    raw = value.encode("utf-8")
    forms = {value, quote(value, safe=""), quote(value, safe="/"), quote_plus(value),
             quote(quote(value, safe=""), safe=""),  # a URL inside a URL parameter
             value.replace("/", "\\/"),  # JSON may escape slashes
             json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
             html.escape(value), raw.hex(), raw.hex().upper()}
    # percent escapes may be written in lower case (%2f)
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), f) for f in list(forms)}
    for altchars in (None, b"-_"):
        encoded = base64.b64encode(raw, altchars=altchars).decode("ascii")
        forms |= {encoded, encoded.rstrip("=")}
        forms |= _base64_cores(raw, altchars)
    return frozenset(f for f in forms if len(f) >= MIN_SECRET_LENGTH)


def secret_variants(value: str) -> set[str]:
    """The forms a secret takes in stored bytes: as is, URL-encoded (also twice, and with
    lower-case escapes), form-encoded, JSON- and HTML-escaped, hex (both cases) and base64
    (standard and URL-safe, with and without padding, and the part that stays the same inside
    a longer base64 text, at any alignment)."""
    return set(_variants(value))


def _alternation(forms: Iterable[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=lambda f: (-len(f), f)))


_T = TypeVar("_T")


class HeaderRedactor:
    """Keeps session secrets out of the archive: header values, token query parameters and
    known secret values in textual bodies, URLs and texts. ``enabled=False`` keeps everything
    (``--keep-credentials``)."""

    def __init__(self, enabled: bool = True, *, learn_secrets: bool = False) -> None:
        self.enabled = enabled
        #: logged-in captures: also hunt the session's secret values in URLs and bodies.
        #: (In a public capture the only cookies are the site's own, set during the capture;
        #: their header values are still redacted, but their values are not searched for in
        #: scripts, where a short value like "necessary" would corrupt the code.)
        self.learn_secrets = learn_secrets
        self.counts: Counter[str] = Counter()
        #: secret values known so far (cookie values of the profile, tokens seen in headers)
        self.secrets: set[str] = set()
        self._text_re: re.Pattern[str] | None = None
        self._bytes_re: re.Pattern[bytes] | None = None

    def add_secret(self, value: str | None) -> None:
        """Remember a secret value so it is removed wherever it appears later."""
        if not self.learn_secrets or not value:
            return
        value = value.strip()
        if len(value) >= MIN_SECRET_LENGTH and MARKER not in value and value not in self.secrets:
            self.secrets.add(value)
            self._text_re = self._bytes_re = None

    def add_secrets(self, values: Iterable[str]) -> None:
        """:meth:`add_secret` for each of ``values``."""
        for value in values:
            self.add_secret(value)

    def _patterns(self) -> tuple[re.Pattern[str], re.Pattern[bytes]] | None:
        """One expression for every form of every known secret (longest first)."""
        if not self.secrets:
            return None
        if self._text_re is None or self._bytes_re is None:
            forms = {f for s in self.secrets for f in _variants(s)}
            alternation = _alternation(forms)
            self._text_re = re.compile(alternation)
            self._bytes_re = re.compile(alternation.encode("utf-8"))
        return self._text_re, self._bytes_re

    def _learn_from_header(self, name: str, value: str) -> None:
        lower = name.lower()
        if lower == "cookie":
            for part in value.split(";"):
                self.add_secret(part.partition("=")[2])
        elif lower in ("authorization", "proxy-authorization"):
            scheme, _, token = value.partition(" ")
            self.add_secret(token or scheme)
        elif lower == "set-cookie":
            self.add_secret(value.split(";", 1)[0].partition("=")[2])
        else:
            self.add_secret(value)

    def _replace_known(self, text: str, count_as: str | None = None) -> str:
        patterns = self._patterns()
        if patterns is None or not text:
            return text
        new, n = patterns[0].subn(MARKER, text)
        if n and count_as:
            self.counts[count_as] += n
        return new

    def _redact_pairs(self, text: str, sep: str, count: bool) -> tuple[str, bool]:
        """A query (or fragment) with credential parameter values replaced; learns them."""
        pairs = parse_qsl(text, keep_blank_values=True)
        if not pairs:
            return text, False
        changed = False
        out = []
        for key, value in pairs:
            if value and value != MARKER and is_secret_param(key, value):
                self.add_secret(value)
                if count:
                    self.counts[f"query:{key.lower()}"] += 1
                value = MARKER
                changed = True
            out.append((key, value))
        return (urlencode(out, safe="/:@") if changed else text), changed

    def url(self, url: str, *, count: bool = True) -> str:
        """``url`` with the values of credential-like parameters (query, and a fragment of
        ``a=b`` pairs as OAuth uses) replaced by the marker, and any known secret value
        anywhere in it (path too) as well (``count=False``: for URLs written into metadata,
        not counted as WARC redactions)."""
        if not self.enabled or not self.learn_secrets or not url:
            return url
        if "?" in url or "#" in url:
            parts = urlsplit(url)
            query, q_changed = self._redact_pairs(parts.query, "&", count)
            fragment, f_changed = (self._redact_pairs(parts.fragment, "&", count)
                                   if "=" in parts.fragment else (parts.fragment, False))
            if q_changed or f_changed:
                url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, fragment))
        return self._replace_known(url, "url:value" if count else None)

    def text(self, text: str) -> str:
        """Any text (a message, an error, a title) with credential parameters of the URLs in
        it and every known secret value replaced by the marker."""
        if not self.enabled or not self.learn_secrets or not text:
            return text
        if isinstance(text, Msg):
            # a catalogue message: its parameters scrubbed, its code kept (the shells still
            # show it in the archivist's language)
            return text.map_params(self.text)
        text = _URL_IN_TEXT.sub(lambda m: self.url(m.group(0), count=False), text)
        return self._replace_known(text)

    def scrub(self, data: _T) -> _T:
        """``data`` (JSON-like: dicts, lists, tuples, strings) with :meth:`text` applied to
        every string, keys included; other values are kept as they are."""
        if not self.enabled or not self.learn_secrets:
            return data
        return cast(_T, _scrub(data, self.text))

    def scrub_fields(self, obj: _T) -> _T:
        """A copy of dataclass ``obj`` (an event, a step report) with :meth:`scrub` applied
        to its text and JSON-like fields; ``obj`` itself when nothing changed."""
        if not self.enabled or not self.learn_secrets or not dataclasses.is_dataclass(obj) \
                or isinstance(obj, type):
            return obj
        changes = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, str | dict | list | tuple):
                new = self.scrub(value)
                if new != value:
                    changes[f.name] = new
        return dataclasses.replace(obj, **changes) if changes else obj

    def redacts_body(self, content_type: str) -> bool:
        """Whether :meth:`body` may change a body of ``content_type`` (a textual type, and
        secrets known): a caller holding the body in a file reads it only then."""
        return (self.enabled and bool(self.secrets)
                and any(t in content_type.lower() for t in _TEXTUAL))

    def body(self, data: bytes, content_type: str) -> bytes:
        """A textual body with every known secret value replaced by the marker (``data``
        itself when none was found)."""
        if not data or not self.redacts_body(content_type):
            return data
        patterns = self._patterns()
        if patterns is None:
            return data
        new, n = patterns[1].subn(MARKER.encode("ascii"), data)
        if not n:
            return data
        self.counts["body"] += n
        return new

    def request_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Redacted copy of request headers."""
        if not self.enabled:
            return headers
        out: list[tuple[str, str]] = []
        for name, value in headers:
            lower = name.lower()
            if lower in SECRET_REQUEST_HEADERS or (
                    self.learn_secrets and lower not in _PLAIN_REQUEST_HEADERS
                    and _secret_name(lower)):
                self._learn_from_header(name, value)
                self.counts[f"request:{lower}"] += 1
                value = MARKER
            elif lower == "referer":
                value = self.url(value)
            else:
                # a known secret in any other header (a token the page copied from local
                # storage into a header of its own)
                value = self._replace_known(value, "request:value")
            out.append((name, value))
        return out

    def response_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Redacted copy of response headers."""
        if not self.enabled:
            return headers
        out: list[tuple[str, str]] = []
        for name, value in headers:
            lower = name.lower()
            if lower == "set-cookie":
                self._learn_from_header(name, value)
                self.counts["response:set-cookie"] += 1
                value = _redact_set_cookie(value)
            elif lower in SECRET_RESPONSE_HEADERS:
                self._learn_from_header(name, value)
                self.counts[f"response:{lower}"] += 1
                value = MARKER
            elif lower in ("location", "content-location", "link", "refresh"):
                value = self.text(value)
            else:
                value = self._replace_known(value, "response:value")
            out.append((name, value))
        return out

    def report(self) -> dict[str, object]:
        """For provenance: whether redaction was on and what it replaced (counts only)."""
        return {"enabled": self.enabled, "marker": MARKER, "redacted": dict(self.counts),
                "secret_values_known": len(self.secrets)}


#: a URL inside a text (an error message, a warning): up to white space or a quote
_URL_IN_TEXT = re.compile(r"""[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>`]+""")


def _scrub(data: Any, text: Any) -> Any:
    if isinstance(data, Msg):
        return data.map_params(text)
    if isinstance(data, str):
        return text(data)
    if isinstance(data, dict):
        return {_scrub(k, text): _scrub(v, text) for k, v in data.items()}
    if isinstance(data, list):
        return [_scrub(v, text) for v in data]
    if isinstance(data, tuple):
        return tuple(_scrub(v, text) for v in data)
    return data


def storage_secrets(state: dict[str, Any]) -> list[str]:
    """The secret values of a profile's storage state (Playwright's ``storage_state``).

    Every cookie value; every local (and session) storage value under a credential-like
    key, and every other one of 16+ characters without white space (tokens, ids, JSON without
    spaces); inside a JSON value, the strings under credential-like keys and the long
    random-looking ones (letters and digits, no spaces, 16+ characters). Short values (< 8
    characters) are never searched for, and neither are short plain values under ordinary
    keys (``collapsed``, ``dark-mode``): replacing those in the page's own code would break
    the record, and they identify no one.
    """
    values = [str(c.get("value", "")) for c in state.get("cookies", []) or []]
    for origin in state.get("origins", []) or []:
        for store in ("localStorage", "sessionStorage"):
            for item in origin.get(store, []) or []:
                name, value = str(item.get("name", "")), str(item.get("value", ""))
                if is_secret_param(name, value) or (len(value) >= 16
                                                    and not re.search(r"\s", value)):
                    values.append(value)
                try:
                    parsed = json.loads(value)
                except ValueError:
                    continue
                values.extend(_json_secrets(parsed))
    return [v for v in values if len(v.strip()) >= MIN_SECRET_LENGTH]


_RANDOM_LOOKING = re.compile(r"(?=[^\s]*[A-Za-z])(?=[^\s]*\d)[^\s]{16,}")


def _json_secrets(data: Any, key: str = "") -> list[str]:
    if isinstance(data, dict):
        return [v for k, item in data.items() for v in _json_secrets(item, str(k))]
    if isinstance(data, list):
        return [v for item in data for v in _json_secrets(item, key)]
    if isinstance(data, str) and ((bool(key) and is_secret_param(key, data))
                                  or _RANDOM_LOOKING.fullmatch(data)):
        return [data]
    return []


def find_secrets(data: bytes, secrets: set[str]) -> set[str]:
    """Which of ``secrets`` (in any stored form) occur in ``data``."""
    hits = set()
    for secret in secrets:
        if any(form.encode("utf-8") in data for form in _variants(secret)):
            hits.add(secret)
    return hits


def longest_form(secrets: Iterable[str]) -> int:
    """The length of the longest stored form of any of ``secrets`` (for scanning in chunks)."""
    return max((len(f.encode("utf-8")) for s in secrets for f in _variants(s)), default=0)
