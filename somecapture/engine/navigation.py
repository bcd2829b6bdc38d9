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

# Chromium network error codes → what an archivist can do about them.
NET_ERRORS = {
    "ERR_NAME_NOT_RESOLVED": "the host name does not exist or DNS is unreachable",
    "ERR_CONNECTION_REFUSED": "the server refused the connection",
    "ERR_CONNECTION_RESET": "the connection was reset",
    "ERR_CONNECTION_CLOSED": "the server closed the connection",
    "ERR_CONNECTION_TIMED_OUT": "the server did not answer in time",
    "ERR_TIMED_OUT": "the server did not answer in time",
    "ERR_ADDRESS_UNREACHABLE": "the address is unreachable from this network",
    "ERR_INTERNET_DISCONNECTED": "this computer is offline",
    "ERR_PROXY_CONNECTION_FAILED": "the proxy did not accept the connection (check --proxy)",
    "ERR_TUNNEL_CONNECTION_FAILED": "the proxy could not reach the site (check --proxy)",
    "ERR_SOCKS_CONNECTION_FAILED": "the SOCKS proxy could not reach the site (check --proxy)",
    "ERR_PROXY_AUTH_UNSUPPORTED": "the proxy refused the login (check --proxy)",
    "ERR_CERT_AUTHORITY_INVALID": "the site's TLS certificate is not trusted "
    "(behind a TLS-inspecting proxy, use --ignore-https-errors)",
    "ERR_CERT_COMMON_NAME_INVALID": "the site's TLS certificate is for another host name",
    "ERR_CERT_DATE_INVALID": "the site's TLS certificate has expired or is not yet valid",
    "ERR_SSL_PROTOCOL_ERROR": "the TLS handshake failed",
    "ERR_TOO_MANY_REDIRECTS": "the page redirects in a loop",
    "ERR_ABORTED": "the page load was aborted (a download, or the page navigated away)",
    "ERR_EMPTY_RESPONSE": "the server sent an empty response",
    "ERR_CONTENT_LENGTH_MISMATCH": "the connection ended before the whole page was sent",
    "ERR_INCOMPLETE_CHUNKED_ENCODING": "the connection ended before the whole page was sent",
    "ERR_INVALID_RESPONSE": "the server sent an invalid response",
    "ERR_BLOCKED_BY_CLIENT": "the address is on a private or local network, which captured "
    "pages may not reach (for an intranet page, use --allow-private-network)",
    "ERR_UNSAFE_PORT": "the port is one browsers refuse to use",
    "ERR_RESPONSE_HEADERS_TOO_BIG": "the server's response headers are larger than the "
    "browser's 256 KiB limit",
}

#: limits of this tool itself (codes the guard proxy records in its ``failures``): the browser
#: sees only a connection cut ("empty response"); the message names the limit, and the
#: failure is never retried (the same page hits the same limit again)
LOCAL_LIMITS = {
    RESPONSE_HEAD_LIMIT: "the server's response headers are larger than this tool's "
    f"{MAX_HEAD_BYTES // 1024} KiB limit",
    REQUEST_HEAD_LIMIT: "the browser's request headers (cookies, or a very long address) are "
    f"larger than this tool's {MAX_HEAD_BYTES // 1024} KiB limit",
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


def explain_navigation_error(url: str, exc: Exception) -> str:
    """A user-facing sentence for a failed ``page.goto``."""
    text = str(exc)
    for code, meaning in LOCAL_LIMITS.items():
        if code in text:
            return (f"Could not open {url}: {meaning} (a limit of somecapture, not a network "
                    "fault; trying again will not help).")
    for code, meaning in NET_ERRORS.items():
        if code in text:
            return f"Could not open {url}: {meaning} (net::{code})."
    if isinstance(exc, PlaywrightTimeoutError) or "Timeout" in text:
        return f"Could not open {url}: no response within the load budget."
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"Could not open {url}: {first}"


def navigation_error(url: str, cause: Exception, *, detail: str | None = None,
                     own_proxy_setting: bool = True) -> NavigationError:
    """The error to raise for a failed ``page.goto`` of ``url``.

    ``detail``: what the guard proxy saw (DNS answer, refusal…), added to the sentence.
    ``own_proxy_setting``: False when the proxy in question is the computer's own, not a
    ``--proxy``, so the advice points at the proxy settings instead.
    """
    message = explain_navigation_error(url, cause)
    if detail and not any(code in str(cause) for code in LOCAL_LIMITS):  # already said
        message = f"{message.removesuffix('.')} — {detail[:300]}."
    if not own_proxy_setting:
        message = message.replace("(check --proxy)", "(check the proxy settings)")
    return navigation_error_class(cause)(message, retryable=is_transient(cause))
