"""URL checking: what the archivist typed or pasted → a URL the browser can open, or a clear error.

List files (batch input) are parsed in :mod:`somecapture.batchinput`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from somecapture.errors import InvalidURLError
from somecapture.messages import Msg

#: browsers and servers commonly reject URLs beyond ~8 KB; longer input is a paste error
MAX_URL_LENGTH = 8192

# schemes that are not web pages (the message ``url.scheme_not_web`` says why, per scheme)
_NON_WEB_SCHEMES = frozenset({"file", "javascript", "data", "chrome", "about", "blob",
                              "view-source", "ftp", "mailto"})
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
            raise InvalidURLError(Msg("url.bad_ip", url=shown, host=host)) from None
        return
    labels = host.rstrip(".").split(".")
    if all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise InvalidURLError(Msg("url.bad_ip", url=shown, host=host)) from None
        return
    if len(host) > 253 or any(not _LABEL_RE.match(label) for label in labels):
        raise InvalidURLError(Msg("url.bad_domain", host=host, url=shown))


def _visible(text: str) -> str:
    """``text`` with every character that does not print (control characters, line breaks,
    bidi overrides) written as its escape, so the archivist sees what is wrong with it."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def normalize_url(text: str) -> str:
    """Check ``text`` and return it as an absolute http(s) URL with an ASCII (IDNA) host.

    Unicode hosts are converted to punycode and Unicode path characters percent-encoded, as a
    browser does. A missing scheme on something that looks like a host name gets ``https://``.
    Raises :class:`InvalidURLError` with what is wrong and what to do.
    """
    raw = text.strip()
    shown = _visible(raw if len(raw) <= 120 else raw[:117] + "...")
    if not raw:
        raise InvalidURLError(Msg("url.empty"))
    if len(raw) > MAX_URL_LENGTH:
        raise InvalidURLError(Msg("url.too_long", length=len(raw), limit=MAX_URL_LENGTH))
    if any(ch in raw for ch in "\r\n\t\x00") or any(ord(ch) < 32 for ch in raw):
        raise InvalidURLError(Msg("url.control_chars", url=shown))
    match = _SCHEME_RE.match(raw)
    if match is None or (match and "." in match.group(1) and _HOST_LIKE_RE.match(raw)):
        if raw.startswith("//"):
            raw = "https:" + raw
        elif _HOST_LIKE_RE.match(raw):
            raw = "https://" + raw
        else:
            raise InvalidURLError(Msg("url.not_web", url=shown))
    scheme = raw.split(":", 1)[0].lower()
    if scheme in _NON_WEB_SCHEMES:
        raise InvalidURLError(Msg("url.scheme_not_web", url=shown, scheme=scheme))
    if scheme not in ("http", "https"):
        raise InvalidURLError(Msg("url.scheme_other", url=shown, scheme=scheme))
    if " " in raw.strip():
        raise InvalidURLError(Msg("url.spaces", url=shown))
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(Msg("url.invalid", url=shown, detail=str(exc))) from None
    if parts.username is not None or parts.password is not None:
        raise InvalidURLError(Msg("url.credentials", url=shown))
    host = parts.hostname
    if not host:
        raise InvalidURLError(Msg("url.no_host", url=shown))
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise InvalidURLError(Msg("url.bad_domain", host=host, url=shown)) from None
    _check_host(ascii_host, shown)
    if port is not None and not 1 <= port <= 65535:
        raise InvalidURLError(Msg("url.bad_port", url=shown, port=str(port)))
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
