"""One form per address of a watched post, so the same post is watched once (issue 19).

A post reaches the watch list under many addresses: with a platform's tracking parameters
(Facebook's ``__cft__[0]`` and ``__tn__``, X's ``?s=20``, ``utm_*``, ``fbclid`` …), from
another host name of the platform (``m.facebook.com``, ``mobile.x.com``), with or without a
trailing slash. :func:`canonical_url` is the address the watch keeps: normalized
(:func:`~somecapture.inputs.normalize_url`), without tracking parameters, and, where a site
adapter knows the platform's permalink form and that form has no query (X's
``/<user>/status/<id>``, Facebook's ``/<page>/posts/<id>``, Instagram's ``/p/<code>`` …),
without any query at all. :func:`address_key` is what two addresses of one post share: the
canonical form without scheme, fragment, host prefix and trailing slash, its query sorted.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from somecapture.errors import InvalidURLError
from somecapture.inputs import normalize_url
from somecapture.sites.registry import adapter_for_url

#: query parameters that say where a visitor came from, never which page it is
_TRACKING = re.compile(
    r"utm_[a-z0-9_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|_hsenc|_hsmi|"
    r"igshid|igsh|mibextid|__cft__(?:\[\d*\])?|__tn__|__xts__(?:\[\d*\])?", re.IGNORECASE)
#: a platform's own tracking parameters (by its host without prefix)
_TRACKING_ON = {
    "facebook.com": re.compile(r"ref|rdid|notif_id|notif_t|sfnsn|paipv|eav|_rdr|hc_ref|"
                               r"hc_location|fref|comment_tracking|acontext", re.IGNORECASE),
    "x.com": re.compile(r"s|t|ref_src|ref_url|src", re.IGNORECASE),
    "twitter.com": re.compile(r"s|t|ref_src|ref_url|src", re.IGNORECASE),
    "youtube.com": re.compile(r"si|feature|pp|ab_channel", re.IGNORECASE),
    "youtu.be": re.compile(r"si|feature", re.IGNORECASE),
    "instagram.com": re.compile(r"img_index|hl", re.IGNORECASE),
    "linkedin.com": re.compile(r"trk|trackingId|lipi|midToken|midSig|trkEmail|eid|rcm",
                               re.IGNORECASE),
    "tiktok.com": re.compile(r"is_from_webapp|sender_device|web_id|_r|_t|refer|"
                             r"is_copy_url", re.IGNORECASE),
}
#: host prefixes under which a platform serves the same pages
_HOST_PREFIXES = ("www.", "m.", "mobile.", "web.", "touch.", "mbasic.")
#: another name of the same platform
_SAME_SITE = {"twitter.com": "x.com"}


def bare_host(url: str) -> str:
    """The host without the usual ``www.``/``m.``/``mobile.``/``web.`` prefix (the same
    account's pages are served from several of them), lower case."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def _tracking(name: str, host: str) -> bool:
    own = _TRACKING_ON.get(host)
    return bool(_TRACKING.fullmatch(name) or (own is not None and own.fullmatch(name)))


def _query_is_not_the_post(url: str) -> bool:
    """A site adapter knows the post's permalink form, and it has no query."""
    adapter = adapter_for_url(url)
    if adapter is None:
        return False
    matching = [p for p in adapter.data.url_patterns if p.search(url)]
    return bool(matching) and all("\\?" not in p.pattern for p in matching)


def canonical_url(url: str) -> str:
    """The one address the watch keeps for a post's address ``url`` (see the module's
    docstring). Raises :class:`InvalidURLError` for what is no web address."""
    normalized = normalize_url(url)
    parts = urlsplit(normalized)
    host = bare_host(normalized)
    # the query's own pieces are kept as they are written: only whole parameters go
    kept = [piece for piece in parts.query.split("&")
            if piece and not _tracking(unquote_plus(piece.split("=", 1)[0]), host)]
    query = "&".join(kept)
    if query and _query_is_not_the_post(urlunsplit(parts._replace(query=query))):
        query = ""
    return urlunsplit(parts._replace(query=query))


def address_key(url: str) -> str:
    """What every address of one post has in common: :func:`canonical_url` without scheme,
    fragment, host prefix or trailing slash, its query parameters sorted. An address that is
    not a web address is its own key."""
    try:
        canonical = canonical_url(url)
    except InvalidURLError:
        return url.strip()
    parts = urlsplit(canonical)
    host = bare_host(canonical)
    netloc = _SAME_SITE.get(host, host) + (f":{parts.port}" if parts.port else "")
    path = parts.path.rstrip("/") or "/"
    query = "&".join(sorted(p for p in parts.query.split("&") if p))
    return netloc + path + (f"?{query}" if query else "")
