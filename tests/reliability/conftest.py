"""Fixtures of the reliability suite and the leftover-process count.

Every process the suite starts inherits ``SOMECAPTURE_RELIABILITY_RUN`` (a fresh value per
session). After the last test, any live process carrying it — a CLI subprocess, a Playwright
driver, a browser or one of its helpers, even one re-parented away from pytest — is a
leftover: the count is printed and must be 0.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.site.server import FixtureSite
from tests.reliability.helpers import (
    MARKER_ENV,
    Canary,
    SharedBrowser,
    leftover_processes,
)

os.environ.setdefault(MARKER_ENV, uuid.uuid4().hex)

#: figures for the closing note, filled in as the session runs
FIGURES: dict[str, int] = {}
LEFTOVERS: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def no_leftover_processes() -> Iterator[None]:
    """After the whole suite: no browser, driver or CLI process of this session is alive."""
    yield
    leftovers = leftover_processes(wait_s=10.0)
    FIGURES["leftover_processes"] = len(leftovers)
    LEFTOVERS[:] = leftovers
    assert not leftovers, "processes left behind:\n" + "\n".join(leftovers)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The closing figure: leftover processes after the suite (goal 0)."""
    if "leftover_processes" in FIGURES:
        terminalreporter.write_line(
            "reliability: leftover browser/driver/CLI processes after the suite: "
            f"{FIGURES['leftover_processes']}")
        for item in LEFTOVERS:
            terminalreporter.write_line(f"  {item}")


@pytest.fixture(scope="session")
def fault_site() -> Iterator[FixtureSite]:
    """The fixture site (with its fault-injection routes) for this suite."""
    with FixtureSite() as site:
        yield site


@pytest.fixture(scope="session")
def browser(no_leftover_processes: None) -> Iterator[SharedBrowser]:
    """One browser shared by the in-process fault captures (closed before the count)."""
    shared = SharedBrowser()
    try:
        yield shared
    finally:
        shared.close()


@pytest.fixture()
def canary() -> Iterator[Canary]:
    c = Canary()
    try:
        yield c
    finally:
        c.close()


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    return tmp_path / "out"
