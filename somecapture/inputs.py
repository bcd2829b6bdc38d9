"""URL checking: what the archivist typed or pasted → a URL the browser can open, or a clear error.

List files (batch input) are parsed in :mod:`somecapture.batchinput`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from somecapture.errors import InvalidURLError

#: browsers and servers commonly reject URLs beyond ~8 KB; longer input is a paste error
MAX_URL_LENGTH = 8192

_NON_WEB_SCHEMES = {
    "file": "it would read files on this computer",
    "javascript": "it is a script, not a page",
    "data": "it is inline data, not a published page",
    "chrome": "it is a browser-internal page",
    "about": "it is a browser-internal page",
    "blob": "it only exists inside one browser tab",
    "view-source": "it is a browser view, not a page",
    "ftp": "somecapture captures web pages (http/https) only",
    "mailto": "it is an e-mail address",
}
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HOST_LIKE_RE = re.compile(r"^[^\s/:?#]+\.[^\s/:?#]+([/:?#]|$)")
# characters a browser escapes itself; we do the same so the URL we record is the one requested
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?/"


_LABEL_RE = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$", re.IGNORECASE)


def _check_host(host: str, shown: str) -> None:
    """A host name of DNS labels, an IPv4 address or an IPv6 literal; nothing else."""
    import ipaddress

    if ":" in host:  # IPv6 literal (urlsplit already removed the brackets)
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            raise InvalidURLError(f"{shown!r} has an invalid IPv6 address {host!r}.") from None
        return
    labels = host.rstrip(".").split(".")
    if all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise InvalidURLError(f"{shown!r} has an invalid IP address {host!r}.") from None
        return
    if len(host) > 253 or any(not _LABEL_RE.match(label) for label in labels):
        raise InvalidURLError(
            f"The host name {host!r} in {shown!r} is not a valid domain name (empty parts, "
            "spaces or characters that are not allowed).")


def normalize_url(text: str) -> str:
    """Check ``text`` and return it as an absolute http(s) URL with an ASCII (IDNA) host.

    Unicode hosts are converted to punycode and Unicode path characters percent-encoded, as a
    browser does. A missing scheme on something that looks like a host name gets ``https://``.
    Raises :class:`InvalidURLError` with what is wrong and what to do.
    """
    raw = text.strip()
    shown = raw if len(raw) <= 120 else raw[:117] + "..."
    if not raw:
        raise InvalidURLError("The URL is empty. Paste the address of the post to capture.")
    if len(raw) > MAX_URL_LENGTH:
        raise InvalidURLError(
            f"The URL is {len(raw):,} characters long (limit {MAX_URL_LENGTH:,}); "
            "check that only one address was pasted."
        )
    if any(ch in raw for ch in "\r\n\t\x00") or any(ord(ch) < 32 for ch in raw):
        raise InvalidURLError(f"The URL {shown!r} contains control characters or line breaks.")
    match = _SCHEME_RE.match(raw)
    if match is None or (match and "." in match.group(1) and _HOST_LIKE_RE.match(raw)):
        if raw.startswith("//"):
            raw = "https:" + raw
        elif _HOST_LIKE_RE.match(raw):
            raw = "https://" + raw
        else:
            raise InvalidURLError(
                f"{shown!r} is not a web address. Give a full URL such as "
                "https://www.facebook.com/oslokommune/posts/123."
            )
    scheme = raw.split(":", 1)[0].lower()
    if scheme in _NON_WEB_SCHEMES:
        raise InvalidURLError(
            f"{shown!r} uses the {scheme}: scheme, which cannot be captured: "
            f"{_NON_WEB_SCHEMES[scheme]}. Give an http:// or https:// address."
        )
    if scheme not in ("http", "https"):
        raise InvalidURLError(
            f"{shown!r} uses the {scheme}: scheme; only http:// and https:// pages can be captured."
        )
    if " " in raw.strip():
        raise InvalidURLError(f"{shown!r} contains spaces; paste one address at a time.")
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(f"{shown!r} is not a valid URL: {exc}.") from None
    if parts.username is not None or parts.password is not None:
        raise InvalidURLError(
            f"{shown!r} contains a user name or password. Remove it: credentials in a URL would "
            "be written into the archive. Use a login profile for pages that need a login."
        )
    host = parts.hostname
    if not host:
        raise InvalidURLError(f"{shown!r} has no host name (expected https://host/…).")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise InvalidURLError(
            f"The host name {host!r} in {shown!r} is not a valid domain name."
        ) from None
    _check_host(ascii_host, shown)
    if port is not None and not 1 <= port <= 65535:
        raise InvalidURLError(f"{shown!r} has port {port}; ports run from 1 to 65535.")
    if ascii_host.startswith("[") or ":" in ascii_host:
        netloc = f"[{ascii_host}]"
    else:
        netloc = ascii_host
    if port is not None:
        netloc = f"{netloc}:{port}"
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    query = quote(parts.query, safe=_SAFE_QUERY)
    # the fragment never reaches the server but can select a comment on some platforms: keep it
    fragment = quote(parts.fragment, safe=_SAFE_QUERY + "#")
    return urlunsplit((scheme, netloc, path, query, fragment))
