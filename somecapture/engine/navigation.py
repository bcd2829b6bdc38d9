"""Why a page could not be opened, in the archivist's words and as an error class.

Chromium reports a failed navigation as ``net::ERR_…``; through the capture's guard proxy it
often sees only "tunnel failed" or an empty response, and the proxy knows what really happened
(see :meth:`~somecapture.engine.guardproxy.GuardProxy.first_failure_since`). This module turns
either into one :class:`~somecapture.errors.NavigationError` subclass with a sentence that says
what to do.
"""

from __future__ import annotations

from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from somecapture.engine.guardproxy import MAX_HEAD_BYTES, REQUEST_HEAD_LIMIT, RESPONSE_HEAD_LIMIT
from somecapture.errors import (
    DnsError,
    LoadTimeoutError,
    NavigationError,
    PrivateNetworkBlockedError,
    ProxyError,
    TlsCertificateError,
)
from somecapture.messages import Msg

# Chromium network error codes an archivist can do something about: each has its sentence in
# the message catalogue as ``net.<code>`` (with the advice for the command line and the app)
NET_ERRORS = frozenset({
    "ERR_NAME_NOT_RESOLVED", "ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET",
    "ERR_CONNECTION_CLOSED", "ERR_CONNECTION_TIMED_OUT", "ERR_TIMED_OUT",
    "ERR_ADDRESS_UNREACHABLE", "ERR_INTERNET_DISCONNECTED", "ERR_PROXY_CONNECTION_FAILED",
    "ERR_TUNNEL_CONNECTION_FAILED", "ERR_SOCKS_CONNECTION_FAILED",
    "ERR_PROXY_AUTH_UNSUPPORTED", "ERR_CERT_AUTHORITY_INVALID", "ERR_CERT_COMMON_NAME_INVALID",
    "ERR_CERT_DATE_INVALID", "ERR_SSL_PROTOCOL_ERROR", "ERR_TOO_MANY_REDIRECTS",
    "ERR_ABORTED", "ERR_EMPTY_RESPONSE", "ERR_CONTENT_LENGTH_MISMATCH",
    "ERR_INCOMPLETE_CHUNKED_ENCODING", "ERR_INVALID_RESPONSE", "ERR_BLOCKED_BY_CLIENT",
    "ERR_UNSAFE_PORT", "ERR_RESPONSE_HEADERS_TOO_BIG",
})


def net_reason(code: str, *, proxy: str = "own") -> Msg:
    """Why a ``net::<code>`` failure happened, as a catalogue message (``proxy``: ``own``
    when the proxy in question is the one configured for somecapture, ``system`` when it is
    the computer's own)."""
    return Msg(f"net.{code}", proxy=proxy)


#: limits of this tool itself (codes the guard proxy records in its ``failures``): the browser
#: sees only a connection cut ("empty response"); the message names the limit, and the
#: failure is never retried (the same page hits the same limit again)
LOCAL_LIMITS = {
    RESPONSE_HEAD_LIMIT: Msg("net.limit.response_head", kib=MAX_HEAD_BYTES // 1024),
    REQUEST_HEAD_LIMIT: Msg("net.limit.request_head", kib=MAX_HEAD_BYTES // 1024),
}

#: what the browser reports when the guard proxy refused or could not make a connection (a
#: connection it cut with unread request bytes arrives as a reset)
PROXY_MASKED = ("ERR_TUNNEL_CONNECTION_FAILED", "ERR_EMPTY_RESPONSE",
                "ERR_PROXY_CONNECTION_FAILED", "ERR_CONNECTION_CLOSED", "ERR_CONNECTION_RESET")

_TRANSIENT_NET_ERRORS = {"ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_TIMED_OUT",
                         "ERR_CONNECTION_TIMED_OUT", "ERR_EMPTY_RESPONSE",
                         "ERR_NETWORK_CHANGED", "ERR_INTERNET_DISCONNECTED",
                         "ERR_PROXY_CONNECTION_FAILED", "ERR_HTTP2_PROTOCOL_ERROR",
                         "ERR_CONTENT_LENGTH_MISMATCH", "ERR_INCOMPLETE_CHUNKED_ENCODING"}


def is_transient(exc: Exception) -> bool:
    """Whether a failed ``page.goto`` may succeed when tried again (never for a limit of this
    tool: the same page hits it again)."""
    text = str(exc)
    if any(code in text for code in LOCAL_LIMITS):
        return False
    return isinstance(exc, PlaywrightTimeoutError) or any(c in text for c in _TRANSIENT_NET_ERRORS)


def navigation_error_class(exc: Exception) -> type[NavigationError]:
    """The error class for a failed ``page.goto`` (its ``code`` is what shells advise on)."""
    text = str(exc)
    if "ERR_BLOCKED_BY_CLIENT" in text:
        return PrivateNetworkBlockedError
    if "ERR_CERT_" in text or "ERR_SSL_" in text:
        return TlsCertificateError
    if "ERR_NAME_NOT_RESOLVED" in text:
        return DnsError
    if "ERR_PROXY" in text or "ERR_TUNNEL" in text:
        return ProxyError
    if is_transient(exc):
        return LoadTimeoutError
    return NavigationError


def explain_navigation_error(url: str, exc: Exception, *, detail: str = "",
                             proxy: str = "own") -> Msg:
    """The archivist's sentence for a failed ``page.goto`` (``detail``: what the guard
    proxy saw; ``proxy``: see :func:`net_reason`)."""
    text = str(exc)
    for code, meaning in LOCAL_LIMITS.items():
        if code in text:
            return Msg("error.navigation_limit", url=url, reason=meaning)
    more = f" — {detail[:300]}" if detail else ""
    for code in sorted(NET_ERRORS, key=len, reverse=True):
        if f"net::{code}" in text or code in text:
            return Msg("error.navigation", url=url, reason=net_reason(code, proxy=proxy),
                       code=code, detail=more)
    if isinstance(exc, PlaywrightTimeoutError) or "Timeout" in text:
        return Msg("error.navigation_timeout", url=url, detail=more)
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return Msg("error.navigation_other", url=url, first=first,
               detail=f"{more}." if more else "")


def navigation_error(url: str, cause: Exception, *, detail: str | None = None,
                     own_proxy_setting: bool = True) -> NavigationError:
    """The error to raise for a failed ``page.goto`` of ``url``.

    ``detail``: what the guard proxy saw (DNS answer, refusal…), added to the sentence.
    ``own_proxy_setting``: False when the proxy in question is the computer's own, not a
    ``--proxy``, so the advice points at the proxy settings instead.
    """
    message = explain_navigation_error(url, cause, detail=detail or "",
                                       proxy="own" if own_proxy_setting else "system")
    return navigation_error_class(cause)(message, retryable=is_transient(cause))
