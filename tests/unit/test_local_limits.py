"""Limits of the tool itself are named as such and never retried (issue 16 item 8).

The guard proxy cuts a connection whose response or request head is over its 256 KiB limit;
the browser then only sees an "empty response". The proxy records the real reason, and the
navigation error names the limit and is not transient. Loopback sockets only (the guard
proxy tests' network fence is used here too).
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from somecapture.engine import guardproxy
from somecapture.engine.guardproxy import REQUEST_HEAD_LIMIT, RESPONSE_HEAD_LIMIT
from somecapture.engine.navigation import (
    LOCAL_LIMITS,
    PROXY_MASKED,
    explain_navigation_error,
    is_transient,
    navigation_error,
)
from somecapture.errors import LoadTimeoutError
from tests.unit.test_guardproxy import (
    STEP,
    Outgoing,
    Server,
    connect,
    exchange,
    get,
    guard,
    read_to_end,
    run,
)

# the guard proxy tests' network fence (autouse ``dns``, and ``outgoing``), under other names
from tests.unit.test_guardproxy import dns as _fence_dns  # noqa: F401
from tests.unit.test_guardproxy import outgoing as _fence_outgoing  # noqa: F401

URL = "https://example.test/post/1"


@pytest.mark.parametrize("code", [RESPONSE_HEAD_LIMIT, REQUEST_HEAD_LIMIT])
def test_a_local_limit_is_named_and_not_transient(code: str) -> None:
    cause = Exception(f"net::{code}")
    assert not is_transient(cause)
    error = navigation_error(URL, cause, detail="example.test:443: head over 256 KiB")
    assert error.retryable is False
    assert not isinstance(error, LoadTimeoutError)
    assert "this tool's 256 KiB limit" in str(error)
    assert "a limit of somecapture" in str(error) and "will not help" in str(error)
    assert "empty response" not in str(error)
    assert code not in str(error), "the internal code is not the archivist's business"


def test_the_response_head_message_says_what_is_too_large() -> None:
    text = explain_navigation_error(URL, Exception(f"net::{RESPONSE_HEAD_LIMIT}"))
    assert "the server's response headers are larger than this tool's 256 KiB limit" in text


def test_an_empty_response_without_a_local_limit_is_still_transient() -> None:
    assert is_transient(Exception("net::ERR_EMPTY_RESPONSE"))
    assert is_transient(PlaywrightTimeoutError("Timeout 5000ms exceeded"))
    assert "ERR_EMPTY_RESPONSE" in PROXY_MASKED and "ERR_CONNECTION_RESET" in PROXY_MASKED


def test_the_browsers_own_header_limit_is_named_and_not_transient() -> None:
    cause = Exception("net::ERR_RESPONSE_HEADERS_TOO_BIG")
    assert not is_transient(cause)
    assert "larger than the browser's 256 KiB limit" in explain_navigation_error(URL, cause)


def test_every_local_limit_has_a_sentence() -> None:
    assert set(LOCAL_LIMITS) == {RESPONSE_HEAD_LIMIT, REQUEST_HEAD_LIMIT}


def test_proxy_records_a_response_head_over_its_limit() -> None:
    big = (b"HTTP/1.1 200 OK\r\n"
           + b"".join(b"X-Fill-%d: %s\r\n" % (i, b"a" * 1000) for i in range(300))
           + b"Content-Length: 2\r\n\r\nok")

    async def site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(big)
        with contextlib.suppress(ConnectionError):
            await writer.drain()

    async def scenario() -> None:
        async with Server(site) as server, guard(allow_private=True) as (proxy, port):
            answer = await exchange(port, get(f"http://site.test:{server.port}/"))
            assert answer == b"", "the browser gets nothing: the connection is cut"
            assert [f.net_error for f in proxy.failures] == [RESPONSE_HEAD_LIMIT]
            assert proxy.failures[0].port == server.port
            assert proxy.first_failure_since(0.0, [f"http://site.test:{server.port}/x"])

    run(scenario())


def test_proxy_records_a_request_head_over_its_limit(request: pytest.FixtureRequest
                                                      ) -> None:
    fence: Outgoing = request.getfixturevalue("_fence_outgoing")

    async def scenario() -> None:
        async with guard(allow_private=True) as (proxy, port):
            reader, writer = await connect(port)
            writer.write(b"GET http://site.test:8080/big HTTP/1.1\r\nCookie: "
                         + b"a" * (guardproxy.MAX_HEAD_BYTES + 10))
            with contextlib.suppress(ConnectionError):
                await asyncio.wait_for(writer.drain(), STEP)
            data, _ = await read_to_end(reader)
            writer.close()
            assert data == b""
            assert [(f.host, f.port, f.net_error) for f in proxy.failures] == [
                ("site.test", 8080, REQUEST_HEAD_LIMIT)]
        assert fence.attempts == [], "nothing is sent on for a head over the limit"

    run(scenario())
