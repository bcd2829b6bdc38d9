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

# The command line and the app speak the locale's language (issue 22): a developer's
# LANG=nb_NO.UTF-8, or a CI machine where LANG is unset, must not change what the tests read.
# The session runs in the neutral C.UTF-8 locale (English texts, UTF-8 streams); a test that
# needs another language sets its own (it drops these and sets LANG or LC_ALL itself).
for _var in ("LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_var, None)
os.environ["LC_ALL"] = os.environ["LANG"] = "C.UTF-8"

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
