"""Keeping the archivist's session secrets out of the archive.

Request ``Cookie``/``Authorization`` values, response ``Set-Cookie`` values and CSRF/bearer
token headers are replaced by a marker before anything is written. The header *names* stay, so
the record still shows that a cookie was sent; provenance counts what was redacted (names and
counts, never values).
"""

from __future__ import annotations

from collections import Counter

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


class HeaderRedactor:
    """Replaces secret header values; ``enabled=False`` keeps them (``--keep-credentials``)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.counts: Counter[str] = Counter()

    def request_headers(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Redacted copy of request headers."""
        if not self.enabled:
            return headers
        out: list[tuple[str, str]] = []
        for name, value in headers:
            if name.lower() in SECRET_REQUEST_HEADERS:
                self.counts[f"request:{name.lower()}"] += 1
                value = MARKER
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
                self.counts["response:set-cookie"] += 1
                value = _redact_set_cookie(value)
            elif lower in SECRET_RESPONSE_HEADERS:
                self.counts[f"response:{lower}"] += 1
                value = MARKER
            out.append((name, value))
        return out

    def report(self) -> dict[str, object]:
        """For provenance: whether redaction was on and what it replaced (counts only)."""
        return {"enabled": self.enabled, "marker": MARKER, "redacted": dict(self.counts)}
