"""Keeping the archivist's session secrets out of the archive.

Request ``Cookie``/``Authorization`` values, response ``Set-Cookie`` values and CSRF/bearer
token headers are replaced by a marker before anything is written. The header *names* stay, so
the record still shows that a cookie was sent; provenance counts what was redacted (names and
counts, never values).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

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


def _redact_set_cookie(value: str) -> str:
    """``sid=abc; Path=/; HttpOnly`` → ``sid=MARKER; Path=/; HttpOnly``: keep the name and
    attributes (evidence of what the site set), drop the value (the secret)."""
    first, sep, rest = value.partition(";")
    name, eq, _ = first.partition("=")
    if not eq:
        return MARKER
    return f"{name.strip()}={MARKER}{sep}{rest}"


#: query parameters that carry session or API secrets
SECRET_QUERY_PARAMS = re.compile(
    r"^(access_?token|auth(_?token)?|token|session(_?id)?|sid|sessionid|csrf(_?token)?|"
    r"xsrf(_?token)?|oauth_token|oauth_signature|api_?key|key|signature|sig|jwt|id_token|"
    r"refresh_token|code|password|passwd|pwd)$",
    re.IGNORECASE,
)
#: shorter values are too likely to occur by chance to be searched for in bodies
MIN_SECRET_LENGTH = 8
_TEXTUAL = ("text/", "json", "javascript", "xml", "html", "x-www-form-urlencoded")


def secret_variants(value: str) -> set[str]:
    """The forms a secret takes in stored bytes: as is, URL-encoded, JSON-escaped."""
    forms = {value, quote(value, safe=""), quote(value, safe="/")}
    forms.add(value.replace("/", "\\/"))  # JSON may escape slashes
    return {f for f in forms if len(f) >= MIN_SECRET_LENGTH}


class HeaderRedactor:
    """Keeps session secrets out of the archive: header values, token query parameters and
    known secret values in textual bodies. ``enabled=False`` keeps everything
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

    def add_secret(self, value: str | None) -> None:
        """Remember a secret value so it is removed wherever it appears later."""
        if not self.learn_secrets:
            return
        if value and len(value.strip()) >= MIN_SECRET_LENGTH and value.strip() != MARKER:
            self.secrets.add(value.strip())

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

    def url(self, url: str, *, count: bool = True) -> str:
        """``url`` with the values of token-like query parameters replaced by the marker
        (``count=False``: for URLs written into metadata, not counted as WARC redactions)."""
        if not self.enabled or not self.learn_secrets or "?" not in url:
            return url
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        changed = False
        out = []
        for key, value in pairs:
            if value and SECRET_QUERY_PARAMS.match(key):
                self.add_secret(value)
                if count:
                    self.counts[f"query:{key.lower()}"] += 1
                value = MARKER
                changed = True
            out.append((key, value))
        if not changed:
            return url
        return urlunsplit((parts.scheme, parts.netloc, parts.path,
                           urlencode(out, safe="/:@"), parts.fragment))

    def body(self, data: bytes, content_type: str) -> bytes:
        """A textual body with every known secret value replaced by the marker."""
        if not self.enabled or not self.secrets or not data:
            return data
        if not any(t in content_type.lower() for t in _TEXTUAL):
            return data
        for secret in sorted(self.secrets, key=len, reverse=True):
            for form in secret_variants(secret):
                needle = form.encode("utf-8")
                if needle in data:
                    self.counts["body"] += data.count(needle)
                    data = data.replace(needle, MARKER.encode("ascii"))
        return data

    def request_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Redacted copy of request headers."""
        if not self.enabled:
            return headers
        out: list[tuple[str, str]] = []
        for name, value in headers:
            if name.lower() in SECRET_REQUEST_HEADERS:
                self._learn_from_header(name, value)
                self.counts[f"request:{name.lower()}"] += 1
                value = MARKER
            elif name.lower() == "referer":
                value = self.url(value)
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
            elif lower in ("location", "content-location"):
                value = self.url(value)
            out.append((name, value))
        return out

    def report(self) -> dict[str, object]:
        """For provenance: whether redaction was on and what it replaced (counts only)."""
        return {"enabled": self.enabled, "marker": MARKER, "redacted": dict(self.counts),
                "secret_values_known": len(self.secrets)}


def find_secrets(data: bytes, secrets: set[str]) -> set[str]:
    """Which of ``secrets`` (in any stored form) occur in ``data``."""
    hits = set()
    for secret in secrets:
        if any(form.encode("utf-8") in data for form in secret_variants(secret)):
            hits.add(secret)
    return hits
