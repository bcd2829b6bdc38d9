"""Shared fixtures: the fixture site on 127.0.0.1 and helpers to run real captures."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from somecapture.models import CaptureResult
from somecapture.options import CaptureOptions
from somecapture.pipeline import capture_url
from tests.fixtures.site.server import FixtureSite

# Qt tests never need a display
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Keep tests (and the CLI subprocesses they start) out of the real user's folders: the
# catalogue, config, logs and default output folder all live under one temporary home.
_TEST_HOME = Path(tempfile.mkdtemp(prefix="somecapture-test-home-"))
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_DOCUMENTS_DIR", "Documents")):
    os.environ[_var] = str(_TEST_HOME / _sub)


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    """The social-platform fixture site, shared by the session."""
    with FixtureSite() as s:
        yield s


def fast_options(out_dir: Path, **changes: Any) -> CaptureOptions:
    """Options for fixture captures: short budgets, loopback only."""
    base: dict[str, Any] = {
        "out_dir": out_dir,
        "settle_timeout_s": 5.0,
        "network_idle_ms": 400,
        "expand_timeout_s": 30.0,
        "capture_timeout_s": 120.0,
        "load_timeout_s": 20.0,
        # the fixture site is on loopback, which captures may not reach by default
        "allow_private_network": True,
    }
    base.update(changes)
    return CaptureOptions(**base)


def run_capture(url: str, out_dir: Path, **changes: Any) -> CaptureResult:
    """Capture ``url`` with a real browser and return the result."""
    return asyncio.run(capture_url(url, fast_options(out_dir, **changes)))


def final_packages(out_dir: Path) -> list[Path]:
    """Published packages (folders other than staging) under ``out_dir``."""
    if not out_dir.exists():
        return []
    return sorted(p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
