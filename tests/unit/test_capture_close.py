"""PageCapturer.closed(): what a whole recording left closing is closed before the capture
ends, whatever cancels arrive meanwhile; a close that fails is logged, not raised."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from somecapture.engine.capture import PageCapturer
from somecapture.options import CaptureOptions


def _capturer() -> PageCapturer:
    return PageCapturer(session=None, options=CaptureOptions())  # type: ignore[arg-type]


def test_cancels_do_not_cut_the_close_short() -> None:
    async def run() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        capturer = _capturer()

        async def close() -> None:
            await asyncio.sleep(0.3)
            seen["closed"] = True

        capturer._closing.add(asyncio.ensure_future(close()))
        waiter = asyncio.ensure_future(capturer.closed())
        await asyncio.sleep(0.05)
        waiter.cancel()
        await asyncio.sleep(0.05)
        waiter.cancel()  # a second cancel, as a second Ctrl-C or a batch stopping
        try:
            await waiter
        except asyncio.CancelledError:
            seen["cancelled_after_close"] = seen.get("closed", False)
        return seen

    seen = asyncio.run(run())
    assert seen == {"closed": True, "cancelled_after_close": True}


def test_a_failed_close_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    async def run() -> None:
        capturer = _capturer()

        async def close() -> None:
            raise RuntimeError("the browser went away")

        capturer._closing.add(asyncio.ensure_future(close()))
        await capturer.closed()

    with caplog.at_level(logging.WARNING):
        asyncio.run(run())
    assert "the browser went away" in caplog.text
